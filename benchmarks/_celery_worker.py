"""``python -m benchmarks._celery_worker``: ``aiecs-worker`` that also serves ``bench.noop``.

The raw Celery baseline of the ``celery.*`` rows calls ``bench.noop`` on the very worker
processes our executor uses, with Celery's own result handling (stored in the same Redis
backend, JSON).
"""

from __future__ import annotations

import sys
from typing import Any

from aiecs_runtime.celery import worker

__all__ = ["NOOP", "noop"]

NOOP = "bench.noop"


def noop() -> None:
    """Do nothing: what is measured is Celery's cost per task."""
    return None


def _register() -> None:
    app: Any = worker.default_app().raw
    app.task(name=NOOP)(noop)


if __name__ == "__main__":
    _register()
    raise SystemExit(worker.main(sys.argv[1:]))
