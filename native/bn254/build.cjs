// npm's install step for this addon: `cargo build --release` (versions pinned by Cargo.lock), then the
// shared library copied to weft_bn254.node, the name index.cjs loads. Weft lists the addon as an
// optional dependency: where cargo is missing or the build fails, npm leaves it out: the bn254
// precompiles then run on mcl-wasm and signer recovery on the npm secp256k1 package instead.
const { spawnSync } = require("node:child_process");
const { copyFileSync } = require("node:fs");
const { join } = require("node:path");

const cargo = spawnSync("cargo", ["build", "--release", "--locked"], { cwd: __dirname, stdio: "inherit" });
if (cargo.error !== undefined || cargo.status !== 0) {
  console.error(`weft-bn254-native: cargo build failed (${cargo.error?.message ?? `exit ${cargo.status}`})`);
  process.exit(1);
}
const library = { darwin: "libweft_bn254.dylib", win32: "weft_bn254.dll" }[process.platform] ?? "libweft_bn254.so";
copyFileSync(join(__dirname, "target", "release", library), join(__dirname, "weft_bn254.node"));
