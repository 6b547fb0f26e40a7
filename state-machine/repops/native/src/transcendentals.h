// Scalar float32 transcendentals: a line-by-line port of the TypeScript reference
// (state-machine/repops/transcendentals.ts). Every operation is one IEEE float32 operation in the
// same order (the addon is compiled with -ffp-contract=off, so nothing is fused); constants are the
// same float32 bit patterns. Keep the two files in step: the native tests compare them bit for bit.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

#include "f32_bits.h"

namespace repops {

/** 2^n as a double (exact for -1022 <= n <= 1023). */
inline double pow2_double(int n) {
  const std::uint64_t bits = static_cast<std::uint64_t>(n + 1023) << 52;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// ---------------------------------------------------------------- exp
constexpr std::uint32_t kExpOverflowBits = 0x42b17217;   // largest x with expf(x) finite
constexpr std::uint32_t kExpUnderflowBits = 0xc2d00000;  // -104: below it expf(x) rounds to +0

/** exp(x) ≈ (hi + lo)·2^k for finite x in [underflow, overflow]; hi = fl(1 + q), lo its exact tail. */
struct ExpParts {
  float hi, lo, k;
};

inline ExpParts exp_core(float x) {
  const float LOG2E = f32_from_bits(0x3fb8aa3b);
  const float LN2_HI = f32_from_bits(0x3f317200);
  const float LN2_LO = f32_from_bits(0x35bfbe8e);
  const float ROUND_SHIFT = f32_from_bits(0x4b400000);
  const float P0 = f32_from_bits(0x39506967), P1 = f32_from_bits(0x3ab743ce), P2 = f32_from_bits(0x3c088908);
  const float P3 = f32_from_bits(0x3d2aa9c1), P4 = f32_from_bits(0x3e2aaaaa), P5 = f32_from_bits(0x3f000000);
  const float k = ((x * LOG2E) + ROUND_SHIFT) - ROUND_SHIFT;
  const float r = (x - k * LN2_HI) - k * LN2_LO;
  const float z = r * r;
  float p = P0;
  p = p * r + P1;
  p = p * r + P2;
  p = p * r + P3;
  p = p * r + P4;
  p = p * r + P5;
  const float q = (p * z) + r;
  const float hi = 1.0f + q;
  return {hi, q - (hi - 1.0f), k};
}

/** fl(v·2^k): exact in double, then one rounding (denormal results are rounded once). */
inline float scale_pow2(float v, float k) {
  return static_cast<float>(static_cast<double>(v) * pow2_double(static_cast<int>(k)));
}

inline float expf_repops(float x) {
  if (x != x) return nan_f32();
  if (x > f32_from_bits(kExpOverflowBits)) return INFINITY;
  if (x < f32_from_bits(kExpUnderflowBits)) return 0.0f;
  const ExpParts e = exp_core(x);
  return scale_pow2(e.hi, e.k);
}

// ---------------------------------------------------------------- log
inline float logf_repops(float x) {
  const float LN2_HI = f32_from_bits(0x3f317180), LN2_LO = f32_from_bits(0x3717f7d1);
  const float LG1 = f32_from_bits(0x3f2aaaaa), LG2 = f32_from_bits(0x3eccce13);
  const float LG3 = f32_from_bits(0x3e91e9ee), LG4 = f32_from_bits(0x3e789e26);
  const float TWO_POW_25 = f32_from_bits(0x4c000000);
  std::uint32_t ix = bits_of(x);
  int k = 0;
  if (ix < 0x00800000u || ix >= 0x80000000u) {
    if ((ix & 0x7fffffffu) == 0) return -INFINITY;
    if (ix >= 0x80000000u) return nan_f32();
    k -= 25;
    ix = bits_of(x * TWO_POW_25);
  } else if (ix >= 0x7f800000u) {
    return ix == 0x7f800000u ? INFINITY : nan_f32();
  } else if (ix == 0x3f800000u) {
    return 0.0f;
  }
  ix = ix + (0x3f800000u - 0x3f3504f3u);
  k += static_cast<int>(ix >> 23) - 0x7f;
  ix = (ix & 0x007fffffu) + 0x3f3504f3u;
  const float m = f32_from_bits(ix);
  const float f = m - 1.0f;
  const float s = f / (2.0f + f);
  const float z = s * s;
  const float w = z * z;
  const float t1 = w * (LG2 + w * LG4);
  const float t2 = z * (LG1 + w * LG3);
  const float R = t2 + t1;
  const float hfsq = (0.5f * f) * f;
  const float dk = static_cast<float>(k);
  float y = s * (hfsq + R);
  y = y + dk * LN2_LO;
  y = y - hfsq;
  y = y + f;
  return y + dk * LN2_HI;
}

// ---------------------------------------------------------------- sigmoid, tanh
/** 1/(1+e) (x >= 0, e = e^-x) or e/(1+e) (x < 0, e = e^x), with the rounding error of 1 + e folded back. */
inline float sigmoidf_repops(float x) {
  if (x != x) return nan_f32();
  const float t = x >= 0.0f ? -x : x;
  if (t < f32_from_bits(kExpUnderflowBits)) return x >= 0.0f ? 1.0f : 0.0f;
  const ExpParts e = exp_core(t);
  const float eh = scale_pow2(e.hi, e.k);
  const float el = scale_pow2(e.lo, e.k);
  const float d = 1.0f + eh;
  const float derr = (eh - (d - 1.0f)) + el;  // 1 + e = d + derr
  if (x >= 0.0f) {
    const float s0 = 1.0f / d;
    return s0 - s0 * (derr / d);
  }
  const float s0 = eh / d;
  return s0 + (el - s0 * derr) / d;
}

inline float tanhf_repops(float x) {
  const float SMALL = f32_from_bits(0x3f0ccccd), SAT = f32_from_bits(0x41100000);
  // tanh(x) = x + x·z·P(z), z = x², on [0, 0.55]
  const float T1 = f32_from_bits(0xbeaaaaaa), T2 = f32_from_bits(0x3e08886e), T3 = f32_from_bits(0xbd5d04cb);
  const float T4 = f32_from_bits(0x3cb271e4), T5 = f32_from_bits(0xbc09daa9), T6 = f32_from_bits(0x3b1d0310);
  if (x != x) return nan_f32();
  const float ax = std::fabs(x);
  float t;
  if (ax >= SAT) {
    t = 1.0f;
  } else if (ax >= SMALL) {
    const float e = expf_repops(2.0f * ax);
    t = 1.0f - 2.0f / (e + 1.0f);
  } else {
    const float z = ax * ax;
    float p = T6;
    p = p * z + T5;
    p = p * z + T4;
    p = p * z + T3;
    p = p * z + T2;
    p = p * z + T1;
    t = ((p * z) * ax) + ax;
  }
  return std::signbit(x) ? -t : t;
}

// ---------------------------------------------------------------- sin, cos
/** x = k·π/2 + r + rlo with |r| <= about π/4, rlo the tail of r, q = k mod 4. */
struct Reduced {
  float r, rlo;
  int q;
};

/** Exactly as the reference: Cody–Waite with a TwoSum below 4096, exact integer reduction above. */
Reduced reduce_pio2(float x);

/** sin(r + rlo) on [−π/4, π/4]: r + (r·z·P(z) + rlo). */
inline float sin_kernel(float r, float rlo) {
  const float S1 = f32_from_bits(0xbe2aaaa3), S2 = f32_from_bits(0x3c08839e), S3 = f32_from_bits(0xb94ca1f9);
  const float z = r * r;
  float p = S3;
  p = p * z + S2;
  p = p * z + S1;
  return r + (((p * z) * r) + rlo);
}

/** cos(r + rlo): w = fl(1 − hz); w + (((1 − w) − hz) + (z²·Q − r·rlo)). */
inline float cos_kernel(float r, float rlo) {
  const float C1 = f32_from_bits(0x3d2aaaa5), C2 = f32_from_bits(0xbab6061a), C3 = f32_from_bits(0x37ccf5ce);
  const float z = r * r;
  float p = C3;
  p = p * z + C2;
  p = p * z + C1;
  const float hz = 0.5f * z;
  const float w = 1.0f - hz;
  const float tail = ((p * z) * z) - (r * rlo);
  return w + (((1.0f - w) - hz) + tail);
}

inline float sinf_repops(float x) {
  if (x != x || std::isinf(x)) return nan_f32();
  if (x == 0.0f) return x;
  const Reduced red = reduce_pio2(x);
  switch (red.q) {
    case 0: return sin_kernel(red.r, red.rlo);
    case 1: return cos_kernel(red.r, red.rlo);
    case 2: return -sin_kernel(red.r, red.rlo);
    default: return -cos_kernel(red.r, red.rlo);
  }
}

inline float cosf_repops(float x) {
  if (x != x || std::isinf(x)) return nan_f32();
  const Reduced red = reduce_pio2(x);
  switch (red.q) {
    case 0: return cos_kernel(red.r, red.rlo);
    case 1: return -sin_kernel(red.r, red.rlo);
    case 2: return -cos_kernel(red.r, red.rlo);
    default: return sin_kernel(red.r, red.rlo);
  }
}

// ---------------------------------------------------------------- GELU (tanh form)
inline float gelu_u(float x) {
  const float C = f32_from_bits(0x3f4c422a), A = f32_from_bits(0x3d372713);
  return C * (x + A * ((x * x) * x));
}

inline float geluf_repops(float x) {
  const float u = gelu_u(x);
  return x * sigmoidf_repops(2.0f * u);
}

inline float gelu_gradf_repops(float x) {
  const float C = f32_from_bits(0x3f4c422a), A3 = f32_from_bits(0x3e095d4f);
  const float u = gelu_u(x);
  const float s = sigmoidf_repops(2.0f * u);
  const float t = s * (1.0f - s);
  if (t == 0.0f || t != t) return t != t ? nan_f32() : s;
  const float du = C * (1.0f + A3 * (x * x));
  return s + (x * t) * (2.0f * du);
}

}  // namespace repops
