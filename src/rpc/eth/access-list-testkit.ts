// The contracts eth_createAccessList's tests run (the unit test and the cast end-to-end test): a
// Caller that counts in its own storage, has a Store write a slot and a mapping entry, reads another
// account's balance and calls the sha256 precompile; Store.fail reverts with a reason.
import { type Artifact, compileSources } from "../../bench/compile.js";

export const ACCESS_LIST_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Store {
    uint256 public a;
    mapping(uint256 => uint256) public m;
    function set(uint256 x) external { a = x; m[x] = x + 1; }
    function get() external view returns (uint256) { return a; }
    function fail() external pure { revert("nope"); }
}
contract Caller {
    Store public store;
    uint256 public count;
    constructor(Store s) { store = s; }
    function poke(uint256 x) external returns (uint256) {
        count += 1;
        store.set(x);
        return store.get() + address(0x1234).balance + uint256(sha256(abi.encode(x)));
    }
    function bad() external { count += 1; store.fail(); }
}`;

/** Store and Caller, compiled once (solc-js artifacts are cached in .cache/solc). */
export async function compileAccessListContracts(): Promise<{ Store: Artifact; Caller: Artifact }> {
  const out = (await compileSources({ "AccessList.sol": ACCESS_LIST_SOURCE }))["AccessList.sol"]!;
  return { Store: out.Store!, Caller: out.Caller! };
}
