export * from "./hex.js";
export * from "./keccak.js";
export * from "./rlp.js";
