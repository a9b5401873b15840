// The core RWA SDK in one import: deployment, identity registry, token, compliance, permits, rule
// codes, roles, errors and the typed ABIs.
export * from "./client.js";
export * from "./compliance.js";
export * from "./core-abi.js";
export * from "./deploy.js";
export * from "./errors.js";
export * from "./identity.js";
export * from "./permit.js";
export * from "./roles.js";
export * from "./rules.js";
export * from "./token.js";
