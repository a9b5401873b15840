import { bytesToHex } from "../../primitives/hex.js";
import { keccak256 } from "../../primitives/keccak.js";
import { expectParams, parseData } from "../hex-codec.js";

/** web3_sha3: keccak256 of the given bytes. */
export function web3Sha3(params: readonly unknown[]): string {
  expectParams(params, 1);
  return bytesToHex(keccak256(parseData(params[0], "data")));
}
