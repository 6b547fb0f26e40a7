// Reductions over the middle axis of [outer, n, inner], their broadcast back, argmax, and the fused
// matmul + bias. Sums run over k in increasing order from +0 for every output element; threads and
// SIMD lanes split output elements (o, i), never k.
#include <cstring>
#include <vector>

#include "bindings.h"
#include "elementwise.h"
#include "matmul.h"
#include "napi_args.h"

namespace repops {
namespace {

struct Axis {
  std::size_t outer, n, inner, total;
};

Axis axis_args(const Args& args, std::size_t first) {
  Axis a{args.size(first, "outer"), args.size(first + 1, "n"), args.size(first + 2, "inner"), 0};
  a.total = mul_sizes(args, mul_sizes(args, a.outer, a.n), a.inner);
  mul_sizes(args, a.outer, a.inner);
  return a;
}

// out[o,i] = Σ_k x[o,k,i] (then, when divide, fl(sum / d)).
void sum_axis(const float* x, float* out, const Axis& a, bool divide, float d) {
  const std::size_t inner = a.inner, n = a.n;
  if (inner == 1) {
    // Row sums: each row is one sequential chain; eight rows advance together for throughput.
    parallel_for((a.outer + 7) / 8, static_cast<double>(a.total), [&](std::size_t b0, std::size_t b1) {
      for (std::size_t blk = b0; blk < b1; ++blk) {
        const std::size_t r0 = blk * 8, r1 = r0 + 8 < a.outer ? r0 + 8 : a.outer;
        float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        if (r1 - r0 == 8) {
          for (std::size_t k = 0; k < n; ++k)
            for (std::size_t r = 0; r < 8; ++r) acc[r] = acc[r] + x[(r0 + r) * n + k];
        } else {
          for (std::size_t r = r0; r < r1; ++r)
            for (std::size_t k = 0; k < n; ++k) acc[r - r0] = acc[r - r0] + x[r * n + k];
        }
        for (std::size_t r = r0; r < r1; ++r) out[r] = divide ? acc[r - r0] / d : acc[r - r0];
      }
    });
    return;
  }
  // Columns: accumulate whole rows of `inner` in k order into the output (vectorised across i).
  constexpr std::size_t kCols = 1024;
  const std::size_t colChunks = (inner + kCols - 1) / kCols;
  parallel_for(a.outer * colChunks, static_cast<double>(a.total), [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t o = t / colChunks, c0 = (t % colChunks) * kCols;
      const std::size_t c1 = c0 + kCols < inner ? c0 + kCols : inner;
      float* dst = out + o * inner;
      for (std::size_t i = c0; i < c1; ++i) dst[i] = 0.0f;
      for (std::size_t k = 0; k < n; ++k) {
        const float* src = x + (o * n + k) * inner;
        for (std::size_t i = c0; i < c1; ++i) dst[i] = dst[i] + src[i];
      }
      if (divide)
        for (std::size_t i = c0; i < c1; ++i) dst[i] = dst[i] / d;
    }
  });
}

napi_value SumAxis(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 5, "sumAxis");
    const Axis a = axis_args(args, 2);
    const float* x = args.f32(0, "x", a.total);
    float* out = args.f32(1, "out", a.outer * a.inner);
    sum_axis(x, out, a, false, 1.0f);
    return undefined_value(env);
  });
}

napi_value MeanAxis(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 5, "meanAxis");
    const Axis a = axis_args(args, 2);
    const float* x = args.f32(0, "x", a.total);
    float* out = args.f32(1, "out", a.outer * a.inner);
    sum_axis(x, out, a, true, static_cast<float>(a.n));
    return undefined_value(env);
  });
}

// expandAxis(x, out, outer, n, inner, divisor): out[o,k,i] = fl(x[o,i] / divisor) (divisor a double,
// divided in double as the reference does)
napi_value ExpandAxis(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 6, "expandAxis");
    const Axis a = axis_args(args, 2);
    const double divisor = args.number(5, "divisor");
    const float* x = args.f32(0, "x", a.outer * a.inner);
    float* out = args.f32(1, "out", a.total);
    if (a.n == 0) return undefined_value(env);
    parallel_for(a.outer, static_cast<double>(a.total), [&](std::size_t o0, std::size_t o1) {
      for (std::size_t o = o0; o < o1; ++o) {
        float* row = out + o * a.n * a.inner;
        for (std::size_t i = 0; i < a.inner; ++i) row[i] = static_cast<float>(x[o * a.inner + i] / divisor);
        for (std::size_t k = 1; k < a.n; ++k) std::memcpy(row + k * a.inner, row, a.inner * sizeof(float));
      }
    });
    return undefined_value(env);
  });
}

// argmax(x, out: Int32Array, rows, cols): first maximum; the first NaN wins.
napi_value Argmax(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 4, "argmax");
    const std::size_t rows = args.size(2, "rows"), cols = args.size(3, "cols");
    const float* x = args.f32(0, "x", mul_sizes(args, rows, cols));
    std::int32_t* out = args.i32(1, "out", rows);
    if (cols > 0x7fffffff) args.fail(true, "cols too large for an Int32Array index");
    for (std::size_t r = 0; r < rows && cols == 0; ++r) out[r] = 0;  // as the reference: index 0
    for (std::size_t r = 0; r < rows && cols > 0; ++r) {
      const float* row = x + r * cols;
      float m = row[0];
      std::size_t at = 0;
      for (std::size_t j = 1; j < cols; ++j) {
        const float v = row[j];
        if (v > m || (v != v && m == m)) {
          m = v;
          at = j;
        }
      }
      out[r] = static_cast<std::int32_t>(at);
    }
    return undefined_value(env);
  });
}

// matmulBias(a, b, bias, out, M, K, N, transA, transB): the whole sum first, then one add of bias_j.
napi_value MatmulBias(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 9, "matmulBias");
    const std::size_t M = args.size(4, "M"), K = args.size(5, "K"), N = args.size(6, "N");
    const bool ta = args.flag(7, "transA"), tb = args.flag(8, "transB");
    const float* a = args.f32(0, "a", mul_sizes(args, M, K));
    const float* b = args.f32(1, "b", mul_sizes(args, K, N));
    const float* bias = args.f32(2, "bias", N);
    float* c = args.f32(3, "out", mul_sizes(args, M, N));
    matmul_f32(a, b, c, M, K, N, ta, tb);
    for (std::size_t i = 0; i < M; ++i)
      for (std::size_t j = 0; j < N; ++j) c[i * N + j] = c[i * N + j] + bias[j];
    return undefined_value(env);
  });
}

Register r1("sumAxis", SumAxis);
Register r2("meanAxis", MeanAxis);
Register r3("expandAxis", ExpandAxis);
Register r4("argmax", Argmax);
Register r5("matmulBias", MatmulBias);

}  // namespace
}  // namespace repops
