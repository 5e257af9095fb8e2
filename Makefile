# Two commands for a fresh machine:
#   make build   sets everything up and builds the site into output/
#   make test    sets everything up (Python, Debian and npm packages) and runs every check
# While working: make test-fast (everything but the browser tests and those rendering many PDFs)
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
	$(BIN)/pytest

test-fast: $(STAMP)
	$(BIN)/ruff check policypress tests bench build.py
	$(BIN)/ruff format --check policypress tests bench build.py
	$(BIN)/mypy
	$(BIN)/pytest -m "not browser and not slow"

setup: $(STAMP) node_modules/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
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
