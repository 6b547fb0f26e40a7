// `verity train --spec FILE [--backend ts|native] [--json] [--out DIR]`
import type { Command } from 'commander';
import { getBackend, type BackendName } from '../../state-machine/repops/backend.ts';
import { CheckpointStore } from '../store/checkpoint-store.ts';
import { loadSpecDataset } from '../datasets/load.ts';
import { readSpecFile } from '../trainer/spec-file.ts';
import { train } from '../trainer/train.ts';
import { ProgressBar } from './progress.ts';
import { createLogger } from '../../infra/logger.ts';
import { parseBackend, runCommand } from './common.ts';

export interface TrainCommandOptions {
  spec: string;
  backend: BackendName;
  json?: boolean;
  out?: string;
}

export function runTrain(opts: TrainCommandOptions): Record<string, unknown> {
  const { spec, baseDir } = readSpecFile(opts.spec);
  const dataset = loadSpecDataset(spec, baseDir);
  const log = createLogger('verity-worker');
  const backend = getBackend(opts.backend, (reason) => log.warn({ requested: opts.backend, using: 'ts' }, reason));
  const store = opts.out === undefined ? undefined : new CheckpointStore(opts.out, { background: true });
  const bar = new ProgressBar(spec.steps);
  const started = performance.now();
  const r = train({ spec, dataset, backend, store, onStep: (t, loss) => bar.update(t, loss) });
  const seconds = (performance.now() - started) / 1000;
  bar.finish(r.steps, r.finalLoss);
  return {
    spec: spec.name,
    specHash: r.specHash,
    backend: r.backend,
    steps: r.steps,
    traceRoot: r.traceRoot,
    modelHash: r.modelHash,
    testAccuracy: r.testAccuracy,
    finalLoss: r.finalLoss,
    checkpoints: r.checkpoints.length,
    datasetRoot: dataset.root,
    seconds: Number(seconds.toFixed(3)),
    stepsPerSecond: Number((r.steps / seconds).toFixed(2)),
    ...(opts.out === undefined ? {} : { out: opts.out }),
  };
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train a model from a task spec with RepOps; prints traceRoot, model hash and test accuracy')
    .requiredOption('--spec <file>', 'task spec JSON')
    .option('--backend <name>', 'RepOps backend: ts | native (falls back to ts, with a warning)', parseBackend, 'native')
    .option('--json', 'print one JSON object on stdout')
    .option('--out <dir>', 'checkpoint store directory (keeps C_0, C_k, …, C_T)')
    .action((opts: TrainCommandOptions) =>
      runCommand(opts.json === true, () => {
        const r = runTrain(opts);
        if (opts.json) return r;
        return [
          `spec          ${String(r.spec)} (${String(r.specHash)})`,
          `backend       ${String(r.backend)}`,
          `steps         ${String(r.steps)} in ${String(r.seconds)} s (${String(r.stepsPerSecond)} steps/s)`,
          `final loss    ${Number(r.finalLoss).toFixed(4)}`,
          `test accuracy ${(Number(r.testAccuracy) * 100).toFixed(2)} %`,
          `traceRoot     ${String(r.traceRoot)}`,
          `modelHash     ${String(r.modelHash)}`,
        ].join('\n');
      }),
    );
}
