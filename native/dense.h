// Row operations of a dense ReLU/softmax network, shared by training (mlp.cc, convnet.cc's dense
// layers) and the curvature queries (hvp.cc), so all see the same forward pass, softmax and update
// bit for bit.
#ifndef SI_DENSE_H_
#define SI_DENSE_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "cblas_shim.h"

namespace si {
namespace dense {

/** v's storage grown to at least n elements (never shrunk: scratch is reused across calls). */
template <typename T>
T* ensure(std::vector<T>& v, size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

/**
 * z[i, :] += b for m rows of width out, then ReLU on hidden layers. When row_sq is given (hidden
 * layers only), row_sq[i] = ‖a_i‖² of the activated row, computed in the same pass.
 */
inline void bias_activation(float* z, const float* b, int m, int out, bool hidden, float* row_sq) {
  for (int i = 0; i < m; i++) {
    float* row = z + static_cast<size_t>(i) * out;
    if (!hidden) {
#pragma omp simd
      for (int j = 0; j < out; j++) row[j] += b[j];
    } else if (row_sq) {
      float s = 0.0f;
#pragma omp simd reduction(+ : s)
      for (int j = 0; j < out; j++) {
        const float v = std::max(row[j] + b[j], 0.0f);
        row[j] = v;
        s += v * v;
      }
      row_sq[i] = s;
    } else {
#pragma omp simd
      for (int j = 0; j < out; j++) row[j] = std::max(row[j] + b[j], 0.0f);
    }
  }
}

/** A logits row's softmax, shifted by its maximum for stability; sums in double. */
struct RowSoftmax {
  int argmax;  // the first maximum, as argmax conventionally breaks ties
  float top;
  double sum;  // Σ_j exp(row_j − top)

  double loss(const float* row, int label) const { return std::log(sum) - static_cast<double>(row[label] - top); }
  float prob(const float* row, int j) const {
    return static_cast<float>(std::exp(static_cast<double>(row[j] - top)) / sum);
  }
  /** The label's logit minus the largest other logit (AUM's margin; negative when misclassified). */
  static float margin(const float* row, int label, int classes) {
    float other = -INFINITY;
    for (int j = 0; j < classes; j++) {
      if (j != label) other = std::max(other, row[j]);
    }
    return row[label] - other;
  }
  /** ‖softmax(row) − onehot(label)‖₂ (EL2N), in double. */
  double el2n(const float* row, int label, int classes) const {
    double s = 0.0;
    for (int j = 0; j < classes; j++) {
      const double e = std::exp(static_cast<double>(row[j] - top)) / sum - (j == label ? 1.0 : 0.0);
      s += e * e;
    }
    return std::sqrt(s);
  }
};

/**
 * One SGD step of a dense layer from the batch's inputs a [m, in] and output gradients δ [m, out]:
 * b ← b − scale·Σ_i δ_i, and W ← decay·W − scale·aᵀδ in one sgemm (scale = η/m, decay = 1 − ηλ).
 * `grad_b` is scratch of `out` floats.
 */
inline void sgd_update(float* w, float* b, const float* a, const float* delta, int m, int in, int out, float scale,
                       float decay, float* grad_b) {
  std::fill(grad_b, grad_b + out, 0.0f);
  for (int i = 0; i < m; i++) {
    const float* row = delta + static_cast<size_t>(i) * out;
#pragma omp simd
    for (int j = 0; j < out; j++) grad_b[j] += row[j];
  }
#pragma omp simd
  for (int j = 0; j < out; j++) b[j] -= scale * grad_b[j];
  blas::sgemm(true, false, in, out, m, -scale, a, in, delta, out, decay, w, out);
}

/** Throws std::out_of_range, before the batch is touched, on a position or label outside its range. */
inline void check_batch(const int32_t* batch, int m, const int32_t* y, int64_t n, int classes) {
  for (int i = 0; i < m; i++) {
    const int32_t at = batch[i];
    if (at < 0 || at >= n) throw std::out_of_range("order entry " + std::to_string(at) + " is outside the data");
    if (y[at] < 0 || y[at] >= classes)
      throw std::out_of_range("label " + std::to_string(y[at]) + " is outside the classes");
  }
}

inline RowSoftmax row_softmax(const float* row, int classes) {
  int argmax = 0;
  for (int j = 1; j < classes; j++) {
    if (row[j] > row[argmax]) argmax = j;
  }
  const float top = row[argmax];
  double sum = 0.0;
  for (int j = 0; j < classes; j++) sum += std::exp(static_cast<double>(row[j] - top));
  return {argmax, top, sum};
}

}  // namespace dense
}  // namespace si

#endif  // SI_DENSE_H_
