// A console.log call as one line of text, as Hardhat and anvil print it: a first string argument is a
// format string (%s, %d, %i, %o, %x; %% is a percent sign) whose specifiers take the next arguments;
// the arguments left over follow, separated by spaces. Numbers in decimal, addresses checksummed,
// bytes in hex.
import { type ConsoleArg, decodeConsoleCall } from "./console-abi.js";

function plain(arg: ConsoleArg): string {
  const v = arg.value;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? "true" : "false";
  return String(v);
}

function hex(arg: ConsoleArg): string {
  const v = arg.value;
  if (typeof v !== "bigint") return plain(arg);
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

/** The line for a call's decoded arguments. */
export function formatConsoleArgs(args: readonly ConsoleArg[]): string {
  const first = args[0];
  if (first === undefined) return "";
  if (first.type !== "string") return args.map(plain).join(" ");
  let next = 1;
  const line = (first.value as string).replace(/%([sdiox%])/g, (spec, kind: string) => {
    if (kind === "%") return "%";
    const arg = args[next];
    if (arg === undefined) return spec;
    next++;
    return kind === "x" ? hex(arg) : plain(arg);
  });
  return [line, ...args.slice(next).map(plain)].join(" ");
}

/** The line a console call's calldata prints; undefined where it is not a console.sol call. */
export function consoleLine(input: Uint8Array): string | undefined {
  const args = decodeConsoleCall(input);
  return args === undefined ? undefined : formatConsoleArgs(args);
}

/** The lines of several console calls; calldata that is not a console.sol call prints nothing. */
export function consoleLines(inputs: readonly Uint8Array[]): string[] {
  const lines: string[] = [];
  for (const input of inputs) {
    const line = consoleLine(input);
    if (line !== undefined) lines.push(line);
  }
  return lines;
}
