#include "mlp.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "cblas_shim.h"
#include "dense.h"

namespace si {
namespace {

// Evaluation runs in chunks of this many rows to bound scratch memory on large sets.
constexpr int kEvalChunk = 1000;

using dense::ensure;

float sum_squares(const float* v, int n) {
  float s = 0.0f;
#pragma omp simd reduction(+ : s)
  for (int j = 0; j < n; j++) s += v[j] * v[j];
  return s;
}

}  // namespace

Mlp::Mlp(std::vector<int> sizes) : sizes_(std::move(sizes)) {
  if (sizes_.size() < 2) throw std::invalid_argument("an MLP needs at least an input and an output size");
  for (int s : sizes_) {
    if (s < 1) throw std::invalid_argument("layer sizes must be positive, got " + std::to_string(s));
  }
  size_t offset = 0;
  for (int d = 0; d < layers(); d++) {
    w_offset_.push_back(offset);
    offset += static_cast<size_t>(sizes_[d]) * sizes_[d + 1];
    b_offset_.push_back(offset);
    offset += sizes_[d + 1];
  }
  params_.assign(offset, 0.0f);
  acts_.resize(sizes_.size());
  deltas_.resize(layers());
  act_sq_.resize(layers());
}

void Mlp::forward(const float* input, int m, bool with_norms) {
  const float* a = input;
  for (int d = 0; d < layers(); d++) {
    const int in = sizes_[d], out = sizes_[d + 1];
    const float* w = params_.data() + w_offset_[d];
    const float* b = params_.data() + b_offset_[d];
    float* z = ensure(acts_[d + 1], static_cast<size_t>(m) * out);
    blas::sgemm(false, false, m, out, in, 1.0f, a, in, w, out, 0.0f, z, out);
    const bool hidden = d + 1 < layers();
    // One pass per row: bias, ReLU and, when importance needs it, the next layer's ‖a_i‖².
    dense::bias_activation(z, b, m, out, hidden, hidden && with_norms ? ensure(act_sq_[d + 1], m) : nullptr);
    a = z;
  }
}

EvalTotals Mlp::softmax_loss(const int32_t* labels, int m, const int32_t* positions, const RowScores& out,
                             bool delta, bool with_norms) {
  const int classes = sizes_.back();
  const float* logits = acts_.back().data();
  float* deltas = delta ? ensure(deltas_.back(), static_cast<size_t>(m) * classes) : nullptr;
  float* delta_sq = delta && with_norms ? ensure(delta_sq_, m) : nullptr;
  EvalTotals totals{0.0, 0};
  for (int i = 0; i < m; i++) {
    const float* row = logits + static_cast<size_t>(i) * classes;
    const int label = labels[i];
    const dense::RowSoftmax soft = dense::row_softmax(row, classes);
    const int argmax = soft.argmax;
    const double loss = soft.loss(row, label);
    const int64_t at = positions ? positions[i] : i;
    out.nll[at] = static_cast<float>(loss);
    out.correct[at] = argmax == label;
    if (out.margin) out.margin[at] = dense::RowSoftmax::margin(row, label, classes);
    if (out.el2n) out.el2n[at] = static_cast<float>(soft.el2n(row, label, classes));
    totals.nll_sum += loss;
    totals.wrong += argmax != label;
    if (deltas) {
      // ∂L/∂logits = softmax − onehot(label)
      float* drow = deltas + static_cast<size_t>(i) * classes;
      for (int j = 0; j < classes; j++) drow[j] = soft.prob(row, j);
      drow[label] -= 1.0f;
      if (delta_sq) delta_sq[i] = sum_squares(drow, classes);
    }
  }
  return totals;
}

void Mlp::sgd_step(const int32_t* batch, int m, const Hyper& hyper, const Record& record) {
  const int depth = layers();
  forward(acts_[0].data(), m, hyper.importance);
  softmax_loss(labels_.data(), m, batch, {record.nll, record.correct, record.margin, record.el2n}, true,
               hyper.importance);

  const float scale = hyper.lr / static_cast<float>(m);  // η/m: the mean-loss gradient is Δ/m
  const double beta_scale = static_cast<double>(scale) * scale;
  const float decay = 1.0f - hyper.lr * hyper.weight_decay;
  for (int d = depth - 1; d >= 0; d--) {
    const int in = sizes_[d], out = sizes_[d + 1];
    float* w = params_.data() + w_offset_[d];
    float* b = params_.data() + b_offset_[d];
    const float* delta = deltas_[d].data();
    const float* a = acts_[d].data();

    if (hyper.importance) {
      // β_{i,d} = ‖(η/m) g_{i,d}‖² = (η/m)² ‖δ_i‖² (‖a_i‖² + 1): W's gradient is a_iᵀδ_i, b's is δ_i.
      const float* a_sq = act_sq_[d].data();
      for (int i = 0; i < m; i++) {
        record.importance[static_cast<int64_t>(batch[i]) * depth + d] =
            static_cast<float>(beta_scale * delta_sq_[i] * (static_cast<double>(a_sq[i]) + 1.0));
      }
    }

    if (d > 0) {
      // δ_{d-1} = (δ_d W_dᵀ) ⊙ relu'(z_{d-1}), with W_d as it was before this step, hence before its update.
      float* prev = ensure(deltas_[d - 1], static_cast<size_t>(m) * in);
      blas::sgemm(false, true, m, in, out, 1.0f, delta, out, w, out, 0.0f, prev, in);
      for (int i = 0; i < m; i++) {
        float* row = prev + static_cast<size_t>(i) * in;
        const float* act = a + static_cast<size_t>(i) * in;  // a > 0 exactly where z > 0
        float s = 0.0f;
#pragma omp simd reduction(+ : s)
        for (int j = 0; j < in; j++) {
          const float v = act[j] > 0.0f ? row[j] : 0.0f;
          row[j] = v;
          s += v * v;
        }
        if (hyper.importance) delta_sq_[i] = s;
      }
    }

    dense::sgd_update(w, b, a, delta, m, in, out, scale, decay, ensure(bias_grad_, out));
  }
}

void Mlp::train_batches(const float* x, const int32_t* y, int64_t n, const int32_t* order, int64_t count,
                        const Hyper& hyper, const Record& record) {
  if (hyper.batch_size < 1) throw std::invalid_argument("batch size must be positive");
  const int in = sizes_[0], classes = sizes_.back();
  const int capacity = static_cast<int>(std::min<int64_t>(hyper.batch_size, std::max<int64_t>(count, 1)));
  float* gathered = ensure(acts_[0], static_cast<size_t>(capacity) * in);
  int32_t* labels = ensure(labels_, capacity);
  float* in_sq = ensure(act_sq_[0], capacity);
  ensure(delta_sq_, capacity);

  for (int64_t start = 0; start < count; start += hyper.batch_size) {
    const int m = static_cast<int>(std::min<int64_t>(hyper.batch_size, count - start));
    const int32_t* batch = order + start;
    dense::check_batch(batch, m, y, n, classes);
    for (int i = 0; i < m; i++) {
      const float* src = x + static_cast<int64_t>(batch[i]) * in;
      float* dst = gathered + static_cast<size_t>(i) * in;
      std::memcpy(dst, src, sizeof(float) * in);
      labels[i] = y[batch[i]];
      if (hyper.importance) in_sq[i] = sum_squares(dst, in);
    }
    sgd_step(batch, m, hyper, record);
  }
}

EvalTotals Mlp::evaluate(const float* x, const int32_t* y, int64_t n, float* nll, uint8_t* correct) {
  const int in = sizes_[0], classes = sizes_.back();
  EvalTotals totals{0.0, 0};
  for (int64_t start = 0; start < n; start += kEvalChunk) {
    const int m = static_cast<int>(std::min<int64_t>(kEvalChunk, n - start));
    for (int i = 0; i < m; i++) {
      if (y[start + i] < 0 || y[start + i] >= classes) {
        throw std::out_of_range("label " + std::to_string(y[start + i]) + " is outside the classes");
      }
    }
    forward(x + start * in, m, false);
    const RowScores out{nll + start, correct + start, nullptr, nullptr};
    const EvalTotals chunk = softmax_loss(y + start, m, nullptr, out, false, false);
    totals.nll_sum += chunk.nll_sum;
    totals.wrong += chunk.wrong;
  }
  return totals;
}

}  // namespace si
