"""PrometheusObserver against the real prometheus_client: exact counts in the exposition text."""

from __future__ import annotations

import asyncio
import re

import prometheus_client  # the dev extra installs it: a missing client fails loudly
import pytest

from aiecs_runtime import ToolExecutor
from aiecs_runtime._prometheus import PrometheusObserver


class Calc:
    def add(self, a: int, b: int) -> int:
        return a + b

    async def boom(self) -> None:
        raise ValueError("no")

    def _secret(self) -> str:
        return "never"


def _samples(text: str) -> dict[str, float]:
    """``name{labels}`` -> value, read from the exposition format as a scraper would."""
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        m = re.match(r"^(\S+?(?:\{.*\})?) (\S+)$", line)
        assert m, line
        out[m.group(1)] = float(m.group(2))
    return out


def _calls(operation: str, outcome: str, code: str) -> str:
    labels = f'error_code="{code}",operation="{operation}",outcome="{outcome}",tool="Calc"'
    return f"aiecs_tool_calls_total{{{labels}}}"


def test_a_known_run_reads_back_exactly() -> None:
    registry = prometheus_client.CollectorRegistry()
    executor = ToolExecutor(observers=(PrometheusObserver(registry=registry),))
    calc = Calc()
    for i in range(3):
        assert executor.execute(calc, "add", a=i, b=1) == i + 1

    async def failures() -> None:
        for _ in range(2):
            with pytest.raises(Exception):  # noqa: B017 - wrapped or not, it must raise
                await executor.execute_async(calc, "boom")

    asyncio.run(failures())
    with pytest.raises(Exception):  # noqa: B017
        executor.execute(calc, "add", a=1)  # missing b: refused before the op runs
    text = prometheus_client.generate_latest(registry).decode()
    got = _samples(text)
    ok = 'aiecs_tool_calls_total{error_code="",operation="add",outcome="success",tool="Calc"}'
    failed = (
        'aiecs_tool_calls_total{error_code="E003",operation="boom",outcome="failure",tool="Calc"}'
    )
    refused = (
        'aiecs_tool_calls_total{error_code="E001",operation="add",outcome="refused",tool="Calc"}'
    )
    assert got[ok] == 3.0
    assert got[failed] == 2.0
    assert got[refused] == 1.0
    count = 'aiecs_tool_call_duration_seconds_count{operation="add",outcome="success",tool="Calc"}'
    assert got[count] == 3.0
    assert sum(v for k, v in got.items() if k.startswith("aiecs_tool_calls_total{")) == 6.0
    # A param value never becomes a label.
    assert "a=" not in text and '"1"' not in text


def test_two_observers_need_two_registries_or_namespaces() -> None:
    registry = prometheus_client.CollectorRegistry()
    PrometheusObserver(registry=registry)
    PrometheusObserver(registry=registry, namespace="other")  # a second namespace is fine
    with pytest.raises(ValueError, match="Duplicated"):
        PrometheusObserver(registry=registry)
