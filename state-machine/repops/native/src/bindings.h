// The registry of kernel bindings: each bindings_*.cc file contributes entries.
#pragma once
#include <node_api.h>

#include <functional>
#include <vector>

namespace repops {

struct KernelEntry {
  const char* name;
  napi_callback fn;
};

/** All kernels, in registration order. */
std::vector<KernelEntry>& kernel_table();

/** Registers at static-init time: `static Register r("matmul", Matmul);`. */
struct Register {
  Register(const char* name, napi_callback fn) { kernel_table().push_back({name, fn}); }
};

/** Runs body, turning argument errors and C++ exceptions into JS exceptions. */
napi_value guard(napi_env env, const std::function<napi_value()>& body);

inline napi_value undefined_value(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

}  // namespace repops
