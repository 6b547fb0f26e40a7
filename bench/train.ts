// Training benchmark (`npm run bench:train`, not a test). For the Fashion-MNIST MLP 784-256-10 at
// batch 128 (random data of the same shape when Debian's dataset-fashion-mnist is not installed) and
// the digits MLP example, on the same thread count T (--threads, default 1):
//   - median step time of the RepOps trainer on the native backend (graph derivation, batch selection,
//     data gathering and every op included; commitments off),
//   - median step time of PyTorch CPU (Debian python3-torch via /usr/bin/python3, same T, same weight
//     decay) and the ratio. Both skip the same --warmup steps (default 200: V8 needs a few hundred
//     steps of the small model to finish optimising) and time --steps steps (default 300); this
//     repeats --rounds times (default 3), alternating the two, and reports the median of the rounds'
//     medians and the range of the per-round ratios (the machine may be shared),
//   - trace overhead at the spec's k: hashing C_t once per k steps against k steps, and with the
//     checkpoint store write (background thread as `verity train --out` uses it, and synchronous),
// plus one native matmul's GFLOP/s per thread at the 784→256 layer shape and at 512³.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getBackend, type Backend } from '../state-machine/repops/backend.ts';
import { getNativeThreads, setNativeThreads } from '../state-machine/repops/native/load.ts';
import type { TaskSpec } from '../state-machine/training/spec.ts';
import type { Dataset } from '../worker/datasets/dataset.ts';
import { DatasetError } from '../worker/datasets/errors.ts';
import { commitDataset, loadSpecDataset, type CommittedDataset } from '../worker/datasets/load.ts';
import { readSpecFile } from '../worker/trainer/spec-file.ts';
import { train } from '../worker/trainer/train.ts';
import { CheckpointStore } from '../worker/store/checkpoint-store.ts';
import { stateRoot } from '../state-machine/training/commitments.ts';
import { bytesToHex } from '../state-machine/crypto/hash.ts';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const THREADS = arg('threads', 1);
const STEPS = arg('steps', 300);
const WARMUP = arg('warmup', 200);
const ROUNDS = arg('rounds', 3);
const root = join(import.meta.dirname, '..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Random 0..255 pixels in the spec's shape; the spec is rewritten to this data set's root. */
function randomData(spec: TaskSpec): { spec: TaskSpec; data: CommittedDataset } {
  const features = spec.model.kind === 'mlp' ? spec.model.layers[0] : 0;
  const count = 12_000;
  let s = 12345;
  const x = new Float32Array(count * features);
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = s >>> 24;
  }
  const y = Int32Array.from({ length: count }, (_, i) => i % 10);
  const ds: Dataset = { name: 'random', count, xDtype: 'f32', xShape: [features], yShape: [], x, y };
  const data = commitDataset(ds);
  return { spec: { ...spec, dataset: { ...spec.dataset, root: data.root, samples: count, test: 2000 } }, data };
}

function load(file: string): { spec: TaskSpec; data: CommittedDataset; source: string } {
  const f = readSpecFile(join(root, 'worker', 'examples', file));
  try {
    return { spec: f.spec, data: loadSpecDataset(f.spec, f.baseDir), source: f.spec.dataset.name };
  } catch (e) {
    if (!(e instanceof DatasetError)) throw e;
    return { ...randomData(f.spec), source: 'random data (data set not installed)' };
  }
}

/** Per-step wall times of STEPS steps after WARMUP untimed ones (commitments off). */
function stepTimes(spec: TaskSpec, data: CommittedDataset, backend: Backend): number[] {
  const times: number[] = [];
  let last = performance.now();
  train({ spec: { ...spec, steps: WARMUP + STEPS }, dataset: data, backend, commit: false, skipEval: true, onStep: () => {
    const now = performance.now();
    times.push(now - last);
    last = now;
  } });
  return times.slice(WARMUP);
}

/**
 * Cost of committing one checkpoint: C_t = merkleRoot(tensorHash of every state tensor), median of
 * 400 hashes of a trained state after 200 warm-up ones; and the same plus the durable store write (fsync).
 */
function checkpointCost(spec: TaskSpec, data: CommittedDataset, backend: Backend): { hashMs: number; storeMs: number; bgMs: number } {
  const state = train({ spec: { ...spec, steps: 2 }, dataset: data, backend, commit: false, skipEval: true }).finalState;
  const hash: number[] = [];
  for (let r = 0; r < 600; r++) {
    const t0 = performance.now();
    stateRoot(state);
    hash.push(performance.now() - t0);
  }
  hash.splice(0, 200); // warm-up, as for the steps
  const dir = mkdtempSync(join(tmpdir(), 'verity-bench-'));
  const timePuts = (store: CheckpointStore, base: number): number => {
    const put: number[] = [];
    for (let r = 0; r < 5; r++) {
      state[0].data[0] = base + r; // a new root each time, so every put writes
      const root = bytesToHex(stateRoot(state)); // hashing is counted separately
      const t0 = performance.now();
      store.put(state, root);
      put.push(performance.now() - t0);
      store.flush(); // outside the timed region: the background write overlaps the next k steps
    }
    return median(put);
  };
  const storeMs = timePuts(new CheckpointStore(dir), 0);
  const bgMs = timePuts(new CheckpointStore(dir, { background: true }), 100);
  rmSync(dir, { recursive: true, force: true });
  return { hashMs: median(hash), storeMs, bgMs };
}

function torchStep(layers: number[], batch: number, weightDecay: number): { ms: number; version: string } | string {
  try {
    const script = join(root, 'bench', 'train_torch.py');
    const out = execFileSync('/usr/bin/python3', [script, layers.join(','), String(batch), String(STEPS), String(THREADS), String(WARMUP), String(weightDecay)], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(THREADS), OMP_NUM_THREADS: String(THREADS), MKL_NUM_THREADS: String(THREADS) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = JSON.parse(out.trim().split('\n').pop() as string) as { median_ms: number; torch: string };
    return { ms: r.median_ms, version: r.torch };
  } catch (e) {
    return `PyTorch unavailable (${(e as Error).message.split('\n')[0]})`;
  }
}

function matmulGflops(backend: Backend, M: number, K: number, N: number): number {
  const a = new Float32Array(M * K).map((_, i) => ((i * 37) % 101) / 101 - 0.5);
  const b = new Float32Array(K * N).map((_, i) => ((i * 53) % 103) / 103 - 0.5);
  const out = new Float32Array(M * N);
  const flops = 2 * M * K * N;
  const reps = Math.max(5, Math.min(300, Math.floor(3e9 / flops)));
  const t: number[] = [];
  for (let r = 0; r < reps + 5; r++) {
    const t0 = process.hrtime.bigint();
    backend.kernels.matmul(a, b, out, M, K, N, false, false);
    if (r >= 5) t.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return flops / median(t) / 1e9;
}

const backend = getBackend('native');
if (backend.name === 'native') setNativeThreads(THREADS);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
console.log(`# Training bench ${new Date().toISOString().slice(0, 10)}: ${machine}`);
console.log(`backend ${backend.name}, ${backend.name === 'native' ? getNativeThreads() : 1} thread(s); PyTorch ${THREADS} thread(s); ${ROUNDS} rounds of ${WARMUP} warm-up + ${STEPS} timed steps`);

const rows: string[] = [];
for (const file of ['fashion-mlp-784-256-10.json', 'digits-mlp.json']) {
  const { spec, data, source } = load(file);
  if (spec.model.kind !== 'mlp') continue;
  const weightDecay = spec.optimizer.kind === 'sgd-momentum' ? spec.optimizer.weightDecay : 0;
  const nativeRounds: number[] = [];
  const torchRounds: number[] = [];
  let torchError = '';
  let torchVersion = '';
  for (let r = 0; r < ROUNDS; r++) {
    nativeRounds.push(median(stepTimes(spec, data, backend)));
    const t = torchStep(spec.model.layers, spec.batchSize, weightDecay);
    if (typeof t === 'string') torchError = t;
    else {
      torchRounds.push(t.ms);
      torchVersion = t.version;
    }
  }
  const native = median(nativeRounds);
  const torch = torchRounds.length === ROUNDS ? median(torchRounds) : torchError;
  const ratios = torchRounds.map((t, i) => t / nativeRounds[i]);
  const k = spec.checkpointInterval;
  const c = checkpointCost(spec, data, backend);
  // per k-step segment: k steps plus one commitment, against k steps alone
  const overhead = c.hashMs / (k * native);
  const overheadStored = (c.hashMs + c.storeMs) / (k * native);
  const overheadBg = (c.hashMs + c.bgMs) / (k * native);
  const torchCell = typeof torch === 'string' ? torch : `${torch.toFixed(3)} ms (torch ${torchVersion})`;
  const ratio = typeof torch === 'string' ? 'n/a' : `${(torch / native).toFixed(2)} (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
  rows.push(
    `| ${spec.model.layers.join('-')}, batch ${spec.batchSize} (${source}) | ${native.toFixed(3)} ms | ${torchCell} | ${ratio} | ${(overhead * 100).toFixed(2)} % (k = ${k}; C_t hash ${c.hashMs.toFixed(2)} ms) | ${(overheadBg * 100).toFixed(2)} % (${c.bgMs.toFixed(2)} ms on the training thread) | ${(overheadStored * 100).toFixed(2)} % (${c.storeMs.toFixed(2)} ms) |`,
  );
  console.log(rows[rows.length - 1]);
}
const g1 = matmulGflops(backend, 128, 784, 256);
const g2 = matmulGflops(backend, 512, 512, 512);
console.log(`matmul GFLOP/s (${backend.name}, ${THREADS} thread(s)): 128x784x256 ${g1.toFixed(1)}, 512^3 ${g2.toFixed(1)}`);
console.log('\n| model | RepOps native step (median of rounds) | PyTorch CPU step (median of rounds) | PyTorch / RepOps | trace overhead (hash C_t) | + background store write | + synchronous store write |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
