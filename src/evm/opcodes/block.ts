// 0x40-0x4a: the block being built and the transaction's blobs.
import type { Frame } from "../frame.js";
import { GAS_BASE, GAS_BLOBHASH_OPCODE, GAS_BLOCK_HASH, GAS_FAST_STEP } from "../params.js";
import type { OpcodeDef } from "./types.js";

function blockhash(f: Frame): void {
  const s = f.stack;
  const n = s[f.sp - 1]!;
  const current = f.evm.block.number;
  // Only the 256 most recent blocks, not the current one.
  s[f.sp - 1] = n < current && n + 256n >= current ? f.evm.journal.host.blockHash(n) : 0n;
}

function coinbase(f: Frame): void {
  f.stack[f.sp++] = f.evm.block.coinbase;
}

function timestamp(f: Frame): void {
  f.stack[f.sp++] = f.evm.block.timestamp;
}

function number(f: Frame): void {
  f.stack[f.sp++] = f.evm.block.number;
}

function prevrandao(f: Frame): void {
  f.stack[f.sp++] = f.evm.block.prevRandao;
}

function gaslimit(f: Frame): void {
  f.stack[f.sp++] = f.evm.block.gasLimit;
}

function chainid(f: Frame): void {
  f.stack[f.sp++] = f.evm.block.chainId;
}

function selfbalance(f: Frame): void {
  f.stack[f.sp++] = f.evm.journal.account(f.address).balance;
}

function basefee(f: Frame): void {
  f.stack[f.sp++] = f.evm.block.baseFee;
}

function blobhash(f: Frame): void {
  const s = f.stack;
  const index = s[f.sp - 1]!;
  const hashes = f.evm.blobHashes;
  s[f.sp - 1] = index < BigInt(hashes.length) ? hashes[Number(index)]! : 0n;
}

function blobbasefee(f: Frame): void {
  f.stack[f.sp++] = f.evm.blobBaseFee;
}

export const BLOCK: OpcodeDef[] = [
  { opcode: 0x40, name: "BLOCKHASH", gas: GAS_BLOCK_HASH, pops: 1, pushes: 1, handler: blockhash },
  { opcode: 0x41, name: "COINBASE", gas: GAS_BASE, pops: 0, pushes: 1, handler: coinbase },
  { opcode: 0x42, name: "TIMESTAMP", gas: GAS_BASE, pops: 0, pushes: 1, handler: timestamp },
  { opcode: 0x43, name: "NUMBER", gas: GAS_BASE, pops: 0, pushes: 1, handler: number },
  { opcode: 0x44, name: "PREVRANDAO", gas: GAS_BASE, pops: 0, pushes: 1, handler: prevrandao },
  { opcode: 0x45, name: "GASLIMIT", gas: GAS_BASE, pops: 0, pushes: 1, handler: gaslimit },
  { opcode: 0x46, name: "CHAINID", gas: GAS_BASE, pops: 0, pushes: 1, handler: chainid },
  { opcode: 0x47, name: "SELFBALANCE", gas: GAS_FAST_STEP, pops: 0, pushes: 1, handler: selfbalance },
  { opcode: 0x48, name: "BASEFEE", gas: GAS_BASE, pops: 0, pushes: 1, handler: basefee },
  { opcode: 0x49, name: "BLOBHASH", gas: GAS_BLOBHASH_OPCODE, pops: 1, pushes: 1, handler: blobhash },
  { opcode: 0x4a, name: "BLOBBASEFEE", gas: GAS_BASE, pops: 0, pushes: 1, handler: blobbasefee },
];
