# Two commands matter: `make demo` and `make test`. Each works on a fresh machine with
# nothing but python3: it makes .venv, installs the project with its extras, then runs.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install demo test lint typecheck typing-tests pytest services docs docs-build bench bench-smoke conformance-matrix clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/quickstart.py

# --- everything CI checks --------------------------------------------------------------

test: install lint typecheck services pytest
	@echo "make test: all checks passed"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy aiecs_models aiecs_contracts examples
	$(BIN)/mypy --config-file tests/typing/mypy.ini tests/typing
	$(BIN)/pyright
	$(BIN)/pyright -p tests/typing/pyrightconfig.json

# Real servers for the integration tests: installed when missing, started by the tests.
services:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing redis-server (integration tests need a real one)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >/dev/null; }
	@command -v redis-server >/dev/null 2>&1 || { echo "redis-server is missing and could not be installed" >&2; exit 1; }

pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache site
