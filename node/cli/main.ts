// `verity` CLI: one commander program; each command lives in its own file and registers itself.
import { Command } from 'commander';
import * as bridgeCommand from './bridge-command.ts';
import * as devnetCommand from './devnet-command.ts';
import * as genesisCommand from './genesis-command.ts';
import * as nodeCommand from './node-command.ts';
import * as trainCommand from '../../worker/cli/train-command.ts';
import * as traceCommand from '../../worker/cli/trace-command.ts';
import * as workerCommand from '../../worker/cli/worker-command.ts';
import * as taskCommand from '../../worker/cli/task-command.ts';
import * as disputeCommand from '../../worker/cli/dispute-command.ts';

const program = new Command('verity')
  .description('Verity: an Ethereum rollup app-chain for verifiable machine-learning training')
  .version('0.1.0')
  .showHelpAfterError();

// Command modules export `register(program)`. Add one line per command file.
const commandModules: { register(program: Command): void }[] = [devnetCommand, nodeCommand, genesisCommand, trainCommand, traceCommand, taskCommand, disputeCommand, workerCommand, bridgeCommand];
for (const m of commandModules) m.register(program);

await program.parseAsync(process.argv);
