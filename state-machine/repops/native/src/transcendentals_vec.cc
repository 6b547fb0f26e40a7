#include "transcendentals_vec.h"

// GCC 12 reports its own AVX-512 headers' deliberately undefined registers as maybe-uninitialised.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "transcendentals.h"

namespace repops {
namespace {

#if defined(__AVX512F__)
using V = __m512;
using VI = __m512i;
using M = __mmask16;

inline V set1(std::uint32_t bits) { return _mm512_castsi512_ps(_mm512_set1_epi32(static_cast<int>(bits))); }
inline V add(V a, V b) { return _mm512_add_ps(a, b); }
inline V sub(V a, V b) { return _mm512_sub_ps(a, b); }
inline V mul(V a, V b) { return _mm512_mul_ps(a, b); }
inline V div(V a, V b) { return _mm512_div_ps(a, b); }
inline V neg(V a) { return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a), _mm512_set1_epi32(INT32_MIN))); }
inline V vabs(V a) { return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(a), _mm512_set1_epi32(0x7fffffff))); }
inline V blend(M m, V a, V b) { return _mm512_mask_blend_ps(m, a, b); }  // m ? b : a
inline M isnan(V a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }

constexpr std::uint32_t ONE = 0x3f800000, TWO = 0x40000000, HALF = 0x3f000000;
constexpr std::uint32_t INF = 0x7f800000, NAN_BITS = 0x7fc00000;

/** fl(v·2^k) lane by lane: widen to double, multiply by 2^k built from the exponent bits, round once. */
inline V scale_pow2_v(V v, V k) {
  const VI ki = _mm512_cvtps_epi32(k);  // k is an integer value: exact
  const __m256 vlo = _mm512_castps512_ps256(v);
  const __m256 vhi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
  const __m256i klo = _mm512_castsi512_si256(ki);
  const __m256i khi = _mm512_extracti64x4_epi64(ki, 1);
  const __m512i bias = _mm512_set1_epi64(1023);
  const __m512d plo = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(_mm512_cvtepi32_epi64(klo), bias), 52));
  const __m512d phi = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(_mm512_cvtepi32_epi64(khi), bias), 52));
  const __m256 rlo = _mm512_cvtpd_ps(_mm512_mul_pd(_mm512_cvtps_pd(vlo), plo));
  const __m256 rhi = _mm512_cvtpd_ps(_mm512_mul_pd(_mm512_cvtps_pd(vhi), phi));
  return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(rlo)), _mm256_castps_pd(rhi), 1));
}

struct ExpV {
  V hi, lo, k;
};

inline ExpV exp_core_v(V x) {
  const V SHIFT = set1(0x4b400000);
  const V k = sub(add(mul(x, set1(0x3fb8aa3b)), SHIFT), SHIFT);
  const V r = sub(sub(x, mul(k, set1(0x3f317200))), mul(k, set1(0x35bfbe8e)));
  const V z = mul(r, r);
  V p = set1(0x39506967);
  p = add(mul(p, r), set1(0x3ab743ce));
  p = add(mul(p, r), set1(0x3c088908));
  p = add(mul(p, r), set1(0x3d2aa9c1));
  p = add(mul(p, r), set1(0x3e2aaaaa));
  p = add(mul(p, r), set1(0x3f000000));
  const V q = add(mul(p, z), r);
  const V hi = add(set1(ONE), q);
  return {hi, sub(q, sub(hi, set1(ONE))), k};
}

inline V exp_v(V x) {
  const ExpV e = exp_core_v(x);
  V res = scale_pow2_v(e.hi, e.k);
  res = blend(_mm512_cmp_ps_mask(x, set1(kExpUnderflowBits), _CMP_LT_OQ), res, _mm512_setzero_ps());
  res = blend(_mm512_cmp_ps_mask(x, set1(kExpOverflowBits), _CMP_GT_OQ), res, set1(INF));
  return blend(isnan(x), res, set1(NAN_BITS));
}

inline V log_v(V x) {
  VI ix = _mm512_castps_si512(x);
  const VI sign = _mm512_set1_epi32(INT32_MIN);
  const M small_or_neg = _mm512_cmplt_epu32_mask(ix, _mm512_set1_epi32(0x00800000)) | _mm512_cmpge_epu32_mask(ix, sign);
  const M is_zero = _mm512_testn_epi32_mask(ix, _mm512_set1_epi32(0x7fffffff));
  const M is_neg = _mm512_cmpge_epu32_mask(ix, sign);
  const M is_denorm = small_or_neg & static_cast<M>(~is_zero) & static_cast<M>(~is_neg);
  const M is_infnan = static_cast<M>(~small_or_neg) & _mm512_cmpge_epu32_mask(ix, _mm512_set1_epi32(0x7f800000));
  const M is_inf = _mm512_cmpeq_epi32_mask(ix, _mm512_set1_epi32(0x7f800000));
  const M is_one = _mm512_cmpeq_epi32_mask(ix, _mm512_set1_epi32(0x3f800000));
  VI k = _mm512_maskz_mov_epi32(is_denorm, _mm512_set1_epi32(-25));
  ix = _mm512_mask_mov_epi32(ix, is_denorm, _mm512_castps_si512(mul(x, set1(0x4c000000))));
  ix = _mm512_add_epi32(ix, _mm512_set1_epi32(static_cast<int>(0x3f800000u - 0x3f3504f3u)));
  k = _mm512_add_epi32(k, _mm512_sub_epi32(_mm512_srli_epi32(ix, 23), _mm512_set1_epi32(0x7f)));
  ix = _mm512_add_epi32(_mm512_and_si512(ix, _mm512_set1_epi32(0x007fffff)), _mm512_set1_epi32(0x3f3504f3));
  const V m = _mm512_castsi512_ps(ix);
  const V f = sub(m, set1(ONE));
  const V s = div(f, add(set1(TWO), f));
  const V z = mul(s, s);
  const V w = mul(z, z);
  const V t1 = mul(w, add(set1(0x3eccce13), mul(w, set1(0x3e789e26))));
  const V t2 = mul(z, add(set1(0x3f2aaaaa), mul(w, set1(0x3e91e9ee))));
  const V R = add(t2, t1);
  const V hfsq = mul(mul(set1(HALF), f), f);
  const V dk = _mm512_cvtepi32_ps(k);
  V y = mul(s, add(hfsq, R));
  y = add(y, mul(dk, set1(0x3717f7d1)));
  y = sub(y, hfsq);
  y = add(y, f);
  V res = add(y, mul(dk, set1(0x3f317180)));
  res = blend(is_one, res, _mm512_setzero_ps());
  res = blend(is_infnan, res, blend(is_inf, set1(NAN_BITS), set1(INF)));
  res = blend(is_neg, res, set1(NAN_BITS));
  return blend(is_zero, res, set1(0xff800000));
}

inline V sigmoid_v(V x) {
  const M pos = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GE_OQ);
  const V t = blend(pos, x, neg(x));
  const M sat = _mm512_cmp_ps_mask(t, set1(kExpUnderflowBits), _CMP_LT_OQ);
  const ExpV e = exp_core_v(t);
  const V eh = scale_pow2_v(e.hi, e.k);
  const V el = scale_pow2_v(e.lo, e.k);
  const V one = set1(ONE);
  const V d = add(one, eh);
  const V derr = add(sub(eh, sub(d, one)), el);
  const V s0p = div(one, d);
  const V rp = sub(s0p, mul(s0p, div(derr, d)));
  const V s0n = div(eh, d);
  const V rn = add(s0n, div(sub(el, mul(s0n, derr)), d));
  V res = blend(pos, rn, rp);
  res = blend(sat, res, blend(pos, _mm512_setzero_ps(), one));
  return blend(isnan(x), res, set1(NAN_BITS));
}

inline V tanh_v(V x) {
  const V ax = vabs(x);
  const M sat = _mm512_cmp_ps_mask(ax, set1(0x41100000), _CMP_GE_OQ);
  const M mid = _mm512_cmp_ps_mask(ax, set1(0x3f0ccccd), _CMP_GE_OQ);
  const V one = set1(ONE);
  const V e = exp_v(mul(set1(TWO), ax));
  const V tm = sub(one, div(set1(TWO), add(e, one)));
  const V z = mul(ax, ax);
  V p = set1(0x3b1d0310);
  p = add(mul(p, z), set1(0xbc09daa9));
  p = add(mul(p, z), set1(0x3cb271e4));
  p = add(mul(p, z), set1(0xbd5d04cb));
  p = add(mul(p, z), set1(0x3e08886e));
  p = add(mul(p, z), set1(0xbeaaaaaa));
  const V ts = add(mul(mul(p, z), ax), ax);
  V t = blend(mid, ts, tm);
  t = blend(sat, t, one);
  const VI signbit = _mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(INT32_MIN));
  const V res = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(t), signbit));
  return blend(isnan(x), res, set1(NAN_BITS));
}

inline V gelu_u_v(V x) {
  return mul(set1(0x3f4c422a), add(x, mul(set1(0x3d372713), mul(mul(x, x), x))));
}

inline V gelu_v(V x) { return mul(x, sigmoid_v(mul(set1(TWO), gelu_u_v(x)))); }

inline V gelu_grad_v(V x) {
  const V one = set1(ONE);
  const V s = sigmoid_v(mul(set1(TWO), gelu_u_v(x)));
  const V t = mul(s, sub(one, s));
  const V du = mul(set1(0x3f4c422a), add(one, mul(set1(0x3e095d4f), mul(x, x))));
  V res = add(s, mul(mul(x, t), mul(set1(TWO), du)));
  res = blend(_mm512_cmp_ps_mask(t, _mm512_setzero_ps(), _CMP_EQ_OQ), res, s);
  return blend(isnan(t), res, set1(NAN_BITS));
}

struct ReducedV {
  V r, rlo;
  VI q;
};

/** The fast (|x| < 4096) reduction of reduce_pio2 on every lane. */
inline ReducedV reduce_fast_v(V x) {
  const V SHIFT = set1(0x4b400000);
  const V k = sub(add(mul(x, set1(0x3f22f983)), SHIFT), SHIFT);
  V hi = sub(x, mul(k, set1(0x3fc90000)));
  V lo = _mm512_setzero_ps();
  const std::uint32_t parts[4] = {0x39fda000, 0x33a22000, 0x2c346000, 0x248d3000};
  for (const std::uint32_t p : parts) {
    const V c = neg(mul(k, set1(p)));
    const V s = add(hi, c);
    const V bv = sub(s, hi);
    const V av = sub(s, bv);
    lo = add(lo, add(sub(hi, av), sub(c, bv)));
    hi = s;
  }
  lo = sub(lo, mul(k, set1(0x1d18cc51)));
  const V r = add(hi, lo);
  const V rlo = sub(lo, sub(r, hi));
  const VI q = _mm512_and_si512(_mm512_cvtps_epi32(k), _mm512_set1_epi32(3));  // ((k % 4) + 4) % 4
  return {r, rlo, q};
}

inline V sin_kernel_v(V r, V rlo) {
  const V z = mul(r, r);
  V p = set1(0xb94ca1f9);
  p = add(mul(p, z), set1(0x3c08839e));
  p = add(mul(p, z), set1(0xbe2aaaa3));
  return add(r, add(mul(mul(p, z), r), rlo));
}

inline V cos_kernel_v(V r, V rlo) {
  const V z = mul(r, r);
  V p = set1(0x37ccf5ce);
  p = add(mul(p, z), set1(0xbab6061a));
  p = add(mul(p, z), set1(0x3d2aaaa5));
  const V hz = mul(set1(HALF), z);
  const V one = set1(ONE);
  const V w = sub(one, hz);
  const V tail = sub(mul(mul(p, z), z), mul(r, rlo));
  return add(w, add(sub(sub(one, w), hz), tail));
}

/** sin (cosine = false) or cos of 16 lanes; lanes with |x| >= 4096 fall back to the scalar function. */
template <bool cosine>
inline V trig_v(V x, const float* xs, float* fallback, M& slow) {
  const ReducedV red = reduce_fast_v(x);
  const V sk = sin_kernel_v(red.r, red.rlo);
  const V ck = cos_kernel_v(red.r, red.rlo);
  const M q1 = _mm512_cmpeq_epi32_mask(red.q, _mm512_set1_epi32(1));
  const M q2 = _mm512_cmpeq_epi32_mask(red.q, _mm512_set1_epi32(2));
  const M q3 = _mm512_cmpeq_epi32_mask(red.q, _mm512_set1_epi32(3));
  V res;
  if (!cosine) {
    res = blend(q1, sk, ck);
    res = blend(q2, res, neg(sk));
    res = blend(q3, res, neg(ck));
    res = blend(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_EQ_OQ), res, x);  // keeps −0
  } else {
    res = blend(q1, ck, neg(sk));
    res = blend(q2, res, neg(ck));
    res = blend(q3, res, sk);
  }
  const V ax = vabs(x);
  res = blend(_mm512_cmp_ps_mask(ax, set1(INF), _CMP_NLT_UQ), res, set1(NAN_BITS));  // NaN, ±Inf
  slow = _mm512_cmp_ps_mask(ax, _mm512_set1_ps(4096.0f), _CMP_GE_OQ) & _mm512_cmp_ps_mask(ax, set1(INF), _CMP_LT_OQ);
  if (slow != 0) {
    _mm512_storeu_ps(fallback, res);
    for (int l = 0; l < 16; ++l)
      if (slow & (1u << l)) fallback[l] = cosine ? cosf_repops(xs[l]) : sinf_repops(xs[l]);
    return _mm512_loadu_ps(fallback);
  }
  return res;
}

template <typename VecFn, typename ScalarFn>
inline void map_n(const float* x, float* out, std::size_t n, VecFn vf, ScalarFn sf) {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, vf(_mm512_loadu_ps(x + i), x + i));
  for (; i < n; ++i) out[i] = sf(x[i]);
}
#endif

}  // namespace

#if defined(__AVX512F__)
void exp_n(const float* x, float* out, std::size_t n) {
  map_n(x, out, n, [](V v, const float*) { return exp_v(v); }, expf_repops);
}
void log_n(const float* x, float* out, std::size_t n) {
  map_n(x, out, n, [](V v, const float*) { return log_v(v); }, logf_repops);
}
void tanh_n(const float* x, float* out, std::size_t n) {
  map_n(x, out, n, [](V v, const float*) { return tanh_v(v); }, tanhf_repops);
}
void sigmoid_n(const float* x, float* out, std::size_t n) {
  map_n(x, out, n, [](V v, const float*) { return sigmoid_v(v); }, sigmoidf_repops);
}
void gelu_n(const float* x, float* out, std::size_t n) {
  map_n(x, out, n, [](V v, const float*) { return gelu_v(v); }, geluf_repops);
}
void gelu_grad_n(const float* x, float* out, std::size_t n) {
  map_n(x, out, n, [](V v, const float*) { return gelu_grad_v(v); }, gelu_gradf_repops);
}
void sin_n(const float* x, float* out, std::size_t n) {
  alignas(64) float tmp[16];
  map_n(x, out, n, [&](V v, const float* xs) { M slow; return trig_v<false>(v, xs, tmp, slow); }, sinf_repops);
}
void cos_n(const float* x, float* out, std::size_t n) {
  alignas(64) float tmp[16];
  map_n(x, out, n, [&](V v, const float* xs) { M slow; return trig_v<true>(v, xs, tmp, slow); }, cosf_repops);
}
#else
void exp_n(const float* x, float* out, std::size_t n) { for (std::size_t i = 0; i < n; ++i) out[i] = expf_repops(x[i]); }
void log_n(const float* x, float* out, std::size_t n) { for (std::size_t i = 0; i < n; ++i) out[i] = logf_repops(x[i]); }
void tanh_n(const float* x, float* out, std::size_t n) { for (std::size_t i = 0; i < n; ++i) out[i] = tanhf_repops(x[i]); }
void sigmoid_n(const float* x, float* out, std::size_t n) { for (std::size_t i = 0; i < n; ++i) out[i] = sigmoidf_repops(x[i]); }
void gelu_n(const float* x, float* out, std::size_t n) { for (std::size_t i = 0; i < n; ++i) out[i] = geluf_repops(x[i]); }
void gelu_grad_n(const float* x, float* out, std::size_t n) { for (std::size_t i = 0; i < n; ++i) out[i] = gelu_gradf_repops(x[i]); }
void sin_n(const float* x, float* out, std::size_t n) { for (std::size_t i = 0; i < n; ++i) out[i] = sinf_repops(x[i]); }
void cos_n(const float* x, float* out, std::size_t n) { for (std::size_t i = 0; i < n; ++i) out[i] = cosf_repops(x[i]); }
#endif

}  // namespace repops
