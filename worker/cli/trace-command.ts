// `verity trace --spec FILE --step t [--op j] [--out DIR] [--tensors]`: re-executes step t from
// C_{t-1} (the newest checkpoint in --out at or before it, replayed forward; C_0 without a store)
// and prints opRoot_t with every op record, or one op with the proofs a referee needs: as a table
// for people, or with --json as one JSON line for tools.
import type { Command } from 'commander';
import { bytesToHex, hexToBytes, type Bytes } from '../../state-machine/crypto/hash.ts';
import type { Hex } from '../../state-machine/crypto/hash.ts';
import type { MerkleProof } from '../../state-machine/merkle/tree.ts';
import { getBackend, type BackendName } from '../../state-machine/repops/backend.ts';
import { tensorHashHex } from '../../state-machine/repops/tensor-hash.ts';
import type { Tensor } from '../../state-machine/repops/tensor.ts';
import { specHashHex } from '../../state-machine/training/spec-validate.ts';
import { TrainingError } from '../../state-machine/training/errors.ts';
import { CheckpointStore } from '../store/checkpoint-store.ts';
import { loadSpecDataset, type CommittedDataset } from '../datasets/load.ts';
import { checkpointProof, opLeafProof, reexecuteStep, sampleProof, tensorProofIn, type OpRecord, type StepTrace } from '../trainer/reexecute.ts';
import { readSpecFile } from '../trainer/spec-file.ts';
import { stateAt } from '../trainer/state-at.ts';
import { createLogger } from '../../infra/logger.ts';
import { parseBackend, parseNonNegativeInt, runCommand } from './common.ts';
import { traceTable } from './trace-table.ts';

export interface TraceCommandOptions {
  spec: string;
  step: number;
  op?: number;
  out?: string;
  backend: BackendName;
  tensors?: boolean;
  /** one JSON line instead of the table */
  json?: boolean;
}

export type ProofJson = { index: number; siblings: Hex[] };
export type TensorJson = { dtype: string; shape: number[]; hash: Hex; dataBase64?: string };

/** What `verity trace` reports (the --json line). */
export type TraceResult = {
  step: number;
  replayedFrom: { step: number; root?: Hex };
  prevStateRoot: Hex;
  stateRoot: Hex;
  opRoot: Hex;
  datasetRoot: Hex;
  opCount: number;
  loss: number;
  checkpoint?: { traceRoot: Hex; committed: Hex; matches: boolean; proof: ProofJson };
  /** every op's record with its output's shape (without --op) */
  ops?: (OpRecord & { shape: number[] })[];
  /** one op with its proofs (with --op) */
  op?: OpDetail;
};

export type OpDetail = Omit<OpRecord, 'inputs'> & {
  leaf: Hex;
  leafProof: ProofJson;
  inputs: { ref: OpRecord['inputs'][number]; tensor: TensorJson; proof?: ProofJson; against?: string; samples?: { index: number; x: Hex; y: Hex; proof: ProofJson }[] }[];
  output: TensorJson;
};

const proofJson = (p: MerkleProof): ProofJson => ({ index: p.index, siblings: p.siblings.map((s: Bytes) => bytesToHex(s)) });

function tensorJson(t: Tensor, withData: boolean): TensorJson {
  const out: TensorJson = { dtype: t.dtype, shape: [...t.shape], hash: tensorHashHex(t) };
  if (withData) out.dataBase64 = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64');
  return out;
}

function opDetail(trace: StepTrace, prev: Tensor[], ds: CommittedDataset, j: number, withData: boolean): OpDetail {
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

export function runTrace(opts: TraceCommandOptions): TraceResult {
  const { spec, baseDir } = readSpecFile(opts.spec);
  if (opts.step < 1 || opts.step > spec.steps) throw new TrainingError('STEP_RANGE', `step ${opts.step} outside 1..${spec.steps}`);
  const dataset = loadSpecDataset(spec, baseDir);
  const log = createLogger('verity-worker');
  const backend = getBackend(opts.backend, (reason) => log.warn({ requested: opts.backend, using: 'ts' }, reason));
  const store = opts.out === undefined ? undefined : new CheckpointStore(opts.out);
  const prev = stateAt(spec, dataset, backend, opts.step - 1, store);
  // the step's outputs are held by the step run either way; keeping them costs no copy
  const trace = reexecuteStep({ spec, dataset, backend, prevState: prev.state, step: opts.step, keepTensors: true });
  const result: TraceResult = {
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
  if (opts.op === undefined) result.ops = trace.records.map((r, j) => ({ ...r, shape: [...(trace.outputs as Tensor[])[j].shape] }));
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
    .option('--json', 'print one JSON line (roots, every op record, proofs) instead of the table')
    .action((opts: TraceCommandOptions) => runCommand(opts.json === true, () => (opts.json ? runTrace(opts) : traceTable(runTrace(opts)))));
}
