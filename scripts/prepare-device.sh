#!/usr/bin/env bash
# Packs what scripts/gpu-check.sh needs on a GPU machine that has a CUDA toolkit but maybe no Node
# and no network, into ignored folders that the device tool carries (64 MiB in all, 8 paths):
#   .device/node.xz                 this machine's node binary, xz-compressed (~25 MB)
#   .device/include/node            the Node-API headers (node_api.h, js_native_api*.h)
#   .device/include/node-addon-api  napi.h and friends
#   .device/node_modules.tar.xz     the lean tfjs-core + tfjs-backend-cpu + seedrandom the engine registry imports
#   .device/mnist/                  MNIST's four .gz files (from SI_DATA_DIR, data/raw/mnist or /work/shared/data/mnist)
#   .device/openblas/ (optional)    the .venv's scipy-openblas32, so the CPU native addon builds there too
# and compiles dist/ and dist-test/ (both carried as they are).
# Then run, with the device tool:  carry [".device", "dist", "dist-test"], command "bash scripts/gpu-check.sh"
set -euo pipefail
cd "$(dirname "$0")/.."
D=.device
rm -rf "$D" && mkdir -p "$D/include/node" "$D/include/node-addon-api"

echo "== compiling dist/ and dist-test/"
node node_modules/typescript/bin/tsc -p tsconfig.json
node node_modules/typescript/bin/tsc -p tsconfig.test.json

echo "== node $(node --version)"
xz -T2 -6 -c "$(command -v node)" > "$D/node.xz"

NODE_INC="$(dirname "$(dirname "$(command -v node)")")/include/node"
[ -f "$NODE_INC/node_api.h" ] || NODE_INC=/usr/include/node
cp "$NODE_INC"/{node_api.h,node_api_types.h,js_native_api.h,js_native_api_types.h} "$D/include/node/"
cp node_modules/node-addon-api/*.h "$D/include/node-addon-api/"

echo "== lean node_modules (tfjs cpu only; other dependencies as stubs that throw when used)"
STAGE=$(mktemp -d)
cp --parents -r node_modules/@tensorflow/tfjs-core/package.json node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js \
  node_modules/@tensorflow/tfjs-backend-cpu/package.json node_modules/@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.node.js \
  node_modules/seedrandom node_modules/node-addon-api/package.json node_modules/node-addon-api/index.js "$STAGE/"
cp node_modules/node-addon-api/*.h "$STAGE/node_modules/node-addon-api/"
# What `si train` and `si info` load at start-up (the command-line parser, the progress bar), with
# everything they depend on, goes as it is.
CLI_RUNTIME="commander @commander-js/extra-typings cli-progress"
for pkg in $(node -e "
  const seen = new Set(); const visit = (name) => { if (seen.has(name)) return; seen.add(name);
    let manifest; try { manifest = require('./node_modules/' + name + '/package.json'); } catch { return; } // nested: copied with its parent
    for (const dep of Object.keys(manifest.dependencies || {})) visit(dep); };
  '$CLI_RUNTIME'.split(' ').forEach(visit); console.log([...seen].join(' '));"); do
  cp --parents -r "node_modules/$pkg" "$STAGE/"
done
# The analysis packages (danfojs-node, vega, ...): the GPU checks never call them, so each is a stub
# whose every use throws, naming this script.
for pkg in $(node -p "Object.keys(require('./package.json').dependencies).filter((d) => !d.startsWith('@tensorflow/') && !'$CLI_RUNTIME'.split(' ').includes(d)).join(' ')"); do
  mkdir -p "$STAGE/node_modules/$pkg"
  echo "module.exports = new Proxy({}, { get(_, k) { if (k === '__esModule' || typeof k === 'symbol' || k === 'then') return undefined; throw new Error('$pkg is not carried to the GPU machine (scripts/prepare-device.sh)'); } });" > "$STAGE/node_modules/$pkg/index.js"
  echo '{"name":"'"$pkg"'","version":"0.0.0-device-stub","main":"index.js"}' > "$STAGE/node_modules/$pkg/package.json"
done
tar -C "$STAGE" -cJf "$D/node_modules.tar.xz" node_modules
rm -rf "$STAGE"

MNIST=""
for dir in "${SI_DATA_DIR:-}/mnist" "${SI_DATA_DIR:-}" data/raw/mnist /work/shared/data/mnist; do
  if [ -n "$dir" ] && [ -f "$dir/train-images-idx3-ubyte.gz" ]; then MNIST="$dir"; break; fi
done
if [ -n "$MNIST" ]; then
  mkdir -p "$D/mnist/mnist" && cp "$MNIST"/*-ubyte.gz "$D/mnist/mnist/"
  echo "== MNIST from $MNIST"
else
  echo "== no MNIST found: the 50-epoch run will use random data"
fi

OB=$(.venv/bin/python -c 'import scipy_openblas32 as s; print(s.get_lib_dir())' 2>/dev/null || true)
if [ -n "$OB" ] && [ "${SI_DEVICE_OPENBLAS:-1}" = 1 ]; then
  OBI=$(.venv/bin/python -c 'import scipy_openblas32 as s; print(s.get_include_dir())')
  mkdir -p "$D/openblas"
  cp "$OBI"/*.h "$D/openblas/"
  xz -T2 -6 -c "$OB/libscipy_openblas.so" > "$D/openblas/libscipy_openblas.so.xz"
  echo "== OpenBLAS from $OB"
fi

du -sh "$D" dist dist-test
TOTAL=$(du -sck "$D" dist dist-test | tail -1 | cut -f1)
echo "carry total: $((TOTAL / 1024)) MiB (limit 64)"
[ "$TOTAL" -lt $((64 * 1024)) ] || { echo "over the 64 MiB carry limit" >&2; exit 1; }
