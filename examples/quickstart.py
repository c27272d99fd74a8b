"""Quickstart: tools, an engine, a sequence with a result reference, a parallel batch, metrics.

Run: python examples/quickstart.py
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.console import Console
from rich.table import Table

from aiecs_runtime import (
    ExecutionEngine,
    InterfaceMonitor,
    MemoryCache,
    MetricsObserver,
    ToolExecutor,
    ToolRegistry,
)

registry = ToolRegistry()


@registry.tool("docs")
class Docs:
    """A tiny document store: no base class, no import from aiecs needed."""

    def search(self, query: str, limit: int = 3) -> dict[str, Any]:
        """Return matching titles (a plain def: the runtime runs it off the event loop)."""
        titles = [f"{query} guide", f"{query} FAQ", f"{query} reference", f"{query} blog"]
        return {"query": query, "items": titles[:limit]}

    async def fetch(self, title: str) -> str:
        """Return a document body (an async def: awaited on the loop)."""
        await asyncio.sleep(0.01)
        return f"<body of {title!r}>"


@registry.tool("math")
class Math:
    async def square(self, x: int) -> int:
        """Return x squared."""
        return x * x


async def main() -> None:
    metrics, usage = MetricsObserver(), InterfaceMonitor()
    executor = ToolExecutor(timeout=5.0, cache=MemoryCache(ttl=60), observers=(metrics, usage))
    async with ExecutionEngine(registry, tool_executor=executor) as engine:
        steps = await engine.execute_operations_sequence(
            [
                {"operation": "docs.search", "params": {"query": "contracts", "limit": 2}},
                {"operation": "docs.fetch", "params": {"title": "$result[0].items.1"}},
            ],
            user_id="alice",
            task_id="t-1",
        )
        for step in steps:
            print(f"{step.step}: {step.status.value} -> {step.result!r}")

        squares = await engine.execute_parallel_operations(
            [{"operation": "math.square", "params": {"x": i}} for i in range(20)]
        )
        print("squares:", [s.result for s in squares])

        bad = await engine.batch_execute_operations(
            [{"operation": "math.square", "params": {"x": "not a number"}}]
        )
        print("bad params:", type(bad[0]).__name__, "-", bad[0])

    table = Table(title="performance metrics (seconds)")
    for column in ("operation", "count", "avg_time", "p50", "p95", "p99", "max_time", "errors"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for name, row in metrics.get_performance_metrics().items():
        table.add_row(
            name,
            str(row["count"]),
            *(f"{row[k]:.6f}" for k in ("avg_time", "p50", "p95", "p99", "max_time")),
            str(row["error_count"]),
        )
    console = Console(width=110)
    console.print(table)
    report = usage.get_usage_report()
    console.print(
        f"usage: {report['total_usage']} calls, {report['total_errors']} errors, "
        f"error rate {report['error_rate']:.1%}, by tool {report['usage_by_interface']}"
    )


if __name__ == "__main__":
    asyncio.run(main())
