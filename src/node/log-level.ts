// The log levels the node's flags choose from (--log-level, -v), apart from the logger itself so that
// reading the command line does not load it.

/** From least to most verbose. */
export const LOG_LEVELS = ["error", "warn", "info", "debug", "trace"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the node logs by default: its banner, a line per block, console.log lines, warnings, errors. */
export const DEFAULT_LOG_LEVEL: LogLevel = "info";

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** The level `-v` given `count` times selects: each v one step past the default, trace at most. */
export function verbosityLevel(count: number): LogLevel {
  const index = LOG_LEVELS.indexOf(DEFAULT_LOG_LEVEL) + count;
  return LOG_LEVELS[Math.min(index, LOG_LEVELS.length - 1)]!;
}
