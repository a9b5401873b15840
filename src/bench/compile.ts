// Compiles the benchmark contracts with solc-js and caches the artifacts in <repo>/.cache/solc/,
// keyed by a hash of everything that decides the output: loading and running solc-js takes a second
// or more per run, a cache hit a few milliseconds (and does not even load the compiler).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { hexToBytes } from "../primitives/hex.js";

export interface Artifact {
  /** Creation code (constructor arguments are appended by the deployer). */
  bytecode: Uint8Array;
  /** Code as deployed. */
  deployedBytecode: Uint8Array;
  /** Function signature -> 4-byte selector as hex without 0x, e.g. "transfer(address,uint256)". */
  methodIdentifiers: Record<string, string>;
}

/** Artifacts by source file, then contract name. */
export type Artifacts = Record<string, Record<string, Artifact>>;

// Cancun is what the conformance fixtures (and so the interpreter) target; solc's newer default
// would emit opcodes the EVM does not have yet.
const SETTINGS = {
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { "*": { "*": ["evm.bytecode.object", "evm.deployedBytecode.object", "evm.methodIdentifiers"] } },
};

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
}

/** The repository root: the nearest folder above this module holding package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("weft: cannot find the repository root (no package.json above dist/)");
    dir = parent;
  }
  return dir;
}

const OZ_PREFIX = "@openzeppelin/contracts/";

/** Import callback for solc: resolves OpenZeppelin imports from the installed package only. */
function findImport(path: string): { contents: string } | { error: string } {
  if (!path.startsWith(OZ_PREFIX)) return { error: `import not found: ${path}` };
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
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<
    string,
    Record<
      string,
      {
        evm: {
          bytecode: { object: string };
          deployedBytecode: { object: string };
          methodIdentifiers: Record<string, string>;
        };
      }
    >
  >;
}

type CachedArtifacts = Record<
  string,
  Record<string, { bytecode: string; deployedBytecode: string; methodIdentifiers: Record<string, string> }>
>;

function revive(cached: CachedArtifacts): Artifacts {
  const out: Artifacts = {};
  for (const [file, contracts] of Object.entries(cached)) {
    out[file] = {};
    for (const [name, c] of Object.entries(contracts)) {
      out[file][name] = {
        bytecode: hexToBytes(c.bytecode),
        deployedBytecode: hexToBytes(c.deployedBytecode),
        methodIdentifiers: c.methodIdentifiers,
      };
    }
  }
  return out;
}

export interface CompileOptions {
  /** Folder for cached artifacts; default <repo>/.cache/solc. */
  cacheDir?: string;
  /** Called once when the compiler actually runs (a cache miss), so a CLI can say why it is slow. */
  onCompile?: () => void;
}

/** Compiles `sources` (file name -> Solidity), or returns the cached artifacts of an identical input. */
export async function compileSources(
  sources: Record<string, string>,
  options: CompileOptions = {},
): Promise<Artifacts> {
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([file, content]) => [file, { content }])),
    settings: SETTINGS,
  };
  const inputJson = JSON.stringify(input);
  // Imported OpenZeppelin files are not in the input, so their package version is part of the key.
  const key = createHash("sha256")
    .update(`solc ${packageVersion("solc")}\nopenzeppelin ${packageVersion("@openzeppelin/contracts")}\n`)
    .update(inputJson)
    .digest("hex")
    .slice(0, 32);
  const cacheDir = options.cacheDir ?? join(repoRoot(), ".cache", "solc");
  const cacheFile = join(cacheDir, `${key}.json`);
  if (existsSync(cacheFile)) return revive(JSON.parse(readFileSync(cacheFile, "utf8")) as CachedArtifacts);

  options.onCompile?.();
  // solc is a dev dependency and loading it costs seconds: import it only on a cache miss.
  const solc = (await import("solc")).default;
  const output = JSON.parse(solc.compile(inputJson, { import: findImport })) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);

  const cached: CachedArtifacts = {};
  for (const file of Object.keys(sources)) {
    cached[file] = {};
    for (const [name, c] of Object.entries(output.contracts?.[file] ?? {})) {
      cached[file][name] = {
        bytecode: c.evm.bytecode.object,
        deployedBytecode: c.evm.deployedBytecode.object,
        methodIdentifiers: c.evm.methodIdentifiers,
      };
    }
  }
  mkdirSync(cacheDir, { recursive: true });
  // Write then rename, so a concurrent reader (parallel test files) never sees half a file.
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(cached));
  renameSync(tmp, cacheFile);
  return revive(cached);
}
