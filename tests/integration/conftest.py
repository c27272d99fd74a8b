"""Fixtures for the integration tests: a real redis-server, real Celery workers.

Nothing here skips. If redis-server cannot start, every test that needs it fails with the
reason (install it with `make services`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration._servers import RedisServer, ServerError


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.integration)


def _started(server: RedisServer) -> RedisServer:
    try:
        server.start()
    except ServerError as exc:
        server.close()
        pytest.fail(f"integration tests need a real redis-server: {exc}", pytrace=False)
    return server


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One redis-server for the whole session; AIECS_REDIS_URL points at it."""
    server = _started(RedisServer())
    old = os.environ.get("AIECS_REDIS_URL")
    os.environ["AIECS_REDIS_URL"] = server.url
    try:
        yield server
    finally:
        # In-process Celery workers must stop while their broker still answers.
        local = sys.modules.get("aiecs_runtime.celery._local")
        if local is not None:
            local.stop_local_workers()
        if old is None:
            os.environ.pop("AIECS_REDIS_URL", None)
        else:
            os.environ["AIECS_REDIS_URL"] = old
        server.close()


@pytest.fixture(scope="session")
def redis_url(redis_server: RedisServer) -> str:
    """The URL of the session's redis-server."""
    return redis_server.url


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    """A redis-server of this test's own, to kill and restart without disturbing others."""
    server = _started(RedisServer())
    try:
        yield server
    finally:
        server.close()
