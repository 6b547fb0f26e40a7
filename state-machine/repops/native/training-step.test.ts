// End to end: a few AdamW training steps of a small network (matmul+bias, layer norm, GELU, dropout,
// cross-entropy and all their gradients) run through the opcode table on the TypeScript and the
// native backend; every op output must hash the same. Skips when the addon is not built.
import { afterAll, describe, expect, it } from 'vitest';
import { runOp } from '../opcodes.ts';
import { getBackend, type Backend } from '../backend.ts';
import { tensorF32, tensorI32, type Tensor } from '../tensor.ts';
import { tensorHashHex } from '../tensor-hash.ts';
import { bitsOf } from '../f32.ts';
import type { Attrs } from '../ops/attrs.ts';
import { getNativeThreads, loadNativeKernels, nativeLoadError, setNativeThreads } from './load.ts';
import { Rng } from './test/cases.ts';

const available = loadNativeKernels() !== null;
if (!available) console.warn(`[repops native] training-step test skipped: ${nativeLoadError() ?? 'addon unavailable'}`);

const f = (x: number): number => bitsOf(Math.fround(x));

/** Runs `steps` training steps and returns "op:hash" for every op output, in order. */
function trainTrace(backend: Backend, steps: number): string[] {
  const trace: string[] = [];
  const run = (op: string, inputs: Tensor[], attrs: Attrs = {}): Tensor => {
    const t = runOp(backend, op, inputs, attrs);
    trace.push(`${op}:${tensorHashHex(t)}`);
    return t;
  };
  const B = 64, D = 784, H = 96, C = 10;
  const params: Tensor[] = [
    run('rand_normal', [], { shape: [D, H], seed: 7, stream: 1, mean: f(0), std: f(0.05) }),
    run('zeros', [], { shape: [H] }),
    run('rand_uniform', [], { shape: [H], seed: 7, stream: 2, low: f(0.9), high: f(1.1) }),
    run('zeros', [], { shape: [H] }),
    run('rand_normal', [], { shape: [H, C], seed: 7, stream: 3, mean: f(0), std: f(0.1) }),
    run('zeros', [], { shape: [C] }),
  ];
  const m = params.map((p) => run('zeros', [], { shape: p.shape }));
  const v = params.map((p) => run('zeros', [], { shape: p.shape }));
  const labelsRng = new Rng(99);
  const one = tensorF32([], [1]);
  for (let step = 1; step <= steps; step++) {
    const [W1, b1, g, beta, W2, b2] = params;
    const x = run('rand_uniform', [], { shape: [B, D], seed: 11, stream: 100 + step, low: f(-1), high: f(1) });
    const labels = tensorI32([B], Int32Array.from({ length: B }, () => labelsRng.int(0, C - 1)));
    const drop: Attrs = { p: f(0.1), seed: 3, stream: step };
    const h = run('matmul_bias', [x, W1, b1]);
    const n = run('layer_norm', [h, g, beta]);
    const a = run('gelu', [n]);
    const d = run('dropout', [a], drop);
    const logits = run('matmul_bias', [d, W2, b2]);
    run('cross_entropy', [logits, labels]);
    const dlogits = run('cross_entropy_backward', [logits, labels, one]);
    const dW2 = run('matmul', [d, dlogits], { transA: true });
    const db2 = run('sum_rows', [dlogits]);
    const dd = run('matmul', [dlogits, W2], { transB: true });
    const da = run('dropout_backward', [dd], drop);
    const dn = run('gelu_backward', [n, da]);
    const dh = run('layer_norm_backward_x', [h, g, dn]);
    const dg = run('layer_norm_backward_gamma', [h, dn]);
    const dbeta = run('sum_rows', [dn]);
    const dW1 = run('matmul', [x, dh], { transA: true });
    const db1 = run('sum_rows', [dh]);
    const grads = [dW1, db1, dg, dbeta, dW2, db2];
    const hyper = { lr: f(0.01), beta1: f(0.9), beta2: f(0.999), eps: f(1e-8), weightDecay: f(0.01), step };
    for (let i = 0; i < params.length; i++) {
      m[i] = run('adamw_m', [m[i], grads[i]], { beta1: hyper.beta1 });
      v[i] = run('adamw_v', [v[i], grads[i]], { beta2: hyper.beta2 });
      params[i] = run('adamw_param', [params[i], m[i], v[i]], hyper);
    }
  }
  return trace;
}

describe.skipIf(!available)('training steps on the native backend', () => {
  const threadsBefore = getNativeThreads();
  afterAll(() => {
    setNativeThreads(threadsBefore);
  });

  it('selects the native kernels', () => {
    const be = getBackend('native');
    expect(be.name).toBe('native');
    expect(be.nativeKernels).toContain('matmul');
  });

  const reference = (() => {
    let cached: string[] | undefined;
    return () => (cached ??= trainTrace(getBackend('ts'), 3));
  })();

  for (const threads of [1, 2]) {
    it(`hashes every op output like the TypeScript backend (${threads} thread(s))`, () => {
      setNativeThreads(threads);
      const native = trainTrace(getBackend('native'), 3);
      const ts = reference();
      expect(native.length).toBe(ts.length);
      expect(native).toEqual(ts);
    });
  }
});
