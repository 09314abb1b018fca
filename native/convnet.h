// A sequential network of conv2d (square kernel, stride 1, zero padding), ReLU, 2×2 max pooling
// and dense layers, ending in softmax, trained by plain SGD with each sample's per-layer importance
// β recorded exactly at the step that uses it — without forming a per-sample gradient of the whole
// network: per conv layer, either the per-sample weight-gradient product or its Gram ("ghost norm")
// form, whichever the cost model in convnet.cc says is cheaper for that layer's shape.
//
// Images are channels-first [c, h, w]; flatten is free in that layout, so it is not a layer here.
// Parameters are one flat float vector, parameterised layer by layer: conv weight [c_out, c_in, k, k]
// row-major then its bias; dense W [in, out] row-major then b (src/model/network.ts).
//
// Example:
//   si::ConvNet net({1, 28, 28}, {{si::Op::kConv, 32, 5, 2}, {si::Op::kRelu}, {si::Op::kMaxPool2},
//                                 {si::Op::kDense, 10}});
//   net.train_batches(x, y, n, order, n, {0.1f, 0.0f, 100, true}, {beta, nll, correct, margin, el2n});
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <memory>

#include "conv_dnnl.h"
#include "mlp.h"

namespace si {

enum class Op : int32_t { kConv = 0, kRelu = 1, kMaxPool2 = 2, kDense = 3 };

/** One layer as the front end describes it: `size` is conv filters or dense units. */
struct OpSpec {
  Op op;
  int size = 0;
  int kernel = 0;
  int padding = 0;
};

/** How a conv layer's per-sample ‖∂L_i/∂W‖² is computed (the cost model picks; tests force each). */
enum class ConvNorm : int32_t { kCheapest = 0, kPerSample = 1, kGram = 2 };

class ConvNet {
 public:
  /**
   * input = {c, h, w}. Throws std::invalid_argument on a shape that does not fit. With `dnnl` (and a
   * build that found oneDNN), conv layers' forward and backward-data passes run on oneDNN.
   */
  ConvNet(std::array<int, 3> input, std::vector<OpSpec> ops, ConvNorm norm = ConvNorm::kCheapest, bool dnnl = true);
  ~ConvNet();
  /** Whether conv layers run on oneDNN. */
  bool uses_dnnl() const;

  size_t param_count() const { return param_count_; }
  float* params() { return params_.data(); }
  int input_size() const { return layers_.front().in_size; }
  int classes() const { return layers_.back().out_size; }
  /** Parameterised layers: the columns of β. */
  int param_layers() const { return param_layers_; }
  /** Per conv layer (in order), whether β uses the Gram form. */
  std::vector<bool> gram_layers() const;

  /** As Mlp::train_batches. */
  void train_batches(const float* x, const int32_t* y, int64_t n, const int32_t* order, int64_t count,
                     const Hyper& hyper, const Record& record);
  /** As Mlp::evaluate. */
  EvalTotals evaluate(const float* x, const int32_t* y, int64_t n, float* nll, uint8_t* correct);

 private:
  struct Layer {
    Op op;
    int c_in, h_in, w_in, c_out, h_out, w_out;
    int kernel, padding;
    int in_size, out_size;  // c·h·w of input and output
    size_t w_offset, b_offset;
    int column;  // β column; -1 for layers without parameters
    bool gram;   // conv: β by the Gram form
  };

  /** From acts_[0] [m, input]; keeps every sample's unfolded conv inputs for the backward pass when asked. */
  void forward(int m, bool keep_cols);
  /** Writes each row's scores and ∂L/∂logits into deltas_.back(). */
  EvalTotals softmax_loss(const int32_t* labels, int m, const int32_t* positions, const RowScores& out, bool delta);
  void sgd_step(const int32_t* batch, int m, const Hyper& hyper, const Record& record);
  /**
   * `cols` holds m unfolded inputs when keep_cols, else one, reused sample by sample (none on
   * oneDNN, which does not unfold for the forward pass).
   */
  void conv_forward(size_t li, int m, const float* in, float* out, float* cols, bool keep_cols);
  /**
   * The conv layer's weight and bias gradient summed over the batch into grad_, each sample's
   * ‖∂L_i/∂W‖² + ‖∂L_i/∂b‖² into sample_sq_ when `norms`, and ∂L/∂input into `below` when given.
   */
  void conv_backward(size_t li, int m, const float* delta, const float* cols, bool norms, float* below);

  std::vector<Layer> layers_;
#ifdef SI_HAVE_DNNL
  std::vector<std::unique_ptr<DnnlConv>> dnnl_;  // per layer: the conv layers' oneDNN passes, or null
#endif
  std::vector<float> params_;
  size_t param_count_ = 0;
  int param_layers_ = 0;

  // Scratch grown on demand and kept: acts_[l] is layer l's input [rows, in_size] (acts_.back()
  // the logits), deltas_[l] is ∂L/∂(layer l's output), cols_[l] a conv layer's unfolded input
  // [rows, c_in·k², h_out·w_out], argmax_[l] a pooling layer's chosen input per output.
  std::vector<std::vector<float>> acts_, deltas_, cols_;
  std::vector<std::vector<int32_t>> argmax_;
  std::vector<float> grad_, sample_grad_, gram_a_, gram_d_, dcol_;
  std::vector<double> sample_sq_;
  std::vector<int32_t> labels_;
};

}  // namespace si
