// N-API glue for si_cuda::CudaMlp and si_cuda::DeviceData (build/Release/si_cuda.node). The same
// shape as native/addon.cc, with the same argument helpers (../napi_args.h), except that data sets
// are uploaded once as CudaData objects and then passed by handle. Validation of meaning lives in
// TypeScript (src/engine/native/validate.ts); here only what would otherwise read or write out of
// bounds is checked. No CUDA headers here.
#include <napi.h>

#include <exception>
#include <memory>
#include <vector>

#include "../napi_args.h"
#include "mlp_cuda.h"

namespace {

using namespace si_napi;

struct Constructors {
  Napi::FunctionReference data;
};

/** `new CudaData(x: Float32Array, y: Int32Array, inputSize, classes)`: the set, uploaded once. */
class CudaData : public Napi::ObjectWrap<CudaData> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "CudaData",
                       {InstanceMethod<&CudaData::Bytes>("bytes"), InstanceMethod<&CudaData::N>("n"),
                        InstanceMethod<&CudaData::Release>("release")});
  }

  explicit CudaData(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CudaData>(info) {
    Napi::Env env = info.Env();
    const View<float> x = typed_arg<float>(info, 0, "x");
    const View<int32_t> y = typed_arg<int32_t>(info, 1, "y");
    const int input = count_arg(info, 2, "inputSize");
    const int classes = count_arg(info, 3, "classes");
    if (y.length < 1) throw Napi::RangeError::New(env, "y must hold at least one label");
    require_length(env, x.length, y.length * static_cast<size_t>(input), "x");
    data_ = guarded(env, [&] {
      return std::make_unique<si_cuda::DeviceData>(x.data, y.data, static_cast<int64_t>(y.length), input, classes);
    });
  }

  const si_cuda::DeviceData& data(Napi::Env env) const {
    if (!data_ || !data_->live()) throw Napi::Error::New(env, "this CUDA data set was released");
    return *data_;
  }

 private:
  Napi::Value Bytes(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), data_ ? static_cast<double>(data_->bytes()) : 0.0);
  }
  Napi::Value N(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), data_ ? static_cast<double>(data_->n()) : 0.0);
  }
  void Release(const Napi::CallbackInfo&) { data_.reset(); }

  std::unique_ptr<si_cuda::DeviceData> data_;
};

const si_cuda::DeviceData& data_arg(const Napi::CallbackInfo& info, size_t index) {
  Napi::Env env = info.Env();
  auto* ctors = env.GetInstanceData<Constructors>();
  if (info.Length() <= index || !info[index].IsObject() ||
      !info[index].As<Napi::Object>().InstanceOf(ctors->data.Value())) {
    throw Napi::TypeError::New(env, "data must be a CudaData");
  }
  return CudaData::Unwrap(info[index].As<Napi::Object>())->data(env);
}

/** `new CudaMlp(sizes: Int32Array)`: owns one si_cuda::CudaMlp (its stream, cuBLAS handle, graph, buffers). */
class CudaMlp : public Napi::ObjectWrap<CudaMlp> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "CudaMlp",
                       {InstanceMethod<&CudaMlp::ParamCount>("paramCount"),
                        InstanceMethod<&CudaMlp::GetParams>("getParams"),
                        InstanceMethod<&CudaMlp::SetParams>("setParams"),
                        InstanceMethod<&CudaMlp::TrainBatches>("trainBatches"),
                        InstanceMethod<&CudaMlp::Evaluate>("evaluate"),
                        InstanceMethod<&CudaMlp::DeviceBytes>("deviceBytes"),
                        InstanceMethod<&CudaMlp::Dispose>("dispose")});
  }

  explicit CudaMlp(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CudaMlp>(info) {
    const View<int32_t> sizes = typed_arg<int32_t>(info, 0, "sizes");
    mlp_ = guarded(info.Env(), [&] {
      return std::make_unique<si_cuda::CudaMlp>(std::vector<int>(sizes.data, sizes.data + sizes.length));
    });
  }

 private:
  si_cuda::CudaMlp& mlp(Napi::Env env) {
    if (!mlp_) throw Napi::Error::New(env, "this CUDA model was disposed");
    return *mlp_;
  }

  Napi::Value ParamCount(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(mlp(info.Env()).param_count()));
  }

  void GetParams(const Napi::CallbackInfo& info) {
    si_cuda::CudaMlp& net = mlp(info.Env());
    const View<float> out = typed_arg<float>(info, 0, "params");
    require_length(info.Env(), out.length, net.param_count(), "params");
    guarded(info.Env(), [&] { net.get_params(out.data); });
  }

  void SetParams(const Napi::CallbackInfo& info) {
    si_cuda::CudaMlp& net = mlp(info.Env());
    const View<float> in = typed_arg<float>(info, 0, "params");
    require_length(info.Env(), in.length, net.param_count(), "params");
    guarded(info.Env(), [&] { net.set_params(in.data); });
  }

  /**
   * trainBatches(data: CudaData, order, lr, weightDecay, batchSize, importance, scores, recordImportance,
   * recordNll, recordCorrect, recordMargin, recordEl2n)
   */
  void TrainBatches(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    si_cuda::CudaMlp& net = mlp(env);
    const si_cuda::DeviceData& data = data_arg(info, 0);
    const View<int32_t> order = typed_arg<int32_t>(info, 1, "order");
    const si_cuda::Hyper hyper{static_cast<float>(number_arg(info, 2, "lr")),
                               static_cast<float>(number_arg(info, 3, "weightDecay")), count_arg(info, 4, "batchSize"),
                               bool_arg(info, 5, "importance")};
    const bool scores = bool_arg(info, 6, "scores");
    const View<float> importance = typed_arg<float>(info, 7, "record.importance");
    const View<float> nll = typed_arg<float>(info, 8, "record.nll");
    const View<uint8_t> correct = typed_arg<uint8_t>(info, 9, "record.correct");
    const View<float> margin = typed_arg<float>(info, 10, "record.margin");
    const View<float> el2n = typed_arg<float>(info, 11, "record.el2n");
    const size_t n = static_cast<size_t>(data.n());
    require_length(env, importance.length, n * net.layers(), "record.importance");
    require_length(env, nll.length, n, "record.nll");
    require_length(env, correct.length, n, "record.correct");
    require_length(env, margin.length, n, "record.margin");
    require_length(env, el2n.length, n, "record.el2n");
    guarded(env, [&] {
      net.train_batches(data, order.data, static_cast<int64_t>(order.length), hyper, importance.data, nll.data,
                        correct.data, scores ? margin.data : nullptr, scores ? el2n.data : nullptr);
    });
  }

  /** evaluate(data: CudaData, nll, correct) → { nllSum, wrong } */
  Napi::Value Evaluate(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    si_cuda::CudaMlp& net = mlp(env);
    const si_cuda::DeviceData& data = data_arg(info, 0);
    const View<float> nll = typed_arg<float>(info, 1, "nll");
    const View<uint8_t> correct = typed_arg<uint8_t>(info, 2, "correct");
    const size_t n = static_cast<size_t>(data.n());
    require_length(env, nll.length, n, "nll");
    require_length(env, correct.length, n, "correct");
    const si_cuda::EvalTotals totals = guarded(env, [&] { return net.evaluate(data, nll.data, correct.data); });
    return eval_result(env, totals);
  }

  Napi::Value DeviceBytes(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(mlp(info.Env()).device_bytes()));
  }

  void Dispose(const Napi::CallbackInfo&) { mlp_.reset(); }

  std::unique_ptr<si_cuda::CudaMlp> mlp_;
};

/**
 * deviceInfo() → { device, name, totalMemory, freeMemory, major, minor, multiprocessors, driverVersion,
 * runtimeVersion, cublasVersion }; throws "no CUDA driver/GPU: …"
 */
Napi::Value DeviceInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const si_cuda::DeviceInfo d = guarded(env, [] { return si_cuda::device_info(si_cuda::select_device()); });
  Napi::Object result = Napi::Object::New(env);
  result.Set("device", d.device);
  result.Set("name", d.name);
  result.Set("totalMemory", static_cast<double>(d.total_memory));
  result.Set("freeMemory", static_cast<double>(d.free_memory));
  result.Set("major", d.major);
  result.Set("minor", d.minor);
  result.Set("multiprocessors", d.multiprocessors);
  result.Set("driverVersion", d.driver_version);
  result.Set("runtimeVersion", d.runtime_version);
  result.Set("cublasVersion", d.cublas_version);
  return result;
}

/** buildInfo() → 'cudart 12.4, cuBLAS 12.4.5, archs sm_90,compute_80' */
Napi::Value BuildInfo(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), si_cuda::build_info()); }

/** backends() → ['cuda'] when a device is usable, [] otherwise (never throws). */
Napi::Value Backends(const Napi::CallbackInfo& info) {
  Napi::Array list = Napi::Array::New(info.Env());
  try {
    si_cuda::select_device();
    list.Set(0u, Napi::String::New(info.Env(), "cuda"));
  } catch (const std::exception&) {
  }
  return list;
}

/** probe() → '' when a device is usable, else the reason ('no CUDA driver/GPU: …'). */
Napi::Value Probe(const Napi::CallbackInfo& info) {
  try {
    si_cuda::select_device();
    return Napi::String::New(info.Env(), "");
  } catch (const std::exception& e) {
    return Napi::String::New(info.Env(), e.what());
  }
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* ctors = new Constructors();
  Napi::Function data = CudaData::Define(env);
  ctors->data = Napi::Persistent(data);
  env.SetInstanceData<Constructors>(ctors);
  exports.Set("CudaData", data);
  exports.Set("CudaMlp", CudaMlp::Define(env));
  exports.Set("deviceInfo", Napi::Function::New<DeviceInfo>(env, "deviceInfo"));
  exports.Set("buildInfo", Napi::Function::New<BuildInfo>(env, "buildInfo"));
  exports.Set("backends", Napi::Function::New<Backends>(env, "backends"));
  exports.Set("probe", Napi::Function::New<Probe>(env, "probe"));
  return exports;
}

}  // namespace

NODE_API_MODULE(si_cuda, Init)
