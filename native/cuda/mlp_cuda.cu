// See mlp_cuda.h. Layout conventions: every matrix is row-major as in native/mlp.cc (W [in, out],
// activations [rows, width]); cuBLAS is column-major, so a row-major [r, c] matrix is handed to it
// as a column-major [c, r] one and each product below is written in that transposed view.
#include "mlp_cuda.h"

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#ifndef SI_CUDA_ARCHS
#define SI_CUDA_ARCHS "unknown"
#endif

namespace si_cuda {
namespace {

[[noreturn]] void cuda_fail(const char* what, cudaError_t err) {
  throw std::runtime_error(std::string("CUDA error in ") + what + ": " + cudaGetErrorName(err) + " (" +
                           cudaGetErrorString(err) + ")");
}

const char* cublas_status_name(cublasStatus_t s) {
  switch (s) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    default: return "CUBLAS_STATUS_(other)";
  }
}

#define CUDA_CHECK(call)                                  \
  do {                                                    \
    const cudaError_t err_ = (call);                      \
    if (err_ != cudaSuccess) cuda_fail(#call, err_);      \
  } while (0)

#define CUBLAS_CHECK(call)                                                                                 \
  do {                                                                                                     \
    const cublasStatus_t st_ = (call);                                                                     \
    if (st_ != CUBLAS_STATUS_SUCCESS) throw std::runtime_error(std::string("cuBLAS error in ") + #call + \
                                                               ": " + cublas_status_name(st_));          \
  } while (0)

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long parsed = std::strtol(v, &end, 10);
  if (*end != '\0') throw std::invalid_argument(std::string(name) + " must be an integer, got '" + v + "'");
  return static_cast<int>(parsed);
}

/** Threads for a row-per-block kernel over `width` columns: a multiple of 32, at most 256. */
int row_threads(int width) { return std::min(256, std::max(32, (width + 31) / 32 * 32)); }

// ---------------------------------------------------------------------------------------------
// Kernels. A "row" kernel runs one block per sample; block_sum reduces a per-thread partial.

__device__ float block_sum(float v) {
  __shared__ float partial[32];
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  const int warps = (blockDim.x + 31) >> 5;
  v = static_cast<int>(threadIdx.x) < warps ? partial[threadIdx.x] : 0.0f;
  if (warp == 0) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  }
  return v;  // valid in thread 0
}

/** Index of this step's first sample in the call: the device step counter times the batch stride. */
__device__ __forceinline__ int64_t step_base(const int* step, int stride, int64_t offset) {
  return step ? static_cast<int64_t>(*step) * stride : offset;
}

/** a0[i] = x[order[base+i]], labels[i] = y[…], a_sq[i] = ‖a0[i]‖² (when a_sq). */
__global__ void gather_rows(const float* __restrict__ x, const int32_t* __restrict__ y,
                            const int32_t* __restrict__ order, const int* step, int stride, int in,
                            float* __restrict__ a0, int32_t* __restrict__ labels, float* __restrict__ a_sq) {
  const int i = blockIdx.x;
  const int64_t at = order[step_base(step, stride, 0) + i];
  const float* src = x + at * in;
  float* dst = a0 + static_cast<int64_t>(i) * in;
  float s = 0.0f;
  for (int j = threadIdx.x; j < in; j += blockDim.x) {
    const float v = src[j];
    dst[j] = v;
    s += v * v;
  }
  if (a_sq) {
    s = block_sum(s);
    if (threadIdx.x == 0) a_sq[i] = s;
  }
  if (threadIdx.x == 0) labels[i] = y[at];
}

/** z[i] += b, then ReLU on hidden layers, and ‖z[i]‖² (the next layer's ‖a_i‖²) when next_sq. */
__global__ void bias_activate(float* __restrict__ z, const float* __restrict__ b, int out, bool relu,
                              float* __restrict__ next_sq) {
  float* row = z + static_cast<int64_t>(blockIdx.x) * out;
  float s = 0.0f;
  for (int j = threadIdx.x; j < out; j += blockDim.x) {
    float v = row[j] + b[j];
    if (relu) v = fmaxf(v, 0.0f);
    row[j] = v;
    s += v * v;
  }
  if (next_sq) {
    s = block_sum(s);
    if (threadIdx.x == 0) next_sq[blockIdx.x] = s;
  }
}

/**
 * Softmax cross-entropy, one thread per row, in double as native/mlp.cc does. Row i's nll/correct
 * (and, when given, margin and el2n) go to index base+i. With delta: ∂L/∂logits = softmax − onehot;
 * with beta also: the output layer's β = beta_scale ‖δ_i‖² (‖a_i‖² + 1) at beta[(base+i)*layers + layers-1].
 */
__global__ void softmax_loss(const float* __restrict__ logits, const int32_t* __restrict__ labels, int m, int classes,
                             const int* step, int stride, int64_t offset, float* __restrict__ nll,
                             uint8_t* __restrict__ correct, float* __restrict__ margin, float* __restrict__ el2n,
                             float* __restrict__ delta, const float* __restrict__ a_sq, float* __restrict__ beta,
                             int layers, double beta_scale) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= m) return;
  const float* row = logits + static_cast<int64_t>(i) * classes;
  const int label = labels[i];
  int argmax = 0;  // the first maximum, as argmax conventionally breaks ties
  for (int j = 1; j < classes; j++) {
    if (row[j] > row[argmax]) argmax = j;
  }
  const float top = row[argmax];
  double sum = 0.0;
  for (int j = 0; j < classes; j++) sum += exp(static_cast<double>(row[j] - top));
  const double loss = log(sum) - static_cast<double>(row[label] - top);
  const int64_t at = step_base(step, stride, offset) + i;
  nll[at] = static_cast<float>(loss);
  correct[at] = argmax == label;
  if (margin) {
    float other = -INFINITY;  // the largest logit of another class
    for (int j = 0; j < classes; j++) {
      if (j != label) other = fmaxf(other, row[j]);
    }
    margin[at] = row[label] - other;
  }
  if (el2n) {
    double e2 = 0.0;
    for (int j = 0; j < classes; j++) {
      const double e = exp(static_cast<double>(row[j] - top)) / sum - (j == label ? 1.0 : 0.0);
      e2 += e * e;
    }
    el2n[at] = static_cast<float>(sqrt(e2));
  }
  if (delta) {
    float* drow = delta + static_cast<int64_t>(i) * classes;
    float sq = 0.0f;
    for (int j = 0; j < classes; j++) {
      float p = static_cast<float>(exp(static_cast<double>(row[j] - top)) / sum);
      if (j == label) p -= 1.0f;
      drow[j] = p;
      sq += p * p;
    }
    if (beta)
      beta[at * layers + layers - 1] = static_cast<float>(beta_scale * sq * (static_cast<double>(a_sq[i]) + 1.0));
  }
}

/**
 * δ_{d-1} ⊙= relu'(z_{d-1}) in place (a = relu(z_{d-1}) > 0 exactly where z > 0), and with beta the
 * β of layer d-1 from ‖δ_{d-1,i}‖² and that layer's ‖a_i‖² (a_sq).
 */
__global__ void relu_backward(float* __restrict__ prev, const float* __restrict__ a, int in,
                              const float* __restrict__ a_sq, float* __restrict__ beta, int layers, int layer,
                              const int* step, int stride, double beta_scale) {
  const int i = blockIdx.x;
  float* row = prev + static_cast<int64_t>(i) * in;
  const float* act = a + static_cast<int64_t>(i) * in;
  float s = 0.0f;
  for (int j = threadIdx.x; j < in; j += blockDim.x) {
    const float v = act[j] > 0.0f ? row[j] : 0.0f;
    row[j] = v;
    s += v * v;
  }
  if (beta) {
    s = block_sum(s);
    if (threadIdx.x == 0) {
      const int64_t at = step_base(step, stride, 0) + i;
      beta[at * layers + layer] = static_cast<float>(beta_scale * s * (static_cast<double>(a_sq[i]) + 1.0));
    }
  }
}

/** b[j] -= scale Σ_i δ[i, j], rows summed in order as native/mlp.cc does. */
__global__ void bias_update(float* __restrict__ b, const float* __restrict__ delta, int m, int out, float scale) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= out) return;
  float g = 0.0f;
  for (int i = 0; i < m; i++) g += delta[static_cast<int64_t>(i) * out + j];
  b[j] -= scale * g;
}

__global__ void advance_step(int* step) { *step += 1; }

__global__ void probe_kernel(int* out) { *out = 42; }

// ---------------------------------------------------------------------------------------------

template <typename T>
void device_alloc(T** p, size_t count, size_t* total) {
  CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(p), std::max<size_t>(count, 1) * sizeof(T)));
  *total += std::max<size_t>(count, 1) * sizeof(T);
}

template <typename T>
void device_free(T** p) {
  if (*p) cudaFree(*p);
  *p = nullptr;
}

int cached_device = -1;
std::string cached_reason;

}  // namespace

int select_device() {
  if (cached_device >= 0) {
    CUDA_CHECK(cudaSetDevice(cached_device));
    return cached_device;
  }
  if (!cached_reason.empty()) throw std::runtime_error(cached_reason);
  const auto no_gpu = [](const std::string& why) {
    cached_reason = "no CUDA driver/GPU: " + why;
    throw std::runtime_error(cached_reason);
  };
  // Without the driver library the runtime only says "insufficient driver": name the real cause.
  if (void* driver = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_NOLOAD)) {
    dlclose(driver);
  } else if (void* driver = dlopen("libcuda.so.1", RTLD_LAZY)) {
    dlclose(driver);
  } else {
    no_gpu("the NVIDIA driver library libcuda.so.1 cannot be loaded (no driver installed, or not on the library path)");
  }
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    cudaGetLastError();
    std::string why = std::string(cudaGetErrorString(err)) + " (" + cudaGetErrorName(err) + ")";
    if (err == cudaErrorInsufficientDriver) {
      why += "; the driver is older than the CUDA " + std::to_string(CUDART_VERSION / 1000) + "." +
             std::to_string(CUDART_VERSION % 1000 / 10) +
             " runtime this addon was built with: update the driver or rebuild with an older toolkit (SI_CUDA_HOME)";
    }
    no_gpu(why);
  }
  if (count == 0) no_gpu("the driver reports no CUDA device (check CUDA_VISIBLE_DEVICES)");
  const int want = env_int("SI_CUDA_DEVICE", 0);
  if (want < 0 || want >= count) {
    no_gpu("SI_CUDA_DEVICE=" + std::to_string(want) + " but the driver sees " + std::to_string(count) + " device(s)");
  }
  CUDA_CHECK(cudaSetDevice(want));
  // A tiny launch proves the addon carries code this device can run (else: no kernel image).
  int* probe = nullptr;
  int value = 0;
  CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&probe), sizeof(int)));
  probe_kernel<<<1, 1>>>(probe);
  cudaError_t launch = cudaGetLastError();
  if (launch == cudaSuccess) launch = cudaMemcpy(&value, probe, sizeof(int), cudaMemcpyDeviceToHost);
  cudaFree(probe);
  if (launch != cudaSuccess || value != 42) {
    cudaDeviceProp prop{};
    cudaGetDeviceProperties(&prop, want);
    no_gpu(std::string("a test kernel failed on ") + prop.name + " (compute " + std::to_string(prop.major) + "." +
           std::to_string(prop.minor) + "): " + cudaGetErrorString(launch) + "; this addon was built for " +
           SI_CUDA_ARCHS + ", rebuild with SI_CUDA_ARCH set for this device");
  }
  cached_device = want;
  return want;
}

DeviceInfo device_info(int device) {
  CUDA_CHECK(cudaSetDevice(device));
  cudaDeviceProp prop{};
  CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  DeviceInfo info{};
  info.device = device;
  info.name = prop.name;
  info.total_memory = prop.totalGlobalMem;
  CUDA_CHECK(cudaMemGetInfo(&info.free_memory, &info.total_memory));
  info.major = prop.major;
  info.minor = prop.minor;
  info.multiprocessors = prop.multiProcessorCount;
  CUDA_CHECK(cudaDriverGetVersion(&info.driver_version));
  CUDA_CHECK(cudaRuntimeGetVersion(&info.runtime_version));
  info.cublas_version = 0;
  cublasHandle_t h = nullptr;
  if (cublasCreate(&h) == CUBLAS_STATUS_SUCCESS) {
    int v = 0;
    if (cublasGetVersion(h, &v) == CUBLAS_STATUS_SUCCESS) info.cublas_version = v;
    cublasDestroy(h);
  }
  return info;
}

std::string build_info() {
  return "cudart " + std::to_string(CUDART_VERSION / 1000) + "." + std::to_string(CUDART_VERSION % 1000 / 10) +
         ", cuBLAS " + std::to_string(CUBLAS_VER_MAJOR) + "." + std::to_string(CUBLAS_VER_MINOR) + "." +
         std::to_string(CUBLAS_VER_PATCH) + ", archs " + SI_CUDA_ARCHS;
}

// ---------------------------------------------------------------------------------------------

DeviceData::DeviceData(const float* x, const int32_t* y, int64_t n, int input, int classes)
    : n_(n), input_(input), classes_(classes) {
  if (n < 1 || input < 1 || classes < 2) throw std::invalid_argument("data needs n >= 1, input >= 1 and classes >= 2");
  for (int64_t i = 0; i < n; i++) {
    if (y[i] < 0 || y[i] >= classes)
      throw std::out_of_range("label " + std::to_string(y[i]) + " is outside the classes");
  }
  device_ = select_device();
  size_t ignored = 0;
  try {
    device_alloc(&x_, static_cast<size_t>(n) * input, &ignored);
    device_alloc(&y_, static_cast<size_t>(n), &ignored);
    CUDA_CHECK(cudaMemcpy(x_, x, static_cast<size_t>(n) * input * sizeof(float), cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(y_, y, static_cast<size_t>(n) * sizeof(int32_t), cudaMemcpyHostToDevice));
  } catch (...) {
    release();
    throw;
  }
}

DeviceData::~DeviceData() { release(); }

void DeviceData::release() {
  if (x_ || y_) cudaSetDevice(device_);
  device_free(&x_);
  device_free(&y_);
}

// ---------------------------------------------------------------------------------------------

struct GraphKey {
  int batch = 0;
  bool importance = false;
  float lr = 0, weight_decay = 0;
  const void* x = nullptr;
  const void* y = nullptr;
  const void* outputs = nullptr;  // the per-call buffers (order, β, nll, correct, margin, el2n) grow together
  bool operator==(const GraphKey& o) const {
    return batch == o.batch && importance == o.importance && lr == o.lr && weight_decay == o.weight_decay && x == o.x &&
           y == o.y && outputs == o.outputs;
  }
};

struct CudaMlp::Impl {
  std::vector<int> sizes;
  int layers = 0;
  int device = 0;
  cudaStream_t stream = nullptr;
  cublasHandle_t cublas = nullptr;
  void* workspace = nullptr;
  size_t workspace_bytes = 0;
  float* params = nullptr;
  std::vector<size_t> w_off, b_off;
  size_t fixed_bytes = 0;  // params + workspace + counter

  // Training scratch for `capacity` rows: acts[d] is layer d's input (acts[0] the gathered batch,
  // acts[layers] the logits), deltas[d] = ∂L/∂z_d, act_sq[d] = ‖a_i‖² of layer d's input.
  int capacity = 0;
  std::vector<float*> acts, deltas, act_sq;
  int32_t* labels = nullptr;
  int* step = nullptr;
  size_t train_bytes = 0;

  // Per-call buffers in visiting order, and pinned host mirrors for the single copy back.
  int64_t out_capacity = 0;
  int32_t* order = nullptr;
  float* beta = nullptr;
  float* nll = nullptr;
  uint8_t* correct = nullptr;
  float* margin = nullptr;
  float* el2n = nullptr;
  float* h_beta = nullptr;
  float* h_nll = nullptr;
  uint8_t* h_correct = nullptr;
  float* h_margin = nullptr;
  float* h_el2n = nullptr;
  size_t out_bytes = 0;

  // Evaluation scratch (separate, so evaluating never invalidates the training graph).
  int eval_capacity = 0;
  std::vector<float*> eval_acts;
  int64_t eval_n_capacity = 0;
  float* eval_nll = nullptr;
  uint8_t* eval_correct = nullptr;
  size_t eval_bytes = 0;

  cudaGraphExec_t graph = nullptr;
  GraphKey key;
  bool use_graph = true;

  explicit Impl(std::vector<int> s) : sizes(std::move(s)), layers(static_cast<int>(sizes.size()) - 1) {}

  ~Impl() {
    cudaSetDevice(device);
    if (stream) cudaStreamSynchronize(stream);
    free_train();
    free_outputs();
    free_eval();
    device_free(&params);
    device_free(&step);
    if (workspace) cudaFree(workspace);
    if (cublas) cublasDestroy(cublas);
    if (stream) cudaStreamDestroy(stream);
  }

  void free_train() {
    for (auto& p : acts) device_free(&p);
    for (auto& p : deltas) device_free(&p);
    for (auto& p : act_sq) device_free(&p);
    device_free(&labels);
    capacity = 0;
    train_bytes = 0;
    drop_graph();
  }

  void free_outputs() {
    device_free(&order);
    device_free(&beta);
    device_free(&nll);
    device_free(&correct);
    device_free(&margin);
    device_free(&el2n);
    if (h_beta) cudaFreeHost(h_beta);
    if (h_nll) cudaFreeHost(h_nll);
    if (h_correct) cudaFreeHost(h_correct);
    if (h_margin) cudaFreeHost(h_margin);
    if (h_el2n) cudaFreeHost(h_el2n);
    h_beta = h_nll = h_margin = h_el2n = nullptr;
    h_correct = nullptr;
    out_capacity = 0;
    out_bytes = 0;
    drop_graph();
  }

  void free_eval() {
    for (auto& p : eval_acts) device_free(&p);
    device_free(&eval_nll);
    device_free(&eval_correct);
    eval_capacity = 0;
    eval_n_capacity = 0;
    eval_bytes = 0;
  }

  void drop_graph() {
    if (graph) cudaGraphExecDestroy(graph);
    graph = nullptr;
  }

  void ensure_train(int rows) {
    if (rows <= capacity) return;
    free_train();
    acts.assign(layers + 1, nullptr);
    deltas.assign(layers, nullptr);
    act_sq.assign(layers, nullptr);
    for (int d = 0; d <= layers; d++) device_alloc(&acts[d], static_cast<size_t>(rows) * sizes[d], &train_bytes);
    for (int d = 0; d < layers; d++) {
      device_alloc(&deltas[d], static_cast<size_t>(rows) * sizes[d + 1], &train_bytes);
      device_alloc(&act_sq[d], static_cast<size_t>(rows), &train_bytes);
    }
    device_alloc(&labels, static_cast<size_t>(rows), &train_bytes);
    capacity = rows;
  }

  void ensure_outputs(int64_t count) {
    if (count <= out_capacity) return;
    free_outputs();
    const size_t c = static_cast<size_t>(count);
    device_alloc(&order, c, &out_bytes);
    device_alloc(&beta, c * layers, &out_bytes);
    device_alloc(&nll, c, &out_bytes);
    device_alloc(&correct, c, &out_bytes);
    device_alloc(&margin, c, &out_bytes);
    device_alloc(&el2n, c, &out_bytes);
    CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&h_beta), c * layers * sizeof(float)));
    CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&h_nll), c * sizeof(float)));
    CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&h_correct), c));
    CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&h_margin), c * sizeof(float)));
    CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&h_el2n), c * sizeof(float)));
    out_capacity = count;
  }

  void ensure_eval(int rows, int64_t n) {
    if (rows > eval_capacity) {
      for (auto& p : eval_acts) device_free(&p);
      eval_acts.assign(layers + 1, nullptr);
      for (int d = 1; d <= layers; d++) device_alloc(&eval_acts[d], static_cast<size_t>(rows) * sizes[d], &eval_bytes);
      eval_capacity = rows;
    }
    if (n > eval_n_capacity) {
      device_free(&eval_nll);
      device_free(&eval_correct);
      device_alloc(&eval_nll, static_cast<size_t>(n), &eval_bytes);
      device_alloc(&eval_correct, static_cast<size_t>(n), &eval_bytes);
      eval_n_capacity = n;
    }
  }

  float* weights(int d) { return params + w_off[d]; }
  float* bias(int d) { return params + b_off[d]; }

  /** Row-major Z[m,out] = A[m,in] W[in,out]: column-major Zᵀ = Wᵀ Aᵀ. */
  void gemm_forward(const float* a, int m, int d, float* z) {
    const float one = 1.0f, zero = 0.0f;
    CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_N, CUBLAS_OP_N, sizes[d + 1], m, sizes[d], &one, weights(d),
                             sizes[d + 1], a, sizes[d], &zero, z, sizes[d + 1]));
  }

  /** Logits of m rows into z_out[layers] from `input`; with sq, the hidden layers' ‖a_i‖² too. */
  void forward(const float* input, int m, const std::vector<float*>& z_out, const std::vector<float*>* sq) {
    const float* a = input;
    for (int d = 0; d < layers; d++) {
      const int out = sizes[d + 1];
      const bool hidden = d + 1 < layers;
      gemm_forward(a, m, d, z_out[d + 1]);
      bias_activate<<<m, row_threads(out), 0, stream>>>(z_out[d + 1], bias(d), out, hidden,
                                                        hidden && sq ? (*sq)[d + 1] : nullptr);
      CUDA_CHECK(cudaGetLastError());
      a = z_out[d + 1];
    }
  }

  /** Every launch of one SGD step on m rows, in stream order; reads and advances the step counter. */
  void enqueue_step(const DeviceData& data, int m, int stride, const Hyper& h) {
    const bool imp = h.importance;
    const int classes = sizes.back();
    gather_rows<<<m, row_threads(sizes[0]), 0, stream>>>(data.x(), data.y(), order, step, stride, sizes[0], acts[0],
                                                         labels, imp ? act_sq[0] : nullptr);
    CUDA_CHECK(cudaGetLastError());
    forward(acts[0], m, acts, imp ? &act_sq : nullptr);

    const float scale = h.lr / static_cast<float>(m);  // η/m: the mean-loss gradient is Δ/m
    const double beta_scale = static_cast<double>(scale) * scale;
    const float decay = 1.0f - h.lr * h.weight_decay;
    const float neg_scale = -scale, one = 1.0f, zero = 0.0f;
    softmax_loss<<<(m + 127) / 128, 128, 0, stream>>>(acts[layers], labels, m, classes, step, stride, 0, nll, correct,
                                                      margin, el2n, deltas[layers - 1],
                                                      imp ? act_sq[layers - 1] : nullptr, imp ? beta : nullptr, layers,
                                                      beta_scale);
    CUDA_CHECK(cudaGetLastError());
    for (int d = layers - 1; d >= 0; d--) {
      const int in = sizes[d], out = sizes[d + 1];
      if (d > 0) {
        // δ_{d-1} = δ_d W_dᵀ (row-major [m,in]), with W_d as it was before this step's update.
        // Column-major: δ_{d-1}ᵀ[in,m] = op(Wᵀ[out,in])ᵀ · δ_dᵀ[out,m], so W goes in transposed.
        CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_T, CUBLAS_OP_N, in, m, out, &one, weights(d), out, deltas[d], out,
                                 &zero, deltas[d - 1], in));
        relu_backward<<<m, row_threads(in), 0, stream>>>(deltas[d - 1], acts[d], in, imp ? act_sq[d - 1] : nullptr,
                                                         imp ? beta : nullptr, layers, d - 1, step, stride, beta_scale);
        CUDA_CHECK(cudaGetLastError());
      }
      bias_update<<<(out + 127) / 128, 128, 0, stream>>>(bias(d), deltas[d], m, out, scale);
      CUDA_CHECK(cudaGetLastError());
      // W ← (1 − ηλ) W − (η/m) AᵀΔ: column-major Wᵀ[out,in] = decay·Wᵀ − s·Δᵀ[out,m] A[m,in].
      CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_N, CUBLAS_OP_T, out, in, m, &neg_scale, deltas[d], out, acts[d], in,
                               &decay, weights(d), out));
    }
    advance_step<<<1, 1, 0, stream>>>(step);
    CUDA_CHECK(cudaGetLastError());
  }

  /** The graph of one full step for this key, captured on first use and kept until the key changes. */
  void ensure_graph(const DeviceData& data, const Hyper& h) {
    GraphKey want;
    want.batch = h.batch_size;
    want.importance = h.importance;
    want.lr = h.lr;
    want.weight_decay = h.weight_decay;
    want.x = data.x();
    want.y = data.y();
    want.outputs = order;
    if (graph && key == want) return;
    drop_graph();
    cudaGraph_t captured = nullptr;
    CUDA_CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
    try {
      enqueue_step(data, h.batch_size, h.batch_size, h);
    } catch (...) {
      cudaStreamEndCapture(stream, &captured);
      if (captured) cudaGraphDestroy(captured);
      cudaGetLastError();
      throw;
    }
    CUDA_CHECK(cudaStreamEndCapture(stream, &captured));
    const cudaError_t inst = cudaGraphInstantiate(&graph, captured, 0);
    cudaGraphDestroy(captured);
    if (inst != cudaSuccess) {
      graph = nullptr;
      cuda_fail("cudaGraphInstantiate", inst);
    }
    key = want;
  }
};

CudaMlp::CudaMlp(std::vector<int> sizes) : sizes_(std::move(sizes)), param_count_(0), impl_(nullptr) {
  if (sizes_.size() < 2) throw std::invalid_argument("an MLP needs at least an input and an output size");
  for (int s : sizes_) {
    if (s < 1) throw std::invalid_argument("layer sizes must be positive, got " + std::to_string(s));
  }
  auto impl = std::make_unique<Impl>(sizes_);
  for (int d = 0; d < impl->layers; d++) {
    impl->w_off.push_back(param_count_);
    param_count_ += static_cast<size_t>(sizes_[d]) * sizes_[d + 1];
    impl->b_off.push_back(param_count_);
    param_count_ += sizes_[d + 1];
  }
  impl->device = select_device();
  impl->use_graph = env_int("SI_CUDA_GRAPH", 1) != 0;
  {  // on a throw, ~Impl frees whatever was made
    CUDA_CHECK(cudaStreamCreateWithFlags(&impl->stream, cudaStreamNonBlocking));
    CUBLAS_CHECK(cublasCreate(&impl->cublas));
    CUBLAS_CHECK(cublasSetStream(impl->cublas, impl->stream));
    // A workspace of our own: cuBLAS must not allocate inside graph capture. 32 MiB on Hopper
    // as NVIDIA recommends, 4 MiB elsewhere; SI_CUDA_CUBLAS_WORKSPACE_MB overrides.
    const DeviceInfo info = device_info(impl->device);
    const int mb = env_int("SI_CUDA_CUBLAS_WORKSPACE_MB", info.major >= 9 ? 32 : 4);
    impl->workspace_bytes = static_cast<size_t>(std::max(mb, 1)) << 20;
    CUDA_CHECK(cudaMalloc(&impl->workspace, impl->workspace_bytes));
    CUBLAS_CHECK(cublasSetWorkspace(impl->cublas, impl->workspace, impl->workspace_bytes));
    // FP32 products by default (the records must match the CPU engine); SI_CUDA_TF32=1 trades that for speed.
    CUBLAS_CHECK(cublasSetMathMode(impl->cublas,
                                   env_int("SI_CUDA_TF32", 0) ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
    device_alloc(&impl->params, param_count_, &impl->fixed_bytes);
    CUDA_CHECK(cudaMemset(impl->params, 0, param_count_ * sizeof(float)));
    device_alloc(&impl->step, 1, &impl->fixed_bytes);
    impl->fixed_bytes += impl->workspace_bytes;
  }
  impl_ = impl.release();
}

CudaMlp::~CudaMlp() { delete impl_; }

size_t CudaMlp::device_bytes() const {
  return impl_->fixed_bytes + impl_->train_bytes + impl_->out_bytes + impl_->eval_bytes;
}

void CudaMlp::get_params(float* out) {
  CUDA_CHECK(cudaSetDevice(impl_->device));
  CUDA_CHECK(cudaMemcpyAsync(out, impl_->params, param_count_ * sizeof(float), cudaMemcpyDeviceToHost, impl_->stream));
  CUDA_CHECK(cudaStreamSynchronize(impl_->stream));
}

void CudaMlp::set_params(const float* in) {
  CUDA_CHECK(cudaSetDevice(impl_->device));
  CUDA_CHECK(cudaMemcpyAsync(impl_->params, in, param_count_ * sizeof(float), cudaMemcpyHostToDevice, impl_->stream));
  CUDA_CHECK(cudaStreamSynchronize(impl_->stream));
}

namespace {
void check_data(const DeviceData& data, const std::vector<int>& sizes) {
  if (!data.live()) throw std::invalid_argument("this device data was released");
  if (data.input() != sizes.front()) {
    throw std::invalid_argument("data input size " + std::to_string(data.input()) + " differs from the model's " +
                                std::to_string(sizes.front()));
  }
  if (data.classes() > sizes.back()) {
    throw std::out_of_range("data labels range over " + std::to_string(data.classes()) + " classes, the model has " +
                            std::to_string(sizes.back()));
  }
}
}  // namespace

void CudaMlp::train_batches(const DeviceData& data, const int32_t* order, int64_t count, const Hyper& hyper,
                            float* importance, float* nll, uint8_t* correct, float* margin, float* el2n) {
  if (hyper.batch_size < 1) throw std::invalid_argument("batch size must be positive");
  check_data(data, sizes_);
  for (int64_t k = 0; k < count; k++) {
    if (order[k] < 0 || order[k] >= data.n()) {
      throw std::out_of_range("order entry " + std::to_string(order[k]) + " is outside the data");
    }
  }
  if (count == 0) return;
  Impl& im = *impl_;
  CUDA_CHECK(cudaSetDevice(im.device));
  const int batch = hyper.batch_size;
  im.ensure_train(static_cast<int>(std::min<int64_t>(batch, count)));
  im.ensure_outputs(count);
  CUDA_CHECK(cudaMemcpyAsync(im.order, order, static_cast<size_t>(count) * sizeof(int32_t), cudaMemcpyHostToDevice,
                             im.stream));
  CUDA_CHECK(cudaMemsetAsync(im.step, 0, sizeof(int), im.stream));
  const int64_t full = count / batch;
  const int rest = static_cast<int>(count % batch);
  if (full > 0) {
    if (im.use_graph) {
      im.ensure_graph(data, hyper);
      for (int64_t s = 0; s < full; s++) CUDA_CHECK(cudaGraphLaunch(im.graph, im.stream));
    } else {
      for (int64_t s = 0; s < full; s++) im.enqueue_step(data, batch, batch, hyper);
    }
  }
  if (rest > 0) im.enqueue_step(data, rest, batch, hyper);
  const size_t c = static_cast<size_t>(count);
  const int L = im.layers;
  CUDA_CHECK(cudaMemcpyAsync(im.h_nll, im.nll, c * sizeof(float), cudaMemcpyDeviceToHost, im.stream));
  CUDA_CHECK(cudaMemcpyAsync(im.h_correct, im.correct, c, cudaMemcpyDeviceToHost, im.stream));
  // margin and el2n are computed on the device either way (the captured graph does not depend on
  // them); a caller that does not want them (null) skips only the copy back.
  const bool scores = margin && el2n;
  if (scores) {
    CUDA_CHECK(cudaMemcpyAsync(im.h_margin, im.margin, c * sizeof(float), cudaMemcpyDeviceToHost, im.stream));
    CUDA_CHECK(cudaMemcpyAsync(im.h_el2n, im.el2n, c * sizeof(float), cudaMemcpyDeviceToHost, im.stream));
  }
  if (hyper.importance) {
    CUDA_CHECK(cudaMemcpyAsync(im.h_beta, im.beta, c * L * sizeof(float), cudaMemcpyDeviceToHost, im.stream));
  }
  CUDA_CHECK(cudaStreamSynchronize(im.stream));
  // Scatter from visiting order to data positions (a repeated position keeps its last visit, as on the CPU).
  for (int64_t k = 0; k < count; k++) {
    const int64_t at = order[k];
    nll[at] = im.h_nll[k];
    correct[at] = im.h_correct[k];
    if (scores) {
      margin[at] = im.h_margin[k];
      el2n[at] = im.h_el2n[k];
    }
    if (hyper.importance) std::memcpy(importance + at * L, im.h_beta + k * L, sizeof(float) * L);
  }
}

EvalTotals CudaMlp::evaluate(const DeviceData& data, float* nll, uint8_t* correct) {
  check_data(data, sizes_);
  Impl& im = *impl_;
  CUDA_CHECK(cudaSetDevice(im.device));
  const int64_t n = data.n();
  const int chunk = static_cast<int>(std::min<int64_t>(std::max(env_int("SI_CUDA_EVAL_CHUNK", 2048), 1), n));
  im.ensure_eval(chunk, n);
  const int in = sizes_[0];
  for (int64_t start = 0; start < n; start += chunk) {
    const int m = static_cast<int>(std::min<int64_t>(chunk, n - start));
    im.forward(data.x() + start * in, m, im.eval_acts, nullptr);
    softmax_loss<<<(m + 127) / 128, 128, 0, im.stream>>>(im.eval_acts[im.layers], data.y() + start, m,
                                                         sizes_.back(), nullptr, 0, start, im.eval_nll,
                                                         im.eval_correct, nullptr, nullptr, nullptr, nullptr, nullptr,
                                                         im.layers, 0.0);
    CUDA_CHECK(cudaGetLastError());
  }
  CUDA_CHECK(cudaMemcpyAsync(nll, im.eval_nll, static_cast<size_t>(n) * sizeof(float), cudaMemcpyDeviceToHost,
                             im.stream));
  CUDA_CHECK(cudaMemcpyAsync(correct, im.eval_correct, static_cast<size_t>(n), cudaMemcpyDeviceToHost, im.stream));
  CUDA_CHECK(cudaStreamSynchronize(im.stream));
  EvalTotals totals{0.0, 0};
  for (int64_t i = 0; i < n; i++) {
    totals.nll_sum += nll[i];
    totals.wrong += correct[i] ? 0 : 1;
  }
  return totals;
}

}  // namespace si_cuda
