// N-API entry points of the native RepOps kernels. Each binding checks its arguments and calls a
// plain C++ kernel; signatures mirror the Kernels interface of the TypeScript reference.
#include <node_api.h>

#include <string>
#include <vector>

#include "bindings.h"
#include "napi_args.h"
#include "pool.h"

namespace repops {
namespace {

napi_value SetThreads(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args args(env, info, 1, "setThreads");
    const std::size_t n = args.size(0, "n");
    napi_value out;
    napi_create_int32(env, pool_set_threads(n > 64 ? 64 : static_cast<int>(n)), &out);
    return out;
  });
}

napi_value GetThreads(napi_env env, napi_callback_info) {
  napi_value out;
  napi_create_int32(env, pool_threads(), &out);
  return out;
}

napi_value KernelNames(napi_env env, napi_callback_info) {
  const auto& table = kernel_table();
  napi_value arr;
  napi_create_array_with_length(env, table.size(), &arr);
  for (std::size_t i = 0; i < table.size(); ++i) {
    napi_value s;
    napi_create_string_utf8(env, table[i].name, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, static_cast<uint32_t>(i), s);
  }
  return arr;
}

}  // namespace

napi_value guard(napi_env env, const std::function<napi_value()>& body) {
  try {
    return body();
  } catch (const ArgError& e) {
    if (e.range)
      napi_throw_range_error(env, "REPOPS_NATIVE_ARG", e.message.c_str());
    else
      napi_throw_type_error(env, "REPOPS_NATIVE_ARG", e.message.c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, "REPOPS_NATIVE", e.what());
  }
  return nullptr;
}

}  // namespace repops

NAPI_MODULE_INIT() {
  using namespace repops;
  std::vector<napi_property_descriptor> props = {
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"getThreads", nullptr, GetThreads, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"kernelNames", nullptr, KernelNames, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  for (const auto& k : kernel_table())
    props.push_back({k.name, nullptr, k.fn, nullptr, nullptr, nullptr, napi_enumerable, nullptr});
  napi_define_properties(env, exports, props.size(), props.data());
  return exports;
}
