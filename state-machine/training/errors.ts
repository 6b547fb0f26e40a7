import { VerityError } from '../errors.ts';

/** A training request that the spec or the commitments do not allow (bad step, bad reference). */
export class TrainingError extends VerityError {
  constructor(code: 'STEP_RANGE' | 'BAD_INPUT_REF' | 'STATE_MISMATCH', message: string, data?: Record<string, unknown>) {
    super(`TRAINING_${code}`, message, data);
  }
}
