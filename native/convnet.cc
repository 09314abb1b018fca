#include "convnet.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "cblas_shim.h"
#include "dense.h"

namespace si {
namespace {

constexpr int kEvalChunk = 500;  // rows per evaluation chunk (one image's unfolded input at a time)

using dense::ensure;

/**
 * The cost model for one conv layer's per-sample ‖∂L_i/∂W‖², with T = h_out·w_out output positions,
 * K = c_in·k² unfolded inputs and F filters. The batch's weight gradient Σ_i δ_i colᵢᵀ (F·K·T
 * multiply-adds per sample) is paid either way. Then:
 *  - per-sample product: form G_i = δ_i colᵢᵀ [F, K] for each sample (the same multiply-adds, now
 *    sample by sample), and add it into the batch gradient and its square into the norm: 2·F·K more;
 *  - Gram form: ‖G_i‖² = Σ_{t,s} (a_t·a_s)(δ_t·δ_s), two T×T Gram matrices and their dot product:
 *    T²·(K + F) + T² more, while the batch gradient still takes its F·K·T.
 * The Gram form wins only where the output is small and the layer wide: T²·(K + F + 1) < 2·F·K.
 */
bool gram_is_cheaper(int t, int k, int f) {
  const double gram = static_cast<double>(t) * t * (k + f + 1);
  const double per_sample = 2.0 * f * k;
  return gram < per_sample;
}

/**
 * The output columns [lo, hi) whose input column ox + kx − pad lies inside a row of width w; the
 * others read the zero padding.
 */
inline void valid_columns(int kx, int pad, int w, int w_out, int* lo, int* hi) {
  *lo = std::min(std::max(pad - kx, 0), w_out);
  *hi = std::max(std::min(w + pad - kx, w_out), *lo);
}

/** col [c·k·k, h_out·w_out] of one channels-first image [c, h, w], zero outside it. */
void im2col(const float* image, int c, int h, int w, int k, int pad, int h_out, int w_out, float* col) {
  const int t = h_out * w_out;
  for (int ch = 0; ch < c; ch++) {
    for (int ky = 0; ky < k; ky++) {
      for (int kx = 0; kx < k; kx++) {
        float* row = col + static_cast<size_t>((ch * k + ky) * k + kx) * t;
        int lo, hi;
        valid_columns(kx, pad, w, w_out, &lo, &hi);
        for (int oy = 0; oy < h_out; oy++) {
          const int iy = oy + ky - pad;
          float* out = row + oy * w_out;
          if (iy < 0 || iy >= h) {
            std::fill(out, out + w_out, 0.0f);
            continue;
          }
          // Input column ox + kx − pad for output column ox.
          const float* in = image + (static_cast<size_t>(ch) * h + iy) * w + (lo + kx - pad);
          std::fill(out, out + lo, 0.0f);
          std::copy(in, in + (hi - lo), out + lo);
          std::fill(out + hi, out + w_out, 0.0f);
        }
      }
    }
  }
}

/** The adjoint of im2col: adds col's entries back onto the image positions they came from. */
void col2im_add(const float* col, int c, int h, int w, int k, int pad, int h_out, int w_out, float* image) {
  const int t = h_out * w_out;
  for (int ch = 0; ch < c; ch++) {
    for (int ky = 0; ky < k; ky++) {
      for (int kx = 0; kx < k; kx++) {
        const float* row = col + static_cast<size_t>((ch * k + ky) * k + kx) * t;
        int lo, hi;
        valid_columns(kx, pad, w, w_out, &lo, &hi);
        for (int oy = 0; oy < h_out; oy++) {
          const int iy = oy + ky - pad;
          if (iy < 0 || iy >= h) continue;
          float* out = image + (static_cast<size_t>(ch) * h + iy) * w + (lo + kx - pad);
          const float* in = row + oy * w_out + lo;
#pragma omp simd
          for (int j = 0; j < hi - lo; j++) out[j] += in[j];
        }
      }
    }
  }
}

double sum_squares(const float* v, size_t n) {
  double s = 0.0;
  for (size_t j = 0; j < n; j++) s += static_cast<double>(v[j]) * v[j];
  return s;
}

}  // namespace

ConvNet::ConvNet(std::array<int, 3> input, std::vector<OpSpec> ops, ConvNorm norm, bool dnnl) {
  int c = input[0], h = input[1], w = input[2];
  if (c < 1 || h < 1 || w < 1) throw std::invalid_argument("input shape must be positive");
  if (ops.empty() || ops.back().op != Op::kDense) throw std::invalid_argument("a network must end in a dense layer");
  size_t offset = 0;
  bool flat = false;  // after a dense layer the activation is a vector [c] with h = w = 1
  for (size_t i = 0; i < ops.size(); i++) {
    const OpSpec& op = ops[i];
    const std::string where = "layer " + std::to_string(i);
    Layer l{op.op, c, h, w, c, h, w, op.kernel, op.padding, c * h * w, 0, 0, 0, -1, false};
    switch (op.op) {
      case Op::kConv: {
        if (flat) throw std::invalid_argument(where + ": conv2d after a dense layer");
        if (op.size < 1 || op.kernel < 1 || op.padding < 0) throw std::invalid_argument(where + ": bad conv2d sizes");
        l.c_out = op.size;
        l.h_out = h + 2 * op.padding - op.kernel + 1;
        l.w_out = w + 2 * op.padding - op.kernel + 1;
        if (l.h_out < 1 || l.w_out < 1) throw std::invalid_argument(where + ": the kernel is larger than its input");
        break;
      }
      case Op::kRelu:
        break;
      case Op::kMaxPool2:
        if (flat) throw std::invalid_argument(where + ": maxpool2 after a dense layer");
        if (h % 2 != 0 || w % 2 != 0) throw std::invalid_argument(where + ": maxpool2 of an odd-sized input");
        l.h_out = h / 2;
        l.w_out = w / 2;
        break;
      case Op::kDense:
        if (op.size < 1) throw std::invalid_argument(where + ": dense units must be positive");
        l.c_out = op.size;
        l.h_out = l.w_out = 1;
        flat = true;
        break;
      default:
        throw std::invalid_argument(where + ": unknown layer kind " + std::to_string(static_cast<int>(op.op)));
    }
    l.out_size = l.c_out * l.h_out * l.w_out;
    if (op.op == Op::kConv || op.op == Op::kDense) {
      const size_t fan_in = op.op == Op::kConv ? static_cast<size_t>(c) * op.kernel * op.kernel : l.in_size;
      l.w_offset = offset;
      offset += fan_in * l.c_out;
      l.b_offset = offset;
      offset += l.c_out;
      l.column = param_layers_++;
      if (op.op == Op::kConv) {
        l.gram = norm == ConvNorm::kGram ||
                 (norm == ConvNorm::kCheapest &&
                  gram_is_cheaper(l.h_out * l.w_out, static_cast<int>(fan_in), l.c_out));
      }
    }
    c = l.c_out;
    h = l.h_out;
    w = l.w_out;
    layers_.push_back(l);
  }
  param_count_ = offset;
  params_.assign(offset, 0.0f);
#ifdef SI_HAVE_DNNL
  dnnl_.resize(layers_.size());
  for (size_t li = 0; dnnl && li < layers_.size(); li++) {
    const Layer& l = layers_[li];
    if (l.op == Op::kConv) dnnl_[li] = std::make_unique<DnnlConv>(l.c_in, l.h_in, l.w_in, l.c_out, l.kernel, l.padding);
  }
#else
  (void)dnnl;
#endif
  acts_.resize(layers_.size() + 1);
  deltas_.resize(layers_.size());
  cols_.resize(layers_.size());
  argmax_.resize(layers_.size());
}

ConvNet::~ConvNet() = default;

bool ConvNet::uses_dnnl() const {
#ifdef SI_HAVE_DNNL
  for (const auto& conv : dnnl_) {
    if (conv) return true;
  }
#endif
  return false;
}

std::vector<bool> ConvNet::gram_layers() const {
  std::vector<bool> out;
  for (const Layer& l : layers_) {
    if (l.op == Op::kConv) out.push_back(l.gram);
  }
  return out;
}

void ConvNet::conv_forward(size_t li, int m, const float* in, float* out, float* cols, bool keep_cols) {
  const Layer& l = layers_[li];
  const int t = l.h_out * l.w_out, kk = l.c_in * l.kernel * l.kernel;
  const float* w = params_.data() + l.w_offset;
  const float* b = params_.data() + l.b_offset;
#ifdef SI_HAVE_DNNL
  if (dnnl_[li]) {
    dnnl_[li]->forward(m, in, w, b, out);
    // The per-sample weight gradients still take each sample's unfolded input.
    for (int i = 0; keep_cols && i < m; i++) {
      im2col(in + static_cast<size_t>(i) * l.in_size, l.c_in, l.h_in, l.w_in, l.kernel, l.padding, l.h_out, l.w_out,
             cols + static_cast<size_t>(i) * kk * t);
    }
    return;
  }
#endif
  for (int i = 0; i < m; i++) {
    float* col = keep_cols ? cols + static_cast<size_t>(i) * kk * t : cols;
    im2col(in + static_cast<size_t>(i) * l.in_size, l.c_in, l.h_in, l.w_in, l.kernel, l.padding, l.h_out, l.w_out,
           col);
    float* o = out + static_cast<size_t>(i) * l.out_size;
    for (int f = 0; f < l.c_out; f++) std::fill_n(o + static_cast<size_t>(f) * t, t, b[f]);
    // out_i [F, T] = W [F, K] col_i [K, T] + b
    blas::sgemm(false, false, l.c_out, t, kk, 1.0f, w, kk, col, t, 1.0f, o, t);
  }
}

void ConvNet::forward(int m, bool keep_cols) {
  for (size_t li = 0; li < layers_.size(); li++) {
    const Layer& l = layers_[li];
    const float* in = acts_[li].data();
    float* out = ensure(acts_[li + 1], static_cast<size_t>(m) * l.out_size);
    switch (l.op) {
      case Op::kConv: {
        const size_t col_size = static_cast<size_t>(l.c_in) * l.kernel * l.kernel * l.h_out * l.w_out;
        conv_forward(li, m, in, out, ensure(cols_[li], (keep_cols ? m : 1) * col_size), keep_cols);
        break;
      }
      case Op::kRelu: {
        const size_t total = static_cast<size_t>(m) * l.out_size;
#pragma omp simd
        for (size_t j = 0; j < total; j++) out[j] = std::max(in[j], 0.0f);
        break;
      }
      case Op::kMaxPool2: {
        int32_t* arg = ensure(argmax_[li], static_cast<size_t>(m) * l.out_size);
        for (int i = 0; i < m; i++) {
          const float* image = in + static_cast<size_t>(i) * l.in_size;
          for (int ch = 0; ch < l.c_out; ch++) {
            for (int oy = 0; oy < l.h_out; oy++) {
              for (int ox = 0; ox < l.w_out; ox++) {
                // The first maximum in row-major order of the 2×2 window, as argmax breaks ties.
                int best = (ch * l.h_in + 2 * oy) * l.w_in + 2 * ox;
                for (int dy = 0; dy < 2; dy++) {
                  for (int dx = 0; dx < 2; dx++) {
                    const int at = (ch * l.h_in + 2 * oy + dy) * l.w_in + 2 * ox + dx;
                    if (image[at] > image[best]) best = at;
                  }
                }
                const size_t o = static_cast<size_t>(i) * l.out_size + (ch * l.h_out + oy) * l.w_out + ox;
                out[o] = image[best];
                arg[o] = best;
              }
            }
          }
        }
        break;
      }
      case Op::kDense: {
        const float* w = params_.data() + l.w_offset;
        const float* b = params_.data() + l.b_offset;
        blas::sgemm(false, false, m, l.out_size, l.in_size, 1.0f, in, l.in_size, w, l.out_size, 0.0f, out, l.out_size);
        dense::bias_activation(out, b, m, l.out_size, false, nullptr);
        break;
      }
    }
  }
}

EvalTotals ConvNet::softmax_loss(const int32_t* labels, int m, const int32_t* positions, const RowScores& out,
                                 bool delta) {
  const int classes = this->classes();
  const float* logits = acts_.back().data();
  float* deltas = delta ? ensure(deltas_.back(), static_cast<size_t>(m) * classes) : nullptr;
  EvalTotals totals{0.0, 0};
  for (int i = 0; i < m; i++) {
    const float* row = logits + static_cast<size_t>(i) * classes;
    const int label = labels[i];
    const dense::RowSoftmax soft = dense::row_softmax(row, classes);
    const double loss = soft.loss(row, label);
    const int64_t at = positions ? positions[i] : i;
    out.nll[at] = static_cast<float>(loss);
    out.correct[at] = soft.argmax == label;
    if (out.margin) out.margin[at] = dense::RowSoftmax::margin(row, label, classes);
    if (out.el2n) out.el2n[at] = static_cast<float>(soft.el2n(row, label, classes));
    totals.nll_sum += loss;
    totals.wrong += soft.argmax != label;
    if (deltas) {
      float* drow = deltas + static_cast<size_t>(i) * classes;
      for (int j = 0; j < classes; j++) drow[j] = soft.prob(row, j);
      drow[label] -= 1.0f;
    }
  }
  return totals;
}

void ConvNet::conv_backward(size_t li, int m, const float* delta, const float* cols, bool norms, float* below) {
  const Layer& l = layers_[li];
  const int t = l.h_out * l.w_out, kk = l.c_in * l.kernel * l.kernel, f = l.c_out;
  const size_t wsize = static_cast<size_t>(f) * kk;
  float* grad = ensure(grad_, wsize + f);
  std::fill(grad, grad + wsize + f, 0.0f);
  const float* w = params_.data() + l.w_offset;
#ifdef SI_HAVE_DNNL
  // On oneDNN, ∂L/∂input is one backward-data pass over the batch (with W before this step's update).
  if (below && dnnl_[li]) {
    dnnl_[li]->backward_data(m, delta, w, below);
    below = nullptr;
  }
#endif
  float* dcol = below ? ensure(dcol_, static_cast<size_t>(kk) * t) : nullptr;
  float* g = norms && !l.gram ? ensure(sample_grad_, wsize) : nullptr;
  float* gram_a = norms && l.gram ? ensure(gram_a_, static_cast<size_t>(t) * t) : nullptr;
  float* gram_d = norms && l.gram ? ensure(gram_d_, static_cast<size_t>(t) * t) : nullptr;
  for (int i = 0; i < m; i++) {
    const float* d = delta + static_cast<size_t>(i) * l.out_size;  // δ_i [F, T]
    const float* col = cols + static_cast<size_t>(i) * kk * t;     // col_i [K, T]
    double bias_sq = 0.0;
    for (int fi = 0; fi < f; fi++) {
      double s = 0.0;
      for (int j = 0; j < t; j++) s += d[static_cast<size_t>(fi) * t + j];
      grad[wsize + fi] += static_cast<float>(s);
      bias_sq += s * s;
    }
    if (g) {
      // G_i = δ_i col_iᵀ [F, K]: its square is the sample's norm, its sum the batch gradient.
      blas::sgemm(false, true, f, kk, t, 1.0f, d, t, col, t, 0.0f, g, kk);
      sample_sq_[i] = sum_squares(g, wsize) + bias_sq;
#pragma omp simd
      for (size_t j = 0; j < wsize; j++) grad[j] += g[j];
    } else {
      blas::sgemm(false, true, f, kk, t, 1.0f, d, t, col, t, 1.0f, grad, kk);
      if (gram_a) {
        // ‖δ_i col_iᵀ‖² = Σ_{t,s} (a_t·a_s)(δ_t·δ_s), with a_t, δ_t the columns at output position t.
        blas::sgemm(true, false, t, t, kk, 1.0f, col, t, col, t, 0.0f, gram_a, t);
        blas::sgemm(true, false, t, t, f, 1.0f, d, t, d, t, 0.0f, gram_d, t);
        double s = 0.0;
        const size_t tt = static_cast<size_t>(t) * t;
        for (size_t j = 0; j < tt; j++) s += static_cast<double>(gram_a[j]) * gram_d[j];
        sample_sq_[i] = s + bias_sq;
      }
    }
    if (dcol) {
      // ∂L/∂col_i = Wᵀ δ_i [K, T], folded back onto the input image.
      blas::sgemm(true, false, kk, t, f, 1.0f, w, kk, d, t, 0.0f, dcol, t);
      float* image = below + static_cast<size_t>(i) * l.in_size;
      std::fill(image, image + l.in_size, 0.0f);
      col2im_add(dcol, l.c_in, l.h_in, l.w_in, l.kernel, l.padding, l.h_out, l.w_out, image);
    }
  }
}

void ConvNet::sgd_step(const int32_t* batch, int m, const Hyper& hyper, const Record& record) {
  forward(m, true);
  softmax_loss(labels_.data(), m, batch, {record.nll, record.correct, record.margin, record.el2n}, true);
  const float scale = hyper.lr / static_cast<float>(m);
  const double beta_scale = static_cast<double>(scale) * scale;
  const float decay = 1.0f - hyper.lr * hyper.weight_decay;
  double* sample_sq = ensure(sample_sq_, m);
  for (int li = static_cast<int>(layers_.size()) - 1; li >= 0; li--) {
    const Layer& l = layers_[li];
    const float* delta = deltas_[li].data();
    const float* a = acts_[li].data();
    // ∂L/∂(this layer's input), needed below the first layer only.
    float* below = li > 0 ? ensure(deltas_[li - 1], static_cast<size_t>(m) * l.in_size) : nullptr;
    switch (l.op) {
      case Op::kRelu: {
        const float* out = acts_[li + 1].data();
        const size_t total = static_cast<size_t>(m) * l.out_size;
        if (below) {
#pragma omp simd
          for (size_t j = 0; j < total; j++) below[j] = out[j] > 0.0f ? delta[j] : 0.0f;
        }
        break;
      }
      case Op::kMaxPool2: {
        if (!below) break;
        const int32_t* arg = argmax_[li].data();
        std::fill(below, below + static_cast<size_t>(m) * l.in_size, 0.0f);
        for (int i = 0; i < m; i++) {
          for (int o = 0; o < l.out_size; o++) {
            const size_t at = static_cast<size_t>(i) * l.out_size + o;
            below[static_cast<size_t>(i) * l.in_size + arg[at]] += delta[at];
          }
        }
        break;
      }
      case Op::kDense: {
        float* w = params_.data() + l.w_offset;
        float* b = params_.data() + l.b_offset;
        const int in = l.in_size, out = l.out_size;
        if (hyper.importance) {
          // β = (η/m)² ‖δ_i‖² (‖a_i‖² + 1), as in the MLP.
          for (int i = 0; i < m; i++) {
            const double d_sq = sum_squares(delta + static_cast<size_t>(i) * out, out);
            const double a_sq = sum_squares(a + static_cast<size_t>(i) * in, in);
            record.importance[static_cast<int64_t>(batch[i]) * param_layers_ + l.column] =
                static_cast<float>(beta_scale * d_sq * (a_sq + 1.0));
          }
        }
        if (below) blas::sgemm(false, true, m, in, out, 1.0f, delta, out, w, out, 0.0f, below, in);
        dense::sgd_update(w, b, a, delta, m, in, out, scale, decay, ensure(grad_, out));
        break;
      }
      case Op::kConv: {
        conv_backward(static_cast<size_t>(li), m, delta, cols_[li].data(), hyper.importance, below);
        if (hyper.importance) {
          for (int i = 0; i < m; i++) {
            record.importance[static_cast<int64_t>(batch[i]) * param_layers_ + l.column] =
                static_cast<float>(beta_scale * sample_sq[i]);
          }
        }
        const size_t wsize = static_cast<size_t>(l.c_out) * l.c_in * l.kernel * l.kernel;
        float* w = params_.data() + l.w_offset;
        float* b = params_.data() + l.b_offset;
        const float* grad = grad_.data();
        for (size_t j = 0; j < wsize; j++) w[j] = decay * w[j] - scale * grad[j];
        for (int j = 0; j < l.c_out; j++) b[j] -= scale * grad[wsize + j];
        break;
      }
    }
  }
}

void ConvNet::train_batches(const float* x, const int32_t* y, int64_t n, const int32_t* order, int64_t count,
                            const Hyper& hyper, const Record& record) {
  if (hyper.batch_size < 1) throw std::invalid_argument("batch size must be positive");
  const int in = input_size(), classes = this->classes();
  const int capacity = static_cast<int>(std::min<int64_t>(hyper.batch_size, std::max<int64_t>(count, 1)));
  float* gathered = ensure(acts_[0], static_cast<size_t>(capacity) * in);
  int32_t* labels = ensure(labels_, capacity);
  for (int64_t start = 0; start < count; start += hyper.batch_size) {
    const int m = static_cast<int>(std::min<int64_t>(hyper.batch_size, count - start));
    const int32_t* batch = order + start;
    dense::check_batch(batch, m, y, n, classes);
    for (int i = 0; i < m; i++) {
      std::memcpy(gathered + static_cast<size_t>(i) * in, x + static_cast<int64_t>(batch[i]) * in, sizeof(float) * in);
      labels[i] = y[batch[i]];
    }
    sgd_step(batch, m, hyper, record);
  }
}

EvalTotals ConvNet::evaluate(const float* x, const int32_t* y, int64_t n, float* nll, uint8_t* correct) {
  const int in = input_size(), classes = this->classes();
  EvalTotals totals{0.0, 0};
  for (int64_t start = 0; start < n; start += kEvalChunk) {
    const int m = static_cast<int>(std::min<int64_t>(kEvalChunk, n - start));
    for (int i = 0; i < m; i++) {
      if (y[start + i] < 0 || y[start + i] >= classes) {
        throw std::out_of_range("label " + std::to_string(y[start + i]) + " is outside the classes");
      }
    }
    float* input = ensure(acts_[0], static_cast<size_t>(m) * in);
    std::memcpy(input, x + start * in, sizeof(float) * static_cast<size_t>(m) * in);
    forward(m, false);
    const RowScores out{nll + start, correct + start, nullptr, nullptr};
    const EvalTotals chunk = softmax_loss(y + start, m, nullptr, out, false);
    totals.nll_sum += chunk.nll_sum;
    totals.wrong += chunk.wrong;
  }
  return totals;
}

}  // namespace si
