# What CI runs (see the Makefile's `typecheck` target): both checkers, strict, on the
# packages, the examples and these documentation snippets.
mypy aiecs_models aiecs_contracts examples docs/snippets
pyright
