#include "hvp.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "cblas_shim.h"
#include "dense.h"

namespace si {
namespace {

// Rows per pass: bounds scratch to a few MB even on the paper's 784-512-512-512-10 net.
constexpr int kChunk = 512;

using dense::ensure;

}  // namespace

Curvature::Curvature(std::vector<int> sizes) : sizes_(std::move(sizes)), count_(0) {
  if (sizes_.size() < 2) throw std::invalid_argument("an MLP needs at least an input and an output size");
  for (int s : sizes_) {
    if (s < 1) throw std::invalid_argument("layer sizes must be positive, got " + std::to_string(s));
  }
  for (int d = 0; d < layers(); d++) {
    w_offset_.push_back(count_);
    count_ += static_cast<size_t>(sizes_[d]) * sizes_[d + 1];
    b_offset_.push_back(count_);
    count_ += sizes_[d + 1];
  }
  acts_.resize(sizes_.size());
  racts_.resize(sizes_.size());
  deltas_.resize(sizes_.size());
  rdeltas_.resize(sizes_.size());
}

void Curvature::check_labels(const int32_t* y, int64_t n) const {
  for (int64_t i = 0; i < n; i++) {
    if (y[i] < 0 || y[i] >= sizes_.back())
      throw std::out_of_range("label " + std::to_string(y[i]) + " is outside the classes");
  }
}

void Curvature::forward(const float* params, const float* input, int m) {
  const float* a = input;
  for (int d = 0; d < layers(); d++) {
    const int in = sizes_[d], out = sizes_[d + 1];
    float* z = ensure(acts_[d + 1], static_cast<size_t>(m) * out);
    blas::sgemm(false, false, m, out, in, 1.0f, a, in, params + w_offset_[d], out, 0.0f, z, out);
    const float* b = params + b_offset_[d];
    dense::bias_activation(z, b, m, out, d + 1 < layers(), nullptr);
    a = z;
  }
}

void Curvature::tangent_forward(const float* params, const float* input, const float* v, int m) {
  for (int d = 0; d < layers(); d++) {
    const int in = sizes_[d], out = sizes_[d + 1];
    float* rz = ensure(racts_[d + 1], static_cast<size_t>(m) * out);
    const float* a = d == 0 ? input : acts_[d].data();
    // R{z} = a V_d (+ R{a} W_d below the first layer) + c_d
    blas::sgemm(false, false, m, out, in, 1.0f, a, in, v + w_offset_[d], out, 0.0f, rz, out);
    if (d > 0)
      blas::sgemm(false, false, m, out, in, 1.0f, racts_[d].data(), in, params + w_offset_[d], out, 1.0f, rz, out);
    const float* c = v + b_offset_[d];
    const bool hidden = d + 1 < layers();
    const float* act = acts_[d + 1].data();
    for (int i = 0; i < m; i++) {
      float* row = rz + static_cast<size_t>(i) * out;
      const float* arow = act + static_cast<size_t>(i) * out;
      for (int j = 0; j < out; j++) {
        const float r = row[j] + c[j];
        row[j] = hidden && !(arow[j] > 0.0f) ? 0.0f : r;  // relu'(z) = [a > 0]
      }
    }
  }
}

double Curvature::softmax(const int32_t* y, int m, bool delta) {
  const int classes = sizes_.back();
  const float* logits = acts_.back().data();
  float* p = ensure(probs_, static_cast<size_t>(m) * classes);
  float* dl = delta ? ensure(deltas_.back(), static_cast<size_t>(m) * classes) : nullptr;
  double nll = 0.0;
  for (int i = 0; i < m; i++) {
    const float* row = logits + static_cast<size_t>(i) * classes;
    const dense::RowSoftmax soft = dense::row_softmax(row, classes);
    nll += soft.loss(row, y[i]);
    float* prow = p + static_cast<size_t>(i) * classes;
    for (int j = 0; j < classes; j++) prow[j] = soft.prob(row, j);
    if (dl) {
      float* drow = dl + static_cast<size_t>(i) * classes;
      for (int j = 0; j < classes; j++) drow[j] = prow[j];
      drow[y[i]] -= 1.0f;
    }
  }
  return nll;
}

double Curvature::loss_gradient(const float* params, const float* x, const int32_t* y, int64_t n, float weight_decay,
                                float* grad) {
  check_labels(y, n);
  double* total = ensure(total_, count_);
  std::fill(total, total + count_, 0.0);
  float* chunk = ensure(chunk_, count_);
  double nll = 0.0;
  const int in0 = sizes_[0];
  for (int64_t start = 0; start < n; start += kChunk) {
    const int m = static_cast<int>(std::min<int64_t>(kChunk, n - start));
    const float* input = x + start * in0;
    forward(params, input, m);
    nll += softmax(y + start, m, true);
    for (int d = layers() - 1; d >= 0; d--) {
      const int in = sizes_[d], out = sizes_[d + 1];
      const float* a = d == 0 ? input : acts_[d].data();
      const float* delta = deltas_[d + 1].data();
      blas::sgemm(true, false, in, out, m, 1.0f, a, in, delta, out, 0.0f, chunk + w_offset_[d], out);
      float* gb = chunk + b_offset_[d];
      std::fill(gb, gb + out, 0.0f);
      for (int i = 0; i < m; i++) {
        const float* row = delta + static_cast<size_t>(i) * out;
        for (int j = 0; j < out; j++) gb[j] += row[j];
      }
      if (d > 0) {
        float* below = ensure(deltas_[d], static_cast<size_t>(m) * in);
        blas::sgemm(false, true, m, in, out, 1.0f, delta, out, params + w_offset_[d], out, 0.0f, below, in);
        const size_t len = static_cast<size_t>(m) * in;
        for (size_t k = 0; k < len; k++) below[k] = a[k] > 0.0f ? below[k] : 0.0f;
      }
    }
    for (size_t k = 0; k < count_; k++) total[k] += chunk[k];
  }
  const double inv = 1.0 / static_cast<double>(n);
  for (size_t k = 0; k < count_; k++) grad[k] = static_cast<float>(total[k] * inv);
  if (weight_decay != 0.0f) {
    for (int d = 0; d < layers(); d++) {
      for (size_t k = w_offset_[d]; k < b_offset_[d]; k++) grad[k] += weight_decay * params[k];
    }
  }
  return nll * inv;
}

void Curvature::hvp(const float* params, const float* x, const int32_t* y, int64_t n, const float* v,
                    float weight_decay, float* out_vec) {
  check_labels(y, n);
  double* total = ensure(total_, count_);
  std::fill(total, total + count_, 0.0);
  float* chunk = ensure(chunk_, count_);
  const int in0 = sizes_[0], classes = sizes_.back();
  for (int64_t start = 0; start < n; start += kChunk) {
    const int m = static_cast<int>(std::min<int64_t>(kChunk, n - start));
    const float* input = x + start * in0;
    forward(params, input, m);
    tangent_forward(params, input, v, m);
    softmax(y + start, m, true);
    // R{δ_D} = p ⊙ r − p (pᵀ r), r = R{logits}: the softmax Jacobian applied to the tangent.
    {
      const float* p = probs_.data();
      const float* r = racts_.back().data();
      float* rd = ensure(rdeltas_.back(), static_cast<size_t>(m) * classes);
      for (int i = 0; i < m; i++) {
        const float* prow = p + static_cast<size_t>(i) * classes;
        const float* rrow = r + static_cast<size_t>(i) * classes;
        double dot = 0.0;
        for (int j = 0; j < classes; j++) dot += static_cast<double>(prow[j]) * rrow[j];
        float* out = rd + static_cast<size_t>(i) * classes;
        for (int j = 0; j < classes; j++) out[j] = prow[j] * (rrow[j] - static_cast<float>(dot));
      }
    }
    for (int d = layers() - 1; d >= 0; d--) {
      const int in = sizes_[d], out = sizes_[d + 1];
      const float* a = d == 0 ? input : acts_[d].data();
      const float* delta = deltas_[d + 1].data();
      const float* rdelta = rdeltas_[d + 1].data();
      // R{∇W_d} = aᵀ R{δ} + R{a}ᵀ δ (R{a} = 0 for the input); R{∇b_d} = Σ_i R{δ_i}.
      blas::sgemm(true, false, in, out, m, 1.0f, a, in, rdelta, out, 0.0f, chunk + w_offset_[d], out);
      if (d > 0)
        blas::sgemm(true, false, in, out, m, 1.0f, racts_[d].data(), in, delta, out, 1.0f, chunk + w_offset_[d], out);
      float* gb = chunk + b_offset_[d];
      std::fill(gb, gb + out, 0.0f);
      for (int i = 0; i < m; i++) {
        const float* row = rdelta + static_cast<size_t>(i) * out;
        for (int j = 0; j < out; j++) gb[j] += row[j];
      }
      if (d > 0) {
        // R{δ_{d-1}} = (R{δ} W_dᵀ + δ V_dᵀ) ⊙ relu'; δ_{d-1} = (δ W_dᵀ) ⊙ relu' (ReLU'' = 0 a.e.).
        float* rbelow = ensure(rdeltas_[d], static_cast<size_t>(m) * in);
        float* below = ensure(deltas_[d], static_cast<size_t>(m) * in);
        blas::sgemm(false, true, m, in, out, 1.0f, rdelta, out, params + w_offset_[d], out, 0.0f, rbelow, in);
        blas::sgemm(false, true, m, in, out, 1.0f, delta, out, v + w_offset_[d], out, 1.0f, rbelow, in);
        blas::sgemm(false, true, m, in, out, 1.0f, delta, out, params + w_offset_[d], out, 0.0f, below, in);
        const size_t len = static_cast<size_t>(m) * in;
        for (size_t k = 0; k < len; k++) {
          if (!(a[k] > 0.0f)) {
            rbelow[k] = 0.0f;
            below[k] = 0.0f;
          }
        }
      }
    }
    for (size_t k = 0; k < count_; k++) total[k] += chunk[k];
  }
  const double inv = 1.0 / static_cast<double>(n);
  for (size_t k = 0; k < count_; k++) out_vec[k] = static_cast<float>(total[k] * inv);
  if (weight_decay != 0.0f) {
    for (int d = 0; d < layers(); d++) {
      for (size_t k = w_offset_[d]; k < b_offset_[d]; k++) out_vec[k] += weight_decay * v[k];
    }
  }
}

void Curvature::directional(const float* params, const float* x, const int32_t* y, int64_t n, const float* s,
                            float* out) {
  check_labels(y, n);
  const int in0 = sizes_[0], classes = sizes_.back();
  for (int64_t start = 0; start < n; start += kChunk) {
    const int m = static_cast<int>(std::min<int64_t>(kChunk, n - start));
    const float* input = x + start * in0;
    forward(params, input, m);
    tangent_forward(params, input, s, m);
    softmax(y + start, m, true);
    // dL_i/dθ · s = Σ_c (p_c − y_c) R{logit_c}
    const float* delta = deltas_.back().data();
    const float* r = racts_.back().data();
    for (int i = 0; i < m; i++) {
      double dot = 0.0;
      for (int j = 0; j < classes; j++) {
        dot += static_cast<double>(delta[static_cast<size_t>(i) * classes + j]) *
               r[static_cast<size_t>(i) * classes + j];
      }
      out[start + i] = static_cast<float>(dot);
    }
  }
}

}  // namespace si
