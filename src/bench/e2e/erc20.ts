// The erc20 workload: OpenZeppelin ERC20 transfer(receiver, 1) from every sender to a fresh receiver.
// On a chain the bench starts, the token is in the genesis: its deployed code at a fixed address and
// its storage written directly (OpenZeppelin 5's layout: _balances slot 0, _allowances 1,
// _totalSupply 2, _name 3, _symbol 4), so no deployment or token funding has to run first.
import type { GenesisAccount } from "../../chain/genesis.js";
import {
  addressToHex,
  bigintToBytes,
  bytesToBigint,
  bytesToHex,
  concatBytes,
  hexToBytes,
} from "../../primitives/hex.js";
import { keccak256Word } from "../../primitives/keccak.js";
import { encodeWords } from "../abi.js";
import { receiverAddress, senderIndex, txsOfSender } from "./plan.js";
import type { E2eWorkload, FunderCall, Probe } from "./workload.js";

/** Where the token sits in a genesis the bench writes. */
export const TOKEN_ADDRESS = 0x7e57000000000000000000000000000000e2e20cn;
/** Each sender's token balance before the run: 1000 tokens of 18 decimals. */
export const TOKENS_PER_SENDER = 1000n * 10n ** 18n;
export const TOKEN_NAME = "Bench Token";
export const TOKEN_SYMBOL = "BENCH";
/** Selectors (test-checked against the compiled artifact): the signing workers need them without solc. */
export const TRANSFER_SELECTOR = "a9059cbb";
export const BALANCE_OF_SELECTOR = "70a08231";
export const BALANCES_SLOT = 0n;
export const TOTAL_SUPPLY_SLOT = 2n;
export const NAME_SLOT = 3n;
export const SYMBOL_SLOT = 4n;

/** The storage slot of `_balances[holder]`: keccak256(pad32(holder) ++ pad32(slot of the mapping)). */
export function balanceSlot(holder: bigint): bigint {
  return keccak256Word(concatBytes(bigintToBytes(holder, 32), bigintToBytes(BALANCES_SLOT, 32)));
}

/** A Solidity `string` of at most 31 bytes as its storage word: the bytes left-aligned, length * 2 in the last byte. */
export function shortStringWord(s: string): bigint {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length > 31) throw new Error(`'${s}' is longer than 31 bytes: not a short string`);
  const word = new Uint8Array(32);
  word.set(bytes, 0);
  word[31] = bytes.length * 2;
  return bytesToBigint(word);
}

/** The token's storage with `holders` holding TOKENS_PER_SENDER each (and nobody else holding any). */
export function tokenStorage(holders: readonly bigint[]): Map<bigint, bigint> {
  const storage = new Map<bigint, bigint>();
  for (const h of holders) storage.set(balanceSlot(h), TOKENS_PER_SENDER);
  storage.set(TOTAL_SUPPLY_SLOT, TOKENS_PER_SENDER * BigInt(holders.length));
  storage.set(NAME_SLOT, shortStringWord(TOKEN_NAME));
  storage.set(SYMBOL_SLOT, shortStringWord(TOKEN_SYMBOL));
  return storage;
}

function call(selector: string, args: bigint[]): Uint8Array {
  return concatBytes(hexToBytes(selector), encodeWords(args));
}

async function tokenArtifact() {
  const { compileBenchContracts } = await import("../workloads.js");
  return (await compileBenchContracts()).token;
}

export const erc20Workload: E2eWorkload = {
  name: "erc20",
  description: "OpenZeppelin ERC20 transfer(receiver, 1), a fresh receiver per transaction",
  gasLimit: 80_000n,
  value: 0n,

  genesisSetup() {
    return { token: TOKEN_ADDRESS };
  },

  async genesis(setup, _plan, senders) {
    const token = await tokenArtifact();
    return new Map<bigint, GenesisAccount>([
      [setup.token!, { balance: 0n, nonce: 1n, code: token.deployedBytecode, storage: tokenStorage(senders) }],
    ]);
  },

  async deploy(funder, plan) {
    const token = await tokenArtifact();
    const supply = TOKENS_PER_SENDER * BigInt(plan.accounts);
    const [address] = await funder.send(
      [{ to: null, value: 0n, data: concatBytes(token.bytecode, encodeWords([supply])), gasLimit: 3_000_000n }],
      "deploying the token",
    );
    if (address === undefined) throw new Error("the token deployment created no contract");
    return { token: address };
  },

  async fund(funder, setup, _plan, senders) {
    const calls: FunderCall[] = senders.map((s) => ({
      to: setup.token!,
      value: 0n,
      data: call(TRANSFER_SELECTOR, [s, TOKENS_PER_SENDER]),
      gasLimit: 80_000n,
    }));
    await funder.send(calls, "giving the senders tokens");
  },

  call(setup, plan, k) {
    return { to: setup.token!, value: 0n, data: call(TRANSFER_SELECTOR, [receiverAddress(plan, k), 1n]) };
  },

  probes(setup, plan, k, sender): Probe[] {
    const balanceOf = (holder: bigint) => [
      { to: addressToHex(setup.token!), data: bytesToHex(call(BALANCE_OF_SELECTOR, [holder])) },
      "latest",
    ];
    return [
      {
        label: `token balance of tx ${k}'s receiver`,
        method: "eth_call",
        params: balanceOf(receiverAddress(plan, k)),
        expected: 1n,
      },
      {
        label: `token balance of tx ${k}'s sender`,
        method: "eth_call",
        params: balanceOf(sender),
        expected: TOKENS_PER_SENDER - BigInt(txsOfSender(plan, senderIndex(plan, k))),
      },
    ];
  },
};
