"""The project's own conformance matrix: targets, the results table and its generator."""
