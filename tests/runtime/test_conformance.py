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
    ("retrying_executor", "retrying-executor"),
    ("tool_executor_v2", "tool-executor-v2"),
    ("async_context_executor", "async-context-executor"),
    ("versioned", "versioned"),
    ("interface_monitor", "interface-monitor"),
]


@pytest.mark.parametrize(("factory", "contract"), FACTORIES)
def test_factory_is_full(factory: str, contract: str) -> None:
    report = aiecs_conformance.check(
        f"aiecs_runtime.factories:{factory}", contract, max_examples=25, seed=1234
    )
    assert report.failed() == []
    assert report.level == "full"
