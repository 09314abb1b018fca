#include "conv_dnnl.h"

#ifdef SI_HAVE_DNNL

#include <cstdio>
#include <unordered_map>

#include "oneapi/dnnl/dnnl.hpp"

namespace si {

using dnnl::memory;
using Tag = memory::format_tag;
using Type = memory::data_type;

namespace {

/** The primitives of one batch size; the last batch of an epoch may be smaller, and gets its own. */
struct Primitives {
  dnnl::convolution_forward::primitive_desc forward_pd;
  dnnl::convolution_backward_data::primitive_desc backward_pd;
  dnnl::convolution_forward forward;
  dnnl::convolution_backward_data backward;
  // The primitives' own layouts (oneDNN picks blocked ones), between which the user's are reordered.
  memory src, weights, bias, dst, diff_dst, backward_weights, diff_src;
};

}  // namespace

struct DnnlConv::Impl {
  Impl(int c_in_, int h_, int w_, int c_out_, int k_, int pad_)
      : c_in(c_in_), h(h_), w(w_), c_out(c_out_), k(k_), pad(pad_), h_out(h_ + 2 * pad_ - k_ + 1),
        w_out(w_ + 2 * pad_ - k_ + 1) {}

  int c_in, h, w, c_out, k, pad, h_out, w_out;
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  std::unordered_map<int, std::unique_ptr<Primitives>> by_batch;

  Primitives& primitives(int m) {
    auto found = by_batch.find(m);
    if (found != by_batch.end()) return *found->second;
    const memory::dims src{m, c_in, h, w}, weights{c_out, c_in, k, k}, bias{c_out}, dst{m, c_out, h_out, w_out};
    const memory::dims strides{1, 1}, padding{pad, pad};
    const memory::desc any_src(src, Type::f32, Tag::any), any_weights(weights, Type::f32, Tag::any),
        any_dst(dst, Type::f32, Tag::any), bias_desc(bias, Type::f32, Tag::x);
    auto forward_pd = dnnl::convolution_forward::primitive_desc(
        dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                        any_src, any_weights, bias_desc, any_dst, strides, padding, padding),
        engine);
    auto backward_pd = dnnl::convolution_backward_data::primitive_desc(
        dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, any_src, any_weights, any_dst,
                                              strides, padding, padding),
        engine, forward_pd);
    auto p = std::make_unique<Primitives>(Primitives{
        forward_pd, backward_pd, dnnl::convolution_forward(forward_pd),
        dnnl::convolution_backward_data(backward_pd), memory(forward_pd.src_desc(), engine),
        memory(forward_pd.weights_desc(), engine), memory(forward_pd.bias_desc(), engine),
        memory(forward_pd.dst_desc(), engine), memory(backward_pd.diff_dst_desc(), engine),
        memory(backward_pd.weights_desc(), engine), memory(backward_pd.diff_src_desc(), engine)});
    return *by_batch.emplace(m, std::move(p)).first->second;
  }

  /** Copies the user's buffer in its plain layout into `to`, in the primitive's. */
  void in(const memory::dims& dims, Tag tag, const float* data, memory& to) {
    memory user({dims, Type::f32, tag}, engine, const_cast<float*>(data));
    dnnl::reorder(user, to).execute(stream, user, to);
  }

  void out(memory& from, const memory::dims& dims, Tag tag, float* data) {
    memory user({dims, Type::f32, tag}, engine, data);
    dnnl::reorder(from, user).execute(stream, from, user);
  }
};

DnnlConv::DnnlConv(int c_in, int h, int w, int c_out, int k, int pad)
    : impl_(std::make_unique<Impl>(c_in, h, w, c_out, k, pad)) {}

DnnlConv::~DnnlConv() = default;

void DnnlConv::forward(int m, const float* x, const float* weights, const float* bias, float* y) {
  Impl& s = *impl_;
  Primitives& p = s.primitives(m);
  s.in({m, s.c_in, s.h, s.w}, Tag::nchw, x, p.src);
  s.in({s.c_out, s.c_in, s.k, s.k}, Tag::oihw, weights, p.weights);
  s.in({s.c_out}, Tag::x, bias, p.bias);
  p.forward.execute(s.stream, {{DNNL_ARG_SRC, p.src},
                               {DNNL_ARG_WEIGHTS, p.weights},
                               {DNNL_ARG_BIAS, p.bias},
                               {DNNL_ARG_DST, p.dst}});
  s.out(p.dst, {m, s.c_out, s.h_out, s.w_out}, Tag::nchw, y);
  s.stream.wait();
}

void DnnlConv::backward_data(int m, const float* dy, const float* weights, float* dx) {
  Impl& s = *impl_;
  Primitives& p = s.primitives(m);
  s.in({m, s.c_out, s.h_out, s.w_out}, Tag::nchw, dy, p.diff_dst);
  s.in({s.c_out, s.c_in, s.k, s.k}, Tag::oihw, weights, p.backward_weights);
  p.backward.execute(s.stream, {{DNNL_ARG_DIFF_DST, p.diff_dst},
                                {DNNL_ARG_WEIGHTS, p.backward_weights},
                                {DNNL_ARG_DIFF_SRC, p.diff_src}});
  s.out(p.diff_src, {m, s.c_in, s.h, s.w}, Tag::nchw, dx);
  s.stream.wait();
}

const char* dnnl_version_string() {
  static char text[32];
  const dnnl_version_t* v = dnnl_version();
  std::snprintf(text, sizeof text, "oneDNN %d.%d.%d", v->major, v->minor, v->patch);
  return text;
}

}  // namespace si

#endif  // SI_HAVE_DNNL
