"""The reference runtime end to end: registry, executor, cache, sequences, engine, metrics."""

from __future__ import annotations

import asyncio
from typing import Any

from aiecs_models import TaskStepResult
from aiecs_runtime import (
    ExecutionEngine,
    InterfaceMonitor,
    MemoryCache,
    MetricsObserver,
    OperationExecutor,
    RetryPolicy,
    ToolExecutor,
    ToolRegistry,
)

# --8<-- [start:registry]
registry = ToolRegistry()


@registry.tool("text")  # a decorated class is instantiated once and served by name
class TextTool:
    def words(self, text: str) -> list[str]:
        return text.split()

    def count(self, items: list[str]) -> int:
        return len(items)

    async def shout(self, text: str) -> str:
        return text.upper()


# --8<-- [end:registry]

# --8<-- [start:executor]
metrics, monitor = MetricsObserver(), InterfaceMonitor()
executor = ToolExecutor(
    retry=RetryPolicy(attempts=3, on=ConnectionError),  # transient errors only
    timeout=5.0,  # seconds per call, sync ops included
    cache=MemoryCache(max_size=10_000, ttl=300),  # bounded LRU with a TTL
    observers=(metrics, monitor),
)
# --8<-- [end:executor]


# --8<-- [start:sequence]
async def save(user_id: str, task_id: str, index: int, result: TaskStepResult) -> None:
    print(f"saved step {index} for {user_id}/{task_id}: {result.status}")


async def sequence() -> None:
    ops = OperationExecutor(registry, executor)
    plan: list[dict[str, Any]] = [
        {"operation": "text.words", "params": {"text": "to be or not to be"}},
        {"operation": "text.count", "params": {"items": "$result[0]"}},  # an earlier result
        {"operation": "text.shout", "params": {"text": "$result[0].1"}},  # a path into it
    ]
    for step in await ops.execute_operations_sequence(plan, "ada", "t1", save_callback=save):
        print(step.step, step.result)


# --8<-- [end:sequence]


# --8<-- [start:engine]
async def engine_demo() -> None:
    async with ExecutionEngine(registry, tool_executor=executor) as engine:

        @engine.task("summarise")
        async def summarise(input_data: dict[str, Any], context: dict[str, Any]) -> str:
            words = await engine.execute_operation("text.words", {"text": input_data["text"]})
            return f"{context['user']}: {len(words)} words"

        print(await engine.execute_task("summarise", {"text": "a b c"}, {"user": "ada"}))
        print(engine.list_executors(), engine.list_tasks())


# --8<-- [end:engine]

if __name__ == "__main__":
    asyncio.run(sequence())
    asyncio.run(engine_demo())
    # --8<-- [start:metrics]
    words = metrics.get_performance_metrics()["TextTool.words"]  # keyed by class.op
    print(words["count"], sorted(words))
    print({k: v for k, v in monitor.get_usage_report().items() if k.startswith("total")})
    # --8<-- [end:metrics]
    executor.close()
