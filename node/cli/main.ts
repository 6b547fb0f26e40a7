// `verity` CLI: one commander program; each command lives in its own file and registers itself.
import { Command } from 'commander';

const program = new Command('verity')
  .description('Verity: an Ethereum rollup app-chain for verifiable machine-learning training')
  .version('0.1.0')
  .showHelpAfterError();

// Command modules export `register(program)`. Add one line per command file.
const commandModules: { register(program: Command): void }[] = [];
for (const m of commandModules) m.register(program);

await program.parseAsync(process.argv);
