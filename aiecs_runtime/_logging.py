"""`LoggingObserver`: one structured log record per execution, params redacted by default."""

from __future__ import annotations

import logging
from typing import Any

from ._monitoring import ExecutionEvent

__all__ = ["LoggingObserver"]


class LoggingObserver:
    """Logs each execution with ``extra`` fields; param *values* are hidden unless asked for.

    Params often carry user data and secrets, so by default only their names are logged
    (``redact=False`` logs values too). Formatting is left to the logging framework: nothing
    is formatted when the level is disabled.
    """

    def __init__(
        self,
        logger: logging.Logger | None = None,
        *,
        level: int = logging.INFO,
        redact: bool = True,
    ) -> None:
        self.logger = logger if logger is not None else logging.getLogger("aiecs_runtime")
        self.level = level
        self.redact = redact

    def __repr__(self) -> str:
        return f"LoggingObserver(logger={self.logger.name!r}, redact={self.redact})"

    def _params(self, event: ExecutionEvent) -> Any:
        if self.redact:
            return {name: "<redacted>" for name in event.params}
        return dict(event.params)

    def on_start(self, event: ExecutionEvent) -> None:
        """Log at DEBUG that a call started."""
        if self.logger.isEnabledFor(logging.DEBUG):
            self.logger.debug(
                "start %s",
                event.name,
                extra={"aiecs_operation": event.name, "aiecs_params": self._params(event)},
            )

    def on_success(self, event: ExecutionEvent, duration: float, result: Any) -> None:
        """Log the call's success and duration."""
        if self.logger.isEnabledFor(self.level):
            self.logger.log(
                self.level,
                "%s succeeded in %.6fs",
                event.name,
                duration,
                extra={
                    "aiecs_operation": event.name,
                    "aiecs_duration": duration,
                    "aiecs_params": self._params(event),
                    "aiecs_user_id": event.user_id,
                    "aiecs_task_id": event.task_id,
                    "aiecs_outcome": "success",
                },
            )

    def on_failure(self, event: ExecutionEvent, duration: float, error: BaseException) -> None:
        """Log the call's failure (WARNING) with the error type and message."""
        if self.logger.isEnabledFor(logging.WARNING):
            self.logger.warning(
                "%s failed in %.6fs: %s: %s",
                event.name,
                duration,
                type(error).__name__,
                error,
                extra={
                    "aiecs_operation": event.name,
                    "aiecs_duration": duration,
                    "aiecs_params": self._params(event),
                    "aiecs_user_id": event.user_id,
                    "aiecs_task_id": event.task_id,
                    "aiecs_outcome": "failure",
                    "aiecs_error": type(error).__name__,
                },
            )
