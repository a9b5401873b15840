import { createAddress } from "../../evm/opcodes/system.js";
import { PRECOMPILE_COUNT } from "../../evm/params.js";
import { AccessListTracer } from "../../evm/tracing/access-list-tracer.js";
import type { AccessListEntry, ValidTxOutcome } from "../../exec/types.js";
import { callSiteFor } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { expectParams, formatAccessList, parseBlockRef, quantity } from "../hex-codec.js";
import { callFailure, type PreparedCall, parseCallRequest, prepareCall, runCall } from "./call-request.js";

/**
 * Runs past this many times without the list settling are cut short (the list only grows from run to
 * run, so this is a guard against pathological contracts, not a limit calls meet).
 */
const MAX_RUNS = 16;

/**
 * eth_createAccessList(transaction, block?): the accounts and storage slots the call touches, as an
 * EIP-2930 access list, and the gas it uses when it carries that list. As geth: the sender, the
 * recipient (for a creation, the new contract) and the precompiles are left out unless their storage
 * is touched; the call runs again with the list found until the list stops changing. A revert is
 * error 3 with the revert data, as anvil answers it (geth returns the list with an `error` field).
 */
export function ethCreateAccessList(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1, 2);
  const req = parseCallRequest(params[0]);
  const site = callSiteFor(ctx, parseBlockRef(params[1]));
  const prepared = prepareCall(ctx, req, site);
  const { accessList, outcome } = findAccessList(prepared);
  if (outcome.status === 0) throw callFailure(outcome);
  return { accessList: formatAccessList(accessList), gasUsed: quantity(outcome.gasUsed) };
}

/** The access list a prepared call settles on, and the outcome of the call carrying it. */
export function findAccessList(p: PreparedCall): { accessList: AccessListEntry[]; outcome: ValidTxOutcome } {
  const tx = p.tx;
  const to = tx.to ?? createAddress(tx.sender, tx.nonce);
  const excluded = new Set<bigint>([tx.sender, to]);
  for (let i = 1n; i <= BigInt(PRECOMPILE_COUNT); i++) excluded.add(i);
  // A legacy call cannot carry a list: it becomes an EIP-2930 one (fee fields as they were).
  const type = tx.type === 0 ? 1 : tx.type;

  let previous = new AccessListTracer(tx.accessList, excluded);
  for (let run = 1; ; run++) {
    const accessList = previous.accessList();
    const tracer = new AccessListTracer(accessList, excluded);
    const outcome = runCall({ ...p, tx: { ...tx, type, accessList } }, { tracer });
    if (tracer.equals(previous) || run === MAX_RUNS) return { accessList, outcome };
    previous = tracer;
  }
}
