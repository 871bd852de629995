# Two commands do all set-up on a fresh machine:
#   make lab    open the series in JupyterLab
#   make test   lint + unit/property tests + notebooks (nbval) + browser tests
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    ?= .venv
PY      := $(VENV)/bin/python
PORT    ?= 8888
STAMP   := $(VENV)/.installed
# the in-browser site's tools: the `lite` extra, and the Node packages of package-lock.json
LITE_STAMP := $(VENV)/.installed-lite
NODE_STAMP := node_modules/.installed
ROOT    := $(shell [ "$$(id -u)" = 0 ] && echo yes)
ALLOW_ROOT := $(if $(ROOT),--allow-root,)
# The browser tests' Chromium (tests/browser reads the same variable).
AUTOGRAD_CHROMIUM ?= /usr/bin/chromium
export AUTOGRAD_CHROMIUM
SUBMISSIONS ?=
OUT     ?= grades.csv
TIMEOUT ?= 600
NBVAL_ARGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

export PYTHONHASHSEED := 0
export JUPYTER_CONFIG_PATH := $(CURDIR)/jupyter_config
# Keep the notebooks' kernels quiet and numbers reproducible on any machine.
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help lab test lint unit nbval browser notebooks student grade bench graphviz chromium clean \
  lite node

help:
	@echo "make lab        open the lessons in JupyterLab (PORT=$(PORT))"
	@echo "make test       every check CI runs: ruff, pytest, nbval, browser tests"
	@echo "make nbval      only the notebooks"
	@echo "make notebooks  rebuild notebooks/*.ipynb from lessons/*.py and execute them"
	@echo "make student    exercise-only copies of the lessons in student/ (for a class)"
	@echo "make grade SUBMISSIONS=dir  run submitted notebooks, write grades.csv (OUT=...)"
	@echo "make bench      benchmarks (by hand; never part of the tests)"
	@echo "make lite       the series as a JupyterLite site in _site/ (runs in the browser)"

# --- set-up ------------------------------------------------------------------
$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[lab,test,bench]'
	@# Build matplotlib's font cache now, not inside a lesson (it would print to stderr there).
	$(PY) -c "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"
	@touch $@

graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ -n "$(ROOT)" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Graphviz (Debian package 'graphviz')..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Graphviz's 'dot' program is missing. Install it, then run make again:"; \
	    echo "  Debian/Ubuntu: sudo apt-get install graphviz    macOS: brew install graphviz"; \
	    echo "  conda:         conda install -c conda-forge python-graphviz"; \
	    exit 1; \
	  fi; }

# Node.js (npm) for the in-browser site: Graphviz compiled to WebAssembly, and Pyodide for
# its tests. Installed with apt-get when root on Debian/Ubuntu, like Graphviz.
node:
	@command -v npm >/dev/null 2>&1 || { \
	  if [ -n "$(ROOT)" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Node.js (Debian packages 'nodejs' and 'npm')..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else \
	    echo "The in-browser site needs Node.js 18 or newer with npm:"; \
	    echo "  Debian/Ubuntu: sudo apt-get install nodejs npm    macOS: brew install node"; \
	    exit 1; \
	  fi; }

$(NODE_STAMP): package.json package-lock.json | node
	npm ci --no-audit --no-fund
	@touch $@

$(LITE_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[lite]'
	@touch $@

chromium:
	@test -x "$(AUTOGRAD_CHROMIUM)" || { \
	  if [ -n "$(ROOT)" ] && [ "$(AUTOGRAD_CHROMIUM)" = /usr/bin/chromium ] \
	     && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests (Debian package 'chromium')..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(AUTOGRAD_CHROMIUM):"; \
	    echo "  Debian/Ubuntu: sudo apt-get install chromium"; \
	    echo "  elsewhere:     make test AUTOGRAD_CHROMIUM=/path/to/chromium"; \
	    exit 1; \
	  fi; }

# --- learners -------------------------------------------------------------------
# Loopback only, with the token the server generates; the printed URL opens the start notebook.
lab: $(STAMP) graphviz
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) $(ALLOW_ROOT) \
	  --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

# --- checks ---------------------------------------------------------------------
test: $(STAMP) graphviz chromium lint $(LITE_STAMP) $(NODE_STAMP)
	$(PY) -m pytest -q tests $(NBVAL_ARGS) notebooks

lint: $(STAMP)
	$(VENV)/bin/ruff check autograd tests benchmarks tools
	$(VENV)/bin/ruff format --check autograd tests benchmarks tools

unit: $(STAMP) graphviz $(LITE_STAMP) $(NODE_STAMP)
	$(PY) -m pytest -q tests --ignore=tests/browser

nbval: $(STAMP) graphviz
	$(PY) -m pytest -q $(NBVAL_ARGS) notebooks

browser: $(STAMP) graphviz chromium
	$(PY) -m pytest -q tests/browser

notebooks: $(STAMP) graphviz
	$(PY) tools/build_notebooks.py $(LESSONS)

# --- in the browser ---------------------------------------------------------------
# The series as a static JupyterLite site in _site/ (offline; tools/build_lite.py says what is
# in it). Preview: python3 -m http.server -d _site 8000, then open http://127.0.0.1:8000/
lite: $(LITE_STAMP) $(NODE_STAMP)
	$(PY) tools/build_lite.py --out _site

# --- teachers -------------------------------------------------------------------
# Exercise-only copies for a class: solutions (and their headings) removed, outputs cleared.
student: $(STAMP)
	$(PY) tools/student.py --out student $(LESSONS)

# Run every submitted notebook in SUBMISSIONS (a folder) in a fresh kernel; one CSV row per
# exercise. A broken or endless submission is recorded as such; the run goes on.
grade: $(STAMP) graphviz
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [OUT=grades.csv] [TIMEOUT=600]"; exit 2; }
	$(PY) tools/grade.py "$(SUBMISSIONS)" --out "$(OUT)" --timeout $(TIMEOUT)

bench: $(STAMP)
	$(PY) benchmarks/bench_engine.py
	$(PY) benchmarks/bench_tensor.py
	$(PY) benchmarks/bench_animate.py

clean:
	rm -rf $(VENV) artifacts student .pytest_cache .hypothesis
