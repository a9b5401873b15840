// The OpenZeppelin ERC-20 the end-to-end tests deploy: the benchmark's token (same sources, so the
// same solc-js cache entry in .cache/solc), with the ABI fragments the clients need.
import { compileSources } from "../../src/bench/compile.js";
import { BENCH_CONTRACTS, BENCH_SOURCES } from "../../src/bench/contracts.js";
import { bytesToHex } from "../../src/primitives/hex.js";

/** Human-readable ABI: viem's parseAbi and ethers both read it. */
export const TOKEN_ABI = [
  "constructor(uint256 supply)",
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function totalSupply() view returns (uint256)",
  "function balanceOf(address owner) view returns (uint256)",
  "function transfer(address to, uint256 value) returns (bool)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
] as const;

/** keccak256("Transfer(address,address,uint256)"). */
export const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/** The token's creation code as 0x-hex (constructor arguments not appended). */
export async function tokenBytecode(): Promise<`0x${string}`> {
  const { file, name } = BENCH_CONTRACTS.token;
  const artifacts = await compileSources(BENCH_SOURCES);
  const bytecode = artifacts[file]?.[name]?.bytecode;
  if (!bytecode) throw new Error(`solc produced no ${name} in ${file}`);
  return bytesToHex(bytecode) as `0x${string}`;
}

/** A uint256 as one 32-byte ABI word, hex without 0x. */
export function word(v: bigint): string {
  return v.toString(16).padStart(64, "0");
}
