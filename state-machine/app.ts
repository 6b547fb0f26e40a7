// The app, wired in one place (as a Cosmos chain wires app.go): which modules run, in what order
// their hooks run, and which narrow interface each module is handed of the others.
import type { ModuleParams } from './genesis.ts';
import { accountsModule } from './modules/accounts/module.ts';
import { accountsParams } from './modules/accounts/params.ts';
import { bridgeModule } from './modules/bridge/module.ts';
import { bridgeParams } from './modules/bridge/params.ts';
import type { Module } from './modules/framework.ts';
import { multicallModule } from './modules/multicall/module.ts';
import { createSlashing } from './modules/slashing/module.ts';
import { slashingParams } from './modules/slashing/params.ts';
import { stakeKeeper } from './modules/stake/keeper.ts';
import { stakeModule } from './modules/stake/module.ts';
import { stakeParams } from './modules/stake/params.ts';
import { createTask } from './modules/task/module.ts';
import { taskParams } from './modules/task/params.ts';
import { createVerde } from './modules/verde/module.ts';
import { verdeParams } from './modules/verde/params.ts';
import type { ParamsCodec } from './params/codec.ts';

/** Every module's genesis parameter codec, in the order their sections appear in a genesis file. */
export const MODULE_PARAMS: { readonly [K in keyof ModuleParams]: ParamsCodec<ModuleParams[K]> } = {
  accounts: accountsParams,
  stake: stakeParams,
  slashing: slashingParams,
  task: taskParams,
  verde: verdeParams,
  bridge: bridgeParams,
};

// Each module gets only the narrow interface it declares in its expected.ts. Task and verde need
// each other (a challenge opens a game; the game's verdict settles the task), so the task module's
// dispute hook forwards to the verde module created right after it.
const slashing = createSlashing(stakeKeeper);
let verde: ReturnType<typeof createVerde> | undefined;
const task = createTask({
  stake: stakeKeeper,
  slashing: slashing.keeper,
  disputes: { open: (ctx, req) => (verde as ReturnType<typeof createVerde>).disputes.open(ctx, req) },
});
verde = createVerde(task.keeper);

/**
 * The modules of this chain. The order is the hook order: genesis hooks and begin-block hooks run
 * first to last, end-block hooks too. accounts credits genesis balances before stake mints bonds;
 * task captures draw seeds at the start of each block; stake matures unbonding at its end; verde,
 * bridge (deposits arrive as transactions at the start of a block) and multicall3 have no hooks.
 */
export const MODULES: readonly Module[] = [accountsModule, stakeModule, slashing.module, task.module, verde.module, bridgeModule, multicallModule];
