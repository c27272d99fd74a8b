"""Count and time every tool call with Prometheus (the `prometheus` extra)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest

from aiecs_runtime import PrometheusObserver, ToolExecutor


class Search:
    def query(self, q: str) -> list[str]:
        return [q.upper()]


# --8<-- [start:observer]
registry = CollectorRegistry()  # or prometheus_client.REGISTRY, served by your app
executor = ToolExecutor(observers=(PrometheusObserver(registry=registry),))
executor.execute(Search(), "query", q="ada")
executor.execute(Search(), "query", q="bob")

for line in generate_latest(registry).decode().splitlines():
    if line.startswith("aiecs_tool_calls_total{"):
        print(line)
# --8<-- [end:observer]
