"""Flawed operation executor: an unknown tool or op is logged and answered with ``None``.

The mistake: "be lenient with plans": ``execute_operation("typo.search", ...)`` returns
``None`` as if the op had run and found nothing, and a sequence records it as a completed
step. ``operations.spec.unknown`` catches it, and ``operations.spec.invalid`` too: a spec with
surrounding whitespace (``" t.op"``) names no served tool, so it is answered with ``None``
instead of being refused.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from aiecs_contracts import OperationNotFoundError, ToolNotFoundError
from conformance.targets.correct_operation_executor import OperationExecutor

CONTRACT = "operation-executor"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset(
    {"operations.spec.unknown", "operations.spec.invalid"}
)
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

logger = logging.getLogger(__name__)


def _nothing(**params: Any) -> None:
    return None


class LenientExecutor(OperationExecutor):
    """An executor that skips operations it cannot find."""

    def _resolve(self, operation_spec: str) -> Any:
        try:
            return super()._resolve(operation_spec)
        except (ToolNotFoundError, OperationNotFoundError) as exc:
            logger.info("skipping %r: %s", operation_spec, exc)
            return _nothing  # BUG: an unknown operation "succeeds" with None


def factory(tools: Mapping[str, object]) -> LenientExecutor:
    """Return an executor resolving ``"name.op"`` against ``tools``."""
    return LenientExecutor(tools)
