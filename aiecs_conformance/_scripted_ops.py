"""The generated methods of scripted probe tools: one closure per scripted op."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ._probes import Call
from ._shapes import plain_decorator

if TYPE_CHECKING:
    from ._scripted import Outcome, Script, ScriptedTool

__all__ = ["scripted_method"]


def scripted_method(script: Script) -> Callable[..., Any]:
    # One closure per op; the call counter picks the outcome, so call k of an op does the
    # k-th scripted thing whichever thread or loop runs it.
    counter = [0]

    def begin(tool: ScriptedTool, kwargs: Mapping[str, Any]) -> tuple[Call, Outcome]:
        call = tool.calls.record(tool.name, script.name, kwargs)
        outcome = script.outcome(counter[0])
        counter[0] += 1
        return call, outcome

    def finish(call: Call, outcome: Outcome) -> Any:
        call.end = time.perf_counter()
        if outcome.error is not None:
            raise outcome.error
        return outcome.value

    if script.is_async:

        async def async_op(self: ScriptedTool, **kwargs: Any) -> Any:
            call, outcome = begin(self, kwargs)
            try:
                await asyncio.sleep(script.seconds)
            finally:
                call.end = time.perf_counter()
            return finish(call, outcome)

        async_op.__name__ = async_op.__qualname__ = script.name
        if script.decorated:
            return plain_decorator(async_op)
        return async_op

    def sync_op(self: ScriptedTool, **kwargs: Any) -> Any:
        call, outcome = begin(self, kwargs)
        time.sleep(script.seconds)
        return finish(call, outcome)

    sync_op.__name__ = sync_op.__qualname__ = script.name
    return sync_op
