// The genesis a chain grows from: chain-wide parameters plus each module's own parameters (defined in
// the module's params.ts). The state machine owns these types; genesis/ reads and writes the file.
import type { AccountsParams } from './modules/accounts/params.ts';
import type { BridgeParams } from './modules/bridge/params.ts';
import type { SlashingParams } from './modules/slashing/params.ts';
import type { StakeParams } from './modules/stake/params.ts';
import type { TaskParams } from './modules/task/params.ts';
import type { VerdeParams } from './modules/verde/params.ts';
import type { Address } from './types.ts';

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

/** Each module's genesis parameters, by module name. */
export interface ModuleParams {
  accounts: AccountsParams;
  stake: StakeParams;
  slashing: SlashingParams;
  task: TaskParams;
  verde: VerdeParams;
  bridge: BridgeParams;
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
  /** interval between sequenced blocks, milliseconds; blocks are sealed on it even when empty */
  blockIntervalMs: number;
  /** the only address allowed to sign blocks */
  sequencer: Address;
  modules: ModuleParams;
  /** initial balances, wei; addresses lowercase */
  alloc: Record<Address, bigint>;
}
