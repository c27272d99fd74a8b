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


# -- issue 13 item 7: hostile entries are counted misses; writes never raise --------------

_MAGIC = b"aiecs.v1:"
HOSTILE: list[bytes] = [
    _MAGIC + b'{"$t": "decimal", "v": "not a number"}',  # decimal.InvalidOperation
    _MAGIC + b'{"$t": "set", "v": [[1, 2]]}',  # TypeError: unhashable
    _MAGIC + b'{"$t": "dict", "v": [[[1], 2]]}',  # TypeError: unhashable key
    _MAGIC + b"[" * 50_000 + b"]" * 50_000,  # nesting: RecursionError / parser limit
    _MAGIC + b'{"a": ' * 5_000 + b"1" + b"}" * 5_000,
    _MAGIC + b'{"$t": "datetime", "v": "2024-01-01T00:00:00", "z": "../../etc/passwd"}',
    _MAGIC + b'{"$t": "datetime", "v": "2024-01-01T00:00:00", "f": 7}',
    _MAGIC + b'{"$t": "int", "v": "' + b"f" * 100 + b'x"}',
    _MAGIC + b'{"$t": "model", "c": "aiecs_models:TaskStepResult", "v": {"_x": 1}}',
    _MAGIC + b'{"$t": "enum", "c": "enum:Enum", "v": "__class__"}',
    _MAGIC + b"9" * 5_000,  # an int over the digit limit
]


def _plant(url: str, namespace: str, key: str, raw: bytes) -> None:
    client = redis.Redis.from_url(url)
    client.set(f"{namespace}:{key}", raw)
    client.close()


@pytest.mark.parametrize("raw", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_entries_are_counted_misses(redis_url: str, raw: bytes) -> None:
    from aiecs_runtime import TieredCache

    cache = RedisCache(redis_url, namespace=_namespace())
    _plant(redis_url, cache.namespace, "k", raw)
    assert cache.get_from_cache("k") is None
    assert cache.stats.corrupt == 1 and cache.stats.misses == 1
    assert TieredCache(cache).get_from_cache("k") is None

    async def read_async() -> Any:
        reader = AsyncRedisCache(redis_url, namespace=cache.namespace)
        try:
            return await reader.get_from_cache("k")
        finally:
            await reader.aclose()

    assert asyncio.run(read_async()) is None


def test_writes_of_unstorable_values_never_raise(redis_url: str) -> None:
    from aiecs_runtime import MemoryCache, TieredCache

    looped: list[Any] = []
    looped.append(looped)
    deep: list[Any] = []
    for _ in range(5_000):
        deep = [deep]
    cache = RedisCache(redis_url, namespace=_namespace())
    for value in (looped, deep, object(), lambda: 1):
        cache.add_to_cache("k", value)
        TieredCache(cache).add_to_cache("k", value)
        MemoryCache().add_to_cache("k", value)
    assert cache.get_from_cache("k") is None
    assert cache.stats.skipped_writes >= 4


# -- issue 13 items 8, 10, 12 through a real Redis ----------------------------------------


def test_big_ints_and_dst_folds_roundtrip_through_redis(redis_url: str) -> None:
    from zoneinfo import ZoneInfo

    fold = dt.datetime(2021, 11, 7, 1, 30, tzinfo=ZoneInfo("America/New_York"), fold=1)
    cache = RedisCache(redis_url, namespace=_namespace())
    for value in (10**5000, -(10**5000), {"n": [10**4400]}, fold):
        cache.add_to_cache("k", value)
        back = cache.get_from_cache("k")
        assert back == value
    back = cache.get_from_cache("k")
    assert back.fold == 1 and back.tzinfo == ZoneInfo("America/New_York")
    assert back.utcoffset() == fold.utcoffset()


def test_the_front_tier_hands_out_no_shared_mutable_value(redis_url: str) -> None:
    from aiecs_runtime import TieredCache

    cache = TieredCache(RedisCache(redis_url, namespace=_namespace()))
    value = {"rows": [1, 2]}
    cache.add_to_cache("k", value)
    value["rows"].append(3)  # the writer changes its own object afterwards
    first = cache.get_from_cache("k")
    first["rows"].append(4)  # a reader changes what it got
    assert cache.get_from_cache("k") == {"rows": [1, 2]}
