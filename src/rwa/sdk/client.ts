// The SDK's connection to a node (a viem public client for reads, a wallet client with an account
// for writes) and the three primitives every action uses: send a contract call and wait for its
// receipt, read a view, deploy a compiled contract. Failures come back as RwaError, decoded.
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  getAddress,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { rwaArtifacts } from "../compile.js";
import { RwaError, toRwaError } from "./errors.js";

/** A node connection that can sign: `walletClient.account` sends every write. */
export interface RwaClient {
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
}

/** What reads need (an RwaClient will do). */
export interface RwaReader {
  publicClient: PublicClient;
}

type Writable = "nonpayable" | "payable";
type Readable = "view" | "pure";

/** The account address that signs `client`'s writes. */
export function signer(client: RwaClient): Address {
  return client.walletClient.account.address;
}

/** The gas limit to send with for an estimate. A node estimates at the latest block's time, and the
 * block that includes the call may be a second later: a contract that stores block.timestamp then
 * changes a slot the estimate left unchanged (2,900 gas instead of 100), and an exact estimate runs out
 * of gas (anvil's automine hits this). A fifth more covers such differences. */
export function withGasHeadroom(estimate: bigint): bigint {
  return estimate + estimate / 5n;
}

/** Sends a contract call from the client's account and waits for it to be mined; reverts (at gas
 * estimation or on chain) throw RwaError. */
export async function send<const abi extends Abi, fn extends ContractFunctionName<abi, Writable>>(
  client: RwaClient,
  call: {
    address: Address;
    abi: abi;
    functionName: fn;
    args: ContractFunctionArgs<abi, Writable, fn>;
    value?: bigint;
  },
): Promise<TransactionReceipt> {
  const what = `${call.functionName} on ${call.address}`;
  const request = { ...call, account: client.walletClient.account, chain: client.walletClient.chain };
  let hash: Hex;
  try {
    const gas = await client.publicClient.estimateContractGas(request as never);
    hash = await client.walletClient.writeContract({ ...request, gas: withGasHeadroom(gas) } as never);
  } catch (e) {
    throw toRwaError(e, what);
  }
  const receipt = await client.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    // Mined but reverted (its gas estimate passed): replay it at its block for the reason.
    try {
      await client.publicClient.simulateContract({
        ...call,
        account: client.walletClient.account,
        blockNumber: receipt.blockNumber,
      } as never);
    } catch (e) {
      throw toRwaError(e, `${what} (tx ${hash})`);
    }
    throw new RwaError(`${what}: transaction ${hash} reverted`, undefined, [], undefined);
  }
  return receipt;
}

/** Reads a view; a revert throws RwaError. */
export async function read<const abi extends Abi, fn extends ContractFunctionName<abi, Readable>>(
  client: RwaReader,
  call: { address: Address; abi: abi; functionName: fn; args: ContractFunctionArgs<abi, Readable, fn> },
): Promise<ContractFunctionReturnType<abi, Readable, fn>> {
  try {
    return (await client.publicClient.readContract(call as never)) as ContractFunctionReturnType<abi, Readable, fn>;
  } catch (e) {
    throw toRwaError(e, `${call.functionName} on ${call.address}`);
  }
}

/** Deploys a contract compiled from src/rwa/contracts/ by name; resolves to its address. */
export async function deployRwaContract(
  client: RwaClient,
  contractName: string,
  args: readonly unknown[] = [],
): Promise<Address> {
  const artifact = (await rwaArtifacts())[contractName];
  if (!artifact) throw new Error(`rwa: no contract named ${contractName} under src/rwa/contracts/`);
  if (artifact.bytecode === "0x") throw new Error(`rwa: ${contractName} is abstract or an interface`);
  let hash: Hex;
  try {
    hash = await client.walletClient.deployContract({
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args,
      account: client.walletClient.account,
      chain: client.walletClient.chain,
    } as never);
  } catch (e) {
    throw toRwaError(e, `deploying ${contractName}`, artifact.abi);
  }
  const receipt = await client.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new RwaError(`deploying ${contractName}: transaction ${hash} reverted`, undefined, [], undefined);
  }
  return getAddress(receipt.contractAddress);
}
