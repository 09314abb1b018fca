// One CBLAS interface for the engine, whichever library the build found (native/find-blas.js):
//  - SI_BLAS_SCIPY_OPENBLAS: the PyPI scipy-openblas32 build, whose symbols carry a `scipy_` prefix
//    so that it can live beside another BLAS in one process;
//  - SI_BLAS_OPENBLAS: a standard OpenBLAS (cblas_sgemm, openblas_get_config, ...);
//  - neither: any CBLAS; its name comes from SI_BLAS_NAME and its threads are its own business.
#pragma once

#include <cblas.h>

#include <string>

// SI_BLAS_NAME arrives as a bare token (-DSI_BLAS_NAME=openblas) so that no build tool has to quote it.
#ifndef SI_BLAS_NAME
#define SI_BLAS_NAME cblas
#endif
#define SI_STRINGIFY_(token) #token
#define SI_STRINGIFY(token) SI_STRINGIFY_(token)
#define SI_BLAS_NAME_STRING SI_STRINGIFY(SI_BLAS_NAME)

namespace si::blas {

#if defined(SI_BLAS_SCIPY_OPENBLAS)
#define SI_CBLAS(fn) scipy_cblas_##fn
#define SI_OPENBLAS(fn) scipy_openblas_##fn
#elif defined(SI_BLAS_OPENBLAS)
#define SI_CBLAS(fn) cblas_##fn
#define SI_OPENBLAS(fn) openblas_##fn
#else
#define SI_CBLAS(fn) cblas_##fn
#endif

/** Row-major C = alpha op(A) op(B) + beta C. */
inline void sgemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                  const float* b, int ldb, float beta, float* c, int ldc) {
  SI_CBLAS(sgemm)(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k,
                  alpha, a, lda, b, ldb, beta, c, ldc);
}

/** The library's self-description, e.g. "OpenBLAS 0.3.34 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64". */
inline std::string config() {
#ifdef SI_OPENBLAS
  return SI_OPENBLAS(get_config)();
#else
  return SI_BLAS_NAME_STRING;
#endif
}

/** Threads the library uses for one call; 0 when it does not say. */
inline int threads() {
#ifdef SI_OPENBLAS
  return SI_OPENBLAS(get_num_threads)();
#else
  return 0;
#endif
}

/** Returns false when the library offers no way to set its threads. */
inline bool set_threads(int count) {
#ifdef SI_OPENBLAS
  SI_OPENBLAS(set_num_threads)(count);
  return true;
#else
  (void)count;
  return false;
#endif
}

}  // namespace si::blas
