// keccak256 through a small WebAssembly sponge of our own (keccak-wasm.ts): KECCAK256 and the
// mapping slots it computes sit in the hot path of every contract call, so a hash of one block
// costs one call into the module, one copy of the input into its memory, and the digest is read
// in place. The `…Of` and `…Into` forms hash a range of a caller's buffer and write into a
// caller's buffer, so the interpreter can hash straight from EVM memory without a subarray.
import {
  instantiateKeccak,
  KECCAK_CHUNK,
  KECCAK_INPUT,
  KECCAK_STATE,
  KECCAK_WORD,
  SPONGE_BEGIN,
  SPONGE_END,
} from "./keccak-wasm.js";

const sponge = instantiateKeccak();
const memory = new Uint8Array(sponge.memory.buffer);
const digestBytes = memory.subarray(KECCAK_STATE, KECCAK_STATE + 32);
const digestWords = new BigUint64Array(sponge.memory.buffer, KECCAK_WORD, 4);
// Up to this many bytes a plain loop copies a range faster than TypedArray#set of a subarray (the
// subarray's allocation costs as much as the copy); a whole array is always copied by #set.
const LOOP_COPY_MAX = 32;

/** Throws unless [offset, offset + length) lies within `size` bytes. */
function checkRange(size: number, offset: number, length: number): void {
  if (!(offset >= 0 && length >= 0 && offset + length <= size)) {
    throw new RangeError(`keccak256: range ${offset}+${length} is outside a ${size}-byte buffer`);
  }
}

/** Copies bytes[offset, offset + length) (at most a chunk) to where the sponge reads its input. */
function loadInput(bytes: Uint8Array, offset: number, length: number): void {
  if (offset === 0 && length === bytes.length) {
    memory.set(bytes, KECCAK_INPUT);
  } else if (length <= LOOP_COPY_MAX) {
    for (let i = 0; i < length; i++) memory[KECCAK_INPUT + i] = bytes[offset + i] as number;
  } else {
    memory.set(bytes.subarray(offset, offset + length), KECCAK_INPUT);
  }
}

/** Hashes bytes[offset, offset + length) into the module's digest areas. */
function hashRange(bytes: Uint8Array, offset: number, length: number): void {
  checkRange(bytes.length, offset, length);
  let flags = SPONGE_BEGIN;
  while (length > KECCAK_CHUNK) {
    memory.set(bytes.subarray(offset, offset + KECCAK_CHUNK), KECCAK_INPUT);
    sponge.sponge(KECCAK_CHUNK, flags);
    offset += KECCAK_CHUNK;
    length -= KECCAK_CHUNK;
    flags = 0;
  }
  loadInput(bytes, offset, length);
  sponge.sponge(length, flags | SPONGE_END);
}

// Four limb reads, three shifts and three ORs: ten BigInts, ~120 ns, the least measured. A Horner
// chain or two 128-bit halves cost the same, DataView#getBigUint64 reads 160 (a call TurboFan does not
// inline), multiplying by 2^64k 200, and parsing a hex string 400 or more.
function digestWord(): bigint {
  return (
    ((digestWords[0] as bigint) << 192n) |
    ((digestWords[1] as bigint) << 128n) |
    ((digestWords[2] as bigint) << 64n) |
    (digestWords[3] as bigint)
  );
}

export function keccak256(data: Uint8Array): Uint8Array {
  hashRange(data, 0, data.length);
  return digestBytes.slice();
}

/** Writes keccak256(data) to out[outOffset, outOffset + 32). */
export function keccak256Into(data: Uint8Array, out: Uint8Array, outOffset = 0): void {
  keccak256OfInto(data, 0, data.length, out, outOffset);
}

/** Writes keccak256(bytes[offset, offset + length)) to out[outOffset, outOffset + 32). */
export function keccak256OfInto(
  bytes: Uint8Array,
  offset: number,
  length: number,
  out: Uint8Array,
  outOffset: number,
): void {
  if (!(outOffset >= 0 && outOffset + 32 <= out.length)) {
    throw new RangeError(`keccak256Into: no room for 32 bytes at ${outOffset} in a ${out.length}-byte buffer`);
  }
  hashRange(bytes, offset, length);
  out.set(digestBytes, outOffset);
}

export function keccak256Word(data: Uint8Array): bigint {
  return keccak256WordOf(data, 0, data.length);
}

// Recent short hashes, by input: mapping slots repeat (a token transfer hashes the sender's balance
// slot to read it and again to write it; two-thirds of an ERC-3643 transfer's 81 hashes repeat one of
// the 64 before), and a hit costs neither the permutation (~370 ns) nor a new BigInt. Direct-mapped,
// inputs of 1 to 64 bytes (a mapping key and its slot), compared in full.
const CACHE_SIZE = 256;
const CACHE_MAX_INPUT = 64;
const CACHE_WORDS = CACHE_MAX_INPUT / 4;
const cachedInputs = new Uint32Array(CACHE_SIZE * CACHE_WORDS);
const cachedLengths = new Int32Array(CACHE_SIZE);
const cachedWords = new Array<bigint>(CACHE_SIZE).fill(0n);
/** Each entry's digest as bytes (the word's big-endian form), in 32-bit lanes. */
const cachedDigestLanes = new Uint32Array(CACHE_SIZE * 8);
const digestLanes = new Uint32Array(sponge.memory.buffer, KECCAK_STATE, 8);
/** The entry of the last digest keccak256WordOf(View) returned, or -1. */
let lastEntry = -1;
const inputWords = new Uint32Array(sponge.memory.buffer, KECCAK_INPUT, CACHE_WORDS);
/** The cache's multiplicative hash of an input's 32-bit words: the golden ratio in 32 bits. */
const MIX = 0x9e3779b1;

/** keccak256 of bytes[offset, offset + length) as a big-endian 256-bit word, without a copy. */
export function keccak256WordOf(bytes: Uint8Array, offset: number, length: number): bigint {
  if (length === 0 || length > CACHE_MAX_INPUT) {
    hashRange(bytes, offset, length);
    return digestWord();
  }
  checkRange(bytes.length, offset, length);
  // The input goes where the sponge reads it, its last word zero-filled, and is looked up there.
  const words = (length + 3) >> 2;
  inputWords[words - 1] = 0;
  loadInput(bytes, offset, length);
  let mix = length;
  for (let w = 0; w < words; w++) mix = Math.imul(mix ^ inputWords[w]!, MIX);
  return cachedDigest(length, mix);
}

/**
 * keccak256WordOf over the bytes a DataView covers (the EVM's memory): a short input is copied in
 * 32-bit reads, which TurboFan inlines (a 64-byte mapping key and slot in ~20 ns, against ~100 for
 * a subarray and #set), and mixed into the cache's hash as it is copied.
 */
export function keccak256WordOfView(view: DataView, offset: number, length: number): bigint {
  if (length === 0 || length > CACHE_MAX_INPUT) {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    hashRange(bytes, offset, length);
    return digestWord();
  }
  checkRange(view.byteLength, offset, length);
  const whole = length >> 2;
  let mix = length;
  for (let w = 0; w < whole; w++) {
    const word = view.getUint32(offset + 4 * w, true);
    inputWords[w] = word;
    mix = Math.imul(mix ^ word, MIX);
  }
  if (whole * 4 < length) {
    inputWords[whole] = 0;
    for (let i = whole * 4; i < length; i++) memory[KECCAK_INPUT + i] = view.getUint8(offset + i);
    mix = Math.imul(mix ^ inputWords[whole]!, MIX);
  }
  return cachedDigest(length, mix);
}

/**
 * The digest of the `length` (1 to 64) bytes at the sponge's input, whose words hash to `mix` (each
 * word w in turn: mix = imul(mix ^ w, MIX), from mix = length), from the cache or the sponge.
 */
function cachedDigest(length: number, mix: number): bigint {
  const words = (length + 3) >> 2;
  const entry = mix >>> 24;
  const base = entry * CACHE_WORDS;
  if (cachedLengths[entry] === length) {
    let same = true;
    for (let w = 0; w < words && same; w++) same = cachedInputs[base + w] === inputWords[w];
    if (same) {
      lastEntry = entry;
      return cachedWords[entry]!;
    }
  }
  // Kept before the sponge runs: it pads the input in place.
  for (let w = 0; w < words; w++) cachedInputs[base + w] = inputWords[w]!;
  sponge.sponge(length, SPONGE_BEGIN | SPONGE_END);
  const word = digestWord();
  cachedLengths[entry] = length;
  cachedWords[entry] = word;
  const lanes = entry * 8;
  for (let i = 0; i < 8; i++) cachedDigestLanes[lanes + i] = digestLanes[i]!;
  lastEntry = entry;
  return word;
}

/**
 * Writes `value` as 32 big-endian bytes at `offset` of `view` where it is the digest keccak256WordOf
 * or keccak256WordOfView returned last (a hash stored to memory: the next link of a hash chain, the
 * inner key of a nested mapping), copied from its bytes without taking the BigInt apart; false
 * (nothing written) otherwise.
 */
export function writeLastDigest(view: DataView, offset: number, value: bigint): boolean {
  const entry = lastEntry;
  if (entry < 0 || cachedWords[entry] !== value) return false;
  const lanes = entry * 8;
  for (let i = 0; i < 8; i++) view.setUint32(offset + 4 * i, cachedDigestLanes[lanes + i]!, true);
  return true;
}

/** keccak256 of the empty string: the code hash of an account without code. */
export const EMPTY_CODE_HASH = 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470n;
/** Root of an empty Merkle-Patricia trie: keccak256(rlp("")). */
export const EMPTY_TRIE_ROOT = 0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421n;
