#!/usr/bin/env node
/**
 * Builds the CUDA engine (build/Release/si_cuda.node) when this machine has a CUDA toolkit with
 * nvcc and cuBLAS; otherwise prints one line and exits 0. No node-gyp: nvcc compiles the maths
 * (mlp_cuda.cu), the host compiler the N-API glue (addon_cuda.cc), and links both with the static
 * CUDA runtime and cuBLAS (rpath to the toolkit's lib folder). native/build.js runs this after the
 * CPU addon; it also runs alone. Skips the build when the addon is newer than every source here.
 *
 * Where things are found (first hit wins):
 *   toolkit     SI_CUDA_HOME, CUDA_HOME, CUDA_PATH, /usr/local/cuda, the folder above `nvcc` on PATH
 *               (a PyPI layout works too: CUDA_HOME=.../site-packages/nvidia/cu13 with the nvidia-cuda-nvcc,
 *               -crt, -cccl, nvidia-nvvm, nvidia-cuda-runtime and nvidia-cublas wheels)
 *   nvcc        SI_CUDA_NVCC, else <toolkit>/bin/nvcc
 *   headers     <toolkit>/include (+ targets/<arch>-linux/include), plus SI_CUDA_INCLUDE (':'-separated)
 *   libraries   SI_CUDA_LIB_DIR, else <toolkit>/lib64, lib, targets/<arch>-linux/lib: libcublas.so[.N]
 *               and libcudart_static.a (else libcudart.so)
 *   Node-API    SI_NODE_INCLUDE (folder of node_api.h), else <node>/../include/node, /usr/include/node,
 *               .device/include/node; node-addon-api from node_modules, else .device/include/node-addon-api
 * Flags:
 *   SI_CUDA_ARCH    comma list of targets: sm_XY = machine code, compute_XY = PTX (JIT on newer GPUs);
 *                   default "sm_90,compute_80" (H100/H200 native, any Ampere-or-newer via PTX); "native" = this GPU
 *   SI_CUDA_FORCE=1 rebuild even when up to date;  SI_CUDA_REQUIRED=1 exit 1 (not 0) when no toolkit is found
 *   CXX             host compiler (default g++), also handed to nvcc as -ccbin
 *
 * @example
 *   node native/cuda/build.js
 *   CUDA_HOME=/usr/local/cuda-12.4 SI_CUDA_ARCH=sm_90 node native/cuda/build.js
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const outDir = path.join(root, 'build', 'Release');
const objDir = path.join(root, 'build', 'cuda');
const addon = path.join(outDir, 'si_cuda.node');
const deviceDir = path.join(root, '.device');

function skip(reason) {
  if (process.env.SI_CUDA_REQUIRED === '1') {
    console.error(`CUDA engine not built: ${reason}`);
    process.exit(1);
  }
  console.log(`no CUDA toolkit found; the CPU engine is used (${reason})`);
  process.exit(0);
}

const exists = (p) => !!p && fs.existsSync(p);
const which = (cmd) => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};

function findToolkit() {
  const candidates = [process.env.SI_CUDA_HOME, process.env.CUDA_HOME, process.env.CUDA_PATH, '/usr/local/cuda'];
  const nvccOnPath = which('nvcc');
  if (nvccOnPath) candidates.push(path.dirname(path.dirname(fs.realpathSync(nvccOnPath))));
  for (const home of candidates.filter(Boolean)) {
    const nvcc = process.env.SI_CUDA_NVCC || path.join(home, 'bin', 'nvcc');
    if (exists(nvcc)) return { home, nvcc };
  }
  if (process.env.SI_CUDA_NVCC && exists(process.env.SI_CUDA_NVCC)) {
    return { home: path.dirname(path.dirname(process.env.SI_CUDA_NVCC)), nvcc: process.env.SI_CUDA_NVCC };
  }
  return null;
}

function targetDirs(home, leaf) {
  const arch = process.arch === 'arm64' ? 'sbsa' : 'x86_64';
  return [path.join(home, leaf), path.join(home, 'targets', `${arch}-linux`, leaf)];
}

function findLibs(home) {
  const dirs = process.env.SI_CUDA_LIB_DIR
    ? process.env.SI_CUDA_LIB_DIR.split(':')
    : [...targetDirs(home, 'lib64'), ...targetDirs(home, 'lib'), '/usr/lib/x86_64-linux-gnu', '/usr/lib64'];
  const firstFile = (pattern) => {
    for (const dir of dirs.filter(exists)) {
      const names = fs
        .readdirSync(dir)
        .filter((f) => pattern.test(f))
        .sort((a, b) => a.length - b.length);
      if (names.length) return path.join(dir, names[0]);
    }
    return null;
  };
  const cublas = firstFile(/^libcublas\.so(\.\d+)*$/);
  const cudartStatic = firstFile(/^libcudart_static\.a$/);
  const cudart = cudartStatic || firstFile(/^libcudart\.so(\.\d+)*$/);
  return { cublas, cudart, cudartStatic: !!cudartStatic };
}

function findNodeInclude() {
  const candidates = [
    process.env.SI_NODE_INCLUDE,
    path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
    path.join(deviceDir, 'include', 'node'),
  ];
  return candidates.find((dir) => exists(dir) && exists(path.join(dir, 'node_api.h'))) || null;
}

function findAddonApi() {
  try {
    const dir = require('node-addon-api').include_dir;
    const abs = path.resolve(dir); // include_dir is relative to the working directory
    if (exists(path.join(abs, 'napi.h'))) return abs;
  } catch {
    // not installed: look in .device/
  }
  const carried = path.join(deviceDir, 'include', 'node-addon-api');
  return exists(path.join(carried, 'napi.h')) ? carried : null;
}

/** '-gencode' pairs from SI_CUDA_ARCH. */
function archFlags(spec) {
  if (spec.trim() === 'native') return { flags: ['-arch=native'], label: 'native' };
  const flags = [];
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    const m = /^(sm|compute)_(\d+[a-z]?)$/.exec(item);
    if (!m) throw new Error(`SI_CUDA_ARCH entry '${item}' is neither sm_XY nor compute_XY`);
    flags.push('-gencode', `arch=compute_${m[2]},code=${m[1]}_${m[2]}`);
  }
  if (!flags.length) throw new Error('SI_CUDA_ARCH is empty');
  return { flags, label: items.join(',') };
}

/** Shared with the CPU addon (native/): a change there rebuilds this one too. */
const SHARED_HEADERS = ['napi_args.h'].map((f) => path.join(__dirname, '..', f));

function sources() {
  const own = fs
    .readdirSync(__dirname)
    .filter((f) => /\.(cu|cc|h|js)$/.test(f))
    .map((f) => path.join(__dirname, f));
  return [...own, ...SHARED_HEADERS];
}

function upToDate() {
  if (!exists(addon)) return false;
  const built = fs.statSync(addon).mtimeMs;
  return sources().every((f) => fs.statSync(f).mtimeMs <= built);
}

function run(cmd, args) {
  console.log(`  ${[cmd, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(
      `CUDA engine build failed (${path.basename(cmd)} exit ${r.status}); the CPU engines still work. ` +
        'Fix the error above and rerun `node native/cuda/build.js`.',
    );
    process.exit(r.status || 1);
  }
}

function main() {
  const toolkit = findToolkit();
  if (!toolkit) return skip('set CUDA_HOME or put nvcc on PATH for the GPU engine');
  const includes = [
    ...targetDirs(toolkit.home, 'include').filter(exists),
    ...(process.env.SI_CUDA_INCLUDE || '').split(':').filter(Boolean),
  ];
  if (!includes.some((dir) => exists(path.join(dir, 'cublas_v2.h'))))
    return skip(`no cublas_v2.h under ${toolkit.home}`);
  const libs = findLibs(toolkit.home);
  if (!libs.cublas) return skip(`no libcublas.so under ${toolkit.home} (or SI_CUDA_LIB_DIR)`);
  if (!libs.cudart) return skip(`no libcudart under ${toolkit.home} (or SI_CUDA_LIB_DIR)`);
  const nodeInclude = findNodeInclude();
  if (!nodeInclude) return skip('no Node-API headers (node_api.h): set SI_NODE_INCLUDE');
  const addonApi = findAddonApi();
  if (!addonApi) return skip('no node-addon-api headers (napi.h): run `npm ci` or scripts/prepare-device.sh');

  if (!process.env.SI_CUDA_FORCE && upToDate()) {
    console.log(`CUDA engine up to date: ${path.relative(root, addon)}`);
    return;
  }
  const arch = archFlags(process.env.SI_CUDA_ARCH || 'sm_90,compute_80');
  const cxx = process.env.CXX || 'g++';
  fs.mkdirSync(outDir, { recursive: true });
  fs.mkdirSync(objDir, { recursive: true });
  console.log(`building the CUDA engine with ${toolkit.nvcc} for ${arch.label}`);
  const incFlags = includes.map((d) => `-I${d}`);
  const mathObj = path.join(objDir, 'mlp_cuda.o');
  const glueObj = path.join(objDir, 'addon_cuda.o');
  run(toolkit.nvcc, [
    '-std=c++17',
    '-O3',
    '-ccbin',
    cxx,
    '-Xcompiler',
    '-fPIC',
    ...arch.flags,
    ...incFlags,
    `-DSI_CUDA_ARCHS="${arch.label.replace(/,/g, '+')}"`,
    '-c',
    path.join(__dirname, 'mlp_cuda.cu'),
    '-o',
    mathObj,
  ]);
  run(cxx, [
    '-std=c++17',
    '-O2',
    '-fPIC',
    '-fexceptions',
    '-DNAPI_VERSION=8',
    '-DNAPI_CPP_EXCEPTIONS',
    '-DBUILDING_NODE_EXTENSION',
    `-I${nodeInclude}`,
    `-I${addonApi}`,
    '-c',
    path.join(__dirname, 'addon_cuda.cc'),
    '-o',
    glueObj,
  ]);
  const libDirs = [...new Set([path.dirname(libs.cublas), path.dirname(libs.cudart)])];
  run(cxx, [
    '-shared',
    '-o',
    addon,
    mathObj,
    glueObj,
    libs.cudart,
    libs.cublas,
    ...libDirs.map((d) => `-Wl,-rpath,${d}`),
    '-ldl',
    '-lpthread',
    '-lrt',
  ]);
  console.log(
    `built ${path.relative(root, addon)} ` +
      `(${libs.cudartStatic ? 'static cudart' : 'shared cudart'}, ${path.basename(libs.cublas)})`,
  );
}

try {
  main();
} catch (err) {
  console.error(`CUDA engine build failed: ${err.message}`);
  process.exit(1);
}
