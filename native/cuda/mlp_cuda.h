// The paper's MLP trained by SGD on one CUDA device, with per-sample per-layer importance β: the
// same maths as native/mlp.cc (see its comments and README "Definitions"), with parameters, the
// training set and all scratch resident on the GPU. No N-API here: addon_cuda.cc is the only file
// that knows about JavaScript.
//
// One step = gather the batch by its order positions (on the device) → forward (cuBLAS sgemm +
// bias/ReLU/‖a‖² kernels) → softmax/NLL/correct/δ (+β of the output layer) → backward per layer:
// δ_{d-1} = (δ_d W_dᵀ) ⊙ relu'(z_{d-1}) with ‖δ‖² and β fused in, bias update, and the fused
// decayed update W ← (1−ηλ)W − (η/m)AᵀΔ as one sgemm with beta = 1−ηλ. A device-side step
// counter picks each step's slice of the order and of the outputs, so one step with a fixed batch
// size is captured once as a CUDA graph and replayed per batch with no host synchronisation; the
// outputs come back once per train_batches call.
//
// Every model owns its stream, cuBLAS handle, graph and buffers, so several models (in one process
// or in several) can share a device.
//
// Example:
//   si_cuda::DeviceData data(x, y, n, 784, 10);          // uploads once
//   si_cuda::CudaMlp net({784, 512, 512, 512, 10});
//   net.set_params(init);
//   net.train_batches(data, order, n, {0.1f, 1e-5f, 100, true}, beta, nll, correct, margin, el2n);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace si_cuda {

struct Hyper {
  float lr;            // η
  float weight_decay;  // λ, weights only
  int batch_size;      // B; the last batch of a call may be smaller
  bool importance;     // when false β is not computed and the importance output is untouched
};

struct EvalTotals {
  double nll_sum;
  int64_t wrong;
};

struct DeviceInfo {
  int device;
  std::string name;
  size_t total_memory;
  size_t free_memory;
  int major, minor;          // compute capability
  int multiprocessors;
  int driver_version;        // e.g. 12040 for 12.4
  int runtime_version;       // the CUDA runtime this addon was built with (static cudart)
  int cublas_version;        // e.g. 120903 for 12.9.3 (cublasGetVersion)
};

/**
 * The device to use (SI_CUDA_DEVICE, default 0), or throws std::runtime_error whose message starts
 * with "no CUDA driver/GPU: " when there is no usable driver or device.
 */
int select_device();
DeviceInfo device_info(int device);
/** Build facts: the nvcc/cudart and cuBLAS versions compiled against and the -arch list. */
std::string build_info();

/** A training or test set resident on the device: x [n, input] row-major and labels y [n]. */
class DeviceData {
 public:
  /** Checks every label lies in [0, classes) (throws std::out_of_range), then copies to the device. */
  DeviceData(const float* x, const int32_t* y, int64_t n, int input, int classes);
  ~DeviceData();
  DeviceData(const DeviceData&) = delete;
  DeviceData& operator=(const DeviceData&) = delete;

  /** Frees the device memory now (the destructor does it otherwise). Idempotent. */
  void release();
  bool live() const { return x_ != nullptr; }
  const float* x() const { return x_; }
  const int32_t* y() const { return y_; }
  int64_t n() const { return n_; }
  int input() const { return input_; }
  int classes() const { return classes_; }
  size_t bytes() const {
    return static_cast<size_t>(n_) * input_ * sizeof(float) + static_cast<size_t>(n_) * sizeof(int32_t);
  }

 private:
  float* x_ = nullptr;
  int32_t* y_ = nullptr;
  int64_t n_;
  int input_, classes_;
  int device_;
};

class CudaMlp {
 public:
  /** sizes = {input, hidden..., classes}; at least one layer. */
  explicit CudaMlp(std::vector<int> sizes);
  ~CudaMlp();
  CudaMlp(const CudaMlp&) = delete;
  CudaMlp& operator=(const CudaMlp&) = delete;

  int layers() const { return static_cast<int>(sizes_.size()) - 1; }
  const std::vector<int>& sizes() const { return sizes_; }
  size_t param_count() const { return param_count_; }
  void get_params(float* out);
  void set_params(const float* in);

  /**
   * SGD over order[0..count) (positions into data), batch_size consecutive entries per step;
   * importance [n, layers], nll, correct, margin, el2n [n] are host arrays indexed by data position,
   * written only at the positions visited (importance only when hyper.importance; margin and el2n
   * may both be null: not copied back). Throws std::out_of_range on a position outside the data
   * before doing any work.
   */
  void train_batches(const DeviceData& data, const int32_t* order, int64_t count, const Hyper& hyper, float* importance,
                     float* nll, uint8_t* correct, float* margin, float* el2n);

  /** Forward pass over the whole set in chunks; nll and correct are host arrays [n]. */
  EvalTotals evaluate(const DeviceData& data, float* nll, uint8_t* correct);

  /** Device bytes this model holds now (params, scratch, graph buffers; not the data sets). */
  size_t device_bytes() const;

 private:
  struct Impl;
  std::vector<int> sizes_;
  size_t param_count_;
  Impl* impl_;
};

}  // namespace si_cuda
