// Elementwise transcendentals (exp, log, tanh, sigmoid, sin, cos, GELU) and their gradients, using the
// scalar ports in transcendentals.h.
#include "bindings.h"
#include "elementwise.h"
#include "napi_args.h"
#include "transcendentals.h"

namespace repops {
namespace {

template <typename Op>
napi_value map1(napi_env env, napi_callback_info info, const char* name, Op op) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 2, name);
    const std::size_t n = args.f32len(0, "x");
    const float* x = args.f32(0, "x", n);
    float* out = args.f32(1, "out", n);
    if (args.f32len(1, "out") != n) args.fail(true, "out must have the length of x");
    parallel_for((n + 1023) / 1024, static_cast<double>(n) * 32.0, [&](std::size_t c0, std::size_t c1) {
      const std::size_t e = c1 * 1024 < n ? c1 * 1024 : n;
      for (std::size_t i = c0 * 1024; i < e; ++i) out[i] = op(x[i]);
    });
    return undefined_value(env);
  });
}

template <typename Op>
napi_value map2(napi_env env, napi_callback_info info, const char* name, Op op) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 3, name);
    const std::size_t n = args.f32len(0, "x");
    const float* x = args.f32(0, "x", n);
    const float* dy = args.f32(1, "dy", n);
    float* out = args.f32(2, "out", n);
    if (args.f32len(1, "dy") != n || args.f32len(2, "out") != n) args.fail(true, "dy and out must have the length of x");
    parallel_for((n + 1023) / 1024, static_cast<double>(n) * 32.0, [&](std::size_t c0, std::size_t c1) {
      const std::size_t e = c1 * 1024 < n ? c1 * 1024 : n;
      for (std::size_t i = c0 * 1024; i < e; ++i) out[i] = op(x[i], dy[i]);
    });
    return undefined_value(env);
  });
}

napi_value Exp(napi_env env, napi_callback_info info) { return map1(env, info, "exp", expf_repops); }
napi_value Log(napi_env env, napi_callback_info info) { return map1(env, info, "log", logf_repops); }
napi_value Tanh(napi_env env, napi_callback_info info) { return map1(env, info, "tanh", tanhf_repops); }
napi_value Sigmoid(napi_env env, napi_callback_info info) { return map1(env, info, "sigmoid", sigmoidf_repops); }
napi_value Sin(napi_env env, napi_callback_info info) { return map1(env, info, "sin", sinf_repops); }
napi_value Cos(napi_env env, napi_callback_info info) { return map1(env, info, "cos", cosf_repops); }
napi_value Gelu(napi_env env, napi_callback_info info) { return map1(env, info, "gelu", geluf_repops); }

// sinBackward: fl(dy * cosf(x)); cosBackward: -fl(dy * sinf(x)); geluBackward: fl(dy * gelu'(x))
napi_value SinBackward(napi_env env, napi_callback_info info) {
  return map2(env, info, "sinBackward", [](float x, float dy) { return dy * cosf_repops(x); });
}
napi_value CosBackward(napi_env env, napi_callback_info info) {
  return map2(env, info, "cosBackward", [](float x, float dy) { return -(dy * sinf_repops(x)); });
}
napi_value GeluBackward(napi_env env, napi_callback_info info) {
  return map2(env, info, "geluBackward", [](float x, float dy) { return dy * gelu_gradf_repops(x); });
}

Register r1("exp", Exp);
Register r2("log", Log);
Register r3("tanh", Tanh);
Register r4("sigmoid", Sigmoid);
Register r5("sin", Sin);
Register r6("cos", Cos);
Register r7("gelu", Gelu);
Register r8("sinBackward", SinBackward);
Register r9("cosBackward", CosBackward);
Register r10("geluBackward", GeluBackward);

}  // namespace
}  // namespace repops
