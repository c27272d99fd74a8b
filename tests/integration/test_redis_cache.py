"""RedisCache and AsyncRedisCache against a real redis-server."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import pickle
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import redis

from aiecs_runtime import AsyncRedisCache, RedisCache, cache_key
from tests.integration._servers import RedisServer

pytestmark = pytest.mark.integration


def _namespace() -> str:
    return f"test-{uuid.uuid4().hex}"


VALUES: list[Any] = [
    0,
    "",
    [],
    False,
    {"a": (1, 2.5, b"\x00", {3, 4})},
    frozenset({"x"}),
    Decimal("1.10"),
    dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC),
    uuid.UUID(int=1),
]


def test_roundtrip_overwrite_miss_and_clear(redis_url: str) -> None:
    cache = RedisCache(redis_url, namespace=_namespace())
    other = RedisCache(redis_url, namespace=cache.namespace + "-other")
    keys = [cache.generate_cache_key("t.op", "u", "task", (i,), {}) for i in range(len(VALUES))]
    for key, value in zip(keys, VALUES, strict=True):
        cache.add_to_cache(key, value)
        assert cache.get_from_cache(key) == value
    other.add_to_cache(keys[0], "kept")
    assert cache.get_from_cache("never-added") is None
    cache.add_to_cache(keys[0], "second")
    assert cache.get_from_cache(keys[0]) == "second"
    cache.clear()
    assert all(cache.get_from_cache(k) is None for k in keys)
    assert other.get_from_cache(keys[0]) == "kept"
    stats = cache.stats
    assert stats.hits == len(VALUES) + 1
    assert stats.writes == len(VALUES) + 1
    assert stats.errors == 0


def test_keys_agree_with_cache_key_and_across_processes(redis_url: str) -> None:
    ns = _namespace()
    writer = RedisCache(redis_url, namespace=ns)
    key = writer.generate_cache_key("search.query", "alice", "t1", (), {"q": {1, 2}, "n": 10})
    assert key == cache_key("search.query", "alice", "t1", (), {"n": 10, "q": {2, 1}})
    writer.add_to_cache(key, {"rows": (1, 2)})
    # Another interpreter with another hash seed computes the same key and reads the value.
    code = (
        "import sys; from aiecs_runtime import RedisCache\n"
        "c = RedisCache(sys.argv[1], namespace=sys.argv[2])\n"
        "k = c.generate_cache_key('search.query', 'alice', 't1', (), {'n': 10, 'q': {1, 2}})\n"
        "print(k, c.get_from_cache(k))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code, redis_url, ns],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    ).stdout.split(maxsplit=1)
    assert out == [key, "{'rows': (1, 2)}\n"]


def test_ttl_expires_entries(redis_url: str) -> None:
    cache = RedisCache(redis_url, namespace=_namespace(), ttl=0.2)
    cache.add_to_cache("k", 1)
    cache.add_to_cache("long", 2, ttl=30)
    assert cache.get_from_cache("k") == 1
    time.sleep(0.35)
    assert cache.get_from_cache("k") is None
    assert cache.get_from_cache("long") == 2


def test_unencodable_values_are_not_cached_and_logged_once(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    class Local:
        pass

    cache = RedisCache(redis_url, namespace=_namespace())
    for _ in range(3):
        cache.add_to_cache("k", [Local()])
    assert cache.get_from_cache("k") is None
    assert cache.stats.skipped_writes == 3
    messages = [r.getMessage() for r in caplog.records if "not caching" in r.getMessage()]
    assert len(messages) == 1
    assert "Local" in messages[0]


class _Exploit:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def test_pickle_payload_in_the_key_space_is_never_executed(redis_url: str, tmp_path: Path) -> None:
    # The payload is live: unpickling it creates its marker file.
    control = tmp_path / "control"
    pickle.loads(pickle.dumps(_Exploit(control)))
    assert control.exists()

    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Exploit(marker))
    cache = RedisCache(redis_url, namespace=_namespace())
    raw = redis.Redis.from_url(redis_url)
    shapes = {
        "bare": payload,
        "magic": b"aiecs.v1:" + payload,
        "tagged": b'aiecs.v1:{"$t": "pickle", "v": "' + payload.hex().encode() + b'"}',
        "class": b'aiecs.v1:{"$t": "model", "c": "builtins:exec", "v": {}, "s": []}',
    }
    for name, data in shapes.items():
        raw.set(cache.namespace + ":" + name, data)
        assert cache.get_from_cache(name) is None
    assert not marker.exists()
    assert cache.stats.corrupt == len(shapes)


def test_outage_degrades_to_misses_and_recovers(private_redis: RedisServer) -> None:
    cache = RedisCache(private_redis.url, namespace=_namespace(), retry_after=0.2)
    cache.add_to_cache("k", "v")
    assert cache.get_from_cache("k") == "v"

    private_redis.kill()
    started = time.perf_counter()
    for i in range(200):
        assert cache.get_from_cache("k") is None
        cache.add_to_cache(f"k{i}", i)  # never raises
    elapsed = time.perf_counter() - started
    stats = cache.stats
    assert stats.errors >= 1
    assert stats.misses >= 200
    assert not stats.available
    assert elapsed < 2.0, f"an outage must not cost a timeout per call ({elapsed:.2f}s)"

    private_redis.start()  # same port, empty (no persistence)
    deadline = time.monotonic() + 5
    while cache.get_from_cache("probe") is None and time.monotonic() < deadline:
        cache.add_to_cache("probe", 1)
        time.sleep(0.05)
    assert cache.get_from_cache("probe") == 1
    assert cache.stats.available


def test_async_cache_roundtrip_and_outage(private_redis: RedisServer) -> None:
    async def main() -> None:
        cache = AsyncRedisCache(private_redis.url, namespace=_namespace(), retry_after=0.2)
        key = cache.generate_cache_key("t.op", "u", "t", (), {"x": b"1"})
        await cache.add_to_cache(key, {"x": (1, {2})})
        assert await cache.get_from_cache(key) == {"x": (1, {2})}
        private_redis.kill()
        assert await cache.get_from_cache(key) is None
        await cache.add_to_cache(key, 2)
        assert cache.stats.errors >= 1
        private_redis.start()
        await asyncio.sleep(0.25)
        await cache.add_to_cache(key, 3)
        assert await cache.get_from_cache(key) == 3
        await cache.clear()
        assert await cache.get_from_cache(key) is None
        await cache.aclose()

    asyncio.run(main())


def test_tiered_cache_fills_front_from_back_and_ops_survive_outage(
    private_redis: RedisServer,
) -> None:
    from aiecs_runtime import TieredCache, ToolExecutor

    back = RedisCache(private_redis.url, namespace=_namespace(), retry_after=0.2)
    writer, reader = TieredCache(back), TieredCache(back)
    writer.add_to_cache("k", (1, b"2"))
    assert reader.get_from_cache("k") == (1, b"2")  # from Redis, then from its front
    private_redis.kill()
    assert reader.get_from_cache("k") == (1, b"2")

    class Tool:
        def double(self, x: int) -> int:
            return 2 * x

    executor = ToolExecutor(cache=back)
    assert [executor.execute(Tool(), "double", x=i) for i in range(20)] == [
        2 * i for i in range(20)
    ]
    assert back.stats.errors >= 1
