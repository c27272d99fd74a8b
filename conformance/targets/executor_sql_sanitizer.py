"""Flawed tool executor: it "sanitises" params, refusing strings that look like SQL.

The mistake: injection is the *tool's* job (bind parameters), not the executor's; a
blocklist (``;``, ``--``, ``SELECT``, quotes) refuses legitimate text such as
``"Tom's notes; see --help"`` before the op ever sees it. ``executor.params.passthrough``
catches it; ``executor.sync.result`` and ``executor.async.result`` fail too, since their
params (generated, and an explicit SQL-looking example) hit the blocklist and the call
raises instead of returning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

from aiecs_contracts import ParameterValidationError
from conformance.targets.correct_tool_executor import ToolExecutor

CONTRACT = "tool-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {
        "executor.params.passthrough",
        "executor.sync.result",
        "executor.async.result",
    }
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

_SUSPICIOUS = re.compile(r";|--|'|\b(select|insert|update|delete|drop|union)\b", re.IGNORECASE)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in cast("dict[str, object]", value).values() for s in _strings(v)]
    if isinstance(value, list | tuple | set | frozenset):
        return [s for v in cast("Iterable[object]", value) for s in _strings(v)]
    return []


def check_params(operation_name: str, params: dict[str, Any]) -> None:
    """Raise ``ParameterValidationError`` for any string param that looks like SQL."""
    bad = [(name, "looks like SQL") for name, v in params.items() for s in _strings(v)
           if _SUSPICIOUS.search(s)]  # fmt: skip
    if bad:  # BUG: legitimate text is refused; escaping belongs in the tool
        raise ParameterValidationError(
            f"refusing {operation_name!r}: suspicious parameter(s) {[n for n, _ in bad]}",
            errors=bad,
        )


class SanitisingToolExecutor(ToolExecutor):
    """An executor that refuses params containing SQL-like text."""

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Check the params, then run the operation."""
        check_params(operation_name, params)
        return super().execute(tool, operation_name, **params)

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        """Check the params, then run the operation."""
        check_params(operation_name, params)
        return await super().execute_async(tool, operation_name, **params)


def factory() -> SanitisingToolExecutor:
    """Return a fresh executor."""
    return SanitisingToolExecutor()
