// float32 bit-level helpers shared by the kernels (constants are written as bit patterns).
#pragma once
#include <cstdint>
#include <cstring>

namespace repops {

inline float f32_from_bits(std::uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

inline std::uint32_t bits_of(float f) {
  std::uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

/** The one NaN RepOps produces (0x7fc00000). */
inline float nan_f32() { return f32_from_bits(0x7fc00000u); }

}  // namespace repops
