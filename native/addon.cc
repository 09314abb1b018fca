// N-API glue for si::Mlp and si::ConvNet: unwraps typed arrays in place (no copies) and turns every misuse into a
// JavaScript exception (the argument helpers are shared with the CUDA addon: napi_args.h).
// Validation of meaning (sizes against the spec, hyper-parameters) lives in
// src/engine/native/validate.ts; here only what would otherwise read or write out of bounds is checked.
#include <napi.h>

#include <cstdlib>
#include <memory>
#include <vector>

#ifdef SI_HAVE_DNNL
#include <omp.h>
#endif

#include "cblas_shim.h"
#include "convnet.h"
#include "hvp.h"
#include "mlp.h"
#include "napi_args.h"

namespace {

using namespace si_napi;

// The calls both network classes answer alike; `Net` is si::Mlp or si::ConvNet.

/** getParams(out: Float32Array[paramCount]) */
template <typename Net>
void get_params_call(const Napi::CallbackInfo& info, Net& net) {
  const View<float> out = typed_arg<float>(info, 0, "params");
  require_length(info.Env(), out.length, net.param_count(), "params");
  std::copy(net.params(), net.params() + net.param_count(), out.data);
}

/** setParams(params: Float32Array[paramCount]) */
template <typename Net>
void set_params_call(const Napi::CallbackInfo& info, Net& net) {
  const View<float> in = typed_arg<float>(info, 0, "params");
  require_length(info.Env(), in.length, net.param_count(), "params");
  std::copy(in.data, in.data + in.length, net.params());
}

/**
 * trainBatches(x, y, order, lr, weightDecay, batchSize, importance, scores, recordImportance, recordNll,
 *              recordCorrect, recordMargin, recordEl2n)
 */
template <typename Net>
void train_batches_call(const Napi::CallbackInfo& info, Net& net, size_t input_size, size_t layers) {
  Napi::Env env = info.Env();
  const View<float> x = typed_arg<float>(info, 0, "x");
  const View<int32_t> y = typed_arg<int32_t>(info, 1, "y");
  const View<int32_t> order = typed_arg<int32_t>(info, 2, "order");
  const si::Hyper hyper{static_cast<float>(number_arg(info, 3, "lr")),
                        static_cast<float>(number_arg(info, 4, "weightDecay")), count_arg(info, 5, "batchSize"),
                        bool_arg(info, 6, "importance")};
  const bool scores = bool_arg(info, 7, "scores");
  const View<float> importance = typed_arg<float>(info, 8, "record.importance");
  const View<float> nll = typed_arg<float>(info, 9, "record.nll");
  const View<uint8_t> correct = typed_arg<uint8_t>(info, 10, "record.correct");
  const View<float> margin = typed_arg<float>(info, 11, "record.margin");
  const View<float> el2n = typed_arg<float>(info, 12, "record.el2n");
  const size_t n = y.length;
  require_length(env, x.length, n * input_size, "x");
  require_length(env, importance.length, n * layers, "record.importance");
  require_length(env, nll.length, n, "record.nll");
  require_length(env, correct.length, n, "record.correct");
  require_length(env, margin.length, n, "record.margin");
  require_length(env, el2n.length, n, "record.el2n");
  guarded(env, [&] {
    net.train_batches(x.data, y.data, static_cast<int64_t>(n), order.data, static_cast<int64_t>(order.length), hyper,
                      {importance.data, nll.data, correct.data, scores ? margin.data : nullptr,
                       scores ? el2n.data : nullptr});
  });
}

/** evaluate(x, y, nll, correct) → { nllSum, wrong } */
template <typename Net>
Napi::Value evaluate_call(const Napi::CallbackInfo& info, Net& net, size_t input_size) {
  Napi::Env env = info.Env();
  const View<float> x = typed_arg<float>(info, 0, "x");
  const View<int32_t> y = typed_arg<int32_t>(info, 1, "y");
  const View<float> nll = typed_arg<float>(info, 2, "nll");
  const View<uint8_t> correct = typed_arg<uint8_t>(info, 3, "correct");
  const size_t n = y.length;
  require_length(env, x.length, n * input_size, "x");
  require_length(env, nll.length, n, "nll");
  require_length(env, correct.length, n, "correct");
  const si::EvalTotals totals =
      guarded(env, [&] { return net.evaluate(x.data, y.data, static_cast<int64_t>(n), nll.data, correct.data); });
  return eval_result(env, totals);
}

/** `new NativeMlp(sizes: Int32Array)`: owns one si::Mlp. */
class NativeMlp : public Napi::ObjectWrap<NativeMlp> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeMlp",
                       {InstanceMethod<&NativeMlp::ParamCount>("paramCount"),
                        InstanceMethod<&NativeMlp::GetParams>("getParams"),
                        InstanceMethod<&NativeMlp::SetParams>("setParams"),
                        InstanceMethod<&NativeMlp::TrainBatches>("trainBatches"),
                        InstanceMethod<&NativeMlp::Evaluate>("evaluate"),
                        InstanceMethod<&NativeMlp::LossGradient>("lossGradient"),
                        InstanceMethod<&NativeMlp::Hvp>("hvp"),
                        InstanceMethod<&NativeMlp::DirectionalDerivatives>("directionalDerivatives"),
                        InstanceMethod<&NativeMlp::Dispose>("dispose")});
  }

  explicit NativeMlp(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeMlp>(info) {
    const View<int32_t> sizes = typed_arg<int32_t>(info, 0, "sizes");
    mlp_ = guarded(info.Env(), [&] {
      return std::make_unique<si::Mlp>(std::vector<int>(sizes.data, sizes.data + sizes.length));
    });
  }

 private:
  si::Mlp& mlp(Napi::Env env) {
    if (!mlp_) throw Napi::Error::New(env, "this native model was disposed");
    return *mlp_;
  }

  Napi::Value ParamCount(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(mlp(info.Env()).param_count()));
  }

  void GetParams(const Napi::CallbackInfo& info) { get_params_call(info, mlp(info.Env())); }
  void SetParams(const Napi::CallbackInfo& info) { set_params_call(info, mlp(info.Env())); }

  /** See train_batches_call. */
  void TrainBatches(const Napi::CallbackInfo& info) {
    si::Mlp& net = mlp(info.Env());
    train_batches_call(info, net, net.sizes().front(), net.layers());
  }

  /** See evaluate_call. */
  Napi::Value Evaluate(const Napi::CallbackInfo& info) {
    si::Mlp& net = mlp(info.Env());
    return evaluate_call(info, net, net.sizes().front());
  }

  /** The curvature engine over the same layer sizes, made on first use (it keeps its own scratch). */
  si::Curvature& curvature(Napi::Env env) {
    si::Mlp& net = mlp(env);
    if (!curvature_) curvature_ = std::make_unique<si::Curvature>(net.sizes());
    return *curvature_;
  }

  /** Checks x [n, input] against y [n] and returns n. */
  size_t data_rows(Napi::Env env, si::Mlp& net, const View<float>& x, const View<int32_t>& y) {
    require_length(env, x.length, y.length * net.sizes().front(), "x");
    return y.length;
  }

  /** lossGradient(x, y, weightDecay, out: Float32Array[paramCount]) → mean loss */
  Napi::Value LossGradient(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    si::Mlp& net = mlp(env);
    const View<float> x = typed_arg<float>(info, 0, "x");
    const View<int32_t> y = typed_arg<int32_t>(info, 1, "y");
    const float decay = static_cast<float>(number_arg(info, 2, "weightDecay"));
    const View<float> out = typed_arg<float>(info, 3, "out");
    const size_t n = data_rows(env, net, x, y);
    require_length(env, out.length, net.param_count(), "out");
    const double loss = guarded(env, [&] {
      return curvature(env).loss_gradient(net.params(), x.data, y.data, static_cast<int64_t>(n), decay, out.data);
    });
    return Napi::Number::New(env, loss);
  }

  /** hvp(x, y, v: Float32Array[paramCount], weightDecay, out: Float32Array[paramCount]) */
  void Hvp(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    si::Mlp& net = mlp(env);
    const View<float> x = typed_arg<float>(info, 0, "x");
    const View<int32_t> y = typed_arg<int32_t>(info, 1, "y");
    const View<float> v = typed_arg<float>(info, 2, "v");
    const float decay = static_cast<float>(number_arg(info, 3, "weightDecay"));
    const View<float> out = typed_arg<float>(info, 4, "out");
    const size_t n = data_rows(env, net, x, y);
    require_length(env, v.length, net.param_count(), "v");
    require_length(env, out.length, net.param_count(), "out");
    guarded(env, [&] {
      curvature(env).hvp(net.params(), x.data, y.data, static_cast<int64_t>(n), v.data, decay, out.data);
    });
  }

  /** directionalDerivatives(x, y, s: Float32Array[paramCount], out: Float32Array[n]) */
  void DirectionalDerivatives(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    si::Mlp& net = mlp(env);
    const View<float> x = typed_arg<float>(info, 0, "x");
    const View<int32_t> y = typed_arg<int32_t>(info, 1, "y");
    const View<float> s = typed_arg<float>(info, 2, "s");
    const View<float> out = typed_arg<float>(info, 3, "out");
    const size_t n = data_rows(env, net, x, y);
    require_length(env, s.length, net.param_count(), "s");
    require_length(env, out.length, n, "out");
    guarded(env, [&] {
      curvature(env).directional(net.params(), x.data, y.data, static_cast<int64_t>(n), s.data, out.data);
    });
  }

  void Dispose(const Napi::CallbackInfo&) {
    curvature_.reset();
    mlp_.reset();
  }

  std::unique_ptr<si::Mlp> mlp_;
  std::unique_ptr<si::Curvature> curvature_;
};

/**
 * `new NativeConvNet(input: Int32Array [c, h, w], ops: Int32Array [4 per layer: kind, size, kernel,
 * padding], norm: number, dnnl: boolean)`: owns one si::ConvNet (kinds and norms as si::Op and
 * si::ConvNorm; `dnnl`: conv layers on oneDNN where the build has it).
 */
class NativeConvNet : public Napi::ObjectWrap<NativeConvNet> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeConvNet",
                       {InstanceMethod<&NativeConvNet::ParamCount>("paramCount"),
                        InstanceMethod<&NativeConvNet::GetParams>("getParams"),
                        InstanceMethod<&NativeConvNet::SetParams>("setParams"),
                        InstanceMethod<&NativeConvNet::TrainBatches>("trainBatches"),
                        InstanceMethod<&NativeConvNet::Evaluate>("evaluate"),
                        InstanceMethod<&NativeConvNet::GramLayers>("gramLayers"),
                        InstanceMethod<&NativeConvNet::UsesDnnl>("usesDnnl"),
                        InstanceMethod<&NativeConvNet::Dispose>("dispose")});
  }

  explicit NativeConvNet(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeConvNet>(info) {
    Napi::Env env = info.Env();
    const View<int32_t> input = typed_arg<int32_t>(info, 0, "input");
    const View<int32_t> ops = typed_arg<int32_t>(info, 1, "ops");
    const double norm = number_arg(info, 2, "norm");
    const bool dnnl = bool_arg(info, 3, "dnnl");
    require_length(env, input.length, 3, "input");
    if (ops.length % 4 != 0) throw Napi::RangeError::New(env, "ops must hold 4 numbers per layer");
    if (norm != 0 && norm != 1 && norm != 2) {
      throw Napi::RangeError::New(env, "norm must be 0 (cheapest), 1 (per sample) or 2 (Gram)");
    }
    std::vector<si::OpSpec> specs;
    for (size_t i = 0; i < ops.length; i += 4) {
      specs.push_back({static_cast<si::Op>(ops.data[i]), ops.data[i + 1], ops.data[i + 2], ops.data[i + 3]});
    }
    net_ = guarded(env, [&] {
      return std::make_unique<si::ConvNet>(std::array<int, 3>{input.data[0], input.data[1], input.data[2]},
                                           std::move(specs), static_cast<si::ConvNorm>(norm), dnnl);
    });
  }

 private:
  si::ConvNet& net(Napi::Env env) {
    if (!net_) throw Napi::Error::New(env, "this native model was disposed");
    return *net_;
  }

  Napi::Value ParamCount(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(net(info.Env()).param_count()));
  }
  void GetParams(const Napi::CallbackInfo& info) { get_params_call(info, net(info.Env())); }
  void SetParams(const Napi::CallbackInfo& info) { set_params_call(info, net(info.Env())); }

  void TrainBatches(const Napi::CallbackInfo& info) {
    si::ConvNet& n = net(info.Env());
    train_batches_call(info, n, n.input_size(), n.param_layers());
  }

  Napi::Value Evaluate(const Napi::CallbackInfo& info) {
    si::ConvNet& n = net(info.Env());
    return evaluate_call(info, n, n.input_size());
  }

  /** gramLayers() → boolean[]: per conv layer, whether β takes the Gram form. */
  Napi::Value GramLayers(const Napi::CallbackInfo& info) {
    const std::vector<bool> gram = net(info.Env()).gram_layers();
    Napi::Array out = Napi::Array::New(info.Env(), gram.size());
    for (size_t i = 0; i < gram.size(); i++) out.Set(static_cast<uint32_t>(i), Napi::Boolean::New(info.Env(), gram[i]));
    return out;
  }

  Napi::Value UsesDnnl(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), net(info.Env()).uses_dnnl());
  }

  void Dispose(const Napi::CallbackInfo&) { net_.reset(); }

  std::unique_ptr<si::ConvNet> net_;
};

/** blasInfo() → { name, config, threads, dnnl } (dnnl: oneDNN's version where conv layers use it, else '') */
Napi::Value BlasInfo(const Napi::CallbackInfo& info) {
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("name", SI_BLAS_NAME_STRING);
  result.Set("config", si::blas::config());
  result.Set("threads", si::blas::threads());
#ifdef SI_HAVE_DNNL
  result.Set("dnnl", si::dnnl_version_string());
#else
  result.Set("dnnl", "");
#endif
  return result;
}

/** oneDNN's OpenMP threads follow the BLAS's: one busy core slows both alike (README, "Engines"). */
void set_dnnl_threads(int count) {
#ifdef SI_HAVE_DNNL
  omp_set_num_threads(count);
#else
  (void)count;
#endif
}

/** setThreads(count) → whether the library accepted it */
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const int count = count_arg(info, 0, "threads");
  set_dnnl_threads(count);
  return Napi::Boolean::New(info.Env(), si::blas::set_threads(count));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Without OMP_NUM_THREADS, as many OpenMP threads as BLAS threads (which OPENBLAS_NUM_THREADS sets).
  if (!std::getenv("OMP_NUM_THREADS") && si::blas::threads() > 0) set_dnnl_threads(si::blas::threads());
  exports.Set("NativeMlp", NativeMlp::Define(env));
  exports.Set("NativeConvNet", NativeConvNet::Define(env));
  exports.Set("blasInfo", Napi::Function::New<BlasInfo>(env, "blasInfo"));
  exports.Set("setThreads", Napi::Function::New<SetThreads>(env, "setThreads"));
  return exports;
}

}  // namespace

NODE_API_MODULE(si_native, Init)
