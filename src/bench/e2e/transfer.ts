// The transfer workload: a native ether transfer from every sender to a fresh receiver (21,000 gas,
// no contract): the node's per-transaction cost without the EVM's.
import { addressToHex } from "../../primitives/hex.js";
import { receiverAddress } from "./plan.js";
import type { E2eWorkload } from "./workload.js";

const VALUE = 1000n;

export const transferWorkload: E2eWorkload = {
  name: "transfer",
  description: `native transfer of ${VALUE} wei, a fresh receiver per transaction`,
  gasLimit: 21_000n,
  value: VALUE,
  genesisSetup() {
    return {};
  },
  async genesis() {
    return new Map();
  },
  async deploy() {
    return {};
  },
  async fund() {},
  call(_setup, plan, k) {
    return { to: receiverAddress(plan, k), value: VALUE, data: new Uint8Array(0) };
  },
  probes(_setup, plan, k) {
    return [
      {
        label: `balance of tx ${k}'s receiver`,
        method: "eth_getBalance",
        params: [addressToHex(receiverAddress(plan, k)), "latest"],
        expected: VALUE,
      },
    ];
  },
};
