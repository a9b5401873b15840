// Uniswap V2 for the execution benchmark: the factory and pair exactly as deployed on mainnet (the
// `@uniswap/v2-core` package's build artifacts, solc 0.5.16), and a tiny router of ours, compiled with
// solc-js like the other benchmark contracts, that makes a swap one transaction: it reads the pair's
// reserves, computes the output with the constant-product formula and the 0.3% fee (as Uniswap's
// periphery router does), moves tokenIn from the sender to the pair and calls `swap`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { bytesToBigint, bytesToHex, concatBytes, hexToBytes } from "../primitives/hex.js";
import { keccak256 } from "../primitives/keccak.js";
import { encodeCall, encodeWords } from "./abi.js";
import type { BenchChain } from "./chain.js";
import { type Artifact, compileSources } from "./compile.js";

export const ROUTER_SOURCES: Record<string, string> = {
  "BenchSwapRouter.sol": `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

interface IUniswapV2PairMin {
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
    function token0() external view returns (address);
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
}

contract BenchSwapRouter {
    /// Swaps exactly amountIn of tokenIn (approved to this router) on pair; the output goes to \`to\`.
    function swapExactIn(address pair, address tokenIn, uint256 amountIn, address to) external returns (uint256 amountOut) {
        (uint112 r0, uint112 r1, ) = IUniswapV2PairMin(pair).getReserves();
        bool zeroIn = IUniswapV2PairMin(pair).token0() == tokenIn;
        (uint256 rIn, uint256 rOut) = zeroIn ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        uint256 inWithFee = amountIn * 997;
        amountOut = (inWithFee * rOut) / (rIn * 1000 + inWithFee);
        require(amountOut > 0, "no output");
        require(IERC20(tokenIn).transferFrom(msg.sender, pair, amountIn), "transferFrom");
        IUniswapV2PairMin(pair).swap(zeroIn ? 0 : amountOut, zeroIn ? amountOut : 0, to, "");
    }
}
`,
};

const require = createRequire(import.meta.url);

function selectorOf(signature: string): string {
  return bytesToHex(keccak256(new TextEncoder().encode(signature)).subarray(0, 4)).slice(2);
}

/** An artifact from @uniswap/v2-core's build folder; selectors computed from the given signatures. */
function uniswapArtifact(contract: string, signatures: string[]): Artifact {
  const base = dirname(require.resolve("@uniswap/v2-core/package.json"));
  const json = JSON.parse(readFileSync(join(base, "build", `${contract}.json`), "utf8")) as {
    evm: { bytecode: { object: string }; deployedBytecode: { object: string } };
  };
  return {
    bytecode: hexToBytes(json.evm.bytecode.object),
    deployedBytecode: hexToBytes(json.evm.deployedBytecode.object),
    methodIdentifiers: Object.fromEntries(signatures.map((s) => [s, selectorOf(s)])),
  };
}

export interface UniswapContracts {
  factory: Artifact;
  pair: Artifact;
  router: Artifact;
}

export async function loadUniswapContracts(onCompile?: () => void): Promise<UniswapContracts> {
  const compiled = await compileSources(ROUTER_SOURCES, { onCompile });
  const router = compiled["BenchSwapRouter.sol"]?.BenchSwapRouter;
  if (router === undefined) throw new Error("solc output has no BenchSwapRouter");
  return {
    factory: uniswapArtifact("UniswapV2Factory", ["createPair(address,address)", "getPair(address,address)"]),
    pair: uniswapArtifact("UniswapV2Pair", ["mint(address)", "getReserves()", "token0()", "token1()"]),
    router,
  };
}

/** The factory's constructor argument (feeToSetter) appended to its creation code. */
export function factoryInitcode(factory: Artifact, feeToSetter: bigint): Uint8Array {
  return concatBytes(factory.bytecode, encodeWords([feeToSetter]));
}

/**
 * Creates the tokenA/tokenB pair on `factory` and adds `liquidity` of each token to it, as `owner`
 * (who holds both ERC-20 tokens, of the `token` artifact, and receives the LP tokens). The pair's address.
 */
export function addLiquidPair(
  chain: BenchChain,
  owner: bigint,
  uni: UniswapContracts,
  token: Artifact,
  pool: { factory: bigint; tokenA: bigint; tokenB: bigint; liquidity: bigint },
): bigint {
  const send = (to: bigint, data: Uint8Array, gas: bigint) => chain.execute(chain.tx(owner, to, data, gas)).output;
  const created = send(
    pool.factory,
    encodeCall(uni.factory, "createPair(address,address)", [pool.tokenA, pool.tokenB]),
    5_000_000n,
  );
  const pair = bytesToBigint(created);
  for (const tokenAddress of [pool.tokenA, pool.tokenB]) {
    send(tokenAddress, encodeCall(token, "transfer(address,uint256)", [pair, pool.liquidity]), 200_000n);
  }
  send(pair, encodeCall(uni.pair, "mint(address)", [owner]), 500_000n);
  return pair;
}
