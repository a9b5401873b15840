// geth's messages for frames that fail outside an exceptional halt of their own code. No imports:
// the opcode handlers use these, and must not import back into the jump table.
export const REVERTED = "execution reverted";
export const ERR_DEPTH = "max call depth exceeded";
export const ERR_INSUFFICIENT_BALANCE = "insufficient balance for transfer";
export const ERR_COLLISION = "contract address collision";
export const ERR_NONCE_OVERFLOW = "nonce uint64 overflow";
export const ERR_OUT_OF_GAS = "out of gas";
/** geth names each precompile's own failure; ours only say that the input was rejected. */
export const ERR_PRECOMPILE = "precompile failed";
