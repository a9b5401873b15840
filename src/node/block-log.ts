// What the node logs for each mined block: at info its line as the node always printed it (number,
// hash, transactions, gas, base fee, time) and a line per reverted or dropped transaction; at debug
// how it was executed, why so, and where the time went. JSON lines carry the same as fields.
import type { MinedBlock } from "../chain/chain.js";
import { addressToHex, wordToHex } from "../primitives/hex.js";
import type { Logger } from "./log.js";

export function logMinedBlock(log: Logger, { block, receipts, rejected, stats }: MinedBlock): void {
  const h = block.header;
  // A dev timestamp may lie beyond what Date can show.
  const date = new Date(Number(h.timestamp) * 1000);
  const when = Number.isNaN(date.getTime()) ? `${h.timestamp} s` : date.toISOString();
  const hash = wordToHex(block.hash);
  log.info(
    {
      block: Number(h.number),
      hash,
      txs: block.transactions.length,
      gasUsed: Number(h.gasUsed),
      baseFee: h.baseFeePerGas.toString(),
    },
    `Block #${h.number} ${hash} ${block.transactions.length} tx, gas used ${h.gasUsed}, base fee ${h.baseFeePerGas}, time ${when}`,
  );
  for (const r of receipts) {
    if (r.status === 0)
      log.info({ tx: wordToHex(r.transactionHash), reverted: true }, `    reverted: ${wordToHex(r.transactionHash)}`);
  }
  for (const { tx, error } of rejected) {
    const from = addressToHex(tx.sender);
    log.info(
      { tx: wordToHex(tx.hash), from, dropped: error.message },
      `    dropped: ${wordToHex(tx.hash)} from ${from}: ${error.message}`,
    );
  }
  if (log.isLevelEnabled("debug")) {
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    log.debug(
      { block: Number(h.number), ...stats },
      `    executed ${stats.mode}${stats.mode === "parallel" ? ` (${stats.reexecutions} re-executions)` : ""} in ` +
        `${ms(stats.executeMs)}, state root ${ms(stats.stateRootMs)}, commit ${ms(stats.commitMs)}` +
        (stats.modeReason === "" ? "" : `: ${stats.modeReason}`),
    );
  }
}
