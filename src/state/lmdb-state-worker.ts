// Worker-thread side of the LMDB tests (not a test itself): opens the environment named in
// `workerData` read-only and posts back what `Host` reads there.
import { parentPort, workerData } from "node:worker_threads";
import { LmdbState } from "./lmdb-state.js";

const { path, address, slot } = workerData as { path: string; address: bigint; slot: bigint };
const state = LmdbState.openReadOnly(path);
parentPort!.postMessage({
  account: state.account(address),
  storage: state.storage(address, slot),
  hasStorage: state.hasStorage(address),
  code: state.code(address),
  stateRoot: state.stateRoot(),
});
await state.close();
