// Turns a failed call into a readable error: finds the revert data anywhere in viem's error chain,
// decodes it against every error the core contracts declare (so an error bubbled up from a nested
// call, e.g. a module's through the compliance, still decodes), and words the common ones.
import { type Abi, BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex, isHex } from "viem";
import {
  countryAllowModuleAbi,
  countryRestrictModuleAbi,
  identityRegistryAbi,
  lockUpModuleAbi,
  maxBalanceModuleAbi,
  maxInvestorsModuleAbi,
  modularComplianceAbi,
  regulatedTokenAbi,
  supplyLimitModuleAbi,
  timeWindowTransferLimitModuleAbi,
} from "./core-abi.js";
import { roleName } from "./roles.js";
import { ruleName } from "./rules.js";

/** Every custom error of the core contracts, once each (by signature). */
export const rwaErrorsAbi: Abi = (() => {
  const seen = new Map<string, Abi[number]>();
  const all: readonly Abi[] = [
    regulatedTokenAbi,
    identityRegistryAbi,
    modularComplianceAbi,
    countryAllowModuleAbi,
    countryRestrictModuleAbi,
    maxBalanceModuleAbi,
    maxInvestorsModuleAbi,
    supplyLimitModuleAbi,
    lockUpModuleAbi,
    timeWindowTransferLimitModuleAbi,
  ];
  for (const abi of all) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const signature = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
      if (!seen.has(signature)) seen.set(signature, item);
    }
  }
  return [...seen.values()];
})();

/** A reverted call or transaction, decoded. */
export class RwaError extends Error {
  override name = "RwaError";
  constructor(
    message: string,
    /** The custom error's name ("Error" for a require string, "Panic" for a panic), when decoded. */
    readonly errorName: string | undefined,
    readonly args: readonly unknown[],
    /** The raw revert data, when the node returned it. */
    readonly data: Hex | undefined,
    /** For TransferRejected: the rule code and reason. */
    readonly rule?: { code: number; reason: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Decodes revert data against the core contracts' errors (plus Error(string) and Panic). */
export function decodeRevert(
  data: Hex,
  extraAbi: Abi = [],
): { errorName: string; args: readonly unknown[] } | undefined {
  if (data === "0x") return undefined;
  try {
    const decoded = decodeErrorResult({ abi: [...rwaErrorsAbi, ...extraAbi], data });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}

/** Words a decoded error for people. */
export function describeRevert(errorName: string, args: readonly unknown[]): string {
  const a = args as readonly (string | bigint | number | boolean)[];
  switch (errorName) {
    case "TransferRejected":
      return `transfer rejected: ${a[1]} (rule ${a[0]} ${ruleName(Number(a[0]))})`;
    case "AccessControlUnauthorizedAccount":
      return `${a[0]} does not have ${roleName(a[1] as Hex)}`;
    case "OwnableUnauthorizedAccount":
      return `${a[0]} is not the owner`;
    case "ERC7943InsufficientUnfrozenBalance":
      return `${a[0]} has ${a[2]} unfrozen tokens, ${a[1]} needed`;
    case "ERC20InsufficientBalance":
      return `${a[0]} has a balance of ${a[1]}, ${a[2]} needed`;
    case "ERC20InsufficientAllowance":
      return `${a[0]} is allowed ${a[1]}, ${a[2]} needed`;
    case "EnforcedPause":
      return "the token is paused";
    case "RecoveryIdentityMismatch":
      return `cannot recover ${a[0]} to ${a[1]}: both must be wallets of identity ${a[2]}`;
    case "IssuerNotTrustedForTopic":
      return `${a[0]} is not a trusted issuer for claim topic ${a[1]}`;
    case "ERC2612ExpiredSignature":
      return `permit expired at ${a[0]}`;
    case "ERC2612InvalidSigner":
      return `permit signed by ${a[0]}, not by the owner ${a[1]}`;
    case "Error":
      return String(a[0]);
    default:
      return `${errorName}(${a.map(String).join(", ")})`;
  }
}

/** The revert data somewhere in an error's cause chain: viem's decoded revert first, else the `data`
 * of a JSON-RPC error (code 3 "execution reverted" carries it). */
function findRevertData(e: unknown): Hex | undefined {
  const chain: unknown[] = [];
  if (e instanceof BaseError) {
    e.walk((x) => {
      chain.push(x);
      return false;
    });
  } else {
    for (let x: unknown = e; x && chain.length < 10; x = (x as { cause?: unknown }).cause) chain.push(x);
  }
  for (const x of chain) {
    if (x instanceof ContractFunctionRevertedError && x.raw) return x.raw;
  }
  for (const x of chain) {
    const { data, code } = (x ?? {}) as { data?: unknown; code?: unknown };
    if (typeof code === "number" && typeof data === "string" && isHex(data) && data.length >= 10) return data;
  }
  return undefined;
}

/** An RwaError for a failed call, or `e` itself when it is not a revert (network, nonce, ...). */
export function toRwaError(e: unknown, context?: string, extraAbi: Abi = []): unknown {
  if (e instanceof RwaError) return e;
  const data = findRevertData(e);
  const prefix = context ? `${context}: ` : "";
  if (data === undefined) {
    // A revert without data (e.g. a bare `revert()`) still says "reverted".
    const text = e instanceof Error ? e.message : String(e);
    if (/revert/i.test(text))
      return new RwaError(`${prefix}reverted without a reason`, undefined, [], undefined, undefined, { cause: e });
    return e;
  }
  const decoded = decodeRevert(data, extraAbi);
  if (!decoded)
    return new RwaError(`${prefix}reverted with unknown error data ${data}`, undefined, [], data, undefined, {
      cause: e,
    });
  const rule =
    decoded.errorName === "TransferRejected"
      ? { code: Number(decoded.args[0]), reason: String(decoded.args[1]) }
      : undefined;
  return new RwaError(
    `${prefix}${describeRevert(decoded.errorName, decoded.args)}`,
    decoded.errorName,
    decoded.args,
    data,
    rule,
    {
      cause: e,
    },
  );
}
