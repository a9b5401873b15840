import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CREATE2_DEPLOYER_ADDRESS, CREATE2_DEPLOYER_CODE } from "../chain/create2-deployer.js";
import { devGenesis, genesisStateRoot, writeGenesisState } from "../chain/genesis.js";
import type { StateBulkLoader } from "../state/trie/bulk-load.js";
import { defaultConfig } from "./config.js";
import { genesisToJson, resolveGenesis, storeGenesis } from "./genesis-file.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-genesis-file-"));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const now = () => 1_700_000_000n;

test("a new dev chain's genesis holds the CREATE2 deployer beside the dev accounts", () => {
  const { spec, existing } = resolveGenesis({ ...defaultConfig(), datadir: tempDir() }, [1n], now);
  assert.equal(existing, false);
  const proxy = spec.alloc.get(CREATE2_DEPLOYER_ADDRESS);
  assert.deepEqual(proxy, { balance: 0n, nonce: 0n, code: CREATE2_DEPLOYER_CODE, storage: new Map() });
  assert.equal(CREATE2_DEPLOYER_CODE.length, 69);
  assert.ok(spec.alloc.has(1n));
});

test("a --genesis file gets the deployer too (as anvil's --init), unless it allocates that address", () => {
  const dir = tempDir();
  const file = join(dir, "user.json");
  writeFileSync(file, JSON.stringify({ config: { chainId: 5 }, alloc: {} }));
  const placed = resolveGenesis({ ...defaultConfig(), datadir: join(dir, "a"), genesisFile: file }, [], now);
  assert.deepEqual(placed.spec.alloc.get(CREATE2_DEPLOYER_ADDRESS)?.code, CREATE2_DEPLOYER_CODE);

  const own = { balance: "0x7", code: "0x00" };
  writeFileSync(
    file,
    JSON.stringify({ config: { chainId: 5 }, alloc: { "0x4e59b44847b379578588920ca78fbf26c0b4956c": own } }),
  );
  const kept = resolveGenesis({ ...defaultConfig(), datadir: join(dir, "b"), genesisFile: file }, [], now);
  const written = new Map<bigint, bigint>();
  const loader = { addAccount: (address: bigint, a: { balance: bigint }) => written.set(address, a.balance) };
  writeGenesisState({ ...loader, finish: () => 0n } as unknown as StateBulkLoader, kept.spec);
  assert.deepEqual([...written], [[CREATE2_DEPLOYER_ADDRESS, 7n]]);
});

test("an existing chain keeps its stored genesis: one made without the deployer does not gain it", () => {
  const datadir = tempDir();
  const old = devGenesis({ chainId: 31337n, accounts: [1n], balance: 10n, timestamp: 5n });
  storeGenesis(datadir, old);
  const { spec, existing } = resolveGenesis({ ...defaultConfig(), datadir }, [1n], now);
  assert.equal(existing, true);
  assert.equal(spec.alloc.has(CREATE2_DEPLOYER_ADDRESS), false);
  assert.equal(genesisStateRoot(spec), genesisStateRoot(old));
  assert.deepEqual(genesisToJson(spec), genesisToJson(old));
});
