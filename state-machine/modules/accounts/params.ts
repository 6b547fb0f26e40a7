// Genesis parameters of the accounts module.
import { ValidationError } from '../../errors.ts';
import type { ParamsCodec } from '../../params/codec.ts';
import { addressField, knownKeys, objectField } from '../../params/fields.ts';
import type { Address } from '../../types.ts';
import { DEFAULT_FEE_VAULT, MODULE_ADDRESSES } from '../addresses.ts';

export interface AccountsParams {
  /** receives every transaction fee (nothing is burned) */
  feeVault: Address;
}

const MODULE_ADDRESS_SET = new Set<string>(Object.values(MODULE_ADDRESSES));

export const accountsParams: ParamsCodec<AccountsParams> = {
  defaults: () => ({ feeVault: DEFAULT_FEE_VAULT }),
  parse(v, field) {
    if (v === undefined) return this.defaults();
    const o = objectField(v, field);
    knownKeys(o, field, ['feeVault']);
    const feeVault = addressField(o.feeVault, `${field}.feeVault`);
    if (MODULE_ADDRESS_SET.has(feeVault)) throw new ValidationError(`${field}.feeVault`, 'must not be a module address');
    return { feeVault };
  },
  toJson: (p) => ({ feeVault: p.feeVault }),
};
