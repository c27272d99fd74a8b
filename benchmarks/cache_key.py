"""Rows for ``aiecs_runtime.cache_key`` against the original AIECS ``json.dumps`` + md5 key."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ._harness import Bench, Measurement, Settings, compare_times, require

__all__ = ["BENCHES", "LARGE_PARAMS", "RICH_PARAMS", "TYPICAL_PARAMS"]

TYPICAL_PARAMS: dict[str, Any] = {
    "query": "select",
    "limit": 10,
    "filters": {"a": [1, 2, 3], "b": "x"},
}


class _Page(BaseModel):
    offset: int = 0
    size: int = 50
    order: str = "asc"


RICH_PARAMS: dict[str, Any] = {
    "since": dt.datetime(2024, 5, 17, 12, 30, tzinfo=dt.UTC),
    "budget": Decimal("12.50"),
    "blob": b"\x00\x01binary",
    "tags": {"red", "green", "blue"},
    "page": _Page(offset=20),
}

# 200 records of 5 keys: a batch or a page of rows handed to one op.
LARGE_PARAMS: dict[str, Any] = {
    "rows": [
        {"id": i, "name": f"item-{i}", "price": i * 1.25, "active": i % 2 == 0, "tag": None}
        for i in range(200)
    ]
}

# What the original AIECS `generate_cache_key` hashed: all five parts of the call.
_OP, _USER, _TASK, _ARGS = "search.query", "user-1", "task-1", ()


def _baseline(n: int, params: dict[str, Any] = TYPICAL_PARAMS) -> int:
    dumps, md5 = json.dumps, hashlib.md5
    op, user, task, args = _OP, _USER, _TASK, _ARGS
    start = time.perf_counter_ns()
    for _ in range(n):
        data = {
            "operation_type": op,
            "user_id": user,
            "task_id": task,
            "args": args,
            "kwargs": params,
        }
        md5(dumps(data, sort_keys=True).encode()).hexdigest()
    return time.perf_counter_ns() - start


def _candidate(params: dict[str, Any]) -> Any:
    cache_key = require("aiecs_runtime", "cache_key")
    key = cache_key(_OP, _USER, _TASK, _ARGS, params)
    if not (isinstance(key, str) and key):
        raise AssertionError(f"cache_key returned {key!r}, expected a non-empty str")

    def timed(n: int) -> int:
        f, op, user, task, args = cache_key, _OP, _USER, _TASK, _ARGS
        start = time.perf_counter_ns()
        for _ in range(n):
            f(op, user, task, args, params)
        return time.perf_counter_ns() - start

    return timed


def _typical(settings: Settings) -> Measurement:
    m = compare_times(_candidate(TYPICAL_PARAMS), _baseline, settings)
    m.detail["params"] = repr(TYPICAL_PARAMS)
    m.detail["baseline_code"] = (
        "md5(json.dumps({operation_type, user_id, task_id, args, kwargs: params}, "
        "sort_keys=True).encode()).hexdigest()  # the original AIECS generate_cache_key"
    )
    m.detail["candidate_code"] = "cache_key(operation_type, user_id, task_id, (), params)"
    return m


def _rich(settings: Settings) -> Measurement:
    m = compare_times(_candidate(RICH_PARAMS), _baseline, settings)
    m.detail["params"] = (
        "datetime (tz-aware), Decimal, bytes, a 3-member set, a 3-field pydantic model"
    )
    m.detail["baseline_params"] = repr(TYPICAL_PARAMS) + " (json cannot encode the rich ones)"
    return m


def _large_baseline(n: int) -> int:
    return _baseline(n, LARGE_PARAMS)


def _large(settings: Settings) -> Measurement:
    m = compare_times(_candidate(LARGE_PARAMS), _large_baseline, settings)
    m.detail["params"] = "{'rows': [200 dicts of 5 keys: int, str, float, bool, None]}"
    m.detail["baseline_code"] = "the typical baseline on the same params"
    return m


BENCHES = [
    Bench(
        id="cache_key.typical",
        measured="cache_key() on {'query': 'select', 'limit': 10, 'filters': {...}}",
        baseline="json.dumps(sort_keys=True) + md5 of the same (the original AIECS key)",
        goal=0.2,
        run=_typical,
    ),
    Bench(
        id="cache_key.rich",
        measured="cache_key() on params with datetime, Decimal, bytes, a set, a pydantic model",
        baseline="json.dumps(sort_keys=True) + md5 of the typical params",
        goal=0.55,
        run=_rich,
    ),
    Bench(
        id="cache_key.large",
        measured="cache_key() on {'rows': [200 dicts of 5 keys]}",
        baseline="json.dumps(sort_keys=True) + md5 of the same params",
        goal=0.2,
        run=_large,
    ),
]
