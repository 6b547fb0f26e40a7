// The kernel table: the seam between RepOps backends. Every kernel works on typed arrays with explicit
// sizes and writes a caller-allocated `out` (never aliasing an input unless stated). The one-line
// contract above each kernel is normative; docs/repops.md spells out the details. Notation: fl(e) is e
// rounded to float32 (round-to-nearest-even), every arithmetic step is rounded (no FMA), sums run in
// increasing index order starting from +0.0f, and f32 scalar arguments are already float32 values.
// The TypeScript implementation (ts-kernels.ts) is the reference; a native backend may supply any
// subset and must give the same bits.
type F = Float32Array;
type I = Int32Array;

export interface Kernels {
  // ---- linear algebra ----
  /** out[M,N]: acc=+0; for k=0..K-1: acc=fl(acc+fl(a_ik*b_kj)). transA: a stored [K,M]; transB: b stored [N,K]. */
  matmul(a: F, b: F, out: F, M: number, K: number, N: number, transA: boolean, transB: boolean): void;
  /** matmul per batch; a, b, out are [batch, …] contiguous. */
  bmm(a: F, b: F, out: F, batch: number, M: number, K: number, N: number, transA: boolean, transB: boolean): void;
  /** Fused epilogue: out_ij = fl(matmul_ij + bias_j): the whole sum first, then one add. */
  matmulBias(a: F, b: F, bias: F, out: F, M: number, K: number, N: number, transA: boolean, transB: boolean): void;

  // ---- elementwise (all arrays the same length) ----
  /** out_i = fl(a_i + b_i) */
  add(a: F, b: F, out: F): void;
  /** out_i = fl(a_i - b_i) */
  sub(a: F, b: F, out: F): void;
  /** out_i = fl(a_i * b_i) */
  mul(a: F, b: F, out: F): void;
  /** out_i = fl(a_i / b_i) */
  div(a: F, b: F, out: F): void;
  /** Gradient of a/b with respect to b: out_i = -fl(fl(dy_i * fl(a_i / b_i)) / b_i). */
  divBackwardB(a: F, b: F, dy: F, out: F): void;
  /** x [rows, cols], bias [cols]: out_rc = fl(x_rc + bias_c). */
  addBias(x: F, bias: F, out: F, rows: number, cols: number): void;
  /** out_i = fl(x_i * s) */
  scale(x: F, s: number, out: F): void;

  // ---- activations and transcendentals (elementwise) ----
  /** out_i = x_i > 0 ? x_i : +0; NaN in gives canonical NaN out. */
  relu(x: F, out: F): void;
  /** out_i = x_i > 0 ? dy_i : +0 (NaN x counts as not > 0). */
  reluBackward(x: F, dy: F, out: F): void;
  /** out_i = expf(x_i) (RepOps polynomial, docs/repops.md#exp) */
  exp(x: F, out: F): void;
  /** out_i = logf(x_i) (docs/repops.md#log) */
  log(x: F, out: F): void;
  /** out_i = tanhf(x_i) (docs/repops.md#tanh) */
  tanh(x: F, out: F): void;
  /** out_i = sigmoidf(x_i) (docs/repops.md#sigmoid) */
  sigmoid(x: F, out: F): void;
  /** out_i = sinf(x_i) (docs/repops.md#sin-cos) */
  sin(x: F, out: F): void;
  /** out_i = cosf(x_i) */
  cos(x: F, out: F): void;
  /** out_i = fl(dy_i * cosf(x_i)) */
  sinBackward(x: F, dy: F, out: F): void;
  /** out_i = -fl(dy_i * sinf(x_i)) */
  cosBackward(x: F, dy: F, out: F): void;
  /** out_i = fl(dy_i * fl(1 - fl(y_i * y_i))), y = tanh(x) */
  tanhBackward(y: F, dy: F, out: F): void;
  /** out_i = fl(dy_i * fl(y_i * fl(1 - y_i))), y = sigmoid(x) */
  sigmoidBackward(y: F, dy: F, out: F): void;
  /** GELU, tanh form written as x·sigmoid(2u), u = √(2/π)(x + 0.044715x³) (docs/repops.md#gelu) */
  gelu(x: F, out: F): void;
  /** d gelu / dx times dy, evaluation order in docs/repops.md#gelu */
  geluBackward(x: F, dy: F, out: F): void;

  // ---- reductions over the middle axis of [outer, n, inner] ----
  /** out[o,i] = Σ_{k=0..n-1} x[o,k,i], sequential in k from +0. */
  sumAxis(x: F, out: F, outer: number, n: number, inner: number): void;
  /** out[o,i] = fl(sumAxis(x)[o,i] / fl(n)) */
  meanAxis(x: F, out: F, outer: number, n: number, inner: number): void;
  /** Broadcast back (the gradient of sum/mean): out[o,k,i] = fl(x[o,i] / divisor), divisor an f32 (1 = copy). */
  expandAxis(x: F, out: F, outer: number, n: number, inner: number, divisor: number): void;
  /** Index of the first maximum of each row of [rows, cols] (first NaN wins), written as i32. */
  argmax(x: F, out: I, rows: number, cols: number): void;

  // ---- softmax family, last axis of [rows, cols] ----
  /** m = rowmax (first max, NaN sticky); s = Σ exp(x_j - m); out_j = fl(exp(fl(x_j - m)) / s) */
  softmax(x: F, out: F, rows: number, cols: number): void;
  /** d = Σ_j fl(dy_j * y_j); out_j = fl(y_j * fl(dy_j - d)) */
  softmaxBackward(y: F, dy: F, out: F, rows: number, cols: number): void;
  /** out_j = fl(fl(x_j - m) - logf(s)) with m, s as in softmax */
  logSoftmax(x: F, out: F, rows: number, cols: number): void;
  /** d = Σ_j dy_j; out_j = fl(dy_j - fl(expf(y_j) * d)) */
  logSoftmaxBackward(y: F, dy: F, out: F, rows: number, cols: number): void;
  /** out[0] = fl(Σ_r fl(fl(m_r + logf(s_r)) - x[r, label_r]) / fl(rows)); labels checked by the op. */
  crossEntropy(logits: F, labels: I, out: F, rows: number, cols: number): void;
  /** g = fl(dloss / fl(rows)); out_rj = fl(fl(softmax_rj - [j == label_r]) * g) */
  crossEntropyBackward(logits: F, labels: I, dloss: number, out: F, rows: number, cols: number): void;

  // ---- layer norm over the last axis of [rows, cols] ----
  /** mean, var = Σ fl((x-mean)²)/n, rstd = fl(1/sqrt(fl(var+eps))), xhat = fl(fl(x-mean)*rstd), out = fl(fl(xhat*γ)+β) */
  layerNorm(x: F, gamma: F, beta: F, out: F, rows: number, cols: number, eps: number): void;
  /** g=fl(dy*γ); a=Σg/n; b=Σfl(g*xhat)/n; out = fl(rstd * fl(fl(g - a) - fl(xhat * b))) */
  layerNormBackwardX(x: F, gamma: F, dy: F, out: F, rows: number, cols: number, eps: number): void;
  /** out_c = Σ_r fl(dy_rc * xhat_rc), sequential over rows */
  layerNormBackwardGamma(x: F, dy: F, out: F, rows: number, cols: number, eps: number): void;

  // ---- embedding ----
  /** out[i, :] = table[ids_i, :] for i = 0..n-1 (ids checked in range by the op). */
  embedding(table: F, ids: I, out: F, vocab: number, dim: number, n: number): void;
  /** out = 0; for i = 0..n-1 in order: out[ids_i, :] = fl(out[ids_i, :] + dy[i, :]) */
  embeddingBackward(ids: I, dy: F, out: F, vocab: number, dim: number, n: number): void;

  // ---- convolution helpers (NCHW, zero padding) ----
  /** out[n, (c·kh+i)·kw+j, oh·Wo+ow] = x[n, c, oh·s+i-pad, ow·s+j-pad] or +0 outside. */
  im2col(x: F, out: F, N: number, C: number, H: number, W: number, kh: number, kw: number, stride: number, pad: number): void;
  /** out = 0; for n, row r=(c,i,j), p=(oh,ow) in increasing order: out[n,c,h,w] = fl(out + col[n,r,p]) (inside only). */
  col2im(col: F, out: F, N: number, C: number, H: number, W: number, kh: number, kw: number, stride: number, pad: number): void;

  // ---- pooling over [planes, H, W], square window k, stride s, no padding ----
  /** Max of each window in row-major scan: replace when v > best or (v is NaN and best is not). */
  maxPool2d(x: F, out: F, planes: number, H: number, W: number, k: number, s: number): void;
  /** out = 0; for each output in order: out[argmax] = fl(out[argmax] + dy) (argmax as in maxPool2d). */
  maxPool2dBackward(x: F, dy: F, out: F, planes: number, H: number, W: number, k: number, s: number): void;
  /** fl(Σ window (row-major) / fl(k·k)) */
  avgPool2d(x: F, out: F, planes: number, H: number, W: number, k: number, s: number): void;
  /** out = 0; for each output in order, g = fl(dy / fl(k·k)); each window element (row-major) += g */
  avgPool2dBackward(dy: F, out: F, planes: number, H: number, W: number, k: number, s: number): void;

  // ---- layout and masks ----
  /** x [outer, a, b, inner] -> out [outer, b, a, inner] (exact copy). */
  swapAxes(x: F, out: F, outer: number, a: number, b: number, inner: number): void;
  /** x [batch, rows, cols]: out = x where j <= i, else `fill` (−Inf forward, +0 for the gradient). */
  causalMask(x: F, out: F, batch: number, rows: number, cols: number, fill: number): void;

  // ---- counter-based randomness (Philox4x32-10, key = (key0, key1), stream = (stream0, stream1)) ----
  /** keep_i = philoxU32(i) >= threshold; out_i = keep ? fl(x_i * scale) : +0 */
  dropout(x: F, out: F, key0: number, key1: number, stream0: number, stream1: number, threshold: number, scale: number): void;
  /** out_i = fl(lo + fl(fl(hi - lo) * uniform_i)), uniform_i = (philoxU32(i) >>> 8)·2^-24 */
  uniformFill(out: F, key0: number, key1: number, stream0: number, stream1: number, lo: number, hi: number): void;
  /** out_i = fl(mean + fl(std * normal_i)), normal_i Box–Muller on block i (docs/repops.md#rng) */
  normalFill(out: F, key0: number, key1: number, stream0: number, stream1: number, mean: number, std: number): void;

  // ---- optimisers (one output each) ----
  /** g' = fl(g + fl(wd * p)); out = fl(fl(momentum * v) + g') */
  sgdVelocity(v: F, g: F, p: F, out: F, momentum: number, weightDecay: number): void;
  /** out = fl(p - fl(lr * v)) */
  sgdParam(p: F, v: F, out: F, lr: number): void;
  /** out = fl(fl(β1 * m) + fl(fl(1 - β1) * g)) */
  adamwM(m: F, g: F, out: F, beta1: number): void;
  /** out = fl(fl(β2 * v) + fl(fl(1 - β2) * fl(g * g))) */
  adamwV(v: F, g: F, out: F, beta2: number): void;
  /** p1 = fl(p - fl(fl(lr*wd) * p)); u = fl(fl(m/bc1) / fl(sqrt(fl(v/bc2)) + eps)); out = fl(p1 - fl(lr * u)) */
  adamwParam(p: F, m: F, v: F, out: F, lr: number, eps: number, weightDecay: number, bc1: number, bc2: number): void;
}

export type KernelName = keyof Kernels;
