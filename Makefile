# The course's commands. Each creates .venv and installs everything on first use.
#   make lab    open JupyterLab on the course
#   make test   run the whole test suite (what CI runs)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# On Linux with an NVIDIA driver, install the CUDA-enabled TensorFlow build.
TF_GPU := $(shell [ "$$(uname -s)" = Linux ] && command -v nvidia-smi >/dev/null 2>&1 && echo 'tensorflow[and-cuda]~=2.21.0')
PROFILE ?= full

.PHONY: install lab test lint benchmark

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10+ is needed, found " + sys.version.split()[0] + "; run e.g. make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt $(TF_GPU) -e .
	$(BIN)/python -m ipykernel install --user --name dl-course --display-name "Deep learning course"
	touch $@

lab: install
	$(BIN)/jupyter lab course $(if $(filter 0,$(shell id -u)),--allow-root)

lint: install
	$(BIN)/ruff check helpers tests benchmarks
	$(BIN)/nbqa ruff course --ignore=E402,F401

test: lint
	COURSE_PROFILE=smoke $(BIN)/python -m pytest -n 2 --durations=15

benchmark: install
	$(BIN)/python benchmarks/notebook_times.py --profile $(PROFILE)
