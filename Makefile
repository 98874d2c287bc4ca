# The course's commands. Each creates .venv and installs everything on first use.
#   make lab     open JupyterLab on the course
#   make test    run the whole test suite (what CI runs)
#   make grader  set up grading (adds bubblewrap, the sandbox) and list its commands

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# On Linux with an NVIDIA driver, install the CUDA-enabled TensorFlow build.
TF_GPU := $(shell [ "$$(uname -s)" = Linux ] && command -v nvidia-smi >/dev/null 2>&1 && echo 'tensorflow[and-cuda]~=2.21.0')
PROFILE ?= full

.PHONY: install lab test lint benchmark sandbox grader

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10+ is needed, found " + sys.version.split()[0] + "; run e.g. make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt $(TF_GPU) -e .
	# rfc3987-syntax builds ~40 parsers at import, 2-5 s in every process that reads a
	# notebook (jsonschema imports it); no Jupyter schema uses the IRI formats it checks.
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	$(BIN)/python -m ipykernel install --user --name dl-course --display-name "Deep learning course"
	touch $@

lab: install
	$(BIN)/jupyter lab course $(if $(filter 0,$(shell id -u)),--allow-root)

lint: install
	$(BIN)/ruff check conftest.py helpers grader tests benchmarks
	$(BIN)/nbqa ruff course --ignore=E402,F401

# Grading runs student code inside bubblewrap, and the tests grade crafted submissions.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null; \
	  else \
	    echo "Grading needs bubblewrap: sudo apt-get install bubblewrap (Fedora: sudo dnf install bubblewrap)" >&2; \
	    exit 1; \
	  fi; }
	@command -v bwrap

grader: install sandbox
	$(BIN)/course-grader --help

test: lint sandbox
	COURSE_PROFILE=smoke $(BIN)/python -m pytest -n 2 --durations=15

benchmark: install
	$(BIN)/python benchmarks/notebook_times.py --profile $(PROFILE)
