// How a worker behaves when told to cheat (`verity worker --misbehave MODE`, for tests and demos;
// without the flag a worker is honest and none of this runs). Parsed once; applied identically
// while training and while re-computing commitments in a dispute, so a cheater's trees are the
// consistent record of what it computed.
import { VerityError } from '../../state-machine/errors.ts';

export type Misbehaviour =
  /** flip the lowest mantissa bit of element 0 of op J's output in step T, then train on */
  | { kind: 'op'; step: number; op: number }
  /** commit a wrong C_T while training correctly */
  | { kind: 'checkpoint'; step: number }
  /** commit a traceRoot without training */
  | { kind: 'lazy' }
  /** skip step T (C_T = C_{T-1}) */
  | { kind: 'skip'; step: number }
  /** train step T on the wrong samples (each index + 1) */
  | { kind: 'data'; step: number }
  /** stop answering the dispute game after N moves */
  | { kind: 'silent-after'; moves: number }
  /** serve no checkpoints */
  | { kind: 'refuse-data' }
  /** a verifier that challenges an honest result */
  | { kind: 'false-challenge' };

export class MisbehaviourError extends VerityError {
  constructor(message: string) {
    super('BAD_MISBEHAVIOUR', message);
  }
}

const MODES = 'op:T:J, checkpoint:T, lazy, skip:T, data:T, silent-after:N, refuse-data, false-challenge';

function count(s: string | undefined, what: string, min: number): number {
  if (s === undefined || !/^\d+$/.test(s)) throw new MisbehaviourError(`--misbehave: ${what} must be a whole number`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min) throw new MisbehaviourError(`--misbehave: ${what} must be at least ${min}`);
  return n;
}

export function parseMisbehaviour(mode: string): Misbehaviour {
  const [kind, a, b, ...rest] = mode.split(':');
  const arity: Record<string, number> = { op: 2, checkpoint: 1, skip: 1, data: 1, 'silent-after': 1, lazy: 0, 'refuse-data': 0, 'false-challenge': 0 };
  if (!(kind in arity)) throw new MisbehaviourError(`--misbehave: unknown mode '${mode}' (modes: ${MODES})`);
  const given = [a, b].filter((x) => x !== undefined).length;
  if (rest.length > 0 || given !== arity[kind]) throw new MisbehaviourError(`--misbehave: '${mode}' takes ${arity[kind]} number(s) (modes: ${MODES})`);
  switch (kind) {
    case 'op':
      return { kind, step: count(a, 'T', 1), op: count(b, 'J', 0) };
    case 'checkpoint':
      return { kind, step: count(a, 'T', 0) };
    case 'skip':
      return { kind, step: count(a, 'T', 1) };
    case 'data':
      return { kind, step: count(a, 'T', 1) };
    case 'silent-after':
      return { kind, moves: count(a, 'N', 0) };
    case 'lazy':
      return { kind };
    case 'refuse-data':
      return { kind };
    default:
      return { kind: 'false-challenge' };
  }
}
