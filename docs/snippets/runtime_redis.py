"""RedisCache against a real, private redis-server (started and stopped here)."""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from datetime import date
from decimal import Decimal

from aiecs_contracts import ICacheProvider, conforms
from aiecs_runtime import RedisCache


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_redis(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", tempfile.mkdtemp()],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return server
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def demo(url: str) -> None:
    # --8<-- [start:redis]
    cache = RedisCache(url, namespace="myapp", ttl=300)  # shared by every process
    key = cache.generate_cache_key("shop.price", "ada", "t1", (), {"sku": "A-1"})
    cache.add_to_cache(key, {"price": Decimal("9.99"), "on": date(2026, 1, 1)})
    print(cache.get_from_cache(key))  # JSON on the wire, types restored: no pickle
    print(conforms(cache, ICacheProvider))
    cache.close()
    # --8<-- [end:redis]


if __name__ == "__main__":
    port = free_port()
    server = start_redis(port)
    try:
        demo(f"redis://127.0.0.1:{port}/0")
    finally:
        server.terminate()
        server.wait(timeout=10)
