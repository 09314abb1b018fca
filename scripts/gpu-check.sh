#!/usr/bin/env bash
# The one check of the CUDA engine on a GPU machine (H100/H200 with a CUDA toolkit: nvcc + cuBLAS;
# Node and network not assumed). Prepare here with scripts/prepare-device.sh, then with the device tool:
#   carry ["dist", "dist-test", ".device"], timeout_s 580, command "bash scripts/gpu-check.sh"
# Stages (each logged to $OUT/<stage>.log, a summary to $OUT/summary.txt; later stages are skipped
# past SI_CHECK_BUDGET seconds, default 470):
#   1 unpack node (+ lean node_modules, OpenBLAS)   2 device and toolkit facts
#   3 build si_cuda.node (nvcc) and si_native.node (g++, when a CBLAS is there)
#   4 tests: conformance (every engine vs float64 oracle, numpy golden values, each other) + cuda + native
#   5 paper-size CUDA vs CPU / float64 comparison (4 and 5 passing record the addon as verified, so
#     `auto` picks cuda on this machine)                6 ms/step of both paper nets (cuda, native)
#   7 PyTorch on the same GPU, when importable      8 a 50-epoch MNIST run via `si train --engine cuda`
#   9 35 runs x 50 epochs (5 runs x 7 orders) with N concurrent processes on the one GPU (SI_CHECK_WORKERS, default "16 8")
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/.device/out}
mkdir -p "$OUT"
START=$(date +%s)
BUDGET=${SI_CHECK_BUDGET:-470}
SUMMARY=$OUT/summary.txt
: > "$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }
elapsed() { echo $(( $(date +%s) - START )); }
# stage NAME SECONDS CMD...: runs CMD with a timeout, logs it, records pass/fail and time.
stage() {
  local name=$1 limit=$2; shift 2
  if [ "$(elapsed)" -gt "$BUDGET" ]; then say "SKIP $name (past the ${BUDGET}s budget)"; return 0; fi
  echo "=== $name ($(elapsed)s)"
  local t0=$(date +%s) left=$(( BUDGET + 90 - $(elapsed) ))
  [ "$limit" -gt "$left" ] && limit=$left
  timeout "$limit" "$@" > "$OUT/$name.log" 2>&1
  local rc=$?
  tail -n 40 "$OUT/$name.log"
  say "$([ $rc = 0 ] && echo 'ok  ' || echo "FAIL rc=$rc") $name ($(( $(date +%s) - t0 ))s)"
  return 0
}
unxz_to() { # unxz_to SRC DEST: xz, else Python's lzma
  if command -v xz >/dev/null; then xz -dc "$1" > "$2"; else python3 -c "import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],'wb'))" "$1" "$2"; fi
}

# 1 node and friends
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 20 ]; then
  [ -f .device/node.xz ] || { say "FAIL no node >= 20 here and no .device/node.xz: run scripts/prepare-device.sh first"; exit 1; }
  mkdir -p .device/bin && unxz_to .device/node.xz .device/bin/node && chmod +x .device/bin/node
  export PATH=$ROOT/.device/bin:$PATH
fi
if [ ! -d node_modules/@tensorflow/tfjs-core ] && [ -f .device/node_modules.tar.xz ]; then
  if command -v xz >/dev/null; then tar -xJf .device/node_modules.tar.xz; else python3 -c "import tarfile; tarfile.open('.device/node_modules.tar.xz').extractall('.')"; fi
fi
export SI_TFJS_BACKEND=cpu
if [ -f .device/openblas/libscipy_openblas.so.xz ] && [ ! -f .device/openblas/libscipy_openblas.so ]; then
  unxz_to .device/openblas/libscipy_openblas.so.xz .device/openblas/libscipy_openblas.so
fi
[ -d .device/mnist ] && export SI_DATA_DIR=$ROOT/.device/mnist
say "node $(node --version) at $(command -v node); $(nproc) cores"

# 2 facts
{ nvidia-smi || true; nvidia-smi -q | grep -iE 'product name|driver version|cuda version|total' | head -20 || true; 
  command -v nvcc && nvcc --version; echo "CUDA_HOME=${CUDA_HOME:-} ; /usr/local/cuda -> $(readlink -f /usr/local/cuda 2>/dev/null)";
  python3 -c 'import torch; print("torch", torch.__version__, torch.cuda.is_available())' 2>&1 | tail -1; } > "$OUT/facts.log" 2>&1
cat "$OUT/facts.log" | head -60

# 3 builds
build_native() { # the CPU addon without node-gyp: g++ straight from binding.gyp's sources and find-blas.js
  if [ -f .device/openblas/cblas.h ] && [ -f .device/openblas/libscipy_openblas.so ]; then
    export SI_CBLAS_INCLUDE=$ROOT/.device/openblas SI_CBLAS_LIB=$ROOT/.device/openblas/libscipy_openblas.so SI_CBLAS_NAME=openblas
  fi
  node native/find-blas.js describe
  local inc lib defs srcs
  inc=$(node native/find-blas.js include) && lib=$(node native/find-blas.js libraries) && defs=$(node native/find-blas.js defines) || { echo "no CBLAS: the CPU addon is not built; comparisons use tfjs and the float64 reference"; return 0; }
  srcs=$(node -p "require('./binding.gyp').targets[0].sources.join(' ')" 2>/dev/null || node -p "JSON.parse(require('fs').readFileSync('binding.gyp','utf8')).targets[0].sources.join(' ')")
  mkdir -p build/Release
  set -x
  g++ -std=c++17 -O3 -march=native -fopenmp-simd -fexceptions -shared -fPIC -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS \
    $(for d in $defs; do echo "-D$d"; done) -I.device/include/node -I.device/include/node-addon-api -Inode_modules/node-addon-api \
    $(for i in $inc; do echo "-I$i"; done) $srcs -o build/Release/si_native.node $lib
}
export SI_CUDA_REQUIRED=1 SI_CUDA_FORCE=1
stage build-cuda 240 node native/cuda/build.js
stage build-native 240 bash -c "$(declare -f build_native); ROOT=$ROOT; build_native"
node -e "const a=require('./build/Release/si_cuda.node'); console.log(a.buildInfo()); console.log(a.probe()||'device ok'); try{console.log(JSON.stringify(a.deviceInfo()))}catch(e){console.log(e.message)}" 2>&1 | tee -a "$SUMMARY"
node dist/cli/main.js info 2>&1 | tee -a "$SUMMARY"

# 4 tests
stage tests 240 node --test --test-concurrency=1 dist-test/test/engine/conformance.test.js dist-test/test/engine/cuda.test.js dist-test/test/engine/native.test.js
grep -E '^# (tests|pass|fail|skipped)' "$OUT/tests.log" | tee -a "$SUMMARY"
grep -E 'not ok|# SKIP' "$OUT/tests.log" | head -20 | tee -a "$SUMMARY"

# 5 comparison, 6 benchmark
stage compare 180 node native/cuda/check/compare.js
grep -E '^(ok|FAIL) ' "$OUT/compare.log" | tee -a "$SUMMARY"
# A pass (the conformance suite ran cuda, nothing failed, and the CPU comparison held) lets `auto` pick cuda here.
if grep -q '^ok   tests' "$SUMMARY" && grep -q '^ok   compare' "$SUMMARY" && ! grep -qiE 'SKIP.*cuda' "$OUT/tests.log"; then
  node -e "const v=require('./dist/engine/cuda/verification'); const a=require('./build/Release/si_cuda.node');
    console.log('verified: ' + v.recordCudaVerification({ device: a.deviceInfo().name, summary: 'conformance and CPU comparison passed (scripts/gpu-check.sh)' }))" 2>&1 | tee -a "$SUMMARY"
  node dist/cli/main.js info 2>&1 | grep -E 'auto picks' | tee -a "$SUMMARY"
else
  say "not verified: the cuda engine stays out of auto (tests or compare did not pass)"
fi
stage bench 180 node native/cuda/check/bench.js 50000
grep -E 'ms/step|ms$' "$OUT/bench.log" | tee -a "$SUMMARY"

# 7 PyTorch on the same GPU: plain SGD step with the per-sample β identity, batch 100, both nets
torch_bench() {
python3 - <<'PY'
import time, torch
assert torch.cuda.is_available(), "torch has no CUDA here"
dev = torch.device("cuda")
for name, inp in (("mnist", 784), ("cifar10", 3072)):
    sizes = [inp, 512, 512, 512, 10]
    Ws = [torch.randn(a, b, device=dev) * (2.0 / (a + b)) ** 0.5 for a, b in zip(sizes, sizes[1:])]
    bs = [torch.zeros(b, device=dev) for b in sizes[1:]]
    X = torch.rand(50000, inp, device=dev); Y = torch.randint(0, 10, (50000,), device=dev)
    order = torch.randperm(50000, device=dev)
    lr, wd, m = 0.1, 1e-5, 100
    def step(idx):
        a = X[idx]; acts = [a]; 
        for d in range(4):
            z = acts[-1] @ Ws[d] + bs[d]
            acts.append(torch.relu(z) if d < 3 else z)
        p = torch.softmax(acts[-1], 1); nll = -torch.log(p[torch.arange(m, device=dev), Y[idx]])
        delta = p.clone(); delta[torch.arange(m, device=dev), Y[idx]] -= 1
        betas = []
        for d in range(3, -1, -1):
            betas.append((lr / m) ** 2 * (delta * delta).sum(1) * ((acts[d] * acts[d]).sum(1) + 1))
            prev = (delta @ Ws[d].T) * (acts[d] > 0) if d > 0 else None
            bs[d] -= lr / m * delta.sum(0)
            Ws[d].mul_(1 - lr * wd).addmm_(acts[d].T, delta, alpha=-lr / m)
            delta = prev
        return nll, betas
    for s in range(50): step(order[s * m:(s + 1) * m])
    torch.cuda.synchronize(); t = time.perf_counter()
    for s in range(500): step(order[s * m:(s + 1) * m])
    torch.cuda.synchronize()
    print(f"torch {torch.__version__} {name}: {(time.perf_counter() - t) / 500 * 1e3:.4f} ms/step (eager, importance on, data on GPU)")
PY
}
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  stage torch 120 bash -c "$(declare -f torch_bench); torch_bench"
  grep 'ms/step' "$OUT/torch.log" | tee -a "$SUMMARY"
else
  say "SKIP torch (not importable with CUDA here)"
fi

# 8 a 50-epoch MNIST run, as the experiment runner would do it
stage mnist-50-epochs 240 node dist/cli/main.js train --dataset mnist --engine cuda --epochs 50 --out "$OUT/runs"
grep -iE 'epoch 50|error|wall|seconds|done' "$OUT/mnist-50-epochs.log" | tail -5 | tee -a "$SUMMARY"
rm -rf "$OUT/runs"  # records are large; the timing is in the log

# 9 35 runs x 50 epochs with N processes sharing the GPU (round-robin queue split)
share() {
  local workers=$1 runs=35 epochs=${SI_CHECK_EPOCHS:-50}
  local t0=$(date +%s%N) pids=()
  for w in $(seq 0 $((workers - 1))); do
    ids=$(seq $w $workers $((runs - 1)) | paste -sd, -)
    [ -n "$ids" ] && { node native/cuda/check/worker.js "$epochs" "$ids" & pids+=($!); }
  done
  local rc=0; for p in "${pids[@]}"; do wait "$p" || rc=1; done
  echo "N=$workers: $runs runs x $epochs epochs in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  nvidia-smi --query-gpu=memory.used,memory.total --format=csv 2>/dev/null | tail -1
  return $rc
}
for N in ${SI_CHECK_WORKERS:-16 8}; do
  stage "share-N$N" 300 bash -c "$(declare -f share); share $N"
  grep -E '^N=' "$OUT/share-N$N.log" | tee -a "$SUMMARY"
done

say "total $(elapsed)s"
echo "=== summary"; cat "$SUMMARY"
