// The RWA SDK as a package entry point (`import { ... } from "weft/rwa"`, package.json "exports"):
// the core and markets SDK, a client for a node URL and key, the whole suite in one call, and where
// `weft node --rwa` put it. The CLI's helpers (demo, predeployment, compilation cache) stay internal.
export { type ConnectedRwa, connectRwa, DEFAULT_RPC, RwaConnectError } from "./connect.js";
export {
  RWA_DEPLOYER_ADDRESS,
  RWA_DEPLOYER_KEY,
  RWA_PREDEPLOY_TX_COUNT,
  RWA_PREDEPLOYED,
} from "./predeploy-addresses.js";
export * from "./sdk/core.js";
export * from "./sdk/markets.js";
export {
  DEFAULT_NAV,
  type DeployRwaSuiteOptions,
  deployRwaSuite,
  KYC_TOPIC,
  RWA_SUITE_CONTRACTS,
  type RwaSuite,
} from "./suite.js";
