// Shared bits of the worker's CLI commands: option parsers and error reporting.
import { InvalidArgumentError } from 'commander';
import type { BackendName } from '../../state-machine/repops/backend.ts';
import { VerityError } from '../../state-machine/errors.ts';

export function parseBackend(v: string): BackendName {
  if (v !== 'ts' && v !== 'native') throw new InvalidArgumentError("must be 'ts' or 'native'");
  return v;
}

export function parseNonNegativeInt(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

/** Runs a command body; prints its result (JSON or text) or a one-line error and sets exit code 1. */
export function runCommand(json: boolean, body: () => Record<string, unknown> | string): void {
  try {
    const r = body();
    process.stdout.write(typeof r === 'string' ? `${r}\n` : `${JSON.stringify(r, null, json ? undefined : 2)}\n`);
  } catch (e) {
    if (e instanceof VerityError) {
      process.stderr.write(`error ${e.code}: ${e.message}\n`);
      if (json) process.stdout.write(`${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
