// Genesis parameters of the verde module (the dispute game).
import { ValidationError } from '../../errors.ts';
import type { ParamsCodec } from '../../params/codec.ts';
import { MAX_U64, bigintFields, bigintsToJson, knownKeys, objectField } from '../../params/fields.ts';

export interface VerdeParams {
  /** children revealed per move: a power of two (2 = binary, as Verde and opML) */
  arity: bigint;
  /** each party's chess clock: blocks for all its moves in one dispute */
  clockBlocks: bigint;
  /** slashed from a challenger that loses (its bond is forfeited too), wei */
  challengerSlash: bigint;
}

const KEYS = ['arity', 'clockBlocks', 'challengerSlash'] as const;
const NUMBERS = { arity: { min: 2n, max: 256n }, clockBlocks: { min: 1n, max: MAX_U64 / 4n }, challengerSlash: {} };

export const verdeParams: ParamsCodec<VerdeParams> = {
  defaults: () => ({ arity: 8n, clockBlocks: 600n, challengerSlash: 10n ** 18n }),
  parse(v, field) {
    if (v === undefined) return this.defaults();
    const o = objectField(v, field);
    knownKeys(o, field, KEYS);
    const p = bigintFields(o, field, NUMBERS);
    if ((p.arity & (p.arity - 1n)) !== 0n) throw new ValidationError(`${field}.arity`, 'must be a power of two');
    return p;
  },
  toJson: (p) => bigintsToJson(p, KEYS),
};
