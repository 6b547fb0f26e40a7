// The TypeScript reference kernels: the normative implementation of every contract in kernels.ts.
// Every float32 step is rounded with fl (Math.fround), sums run in increasing index order from +0.
import type { Kernels } from './kernels.ts';
import { fl, NAN_F32 } from './f32.ts';
import { expf, logf, tanhf, sigmoidf, sinf, cosf, geluf, geluGradf } from './transcendentals.ts';
import { philox4x32, boxMuller } from './rng.ts';

type F = Float32Array;

const TWO_POW_32 = 4294967296;
const TWO_POW_M24 = 2 ** -24;

/**
 * One matmul. Loop order i-k-j: out[i, :] starts at +0 and each element gets its terms in increasing k,
 * so every element sees exactly acc = fl(acc + fl(a_ik·b_kj)) for k = 0..K-1 (the contract), while the
 * inner loop walks contiguous rows. A transposed B is first copied into row-major order.
 */
function matmulInto(a: F, aOff: number, b: F, bOff: number, out: F, oOff: number, M: number, K: number, N: number, transA: boolean, transB: boolean): void {
  const fround = Math.fround;
  let bm = b, bo = bOff;
  if (transB) {
    bm = new Float32Array(K * N);
    bo = 0;
    for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) bm[k * N + j] = b[bOff + j * K + k];
  }
  const aI = transA ? 1 : K, aK = transA ? M : 1;
  for (let i = 0; i < M; i++) {
    const o = oOff + i * N;
    out.fill(0, o, o + N);
    for (let k = 0; k < K; k++) {
      const aik = a[aOff + i * aI + k * aK];
      const br = bo + k * N;
      for (let j = 0; j < N; j++) out[o + j] = fround(out[o + j] + fround(aik * bm[br + j]));
    }
  }
}

/** Row max of x[off .. off+cols): first maximum, NaN sticky (the first NaN wins). */
function rowMax(x: F, off: number, cols: number): number {
  let m = x[off];
  for (let j = 1; j < cols; j++) {
    const v = x[off + j];
    if (v > m || (v !== v && m === m)) m = v;
  }
  return m;
}

/** Σ expf(fl(x_j − m)) in order. */
function rowExpSum(x: F, off: number, cols: number, m: number): number {
  let s = 0;
  for (let j = 0; j < cols; j++) s = fl(s + expf(fl(x[off + j] - m)));
  return s;
}

/** Per-row layer-norm statistics: [mean, rstd]. */
function lnStats(x: F, off: number, cols: number, eps: number, out: F): void {
  const n = fl(cols);
  let s = 0;
  for (let j = 0; j < cols; j++) s = fl(s + x[off + j]);
  const mean = fl(s / n);
  let v = 0;
  for (let j = 0; j < cols; j++) {
    const d = fl(x[off + j] - mean);
    v = fl(v + fl(d * d));
  }
  const variance = fl(v / n);
  out[0] = mean;
  out[1] = fl(1 / fl(Math.sqrt(fl(variance + eps))));
}

const STATS = new Float32Array(2);
const BLOCK = new Uint32Array(4);

function forEachPhiloxWord(n: number, key0: number, key1: number, s0: number, s1: number, fn: (i: number, u: number) => void): void {
  for (let i = 0; i < n; i += 4) {
    const blk = i / 4;
    philox4x32(blk % TWO_POW_32, Math.floor(blk / TWO_POW_32), s0, s1, key0, key1, BLOCK);
    for (let j = 0; j < 4 && i + j < n; j++) fn(i + j, BLOCK[j]);
  }
}

function poolOut(H: number, W: number, k: number, s: number): [number, number] {
  return [Math.floor((H - k) / s) + 1, Math.floor((W - k) / s) + 1];
}

/** Offset (within the plane) of the first maximum of one window; NaN sticky. */
function windowArgmax(x: F, base: number, W: number, h0: number, w0: number, k: number): number {
  let best = x[base + h0 * W + w0];
  let at = h0 * W + w0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const p = (h0 + i) * W + (w0 + j);
      const v = x[base + p];
      if (v > best || (v !== v && best === best)) {
        best = v;
        at = p;
      }
    }
  }
  return at;
}

export const tsKernels: Kernels = {
  matmul(a, b, out, M, K, N, transA, transB) {
    matmulInto(a, 0, b, 0, out, 0, M, K, N, transA, transB);
  },
  bmm(a, b, out, batch, M, K, N, transA, transB) {
    for (let t = 0; t < batch; t++) matmulInto(a, t * M * K, b, t * K * N, out, t * M * N, M, K, N, transA, transB);
  },
  matmulBias(a, b, bias, out, M, K, N, transA, transB) {
    matmulInto(a, 0, b, 0, out, 0, M, K, N, transA, transB);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) out[i * N + j] = fl(out[i * N + j] + bias[j]);
  },

  add(a, b, out) {
    for (let i = 0; i < out.length; i++) out[i] = fl(a[i] + b[i]);
  },
  sub(a, b, out) {
    for (let i = 0; i < out.length; i++) out[i] = fl(a[i] - b[i]);
  },
  mul(a, b, out) {
    for (let i = 0; i < out.length; i++) out[i] = fl(a[i] * b[i]);
  },
  div(a, b, out) {
    for (let i = 0; i < out.length; i++) out[i] = fl(a[i] / b[i]);
  },
  divBackwardB(a, b, dy, out) {
    for (let i = 0; i < out.length; i++) out[i] = -fl(fl(dy[i] * fl(a[i] / b[i])) / b[i]);
  },
  addBias(x, bias, out, rows, cols) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = fl(x[r * cols + c] + bias[c]);
  },
  scale(x, s, out) {
    for (let i = 0; i < out.length; i++) out[i] = fl(x[i] * s);
  },

  relu(x, out) {
    for (let i = 0; i < out.length; i++) {
      const v = x[i];
      out[i] = v > 0 ? v : v !== v ? NAN_F32 : 0;
    }
  },
  reluBackward(x, dy, out) {
    for (let i = 0; i < out.length; i++) out[i] = x[i] > 0 ? dy[i] : 0;
  },
  exp(x, out) {
    for (let i = 0; i < out.length; i++) out[i] = expf(x[i]);
  },
  log(x, out) {
    for (let i = 0; i < out.length; i++) out[i] = logf(x[i]);
  },
  tanh(x, out) {
    for (let i = 0; i < out.length; i++) out[i] = tanhf(x[i]);
  },
  sigmoid(x, out) {
    for (let i = 0; i < out.length; i++) out[i] = sigmoidf(x[i]);
  },
  sin(x, out) {
    for (let i = 0; i < out.length; i++) out[i] = sinf(x[i]);
  },
  cos(x, out) {
    for (let i = 0; i < out.length; i++) out[i] = cosf(x[i]);
  },
  sinBackward(x, dy, out) {
    for (let i = 0; i < out.length; i++) out[i] = fl(dy[i] * cosf(x[i]));
  },
  cosBackward(x, dy, out) {
    for (let i = 0; i < out.length; i++) out[i] = -fl(dy[i] * sinf(x[i]));
  },
  tanhBackward(y, dy, out) {
    for (let i = 0; i < out.length; i++) out[i] = fl(dy[i] * fl(1 - fl(y[i] * y[i])));
  },
  sigmoidBackward(y, dy, out) {
    for (let i = 0; i < out.length; i++) out[i] = fl(dy[i] * fl(y[i] * fl(1 - y[i])));
  },
  gelu(x, out) {
    for (let i = 0; i < out.length; i++) out[i] = geluf(x[i]);
  },
  geluBackward(x, dy, out) {
    for (let i = 0; i < out.length; i++) out[i] = fl(dy[i] * geluGradf(x[i]));
  },

  sumAxis(x, out, outer, n, inner) {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) s = fl(s + x[(o * n + k) * inner + i]);
        out[o * inner + i] = s;
      }
    }
  },
  meanAxis(x, out, outer, n, inner) {
    tsKernels.sumAxis(x, out, outer, n, inner);
    const d = fl(n);
    for (let i = 0; i < outer * inner; i++) out[i] = fl(out[i] / d);
  },
  expandAxis(x, out, outer, n, inner, divisor) {
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < inner; i++) out[(o * n + k) * inner + i] = fl(x[o * inner + i] / divisor);
      }
    }
  },
  argmax(x, out, rows, cols) {
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      let m = x[off], at = 0;
      for (let j = 1; j < cols; j++) {
        const v = x[off + j];
        if (v > m || (v !== v && m === m)) {
          m = v;
          at = j;
        }
      }
      out[r] = at;
    }
  },

  softmax(x, out, rows, cols) {
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      const m = rowMax(x, off, cols);
      // the same expf values and sum order as rowExpSum, kept in out instead of recomputed
      let s = 0;
      for (let j = 0; j < cols; j++) {
        const e = expf(fl(x[off + j] - m));
        out[off + j] = e;
        s = fl(s + e);
      }
      for (let j = 0; j < cols; j++) out[off + j] = fl(out[off + j] / s);
    }
  },
  softmaxBackward(y, dy, out, rows, cols) {
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      let d = 0;
      for (let j = 0; j < cols; j++) d = fl(d + fl(dy[off + j] * y[off + j]));
      for (let j = 0; j < cols; j++) out[off + j] = fl(y[off + j] * fl(dy[off + j] - d));
    }
  },
  logSoftmax(x, out, rows, cols) {
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      const m = rowMax(x, off, cols);
      const ls = logf(rowExpSum(x, off, cols, m));
      for (let j = 0; j < cols; j++) out[off + j] = fl(fl(x[off + j] - m) - ls);
    }
  },
  logSoftmaxBackward(y, dy, out, rows, cols) {
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      let d = 0;
      for (let j = 0; j < cols; j++) d = fl(d + dy[off + j]);
      for (let j = 0; j < cols; j++) out[off + j] = fl(dy[off + j] - fl(expf(y[off + j]) * d));
    }
  },
  crossEntropy(logits, labels, out, rows, cols) {
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      const m = rowMax(logits, off, cols);
      const lse = fl(m + logf(rowExpSum(logits, off, cols, m)));
      total = fl(total + fl(lse - logits[off + labels[r]]));
    }
    out[0] = fl(total / fl(rows));
  },
  crossEntropyBackward(logits, labels, dloss, out, rows, cols) {
    const g = fl(dloss / fl(rows));
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      tsKernels.softmax(logits.subarray(off, off + cols), out.subarray(off, off + cols), 1, cols);
      for (let j = 0; j < cols; j++) out[off + j] = fl(fl(out[off + j] - (j === labels[r] ? 1 : 0)) * g);
    }
  },

  layerNorm(x, gamma, beta, out, rows, cols, eps) {
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      lnStats(x, off, cols, eps, STATS);
      const mean = STATS[0], rstd = STATS[1];
      for (let j = 0; j < cols; j++) {
        const xhat = fl(fl(x[off + j] - mean) * rstd);
        out[off + j] = fl(fl(xhat * gamma[j]) + beta[j]);
      }
    }
  },
  layerNormBackwardX(x, gamma, dy, out, rows, cols, eps) {
    const n = fl(cols);
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      lnStats(x, off, cols, eps, STATS);
      const mean = STATS[0], rstd = STATS[1];
      let sa = 0, sb = 0;
      for (let j = 0; j < cols; j++) {
        const g = fl(dy[off + j] * gamma[j]);
        const xhat = fl(fl(x[off + j] - mean) * rstd);
        sa = fl(sa + g);
        sb = fl(sb + fl(g * xhat));
      }
      const a = fl(sa / n), b = fl(sb / n);
      for (let j = 0; j < cols; j++) {
        const g = fl(dy[off + j] * gamma[j]);
        const xhat = fl(fl(x[off + j] - mean) * rstd);
        out[off + j] = fl(rstd * fl(fl(g - a) - fl(xhat * b)));
      }
    }
  },
  layerNormBackwardGamma(x, dy, out, rows, cols, eps) {
    out.fill(0);
    for (let r = 0; r < rows; r++) {
      const off = r * cols;
      lnStats(x, off, cols, eps, STATS);
      const mean = STATS[0], rstd = STATS[1];
      for (let j = 0; j < cols; j++) out[j] = fl(out[j] + fl(dy[off + j] * fl(fl(x[off + j] - mean) * rstd)));
    }
  },

  embedding(table, ids, out, _vocab, dim, n) {
    for (let i = 0; i < n; i++) out.set(table.subarray(ids[i] * dim, ids[i] * dim + dim), i * dim);
  },
  embeddingBackward(ids, dy, out, _vocab, dim, n) {
    out.fill(0);
    for (let i = 0; i < n; i++) {
      const o = ids[i] * dim;
      for (let d = 0; d < dim; d++) out[o + d] = fl(out[o + d] + dy[i * dim + d]);
    }
  },

  im2col(x, out, N, C, H, W, kh, kw, stride, pad) {
    const Ho = Math.floor((H + 2 * pad - kh) / stride) + 1;
    const Wo = Math.floor((W + 2 * pad - kw) / stride) + 1;
    const P = Ho * Wo, R = C * kh * kw;
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const row = (c * kh + i) * kw + j;
            const ob = (n * R + row) * P;
            for (let oh = 0; oh < Ho; oh++) {
              const h = oh * stride + i - pad;
              for (let ow = 0; ow < Wo; ow++) {
                const w = ow * stride + j - pad;
                out[ob + oh * Wo + ow] = h >= 0 && h < H && w >= 0 && w < W ? x[((n * C + c) * H + h) * W + w] : 0;
              }
            }
          }
        }
      }
    }
  },
  col2im(col, out, N, C, H, W, kh, kw, stride, pad) {
    const Ho = Math.floor((H + 2 * pad - kh) / stride) + 1;
    const Wo = Math.floor((W + 2 * pad - kw) / stride) + 1;
    const P = Ho * Wo, R = C * kh * kw;
    out.fill(0);
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const row = (c * kh + i) * kw + j;
            const cb = (n * R + row) * P;
            for (let oh = 0; oh < Ho; oh++) {
              const h = oh * stride + i - pad;
              if (h < 0 || h >= H) continue;
              for (let ow = 0; ow < Wo; ow++) {
                const w = ow * stride + j - pad;
                if (w < 0 || w >= W) continue;
                const o = ((n * C + c) * H + h) * W + w;
                out[o] = fl(out[o] + col[cb + oh * Wo + ow]);
              }
            }
          }
        }
      }
    }
  },

  maxPool2d(x, out, planes, H, W, k, s) {
    const [Ho, Wo] = poolOut(H, W, k, s);
    for (let p = 0; p < planes; p++) {
      const base = p * H * W;
      for (let oh = 0; oh < Ho; oh++) {
        for (let ow = 0; ow < Wo; ow++) out[(p * Ho + oh) * Wo + ow] = x[base + windowArgmax(x, base, W, oh * s, ow * s, k)];
      }
    }
  },
  maxPool2dBackward(x, dy, out, planes, H, W, k, s) {
    const [Ho, Wo] = poolOut(H, W, k, s);
    out.fill(0);
    for (let p = 0; p < planes; p++) {
      const base = p * H * W;
      for (let oh = 0; oh < Ho; oh++) {
        for (let ow = 0; ow < Wo; ow++) {
          const at = base + windowArgmax(x, base, W, oh * s, ow * s, k);
          out[at] = fl(out[at] + dy[(p * Ho + oh) * Wo + ow]);
        }
      }
    }
  },
  avgPool2d(x, out, planes, H, W, k, s) {
    const [Ho, Wo] = poolOut(H, W, k, s);
    const d = fl(k * k);
    for (let p = 0; p < planes; p++) {
      const base = p * H * W;
      for (let oh = 0; oh < Ho; oh++) {
        for (let ow = 0; ow < Wo; ow++) {
          let acc = 0;
          for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) acc = fl(acc + x[base + (oh * s + i) * W + ow * s + j]);
          out[(p * Ho + oh) * Wo + ow] = fl(acc / d);
        }
      }
    }
  },
  avgPool2dBackward(dy, out, planes, H, W, k, s) {
    const [Ho, Wo] = poolOut(H, W, k, s);
    const d = fl(k * k);
    out.fill(0);
    for (let p = 0; p < planes; p++) {
      const base = p * H * W;
      for (let oh = 0; oh < Ho; oh++) {
        for (let ow = 0; ow < Wo; ow++) {
          const g = fl(dy[(p * Ho + oh) * Wo + ow] / d);
          for (let i = 0; i < k; i++) {
            for (let j = 0; j < k; j++) {
              const at = base + (oh * s + i) * W + ow * s + j;
              out[at] = fl(out[at] + g);
            }
          }
        }
      }
    }
  },

  swapAxes(x, out, outer, a, b, inner) {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < a; i++) {
        for (let j = 0; j < b; j++) {
          const src = ((o * a + i) * b + j) * inner;
          const dst = ((o * b + j) * a + i) * inner;
          for (let t = 0; t < inner; t++) out[dst + t] = x[src + t];
        }
      }
    }
  },
  causalMask(x, out, batch, rows, cols, fill) {
    for (let t = 0; t < batch; t++) {
      for (let i = 0; i < rows; i++) {
        const off = (t * rows + i) * cols;
        for (let j = 0; j < cols; j++) out[off + j] = j <= i ? x[off + j] : fill;
      }
    }
  },

  dropout(x, out, key0, key1, stream0, stream1, threshold, scale) {
    forEachPhiloxWord(out.length, key0, key1, stream0, stream1, (i, u) => {
      out[i] = u >= threshold ? fl(x[i] * scale) : 0;
    });
  },
  uniformFill(out, key0, key1, stream0, stream1, lo, hi) {
    const w = fl(hi - lo);
    forEachPhiloxWord(out.length, key0, key1, stream0, stream1, (i, u) => {
      out[i] = fl(lo + fl(w * ((u >>> 8) * TWO_POW_M24)));
    });
  },
  normalFill(out, key0, key1, stream0, stream1, mean, std) {
    for (let i = 0; i < out.length; i++) {
      philox4x32(i % TWO_POW_32, Math.floor(i / TWO_POW_32), stream0, stream1, key0, key1, BLOCK);
      out[i] = fl(mean + fl(std * boxMuller(BLOCK[0], BLOCK[1])));
    }
  },

  sgdVelocity(v, g, p, out, momentum, weightDecay) {
    for (let i = 0; i < out.length; i++) out[i] = fl(fl(momentum * v[i]) + fl(g[i] + fl(weightDecay * p[i])));
  },
  sgdParam(p, v, out, lr) {
    for (let i = 0; i < out.length; i++) out[i] = fl(p[i] - fl(lr * v[i]));
  },
  adamwM(m, g, out, beta1) {
    const c = fl(1 - beta1);
    for (let i = 0; i < out.length; i++) out[i] = fl(fl(beta1 * m[i]) + fl(c * g[i]));
  },
  adamwV(v, g, out, beta2) {
    const c = fl(1 - beta2);
    for (let i = 0; i < out.length; i++) out[i] = fl(fl(beta2 * v[i]) + fl(c * fl(g[i] * g[i])));
  },
  adamwParam(p, m, v, out, lr, eps, weightDecay, bc1, bc2) {
    const lrwd = fl(lr * weightDecay);
    for (let i = 0; i < out.length; i++) {
      const p1 = fl(p[i] - fl(lrwd * p[i]));
      const u = fl(fl(m[i] / bc1) / fl(fl(Math.sqrt(fl(v[i] / bc2))) + eps));
      out[i] = fl(p1 - fl(lr * u));
    }
  },
};

