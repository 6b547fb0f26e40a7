// Embedding, convolution helpers (im2col/col2im), pooling, axis swaps and causal masks. Scatter-adds
// (embeddingBackward, col2im, pool backward) keep the reference's order for every output element:
// threads split independent outputs (columns of the embedding, planes of the image), never the
// sequence of additions into one element.
#include <cstring>

#include "bindings.h"
#include "napi_args.h"
#include "pool.h"

namespace repops {
namespace {

void check_ids(const Args& args, const std::int32_t* ids, std::size_t n, std::size_t vocab) {
  for (std::size_t i = 0; i < n; ++i)
    if (ids[i] < 0 || static_cast<std::size_t>(ids[i]) >= vocab)
      args.fail(true, "id " + std::to_string(ids[i]) + " out of range [0, " + std::to_string(vocab) + ")");
}

// embedding(table, ids, out, vocab, dim, n): out[i, :] = table[ids_i, :]
napi_value Embedding(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 6, "embedding");
    const std::size_t vocab = args.size(3, "vocab"), dim = args.size(4, "dim"), n = args.size(5, "n");
    const float* table = args.f32(0, "table", mul_sizes(args, vocab, dim));
    const std::int32_t* ids = args.i32(1, "ids", n);
    float* out = args.f32(2, "out", mul_sizes(args, n, dim));
    check_ids(args, ids, n, vocab);
    for (std::size_t i = 0; i < n; ++i) std::memcpy(out + i * dim, table + static_cast<std::size_t>(ids[i]) * dim, dim * sizeof(float));
    return undefined_value(env);
  });
}

// embeddingBackward(ids, dy, out, vocab, dim, n): out = 0; for i in order: out[ids_i, :] += dy[i, :]
napi_value EmbeddingBackward(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 6, "embeddingBackward");
    const std::size_t vocab = args.size(3, "vocab"), dim = args.size(4, "dim"), n = args.size(5, "n");
    const std::int32_t* ids = args.i32(0, "ids", n);
    const float* dy = args.f32(1, "dy", mul_sizes(args, n, dim));
    float* out = args.f32(2, "out", mul_sizes(args, vocab, dim));
    check_ids(args, ids, n, vocab);
    const std::size_t outLen = args.f32len(2, "out");
    std::memset(out, 0, outLen * sizeof(float));
    parallel_for(dim, static_cast<double>(n * dim) * 2.0, [&](std::size_t d0, std::size_t d1) {
      for (std::size_t i = 0; i < n; ++i) {
        float* o = out + static_cast<std::size_t>(ids[i]) * dim;
        const float* g = dy + i * dim;
        for (std::size_t d = d0; d < d1; ++d) o[d] = o[d] + g[d];
      }
    });
    return undefined_value(env);
  });
}

struct ConvGeom {
  std::size_t N, C, H, W, kh, kw, stride, pad, Ho, Wo, P, R;
  bool empty;  // no output positions (the window does not fit)
};

ConvGeom conv_geom(const Args& args, std::size_t first) {
  ConvGeom g{};
  g.N = args.size(first, "N");
  g.C = args.size(first + 1, "C");
  g.H = args.size(first + 2, "H");
  g.W = args.size(first + 3, "W");
  g.kh = args.size(first + 4, "kh");
  g.kw = args.size(first + 5, "kw");
  g.stride = args.size(first + 6, "stride");
  g.pad = args.size(first + 7, "pad");
  if (g.stride == 0) args.fail(true, "stride must be positive");
  if (g.H + 2 * g.pad < g.kh || g.W + 2 * g.pad < g.kw) {
    g.empty = true;
    return g;
  }
  g.Ho = (g.H + 2 * g.pad - g.kh) / g.stride + 1;
  g.Wo = (g.W + 2 * g.pad - g.kw) / g.stride + 1;
  g.P = mul_sizes(args, g.Ho, g.Wo);
  g.R = mul_sizes(args, g.C, mul_sizes(args, g.kh, g.kw));
  return g;
}

// im2col(x, out, N, C, H, W, kh, kw, stride, pad)
napi_value Im2col(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 10, "im2col");
    const ConvGeom g = conv_geom(args, 2);
    const float* x = args.f32(0, "x", mul_sizes(args, mul_sizes(args, g.N, g.C), mul_sizes(args, g.H, g.W)));
    if (g.empty) return undefined_value(env);
    float* out = args.f32(1, "out", mul_sizes(args, mul_sizes(args, g.N, g.R), g.P));
    const long H = static_cast<long>(g.H), W = static_cast<long>(g.W), pad = static_cast<long>(g.pad);
    parallel_for(g.N * g.C, static_cast<double>(g.N * g.R * g.P), [&](std::size_t t0, std::size_t t1) {
      for (std::size_t t = t0; t < t1; ++t) {
        const std::size_t n = t / g.C, c = t % g.C;
        const float* plane = x + (n * g.C + c) * g.H * g.W;
        for (std::size_t i = 0; i < g.kh; ++i)
          for (std::size_t j = 0; j < g.kw; ++j) {
            const std::size_t row = (c * g.kh + i) * g.kw + j;
            float* ob = out + (n * g.R + row) * g.P;
            for (std::size_t oh = 0; oh < g.Ho; ++oh) {
              const long h = static_cast<long>(oh * g.stride + i) - pad;
              for (std::size_t ow = 0; ow < g.Wo; ++ow) {
                const long w = static_cast<long>(ow * g.stride + j) - pad;
                ob[oh * g.Wo + ow] = (h >= 0 && h < H && w >= 0 && w < W) ? plane[h * W + w] : 0.0f;
              }
            }
          }
      }
    });
    return undefined_value(env);
  });
}

// col2im(col, out, N, C, H, W, kh, kw, stride, pad): out = 0; add col in (n, c, i, j, oh, ow) order
napi_value Col2im(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 10, "col2im");
    const ConvGeom g = conv_geom(args, 2);
    float* out = args.f32(1, "out", mul_sizes(args, mul_sizes(args, g.N, g.C), mul_sizes(args, g.H, g.W)));
    std::memset(out, 0, args.f32len(1, "out") * sizeof(float));
    if (g.empty) return undefined_value(env);
    const float* col = args.f32(0, "col", mul_sizes(args, mul_sizes(args, g.N, g.R), g.P));
    const long H = static_cast<long>(g.H), W = static_cast<long>(g.W), pad = static_cast<long>(g.pad);
    parallel_for(g.N * g.C, static_cast<double>(g.N * g.R * g.P), [&](std::size_t t0, std::size_t t1) {
      for (std::size_t t = t0; t < t1; ++t) {
        const std::size_t n = t / g.C, c = t % g.C;
        float* plane = out + (n * g.C + c) * g.H * g.W;
        for (std::size_t i = 0; i < g.kh; ++i)
          for (std::size_t j = 0; j < g.kw; ++j) {
            const std::size_t row = (c * g.kh + i) * g.kw + j;
            const float* cb = col + (n * g.R + row) * g.P;
            for (std::size_t oh = 0; oh < g.Ho; ++oh) {
              const long h = static_cast<long>(oh * g.stride + i) - pad;
              if (h < 0 || h >= H) continue;
              for (std::size_t ow = 0; ow < g.Wo; ++ow) {
                const long w = static_cast<long>(ow * g.stride + j) - pad;
                if (w < 0 || w >= W) continue;
                plane[h * W + w] = plane[h * W + w] + cb[oh * g.Wo + ow];
              }
            }
          }
      }
    });
    return undefined_value(env);
  });
}

struct PoolGeom {
  std::size_t planes, H, W, k, s, Ho, Wo;
};

PoolGeom pool_geom(const Args& args, std::size_t first) {
  PoolGeom g{args.size(first, "planes"), args.size(first + 1, "H"), args.size(first + 2, "W"),
             args.size(first + 3, "k"), args.size(first + 4, "s"), 0, 0};
  if (g.s == 0 || g.k == 0) args.fail(true, "k and s must be positive");
  if (g.H < g.k || g.W < g.k) return g;  // no windows fit: no outputs (Ho = Wo = 0)
  g.Ho = (g.H - g.k) / g.s + 1;
  g.Wo = (g.W - g.k) / g.s + 1;
  return g;
}

/** Offset within the plane of the first maximum of one window (row-major scan, NaN sticky). */
inline std::size_t window_argmax(const float* plane, std::size_t W, std::size_t h0, std::size_t w0, std::size_t k) {
  float best = plane[h0 * W + w0];
  std::size_t at = h0 * W + w0;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t p = (h0 + i) * W + (w0 + j);
      const float v = plane[p];
      if (v > best || (v != v && best == best)) {
        best = v;
        at = p;
      }
    }
  return at;
}

template <typename Body>
void for_planes(const PoolGeom& g, const Body& body) {
  parallel_for(g.planes, static_cast<double>(g.planes * g.Ho * g.Wo * g.k * g.k), [&](std::size_t p0, std::size_t p1) {
    for (std::size_t p = p0; p < p1; ++p) body(p);
  });
}

napi_value MaxPool2d(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 7, "maxPool2d");
    const PoolGeom g = pool_geom(args, 2);
    const float* x = args.f32(0, "x", mul_sizes(args, g.planes, mul_sizes(args, g.H, g.W)));
    float* out = args.f32(1, "out", mul_sizes(args, g.planes, mul_sizes(args, g.Ho, g.Wo)));
    for_planes(g, [&](std::size_t p) {
      const float* plane = x + p * g.H * g.W;
      for (std::size_t oh = 0; oh < g.Ho; ++oh)
        for (std::size_t ow = 0; ow < g.Wo; ++ow)
          out[(p * g.Ho + oh) * g.Wo + ow] = plane[window_argmax(plane, g.W, oh * g.s, ow * g.s, g.k)];
    });
    return undefined_value(env);
  });
}

napi_value MaxPool2dBackward(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 8, "maxPool2dBackward");
    const PoolGeom g = pool_geom(args, 3);
    const std::size_t inLen = mul_sizes(args, g.planes, mul_sizes(args, g.H, g.W));
    const float* x = args.f32(0, "x", inLen);
    const float* dy = args.f32(1, "dy", mul_sizes(args, g.planes, mul_sizes(args, g.Ho, g.Wo)));
    float* out = args.f32(2, "out", inLen);
    std::memset(out, 0, args.f32len(2, "out") * sizeof(float));
    for_planes(g, [&](std::size_t p) {
      const float* plane = x + p * g.H * g.W;
      float* o = out + p * g.H * g.W;
      for (std::size_t oh = 0; oh < g.Ho; ++oh)
        for (std::size_t ow = 0; ow < g.Wo; ++ow) {
          const std::size_t at = window_argmax(plane, g.W, oh * g.s, ow * g.s, g.k);
          o[at] = o[at] + dy[(p * g.Ho + oh) * g.Wo + ow];
        }
    });
    return undefined_value(env);
  });
}

napi_value AvgPool2d(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 7, "avgPool2d");
    const PoolGeom g = pool_geom(args, 2);
    const float* x = args.f32(0, "x", mul_sizes(args, g.planes, mul_sizes(args, g.H, g.W)));
    float* out = args.f32(1, "out", mul_sizes(args, g.planes, mul_sizes(args, g.Ho, g.Wo)));
    const float d = static_cast<float>(g.k * g.k);
    for_planes(g, [&](std::size_t p) {
      const float* plane = x + p * g.H * g.W;
      for (std::size_t oh = 0; oh < g.Ho; ++oh)
        for (std::size_t ow = 0; ow < g.Wo; ++ow) {
          float acc = 0.0f;
          for (std::size_t i = 0; i < g.k; ++i)
            for (std::size_t j = 0; j < g.k; ++j) acc = acc + plane[(oh * g.s + i) * g.W + ow * g.s + j];
          out[(p * g.Ho + oh) * g.Wo + ow] = acc / d;
        }
    });
    return undefined_value(env);
  });
}

napi_value AvgPool2dBackward(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 7, "avgPool2dBackward");
    const PoolGeom g = pool_geom(args, 2);
    const float* dy = args.f32(0, "dy", mul_sizes(args, g.planes, mul_sizes(args, g.Ho, g.Wo)));
    float* out = args.f32(1, "out", mul_sizes(args, g.planes, mul_sizes(args, g.H, g.W)));
    std::memset(out, 0, args.f32len(1, "out") * sizeof(float));
    const float d = static_cast<float>(g.k * g.k);
    for_planes(g, [&](std::size_t p) {
      float* o = out + p * g.H * g.W;
      for (std::size_t oh = 0; oh < g.Ho; ++oh)
        for (std::size_t ow = 0; ow < g.Wo; ++ow) {
          const float gr = dy[(p * g.Ho + oh) * g.Wo + ow] / d;
          for (std::size_t i = 0; i < g.k; ++i)
            for (std::size_t j = 0; j < g.k; ++j) {
              float& cell = o[(oh * g.s + i) * g.W + ow * g.s + j];
              cell = cell + gr;
            }
        }
    });
    return undefined_value(env);
  });
}

// swapAxes(x, out, outer, a, b, inner): [outer, a, b, inner] -> [outer, b, a, inner]
napi_value SwapAxes(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 6, "swapAxes");
    const std::size_t outer = args.size(2, "outer"), a = args.size(3, "a"), b = args.size(4, "b"), inner = args.size(5, "inner");
    const std::size_t n = mul_sizes(args, mul_sizes(args, outer, a), mul_sizes(args, b, inner));
    const float* x = args.f32(0, "x", n);
    float* out = args.f32(1, "out", n);
    parallel_for(outer * a, static_cast<double>(n), [&](std::size_t t0, std::size_t t1) {
      for (std::size_t t = t0; t < t1; ++t) {
        const std::size_t o = t / (a == 0 ? 1 : a), i = t % (a == 0 ? 1 : a);
        for (std::size_t j = 0; j < b; ++j)
          std::memcpy(out + ((o * b + j) * a + i) * inner, x + ((o * a + i) * b + j) * inner, inner * sizeof(float));
      }
    });
    return undefined_value(env);
  });
}

// causalMask(x, out, batch, rows, cols, fill): out = x where j <= i, else fill
napi_value CausalMask(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 6, "causalMask");
    const std::size_t batch = args.size(2, "batch"), rows = args.size(3, "rows"), cols = args.size(4, "cols");
    const float fill = static_cast<float>(args.number(5, "fill"));
    const std::size_t n = mul_sizes(args, mul_sizes(args, batch, rows), cols);
    const float* x = args.f32(0, "x", n);
    float* out = args.f32(1, "out", n);
    for (std::size_t t = 0; t < batch * rows; ++t) {
      const std::size_t i = t % rows;
      const float* xr = x + t * cols;
      float* o = out + t * cols;
      for (std::size_t j = 0; j < cols; ++j) o[j] = j <= i ? xr[j] : fill;
    }
    return undefined_value(env);
  });
}

Register r1("embedding", Embedding);
Register r2("embeddingBackward", EmbeddingBackward);
Register r3("im2col", Im2col);
Register r4("col2im", Col2im);
Register r5("maxPool2d", MaxPool2d);
Register r6("maxPool2dBackward", MaxPool2dBackward);
Register r7("avgPool2d", AvgPool2d);
Register r8("avgPool2dBackward", AvgPool2dBackward);
Register r9("swapAxes", SwapAxes);
Register r10("causalMask", CausalMask);

}  // namespace
}  // namespace repops
