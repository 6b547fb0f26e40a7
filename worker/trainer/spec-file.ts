// Reads a task spec file; data set paths in it are relative to the file's directory.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValidationError } from '../../state-machine/errors.ts';
import { parseTaskSpec } from '../../state-machine/training/spec-validate.ts';
import type { TaskSpec } from '../../state-machine/training/spec.ts';

export interface SpecFile {
  spec: TaskSpec;
  /** directory the data set path is resolved against */
  baseDir: string;
}

export function readSpecFile(file: string): SpecFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ValidationError('spec', `cannot read ${file} as JSON: ${(e as Error).message}`);
  }
  return { spec: parseTaskSpec(json), baseDir: dirname(resolve(file)) };
}
