// Structured logs (pino, JSON lines) on stderr, so stdout stays free for what a user reads or a
// script parses (the account list, "rpc listening on", a command's JSON). Components take a child:
// `log.child({ component: 'rpc' })`.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A process's root logger; `destination` is for tests (default: stderr). */
export function createLogger(name: string, level: LogLevel = 'info', destination: DestinationStream = pino.destination(2)): Logger {
  return pino({ name, level }, destination);
}
