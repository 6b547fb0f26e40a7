// The genesis file's types. The state machine owns them (state-machine/genesis.ts, and each module's
// params.ts); genesis/ reads, validates and writes the file.
export type { BaseFeeParams, Genesis, ModuleParams } from '../state-machine/genesis.ts';
export type { AccountsParams } from '../state-machine/modules/accounts/params.ts';
export type { StakeParams } from '../state-machine/modules/stake/params.ts';
export type { SlashingParams } from '../state-machine/modules/slashing/params.ts';
export type { TaskParams } from '../state-machine/modules/task/params.ts';
export type { VerdeParams } from '../state-machine/modules/verde/params.ts';
export type { BridgeParams } from '../state-machine/modules/bridge/params.ts';
