# Two commands for a fresh machine:
#   make build   sets everything up and builds the site into output/
#   make test    sets everything up (Python, Debian and npm packages) and runs every check: the
#                tests on two cores, then the browser tests (Chromium, Lighthouse) one at a time
# While working: make test-fast (everything but the browser tests and those rendering many PDFs,
# on two cores)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test test-fast setup serve check lint bench clean

build: $(STAMP)
	scripts/install-system-deps.sh build
	$(BIN)/policypress build

test: $(STAMP) node_modules/.installed
	scripts/install-system-deps.sh test
	$(BIN)/ruff check policypress tests bench build.py
	$(BIN)/ruff format --check policypress tests bench build.py
	$(BIN)/mypy
	$(BIN)/pytest -m "not browser" -n 2
	$(BIN)/pytest -m browser

test-fast: $(STAMP)
	$(BIN)/ruff check policypress tests bench build.py
	$(BIN)/ruff format --check policypress tests bench build.py
	$(BIN)/mypy
	$(BIN)/pytest -m "not browser and not slow" -n 2

setup: $(STAMP) node_modules/.installed

# requirements.lock: the exact versions (and their hashes) CI tested, for policypress and its
# test tools; then policypress itself, editable, with nothing else. To move to newer versions:
#   pip-compile --generate-hashes --extra test --no-emit-index-url --no-emit-find-links \
#     --strip-extras --allow-unsafe --upgrade --output-file requirements.lock pyproject.toml
# (pip-tools), then make test (tests/test_compat.py says which internals moved).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# DAISY Ace's Puppeteer runs Debian's Chromium (PUPPETEER_EXECUTABLE_PATH in the tests), so it
# downloads no browser of its own.
node_modules/.installed: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --silent --no-audit --no-fund
	touch $@

serve: $(STAMP)
	$(BIN)/policypress serve

check: $(STAMP)
	$(BIN)/policypress check

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py --scale

clean:
	rm -rf output .policypress-cache
