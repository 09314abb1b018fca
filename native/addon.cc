// N-API glue for si::Mlp: unwraps typed arrays in place (no copies) and turns every misuse into a
// JavaScript exception (the argument helpers are shared with the CUDA addon: napi_args.h).
// Validation of meaning (sizes against the spec, hyper-parameters) lives in
// src/engine/native/validate.ts; here only what would otherwise read or write out of bounds is checked.
#include <napi.h>

#include <memory>
#include <vector>

#include "cblas_shim.h"
#include "hvp.h"
#include "mlp.h"
#include "napi_args.h"

namespace {

using namespace si_napi;

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

  /** getParams(out: Float32Array[paramCount]) */
  void GetParams(const Napi::CallbackInfo& info) {
    si::Mlp& net = mlp(info.Env());
    const View<float> out = typed_arg<float>(info, 0, "params");
    require_length(info.Env(), out.length, net.param_count(), "params");
    std::copy(net.params(), net.params() + net.param_count(), out.data);
  }

  /** setParams(params: Float32Array[paramCount]) */
  void SetParams(const Napi::CallbackInfo& info) {
    si::Mlp& net = mlp(info.Env());
    const View<float> in = typed_arg<float>(info, 0, "params");
    require_length(info.Env(), in.length, net.param_count(), "params");
    std::copy(in.data, in.data + in.length, net.params());
  }

  /**
   * trainBatches(x, y, order, lr, weightDecay, batchSize, importance, scores, recordImportance, recordNll,
   *              recordCorrect, recordMargin, recordEl2n)
   */
  void TrainBatches(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    si::Mlp& net = mlp(env);
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
    require_length(env, x.length, n * net.sizes().front(), "x");
    require_length(env, importance.length, n * net.layers(), "record.importance");
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
  Napi::Value Evaluate(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    si::Mlp& net = mlp(env);
    const View<float> x = typed_arg<float>(info, 0, "x");
    const View<int32_t> y = typed_arg<int32_t>(info, 1, "y");
    const View<float> nll = typed_arg<float>(info, 2, "nll");
    const View<uint8_t> correct = typed_arg<uint8_t>(info, 3, "correct");
    const size_t n = y.length;
    require_length(env, x.length, n * net.sizes().front(), "x");
    require_length(env, nll.length, n, "nll");
    require_length(env, correct.length, n, "correct");
    const si::EvalTotals totals =
        guarded(env, [&] { return net.evaluate(x.data, y.data, static_cast<int64_t>(n), nll.data, correct.data); });
    return eval_result(env, totals);
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

/** blasInfo() → { name, config, threads } */
Napi::Value BlasInfo(const Napi::CallbackInfo& info) {
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("name", SI_BLAS_NAME_STRING);
  result.Set("config", si::blas::config());
  result.Set("threads", si::blas::threads());
  return result;
}

/** setThreads(count) → whether the library accepted it */
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), si::blas::set_threads(count_arg(info, 0, "threads")));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeMlp", NativeMlp::Define(env));
  exports.Set("blasInfo", Napi::Function::New<BlasInfo>(env, "blasInfo"));
  exports.Set("setThreads", Napi::Function::New<SetThreads>(env, "setThreads"));
  return exports;
}

}  // namespace

NODE_API_MODULE(si_native, Init)
