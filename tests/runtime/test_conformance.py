"""The conformance kit judges every runtime factory at level `full`."""

from __future__ import annotations

import pytest

import aiecs_conformance

FACTORIES = [
    ("tool_provider", "tool-provider"),
    ("tool_executor", "tool-executor"),
    ("cache_provider", "cache-provider"),
    ("operation_executor", "operation-executor"),
    ("execution_interface", "execution-interface"),
]


@pytest.mark.parametrize(("factory", "contract"), FACTORIES)
def test_factory_is_full(factory: str, contract: str) -> None:
    report = aiecs_conformance.check(
        f"aiecs_runtime.factories:{factory}", contract, max_examples=25, seed=1234
    )
    assert report.failed() == []
    assert report.level == "full"
