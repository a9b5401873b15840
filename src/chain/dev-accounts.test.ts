import assert from "node:assert/strict";
import { test } from "node:test";
import { mnemonicToAccount } from "viem/accounts";
import { addressToHex, bytesToHex } from "../primitives/hex.js";
import { DEFAULT_MNEMONIC, devAccounts } from "./dev-accounts.js";

test("the default mnemonic gives anvil's well-known accounts", () => {
  const accounts = devAccounts(DEFAULT_MNEMONIC, 3);
  assert.equal(addressToHex(accounts[0]!.address), "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  assert.equal(
    bytesToHex(accounts[0]!.privateKey),
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  );
  assert.equal(addressToHex(accounts[1]!.address), "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
  assert.equal(
    bytesToHex(accounts[1]!.privateKey),
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  );
  assert.equal(addressToHex(accounts[2]!.address), "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
  // Derived again (a start checks its datadir's record against account 0): the same accounts, more where asked.
  assert.deepEqual(devAccounts(DEFAULT_MNEMONIC, 1), accounts.slice(0, 1));
  const more = devAccounts(DEFAULT_MNEMONIC, 4);
  assert.deepEqual(more.slice(0, 3), accounts);
  assert.equal(addressToHex(more[3]!.address), "0x90f79bf6eb2c4f870365e785982e1f101e93b906");
});

test("another mnemonic matches viem's derivation", () => {
  const mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";
  const ours = devAccounts(mnemonic, 2);
  for (let i = 0; i < 2; i++) {
    assert.equal(
      addressToHex(ours[i]!.address),
      mnemonicToAccount(mnemonic, { addressIndex: i }).address.toLowerCase(),
    );
  }
  // Extra whitespace is harmless; a custom path is honoured.
  assert.deepEqual(devAccounts(`  ${mnemonic.replaceAll(" ", "   ")} `, 1), devAccounts(mnemonic, 1));
  const other = devAccounts(mnemonic, 1, "m/44'/60'/1'/0/");
  assert.equal(addressToHex(other[0]!.address), mnemonicToAccount(mnemonic, { accountIndex: 1 }).address.toLowerCase());
});

test("bad mnemonics, counts and paths are errors", () => {
  assert.throws(() => devAccounts("test test test", 1), /invalid mnemonic/);
  assert.throws(() => devAccounts(DEFAULT_MNEMONIC.replace("junk", "test"), 1), /checksum/);
  assert.throws(() => devAccounts(DEFAULT_MNEMONIC, -1), /non-negative/);
  assert.throws(() => devAccounts(DEFAULT_MNEMONIC, 1, "x/1/2/"), /derivation path/);
  assert.deepEqual(devAccounts(DEFAULT_MNEMONIC, 0), []);
});
