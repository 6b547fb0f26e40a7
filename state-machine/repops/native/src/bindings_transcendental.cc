// Elementwise transcendentals (exp, log, tanh, sigmoid, sin, cos, GELU) and their gradients, using the
// scalar ports in transcendentals.h.
#include "bindings.h"
#include "elementwise.h"
#include "napi_args.h"
#include "transcendentals_vec.h"

namespace repops {
namespace {

using ArrayFn = void (*)(const float*, float*, std::size_t);

constexpr std::size_t kChunk = 1024;

// out = f(x), chunks of 1024 elements spread over the threads.
napi_value map1(napi_env env, napi_callback_info info, const char* name, ArrayFn f) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 2, name);
    const std::size_t n = args.f32len(0, "x");
    const float* x = args.f32(0, "x", n);
    float* out = args.f32(1, "out", n);
    if (args.f32len(1, "out") != n) args.fail(true, "out must have the length of x");
    parallel_for((n + kChunk - 1) / kChunk, static_cast<double>(n) * 32.0, [&](std::size_t c0, std::size_t c1) {
      const std::size_t e = c1 * kChunk < n ? c1 * kChunk : n;
      f(x + c0 * kChunk, out + c0 * kChunk, e - c0 * kChunk);
    });
    return undefined_value(env);
  });
}

// out = combine(dy, f(x)): f first into out, then one multiply per element.
template <typename Combine>
napi_value map2(napi_env env, napi_callback_info info, const char* name, ArrayFn f, Combine combine) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 3, name);
    const std::size_t n = args.f32len(0, "x");
    const float* x = args.f32(0, "x", n);
    const float* dy = args.f32(1, "dy", n);
    float* out = args.f32(2, "out", n);
    if (args.f32len(1, "dy") != n || args.f32len(2, "out") != n) args.fail(true, "dy and out must have the length of x");
    if (out == dy) args.fail(true, "out must not alias dy");
    parallel_for((n + kChunk - 1) / kChunk, static_cast<double>(n) * 32.0, [&](std::size_t c0, std::size_t c1) {
      const std::size_t b = c0 * kChunk, e = c1 * kChunk < n ? c1 * kChunk : n;
      f(x + b, out + b, e - b);
      for (std::size_t i = b; i < e; ++i) out[i] = combine(dy[i], out[i]);
    });
    return undefined_value(env);
  });
}

napi_value Exp(napi_env env, napi_callback_info info) { return map1(env, info, "exp", exp_n); }
napi_value Log(napi_env env, napi_callback_info info) { return map1(env, info, "log", log_n); }
napi_value Tanh(napi_env env, napi_callback_info info) { return map1(env, info, "tanh", tanh_n); }
napi_value Sigmoid(napi_env env, napi_callback_info info) { return map1(env, info, "sigmoid", sigmoid_n); }
napi_value Sin(napi_env env, napi_callback_info info) { return map1(env, info, "sin", sin_n); }
napi_value Cos(napi_env env, napi_callback_info info) { return map1(env, info, "cos", cos_n); }
napi_value Gelu(napi_env env, napi_callback_info info) { return map1(env, info, "gelu", gelu_n); }

// sinBackward: fl(dy * cosf(x)); cosBackward: -fl(dy * sinf(x)); geluBackward: fl(dy * gelu'(x))
napi_value SinBackward(napi_env env, napi_callback_info info) {
  return map2(env, info, "sinBackward", cos_n, [](float dy, float c) { return dy * c; });
}
napi_value CosBackward(napi_env env, napi_callback_info info) {
  return map2(env, info, "cosBackward", sin_n, [](float dy, float s) { return -(dy * s); });
}
napi_value GeluBackward(napi_env env, napi_callback_info info) {
  return map2(env, info, "geluBackward", gelu_grad_n, [](float dy, float g) { return dy * g; });
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
