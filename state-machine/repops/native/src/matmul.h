// matmul contract: C[M,N] = A[M,K]·B[K,N]; for every output element acc = +0.0f and, for k = 0..K-1
// in increasing order, acc = fl(acc + fl(a_ik * b_kj)). No FMA. transA/transB mean the stored
// operand is the transpose ([K,M] for A, [N,K] for B). Vectorised across output columns only.
#pragma once
#include <cstddef>

namespace repops {

void matmul_f32(const float* a, const float* b, float* c, std::size_t M, std::size_t K, std::size_t N,
                bool transA, bool transB);

/** The same per batch; operands are [batch, ...] contiguous. */
void bmm_f32(const float* a, const float* b, float* c, std::size_t batch, std::size_t M, std::size_t K,
             std::size_t N, bool transA, bool transB);

}  // namespace repops
