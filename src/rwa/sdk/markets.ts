// The markets RWA SDK in one import: deployment, documents, distributions, ballots, the fund vault,
// DvP settlement, the permissioned pool, lending, the payment token, and the typed ABIs.
export * from "./ballot.js";
export * from "./deploy-markets.js";
export * from "./distribution.js";
export * from "./documents.js";
export * from "./lending.js";
export * from "./markets-abi.js";
export * from "./markets-call.js";
export * from "./pool.js";
export * from "./settlement.js";
export * from "./stablecoin.js";
export * from "./vault.js";
