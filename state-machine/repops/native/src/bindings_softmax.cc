// Softmax, log-softmax, cross-entropy and layer norm over the last axis of [rows, cols]. Rows are
// independent and may run on different threads; every sum inside a row is sequential in j from +0,
// and the cross-entropy total over rows is summed sequentially after the rows are done.
#include <cmath>
#include <vector>

#include "bindings.h"
#include "napi_args.h"
#include "pool.h"
#include "transcendentals.h"
#include "transcendentals_vec.h"

namespace repops {
namespace {

struct RowsCols {
  std::size_t rows, cols, n;
};

RowsCols rows_cols(const Args& args, std::size_t first) {
  RowsCols rc{args.size(first, "rows"), args.size(first + 1, "cols"), 0};
  rc.n = mul_sizes(args, rc.rows, rc.cols);
  return rc;
}

/** First maximum of a row; NaN sticky (the first NaN wins). */
inline float row_max(const float* x, std::size_t cols) {
  float m = x[0];
  for (std::size_t j = 1; j < cols; ++j) {
    const float v = x[j];
    if (v > m || (v != v && m == m)) m = v;
  }
  return m;
}

/** Σ expf(fl(x_j − m)) in order; the terms are left in e[0..cols). */
inline float row_exp_sum(const float* x, std::size_t cols, float m, float* e) {
  for (std::size_t j = 0; j < cols; ++j) e[j] = x[j] - m;
  exp_n(e, e, cols);
  float s = 0.0f;
  for (std::size_t j = 0; j < cols; ++j) s = s + e[j];
  return s;
}

/** A per-thread scratch row. */
float* scratch(std::size_t n) {
  thread_local std::vector<float> buf;
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}

template <typename Body>
void for_rows(const RowsCols& rc, double per_element, const Body& body) {
  parallel_for(rc.rows, static_cast<double>(rc.n) * per_element, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) body(r);
  });
}

// (x, out, rows, cols) kernels: body(x row, out row, cols) per row, rows in parallel.
template <typename Body>
napi_value per_row(napi_env env, napi_callback_info info, const char* name, const Body& body) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 4, name);
    const RowsCols rc = rows_cols(args, 2);
    const float* x = args.f32(0, "x", rc.n);
    float* out = args.f32(1, "out", rc.n);
    if (rc.cols == 0) return undefined_value(env);
    for_rows(rc, 40.0, [&](std::size_t r) { body(x + r * rc.cols, out + r * rc.cols, rc.cols); });
    return undefined_value(env);
  });
}

// (y, dy, out, rows, cols) gradient kernels: body(y row, dy row, out row, cols) per row.
template <typename Body>
napi_value per_row_grad(napi_env env, napi_callback_info info, const char* name, const Body& body) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 5, name);
    const RowsCols rc = rows_cols(args, 3);
    const float* y = args.f32(0, "y", rc.n);
    const float* dy = args.f32(1, "dy", rc.n);
    float* out = args.f32(2, "out", rc.n);
    for_rows(rc, 40.0, [&](std::size_t r) { body(y + r * rc.cols, dy + r * rc.cols, out + r * rc.cols, rc.cols); });
    return undefined_value(env);
  });
}

// softmax: out = fl(expf(fl(x - m)) / s)
napi_value Softmax(napi_env env, napi_callback_info info) {
  return per_row(env, info, "softmax", [](const float* xr, float* o, std::size_t cols) {
    const float s = row_exp_sum(xr, cols, row_max(xr, cols), o);
    for (std::size_t j = 0; j < cols; ++j) o[j] = o[j] / s;
  });
}

// logSoftmax: out = fl(fl(x - m) - logf(s))
napi_value LogSoftmax(napi_env env, napi_callback_info info) {
  return per_row(env, info, "logSoftmax", [](const float* xr, float* o, std::size_t cols) {
    const float m = row_max(xr, cols);
    const float ls = logf_repops(row_exp_sum(xr, cols, m, scratch(cols)));
    for (std::size_t j = 0; j < cols; ++j) o[j] = (xr[j] - m) - ls;
  });
}

// softmaxBackward: d = Σ fl(dy*y); out = fl(y * fl(dy - d))
napi_value SoftmaxBackward(napi_env env, napi_callback_info info) {
  return per_row_grad(env, info, "softmaxBackward", [](const float* yr, const float* dr, float* o, std::size_t cols) {
    float d = 0.0f;
    for (std::size_t j = 0; j < cols; ++j) d = d + dr[j] * yr[j];
    for (std::size_t j = 0; j < cols; ++j) o[j] = yr[j] * (dr[j] - d);
  });
}

// logSoftmaxBackward: d = Σ dy; out = fl(dy - fl(expf(y) * d))
napi_value LogSoftmaxBackward(napi_env env, napi_callback_info info) {
  return per_row_grad(env, info, "logSoftmaxBackward", [](const float* yr, const float* dr, float* o, std::size_t cols) {
    float d = 0.0f;
    for (std::size_t j = 0; j < cols; ++j) d = d + dr[j];
    if (o == dr) {  // in place over dy: one element at a time
      for (std::size_t j = 0; j < cols; ++j) o[j] = dr[j] - expf_repops(yr[j]) * d;
      return;
    }
    exp_n(yr, o, cols);
    for (std::size_t j = 0; j < cols; ++j) o[j] = dr[j] - o[j] * d;
  });
}

void check_labels(const Args& args, const std::int32_t* labels, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r)
    if (labels[r] < 0 || static_cast<std::size_t>(labels[r]) >= cols)
      args.fail(true, "label " + std::to_string(labels[r]) + " out of range [0, " + std::to_string(cols) + ")");
}

// crossEntropy(logits, labels, out, rows, cols): out[0] = fl(Σ_r fl(fl(m_r + logf(s_r)) - x[r, label_r]) / fl(rows))
napi_value CrossEntropy(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 5, "crossEntropy");
    const RowsCols rc = rows_cols(args, 3);
    const float* x = args.f32(0, "logits", rc.n);
    const std::int32_t* labels = args.i32(1, "labels", rc.rows);
    float* out = args.f32(2, "out", 1);
    check_labels(args, labels, rc.rows, rc.cols);
    std::vector<float> terms(rc.rows);
    for_rows(rc, 40.0, [&](std::size_t r) {
      const float* xr = x + r * rc.cols;
      const float m = row_max(xr, rc.cols);
      const float lse = m + logf_repops(row_exp_sum(xr, rc.cols, m, scratch(rc.cols)));
      terms[r] = lse - xr[labels[r]];
    });
    float total = 0.0f;
    for (std::size_t r = 0; r < rc.rows; ++r) total = total + terms[r];
    out[0] = total / static_cast<float>(rc.rows);
    return undefined_value(env);
  });
}

// crossEntropyBackward(logits, labels, dloss, out, rows, cols):
//   g = fl(dloss / fl(rows)); out = fl(fl(softmax - [j == label]) * g)
napi_value CrossEntropyBackward(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 6, "crossEntropyBackward");
    const RowsCols rc = rows_cols(args, 4);
    const double dloss = args.number(2, "dloss");
    const float* x = args.f32(0, "logits", rc.n);
    const std::int32_t* labels = args.i32(1, "labels", rc.rows);
    float* out = args.f32(3, "out", rc.n);
    check_labels(args, labels, rc.rows, rc.cols);
    const float g = static_cast<float>(dloss / static_cast<double>(static_cast<float>(rc.rows)));
    for_rows(rc, 40.0, [&](std::size_t r) {
      const float* xr = x + r * rc.cols;
      float* o = out + r * rc.cols;
      const float s = row_exp_sum(xr, rc.cols, row_max(xr, rc.cols), o);
      const std::size_t label = static_cast<std::size_t>(labels[r]);
      for (std::size_t j = 0; j < rc.cols; ++j) {
        const float p = o[j] / s;
        o[j] = (p - (j == label ? 1.0f : 0.0f)) * g;
      }
    });
    return undefined_value(env);
  });
}

// ---- layer norm ----

struct Stats {
  float mean, rstd;
};

/** mean, var = Σ fl((x-mean)²)/n, rstd = fl(1/sqrt(fl(var+eps))); eps added in double as the reference. */
inline Stats ln_stats(const float* x, std::size_t cols, double eps) {
  const float n = static_cast<float>(cols);
  float s = 0.0f;
  for (std::size_t j = 0; j < cols; ++j) s = s + x[j];
  const float mean = s / n;
  float v = 0.0f;
  for (std::size_t j = 0; j < cols; ++j) {
    const float d = x[j] - mean;
    v = v + d * d;
  }
  const float variance = v / n;
  const float ve = static_cast<float>(static_cast<double>(variance) + eps);
  return {mean, 1.0f / std::sqrt(ve)};
}

// layerNorm(x, gamma, beta, out, rows, cols, eps)
napi_value LayerNorm(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 7, "layerNorm");
    const RowsCols rc = rows_cols(args, 4);
    const double eps = args.number(6, "eps");
    const float* x = args.f32(0, "x", rc.n);
    const float* gamma = args.f32(1, "gamma", rc.cols);
    const float* beta = args.f32(2, "beta", rc.cols);
    float* out = args.f32(3, "out", rc.n);
    for_rows(rc, 8.0, [&](std::size_t r) {
      const float* xr = x + r * rc.cols;
      float* o = out + r * rc.cols;
      const Stats st = ln_stats(xr, rc.cols, eps);
      for (std::size_t j = 0; j < rc.cols; ++j) {
        const float xhat = (xr[j] - st.mean) * st.rstd;
        o[j] = xhat * gamma[j] + beta[j];
      }
    });
    return undefined_value(env);
  });
}

// layerNormBackwardX(x, gamma, dy, out, rows, cols, eps)
napi_value LayerNormBackwardX(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 7, "layerNormBackwardX");
    const RowsCols rc = rows_cols(args, 4);
    const double eps = args.number(6, "eps");
    const float* x = args.f32(0, "x", rc.n);
    const float* gamma = args.f32(1, "gamma", rc.cols);
    const float* dy = args.f32(2, "dy", rc.n);
    float* out = args.f32(3, "out", rc.n);
    const float n = static_cast<float>(rc.cols);
    for_rows(rc, 12.0, [&](std::size_t r) {
      const float *xr = x + r * rc.cols, *dr = dy + r * rc.cols;
      float* o = out + r * rc.cols;
      const Stats st = ln_stats(xr, rc.cols, eps);
      float sa = 0.0f, sb = 0.0f;
      for (std::size_t j = 0; j < rc.cols; ++j) {
        const float g = dr[j] * gamma[j];
        const float xhat = (xr[j] - st.mean) * st.rstd;
        sa = sa + g;
        sb = sb + g * xhat;
      }
      const float a = sa / n, b = sb / n;
      for (std::size_t j = 0; j < rc.cols; ++j) {
        const float g = dr[j] * gamma[j];
        const float xhat = (xr[j] - st.mean) * st.rstd;
        o[j] = st.rstd * ((g - a) - xhat * b);
      }
    });
    return undefined_value(env);
  });
}

// layerNormBackwardGamma(x, dy, out, rows, cols, eps): out_c = Σ_r fl(dy_rc * xhat_rc), sequential over rows.
// Row statistics are computed in parallel first; then threads split the columns.
napi_value LayerNormBackwardGamma(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 6, "layerNormBackwardGamma");
    const RowsCols rc = rows_cols(args, 3);
    const double eps = args.number(5, "eps");
    const float* x = args.f32(0, "x", rc.n);
    const float* dy = args.f32(1, "dy", rc.n);
    float* out = args.f32(2, "out", rc.cols);
    std::vector<Stats> stats(rc.rows);
    for_rows(rc, 4.0, [&](std::size_t r) { stats[r] = ln_stats(x + r * rc.cols, rc.cols, eps); });
    parallel_for(rc.cols, static_cast<double>(rc.n) * 4.0, [&](std::size_t c0, std::size_t c1) {
      for (std::size_t j = c0; j < c1; ++j) out[j] = 0.0f;
      for (std::size_t r = 0; r < rc.rows; ++r) {
        const float *xr = x + r * rc.cols, *dr = dy + r * rc.cols;
        for (std::size_t j = c0; j < c1; ++j) out[j] = out[j] + dr[j] * ((xr[j] - stats[r].mean) * stats[r].rstd);
      }
    });
    return undefined_value(env);
  });
}

Register r1("softmax", Softmax);
Register r2("softmaxBackward", SoftmaxBackward);
Register r3("logSoftmax", LogSoftmax);
Register r4("logSoftmaxBackward", LogSoftmaxBackward);
Register r5("crossEntropy", CrossEntropy);
Register r6("crossEntropyBackward", CrossEntropyBackward);
Register r7("layerNorm", LayerNorm);
Register r8("layerNormBackwardX", LayerNormBackwardX);
Register r9("layerNormBackwardGamma", LayerNormBackwardGamma);

}  // namespace
}  // namespace repops
