// Structured worker logs (pino, JSON lines) on stderr; stdout carries command output only.
import { pino, type Logger } from 'pino';

export function workerLogger(name = 'verity-worker'): Logger {
  return pino({ name, level: 'info' }, pino.destination(2));
}
