// Level 4, the referee: either party proves the inputs of the disputed op against agreed data
// (earlier op leaves of the step, tensors of the agreed C_{t-1}, data samples against the spec's
// data set root; constants come from the graph), then the chain re-runs that one op with the pure
// TypeScript RepOps reference, hashes the output and compares it with both parties' op leaves.
// Also the level-3 case of equal op roots: the state ops' output hashes decide who mis-hashed C_t.
import { getAbiItem } from 'viem';
import { bytesToHex, concatBytes, hexToBytes, type Bytes, type Hex } from '../../crypto/hash.ts';
import { merkleRoot, treeDepth, verifyMerkleProof } from '../../merkle/tree.ts';
import { REFERENCE_BACKEND } from '../../repops/reference.ts';
import { opByCode } from '../../repops/opcodes.ts';
import { tensorFromBytes, tensorHash } from '../../repops/tensor-hash.ts';
import { numel, type Tensor } from '../../repops/tensor.ts';
import { checkpointSteps, opLeaf, segmentSteps } from '../../training/commitments.ts';
import { constTensor } from '../../training/executor.ts';
import type { InputRef } from '../../training/graph.ts';
import { sampleHash } from '../../training/sample-hash.ts';
import type { TaskSpec } from '../../training/spec.ts';
import { eventLog } from '../events.ts';
import type { CallContext } from '../framework.ts';
import { verdeAbi } from './abi.ts';
import { verdeErrors } from './errors.ts';
import type { VerdeTasks } from './expected.ts';
import { VERDE_ADDRESS, ZERO, loadDispute, resolve } from './game.ts';
import { graphOfStep } from '../../training/graph-of-step.ts';
import { Level, Outcome, getInput, getTrail, getUpload, setInput, setTrail, setUpload, type DisputeRecord } from './records.ts';

/** Gas of the re-run: per element read or written, plus per multiply-add of a matmul-like op (documented in docs/verde.md). */
const REFEREE_GAS_PER_ELEMENT = 24n;
const PROOF_GAS_PER_NODE = 200n;
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

const provenEvent = getAbiItem({ abi: verdeAbi, name: 'InputProven' });
const refereedEvent = getAbiItem({ abi: verdeAbi, name: 'Refereed' });

type Deps = { tasks: VerdeTasks };

function disputedOp(ctx: CallContext, deps: Deps, d: DisputeRecord) {
  const spec = deps.tasks.spec(ctx, d.taskId);
  const graph = graphOfStep(spec, Number(d.step));
  return { spec, graph, op: graph.ops[d.op] };
}

function proofNodes(ctx: CallContext, proof: readonly Hex[]): Bytes[] {
  ctx.useGas(BigInt(proof.length) * PROOF_GAS_PER_NODE);
  return proof.map((h) => hexToBytes(h));
}

/** The agreed C_{t-1}: leaf s-1 of the (common prefix of the) segment trees, or leaf i-1 of traceRoot. */
export function proveState(ctx: CallContext, deps: Deps, id: bigint, stateRoot: Hex, proof: readonly Hex[]): void {
  const d = loadDispute(ctx, id);
  if (d.level !== Level.Referee && d.level !== Level.Ops) throw verdeErrors.wrongLevel(id, d.level, 'proveState');
  if (d.step === 0n) throw verdeErrors.badInput('step 0 (initialisation) reads no state');
  const spec = deps.tasks.spec(ctx, d.taskId);
  const trail = getTrail(ctx.store, id);
  const steps = segmentSteps(spec.steps, spec.checkpointInterval, d.segment);
  const s = steps.indexOf(Number(d.step));
  const siblings = proofNodes(ctx, proof);
  // leaves before the located one are common to both parties' trees; a proof against either root will do
  const [roots, index, count] = s > 0
    ? [[trail.solverSegment, trail.challengerSegment], s - 1, steps.length]
    : [[trail.solverTrace, trail.challengerTrace], d.segment - 1, checkpointSteps(spec.steps, spec.checkpointInterval).length];
  const ok = roots.some((r) => r !== ZERO && verifyMerkleProof(hexToBytes(r), hexToBytes(stateRoot), { index, siblings }, count));
  if (!ok) throw verdeErrors.badInput(`state root is not the agreed C_${d.step - 1n}`);
  setTrail(ctx.store, id, { ...trail, agreedState: stateRoot });
}

/** Bytes of a proven tensor: given inline, or uploaded earlier in chunks. */
function inputBytes(ctx: CallContext, id: bigint, input: number, data: Hex): Bytes {
  const inline = hexToBytes(data);
  if (inline.length > 0) return inline;
  const up = getUpload(ctx.store, id, input);
  setUpload(ctx.store, id, input, new Uint8Array(0));
  return up;
}

function tensorOf(dtype: number, shape: readonly number[], bytes: Bytes): Tensor {
  if (dtype !== 0 && dtype !== 1) throw verdeErrors.badInput('dtype must be 0 (f32) or 1 (i32)');
  if (shape.length > 8 || bytes.length !== numel(shape) * 4) throw verdeErrors.badInput(`${bytes.length} bytes for shape [${shape.join(', ')}]`);
  return tensorFromBytes(dtype === 0 ? 'f32' : 'i32', shape, bytes);
}

export function uploadChunk(ctx: CallContext, id: bigint, input: number, offset: number, data: Hex): void {
  const d = loadDispute(ctx, id);
  if (d.level !== Level.Referee) throw verdeErrors.wrongLevel(id, d.level, 'uploadChunk');
  const have = getUpload(ctx.store, id, input);
  if (offset !== have.length) throw verdeErrors.badInput(`expected offset ${have.length}, got ${offset}`);
  const chunk = hexToBytes(data);
  if (have.length + chunk.length > MAX_INPUT_BYTES) throw verdeErrors.badInput('input too large');
  ctx.useGas(BigInt(chunk.length) * 8n);
  setUpload(ctx.store, id, input, concatBytes(have, chunk));
}

/** Per-sample label shape: a class index, or a token window for a language model. */
function labelShape(spec: TaskSpec): number[] {
  return spec.model.kind === 'transformer' ? [spec.model.context] : [];
}

export function proveInput(
  ctx: CallContext, deps: Deps, id: bigint, input: number, dtype: number, shape: readonly number[], data: Hex, labels: Hex, proof: readonly Hex[],
): void {
  const d = loadDispute(ctx, id);
  if (d.level !== Level.Referee) throw verdeErrors.wrongLevel(id, d.level, 'proveInput');
  const { spec, graph, op } = disputedOp(ctx, deps, d);
  const ref: InputRef | undefined = op.inputs[input];
  if (ref === undefined) throw verdeErrors.badInput(`op ${d.op} has ${op.inputs.length} inputs`);
  if (ref.kind === 'const') throw verdeErrors.badInput('constants come from the graph');
  const bytes = inputBytes(ctx, id, input, data);
  let tensor: Tensor;
  if (ref.kind === 'op') {
    tensor = tensorOf(dtype, shape, bytes);
    const leaf = opLeaf(ref.index, graph.ops[ref.index].opcode, tensorHash(tensor));
    // leaves before the disputed op are common to both op trees: a proof against either root will do
    const siblings = proofNodes(ctx, proof);
    const proven = [d.solverRoot, d.challengerRoot].some((r) => verifyMerkleProof(hexToBytes(r), leaf, { index: ref.index, siblings }, graph.ops.length));
    if (!proven) {
      throw verdeErrors.badInput(`not the output of op ${ref.index}`);
    }
  } else if (ref.kind === 'state') {
    const agreed = getTrail(ctx.store, id).agreedState;
    if (agreed === ZERO) throw verdeErrors.badInput('prove the agreed state first (proveState)');
    tensor = tensorOf(dtype, shape, bytes);
    if (!verifyMerkleProof(hexToBytes(agreed), tensorHash(tensor), { index: ref.index, siblings: proofNodes(ctx, proof) }, graph.stateCount)) {
      throw verdeErrors.badInput(`not tensor ${ref.index} of the agreed state`);
    }
  } else {
    tensor = proveSamples(ctx, spec, ref, dtype, shape, bytes, hexToBytes(labels), proof);
  }
  setInput(ctx.store, id, input, tensor);
  ctx.logs.push(eventLog(VERDE_ADDRESS, provenEvent, [id, input, bytesToHex(tensorHash(tensor))]));
}

/** Each sample (x, y) against the data set root; the input is the stacked field viewed with the ref's shape. */
function proveSamples(
  ctx: CallContext, spec: TaskSpec, ref: Extract<InputRef, { kind: 'data' }>, dtype: number, xShape: readonly number[], xs: Bytes, ys: Bytes, proof: readonly Hex[],
): Tensor {
  const n = ref.samples.length;
  const xSize = numel(xShape) * 4;
  const yShape = labelShape(spec);
  const ySize = numel(yShape) * 4;
  const depth = treeDepth(spec.dataset.samples);
  if (xs.length !== n * xSize || ys.length !== n * ySize) throw verdeErrors.badInput(`${n} samples need ${n * xSize} feature and ${n * ySize} label bytes`);
  if (proof.length !== n * depth) throw verdeErrors.badInput(`${n} sample proofs of ${depth} nodes each`);
  const nodes = proofNodes(ctx, proof);
  const root = hexToBytes(spec.dataset.root);
  ref.samples.forEach((sample, i) => {
    const x = tensorOf(dtype, xShape, xs.subarray(i * xSize, (i + 1) * xSize));
    const y = tensorOf(1, yShape, ys.subarray(i * ySize, (i + 1) * ySize));
    if (!verifyMerkleProof(root, sampleHash(x, y), { index: sample, siblings: nodes.slice(i * depth, (i + 1) * depth) }, spec.dataset.samples)) {
      throw verdeErrors.badInput(`sample ${sample} is not in the data set`);
    }
  });
  const stacked = ref.field === 'x' ? xs : ys;
  return tensorOf(ref.field === 'x' ? dtype : 1, ref.shape, stacked);
}

export function referee(ctx: CallContext, deps: Deps, id: bigint): void {
  const d = loadDispute(ctx, id);
  if (d.level !== Level.Referee) throw verdeErrors.wrongLevel(id, d.level, 'referee');
  const { op } = disputedOp(ctx, deps, d);
  const inputs = op.inputs.map((ref, k) => {
    if (ref.kind === 'const') return constTensor(ref);
    const t = getInput(ctx.store, id, k);
    if (t === undefined) throw verdeErrors.badInput(`input ${k} of op ${d.op} is not proven yet`);
    return t;
  });
  const elements = inputs.reduce((s, t) => s + numel(t.shape), 0);
  ctx.useGas(BigInt(elements) * REFEREE_GAS_PER_ELEMENT);
  const out = opByCode(op.opcode).run(REFERENCE_BACKEND, inputs, op.attrs);
  ctx.useGas(BigInt(numel(out.shape)) * REFEREE_GAS_PER_ELEMENT);
  const hash = tensorHash(out);
  const leaf = bytesToHex(opLeaf(d.op, op.opcode, hash));
  const solverRight = leaf === d.solverNode;
  const challengerRight = leaf === d.challengerNode;
  d.refereeLeaf = leaf;
  op.inputs.forEach((_, k) => setInput(ctx.store, id, k, undefined));
  ctx.logs.push(eventLog(VERDE_ADDRESS, refereedEvent, [id, d.op, op.opcode, bytesToHex(hash), leaf, solverRight, challengerRight]));
  const outcome = solverRight ? Outcome.SolverWon : challengerRight ? Outcome.ChallengerWon : Outcome.BothLost;
  resolve(ctx, deps, d, outcome, `the referee re-ran op ${d.op} (${op.name}) of step ${d.step}`);
}

/** Equal op roots: C_t follows from the state ops' outputs; a claim that differs mis-hashed C_t. */
export function proveOutputs(ctx: CallContext, deps: Deps, id: bigint, outputHashes: readonly Hex[], proofs: readonly Hex[]): void {
  const d = loadDispute(ctx, id);
  if (d.level !== Level.Ops || d.solverRoot === ZERO || d.solverRoot !== d.challengerRoot) throw verdeErrors.wrongLevel(id, d.level, 'proveOutputs');
  const { graph } = disputedOp(ctx, deps, d);
  const m = graph.ops.length;
  const depth = treeDepth(m);
  if (outputHashes.length !== graph.stateCount || proofs.length !== graph.stateCount * depth) throw verdeErrors.badInput(`${graph.stateCount} state outputs with ${depth}-node proofs`);
  const nodes = proofNodes(ctx, proofs);
  const hashes = outputHashes.map((h, q) => {
    const j = m - graph.stateCount + q;
    const hash = hexToBytes(h);
    if (!verifyMerkleProof(hexToBytes(d.solverRoot), opLeaf(j, graph.ops[j].opcode, hash), { index: j, siblings: nodes.slice(q * depth, (q + 1) * depth) }, m)) {
      throw verdeErrors.badInput(`output ${q} is not op ${j}'s leaf`);
    }
    return hash;
  });
  const state = bytesToHex(merkleRoot(hashes));
  const solverRight = state === d.solverClaim;
  const challengerRight = state === d.challengerClaim;
  d.refereeLeaf = state;
  const outcome = solverRight ? Outcome.SolverWon : challengerRight ? Outcome.ChallengerWon : Outcome.BothLost;
  resolve(ctx, deps, d, outcome, `equal op roots; the state outputs give C_${d.step} = ${state}`);
}
