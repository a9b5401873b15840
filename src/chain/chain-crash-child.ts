// Child process of the chain's crash test (not a test itself). Usage:
//   node chain-crash-child.js DATADIR
// Opens (or resumes) the test chain in DATADIR and mines blocks of transfers (and now and then a
// contract creation) forever, printing "NUMBER HASH STATE_ROOT" (hex) once each `mine` has resolved.
// The parent kills it with SIGKILL at a random moment and checks every printed block survived.
import { Chain } from "./chain.js";
import { ALICE, BOB, CAROL, GENESIS_TIME, storeAndLogInitcode, testGenesis, tx } from "./chain-testkit.js";

const [datadir] = process.argv.slice(2);
if (datadir === undefined) throw new Error("usage: chain-crash-child.js DATADIR");
const chain = await Chain.open({ datadir, genesis: testGenesis() });
const nonce = (a: bigint) => chain.state().account(a)?.nonce ?? 0n;
for (;;) {
  const n = chain.head().header.number + 1n;
  const txs = [
    tx(ALICE, { nonce: nonce(ALICE), to: BOB, value: n }),
    tx(BOB, { nonce: nonce(BOB), to: CAROL, value: 2n * n }),
    n % 4n === 0n
      ? tx(CAROL, { nonce: nonce(CAROL), to: null, data: storeAndLogInitcode(), gasLimit: 200_000n })
      : tx(CAROL, { nonce: nonce(CAROL), to: ALICE, value: 3n * n }),
  ];
  const { block } = await chain.mine(txs, { timestamp: GENESIS_TIME + n });
  // stdout to a pipe is synchronous on Linux: the line is out before the next block starts.
  process.stdout.write(`${block.header.number} ${block.hash.toString(16)} ${block.header.stateRoot.toString(16)}\n`);
}
