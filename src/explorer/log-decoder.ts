// Names and arguments of the logs whose event the page knows: ERC-20's (Transfer, Approval) and every
// event of the RWA suite (src/rwa's ABIs: the token, identity registry, compliance and its modules,
// the markets contracts). Keyed by topic0, computed once; a log whose topics do not fit the event
// (an ERC-721 Transfer has the ERC-20 one's topic0 and one indexed argument more) stays raw.
import { type AbiEvent, decodeEventLog, erc20Abi, type Hex, toEventSelector } from "viem";
import * as coreAbis from "../rwa/sdk/core-abi.js";
import * as marketsAbis from "../rwa/sdk/markets-abi.js";

export interface DecodedLog {
  /** The event's name. */
  name: string;
  /** Its arguments in declaration order: name and value as text. */
  args: [string, string][];
}

const EVENTS: ReadonlyMap<string, AbiEvent> = (() => {
  const events = new Map<string, AbiEvent>();
  const abis = [erc20Abi, ...Object.values(coreAbis), ...Object.values(marketsAbis)];
  for (const abi of abis) {
    if (!Array.isArray(abi)) continue; // markets-abi also exports a status enum
    for (const item of abi as readonly { type: string }[]) {
      if (item.type !== "event") continue;
      const event = item as AbiEvent;
      const selector = toEventSelector(event);
      if (!events.has(selector)) events.set(selector, event);
    }
  }
  return events;
})();

/** The log's event and arguments, or undefined when its topic0 is unknown or its data does not fit. */
export function decodeLog(log: { topics: readonly string[]; data: string }): DecodedLog | undefined {
  const topic0 = log.topics[0];
  const event = topic0 === undefined ? undefined : EVENTS.get(topic0.toLowerCase());
  if (event === undefined) return undefined;
  try {
    const decoded = decodeEventLog({
      abi: [event],
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data as Hex,
    });
    const args = decoded.args as Record<string, unknown> | readonly unknown[] | undefined;
    return {
      name: event.name,
      args: event.inputs.map((input, i) => {
        const value = Array.isArray(args) ? args[i] : (args as Record<string, unknown> | undefined)?.[input.name ?? ""];
        return [input.name || `arg${i}`, formatValue(value)];
      }),
    };
  } catch {
    return undefined;
  }
}

/** An argument as text: numbers in decimal, arrays and tuples as JSON with bigints as decimals. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** How many events the page can decode (tests). */
export const KNOWN_EVENT_COUNT = EVENTS.size;
