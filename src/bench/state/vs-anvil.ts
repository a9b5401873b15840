// `weft bench state --accounts N --vs-anvil`: one geth-style genesis.json of N token holders, loaded
// side by side by `anvil --init` and `weft node --genesis --datadir` (each measured until it answers
// eth_blockNumber, and its resident memory at rest), then weft restarted on the datadir it made.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { anvilBinary } from "../e2e/node-process.js";
import { writeBenchGenesisFile } from "./datadir.js";
import { diskBytes, measureReady, measureRestart, type RestartFigures } from "./measure.js";

export interface VsAnvilResult {
  accounts: number;
  genesisMB: number;
  anvil: RestartFigures;
  weft: RestartFigures;
  weftRestart: RestartFigures;
  datadirMB: number;
}

/** Runs the comparison in `dir` (a new folder: genesis.json and weft's datadir go there). */
export async function benchVsAnvil(
  dir: string,
  accounts: number,
  tokenCode: Uint8Array,
  progress: (line: string) => void,
): Promise<VsAnvilResult> {
  const genesis = join(dir, "genesis.json");
  const datadir = join(dir, "datadir");
  mkdirSync(dir, { recursive: true });
  progress(`writing ${genesis} (${accounts} holders) ...`);
  const genesisBytes = writeBenchGenesisFile(genesis, accounts, tokenCode);
  progress(`${(genesisBytes / 1e6).toFixed(1)} MB; anvil --init ...`);
  const anvil = await measureReady(anvilBinary(), (port) => ["--init", genesis, "--port", String(port)]);
  progress(`anvil ready in ${anvil.readySeconds.toFixed(2)} s; weft node --genesis ...`);
  const weft = await measureRestart(datadir, ["--genesis", genesis]);
  progress(`weft ready in ${weft.readySeconds.toFixed(2)} s; weft restart ...`);
  const weftRestart = await measureRestart(datadir);
  return {
    accounts,
    genesisMB: genesisBytes / 1e6,
    anvil,
    weft,
    weftRestart,
    datadirMB: diskBytes(datadir) / 1e6,
  };
}

export function printVsAnvil(r: VsAnvilResult): void {
  const s = (f: RestartFigures) => `${f.readySeconds.toFixed(2)} s`;
  const m = (f: RestartFigures) => `${Math.round(f.rssMiB)} MiB`;
  const rows = [
    ["", "anvil --init", "weft node --genesis"],
    ["ready to answer", s(r.anvil), s(r.weft)],
    ["RSS at rest", m(r.anvil), m(r.weft)],
    ["restart on the datadir", "(in memory)", `${s(r.weftRestart)}, ${m(r.weftRestart)}`],
    ["data on disk", "-", `${r.datadirMB.toFixed(0)} MB`],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
  console.log(`${r.accounts.toLocaleString("en-US")} accounts, genesis.json ${r.genesisMB.toFixed(1)} MB`);
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));
}
