import assert from "node:assert/strict";
import { test } from "node:test";
import { RLP } from "@ethereumjs/rlp";
import { Transaction as EthersTransaction, Wallet } from "ethers";
import { type Hex, keccak256, parseTransaction, type TransactionSerializable } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { addressToHex, bytesToHex, hexToBigint, hexToBytes, wordToHex } from "../primitives/hex.js";
import { TxDecodeError } from "./errors.js";
import { SECP256K1_N } from "./sign.js";
import {
  decodeTransaction,
  encodeTransaction,
  impersonatedTransaction,
  signingHash,
  signTransaction,
  type UnsignedTransaction,
} from "./transaction.js";

// anvil's first two dev keys.
const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const SENDER = 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266n;
const TO = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const account = privateKeyToAccount(KEY);
const accessList = [
  {
    address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Hex,
    storageKeys: [wordToHex(1n) as Hex, wordToHex(0xdeadbeefn) as Hex],
  },
  { address: TO as Hex, storageKeys: [] },
];
const blobHash = `0x01${"ab".repeat(31)}` as Hex;

const viemTxs: Record<string, TransactionSerializable> = {
  "legacy pre-EIP-155": { type: "legacy", nonce: 0, gasPrice: 1_000_000_000n, gas: 21000n, to: TO, value: 1n },
  "legacy EIP-155": {
    type: "legacy",
    chainId: 31337,
    nonce: 7,
    gasPrice: 2_000_000_000n,
    gas: 100000n,
    to: TO,
    value: 10n ** 18n,
    data: "0xa9059cbb",
  },
  "legacy create": { type: "legacy", chainId: 1, nonce: 1, gasPrice: 5n, gas: 300000n, data: "0x6080604052" },
  "EIP-2930": {
    type: "eip2930",
    chainId: 31337,
    nonce: 3,
    gasPrice: 3_000_000_000n,
    gas: 60000n,
    to: TO,
    value: 0n,
    data: "0x",
    accessList,
  },
  "EIP-1559": {
    type: "eip1559",
    chainId: 31337,
    nonce: 12,
    maxFeePerGas: 30_000_000_000n,
    maxPriorityFeePerGas: 1_500_000_000n,
    gas: 50000n,
    to: TO,
    value: 123n,
    data: "0x1234",
    accessList,
  },
  "EIP-1559 create, big chain id": {
    type: "eip1559",
    chainId: 2 ** 40,
    nonce: 0,
    maxFeePerGas: 1n,
    maxPriorityFeePerGas: 0n,
    gas: 1_000_000n,
    data: `0x${"60".repeat(300)}`,
  },
  "EIP-4844": {
    type: "eip4844",
    chainId: 31337,
    nonce: 2,
    maxFeePerGas: 30_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
    maxFeePerBlobGas: 7n,
    gas: 21000n,
    to: TO,
    value: 0n,
    blobVersionedHashes: [blobHash, `0x01${"cd".repeat(31)}`],
    accessList,
  },
};

/** Our decoded fields against viem's own parse of the same bytes. */
function assertMatchesViem(serialized: Hex) {
  const tx = decodeTransaction(hexToBytes(serialized));
  const p = parseTransaction(serialized);
  assert.equal(tx.hash, hexToBigint(keccak256(serialized)));
  assert.equal(tx.sender, SENDER);
  assert.equal(bytesToHex(tx.raw), serialized);
  assert.equal(bytesToHex(encodeTransaction(tx)), serialized);
  assert.equal(tx.nonce, BigInt(p.nonce ?? 0));
  assert.equal(tx.gasLimit, p.gas);
  assert.equal(tx.to === null ? undefined : addressToHex(tx.to), p.to?.toLowerCase());
  assert.equal(tx.value, p.value ?? 0n);
  assert.equal(bytesToHex(tx.data), p.data ?? "0x");
  assert.equal(tx.chainId, p.chainId === undefined ? undefined : BigInt(p.chainId));
  assert.equal(tx.r, hexToBigint(p.r!));
  assert.equal(tx.s, hexToBigint(p.s!));
  if (tx.type === 0) assert.equal(tx.gasPrice, p.gasPrice);
  return { tx, p };
}

for (const [name, unsigned] of Object.entries(viemTxs)) {
  test(`decodes a viem-signed ${name} transaction`, async () => {
    const serialized = await account.signTransaction(unsigned);
    const { tx, p } = assertMatchesViem(serialized);
    const type = ({ legacy: 0, eip2930: 1, eip1559: 2, eip4844: 3 } as Record<string, number>)[unsigned.type!];
    assert.equal(tx.type, type);
    if (tx.type === 1) assert.equal(tx.gasPrice, p.gasPrice);
    if (tx.type >= 2) {
      assert.equal(tx.maxFeePerGas, p.maxFeePerGas);
      assert.equal(tx.maxPriorityFeePerGas, p.maxPriorityFeePerGas ?? 0n); // viem omits a zero tip
    }
    if (tx.type === 3) {
      assert.equal(tx.maxFeePerBlobGas, p.maxFeePerBlobGas);
      assert.deepEqual(tx.blobVersionedHashes?.map(wordToHex), p.blobVersionedHashes);
    }
    if (tx.type >= 1) {
      assert.deepEqual(
        tx.accessList.map((e) => ({ address: addressToHex(e.address), storageKeys: e.storageKeys.map(wordToHex) })),
        (p.accessList ?? []).map((e) => ({ address: e.address.toLowerCase(), storageKeys: e.storageKeys })),
      );
    }
    // Signing the decoded fields again gives the same bytes: RFC 6979 signatures are deterministic.
    const again = signTransaction(tx, hexToBytes(KEY));
    assert.equal(bytesToHex(again.raw), serialized);
  });
}

test("decodes ethers-signed transactions of all four types", async () => {
  const wallet = new Wallet(KEY);
  const base = { to: TO, nonce: 5, gasLimit: 70000n, value: 42n, data: "0xabcdef" };
  const requests = [
    { ...base, type: 0, gasPrice: 9_000_000_000n, chainId: 31337n },
    { ...base, type: 0, gasPrice: 9_000_000_000n }, // ethers leaves chainId 0: pre-EIP-155
    { ...base, type: 1, gasPrice: 9_000_000_000n, chainId: 31337n, accessList },
    { ...base, type: 2, maxFeePerGas: 9n, maxPriorityFeePerGas: 8n, chainId: 31337n, accessList },
    {
      ...base,
      type: 3,
      maxFeePerGas: 9n,
      maxPriorityFeePerGas: 8n,
      maxFeePerBlobGas: 3n,
      blobVersionedHashes: [blobHash],
      chainId: 31337n,
    },
  ];
  for (const request of requests) {
    const serialized = (await wallet.signTransaction(request)) as Hex;
    const tx = decodeTransaction(hexToBytes(serialized), { chainId: 31337n });
    const parsed = EthersTransaction.from(serialized);
    assert.equal(tx.type, parsed.type);
    assert.equal(tx.sender, hexToBigint(parsed.from!));
    assert.equal(wordToHex(tx.hash), parsed.hash);
    assert.equal(wordToHex(signingHash(tx)), parsed.unsignedHash);
    assert.equal(tx.value, 42n);
    assert.equal(bytesToHex(tx.data), "0xabcdef");
    assert.equal(bytesToHex(encodeTransaction(tx)), serialized);
  }
});

test("transactions we sign are read back by viem and ethers with our sender and hash", () => {
  const key = hexToBytes(KEY);
  const common = { nonce: 9n, gasLimit: 21000n, to: hexToBigint(TO), value: 5n, data: new Uint8Array([1, 2]) };
  const unsigned: UnsignedTransaction[] = [
    { type: 0, ...common, gasPrice: 10n, accessList: [] },
    { type: 0, chainId: 31337n, ...common, gasPrice: 10n, accessList: [] },
    { type: 1, chainId: 31337n, ...common, gasPrice: 10n, accessList: [{ address: 1n, storageKeys: [2n] }] },
    { type: 2, chainId: 31337n, ...common, maxFeePerGas: 10n, maxPriorityFeePerGas: 1n, accessList: [] },
    {
      type: 3,
      chainId: 31337n,
      ...common,
      maxFeePerGas: 10n,
      maxPriorityFeePerGas: 1n,
      maxFeePerBlobGas: 1n,
      blobVersionedHashes: [hexToBigint(blobHash)],
      accessList: [],
    },
  ];
  for (const u of unsigned) {
    const signed = signTransaction(u, key);
    assert.equal(signed.sender, SENDER);
    const hex = bytesToHex(signed.raw) as Hex;
    const parsed = EthersTransaction.from(hex);
    assert.equal(parsed.from?.toLowerCase(), addressToHex(SENDER));
    assert.equal(parsed.hash, wordToHex(signed.hash));
    assert.equal(keccak256(hex), wordToHex(signed.hash));
    assert.equal(parsed.type, u.type);
    const back = decodeTransaction(signed.raw);
    assert.deepEqual(back, signed);
  }
});

test("impersonated transactions: placeholder signature, hash distinct per sender", () => {
  const u: UnsignedTransaction = {
    type: 2,
    chainId: 1n,
    nonce: 0n,
    gasLimit: 21000n,
    maxFeePerGas: 2n,
    maxPriorityFeePerGas: 1n,
    to: 5n,
    value: 0n,
    data: new Uint8Array(0),
    accessList: [],
  };
  const a = impersonatedTransaction(u, 0xaan);
  const b = impersonatedTransaction(u, 0xbbn);
  assert.equal(a.sender, 0xaan);
  assert.equal(a.r, 1n);
  assert.notEqual(a.hash, b.hash);
  assert.deepEqual(a.raw, b.raw);
});

// ---- rejections: every TxDecodeError code -------------------------------------------------------

function rejects(raw: Uint8Array | Hex, code: TxDecodeError["code"], pattern?: RegExp, chainId?: bigint) {
  const bytes = typeof raw === "string" ? hexToBytes(raw) : raw;
  assert.throws(
    () => decodeTransaction(bytes, chainId === undefined ? {} : { chainId }),
    (e: unknown) => {
      assert.ok(e instanceof TxDecodeError, String(e));
      assert.equal(e.code, code, e.message);
      if (pattern) assert.match(e.message, pattern);
      return true;
    },
  );
}

/** A viem-signed EIP-1559 transaction's payload items, to be altered and re-encoded. */
async function items1559(): Promise<Uint8Array[]> {
  const raw = hexToBytes(await account.signTransaction(viemTxs["EIP-1559"]!));
  return RLP.decode(raw.subarray(1)) as Uint8Array[];
}
const typed = (type: number, items: unknown[]) => new Uint8Array([type, ...RLP.encode(items as Uint8Array[])]);

test("RLP: malformed encodings", async () => {
  rejects(new Uint8Array(0), "RLP", /empty/);
  rejects("0x02c0ff", "RLP", /invalid RLP/); // trailing byte
  rejects("0x02f8", "RLP"); // truncated
  rejects("0x8180", "RLP", /RLP list/); // a string, not a list
  const items = await items1559();
  const good = typed(2, items);
  rejects(good.subarray(0, good.length - 1), "RLP");
  rejects("0x02820001", "RLP", /expected an RLP list/);
});

test("TYPE: unknown and unsupported types", () => {
  rejects("0x04c0", "TYPE", /EIP-7702/);
  rejects("0x05c0", "TYPE", /unknown transaction type 0x05/);
  rejects("0x00c0", "TYPE");
  rejects("0x7fc0", "TYPE");
});

test("FIELDS: counts, sizes and encodings", async () => {
  const items = await items1559();
  rejects(typed(2, items.slice(0, 11)), "FIELDS", /11 fields, expected 12/);
  rejects(typed(2, [...items, new Uint8Array(0)]), "FIELDS");
  const alter = (i: number, value: unknown) =>
    typed(
      2,
      items.map((x, j) => (j === i ? value : x)),
    );
  rejects(alter(1, new Uint8Array([0, 1])), "FIELDS", /nonce: non-canonical/);
  rejects(alter(1, new Uint8Array(9).fill(1)), "FIELDS", /nonce: 9 bytes/);
  rejects(alter(4, new Uint8Array(9).fill(1)), "FIELDS", /gasLimit/);
  rejects(alter(6, new Uint8Array(33).fill(1)), "FIELDS", /value: 33 bytes/);
  rejects(alter(5, new Uint8Array(19).fill(1)), "FIELDS", /to: 19 bytes/);
  rejects(alter(7, [new Uint8Array(1)]), "FIELDS", /data: expected a byte string/);
  rejects(alter(8, new Uint8Array(0)), "FIELDS", /accessList: expected a list/);
  rejects(alter(8, [[new Uint8Array(20)]]), "FIELDS", /accessList\[0\]/);
  rejects(alter(8, [[new Uint8Array(20), [new Uint8Array(31)]]]), "FIELDS", /storageKeys\[0\]: 31 bytes/);
  rejects(alter(8, [[new Uint8Array(21), []]]), "FIELDS", /address: 21 bytes/);
  // A blob transaction cannot create, and its sidecar (network) form is refused with a clear message.
  const blob = RLP.decode(hexToBytes(await account.signTransaction(viemTxs["EIP-4844"]!)).subarray(1)) as Uint8Array[];
  rejects(
    typed(
      3,
      blob.map((x, j) => (j === 5 ? new Uint8Array(0) : x)),
    ),
    "FIELDS",
    /cannot create/,
  );
  rejects(
    typed(
      3,
      blob.map((x, j) => (j === 10 ? [new Uint8Array(31)] : x)),
    ),
    "FIELDS",
    /blobVersionedHashes\[0\]/,
  );
  rejects(typed(3, [blob, [], [], []]), "FIELDS", /network form/);
});

test("SIGNATURE: bad v, r, s, high s, unrecoverable", async () => {
  const items = await items1559();
  const alter = (i: number, value: unknown) =>
    typed(
      2,
      items.map((x, j) => (j === i ? value : x)),
    );
  const int = (v: bigint) => (v === 0n ? new Uint8Array(0) : hexToBytes(v.toString(16)));
  rejects(alter(9, int(2n)), "SIGNATURE", /yParity = 2/);
  rejects(alter(10, int(0n)), "SIGNATURE", /\[1, n-1\]/);
  rejects(alter(10, int(SECP256K1_N)), "SIGNATURE", /\[1, n-1\]/);
  rejects(alter(11, int(0n)), "SIGNATURE");
  // The same signature with s flipped to n - s is valid ECDSA but high s (EIP-2).
  const s = hexToBigint(bytesToHex(items[11]!));
  rejects(alter(11, int(SECP256K1_N - s)), "SIGNATURE", /high-s/);
  // r = 5 is no x coordinate of a point with this parity for most hashes; try until one does not recover.
  let failed = false;
  for (let r = 1n; r < 40n && !failed; r++) {
    try {
      decodeTransaction(alter(10, int(r)));
    } catch (e) {
      assert.ok(e instanceof TxDecodeError && e.code === "SIGNATURE");
      assert.match(e.message, /no public key recovers/);
      failed = true;
    }
  }
  assert.ok(failed, "some small r should not recover");
  // Legacy v must be 27, 28 or >= 35.
  const legacy = RLP.decode(hexToBytes(await account.signTransaction(viemTxs["legacy EIP-155"]!))) as Uint8Array[];
  rejects(RLP.encode(legacy.map((x, j) => (j === 6 ? int(29n) : x))), "SIGNATURE", /v = 29/);
  // A changed field makes a different sender, not an error: the signature still recovers somebody.
  const other = decodeTransaction(alter(6, int(124n)));
  assert.notEqual(other.sender, SENDER);
});

test("CHAIN_ID: signed for another chain; pre-EIP-155 legacy accepted anywhere", async () => {
  const typedTx = hexToBytes(await account.signTransaction(viemTxs["EIP-1559"]!));
  rejects(typedTx, "CHAIN_ID", /chain 31337, expected 1/, 1n);
  assert.equal(decodeTransaction(typedTx, { chainId: 31337n }).chainId, 31337n);
  const eip155 = hexToBytes(await account.signTransaction(viemTxs["legacy EIP-155"]!));
  rejects(eip155, "CHAIN_ID", undefined, 5n);
  const pre155 = decodeTransaction(hexToBytes(await account.signTransaction(viemTxs["legacy pre-EIP-155"]!)), {
    chainId: 5n,
  });
  assert.equal(pre155.chainId, undefined);
  assert.ok(pre155.v === 27n || pre155.v === 28n);
});

test("a transaction held inside a larger buffer is copied out, not referenced", async () => {
  const raw = hexToBytes(await account.signTransaction(viemTxs["EIP-1559"]!));
  const big = new Uint8Array(raw.length + 100);
  big.set(raw, 50);
  const tx = decodeTransaction(big.subarray(50, 50 + raw.length));
  assert.notEqual(tx.raw.buffer, big.buffer);
  assert.notEqual(tx.data.buffer, big.buffer);
  assert.equal(tx.sender, SENDER);
});

test("signingHash matches viem's hash of the unsigned serialization", async () => {
  const { serializeTransaction } = await import("viem");
  for (const unsigned of Object.values(viemTxs)) {
    const tx = decodeTransaction(hexToBytes(await account.signTransaction(unsigned)));
    assert.equal(wordToHex(signingHash(tx)), keccak256(serializeTransaction(unsigned)));
  }
});
