// One conv layer's forward and backward-data passes on oneDNN (Debian's libdnnl-dev), for the
// batch as a whole, from and to the engine's channels-first layout. The per-sample weight
// gradients, which β needs, stay with convnet.cc's products. Built only where oneDNN was found
// (SI_HAVE_DNNL, native/find-dnnl.js); elsewhere convnet.cc unfolds and multiplies with the BLAS.
//
// Example:
//   si::DnnlConv conv(32, 14, 14, 64, 5, 2);
//   conv.forward(100, x, w, b, y);          // y [100, 64, 14, 14] = conv(x [100, 32, 14, 14])
//   conv.backward_data(100, dy, w, dx);     // dx = ∂L/∂x from dy = ∂L/∂y
#pragma once

#ifdef SI_HAVE_DNNL

#include <memory>

namespace si {

class DnnlConv {
 public:
  /** A conv layer of c_in × h × w inputs, c_out filters, square kernel k, stride 1, padding pad. */
  DnnlConv(int c_in, int h, int w, int c_out, int k, int pad);
  ~DnnlConv();
  DnnlConv(const DnnlConv&) = delete;
  DnnlConv& operator=(const DnnlConv&) = delete;

  /** y [m, c_out, h_out, w_out] = conv(x [m, c_in, h, w]; weights [c_out, c_in, k, k], bias). */
  void forward(int m, const float* x, const float* weights, const float* bias, float* y);
  /** dx [m, c_in, h, w] = ∂L/∂x from dy [m, c_out, h_out, w_out]. */
  void backward_data(int m, const float* dy, const float* weights, float* dx);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/** "oneDNN 2.6.3", the library's version. */
const char* dnnl_version_string();

}  // namespace si

#endif  // SI_HAVE_DNNL
