// N-API argument helpers shared by the two addons (native/addon.cc, native/cuda/addon_cuda.cc):
// unwrap typed arrays in place (no copies) and turn a wrong argument into a JavaScript TypeError or
// RangeError, never a crash. Only what would otherwise read or write out of bounds is checked here;
// validation of meaning lives in TypeScript (src/engine/native/validate.ts). Header-only, no CUDA.
#ifndef SI_NAPI_ARGS_H_
#define SI_NAPI_ARGS_H_

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

namespace si_napi {

/** A typed array's memory, borrowed from JavaScript for the duration of one call. */
template <typename T>
struct View {
  T* data;
  size_t length;
};

template <typename T>
napi_typedarray_type typed_array_kind();
template <>
inline napi_typedarray_type typed_array_kind<float>() { return napi_float32_array; }
template <>
inline napi_typedarray_type typed_array_kind<int32_t>() { return napi_int32_array; }
template <>
inline napi_typedarray_type typed_array_kind<uint8_t>() { return napi_uint8_array; }

inline const char* typed_array_name(napi_typedarray_type kind) {
  switch (kind) {
    case napi_float32_array: return "Float32Array";
    case napi_int32_array: return "Int32Array";
    default: return "Uint8Array";
  }
}

/** Argument `index` as a typed array of T ("<what> must be a Float32Array" otherwise). */
template <typename T>
View<T> typed_arg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  const napi_typedarray_type kind = typed_array_kind<T>();
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != kind) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a " + typed_array_name(kind));
  }
  auto array = info[index].As<Napi::TypedArrayOf<T>>();
  return {array.Data(), array.ElementLength()};
}

inline double number_arg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
  }
  return info[index].As<Napi::Number>().DoubleValue();
}

/** A number that is a whole number in [1, 2^31 - 1]. */
inline int count_arg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  const double value = number_arg(info, index, what);
  if (!(value >= 1 && value <= 2147483647.0) || value != static_cast<double>(static_cast<int64_t>(value))) {
    throw Napi::RangeError::New(info.Env(), std::string(what) + " must be a positive integer");
  }
  return static_cast<int>(value);
}

inline bool bool_arg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (info.Length() <= index || !info[index].IsBoolean()) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a boolean");
  }
  return info[index].As<Napi::Boolean>().Value();
}

inline void require_length(Napi::Env env, size_t actual, size_t expected, const char* what) {
  if (actual != expected) {
    throw Napi::RangeError::New(env, std::string(what) + " has length " + std::to_string(actual) + ", expected " +
                                         std::to_string(expected));
  }
}

/** Runs `body`, rethrowing a C++ exception from the maths as a JavaScript Error. */
template <typename F>
auto guarded(Napi::Env env, F body) -> decltype(body()) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

/** `{ nllSum, wrong }` from an engine's EvalTotals (si::EvalTotals, si_cuda::EvalTotals). */
template <typename Totals>
Napi::Object eval_result(Napi::Env env, const Totals& totals) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("nllSum", totals.nll_sum);
  result.Set("wrong", static_cast<double>(totals.wrong));
  return result;
}

}  // namespace si_napi

#endif  // SI_NAPI_ARGS_H_
