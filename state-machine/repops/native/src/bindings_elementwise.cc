// Elementwise, bias, activation-gradient and optimiser kernels (no transcendentals).
#include <cmath>

#include "bindings.h"
#include "elementwise.h"
#include "f32_bits.h"
#include "napi_args.h"

namespace repops {
namespace {

// All arrays of an elementwise kernel have one length; a mismatch is a caller bug.
std::size_t same_length(const Args& args, std::initializer_list<std::pair<std::size_t, const char*>> arrays) {
  std::size_t n = 0;
  bool first = true;
  for (const auto& [i, name] : arrays) {
    const std::size_t len = args.f32len(i, name);
    if (first) n = len;
    else if (len != n) args.fail(true, std::string(name) + " has " + std::to_string(len) + " elements, expected " + std::to_string(n));
    first = false;
  }
  return n;
}

template <typename Op>
napi_value binary(napi_env env, napi_callback_info info, const char* name, Op op) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 3, name);
    const std::size_t n = same_length(args, {{0, "a"}, {1, "b"}, {2, "out"}});
    const float* a = args.f32(0, "a", n);
    const float* b = args.f32(1, "b", n);
    float* out = args.f32(2, "out", n);
    for_elements(n, [&](std::size_t s, std::size_t e) {
      for (std::size_t i = s; i < e; ++i) out[i] = op(a[i], b[i]);
    });
    return undefined_value(env);
  });
}

napi_value Add(napi_env env, napi_callback_info info) {
  return binary(env, info, "add", [](float a, float b) { return a + b; });
}
napi_value Sub(napi_env env, napi_callback_info info) {
  return binary(env, info, "sub", [](float a, float b) { return a - b; });
}
napi_value Mul(napi_env env, napi_callback_info info) {
  return binary(env, info, "mul", [](float a, float b) { return a * b; });
}
napi_value Div(napi_env env, napi_callback_info info) {
  return binary(env, info, "div", [](float a, float b) { return a / b; });
}

// Three same-length inputs and an output: out_i = op(x_i, y_i, z_i).
template <typename Op>
napi_value ternary(napi_env env, napi_callback_info info, const char* name, const char* n0, const char* n1,
                   const char* n2, Op op) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 4, name);
    const std::size_t n = same_length(args, {{0, n0}, {1, n1}, {2, n2}, {3, "out"}});
    const float* x = args.f32(0, n0, n);
    const float* y = args.f32(1, n1, n);
    const float* z = args.f32(2, n2, n);
    float* out = args.f32(3, "out", n);
    for_elements(n, [&](std::size_t s, std::size_t e) {
      for (std::size_t i = s; i < e; ++i) out[i] = op(x[i], y[i], z[i]);
    });
    return undefined_value(env);
  });
}

// divBackwardB(a, b, dy, out): out = -fl(fl(dy * fl(a / b)) / b)
napi_value DivBackwardB(napi_env env, napi_callback_info info) {
  return ternary(env, info, "divBackwardB", "a", "b", "dy", [](float a, float b, float dy) {
    const float q = a / b;
    const float t = dy * q;
    return -(t / b);
  });
}

// addBias(x, bias, out, rows, cols): out_rc = fl(x_rc + bias_c)
napi_value AddBias(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 5, "addBias");
    const std::size_t rows = args.size(3, "rows"), cols = args.size(4, "cols");
    const std::size_t n = mul_sizes(args, rows, cols);
    const float* x = args.f32(0, "x", n);
    const float* bias = args.f32(1, "bias", cols);
    float* out = args.f32(2, "out", n);
    parallel_for(rows, static_cast<double>(n) * 2.0, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r)
        for (std::size_t c = 0; c < cols; ++c) out[r * cols + c] = x[r * cols + c] + bias[c];
    });
    return undefined_value(env);
  });
}

// Scalar arguments arrive as JS doubles and the reference multiplies them in double before rounding
// (fl(x * s)); doing the same here gives the reference's bits even for a scalar that is not a float32.

// scale(x, s, out): out_i = fl(x_i * s)
napi_value Scale(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 3, "scale");
    const std::size_t n = same_length(args, {{0, "x"}, {2, "out"}});
    const double s = args.number(1, "s");
    const float* x = args.f32(0, "x", n);
    float* out = args.f32(2, "out", n);
    for_elements(n, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) out[i] = static_cast<float>(x[i] * s);
    });
    return undefined_value(env);
  });
}

template <typename Op>
napi_value unary(napi_env env, napi_callback_info info, const char* name, Op op) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 2, name);
    const std::size_t n = same_length(args, {{0, "x"}, {1, "out"}});
    const float* x = args.f32(0, "x", n);
    float* out = args.f32(1, "out", n);
    for_elements(n, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) out[i] = op(x[i]);
    });
    return undefined_value(env);
  });
}

// relu(x, out): x > 0 ? x : +0, NaN -> canonical NaN
napi_value Relu(napi_env env, napi_callback_info info) {
  const float nan = nan_f32();
  return unary(env, info, "relu", [nan](float x) { return x != x ? nan : (x > 0.0f ? x : 0.0f); });
}

template <typename Op>
napi_value unary_grad(napi_env env, napi_callback_info info, const char* name, const char* n0, Op op) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 3, name);
    const std::size_t n = same_length(args, {{0, n0}, {1, "dy"}, {2, "out"}});
    const float* x = args.f32(0, n0, n);
    const float* dy = args.f32(1, "dy", n);
    float* out = args.f32(2, "out", n);
    for_elements(n, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) out[i] = op(x[i], dy[i]);
    });
    return undefined_value(env);
  });
}

// reluBackward(x, dy, out): x > 0 ? dy : +0
napi_value ReluBackward(napi_env env, napi_callback_info info) {
  return unary_grad(env, info, "reluBackward", "x", [](float x, float dy) { return x > 0.0f ? dy : 0.0f; });
}

// tanhBackward(y, dy, out): fl(dy * fl(1 - fl(y * y)))
napi_value TanhBackward(napi_env env, napi_callback_info info) {
  return unary_grad(env, info, "tanhBackward", "y", [](float y, float dy) {
    const float yy = y * y;
    const float d = 1.0f - yy;
    return dy * d;
  });
}

// sigmoidBackward(y, dy, out): fl(dy * fl(y * fl(1 - y)))
napi_value SigmoidBackward(napi_env env, napi_callback_info info) {
  return unary_grad(env, info, "sigmoidBackward", "y", [](float y, float dy) {
    const float d = 1.0f - y;
    const float t = y * d;
    return dy * t;
  });
}

// sgdVelocity(v, g, p, out, momentum, wd): g' = fl(g + fl(wd * p)); out = fl(fl(momentum * v) + g')
napi_value SgdVelocity(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 6, "sgdVelocity");
    const std::size_t n = same_length(args, {{0, "v"}, {1, "g"}, {2, "p"}, {3, "out"}});
    const double momentum = args.number(4, "momentum"), wd = args.number(5, "weightDecay");
    const float* v = args.f32(0, "v", n);
    const float* g = args.f32(1, "g", n);
    const float* p = args.f32(2, "p", n);
    float* out = args.f32(3, "out", n);
    for_elements(n, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        const float gp = g[i] + static_cast<float>(wd * p[i]);
        const float mv = static_cast<float>(momentum * v[i]);
        out[i] = mv + gp;
      }
    });
    return undefined_value(env);
  });
}

// sgdParam(p, v, out, lr): out = fl(p - fl(lr * v))
napi_value SgdParam(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 4, "sgdParam");
    const std::size_t n = same_length(args, {{0, "p"}, {1, "v"}, {2, "out"}});
    const double lr = args.number(3, "lr");
    const float* p = args.f32(0, "p", n);
    const float* v = args.f32(1, "v", n);
    float* out = args.f32(2, "out", n);
    for_elements(n, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) out[i] = p[i] - static_cast<float>(lr * v[i]);
    });
    return undefined_value(env);
  });
}

// adamwM(m, g, out, beta1): out = fl(fl(β1 * m) + fl(fl(1 - β1) * g))
// adamwV(v, g, out, beta2): out = fl(fl(β2 * v) + fl(fl(1 - β2) * fl(g * g)))
template <bool square>
napi_value adamw_moment(napi_env env, napi_callback_info info, const char* name, const char* state, const char* beta) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 4, name);
    const std::size_t n = same_length(args, {{0, state}, {1, "g"}, {2, "out"}});
    const double b = args.number(3, beta);
    const float c = static_cast<float>(1.0 - b);
    const float* m = args.f32(0, state, n);
    const float* g = args.f32(1, "g", n);
    float* out = args.f32(2, "out", n);
    for_elements(n, [&](std::size_t s, std::size_t e) {
      for (std::size_t i = s; i < e; ++i) {
        const float x = static_cast<float>(b * m[i]);
        const float y = c * (square ? g[i] * g[i] : g[i]);
        out[i] = x + y;
      }
    });
    return undefined_value(env);
  });
}

napi_value AdamwM(napi_env env, napi_callback_info info) { return adamw_moment<false>(env, info, "adamwM", "m", "beta1"); }
napi_value AdamwV(napi_env env, napi_callback_info info) { return adamw_moment<true>(env, info, "adamwV", "v", "beta2"); }

// adamwParam(p, m, v, out, lr, eps, wd, bc1, bc2):
//   p1 = fl(p - fl(fl(lr*wd) * p)); u = fl(fl(m/bc1) / fl(sqrt(fl(v/bc2)) + eps)); out = fl(p1 - fl(lr * u))
napi_value AdamwParam(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 9, "adamwParam");
    const std::size_t n = same_length(args, {{0, "p"}, {1, "m"}, {2, "v"}, {3, "out"}});
    const double lr = args.number(4, "lr"), eps = args.number(5, "eps"), wd = args.number(6, "weightDecay");
    const double bc1 = args.number(7, "bc1"), bc2 = args.number(8, "bc2");
    const float lrwd = static_cast<float>(lr * wd);
    const float* p = args.f32(0, "p", n);
    const float* m = args.f32(1, "m", n);
    const float* v = args.f32(2, "v", n);
    float* out = args.f32(3, "out", n);
    for_elements(n, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        const float decay = lrwd * p[i];
        const float p1 = p[i] - decay;
        const float mh = static_cast<float>(m[i] / bc1);
        const float vh = static_cast<float>(v[i] / bc2);
        const float den = static_cast<float>(static_cast<double>(std::sqrt(vh)) + eps);
        const float u = mh / den;
        const float step = static_cast<float>(lr * u);
        out[i] = p1 - step;
      }
    });
    return undefined_value(env);
  });
}

Register r01("add", Add);
Register r02("sub", Sub);
Register r03("mul", Mul);
Register r04("div", Div);
Register r05("divBackwardB", DivBackwardB);
Register r06("addBias", AddBias);
Register r07("scale", Scale);
Register r08("relu", Relu);
Register r09("reluBackward", ReluBackward);
Register r10("tanhBackward", TanhBackward);
Register r11("sigmoidBackward", SigmoidBackward);
Register r12("sgdVelocity", SgdVelocity);
Register r13("sgdParam", SgdParam);
Register r14("adamwM", AdamwM);
Register r15("adamwV", AdamwV);
Register r16("adamwParam", AdamwParam);

}  // namespace
}  // namespace repops
