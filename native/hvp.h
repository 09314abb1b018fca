// Second-order quantities of the training objective at given parameters, for the influence of a
// sample on the final model (paper §4, −H⁻¹g_i). The objective is the mean-loss one the SGD update
// descends on a full batch:
//
//   J(θ) = (1/n) Σ_i L_i(θ) + (λ/2) ‖θ_W‖²        (decay on weights only)
//
// Exact Hessian-vector products use Pearlmutter's R-operator: a forward pass of the tangent
// R{z_d} = R{a_{d-1}} W_d + a_{d-1} V_d + c_d, R{a_d} = relu'(z_d) ⊙ R{z_d} (ReLU'' = 0 a.e.), then
// the backward pass of the R-quantities R{δ_D} = p ⊙ R{z_D} − p (pᵀ R{z_D}),
// R{δ_{d-1}} = (R{δ_d} W_dᵀ + δ_d V_dᵀ) ⊙ relu'(z_{d-1}),
// R{∇W_d} = R{a_{d-1}}ᵀ δ_d + a_{d-1}ᵀ R{δ_d}, R{∇b_d} = Σ R{δ_d}.
//
// Everything runs over the data in chunks of rows (sgemm per chunk) so that scratch memory stays
// bounded; per-chunk sums are accumulated in double.
//
// Example:
//   si::Curvature c(net.sizes());
//   c.hvp(net.params(), x, y, n, v, 1e-3f, out);   // out = (∇²J) v
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace si {

class Curvature {
 public:
  /** sizes = {input, hidden..., classes}, as Mlp. */
  explicit Curvature(std::vector<int> sizes);

  size_t param_count() const { return count_; }

  /** grad = ∇J at params over the n samples; returns the mean loss. */
  double loss_gradient(const float* params, const float* x, const int32_t* y, int64_t n, float weight_decay,
                       float* grad);

  /** out = ∇²J(params) v over the n samples (exact, R-operator). */
  void hvp(const float* params, const float* x, const int32_t* y, int64_t n, const float* v, float weight_decay,
           float* out);

  /** out[i] = ⟨∇L_i(params), s⟩ for every sample: one forward pass with tangent s (forward-mode JVP). */
  void directional(const float* params, const float* x, const int32_t* y, int64_t n, const float* s, float* out);

 private:
  int layers() const { return static_cast<int>(sizes_.size()) - 1; }
  void check_labels(const int32_t* y, int64_t n) const;
  /** acts_[d+1] = post-activations (logits for the last) of the chunk `input` [m, sizes[0]]. */
  void forward(const float* params, const float* input, int m);
  /** racts_[d+1] = R{·} of the same for tangent v (racts_ of the input is zero). */
  void tangent_forward(const float* params, const float* input, const float* v, int m);
  /** probs_ = softmax of the logits; deltas_.back() = p − onehot(y) when `delta`; returns Σ nll. */
  double softmax(const int32_t* y, int m, bool delta);

  std::vector<int> sizes_;
  size_t count_;
  std::vector<size_t> w_offset_, b_offset_;
  // acts_[0] is unused (the input is read in place); acts_[d] is layer d's output [m, sizes[d]].
  std::vector<std::vector<float>> acts_, racts_, deltas_, rdeltas_;
  std::vector<float> probs_, chunk_;
  std::vector<double> total_;
};

}  // namespace si
