// Counter-based randomness: Philox4x32-10 exactly as rng.ts (key = (key0, key1), counter = (block lo,
// block hi, stream0, stream1)). Every element depends only on its index, so threads split the index
// range freely.
#include <cmath>
#include <cstdint>

#include "bindings.h"
#include "napi_args.h"
#include "pool.h"
#include "transcendentals.h"

namespace repops {
namespace {

struct Block {
  std::uint32_t w[4];
};

inline Block philox4x32(std::uint64_t block, std::uint32_t s0, std::uint32_t s1, std::uint32_t k0, std::uint32_t k1) {
  std::uint32_t x0 = static_cast<std::uint32_t>(block), x1 = static_cast<std::uint32_t>(block >> 32), x2 = s0, x3 = s1;
  for (int r = 0; r < 10; ++r) {
    const std::uint64_t p0 = static_cast<std::uint64_t>(0xd2511f53u) * x0;
    const std::uint64_t p1 = static_cast<std::uint64_t>(0xcd9e8d57u) * x2;
    const std::uint32_t hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
    const std::uint32_t hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
    x0 = hi1 ^ x1 ^ k0;
    x1 = lo1;
    x2 = hi0 ^ x3 ^ k1;
    x3 = lo0;
    k0 += 0x9e3779b9u;
    k1 += 0xbb67ae85u;
  }
  return {{x0, x1, x2, x3}};
}

struct Key {
  std::uint32_t k0, k1, s0, s1;
};

/** The four u32 words (key0, key1, stream0, stream1) as the reference reads them (`>>> 0`). */
Key key_args(const Args& args, std::size_t first) {
  Key k{};
  std::uint32_t* dst[4] = {&k.k0, &k.k1, &k.s0, &k.s1};
  const char* names[4] = {"key0", "key1", "stream0", "stream1"};
  for (int i = 0; i < 4; ++i) {
    const double d = args.number(first + i, names[i]);
    if (!(d >= 0 && d <= 4294967295.0) || d != std::floor(d)) args.fail(true, std::string(names[i]) + " must be a u32");
    *dst[i] = static_cast<std::uint32_t>(d);
  }
  return k;
}

/** Runs fn(i, u32 word i) for i in [0, n), blocks of four split across threads. */
template <typename Fn>
void for_words(std::size_t n, const Key& k, double per_element, const Fn& fn) {
  const std::size_t blocks = (n + 3) / 4;
  parallel_for(blocks, static_cast<double>(n) * per_element, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      const Block w = philox4x32(b, k.s0, k.s1, k.k0, k.k1);
      for (std::size_t j = 0; j < 4 && b * 4 + j < n; ++j) fn(b * 4 + j, w.w[j]);
    }
  });
}

constexpr double kTwoPowM24 = 1.0 / 16777216.0;

// dropout(x, out, key0, key1, stream0, stream1, threshold, scale): keep = u >= threshold
napi_value Dropout(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 8, "dropout");
    const std::size_t n = args.f32len(1, "out");
    const float* x = args.f32(0, "x", n);
    float* out = args.f32(1, "out", n);
    const Key k = key_args(args, 2);
    const double threshold = args.number(6, "threshold"), scale = args.number(7, "scale");
    for_words(n, k, 40.0, [&](std::size_t i, std::uint32_t u) {
      out[i] = static_cast<double>(u) >= threshold ? static_cast<float>(x[i] * scale) : 0.0f;
    });
    return undefined_value(env);
  });
}

// uniformFill(out, key0, key1, stream0, stream1, lo, hi): out = fl(lo + fl(fl(hi - lo) * uniform))
napi_value UniformFill(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 7, "uniformFill");
    const std::size_t n = args.f32len(0, "out");
    float* out = args.f32(0, "out", n);
    const Key k = key_args(args, 1);
    const double lo = args.number(5, "lo"), hi = args.number(6, "hi");
    const float w = static_cast<float>(hi - lo);
    for_words(n, k, 40.0, [&](std::size_t i, std::uint32_t u) {
      const float t = static_cast<float>(w * (static_cast<double>(u >> 8) * kTwoPowM24));
      out[i] = static_cast<float>(lo + t);
    });
    return undefined_value(env);
  });
}

// normalFill(out, key0, key1, stream0, stream1, mean, std): element i uses Philox block i (Box–Muller)
napi_value NormalFill(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 7, "normalFill");
    const std::size_t n = args.f32len(0, "out");
    float* out = args.f32(0, "out", n);
    const Key k = key_args(args, 1);
    const double mean = args.number(5, "mean"), stddev = args.number(6, "std");
    const float TWO_PI = f32_from_bits(0x40c90fdb);
    parallel_for(n, static_cast<double>(n) * 100.0, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i) {
        const Block w = philox4x32(i, k.s0, k.s1, k.k0, k.k1);
        const float u1 = static_cast<float>(static_cast<double>((w.w[0] >> 8) + 1) * kTwoPowM24);
        const float u2 = static_cast<float>(static_cast<double>(w.w[1] >> 8) * kTwoPowM24);
        const float r = std::sqrt(-2.0f * logf_repops(u1));
        const float theta = TWO_PI * u2;
        const float z = r * cosf_repops(theta);
        out[i] = static_cast<float>(mean + static_cast<double>(static_cast<float>(stddev * z)));
      }
    });
    return undefined_value(env);
  });
}

Register r1("dropout", Dropout);
Register r2("uniformFill", UniformFill);
Register r3("normalFill", NormalFill);

}  // namespace
}  // namespace repops
