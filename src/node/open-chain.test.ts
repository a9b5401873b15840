// Which chain a node opens: a fresh one in a temporary folder by default (removed on release), a kept
// one in --datadir with the dev accounts it was made with (recorded; different flags refused), and a
// state file loaded on top.
import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { TempDirs } from "../chain/chain-testkit.js";
import { devAccounts } from "../chain/dev-accounts.js";
import { defaultConfig, type GenesisFlag, type NodeConfig } from "./config.js";
import { DEV_ACCOUNTS_FILE } from "./dev-accounts-record.js";
import { openChain } from "./open-chain.js";

const dirs = new TempDirs();
after(() => dirs.cleanup());
const tempDir = (): string => dirs.make();

const OTHER_MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const now = () => 1_700_000_000n;

function config(over: Partial<NodeConfig> = {}, given: GenesisFlag[] = []): NodeConfig {
  return { ...defaultConfig(), accounts: 2, silent: true, ...over, given: new Set(given) };
}

/** Opens, runs `check`, closes and releases. */
async function withChain(
  c: NodeConfig,
  check: (opened: Awaited<ReturnType<typeof openChain>>) => void | Promise<void>,
): Promise<void> {
  const opened = await openChain(c, now);
  try {
    await check(opened);
  } finally {
    await opened.chain.close();
    opened.release();
  }
}

test("no --datadir: a fresh chain in a temporary folder, removed on release", async () => {
  let folder = "";
  await withChain(config(), ({ config, temporary, chain }) => {
    folder = config.datadir;
    assert.equal(temporary, true);
    assert.ok(existsSync(folder));
    assert.equal(chain.created, true);
  });
  assert.equal(existsSync(folder), false, "the temporary folder is gone");
});

test("a kept chain takes its recorded account count and balance; a different one given is refused", async () => {
  const datadir = tempDir();
  await withChain(config({ datadir, accounts: 3, balance: 7n }, ["accounts", "balance"]), ({ temporary }) => {
    assert.equal(temporary, false);
  });
  assert.ok(existsSync(join(datadir, DEV_ACCOUNTS_FILE)));
  await withChain(config({ datadir }), ({ config, accounts, chain }) => {
    assert.equal(config.accounts, 3);
    assert.equal(accounts.length, 3);
    assert.equal(config.balance, 7n);
    assert.equal(chain.state().account(accounts[2]!.address)?.balance, 7n);
  });
  await assert.rejects(
    openChain(config({ datadir, accounts: 20 }, ["accounts"]), now),
    new RegExp(`^Error: ${datadir} holds a chain made with --accounts 3, not 20; give the same, leave the flag out`),
  );
  await assert.rejects(openChain(config({ datadir, balance: 8n }, ["balance"]), now), /--balance of 7 wei, not 8/);
  await assert.rejects(
    openChain(config({ datadir, mnemonic: OTHER_MNEMONIC }, ["mnemonic"]), now),
    /made with another --mnemonic: its account 0 is 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266, this one's 0x9858/,
  );
  await assert.rejects(
    openChain(config({ datadir, derivationPath: "m/44'/60'/1'/0/" }, ["derivation-path"]), now),
    /--derivation-path m\/44'\/60'\/0'\/0\/, not m\/44'\/60'\/1'\/0\//,
  );
  // A refusal leaves the kept chain as it was.
  await withChain(config({ datadir, accounts: 3 }, ["accounts"]), ({ chain }) => assert.equal(chain.created, false));
});

test("a chain kept with another mnemonic is refused when no --mnemonic is given", async () => {
  const datadir = tempDir();
  await withChain(config({ datadir, mnemonic: OTHER_MNEMONIC }, ["mnemonic"]), () => {});
  await assert.rejects(openChain(config({ datadir }), now), /made with a --mnemonic \(not the default one\)/);
});

test("a chain kept before records were kept: dev accounts its genesis did not fund are refused", async () => {
  const datadir = tempDir();
  await withChain(config({ datadir, accounts: 2 }, ["accounts"]), () => {});
  rmSync(join(datadir, DEV_ACCOUNTS_FILE));
  await assert.rejects(
    openChain(config({ datadir, accounts: 4 }, ["accounts"]), now),
    /genesis did not fund dev account \(2\) 0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc: it was made with fewer --accounts/,
  );
  // Accepted as it was made, and recorded from then on.
  await withChain(config({ datadir, accounts: 2 }, ["accounts"]), () => {});
  assert.ok(existsSync(join(datadir, DEV_ACCOUNTS_FILE)));
});

test("--load-state: the file's accounts on top of the genesis; a bad file names itself", async () => {
  const file = join(tempDir(), "state.json");
  const dev0 = devAccounts(defaultConfig().mnemonic, 1)[0]!.address;
  writeFileSync(
    file,
    JSON.stringify({
      accounts: {
        "0x1000000000000000000000000000000000000001": { nonce: 3, balance: "0x9", code: "0x6001", storage: {} },
        [`0x${dev0.toString(16)}`]: { nonce: 0, balance: "0x5", code: "0x", storage: {} },
      },
    }),
  );
  await withChain(config({ loadStateFile: file }), ({ chain }) => {
    assert.equal(chain.state().account(0x1000000000000000000000000000000000000001n)?.nonce, 3n);
    assert.equal(chain.state().account(dev0)?.balance, 5n);
  });
  writeFileSync(file, "{ not json");
  await assert.rejects(
    openChain(config({ loadStateFile: file }), now),
    new RegExp(`^Error: ${file}: state dump: not JSON`),
  );
});
