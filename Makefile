# One entry point. Every target does the set-up it needs, idempotently: a second call skips what
# is done. The README's two commands are `make report` (the main job) and `make test`.

PYTHON ?= python3
VENV := .venv
NODE_STAMP := node_modules/.install-stamp
VENV_STAMP := $(VENV)/.install-stamp
KERNEL_STAMP := $(VENV)/share/jupyter/kernels/tslab/kernel.json
TS_SOURCES := $(shell find src -name '*.ts')
TEST_SOURCES := $(shell find test -name '*.ts')
# Where the datasets are: SI_DATA_DIR if set, else data/raw/ (see data/README.md).
export SI_DATA_DIR

.PHONY: setup build native test report bench clean

setup: $(NODE_STAMP) dist/.build-stamp native $(KERNEL_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	ln -sfn .. node_modules/sample-importance  # notebooks import the library by its package name
	touch $@

dist/.build-stamp: $(NODE_STAMP) $(TS_SOURCES) tsconfig.json
	npx tsc -p tsconfig.json
	touch $@

build: dist/.build-stamp

# Builds the C++ engine when a compiler and a CBLAS are found (the venv supplies one); otherwise
# prints one line saying the portable engine will be used.
native: $(NODE_STAMP) $(VENV_STAMP)
	node native/build.js

$(VENV_STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The tslab kernel goes into the project's own environment, never the user's global Jupyter.
$(KERNEL_STAMP): $(VENV_STAMP) $(NODE_STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" npx tslab install --python "$(CURDIR)/$(VENV)/bin/python" \
	  --binary "$(CURDIR)/node_modules/.bin/tslab" --prefix "$(CURDIR)/$(VENV)"

dist-test/.build-stamp: dist/.build-stamp $(TEST_SOURCES) tsconfig.test.json
	npx tsc -p tsconfig.test.json
	touch $@

test: setup dist-test/.build-stamp
	node --test --test-concurrency=1 dist-test/test/

# The main job. Until the figure notebooks exist it is a short real training run on MNIST.
report: setup
	node dist/cli/main.js train --dataset mnist --train-size 5000 --test-size 1000 --epochs 3

bench: setup
	node dist/cli/main.js bench

clean:
	rm -rf dist dist-test build
