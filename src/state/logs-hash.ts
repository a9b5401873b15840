// The "logs" hash of the ethereum/tests state tests: keccak256 of the RLP list of a transaction's
// logs, each log as [address (20 bytes), [topic (32 bytes), ...], data].
import type { Log } from "../evm/host.js";
import { bigintToBytes } from "../primitives/hex.js";
import { keccak256Word } from "../primitives/keccak.js";
import { rlpEncodeBytes, rlpEncodeList } from "./mpt.js";

/** rlp([[address, [topics...], data], ...]) of the logs. */
export function encodeLogs(logs: readonly Log[]): Uint8Array {
  return rlpEncodeList(
    logs.map((log) =>
      rlpEncodeList([
        rlpEncodeBytes(bigintToBytes(log.address, 20)),
        rlpEncodeList(log.topics.map((topic) => rlpEncodeBytes(bigintToBytes(topic, 32)))),
        rlpEncodeBytes(log.data),
      ]),
    ),
  );
}

/** keccak256(rlp(logs)); for no logs, 0x1dcc4de8...49347 (the hash of an empty RLP list). */
export function logsHash(logs: readonly Log[]): bigint {
  return keccak256Word(encodeLogs(logs));
}
