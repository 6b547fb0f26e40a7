// Array versions of the RepOps transcendentals: out[i] = f(x[i]) for i in [0, n). With AVX-512 they
// evaluate 16 lanes at once with exactly the scalar sequence of IEEE operations (transcendentals.h),
// special cases resolved by masks; without it (or for the tail) they call the scalar functions.
// `out` may alias `x`.
#pragma once
#include <cstddef>

namespace repops {

void exp_n(const float* x, float* out, std::size_t n);
void log_n(const float* x, float* out, std::size_t n);
void tanh_n(const float* x, float* out, std::size_t n);
void sigmoid_n(const float* x, float* out, std::size_t n);
void sin_n(const float* x, float* out, std::size_t n);
void cos_n(const float* x, float* out, std::size_t n);
void gelu_n(const float* x, float* out, std::size_t n);
/** out[i] = gelu'(x[i]) */
void gelu_grad_n(const float* x, float* out, std::size_t n);

}  // namespace repops
