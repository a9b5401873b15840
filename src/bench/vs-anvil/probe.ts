// What a probe of `weft bench evm --vs-anvil` is: one eth_call to a loop contract at PROBE_ADDRESS
// that repeats its body while more than a reserve of gas is left and returns (uint256 count, bytes32
// digest): how many iterations ran, and a digest of what they computed, so both nodes are seen to
// compute the same thing. A probe brings the genesis accounts it runs on (the loop contract and
// whatever it calls: a token, a pair, a whole RWA suite) and the calldata of its run.
import type { GenesisAccount } from "../../chain/genesis.js";
import { type Artifact, compileSources } from "../compile.js";

export const PROBE_ADDRESS = 0x0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0bn;

export interface ProbeSetup {
  /** The accounts both nodes' genesis holds: the loop contract at PROBE_ADDRESS among them. */
  alloc: Map<bigint, GenesisAccount>;
  /** Calldata of the run, a call to PROBE_ADDRESS. */
  calldata: Uint8Array;
}

export interface Probe {
  name: string;
  description: string;
  /** Compiles what it needs (cached in .cache/solc) and builds its genesis accounts and calldata. */
  prepare(onCompile?: () => void): Promise<ProbeSetup>;
}

/** One contract of one Solidity source, compiled (or from the cache). */
export async function compileContract(
  source: { file: string; content: string; contract: string },
  onCompile?: () => void,
): Promise<Artifact> {
  const artifact = (await compileSources({ [source.file]: source.content }, { onCompile }))[source.file]?.[
    source.contract
  ];
  if (artifact === undefined) throw new Error(`${source.file} has no contract ${source.contract}`);
  return artifact;
}

/** A genesis account holding `code` (nonce 1, as a deployed contract has) and no ether. */
export function contractAccount(code: Uint8Array, storage = new Map<bigint, bigint>()): GenesisAccount {
  return { balance: 0n, nonce: 1n, code, storage };
}
