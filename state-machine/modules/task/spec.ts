// The spec bytes a submitter posts: UTF-8 JSON, validated by the same parseTaskSpec the worker uses.
import type { Bytes } from '../../crypto/hash.ts';
import { ValidationError } from '../../errors.ts';
import { parseTaskSpec } from '../../training/spec-validate.ts';
import type { TaskSpec } from '../../training/spec.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseSpecBytes(bytes: Bytes): TaskSpec {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ValidationError('(root)', 'not UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValidationError('(root)', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseTaskSpec(json);
}
