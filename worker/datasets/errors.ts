import { VerityError } from '../../state-machine/errors.ts';

/** A data set file is missing, malformed, or does not match the spec's content root. */
export class DatasetError extends VerityError {
  constructor(message: string, data?: Record<string, unknown>) {
    super('DATASET', message, data);
  }
}
