// Flags for the JavaScript runtime that runs a busy node. A block allocates hundreds of megabytes of
// short-lived objects (receipts, trie nodes, RLP); V8's default 16 MiB young generation scavenges
// about twice as often as a 64 MiB one, and every scavenge stops the main thread. They can only be
// given on the command line (V8 sizes the heap at start), so `npm start` passes the same ones.
export const NODE_RUNTIME_FLAGS: readonly string[] = ["--max-semi-space-size=64"];
