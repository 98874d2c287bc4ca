# The course's commands. Each creates .venv and installs everything on first use.
#   make lab       open JupyterLab on your workspace (made from course/ on first run)
#   make update    bring new or changed course files into your workspace (your edits are kept)
#   make check     run the public tests of your assignments in the workspace (NOTEBOOK=path: one)
#   make test      run the whole test suite (what CI runs); make test-gpu: the same on a GPU
#   make site      build the course as a static site in build/site/ (PROFILE=smoke: quick)
#   make grader    set up grading (adds bubblewrap, the sandbox) and list its commands

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# On Linux with an NVIDIA driver, install the CUDA-enabled TensorFlow build.
TF_GPU := $(shell [ "$$(uname -s)" = Linux ] && command -v nvidia-smi >/dev/null 2>&1 && echo 'tensorflow[and-cuda]~=2.21.0')
PROFILE ?= full
WORKSPACE ?= workspace
# The course's kernel, in the environment (not in $$HOME): every notebook names it.
KERNEL := $(VENV)/share/jupyter/kernels/dl-course/kernel.json

.PHONY: install lab update check site test test-gpu lint benchmark sandbox browser grader

install: $(STAMP) $(KERNEL)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10+ is needed, found " + sys.version.split()[0] + "; run e.g. make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt $(TF_GPU) -e .
	# rfc3987-syntax builds ~40 parsers at import, 2-5 s in every process that reads a
	# notebook (jsonschema imports it); no Jupyter schema uses the IRI formats it checks.
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $@

$(KERNEL): $(STAMP) grader/kernel.py
	$(BIN)/python -m grader.kernel

lab: install
	$(BIN)/python -m grader.workspace sync $(WORKSPACE)
	$(BIN)/python -m grader.lab $(WORKSPACE) $(LAB_ARGS)

update: install
	$(BIN)/python -m grader.workspace update $(WORKSPACE)

check: install
	$(BIN)/python -m grader.self_check $(or $(NOTEBOOK),$(WORKSPACE))

# The course as a static site (build/site/index.html): every lecture executed, assignments as
# students get them; only changed notebooks run again. SITE_ARGS e.g. --only 'session1_basics/*'
site: install
	$(BIN)/python course_site/build.py --profile $(PROFILE) $(SITE_ARGS)

lint: install
	$(BIN)/ruff check conftest.py helpers grader tests benchmarks course_site
	$(BIN)/nbqa ruff course --ignore=E402,F401

# A system program the tests need: installed with apt-get when run as root, else the
# command to run. $(call system-package,PROGRAM,PACKAGE,WHAT NEEDS IT)
define system-package
@command -v $(1) >/dev/null 2>&1 || { \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    apt-get update -qq && apt-get install -y -qq $(2) >/dev/null; \
  else \
    echo "$(3) needs $(2): sudo apt-get install $(2) (Fedora: sudo dnf install $(2))" >&2; \
    exit 1; \
  fi; }
@command -v $(1)
endef

# Grading runs student code inside bubblewrap, and the tests grade crafted submissions.
sandbox:
	$(call system-package,bwrap,bubblewrap,Grading)

# The browser test (tests/test_browser.py) drives JupyterLab in the system's Chromium
# through Playwright, which never downloads a browser of its own.
browser:
	$(call system-package,chromium,chromium,The browser test)

grader: install sandbox
	$(BIN)/course-grader --help

test: lint sandbox browser
	COURSE_PROFILE=smoke $(BIN)/python -m pytest -n 2 --durations=15

# The same suite on a GPU: every notebook's kernel must see one and compute on it.
test-gpu:
	COURSE_REQUIRE_GPU=1 $(MAKE) test

benchmark: install
	$(BIN)/python benchmarks/notebook_times.py --profile $(PROFILE)
