// Elementwise kernels: each output element depends only on the inputs at the same index, so any
// split across threads or SIMD lanes gives the same bits. Every step is one IEEE float32 operation.
#pragma once
#include <cstddef>

#include "pool.h"

namespace repops {

/** Runs body(begin, end) over [0, n), in parallel for large n (elementwise only). */
template <typename Body>
void for_elements(std::size_t n, const Body& body) {
  // Chunks are large and aligned so every thread streams whole cache lines.
  constexpr std::size_t kChunk = 4096;
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  parallel_for(chunks, static_cast<double>(n) * 2.0, [&](std::size_t c0, std::size_t c1) {
    const std::size_t b = c0 * kChunk, e = c1 * kChunk < n ? c1 * kChunk : n;
    body(b, e);
  });
}

}  // namespace repops
