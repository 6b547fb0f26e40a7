// Exhaustive sweep of the RepOps transcendentals over float32 bit patterns: max ulp error against the
// double-precision reference rounded to float32, and (when the native addon loads) the number of
// inputs where native and TypeScript bits differ. Not a test: the full 2^32 sweep takes hours in TS.
//   npx tsx bench/transcendentals-sweep.ts [--fn exp,log,…] [--stride 1] [--from 0] [--to 4294967296]
import { Command } from 'commander';
import { tsKernels } from '../state-machine/repops/ts-kernels.ts';
import { getBackend } from '../state-machine/repops/backend.ts';
import type { Kernels } from '../state-machine/repops/kernels.ts';
import { ulpDistance } from '../state-machine/repops/f32.ts';

type Name = 'exp' | 'log' | 'tanh' | 'sigmoid' | 'sin' | 'cos';
const REFS: Record<Name, (x: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  sin: Math.sin,
  cos: Math.cos,
};

const opts = new Command()
  .option('--fn <names>', 'comma-separated functions', Object.keys(REFS).join(','))
  .option('--stride <n>', 'visit every n-th bit pattern', '1')
  .option('--from <n>', 'first bit pattern', '0')
  .option('--to <n>', 'end bit pattern (exclusive)', String(2 ** 32))
  .parse()
  .opts<{ fn: string; stride: string; from: string; to: string }>();

const stride = Number(opts.stride), from = Number(opts.from), to = Number(opts.to);
const native = getBackend('native', (m) => console.error(m));
const CHUNK = 1 << 20;
const bits = new Uint32Array(CHUNK);
const xs = new Float32Array(bits.buffer);
const a = new Float32Array(CHUNK), b = new Float32Array(CHUNK);

for (const name of opts.fn.split(',') as Name[]) {
  const ref = REFS[name];
  let maxUlp = 0, worst = 0, differ = 0, over1 = 0, count = 0;
  const t0 = performance.now();
  for (let start = from; start < to; start += CHUNK * stride) {
    let n = 0;
    for (let v = start; v < to && n < CHUNK; v += stride) bits[n++] = v;
    const x = xs.subarray(0, n), ya = a.subarray(0, n), yb = b.subarray(0, n);
    (tsKernels[name] as Kernels['exp'])(x, ya);
    if (native.name === 'native') (native.kernels[name] as Kernels['exp'])(x, yb);
    for (let i = 0; i < n; i++) {
      const d = ulpDistance(ya[i], Math.fround(ref(x[i])));
      if (d > 1) over1++;
      if (d > maxUlp) {
        maxUlp = d;
        worst = bits[i];
      }
      if (native.name === 'native' && !Object.is(ya[i], yb[i]) && !(Number.isNaN(ya[i]) && Number.isNaN(yb[i]))) differ++;
    }
    count += n;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({
    fn: name, inputs: count, maxUlp, worstBits: `0x${worst.toString(16)}`, over1Ulp: over1,
    nativeDiffers: native.name === 'native' ? differ : 'native not loaded', seconds: Number(s.toFixed(1)),
  }));
}
