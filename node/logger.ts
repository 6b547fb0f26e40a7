// Structured logs (pino, JSON lines) on stderr, so stdout stays free for what a user reads or a
// script parses (the account list, the "rpc listening on" line).
import { pino, type Logger } from 'pino';
import type { NodeConfig } from './config.ts';

export type { Logger };

export function createLogger(level: NodeConfig['logLevel'], name = 'verity'): Logger {
  return pino({ name, level }, pino.destination(2));
}
