#!/usr/bin/env bash
# The Block-STM thread-scaling run for a lent many-core machine (issue 12), in one command per side.
#
#   bash scripts/device-scaling.sh prepare   # here: fills .device/ (git-ignored, under 64 MiB)
#   bash scripts/device-scaling.sh run       # there (the device tool's `run`, carry [".device"]):
#                                            # every workload at threads 1,2,4,8,16 in ONE process run
#
# The device has no Node.js: `prepare` packs this machine's node binary (xz), an esbuild bundle of the
# CLI and of the Block-STM worker (pool.js finds ./worker.js beside the bundle), the native addons the
# bundle leaves external (lmdb, secp256k1, c-kzg and what they load) and the compiled bench contracts
# (.cache/solc), so nothing is compiled there. Ratios come from one run: compare them, not absolutes.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=.device
case "${1:-}" in
prepare)
  rm -rf "$OUT" && mkdir -p "$OUT/app"
  WEFT_DIST=dist-device node scripts/build.js
  # Compiles the bench contracts into .cache/solc once, here.
  WEFT_DIST=dist-device node bin/weft.js bench exec --workload erc20 --txs 64 --threads 1 --repeat 1 >/dev/null
  WEFT_DIST=dist-device node bin/weft.js bench exec --workload uniswap --txs 64 --threads 1 --repeat 1 >/dev/null
  WEFT_DIST=dist-device node bin/weft.js bench exec --workload rwa --txs 64 --threads 1 --repeat 1 >/dev/null
  BANNER="import { createRequire as weftCreateRequire } from 'node:module'; const require = weftCreateRequire(import.meta.url);"
  external=(--external:lmdb --external:secp256k1 --external:c-kzg --external:msgpackr-extract)
  # The entry bin/weft.js would be: import the CLI's main and run it with the arguments.
  printf 'import { main } from "./dist-device/src/cli/main.js";\nprocess.exitCode = await main(process.argv.slice(2));\n' >device-entry.tmp.mjs
  npx esbuild device-entry.tmp.mjs --bundle --platform=node --format=esm --outfile="$OUT/app/main.js" \
    "${external[@]}" --banner:js="$BANNER" --log-level=warning
  rm device-entry.tmp.mjs
  npx esbuild dist-device/src/exec/block/pool/worker.js --bundle --platform=node --format=esm --outfile="$OUT/app/worker.js" \
    "${external[@]}" --banner:js="$BANNER" --log-level=warning
  mkdir -p "$OUT/app/node_modules"
  for dir in $(npm ls --all --omit=dev --parseable lmdb secp256k1 c-kzg 2>/dev/null | grep node_modules | sort -u); do
    rel=${dir#"$PWD/"}
    mkdir -p "$OUT/app/$(dirname "$rel")" && cp -r "$dir" "$OUT/app/$rel"
  done
  # What the bench reads at run time: package versions (the artifact cache's key), Uniswap's artifacts.
  for pkg in solc @openzeppelin/contracts; do mkdir -p "$OUT/app/node_modules/$pkg" && cp "node_modules/$pkg/package.json" "$OUT/app/node_modules/$pkg/"; done
  mkdir -p "$OUT/app/node_modules/@uniswap" && cp -r node_modules/@uniswap/v2-core "$OUT/app/node_modules/@uniswap/"
  cp -r .cache "$OUT/app/.cache"
  cp package.json "$OUT/app/"
  [ -n "${NO_XZ:-}" ] || xz -6 -T2 -c "$(command -v node)" >"$OUT/node.xz"
  du -sh "$OUT"
  ;;
run)
  [ -x "$OUT/node" ] || xz -dc "$OUT/node.xz" >"$OUT/node" && chmod +x "$OUT/node"
  cd "$OUT/app"
  mkdir -p "${OUT_DIR:-${OUT:-/tmp}}"
  for args in "erc20" "transfer" "erc20-contended --accounts 1000" "erc20-contended --accounts 2" "uniswap --pairs 10000" "uniswap --pairs 1" "rwa"; do
    # shellcheck disable=SC2086
    ../node --max-semi-space-size=64 --single-threaded-gc main.js bench exec --workload $args --txs 10000 --threads 1,2,4,8,16 --repeat 5 --json
  done
  ;;
*)
  echo "usage: bash scripts/device-scaling.sh prepare|run" >&2
  exit 2
  ;;
esac
