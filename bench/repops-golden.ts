// Regenerates state-machine/repops/golden.json from the recipes below with the TypeScript reference
// backend. Run only when an operator contract changes on purpose (then every backend must follow):
//   npx tsx bench/repops-golden.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getBackend } from '../state-machine/repops/backend.ts';
import { goldenHash, GOLDEN_SEED, type GoldenCase, type InputRecipe } from '../state-machine/repops/golden.ts';
import type { Attrs } from '../state-machine/repops/ops/attrs.ts';

let stream = 0;
const u = (shape: number[], low = -2, high = 2): InputRecipe => ({ dtype: 'f32', shape, low, high, stream: stream++ });
const ids = (shape: number[], below: number): InputRecipe => ({ dtype: 'i32', shape, below, stream: stream++ });
const bits = (b: number[]): InputRecipe => ({ dtype: 'f32', shape: [b.length], bits: b });

// zeros, ±denormals, ±1, ±Inf, NaN, exp/tanh thresholds, π, large and huge arguments, near k·π/2
const SPECIAL = bits([
  0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00800000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
  0x7fc00000, 0xffc00001, 0x42b17217, 0x42b17218, 0xc2cff1b5, 0xc2d00000, 0x40490fdb, 0x3f0ccccd, 0x41100000,
  0x45800000, 0x49742400, 0x7149f2ca, 0xf149f2ca, 0x1e3ce508, 0x3f3504f3,
  // float32 values closest to multiples of π/2 (the hardest reductions): 161·π/2, 3·π/2, and two more
  0x437ce5f1, 0x4096cbe4, 0x450bcd06, 0xc4cc665e,
]);

type Spec = [op: string, inputs: InputRecipe[], attrs?: Attrs];
const F = (x: number): number => new Uint32Array(new Float32Array([x]).buffer)[0];

const specs: Spec[] = [
  ['matmul', [u([3, 5]), u([5, 4])]],
  ['matmul', [u([5, 3]), u([4, 5])], { transA: true, transB: true }],
  ['bmm', [u([2, 3, 4]), u([2, 4, 2])]],
  ['bmm', [u([2, 2, 3, 4]), u([2, 2, 5, 4])], { transB: true }],
  ['matmul_bias', [u([3, 6]), u([6, 4]), u([4])]],
  ['add', [u([2, 5]), u([2, 5])]],
  ['sub', [u([2, 5]), u([2, 5])]],
  ['mul', [u([2, 5]), u([2, 5])]],
  ['div', [u([2, 5]), u([2, 5], 0.5, 3)]],
  ['div_backward_b', [u([7]), u([7], 0.5, 3), u([7])]],
  ['add_bias', [u([3, 4]), u([4])]],
  ['scale', [u([9])], { s: F(-0.125) }],
  ['relu', [SPECIAL]],
  ['relu', [u([16])]],
  ['relu_backward', [u([16]), u([16])]],
  ['gelu', [u([32], -8, 8)]],
  ['gelu', [SPECIAL]],
  ['gelu_backward', [u([32], -8, 8), u([32])]],
  ['exp', [u([64], -100, 88)]],
  ['exp', [SPECIAL]],
  ['exp_backward', [u([8]), u([8])]],
  ['log', [u([64], 1e-6, 1e6)]],
  ['log', [SPECIAL]],
  ['log_backward', [u([8]), u([8], 0.5, 2)]],
  ['tanh', [u([64], -12, 12)]],
  ['tanh', [SPECIAL]],
  ['tanh_backward', [u([8], -1, 1), u([8])]],
  ['sigmoid', [u([64], -110, 30)]],
  ['sigmoid', [SPECIAL]],
  ['sigmoid_backward', [u([8], 0, 1), u([8])]],
  ['sin', [u([64], -8, 8)]],
  ['sin', [u([16], -1e6, 1e6)]],
  ['sin', [SPECIAL]],
  ['sin_backward', [u([8], -8, 8), u([8])]],
  ['cos', [u([64], -8, 8)]],
  ['cos', [u([16], -1e6, 1e6)]],
  ['cos', [SPECIAL]],
  ['cos_backward', [u([8], -8, 8), u([8])]],
  ['sum', [u([3, 4, 5])], { axis: 1 }],
  ['sum_backward', [u([3, 5])], { axis: 1, size: 4 }],
  ['mean', [u([3, 4, 5])], { axis: -1 }],
  ['mean_backward', [u([3, 4])], { axis: 2, size: 5 }],
  ['argmax', [u([4, 7])]],
  ['sum_rows', [u([6, 3])]],
  ['softmax', [u([3, 7], -10, 10)]],
  ['softmax_backward', [u([3, 7], 0, 1), u([3, 7])]],
  ['log_softmax', [u([3, 7], -10, 10)]],
  ['log_softmax_backward', [u([3, 7], -5, 0), u([3, 7])]],
  ['cross_entropy', [u([5, 10], -4, 4), ids([5], 10)]],
  ['cross_entropy_backward', [u([5, 10], -4, 4), ids([5], 10), u([], 0.5, 1.5)]],
  ['layer_norm', [u([4, 6]), u([6], 0.5, 1.5), u([6])], { eps: F(1e-5) }],
  ['layer_norm_backward_x', [u([4, 6]), u([6], 0.5, 1.5), u([4, 6])], { eps: F(1e-5) }],
  ['layer_norm_backward_gamma', [u([4, 6]), u([4, 6])]],
  ['embedding', [u([6, 3]), ids([2, 4], 6)]],
  ['embedding_backward', [ids([2, 5], 4), u([2, 5, 3])], { vocab: 4 }],
  ['conv2d', [u([2, 3, 6, 5]), u([4, 3, 3, 3]), u([4])], { stride: 1, pad: 1 }],
  ['conv2d', [u([1, 2, 7, 7]), u([3, 2, 3, 2])], { stride: 2, pad: 0 }],
  ['conv2d_backward_x', [u([4, 3, 3, 3]), u([2, 4, 6, 5])], { height: 6, width: 5, stride: 1, pad: 1 }],
  ['conv2d_backward_w', [u([2, 3, 6, 5]), u([2, 4, 6, 5])], { kh: 3, kw: 3, stride: 1, pad: 1 }],
  ['conv2d_backward_bias', [u([2, 4, 3, 3])]],
  ['max_pool2d', [u([2, 2, 6, 6])], { kernel: 2 }],
  ['max_pool2d', [u([1, 2, 7, 7])], { kernel: 3, stride: 2 }],
  ['max_pool2d_backward', [u([1, 2, 7, 7]), u([1, 2, 3, 3])], { kernel: 3, stride: 2 }],
  ['avg_pool2d', [u([2, 2, 6, 6])], { kernel: 2 }],
  ['avg_pool2d_backward', [u([1, 2, 3, 3])], { height: 7, width: 7, kernel: 3, stride: 2 }],
  ['reshape', [u([2, 6])], { shape: [3, 4] }],
  ['reshape', [ids([2, 6], 100)], { shape: [12] }],
  ['transpose', [u([2, 3, 4])]],
  ['swap_axes', [u([2, 3, 4, 5])], { axis: 1 }],
  ['split_heads', [u([2, 3, 8])], { heads: 2 }],
  ['merge_heads', [u([2, 2, 3, 4])]],
  ['causal_mask', [u([2, 4, 4])]],
  ['causal_mask_backward', [u([2, 4, 4])]],
  ['dropout', [u([37])], { p: F(0.25), seed: '0x0123456789abcdef', stream: 7 }],
  ['dropout_backward', [u([37])], { p: F(0.25), seed: '0x0123456789abcdef', stream: 7 }],
  ['rand_uniform', [], { shape: [5, 7], seed: 42, stream: 3, low: F(-0.5), high: F(0.5) }],
  ['rand_normal', [], { shape: [5, 7], seed: 42, stream: 4, mean: F(0), std: F(0.02) }],
  ['zeros', [], { shape: [2, 3] }],
  ['permutation', [], { n: 50, seed: '18446744073709551615', stream: 1 }],
  ['sgd_velocity', [u([10]), u([10]), u([10])], { momentum: F(0.9), weightDecay: F(1e-4) }],
  ['sgd_param', [u([10]), u([10])], { lr: F(0.01) }],
  ['adamw_m', [u([10]), u([10])], { beta1: F(0.9) }],
  ['adamw_v', [u([10], 0, 1), u([10])], { beta2: F(0.999) }],
  ['adamw_param', [u([10]), u([10]), u([10], 0, 1)], { lr: F(1e-3), beta1: F(0.9), beta2: F(0.999), eps: F(1e-8), weightDecay: F(0.01), step: 7 }],
  ['adamw_param', [u([10]), u([10]), u([10], 0, 1)], { lr: F(1e-3), beta1: F(0.9), beta2: F(0.999), eps: F(1e-8), weightDecay: F(0.01), step: 100000 }],
];

const ts = getBackend('ts');
const cases: GoldenCase[] = specs.map(([op, inputs, attrs = {}]) => ({ op, inputs, attrs, hash: goldenHash(ts, { op, inputs, attrs }) }));
const path = fileURLToPath(new URL('../state-machine/repops/golden.json', import.meta.url));
writeFileSync(path, `{"seed": ${GOLDEN_SEED},\n"cases": [\n${cases.map((c) => JSON.stringify(c)).join(',\n')}\n]}\n`);
console.log(`wrote ${cases.length} golden cases to ${path}`);
