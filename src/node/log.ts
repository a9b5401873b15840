// The node's one logger (pino): levels error < warn < info < debug < trace, chosen by --log-level or
// -v; lines as JSON objects (--log-json: one per line on stdout, with time and level) or as text
// (the default: the message alone, as the node always printed it; warnings and errors on stderr,
// prefixed with their component, e.g. "weft node: ...").
import { type DestinationStream, type Logger, pino } from "pino";
import type { LogLevel } from "./log-level.js";

export type { Logger } from "pino";

/** Where text lines go (each without its newline). */
export type LineSink = (line: string) => void;

export interface LogOptions {
  level: LogLevel;
  /** One JSON object per line instead of text. */
  json: boolean;
  /** Where info, debug and trace lines go (default stdout); with `json`, every line. */
  out?: LineSink;
  /** Where warnings and errors go as text (default stderr). */
  err?: LineSink;
}

const WARN = 40;

export function createLogger(options: LogOptions): Logger {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (options.json) {
    return pino(
      {
        level: options.level,
        base: null,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      options.out === undefined ? pino.destination({ dest: 1, sync: true }) : jsonLines(out),
    );
  }
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const streams = pino.multistream(
    [
      { level: "trace", stream: textLines(out) },
      { level: "warn", stream: textLines(err) },
    ],
    // Each line to one stream: the one with the highest level at or below the line's.
    { dedupe: true },
  );
  return pino({ level: options.level, base: null, timestamp: false }, streams);
}

/** A logger that writes nothing (library use and tests that do not look at lines). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/** JSON lines to a sink (tests); the node itself writes them straight to fd 1. */
function jsonLines(sink: LineSink): DestinationStream {
  return { write: (chunk) => sink(chunk.endsWith("\n") ? chunk.slice(0, -1) : chunk) };
}

/** pino's JSON record as the text the node prints: the message, and a warning's or error's component. */
function textLines(sink: LineSink): DestinationStream {
  return {
    write(chunk) {
      const record = JSON.parse(chunk) as { level: number; msg?: string; component?: string };
      const msg = record.msg ?? "";
      sink(record.level >= WARN && record.component !== undefined ? `${record.component}: ${msg}` : msg);
    },
  };
}
