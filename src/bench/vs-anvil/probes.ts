// Every probe of `weft bench evm --vs-anvil`, in the order they run: the interpreter probes (token
// transfers, a swap, then the bare opcodes' loops), then the precompile probes. What a probe is:
// probe.ts.
import { INTERPRETER_PROBES } from "./interpreter-probes.js";
import { PRECOMPILE_PROBES } from "./precompile-probes.js";
import type { Probe } from "./probe.js";
import { TOKEN_PROBES } from "./token-probes.js";

export const PROBES: readonly Probe[] = [...TOKEN_PROBES, ...INTERPRETER_PROBES, ...PRECOMPILE_PROBES];
