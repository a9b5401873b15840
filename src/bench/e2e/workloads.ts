// The end-to-end workloads by name. A new one implements E2eWorkload (workload.ts) and is listed here;
// the command line, the signing workers and the report pick it up from this table.
import { erc20Workload } from "./erc20.js";
import { rwaWorkload } from "./rwa.js";
import { transferWorkload } from "./transfer.js";
import type { E2eWorkload } from "./workload.js";

export const E2E_WORKLOADS: Readonly<Record<string, E2eWorkload>> = {
  erc20: erc20Workload,
  transfer: transferWorkload,
  rwa: rwaWorkload,
};

export const E2E_WORKLOAD_NAMES: readonly string[] = Object.keys(E2E_WORKLOADS);

export function e2eWorkload(name: string): E2eWorkload {
  const w = E2E_WORKLOADS[name];
  if (w === undefined) throw new Error(`unknown workload '${name}' (one of: ${E2E_WORKLOAD_NAMES.join(", ")})`);
  return w;
}
