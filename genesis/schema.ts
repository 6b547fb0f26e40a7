// The genesis file: everything a node needs to compute block 0 and the chain's fixed parameters.
import type { Address } from '../state-machine/chain/types.ts';

export interface BaseFeeParams {
  /** base fee of the genesis block, wei */
  initial: bigint;
  /** gas target = gasLimit / elasticityMultiplier (EIP-1559: 2) */
  elasticityMultiplier: bigint;
  /** max change per block = 1 / changeDenominator (EIP-1559: 8) */
  changeDenominator: bigint;
  /** the base fee never drops below this, wei */
  min: bigint;
}

export interface StakeParams {
  /** blocks between beginUnbond and the funds becoming withdrawable */
  unbondingPeriodBlocks: bigint;
  /** smallest bonded balance a staker may hold (0 or at least this), wei */
  minBond: bigint;
}

export interface AccountsParams {
  /** receives every transaction fee (nothing is burned) */
  feeVault: Address;
}

export interface Genesis {
  /** free text; the devnet genesis says it is devnet-only */
  note?: string;
  chainId: bigint;
  /** seconds since the Unix epoch */
  timestamp: bigint;
  /** gas limit of every block */
  gasLimit: bigint;
  baseFee: BaseFeeParams;
  /** target interval between sequenced blocks, milliseconds */
  blockIntervalMs: number;
  /** the only address allowed to sign blocks */
  sequencer: Address;
  modules: {
    accounts: AccountsParams;
    stake: StakeParams;
  };
  /** initial balances, wei; addresses lowercase */
  alloc: Record<Address, bigint>;
}
