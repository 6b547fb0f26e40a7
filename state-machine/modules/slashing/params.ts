// Genesis parameters of the slashing module: how a slashed amount is split, and how long an
// offender stays jailed.
import { ValidationError } from '../../errors.ts';
import type { ParamsCodec } from '../../params/codec.ts';
import { BPS, MAX_U64, bigintFields, bigintsToJson, knownKeys, objectField } from '../../params/fields.ts';

export interface SlashingParams {
  /** share of each slash paid to whoever proved the fault, basis points */
  proverShareBps: bigint;
  /** share paid to the harmed party (a task's submitter), basis points; the rest is burned */
  harmedShareBps: bigint;
  /** blocks an offender stays jailed (cannot claim tasks or be drawn) after a slash */
  jailBlocks: bigint;
}

const KEYS = ['proverShareBps', 'harmedShareBps', 'jailBlocks'] as const;
const NUMBERS = { proverShareBps: { max: BPS }, harmedShareBps: { max: BPS }, jailBlocks: { max: MAX_U64 } };

export const slashingParams: ParamsCodec<SlashingParams> = {
  defaults: () => ({ proverShareBps: 5_000n, harmedShareBps: 2_500n, jailBlocks: 1_200n }),
  parse(v, field) {
    if (v === undefined) return this.defaults();
    const o = objectField(v, field);
    knownKeys(o, field, KEYS);
    const p = bigintFields(o, field, NUMBERS);
    if (p.proverShareBps + p.harmedShareBps > BPS) {
      throw new ValidationError(`${field}.harmedShareBps`, 'proverShareBps + harmedShareBps must be at most 10000');
    }
    return p;
  },
  toJson: (p) => bigintsToJson(p, KEYS),
};
