// The interpreter probes of `weft bench evm --vs-anvil` that need no state before the call: a
// message call, 256-bit arithmetic, keccak256 and storage, each a loop contract of ProbeLoops.sol
// alone at PROBE_ADDRESS (the call probe's callee beside it).
import { encodeCall } from "../abi.js";
import { type LoopContract, loopContract } from "./loop-contracts.js";
import { contractAccount, PROBE_ADDRESS, type Probe } from "./probe.js";

/** Where the call probe's Incrementer is. */
export const CALLEE_ADDRESS = 0x0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0cn;

/** Gas left at which a loop stops: far more than one iteration and the digest need. */
const RESERVE = 50_000n;

function loopProbe(
  name: string,
  description: string,
  contract: LoopContract,
  signature: string,
  args: readonly bigint[],
  callees: readonly (readonly [bigint, LoopContract])[] = [],
): Probe {
  return {
    name,
    description,
    async prepare(onCompile) {
      const loop = await loopContract(contract, onCompile);
      const alloc = new Map([[PROBE_ADDRESS, contractAccount(loop.deployedBytecode)]]);
      for (const [address, callee] of callees) {
        alloc.set(address, contractAccount((await loopContract(callee, onCompile)).deployedBytecode));
      }
      return { alloc, calldata: encodeCall(loop, signature, [...args, RESERVE]) };
    },
  };
}

export const INTERPRETER_PROBES: readonly Probe[] = [
  loopProbe(
    "call",
    "a CALL to a contract whose inc(v) returns v + 1 (ABI encoding and decoding on both sides)",
    "CallLoop",
    "run(address,uint256)",
    [CALLEE_ADDRESS],
    [[CALLEE_ADDRESS, "Incrementer"]],
  ),
  loopProbe(
    "arith",
    "256-bit MULMOD, a rotation by two shifts, MUL and ADD on full-width words",
    "ArithLoop",
    "run(uint256,uint256)",
    [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n],
  ),
  loopProbe(
    "keccak",
    "KECCAK256 of 64 bytes of memory (the running hash and the counter)",
    "KeccakLoop",
    "run(bytes32,uint256)",
    [0x1234n],
  ),
  loopProbe(
    "storage",
    "SSTORE to a fresh mapping slot (cold, zero to non-zero), then SLOAD of it",
    "StorageLoop",
    "run(uint256)",
    [],
  ),
];
