// Argument reduction for sinf/cosf, ported from the TypeScript reference: a Cody–Waite fast path for
// |x| < 4096 and, above it, an exact Payne–Hanek reduction with fixed-size integer arithmetic in
// place of the reference's BigInt (same integers, same roundings).
#include <cmath>
#include <cstdint>
#include <initializer_list>

#include "transcendentals.h"

namespace repops {
namespace {

constexpr int kLimbs = 20;  // 640 bits: enough for a 331-bit fraction times a 129-bit constant

struct Big {
  std::uint32_t w[kLimbs] = {};  // little-endian 32-bit limbs

  bool bit(int i) const { return (w[i >> 5] >> (i & 31)) & 1u; }

  bool any_below(int i) const {  // any bit in [0, i)
    for (int l = 0; l < (i >> 5); ++l)
      if (w[l] != 0) return true;
    const int rem = i & 31;
    return rem != 0 && (w[i >> 5] & ((1u << rem) - 1u)) != 0;
  }

  void keep_low(int n) {  // this &= 2^n - 1
    for (int l = 0; l < kLimbs; ++l) {
      const int lo = l * 32;
      if (lo >= n) w[l] = 0;
      else if (lo + 32 > n) w[l] &= (1u << (n - lo)) - 1u;
    }
  }

  int bit_length() const {
    for (int l = kLimbs - 1; l >= 0; --l)
      if (w[l] != 0) return l * 32 + (32 - __builtin_clz(w[l]));
    return 0;
  }

  bool is_zero() const { return bit_length() == 0; }

  std::uint64_t shifted_low64(int s) const {  // (this >> s) & (2^64 - 1)
    std::uint64_t r = 0;
    for (int i = 0; i < 64; ++i) {
      const int b = s + i;
      if (b < kLimbs * 32 && bit(b)) r |= std::uint64_t{1} << i;
    }
    return r;
  }
};

int compare(const Big& a, const Big& b) {
  for (int l = kLimbs - 1; l >= 0; --l)
    if (a.w[l] != b.w[l]) return a.w[l] < b.w[l] ? -1 : 1;
  return 0;
}

/** a - b for a >= b. */
Big sub(const Big& a, const Big& b) {
  Big r;
  std::int64_t borrow = 0;
  for (int l = 0; l < kLimbs; ++l) {
    std::int64_t t = static_cast<std::int64_t>(a.w[l]) - b.w[l] - borrow;
    borrow = t < 0 ? 1 : 0;
    if (t < 0) t += std::int64_t{1} << 32;
    r.w[l] = static_cast<std::uint32_t>(t);
  }
  return r;
}

/** m·2^shift for a 24-bit m. */
Big shifted(std::uint32_t m, int shift) {
  Big r;
  const std::uint64_t v = static_cast<std::uint64_t>(m) << (shift & 31);
  const int l = shift >> 5;
  if (l < kLimbs) r.w[l] = static_cast<std::uint32_t>(v);
  if (l + 1 < kLimbs) r.w[l + 1] = static_cast<std::uint32_t>(v >> 32);
  return r;
}

/** |r| as an integer multiple of 2^scale (scale below r's last bit), as f32ToBig in the reference. */
Big f32_magnitude_to_big(float r, int scale) {
  const std::uint32_t b = bits_of(r);
  const int e = static_cast<int>((b >> 23) & 0xff);
  const std::uint32_t m = e == 0 ? (b & 0x7fffffu) : ((b & 0x7fffffu) | 0x800000u);
  return shifted(m, (e == 0 ? 1 : e) - 150 - scale);
}

Big mul(const Big& a, const Big& b) {
  Big r;
  for (int i = 0; i < kLimbs; ++i) {
    if (a.w[i] == 0) continue;
    std::uint64_t carry = 0;
    for (int j = 0; i + j < kLimbs; ++j) {
      const std::uint64_t t = static_cast<std::uint64_t>(a.w[i]) * b.w[j] + r.w[i + j] + carry;
      r.w[i + j] = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
  }
  return r;
}

/** 2^n - a for a < 2^n. */
Big pow2_minus(int n, const Big& a) {
  Big r;
  std::int64_t borrow = 0;
  for (int l = 0; l < kLimbs; ++l) {
    const int lo = l * 32;
    const std::int64_t top = (lo <= n && n < lo + 32) ? (std::int64_t{1} << (n - lo)) : 0;
    std::int64_t t = top - static_cast<std::int64_t>(a.w[l]) - borrow;
    borrow = t < 0 ? 1 : 0;
    if (t < 0) t += std::int64_t{1} << 32;
    r.w[l] = static_cast<std::uint32_t>(t);
  }
  return r;
}

Big from_words_be(std::initializer_list<std::uint32_t> words) {
  Big r;
  int i = static_cast<int>(words.size()) - 1;
  for (std::uint32_t v : words) r.w[i--] = v;
  return r;
}

const Big& two_over_pi_320() {
  static const Big t = from_words_be({0xa2f9836e, 0x4e441529, 0xfc2757d1, 0xf534ddc0, 0xdb629599, 0x3c439041,
                                      0xfe5163ab, 0xdebbc561, 0xb7246e3a, 0x424dd2e0});
  return t;
}

const Big& pio2_128() {
  static const Big t = from_words_be({0x1, 0x921fb544, 0x42d18469, 0x898cc517, 0x01b839a2});
  return t;
}

/** RN_f32(m·2^scale) for m > 0 (ties to even), as roundBigToF32 in the reference. */
float round_big_to_f32(const Big& m, int scale) {
  const int len = m.bit_length();
  if (len == 0) return 0.0f;
  const int drop = len - 24;
  std::uint64_t top;
  if (drop > 0) {
    top = m.shifted_low64(drop) & ((std::uint64_t{1} << 24) - 1);
    const bool half_bit = m.bit(drop - 1);
    const bool sticky = m.any_below(drop - 1);
    if (half_bit && (sticky || (top & 1u) == 1u)) top += 1;
    scale += drop;
  } else {
    top = m.shifted_low64(0);
  }
  return static_cast<float>(std::ldexp(static_cast<double>(top), scale));
}

Reduced reduce_large(float x) {
  const std::uint32_t b = bits_of(x);
  const bool neg = (b >> 31) == 1;
  const int exp = static_cast<int>((b >> 23) & 0xff);
  Big M;
  M.w[0] = (b & 0x7fffffu) | 0x800000u;
  const int E = exp - 150;
  const Big prod = mul(M, two_over_pi_320());
  const int F = 320 - E;
  int q = static_cast<int>(prod.shifted_low64(F) & 3u);
  Big frac = prod;
  frac.keep_low(F);
  bool frac_neg = false;
  const bool half_bit = frac.bit(F - 1);
  const bool above_half = half_bit && frac.any_below(F - 1);
  const bool exactly_half = half_bit && !frac.any_below(F - 1);
  if (above_half || (exactly_half && (q & 1) == 1)) {
    q = (q + 1) & 3;
    frac = pow2_minus(F, frac);  // |frac - 1|, the fraction is now negative
    frac_neg = true;
  }
  // v = ±frac·π/2 (sign: frac_neg); r = RN(v·2^scale), rlo = RN((v − r)·2^scale)
  const int scale = -(F + 128);
  float r = 0.0f, rlo = 0.0f;
  if (!frac.is_zero()) {
    const Big v = mul(frac, pio2_128());
    const float sign = frac_neg ? -1.0f : 1.0f;
    const float mag = round_big_to_f32(v, scale);
    r = frac_neg ? -mag : mag;
    // the tail carries its own sign; an exact zero tail is +0 as in the reference
    const Big rb = f32_magnitude_to_big(mag, scale);
    const int c = compare(v, rb);
    if (c > 0) rlo = sign * round_big_to_f32(sub(v, rb), scale);
    else if (c < 0) rlo = -sign * round_big_to_f32(sub(rb, v), scale);
  }
  if (neg) {
    r = -r;
    rlo = -rlo;
    q = (4 - q) & 3;
  }
  return {r, rlo, q};
}

}  // namespace

Reduced reduce_pio2(float x) {
  if (std::fabs(x) < 4096.0f) {
    const float TWO_OVER_PI = f32_from_bits(0x3f22f983);
    const float ROUND_SHIFT = f32_from_bits(0x4b400000);
    // π/2 = P1 + … + P6; k·Pi is exact for the first five. hi, e = TwoSum(hi, −k·Pi) for P2..P5,
    // errors summed into lo; then lo −= k·P6 and (r, rlo) = Fast2Sum(hi, lo).
    const float P1 = f32_from_bits(0x3fc90000);
    const float PARTS[4] = {f32_from_bits(0x39fda000), f32_from_bits(0x33a22000), f32_from_bits(0x2c346000),
                            f32_from_bits(0x248d3000)};
    const float P6 = f32_from_bits(0x1d18cc51);
    const float k = ((x * TWO_OVER_PI) + ROUND_SHIFT) - ROUND_SHIFT;
    float hi = x - k * P1;  // exact
    float lo = 0.0f;
    for (const float p : PARTS) {
      const float c = -(k * p);
      const float s = hi + c;
      const float bv = s - hi;
      const float av = s - bv;
      lo = lo + ((hi - av) + (c - bv));
      hi = s;
    }
    lo = lo - k * P6;
    const float r = hi + lo;
    const int ki = static_cast<int>(k);
    return {r, lo - (r - hi), ((ki % 4) + 4) % 4};
  }
  return reduce_large(x);
}

}  // namespace repops
