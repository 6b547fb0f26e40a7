// Argument checking for the N-API kernel bindings: every typed array is checked for its element
// type and for being long enough for the sizes given, so a bad call throws instead of corrupting
// memory.
#pragma once
#include <node_api.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

namespace repops {

struct ArgError {
  bool range;  // RangeError (sizes) vs TypeError (kinds)
  std::string message;
};

class Args {
 public:
  static constexpr std::size_t kMax = 16;

  Args(napi_env env, napi_callback_info info, std::size_t expected, const char* fn) : env_(env), fn_(fn) {
    argc_ = kMax;
    napi_get_cb_info(env, info, &argc_, argv_, nullptr, nullptr);
    if (argc_ < expected) fail(false, "expected " + std::to_string(expected) + " arguments");
  }

  /** A non-negative integer size (a JS number that is a safe integer). */
  std::size_t size(std::size_t i, const char* name) const {
    double d = number(i, name);
    if (!(d >= 0) || d != std::floor(d) || d > 9007199254740991.0) fail(true, std::string(name) + " must be a non-negative integer");
    return static_cast<std::size_t>(d);
  }

  double number(std::size_t i, const char* name) const {
    double d = 0;
    if (napi_get_value_double(env_, argv_[i], &d) != napi_ok) fail(false, std::string(name) + " must be a number");
    return d;
  }

  bool flag(std::size_t i, const char* name) const {
    bool b = false;
    if (napi_get_value_bool(env_, argv_[i], &b) != napi_ok) fail(false, std::string(name) + " must be a boolean");
    return b;
  }

  float* f32(std::size_t i, const char* name, std::size_t minLen) const {
    return static_cast<float*>(typed(i, name, napi_float32_array, "Float32Array", minLen));
  }

  std::int32_t* i32(std::size_t i, const char* name, std::size_t minLen) const {
    return static_cast<std::int32_t*>(typed(i, name, napi_int32_array, "Int32Array", minLen));
  }

  /** Length of a Float32Array argument (for kernels sized by their arrays). */
  std::size_t f32len(std::size_t i, const char* name) const {
    std::size_t len = 0;
    typedInfo(i, name, napi_float32_array, "Float32Array", &len);
    return len;
  }

  std::size_t i32len(std::size_t i, const char* name) const {
    std::size_t len = 0;
    typedInfo(i, name, napi_int32_array, "Int32Array", &len);
    return len;
  }

  [[noreturn]] void fail(bool range, const std::string& msg) const { throw ArgError{range, std::string(fn_) + ": " + msg}; }

 private:
  void* typedInfo(std::size_t i, const char* name, napi_typedarray_type want, const char* wantName,
                  std::size_t* len) const {
    bool is = false;
    if (napi_is_typedarray(env_, argv_[i], &is) != napi_ok || !is) fail(false, std::string(name) + " must be a " + wantName);
    napi_typedarray_type type;
    void* data = nullptr;
    napi_value ab;
    std::size_t off = 0;
    if (napi_get_typedarray_info(env_, argv_[i], &type, len, &data, &ab, &off) != napi_ok || type != want)
      fail(false, std::string(name) + " must be a " + wantName);
    return data;
  }

  void* typed(std::size_t i, const char* name, napi_typedarray_type want, const char* wantName, std::size_t minLen) const {
    std::size_t len = 0;
    void* data = typedInfo(i, name, want, wantName, &len);
    if (len < minLen)
      fail(true, std::string(name) + " has " + std::to_string(len) + " elements, needs " + std::to_string(minLen));
    return data;
  }

  napi_env env_;
  const char* fn_;
  std::size_t argc_;
  napi_value argv_[kMax];
};

/** Checked size product (throws on overflow). */
inline std::size_t mul_sizes(const Args& args, std::size_t a, std::size_t b) {
  if (a != 0 && b > SIZE_MAX / a) args.fail(true, "size overflow");
  return a * b;
}

}  // namespace repops
