// The paper's MLP (ReLU hidden layers, linear output, softmax) trained by plain SGD, with each
// sample's per-layer importance β recorded at the step that uses it. No N-API here: addon.cc is
// the only file that knows about JavaScript.
//
// Parameters are one flat float vector, layer by layer, W row-major [in, out] then b: the layout
// of src/model/spec.ts, shared by every engine and every snapshot.
//
// Example:
//   si::Mlp net({784, 512, 512, 512, 10});
//   std::copy(init.begin(), init.end(), net.params());
//   net.train_batches(x, y, n, order, n, {0.1f, 0.0f, 100, true}, {beta, nll, correct, margin, el2n});
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace si {

struct Hyper {
  float lr;            // η
  float weight_decay;  // λ, weights only
  int batch_size;      // B; the last batch of a call may be smaller
  bool importance;     // when false β is not computed and `Record::importance` is untouched
};

/** Per-sample outputs, indexed by the sample's position in the data (not visiting order). */
struct Record {
  float* importance;  // [n, layers] row-major
  float* nll;         // [n]
  uint8_t* correct;   // [n]
  float* margin;      // [n] label logit − largest other logit; null: not computed
  float* el2n;        // [n] ‖softmax − onehot(label)‖₂; null: not computed
};

/** Where softmax_loss writes each row's scores; margin and el2n may be null (evaluation). */
struct RowScores {
  float* nll;
  uint8_t* correct;
  float* margin;
  float* el2n;
};

struct EvalTotals {
  double nll_sum;
  int64_t wrong;
};

class Mlp {
 public:
  /** sizes = {input, hidden..., classes}; at least one layer. */
  explicit Mlp(std::vector<int> sizes);

  int layers() const { return static_cast<int>(sizes_.size()) - 1; }
  const std::vector<int>& sizes() const { return sizes_; }
  size_t param_count() const { return params_.size(); }
  float* params() { return params_.data(); }

  /**
   * SGD over `order[0..count)` (positions into x/y), batch_size consecutive entries per step.
   * Throws std::out_of_range on a position or label outside its range (before touching that batch).
   */
  void train_batches(const float* x, const int32_t* y, int64_t n, const int32_t* order, int64_t count,
                     const Hyper& hyper, const Record& record);

  /** Forward pass over all n samples, in chunks, writing each sample's nll and correct. */
  EvalTotals evaluate(const float* x, const int32_t* y, int64_t n, float* nll, uint8_t* correct);

 private:
  /** Fills acts_[1..layers] (the last holds logits) from `input` [m, sizes[0]]. */
  void forward(const float* input, int m, bool with_norms);
  /**
   * Softmax cross-entropy on the logits of m rows; row i's scores go to index positions[i]
   * (i when positions is null). With `delta`, writes ∂L_i/∂logits into deltas_.back().
   */
  EvalTotals softmax_loss(const int32_t* labels, int m, const int32_t* positions, const RowScores& out, bool delta,
                          bool with_norms);
  /** One step on the batch already gathered into acts_[0] and labels_. */
  void sgd_step(const int32_t* batch, int m, const Hyper& hyper, const Record& record);

  std::vector<int> sizes_;
  std::vector<float> params_;
  std::vector<size_t> w_offset_, b_offset_;

  // Scratch grown on demand and kept, so a step allocates nothing. acts_[d] is layer d's input
  // [rows, sizes[d]] (acts_[0] only for gathered training batches; acts_.back() holds the logits),
  // deltas_[d] is ∂L_i/∂z_d [rows, sizes[d+1]].
  std::vector<std::vector<float>> acts_, deltas_;
  std::vector<std::vector<float>> act_sq_;  // ‖a_i‖² of each layer's input
  std::vector<float> delta_sq_;             // ‖δ_i‖² of the layer being updated
  std::vector<float> bias_grad_;            // Σ_i δ_i of the layer being updated
  std::vector<int32_t> labels_;             // the batch's labels, gathered
};

}  // namespace si
