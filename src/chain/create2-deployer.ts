// The deterministic deployment proxy (Arachnid's, the "CREATE2 deployer") that anvil has at genesis and
// `forge script` deploys through when a contract is created with a salt: calldata salt(32) ‖ initcode
// creates the contract with CREATE2 and returns its 20-byte address. Same address and runtime code as
// on anvil and on mainnet (it got there by a keyless transaction; a dev genesis just places it).
import { hexToBytes } from "../primitives/hex.js";
import type { GenesisSpec } from "./genesis.js";

export const CREATE2_DEPLOYER_ADDRESS = 0x4e59b44847b379578588920ca78fbf26c0b4956cn;

/** Its runtime code, byte for byte anvil's eth_getCode (nonce 0, balance 0 there too). */
export const CREATE2_DEPLOYER_CODE = hexToBytes(
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3",
);

/** Places the proxy in `spec` unless its allocation already names the address (the user's entry wins). */
export function addCreate2Deployer(spec: GenesisSpec): void {
  if (spec.alloc.has(CREATE2_DEPLOYER_ADDRESS)) return;
  spec.alloc.set(CREATE2_DEPLOYER_ADDRESS, {
    balance: 0n,
    nonce: 0n,
    code: CREATE2_DEPLOYER_CODE,
    storage: new Map(),
  });
}
