#include "matmul.h"

#include <immintrin.h>

#include <cstring>
#include <vector>

#include "pool.h"

namespace repops {
namespace {

// Register block: MR rows × NR columns of C live in registers for the whole k loop.
#if defined(__AVX512F__)
constexpr std::size_t VW = 16;
using vec = __m512;
inline vec vzero() { return _mm512_setzero_ps(); }
inline vec vload(const float* p) { return _mm512_loadu_ps(p); }
inline vec vbcast(const float* p) { return _mm512_set1_ps(*p); }
inline vec vadd(vec a, vec b) { return _mm512_add_ps(a, b); }
inline vec vmul(vec a, vec b) { return _mm512_mul_ps(a, b); }
inline void vstore(float* p, vec v) { _mm512_storeu_ps(p, v); }
constexpr std::size_t MR = 4, NV = 4;
#elif defined(__AVX2__) || defined(__AVX__)
constexpr std::size_t VW = 8;
using vec = __m256;
inline vec vzero() { return _mm256_setzero_ps(); }
inline vec vload(const float* p) { return _mm256_loadu_ps(p); }
inline vec vbcast(const float* p) { return _mm256_broadcast_ss(p); }
inline vec vadd(vec a, vec b) { return _mm256_add_ps(a, b); }
inline vec vmul(vec a, vec b) { return _mm256_mul_ps(a, b); }
inline void vstore(float* p, vec v) { _mm256_storeu_ps(p, v); }
constexpr std::size_t MR = 4, NV = 3;
#else
constexpr std::size_t VW = 4;
using vec = __m128;
inline vec vzero() { return _mm_setzero_ps(); }
inline vec vload(const float* p) { return _mm_loadu_ps(p); }
inline vec vbcast(const float* p) { return _mm_set1_ps(*p); }
inline vec vadd(vec a, vec b) { return _mm_add_ps(a, b); }
inline vec vmul(vec a, vec b) { return _mm_mul_ps(a, b); }
inline void vstore(float* p, vec v) { _mm_storeu_ps(p, v); }
constexpr std::size_t MR = 4, NV = 2;
#endif
constexpr std::size_t NR = VW * NV;
constexpr std::size_t kAGroupBytes = 400 * 1024;

// Packs columns [j0, j0+nr) of B into a K×width panel, zero-padded on the right (padding columns
// are computed but never stored).
void pack_b(const float* b, std::size_t K, std::size_t N, bool transB, std::size_t j0, std::size_t nr,
            std::size_t width, float* panel) {
  if (!transB) {
    for (std::size_t k = 0; k < K; ++k) {
      float* dst = panel + k * width;
      std::memcpy(dst, b + k * N + j0, nr * sizeof(float));
      for (std::size_t j = nr; j < width; ++j) dst[j] = 0.0f;
    }
  } else {
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t j = nr; j < width; ++j) panel[k * width + j] = 0.0f;
    // A transpose: blocks of 16 k keep the destination rows (16 × width floats) in L1.
    constexpr std::size_t KB = 16;
    for (std::size_t kb = 0; kb < K; kb += KB) {
      const std::size_t ke = kb + KB < K ? kb + KB : K;
      for (std::size_t j = 0; j < nr; ++j) {
        const float* src = b + (j0 + j) * K;
        for (std::size_t k = kb; k < ke; ++k) panel[k * width + j] = src[k];
      }
    }
  }
}

// R rows of A starting at `a` (element (r,k) at a[r*rs + k*ks]) times a packed panel of V vectors,
// k increasing. Results go to tile[R][V*VW].
template <std::size_t R, std::size_t V>
void micro(const float* a, std::size_t rs, std::size_t ks, const float* panel, std::size_t K, float* tile) {
  constexpr std::size_t W = V * VW;
  vec acc[R][V];
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t v = 0; v < V; ++v) acc[r][v] = vzero();
  for (std::size_t k = 0; k < K; ++k) {
    vec bv[V];
    for (std::size_t v = 0; v < V; ++v) {
      bv[v] = vload(panel + k * W + v * VW);
      // Keep the panel vectors in registers: otherwise the compiler folds one load into every
      // multiply (R× the loads) and the loop becomes load-bound. Values are unchanged.
      __asm__("" : "+v"(bv[v]));
    }
    for (std::size_t r = 0; r < R; ++r) {
      const vec av = vbcast(a + r * rs + k * ks);
      for (std::size_t v = 0; v < V; ++v) acc[r][v] = vadd(acc[r][v], vmul(av, bv[v]));
    }
  }
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t v = 0; v < V; ++v) vstore(tile + r * W + v * VW, acc[r][v]);
}

using MicroFn = void (*)(const float*, std::size_t, std::size_t, const float*, std::size_t, float*);

template <std::size_t V>
MicroFn micro_for_rows(std::size_t rows) {
  static_assert(MR == 4, "dispatch assumes MR == 4");
  switch (rows) {
    case 4: return micro<4, V>;
    case 3: return micro<3, V>;
    case 2: return micro<2, V>;
    default: return micro<1, V>;
  }
}

MicroFn micro_for(std::size_t rows, std::size_t vectors) {
  static_assert(NV <= 4 && NV >= 2, "dispatch assumes 2 <= NV <= 4");
  switch (vectors) {
    case 1: return micro_for_rows<1>(rows);
    case 2: return micro_for_rows<2>(rows);
    case 3: return micro_for_rows<(NV >= 3 ? 3 : NV)>(rows);
    default: return micro_for_rows<NV>(rows);
  }
}

// Computes rows [i0, i1) × column panels [p0, p1) of one matmul. The last panel is narrowed to as
// few vectors as its columns need.
void block(const float* a, const float* b, float* c, std::size_t M, std::size_t K, std::size_t N, bool transA,
           bool transB, std::size_t i0, std::size_t i1, std::size_t p0, std::size_t p1) {
  std::vector<float> panel(K * NR + VW);
  float tile[MR * NR];
  const std::size_t rs = transA ? 1 : K, ks = transA ? M : 1;
  // Rows go in groups whose slice of A (mc × K) stays in L2 next to the packed panel (the panel is
  // re-packed per group, a cost of 1/(2·mc) of the flops).
  std::size_t mc = (kAGroupBytes / sizeof(float)) / (K == 0 ? 1 : K);
  mc = mc < MR ? MR : mc - mc % MR;
  for (std::size_t g0 = i0; g0 < i1; g0 += mc) {
    const std::size_t g1 = g0 + mc < i1 ? g0 + mc : i1;
    for (std::size_t p = p0; p < p1; ++p) {
      const std::size_t j0 = p * NR;
      const std::size_t nr = N - j0 < NR ? N - j0 : NR;
      const std::size_t vectors = (nr + VW - 1) / VW;
      const std::size_t width = vectors * VW;
      pack_b(b, K, N, transB, j0, nr, width, panel.data());
      for (std::size_t i = g0; i < g1; i += MR) {
        const std::size_t rows = g1 - i < MR ? g1 - i : MR;
        micro_for(rows, vectors)(a + i * rs, rs, ks, panel.data(), K, tile);
        for (std::size_t r = 0; r < rows; ++r) std::memcpy(c + (i + r) * N + j0, tile + r * width, nr * sizeof(float));
      }
    }
  }
}

void matmul_serial_or_split(const float* a, const float* b, float* c, std::size_t M, std::size_t K, std::size_t N,
                            bool transA, bool transB, double work) {
  const std::size_t panels = (N + NR - 1) / NR;
  const std::size_t rowBlocks = (M + MR - 1) / MR;
  if (K == 0) {
    for (std::size_t i = 0; i < M * N; ++i) c[i] = 0.0f;
    return;
  }
  const std::size_t threads = static_cast<std::size_t>(pool_threads());
  if (panels >= threads || rowBlocks < 2) {
    parallel_for(panels, work, [&](std::size_t p0, std::size_t p1) {
      block(a, b, c, M, K, N, transA, transB, 0, M, p0, p1);
    });
  } else {
    parallel_for(rowBlocks, work, [&](std::size_t r0, std::size_t r1) {
      const std::size_t i1 = r1 * MR < M ? r1 * MR : M;
      block(a, b, c, M, K, N, transA, transB, r0 * MR, i1, 0, panels);
    });
  }
}

}  // namespace

void matmul_f32(const float* a, const float* b, float* c, std::size_t M, std::size_t K, std::size_t N, bool transA,
                bool transB) {
  if (M == 0 || N == 0) return;
  matmul_serial_or_split(a, b, c, M, K, N, transA, transB, 2.0 * M * K * N);
}

void bmm_f32(const float* a, const float* b, float* c, std::size_t batch, std::size_t M, std::size_t K,
             std::size_t N, bool transA, bool transB) {
  if (batch == 0 || M == 0 || N == 0) return;
  const double per = 2.0 * M * K * N;
  if (batch >= static_cast<std::size_t>(pool_threads()) && per < (1 << 20)) {
    // Many small matmuls: one batch per task, each computed serially.
    parallel_for(batch, per * batch, [&](std::size_t b0, std::size_t b1) {
      for (std::size_t t = b0; t < b1; ++t)
        matmul_serial_or_split(a + t * M * K, b + t * K * N, c + t * M * N, M, K, N, transA, transB, 0.0);
    });
    return;
  }
  for (std::size_t t = 0; t < batch; ++t)
    matmul_serial_or_split(a + t * M * K, b + t * K * N, c + t * M * N, M, K, N, transA, transB, per);
}

}  // namespace repops
