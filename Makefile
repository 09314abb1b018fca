# One entry point. Every target does the set-up it needs, idempotently: a second call skips what
# is done. The README's two commands are `make report` (the main job) and `make test` (everything:
# lint, the fast tier `make test-unit`, then the integration tests).

PYTHON ?= python3
VENV := .venv
NODE_STAMP := node_modules/.install-stamp
VENV_STAMP := $(VENV)/.install-stamp
KERNEL_STAMP := $(VENV)/share/jupyter/kernels/tslab/kernel.json
# Sources and their folders (a deleted file changes its folder's time, so dist/ is rebuilt without it).
TS_SOURCES := $(shell find src -name '*.ts') $(shell find src/ -type d)
TEST_SOURCES := $(shell find test -name '*.ts') $(shell find test/ -type d)
# Where the datasets are: SI_DATA_DIR if set, else data/raw/ (see data/README.md).
export SI_DATA_DIR
# The project's TypeScript. Not `npx tsc`: tslab's own TypeScript 5.0 (@tslab/typescript-for-tslab)
# also installs a `tsc` command, and npm may link that one.
TSC := node node_modules/typescript/bin/tsc

.PHONY: setup build native browser redis lint test test-unit test-integration report reproduction bench lab clean

# The report's profile: quick (default, ~15 min on 2 cores), paper (hours), smoke (seconds).
PROFILE ?= quick

setup: $(NODE_STAMP) dist/.build-stamp native $(KERNEL_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	ln -sfn .. node_modules/sample-importance  # notebooks import the library by its package name
	touch $@

# Built from scratch: a source deleted from src/ must not live on in dist/ (and in the npm package).
dist/.build-stamp: $(NODE_STAMP) $(TS_SOURCES) tsconfig.json
	rm -rf dist
	$(TSC) -p tsconfig.json
	node scripts/bundle-explorer.js
	touch $@

build: dist/.build-stamp

# Builds the C++ engine when a compiler and a CBLAS are found (the venv supplies one); otherwise
# prints one line saying the portable engine will be used. oneDNN (conv layers' fast path) is
# installed from Debian when missing and root; without it conv layers use the BLAS, and it says so.
native: $(NODE_STAMP) $(VENV_STAMP)
	@[ -f /usr/include/oneapi/dnnl/dnnl.hpp ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libdnnl-dev >/dev/null) ; } || \
	  echo "note: no oneDNN (apt-get install libdnnl-dev); conv layers will use the BLAS"
	node native/build.js

$(VENV_STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The tslab kernel goes into the project's own environment, never the user's global Jupyter. Its
# spec names the command `tslab`, no path: `make lab` and the report put node_modules/.bin on PATH,
# and the venv's bin/ links to it (relatively), so a moved clone keeps a working kernel.
$(KERNEL_STAMP): $(VENV_STAMP) $(NODE_STAMP) Makefile
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" npx tslab install --python "$(CURDIR)/$(VENV)/bin/python" \
	  --binary tslab --prefix "$(CURDIR)/$(VENV)"
	ln -sfn ../../node_modules/.bin/tslab $(VENV)/bin/tslab

dist-test/.build-stamp: dist/.build-stamp $(TEST_SOURCES) tsconfig.test.json
	rm -rf dist-test
	$(TSC) -p tsconfig.test.json
	touch $@

# The report test opens the pages in Debian's headless Chromium; installed when missing and root.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; } || \
	  echo "note: no Chromium (apt-get install chromium); the browser test will be skipped"

# The queue test starts its own Redis server (Debian's redis-server); installed when missing and root.
redis:
	@command -v redis-server >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) ; } || \
	  echo "note: no redis-server (apt-get install redis-server); the queue test will be skipped"

# Formatting and lint (Biome, configured in biome.json: 120 columns), a type check of src and tests
# (and of the explorer's browser code, against the DOM's types),
# and the line-width rule the formatter cannot enforce on long strings.
lint: $(NODE_STAMP)
	npx biome ci --no-errors-on-unmatched
	$(TSC) -p tsconfig.test.json --noEmit
	$(TSC) -p src/explorer/browser/tsconfig.json
	node scripts/check-line-width.js 120 src test native scripts

# The fast tier: no datasets, no Jupyter, no browser (those tests live in test/integration/);
# two test files at a time, one BLAS thread each (OpenBLAS threads stall when cores are shared).
test-unit: setup dist-test/.build-stamp
	OPENBLAS_NUM_THREADS=1 node --test --test-concurrency=2 $$(find dist-test/test -name '*.test.js' -not -path '*/integration/*' | sort)

# Real datasets, the Jupyter kernel, the smoke report in headless Chromium, a real Redis queue,
# installing the package.
test-integration: setup browser redis dist-test/.build-stamp
	node --test --test-concurrency=1 dist-test/test/integration/

test: lint test-unit test-integration

# The main job: fetch the datasets if missing (verified; a no-op when present), train the profile's
# runs (cached, resumable), execute every figure notebook, write reports/$(PROFILE)/index.html.
report: setup
	node dist/cli/main.js download mnist cifar10 || echo "note: datasets could not be fetched; missing ones are skipped"
	node dist/cli/main.js report --profile $(PROFILE)

# The paper at full scale on MNIST, CIFAR-10 and Fashion-MNIST (hours; resumable, and several machines
# or processes sharing runs/ split the work): the paper profile's report, then REPRODUCTION.md's tables.
reproduction: setup
	node dist/cli/main.js download mnist cifar10 fashion-mnist || echo "note: datasets could not be fetched; missing ones are skipped"
	node dist/cli/main.js report --profile paper --datasets mnist,cifar10,fashion-mnist
	node dist/cli/main.js claims --profile paper --into REPRODUCTION.md
	node dist/cli/main.js runs --profile paper --into REPRODUCTION.md

# JupyterLab on the whole project (notebooks/ opens on the start-here notebook; reports/ is reachable)
# with the project's kernel and settings (jupyter/jupyter_server_config.py). A SI_DATA_DIR given here
# is stored in si.config.json, which every kernel, script and `si` command of this clone reads.
# As root (a container), Jupyter needs --allow-root, added here; it listens on localhost only.
LAB_PORT ?= 8888
lab: setup
	$(if $(SI_DATA_DIR),node dist/cli/main.js config --data-dir "$(SI_DATA_DIR)",node dist/cli/main.js config)
	@# The report's executed notebooks are this project's own: trusted, JupyterLab shows their SVG figures.
	$(VENV)/bin/jupyter trust reports/*/notebooks/*.ipynb >/dev/null
	PATH="$(CURDIR)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/jupyter lab \
	  --config=jupyter/jupyter_server_config.py --ServerApp.root_dir="$(CURDIR)" --port=$(LAB_PORT) \
	  --LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb \
	  $$([ "$$(id -u)" = 0 ] && echo --allow-root)

bench: setup
	node dist/cli/main.js bench

clean:
	rm -rf dist dist-test build
