# Two commands matter: `make demo` and `make test`. Each works on a fresh machine with
# nothing but python3: it makes .venv, installs the project with its extras, then runs.

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install demo test lint typecheck pytest services docs docs-build bench bench-smoke conformance-matrix mutation clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/duck_typed.py
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:tool_provider --contract tool-provider
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:tool_executor --contract tool-executor
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:cache_provider --contract cache-provider
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:operation_executor --contract operation-executor
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:execution_interface --contract execution-interface
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:retrying_executor --contract retrying-executor
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:tool_executor_v2 --contract tool-executor-v2
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:async_context_executor --contract async-context-executor
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:versioned --contract versioned
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:interface_monitor --contract interface-monitor
	$(BIN)/aiecs-conformance check aiecs_runtime.factories:mcp_tool_provider --contract tool-provider
	$(BIN)/python examples/quickstart.py

# --- everything CI checks --------------------------------------------------------------

test: install lint typecheck services pytest docs-build bench-smoke
	@echo "make test: all checks passed"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Every package that exists, plus examples/ and conformance/ (our targets are typed too).
TYPED := $(wildcard aiecs_models aiecs_contracts aiecs_runtime aiecs_conformance) examples $(wildcard conformance) docs/snippets benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy $(TYPED)
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

docs-build: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

bench: $(STAMP)
	$(BIN)/python -m benchmarks

bench-smoke: $(STAMP)
	$(BIN)/python -m benchmarks --smoke

# The typing cases under mypy, pyright, basedpyright, pyrefly and ty: docs/typing-matrix.md.
typing-matrix: $(STAMP)
	$(BIN)/python -m tests.typing.matrix

conformance-matrix: $(STAMP)
	$(BIN)/python conformance/generate_matrix.py

# Mutation testing of the kit (not part of `make test`: tens of minutes). Writes
# conformance/mutation.md; survivors are triaged in conformance/mutation_triage.py.
mutation: $(STAMP)
	$(BIN)/python -m conformance.mutation

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache site .mutation
