// `weft db check <datadir>`: the checks a node makes of its chain store when it starts (LMDB's meta
// pages against the file, the blocks' links, the state against the head's root), over every block,
// read-only (a node may be running on it). Exit 0 when sound, 1 when damaged, 2 for a bad command
// line. Also the repair advice `weft node` prints when it finds damage.

export const DB_USAGE = `Usage: weft db check <datadir>

Checks the chain store in <datadir> (one kept by weft node --datadir) without changing it: LMDB's meta
pages against the file's size, every block's header, hash, parent link, transactions and receipts,
and the stored state against the head block's state root. Safe while a node runs on it.
Exit code: 0 sound, 1 damaged (the message says what and how to repair), 2 bad usage.`;

export async function dbCommand(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) {
    console.log(DB_USAGE);
    return 0;
  }
  const [sub, datadir, ...rest] = args;
  if (sub !== "check" || datadir === undefined || datadir.startsWith("-") || rest.length > 0) {
    console.error(`weft db: expected 'check <datadir>'\n\n${DB_USAGE}`);
    return 2;
  }
  const { existsSync } = await import("node:fs");
  if (!existsSync(datadir)) {
    console.error(`weft db check: ${datadir} does not exist`);
    return 1;
  }
  const { checkChainDatadir } = await import("../chain/chain-check.js");
  const { StoreDamagedError } = await import("../state/store-errors.js");
  const { wordToHex } = await import("../primitives/hex.js");
  try {
    const report = await checkChainDatadir(datadir);
    const state = report.stateMatchesHead
      ? "the state matches its state root"
      : "the state has dev edits made after it (not compared)";
    console.log(
      `${datadir}: sound. Head block ${report.head} (${wordToHex(report.headHash)}); ` +
        `every block links to its parent; ${state}; ${report.fileBytes} bytes.`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof StoreDamagedError)) throw error;
    console.error(`weft db check: ${error.message}. ${repairAdvice(datadir)}`);
    return 1;
  }
}

/** How to get going again from a damaged datadir (nothing was changed in it). */
export function repairAdvice(datadir: string): string {
  const dir = shellWord(datadir);
  const aside = shellWord(`${datadir.replace(/\/+$/, "")}.damaged`);
  return `Nothing was changed. Restore ${dir} from a backup, or move it aside and start a new chain: mv ${dir} ${aside}`;
}

/** `word` as one shell word (quoted only where it needs to be). */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
