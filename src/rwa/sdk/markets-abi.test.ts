// The hand-written markets ABIs against what solc emits for the same contracts: every function,
// event and error the SDK declares must exist with the same signature, or calls would silently fail.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Abi, AbiItem, AbiParameter } from "viem";
import { rwaArtifacts } from "../compile.js";
import {
  BALLOT_ABI,
  DISTRIBUTION_ABI,
  DOCUMENT_REGISTRY_ABI,
  DVP_SETTLEMENT_ABI,
  FUND_VAULT_ABI,
  LENDING_MARKET_ABI,
  NAV_ORACLE_ABI,
  PERMISSIONED_POOL_ABI,
  PRICE_ORACLE_ABI,
  TEST_USD_ABI,
} from "./markets-abi.js";

const ABIS: Record<string, Abi> = {
  TestUSD: TEST_USD_ABI,
  DocumentRegistry: DOCUMENT_REGISTRY_ABI,
  Distribution: DISTRIBUTION_ABI,
  Ballot: BALLOT_ABI,
  NavOracle: NAV_ORACLE_ABI,
  FundVault: FUND_VAULT_ABI,
  DvPSettlement: DVP_SETTLEMENT_ABI,
  PermissionedPool: PERMISSIONED_POOL_ABI,
  PriceOracle: PRICE_ORACLE_ABI,
  LendingMarket: LENDING_MARKET_ABI,
};

/** A parameter's canonical type: tuples spelled out, so two ABIs compare by what is on the wire. */
function canonical(p: AbiParameter): string {
  if (!p.type.startsWith("tuple")) return p.type;
  const components = (p as { components: readonly AbiParameter[] }).components;
  return `(${components.map(canonical).join(",")})${p.type.slice("tuple".length)}`;
}

/** A comparable signature: kind, name, canonical inputs, and for functions the mutability and outputs. */
function signature(item: AbiItem): string {
  const inputs = item.type === "fallback" || item.type === "receive" ? "" : item.inputs.map(canonical).join(",");
  if (item.type === "function") {
    const view = item.stateMutability === "view" || item.stateMutability === "pure" ? " view" : "";
    return `function ${item.name}(${inputs})${view} -> (${item.outputs.map(canonical).join(",")})`;
  }
  if (item.type === "event") {
    const indexed = item.inputs.map((i) => (i.indexed ? "i" : "-")).join("");
    return `event ${item.name}(${inputs}) ${indexed}`;
  }
  if (item.type === "error") return `error ${item.name}(${inputs})`;
  return `${item.type}(${inputs})`;
}

test("the SDK ABIs match the compiled contracts: same functions and events, every error declared", async () => {
  const artifacts = await rwaArtifacts();
  for (const [name, abi] of Object.entries(ABIS)) {
    const artifact = artifacts[name];
    assert.ok(artifact, `no compiled contract ${name}`);
    const compiled = artifact.abi.map(signature);
    const declared = abi.map(signature);
    const notErrors = (sig: string) => !sig.startsWith("error ");
    // Errors are a superset on purpose: the SDK also declares what bubbles up from the tokens moved.
    assert.deepEqual(
      new Set(declared.filter(notErrors)),
      new Set(compiled.filter(notErrors)),
      `${name}: functions, events or constructor differ`,
    );
    const missing = compiled.filter((sig) => !notErrors(sig) && !declared.includes(sig));
    assert.deepEqual(missing, [], `${name}: compiled errors missing from the SDK ABI`);
  }
});
