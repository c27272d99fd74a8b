"""The messages a worker accepts, checked field by field before anything runs.

A message is JSON from Redis, so every field is untrusted: a wrong type or a nonsensical
option (``time_limit="x"``, a negative deadline) refuses the whole message with E001
before any op starts, so a refusal never leaves an op running behind it.

Two tasks exist. ``aiecs.run_operation`` carries one op, ``[toolset, operation,
params_json, time_limit, deadline, reply]`` (its id is the task id); ``aiecs.run_chunk``
carries many, ``[toolset, [[op_id, operation, params_json], ...], time_limit, deadline,
reply]``. Each op's envelope is stored under its own id as soon as it finishes, and
published to the ``reply`` channel when one is given (results stream back; a crash loses
only the unfinished ops). ``deadline`` is wall-clock seconds (``time.time()``) after which
the caller no longer waits: a message taken later is answered E002 without running.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

from aiecs_contracts import ParameterValidationError

__all__ = ["MAX_CHUNK", "Chunk", "OpMessage", "as_list", "parse_chunk", "parse_op"]

MAX_CHUNK = 10_000
"""The most ops one chunk message may carry (a bigger one is refused whole)."""


@dataclass(frozen=True, slots=True)
class OpMessage:
    """One op of a message: its id (the task id, or its own id in a chunk) and payload."""

    op_id: str
    operation: str
    params_json: str


@dataclass(frozen=True, slots=True)
class Chunk:
    """A checked message: the ops to run and the options they run under."""

    toolset: str | None
    ops: tuple[OpMessage, ...]
    time_limit: float | None
    deadline: float | None  # wall-clock (time.time()) after which nobody waits any more
    reply: str | None  # the pub/sub channel the caller listens on


def _refuse(what: str, value: object, expected: str) -> ParameterValidationError:
    shown = repr(value) if isinstance(value, str | int | float | None) else type(value).__name__
    return ParameterValidationError(
        f"refused a message whose {what} is {shown}: expected {expected}",
        errors=[(what, expected)],
    )


def _text(what: str, value: object) -> str:
    if type(value) is not str:
        raise _refuse(what, value, "a str")
    return value


def _seconds(what: str, value: object) -> float | None:
    if value is None:
        return None
    if type(value) not in (int, float):
        raise _refuse(what, value, "a positive finite number of seconds or null")
    seconds = float(cast(float, value))
    if not (math.isfinite(seconds) and seconds > 0):
        raise _refuse(what, value, "a positive finite number of seconds or null")
    return seconds


def as_list(value: object) -> list[Any] | None:
    """``value`` when it is a list (as JSON decodes arrays), else None."""
    return value if isinstance(value, list) else None  # pyright: ignore[reportUnknownVariableType]


def _optional_text(what: str, value: object) -> str | None:
    return None if value is None else _text(what, value)


def parse_op(task_id: str, args: tuple[Any, ...]) -> Chunk:
    """Check an ``aiecs.run_operation`` message; raise E001 naming the bad field."""
    if not 4 <= len(args) <= 6:
        raise _refuse("argument count", len(args), "4 to 6 arguments")
    toolset, operation, params_json, time_limit, deadline, reply = (*args, None, None)[:6]
    op = OpMessage(task_id, _text("operation", operation), _text("params", params_json))
    return Chunk(
        _optional_text("toolset", toolset),
        (op,),
        _seconds("time_limit", time_limit),
        _seconds("deadline", deadline),
        _optional_text("reply", reply),
    )


def parse_chunk(args: tuple[Any, ...]) -> Chunk:
    """Check an ``aiecs.run_chunk`` message; raise E001 naming the bad field."""
    if not 4 <= len(args) <= 5:
        raise _refuse("argument count", len(args), "4 or 5 arguments")
    toolset, items, time_limit, deadline, reply = (*args, None)[:5]
    listed = as_list(items)
    if listed is None or not 0 < len(listed) <= MAX_CHUNK:
        raise _refuse("ops", items, f"a list of 1 to {MAX_CHUNK} [op_id, operation, params]")
    ops: list[OpMessage] = []
    for item in listed:
        fields = as_list(item)
        if fields is None or len(fields) != 3:
            raise _refuse("op", item, "[op_id, operation, params_json]")
        op_id, operation, params_json = fields
        ops.append(
            OpMessage(
                _text("op_id", op_id), _text("operation", operation), _text("params", params_json)
            )
        )
    return Chunk(
        _optional_text("toolset", toolset),
        tuple(ops),
        _seconds("time_limit", time_limit),
        _seconds("deadline", deadline),
        _optional_text("reply", reply),
    )
