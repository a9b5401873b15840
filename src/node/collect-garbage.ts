// A full garbage collection, on request. After a large genesis load the main thread's heap holds
// what the load no longer needs (parsed entries, key and value batches, the shared copies of a large
// storage's slots, whose memory is outside the heap) until V8's next major collection, and a node at
// rest allocates too little to reach one: its resident memory stays hundreds of MiB above what it
// uses. V8 offers the collection only behind --expose-gc; the flag is set here, where it is needed,
// so the node need not run under it.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}
