"""The Celery worker: ``aiecs-worker`` or ``celery -A aiecs_runtime.celery.worker worker``.

Configuration from the environment: ``AIECS_REDIS_URL`` (broker and result backend,
default ``redis://127.0.0.1:6379/0``) and ``AIECS_TOOLS=module:attr`` naming the tools
this worker serves (a ``ToolRegistry``, any ``IToolProvider``, a mapping of names to
tools, or a zero-argument factory of one). Always the threads pool by default: ops
that are coroutines share one event loop per worker process.

Shutdown: on SIGTERM (or SIGINT) the worker stops taking messages, lets running ops
finish for at most ``--grace`` seconds (default 10) and then exits, so a stuck op cannot
keep a worker from stopping; ops it abandons fail on the caller's side with E002.
"""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Sequence
from typing import Any

from .._redis_cache import redis_url_from_env
from ._app import CeleryApp, is_revoked
from ._basic import default_tool_executor
from ._runner import OperationRunner, provider_from_import_string

__all__ = ["build_app", "default_app", "main", "runner"]


def _env_provider() -> Any:
    spec = os.environ.get("AIECS_TOOLS")
    if not spec:
        raise LookupError("this worker serves no tools: start it with AIECS_TOOLS=module:attr")
    return provider_from_import_string(spec)


runner = OperationRunner(_env_provider, default_tool_executor, is_revoked=is_revoked)
"""The process-wide runner: every app built here sends its messages to it."""


def build_app(broker_url: str | None = None) -> CeleryApp:
    """A ``CeleryApp`` on ``broker_url`` (default from the environment) with the task."""
    built = CeleryApp(broker_url or redis_url_from_env())
    built.register(runner.run, runner.run_chunk)
    return built


_default: CeleryApp | None = None

DEFAULT_GRACE = 10.0
"""Seconds running ops get after SIGTERM before ``aiecs-worker`` exits anyway."""


def _exit_after_grace(grace: float) -> None:
    """Once Celery begins its warm shutdown, exit for sure ``grace`` seconds later."""
    from celery import signals

    def shutting_down(**_: Any) -> None:
        # Celery's warm shutdown waits for every running task without limit; an op that
        # never returns would keep the process alive until SIGKILL.
        timer = threading.Timer(grace, os._exit, args=(0,))
        timer.daemon = True
        timer.start()

    signals.worker_shutting_down.connect(shutting_down, weak=False)  # pyright: ignore[reportUnknownMemberType]


def default_app() -> CeleryApp:
    """The app on ``AIECS_REDIS_URL``, built on first use."""
    global _default
    if _default is None:
        _default = build_app()
    return _default


def __getattr__(name: str) -> Any:
    # ``celery -A aiecs_runtime.celery.worker`` looks up ``app``; building it only then
    # keeps importing this module free of side effects.
    if name == "app":
        return default_app().raw
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Start a worker in this process (blocks until it is stopped)."""
    parser = argparse.ArgumentParser(
        prog="aiecs-worker",
        description="Run a Celery worker serving the tools named by AIECS_TOOLS=module:attr.",
    )
    parser.add_argument("--queue", "-Q", default="aiecs", help="queue to consume (default aiecs)")
    parser.add_argument("--concurrency", "-c", type=int, default=32, help="threads (default 32)")
    parser.add_argument("--loglevel", "-l", default="WARNING")
    parser.add_argument("--tools", help="module:attr of the tools (overrides AIECS_TOOLS)")
    parser.add_argument(
        "--grace",
        type=float,
        default=DEFAULT_GRACE,
        help=f"seconds running ops get after SIGTERM before the worker exits (default "
        f"{DEFAULT_GRACE:g})",
    )
    args = parser.parse_args(argv)
    if not args.grace >= 0:
        parser.error(f"--grace must be seconds >= 0, got {args.grace!r}")
    if args.tools:
        os.environ["AIECS_TOOLS"] = args.tools
    if not os.environ.get("AIECS_TOOLS"):
        parser.error("no tools: set AIECS_TOOLS=module:attr or pass --tools module:attr")
    _env_provider()  # fail now, with the import error, rather than on the first message
    _exit_after_grace(args.grace)
    default_app().worker_main(
        [
            "--pool=threads",
            f"--concurrency={args.concurrency}",
            f"--queues={args.queue}",
            f"--loglevel={args.loglevel}",
            "--without-mingle",
            "--without-gossip",
        ]
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
