{
  "targets": [
    {
      "target_name": "si_native",
      "sources": ["native/mlp.cc", "native/convnet.cc", "native/conv_dnnl.cc", "native/hvp.cc", "native/addon.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node native/find-blas.js include)"
      ],
      "libraries": ["<!@(node native/find-blas.js libraries)", "<!@(node native/find-dnnl.js libraries)"],
      "defines": ["<!@(node native/find-blas.js defines)", "<!@(node native/find-dnnl.js defines)", "NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O3", "-march=native", "-fopenmp-simd", "-fexceptions"]
    }
  ]
}
