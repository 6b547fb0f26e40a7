// RepOps matmul throughput: native addon vs the TypeScript reference, GFLOP/s (median of repeated
// runs), at the MLP layer shape 128×784×256 and a few square sizes, with 1 and 2 native threads.
// Also the per-element cost of the elementwise transcendentals. Run: npx tsx bench/matmul.ts
import { cpus } from 'node:os';
import { tsKernels } from '../state-machine/repops/ts-kernels.ts';
import type { Kernels } from '../state-machine/repops/kernels.ts';
import { loadNativeKernels, nativeLoadError, setNativeThreads } from '../state-machine/repops/native/load.ts';
import { median } from './stats.ts';

function fill(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    a[i] = ((x >>> 0) / 4294967296) * 2 - 1;
  }
  return a;
}

/**
 * Median seconds per call of fn, over `reps` timed calls after `warm` untimed ones: wall clock, or
 * the process's CPU time (user + system), which is robust when other work shares the cores but only
 * meaningful for a single thread.
 */
function time(fn: () => void, reps: number, warm: number, clock: 'wall' | 'cpu' = 'wall'): number {
  for (let i = 0; i < warm; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    if (clock === 'cpu') {
      const u0 = process.cpuUsage();
      fn();
      const u = process.cpuUsage(u0);
      t.push((u.user + u.system) / 1e6);
    } else {
      const t0 = process.hrtime.bigint();
      fn();
      t.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
  return median(t);
}

function matmulGflops(k: Pick<Kernels, 'matmul'>, M: number, K: number, N: number, ta: boolean, tb: boolean, budgetFlops: number, clock: 'wall' | 'cpu' = 'wall'): number {
  const a = fill(M * K, 1), b = fill(K * N, 2), out = new Float32Array(M * N);
  const flops = 2 * M * K * N;
  const reps = Math.max(3, Math.min(200, Math.floor(budgetFlops / flops)));
  const s = time(() => k.matmul(a, b, out, M, K, N, ta, tb), reps, Math.min(10, reps), clock);
  return flops / s / 1e9;
}

const native = loadNativeKernels();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`# RepOps matmul bench — ${new Date().toISOString()} — ${cpu}, ${cpus().length} cores, Node ${process.version}`);
if (native === null) console.log(`native addon unavailable: ${nativeLoadError() ?? ''} (TypeScript only)`);

const shapes: [number, number, number, boolean, boolean][] = [
  [128, 784, 256, false, false],
  [784, 128, 256, true, false], // weight gradient Xᵀ·dY
  [128, 256, 784, false, true], // input gradient dY·Wᵀ
  [64, 64, 64, false, false],
  [256, 256, 256, false, false],
  [512, 512, 512, false, false],
  [1024, 1024, 1024, false, false],
];

console.log('\n| M×K×N | op | TS GFLOP/s | native 1 thread | native 1 thread (CPU time) | native 2 threads |');
console.log('|---|---|---|---|---|---|');
for (const [M, K, N, ta, tb] of shapes) {
  const op = `${ta ? 'Aᵀ' : 'A'}·${tb ? 'Bᵀ' : 'B'}`;
  const tsG = M * K * N <= 512 ** 3 ? matmulGflops(tsKernels, M, K, N, ta, tb, 3e8).toFixed(2) : '—';
  let n1 = '—', n1cpu = '—', n2 = '—';
  if (native?.matmul !== undefined) {
    const nk = native as Pick<Kernels, 'matmul'>;
    setNativeThreads(1);
    n1 = matmulGflops(nk, M, K, N, ta, tb, 1e10).toFixed(1);
    n1cpu = M * K * N >= 1 << 22 ? matmulGflops(nk, M, K, N, ta, tb, 1e10, 'cpu').toFixed(1) : '—';
    setNativeThreads(2);
    n2 = matmulGflops(nk, M, K, N, ta, tb, 2e10).toFixed(1);
  }
  console.log(`| ${M}×${K}×${N} | ${op} | ${tsG} | ${n1} | ${n1cpu} | ${n2} |`);
}

// Elementwise transcendentals, ns per element (1 thread), on values in [-1, 1) (log on (0, 2)).
const n = 1 << 16;
const x = fill(n, 3), pos = x.map((v) => v + 1.0001), out = new Float32Array(n);
const unary = ['exp', 'log', 'tanh', 'sigmoid', 'sin', 'cos', 'gelu'] as const;
console.log('\n| kernel | TS ns/element | native ns/element (1 thread) |');
console.log('|---|---|---|');
setNativeThreads(1);
for (const name of unary) {
  const input = name === 'log' ? pos : x;
  const tsNs = (time(() => tsKernels[name](input, out), 20, 3) / n) * 1e9;
  const nf = native?.[name];
  const nNs = nf === undefined ? NaN : (time(() => nf(input, out), 200, 10) / n) * 1e9;
  console.log(`| ${name} | ${tsNs.toFixed(1)} | ${Number.isNaN(nNs) ? '—' : nNs.toFixed(2)} |`);
}
setNativeThreads(cpus().length);
