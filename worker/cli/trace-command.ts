// `verity trace --spec FILE --step t [--op j] [--out DIR] [--tensors]`: re-executes step t from
// C_{t-1} (the newest checkpoint in --out at or before it, replayed forward; C_0 without a store)
// and prints opRoot_t with every op record, or one op with the proofs a referee needs.
import type { Command } from 'commander';
import { bytesToHex, hexToBytes, type Bytes } from '../../state-machine/crypto/hash.ts';
import type { MerkleProof } from '../../state-machine/merkle/tree.ts';
import { getBackend, type BackendName } from '../../state-machine/repops/backend.ts';
import { tensorHashHex } from '../../state-machine/repops/tensor-hash.ts';
import type { Tensor } from '../../state-machine/repops/tensor.ts';
import { specHashHex } from '../../state-machine/training/spec-validate.ts';
import { TrainingError } from '../../state-machine/training/errors.ts';
import { CheckpointStore } from '../store/checkpoint-store.ts';
import { loadSpecDataset, type CommittedDataset } from '../datasets/load.ts';
import { checkpointProof, opLeafProof, reexecuteStep, sampleProof, tensorProofIn, type StepTrace } from '../trainer/reexecute.ts';
import { readSpecFile } from '../trainer/spec-file.ts';
import { stateAt } from '../trainer/state-at.ts';
import { createLogger } from '../../infra/logger.ts';
import { parseBackend, parseNonNegativeInt, runCommand } from './common.ts';

export interface TraceCommandOptions {
  spec: string;
  step: number;
  op?: number;
  out?: string;
  backend: BackendName;
  tensors?: boolean;
}

const proofJson = (p: MerkleProof) => ({ index: p.index, siblings: p.siblings.map((s: Bytes) => bytesToHex(s)) });

function tensorJson(t: Tensor, withData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { dtype: t.dtype, shape: t.shape, hash: tensorHashHex(t) };
  if (withData) out.dataBase64 = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64');
  return out;
}

function opDetail(trace: StepTrace, prev: Tensor[], ds: CommittedDataset, j: number, withData: boolean): Record<string, unknown> {
  if (!Number.isSafeInteger(j) || j < 0 || j >= trace.records.length) {
    throw new TrainingError('BAD_INPUT_REF', `op ${j} outside 0..${trace.records.length - 1}`);
  }
  const rec = trace.records[j];
  const leaf = opLeafProof(trace, j);
  const ins = (trace.inputs as Tensor[][])[j];
  const inputs = rec.inputs.map((ref, k) => {
    const base = { ref, tensor: tensorJson(ins[k], withData) };
    switch (ref.kind) {
      case 'state':
        return { ...base, proof: proofJson(tensorProofIn(prev, ref.index).proof), against: 'prevStateRoot' };
      case 'op':
        return { ...base, proof: proofJson(opLeafProof(trace, ref.index).proof), against: 'opRoot' };
      case 'data':
        return {
          ...base,
          samples: ref.samples.map((i) => {
            const s = sampleProof(ds, i);
            return { index: i, x: tensorJson(s.x, false).hash, y: tensorJson(s.y, false).hash, proof: proofJson(s.proof) };
          }),
          against: 'datasetRoot',
        };
      case 'const':
        return base;
    }
  });
  return {
    ...rec,
    leaf: bytesToHex(leaf.leaf),
    leafProof: proofJson(leaf.proof),
    inputs,
    output: tensorJson((trace.outputs as Tensor[])[j], withData),
  };
}

export function runTrace(opts: TraceCommandOptions): Record<string, unknown> {
  const { spec, baseDir } = readSpecFile(opts.spec);
  if (opts.step < 1 || opts.step > spec.steps) throw new TrainingError('STEP_RANGE', `step ${opts.step} outside 1..${spec.steps}`);
  const dataset = loadSpecDataset(spec, baseDir);
  const log = createLogger('verity-worker');
  const backend = getBackend(opts.backend, (reason) => log.warn({ requested: opts.backend, using: 'ts' }, reason));
  const store = opts.out === undefined ? undefined : new CheckpointStore(opts.out);
  const prev = stateAt(spec, dataset, backend, opts.step - 1, store);
  const trace = reexecuteStep({ spec, dataset, backend, prevState: prev.state, step: opts.step, keepTensors: opts.op !== undefined });
  const result: Record<string, unknown> = {
    step: opts.step,
    replayedFrom: prev.from,
    prevStateRoot: trace.prevStateRoot,
    stateRoot: trace.stateRoot,
    opRoot: trace.opRoot,
    datasetRoot: dataset.root,
    opCount: trace.records.length,
    loss: trace.loss,
  };
  const manifest = store?.readManifest(specHashHex(spec));
  const ckpt = manifest?.checkpoints.find((c) => c.step === opts.step);
  if (manifest?.traceRoot !== undefined && ckpt !== undefined) {
    const proof = checkpointProof(spec, manifest.checkpoints.map((c) => hexToBytes(c.root)), opts.step);
    result.checkpoint = { traceRoot: manifest.traceRoot, committed: ckpt.root, matches: ckpt.root === trace.stateRoot, proof: proofJson(proof.proof) };
  }
  if (opts.op === undefined) result.ops = trace.records;
  else result.op = opDetail(trace, prev.state, dataset, opts.op, opts.tensors === true);
  return result;
}

export function register(program: Command): void {
  program
    .command('trace')
    .description("re-execute one training step from its checkpoint; print opRoot and the op records (or one op's proofs)")
    .requiredOption('--spec <file>', 'task spec JSON')
    .requiredOption('--step <t>', 'step to re-execute (1..T)', parseNonNegativeInt)
    .option('--op <j>', 'one op: its record, leaf proof, input tensors and their proofs', parseNonNegativeInt)
    .option('--out <dir>', 'checkpoint store written by `verity train --out`')
    .option('--backend <name>', 'RepOps backend: ts | native', parseBackend, 'native')
    .option('--tensors', 'with --op: include tensor bytes (base64, little-endian)')
    .action((opts: TraceCommandOptions) => runCommand(true, () => runTrace(opts)));
}
