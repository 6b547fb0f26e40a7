#include "bindings.h"
#include "matmul.h"
#include "napi_args.h"

namespace repops {

std::vector<KernelEntry>& kernel_table() {
  static std::vector<KernelEntry>* t = new std::vector<KernelEntry>();
  return *t;
}

namespace {

// matmul(a, b, out, M, K, N, transA, transB)
napi_value Matmul(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 8, "matmul");
    const std::size_t M = args.size(3, "M"), K = args.size(4, "K"), N = args.size(5, "N");
    const bool ta = args.flag(6, "transA"), tb = args.flag(7, "transB");
    const float* a = args.f32(0, "a", mul_sizes(args, M, K));
    const float* b = args.f32(1, "b", mul_sizes(args, K, N));
    float* c = args.f32(2, "out", mul_sizes(args, M, N));
    matmul_f32(a, b, c, M, K, N, ta, tb);
    return undefined_value(env);
  });
}

// bmm(a, b, out, batch, M, K, N, transA, transB)
napi_value Bmm(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 9, "bmm");
    const std::size_t B = args.size(3, "batch"), M = args.size(4, "M"), K = args.size(5, "K"), N = args.size(6, "N");
    const bool ta = args.flag(7, "transA"), tb = args.flag(8, "transB");
    const float* a = args.f32(0, "a", mul_sizes(args, B, mul_sizes(args, M, K)));
    const float* b = args.f32(1, "b", mul_sizes(args, B, mul_sizes(args, K, N)));
    float* c = args.f32(2, "out", mul_sizes(args, B, mul_sizes(args, M, N)));
    bmm_f32(a, b, c, B, M, K, N, ta, tb);
    return undefined_value(env);
  });
}

Register r1("matmul", Matmul);
Register r2("bmm", Bmm);

}  // namespace
}  // namespace repops
