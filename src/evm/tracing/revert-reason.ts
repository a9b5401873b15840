// The reason in revert data, decoded as geth's abi.UnpackRevert does: Error(string) gives its string,
// Panic(uint256) a readable name for the code; anything else has no reason.

const ERROR_SELECTOR = 0x08c379a0;
const PANIC_SELECTOR = 0x4e487b71;

const PANIC_REASONS = new Map<bigint, string>([
  [0x00n, "generic panic"],
  [0x01n, "assert(false)"],
  [0x11n, "arithmetic underflow or overflow"],
  [0x12n, "division or modulo by zero"],
  [0x21n, "enum overflow"],
  [0x22n, "invalid encoded storage byte array accessed"],
  [0x31n, "out-of-bounds array access; popping on an empty array"],
  [0x32n, "out-of-bounds access of an array or bytesN"],
  [0x41n, "out of memory"],
  [0x51n, "uninitialized function"],
]);

function word(data: Uint8Array, offset: number): bigint | undefined {
  if (offset < 0 || offset + 32 > data.length) return undefined;
  let value = 0n;
  for (let i = offset; i < offset + 32; i++) value = (value << 8n) | BigInt(data[i]!);
  return value;
}

export function decodeRevertReason(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined;
  const selector = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
  if (selector === PANIC_SELECTOR) {
    const code = word(data, 4);
    if (code === undefined) return undefined;
    return PANIC_REASONS.get(code) ?? `unknown panic code: 0x${code.toString(16)}`;
  }
  if (selector !== ERROR_SELECTOR) return undefined;
  // ABI: an offset (from the start of the arguments) to a length-prefixed byte string.
  const offset = word(data, 4);
  if (offset === undefined || offset > BigInt(data.length)) return undefined;
  const start = 4 + Number(offset);
  const length = word(data, start);
  if (length === undefined || BigInt(start + 32) + length > BigInt(data.length)) return undefined;
  const bytes = data.subarray(start + 32, start + 32 + Number(length));
  // geth keeps invalid UTF-8 as it is; JSON cannot carry it, so it becomes U+FFFD here.
  return new TextDecoder().decode(bytes);
}
