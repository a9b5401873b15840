// Compiles every Solidity file under src/rwa/contracts/ (read from the repository root at run time, so
// contracts added to any subfolder are picked up) with solc-js, and caches the artifacts in
// <repo>/.cache/solc/ keyed by a hash of the sources, the settings and the compiler and OpenZeppelin
// versions. Files import each other by relative path and OpenZeppelin as "@openzeppelin/contracts/...".
// The optimizer is on and the target is Cancun; the IR pipeline (slower to compile) is used only when
// the legacy one reports "stack too deep".
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Abi, Hex } from "viem";
import { repoRoot } from "../bench/compile.js";

export interface RwaArtifact {
  abi: Abi;
  /** Creation code, 0x-prefixed ("0x" for interfaces and abstract contracts). */
  bytecode: Hex;
  /** Code as deployed, 0x-prefixed. */
  deployedBytecode: Hex;
  /** The source file, relative to src/rwa/contracts/ (e.g. "token/RegulatedToken.sol"). */
  file: string;
}

/** Artifacts by contract name (names are unique across src/rwa/contracts/). */
export type RwaArtifacts = Record<string, RwaArtifact>;

export interface RwaCompileOptions {
  /** The contracts folder; default <repo>/src/rwa/contracts. */
  contractsDir?: string;
  /** Folder for cached artifacts; default <repo>/.cache/solc. */
  cacheDir?: string;
  /** Called when the compiler actually runs (a cache miss), so a caller can say why it is slow. */
  onCompile?: (viaIR: boolean) => void;
}

const OUTPUTS = ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"];

function settings(viaIR: boolean) {
  return {
    evmVersion: "cancun",
    optimizer: { enabled: true, runs: 200 },
    ...(viaIR ? { viaIR: true } : {}),
    outputSelection: { "*": { "*": OUTPUTS } },
  };
}

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
}

/** Every .sol file under `dir`, as source unit name (path relative to `dir`, "/"-separated) -> text. */
export function readRwaSources(dir: string): Record<string, string> {
  const sources: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".sol")) sources[relative(dir, path).split(sep).join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return sources;
}

const OZ_PREFIX = "@openzeppelin/contracts/";

/** Import callback: OpenZeppelin from the installed package. Relative imports between our files
 * resolve to source unit names already in the input, so solc never asks for them. */
function findImport(path: string): { contents: string } | { error: string } {
  if (!path.startsWith(OZ_PREFIX))
    return { error: `import not found: ${path} (only @openzeppelin/contracts/ and relative paths)` };
  const base = dirname(require.resolve(`${OZ_PREFIX}package.json`));
  const file = resolve(base, path.slice(OZ_PREFIX.length));
  if (!file.startsWith(base + sep)) return { error: `import outside @openzeppelin/contracts: ${path}` };
  try {
    return { contents: readFileSync(file, "utf8") };
  } catch {
    return { error: `import not found: ${path}` };
  }
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string; message: string }[];
  contracts?: Record<
    string,
    Record<string, { abi: Abi; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>
  >;
}

type Solc = { compile(input: string, callbacks: { import: typeof findImport }): string };

function runSolc(solc: Solc, sources: Record<string, string>, viaIR: boolean): SolcOutput {
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([file, content]) => [file, { content }])),
    settings: settings(viaIR),
  };
  return JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput;
}

function errorsOf(output: SolcOutput) {
  return (output.errors ?? []).filter((e) => e.severity === "error");
}

function collect(output: SolcOutput, sources: Record<string, string>): RwaArtifacts {
  const out: RwaArtifacts = {};
  for (const file of Object.keys(sources)) {
    for (const [name, c] of Object.entries(output.contracts?.[file] ?? {})) {
      const previous = out[name];
      if (previous) {
        throw new Error(`rwa: contract name ${name} is declared in both ${previous.file} and ${file}; rename one`);
      }
      out[name] = {
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
        file,
      };
    }
  }
  return out;
}

/** Compiles the RWA contracts, or returns the cached artifacts of identical sources. */
export async function compileRwa(options: RwaCompileOptions = {}): Promise<RwaArtifacts> {
  const root = repoRoot();
  const dir = options.contractsDir ?? join(root, "src", "rwa", "contracts");
  const sources = readRwaSources(dir);
  if (Object.keys(sources).length === 0) throw new Error(`rwa: no .sol files under ${dir}`);
  // Imported OpenZeppelin files are not in the sources, so their package version is part of the key.
  const key = createHash("sha256")
    .update(`rwa\nsolc ${packageVersion("solc")}\nopenzeppelin ${packageVersion("@openzeppelin/contracts")}\n`)
    .update(JSON.stringify([settings(false), settings(true)]))
    .update(JSON.stringify(sources))
    .digest("hex")
    .slice(0, 32);
  const cacheDir = options.cacheDir ?? join(root, ".cache", "solc");
  const cacheFile = join(cacheDir, `rwa-${key}.json`);
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, "utf8")) as RwaArtifacts;

  // solc is a dev dependency and loading it costs seconds: import it only on a cache miss.
  const solc = (await import("solc")).default as Solc;
  options.onCompile?.(false);
  let output = runSolc(solc, sources, false);
  let errors = errorsOf(output);
  if (errors.some((e) => /stack too deep/i.test(e.message))) {
    options.onCompile?.(true);
    output = runSolc(solc, sources, true);
    errors = errorsOf(output);
  }
  if (errors.length > 0) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const artifacts = collect(output, sources);

  mkdirSync(cacheDir, { recursive: true });
  // Write then rename, so a concurrent reader (parallel test files) never sees half a file.
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(artifacts));
  renameSync(tmp, cacheFile);
  return artifacts;
}

let loaded: Promise<RwaArtifacts> | undefined;

/** The RWA contracts' artifacts ({name: {abi, bytecode, ...}}), compiled once per process. */
export function rwaArtifacts(): Promise<RwaArtifacts> {
  loaded ??= compileRwa().catch((e: unknown) => {
    loaded = undefined; // let a later call retry (e.g. after a source is fixed)
    throw e;
  });
  return loaded;
}
