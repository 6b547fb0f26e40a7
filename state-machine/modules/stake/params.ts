// Genesis parameters of the stake module, including stake bonded at genesis.
import type { ParamsCodec } from '../../params/codec.ts';
import { MAX_U64, amountsByAddress, amountsToJson, bigintFields, bigintsToJson, knownKeys, objectField } from '../../params/fields.ts';
import type { Address } from '../../types.ts';
import { ValidationError } from '../../errors.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';

export interface StakeParams {
  /** blocks between beginUnbond and the funds becoming withdrawable */
  unbondingPeriodBlocks: bigint;
  /** smallest bonded balance a staker may hold (0 or at least this), wei */
  minBond: bigint;
  /** stake bonded at genesis (minted into the stake module's account), wei */
  bonds: Record<Address, bigint>;
}

const ETHER = 10n ** 18n;
const NUMBERS = { unbondingPeriodBlocks: { min: 1n, max: MAX_U64 }, minBond: {} };
const RESERVED = new Set<string>(Object.values(MODULE_ADDRESSES));

export const stakeParams: ParamsCodec<StakeParams> = {
  defaults: () => ({ unbondingPeriodBlocks: 100n, minBond: ETHER, bonds: {} }),
  parse(v, field) {
    if (v === undefined) return this.defaults();
    const o = objectField(v, field);
    knownKeys(o, field, ['unbondingPeriodBlocks', 'minBond', 'bonds']);
    const n = bigintFields(o, field, NUMBERS);
    const bonds = o.bonds === undefined ? {} : amountsByAddress(o.bonds, `${field}.bonds`, RESERVED);
    for (const [a, amount] of Object.entries(bonds)) {
      if (amount < n.minBond) throw new ValidationError(`${field}.bonds.${a}`, 'must be at least minBond');
    }
    return { ...n, bonds };
  },
  toJson: (p) => ({ ...bigintsToJson(p, ['unbondingPeriodBlocks', 'minBond'] as const), bonds: amountsToJson(p.bonds) }),
};
