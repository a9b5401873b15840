// When a transaction may take the place of one already pooled at the same sender and nonce. Two
// rules: anvil's (a dev node's default), where any higher fee cap wins, so a script can unstick a
// transaction by adding one wei; and geth's, for a chain that faces the public, where both caps must
// rise by a whole percentage, so that replacing costs a spammer something each time.
import type { SignedTransaction } from "../chain/types.js";
import { TxPoolError } from "./errors.js";
import { feeCap, tipCap } from "./price.js";

/**
 * Throws REPLACEMENT_UNDERPRICED unless `tx` may replace `old`. With `priceBump` undefined, anvil's
 * rule: a strictly higher fee cap (maxFeePerGas, or gasPrice), whatever the tip. With a percentage,
 * geth's rule: both caps strictly higher than the old ones, and at least `priceBump` percent higher.
 */
export function checkReplacement(old: SignedTransaction, tx: SignedTransaction, priceBump: bigint | undefined): void {
  if (priceBump === undefined) {
    if (feeCap(tx) > feeCap(old)) return;
    throw new TxPoolError(
      "REPLACEMENT_UNDERPRICED",
      `nonce ${tx.nonce} is taken; a replacement needs maxFeePerGas >= ${feeCap(old) + 1n}`,
    );
  }
  const percent = 100n + priceBump;
  const minFeeCap = (feeCap(old) * percent) / 100n;
  const minTipCap = (tipCap(old) * percent) / 100n;
  const fee = feeCap(tx);
  const tip = tipCap(tx);
  if (fee > feeCap(old) && tip > tipCap(old) && fee >= minFeeCap && tip >= minTipCap) return;
  const needFee = minFeeCap > feeCap(old) ? minFeeCap : feeCap(old) + 1n;
  const needTip = minTipCap > tipCap(old) ? minTipCap : tipCap(old) + 1n;
  throw new TxPoolError(
    "REPLACEMENT_UNDERPRICED",
    `nonce ${tx.nonce} is taken; a replacement needs maxFeePerGas >= ${needFee} and maxPriorityFeePerGas >= ${needTip}`,
  );
}
