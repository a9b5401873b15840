/**
 * A precompiled contract. It returns the gas it charges and its output, or PRECOMPILE_FAILURE for an
 * exceptional halt (bad input, or gas above `gasLimit`): the caller then consumes all gas of the call.
 */
export type Precompile = (input: Uint8Array, gasLimit: number) => PrecompileResult;

export type PrecompileResult = { gasUsed: number; output: Uint8Array } | typeof PRECOMPILE_FAILURE;

export const PRECOMPILE_FAILURE = Symbol("precompile failure");
