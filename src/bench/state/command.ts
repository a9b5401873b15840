// `weft bench state --accounts N [--datadir DIR] [--keep] [--json]`: writes a datadir of N funded
// token holders straight into LMDB, then measures a restarted node and the state's root updates.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compileBenchContracts } from "../workloads.js";
import { writeStateDatadir } from "./datadir.js";
import { diskBytes, measureReadRate, measureRestart, measureRootUpdates, type RootFigures } from "./measure.js";
import { benchVsAnvil, printVsAnvil } from "./vs-anvil.js";

export const BENCH_STATE_USAGE = `Usage: weft bench state --accounts N [--vs-anvil] [--datadir DIR] [--keep] [--json]

Writes a datadir holding N accounts, each funded with ether and holding a balance of one
OpenZeppelin ERC-20 token (a storage slot of the token per holder), straight into LMDB, then
measures: the time until a restarted 'weft node --datadir' answers eth_blockNumber, that node's
resident memory at rest, the state-root update of blocks of 1,000 and 10,000 transfers between
random holders, the random account-read rate, and the datadir's size.

With --vs-anvil it writes the same accounts as a geth-style genesis.json instead and measures,
side by side, 'anvil --init genesis.json' and 'weft node --genesis genesis.json --datadir D'
until each answers eth_blockNumber, the RSS of each at rest, then weft restarted on D.

Options:
  --accounts N   token holders to write (a positive integer)
  --vs-anvil     compare loading a genesis.json of them with anvil's --init
  --datadir DIR  where to write it (a new folder; default: a temporary one, removed afterwards;
                 with --vs-anvil it holds genesis.json and weft's datadir)
  --keep         keep the datadir afterwards
  --json         one JSON line instead of a table
  -h, --help     this text`;

const BLOCK_SIZES = [1_000, 10_000] as const;
const READS = 200_000;

export interface StateBenchResult {
  accounts: number;
  writeSeconds: number;
  datadirMB: number;
  restartSeconds: number;
  rssMiB: number;
  rootUpdates: RootFigures[];
  accountReadsPerSecond: number;
}

export async function benchStateCommand(args: string[]): Promise<number> {
  let values: {
    accounts?: string;
    datadir?: string;
    keep?: boolean;
    json?: boolean;
    help?: boolean;
    "vs-anvil"?: boolean;
  };
  try {
    values = parseArgs({
      args,
      options: {
        accounts: { type: "string" },
        datadir: { type: "string" },
        keep: { type: "boolean" },
        json: { type: "boolean" },
        "vs-anvil": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (values.help) {
    console.log(BENCH_STATE_USAGE);
    return 0;
  }
  if (values.accounts === undefined) return usageError("--accounts is required");
  if (!/^[1-9][0-9]*$/.test(values.accounts) || Number(values.accounts) > 100_000_000) {
    return usageError(`--accounts: expected a positive integer up to 100000000, got '${values.accounts}'`);
  }
  const accounts = Number(values.accounts);
  const datadir = values.datadir ?? join(mkdtempSync(join(tmpdir(), "weft-bench-state-")), "datadir");
  const progress = values.json ? () => undefined : (line: string) => console.error(line);
  try {
    if (values["vs-anvil"]) {
      const code = (await compileBenchContracts()).token.deployedBytecode;
      const result = await benchVsAnvil(datadir, accounts, code, progress);
      if (values.json) console.log(JSON.stringify(result));
      else printVsAnvil(result);
      return 0;
    }
    const result = await benchState(datadir, accounts, progress);
    if (values.json) console.log(JSON.stringify(result));
    else printTable(result);
    return 0;
  } finally {
    if (!values.keep) rmSync(values.datadir ?? join(datadir, ".."), { recursive: true, force: true });
  }
}

export async function benchState(
  datadir: string,
  accounts: number,
  progress: (line: string) => void,
): Promise<StateBenchResult> {
  const token = (await compileBenchContracts()).token;
  progress(`writing ${accounts} holders into ${datadir} ...`);
  const written = await writeStateDatadir(datadir, accounts, token.deployedBytecode);
  progress(`written in ${written.seconds.toFixed(1)} s; restarting a node on it ...`);
  const restart = await measureRestart(datadir);
  progress(`ready in ${restart.readySeconds.toFixed(2)} s; root updates ...`);
  const rootUpdates = measureRootUpdates(datadir, accounts, BLOCK_SIZES);
  const accountReadsPerSecond = measureReadRate(datadir, accounts, READS);
  return {
    accounts,
    writeSeconds: round(written.seconds, 2),
    datadirMB: round(diskBytes(datadir) / 1e6, 1),
    restartSeconds: round(restart.readySeconds, 2),
    rssMiB: round(restart.rssMiB, 0),
    rootUpdates: rootUpdates.map((r) => ({ ...r, rootMs: round(r.rootMs, 1), commitMs: round(r.commitMs, 1) })),
    accountReadsPerSecond: round(accountReadsPerSecond, 0),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function printTable(r: StateBenchResult): void {
  const rows: [string, string][] = [
    ["accounts", r.accounts.toLocaleString("en-US")],
    ["datadir written in", `${r.writeSeconds} s`],
    ["datadir size", `${r.datadirMB} MB`],
    ["restart until eth_blockNumber", `${r.restartSeconds} s`],
    ["node RSS at rest", `${r.rssMiB} MiB`],
    ...r.rootUpdates.map((u): [string, string] => [
      `root update, ${u.transfers} transfers`,
      `${u.rootMs} ms (+ commit ${u.commitMs} ms)`,
    ]),
    ["random account reads", `${r.accountReadsPerSecond.toLocaleString("en-US")} /s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

function usageError(message: string): number {
  console.error(`weft bench state: ${message}\n\n${BENCH_STATE_USAGE}`);
  return 2;
}
