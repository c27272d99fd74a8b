"""Workers' answers pushed to the caller: one pub/sub channel per caller process and app.

Each message names the caller's reply channel; a worker publishes the envelopes of the
ops it finished there (in the same round trip that stores their records). One listener
thread per channel hands them to the event loop that waits for them, so a waiting caller
neither polls nor subscribes per task. The records stay the source of truth: a caller
whose listener is down (or missed a publication while reconnecting) still finds them by
polling, only later.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any, cast

import pydantic_core

from ._app import CeleryApp
from ._message import as_list

__all__ = ["Deliver", "Replies"]

Deliver = Callable[[Sequence[tuple[str, dict[str, Any]]]], None]
"""Called on the waiting loop with ``(op_id, envelope)`` pairs that arrived."""


class Replies:
    """The reply channel of one `CeleryApp` in this process, and its listener thread."""

    def __init__(self, app: CeleryApp) -> None:
        self.app = app
        self.channel = f"aiecs-reply-{uuid.uuid4().hex}"
        self._waiting: dict[str, tuple[asyncio.AbstractEventLoop, Deliver]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pubsub: Any = None
        self._closed = False
        self.alive = False
        # Until a first start is tried, answers are expected pushed: callers must not
        # poll hard for the first batch just because it subscribes while being sent.
        self.failed = False

    def start(self) -> bool:
        """Subscribe and start listening, unless listening already; False when that failed.

        Blocks on the connection: call it off the event loop.
        """
        with self._lock:
            if self._closed or (self._thread is not None and self._thread.is_alive()):
                return self.alive
            # First start, or the listener died with its connection: (re)subscribe.
            try:
                pubsub: Any = self.app.subscribe()
                pubsub.subscribe(self.channel)
                # Wait for the confirmation: a publication before it would be lost.
                pubsub.get_message(timeout=5.0)
            except Exception:
                self.failed = True
                return False
            self._pubsub = pubsub
            self.alive, self.failed = True, False
            self._thread = threading.Thread(
                target=self._listen, name="aiecs-celery-replies", daemon=True
            )
            self._thread.start()
            return True

    def expect(self, op_id: str, loop: asyncio.AbstractEventLoop, deliver: Deliver) -> None:
        """Hand ``op_id``'s envelope to ``deliver`` on ``loop`` when it is published."""
        self._waiting[op_id] = (loop, deliver)

    def drop(self, op_id: str) -> None:
        """Stop waiting for ``op_id`` (answered, timed out or cancelled)."""
        self._waiting.pop(op_id, None)

    def _listen(self) -> None:
        pubsub = self._pubsub
        try:
            while not self._closed:
                message: Any = pubsub.get_message(timeout=1.0)
                if message is None or message.get("type") != "message":
                    continue
                self._dispatch(message.get("data"))
        except Exception:  # the connection broke: callers fall back to polling records
            pass
        finally:
            self.alive, self.failed = False, True

    def _dispatch(self, data: object) -> None:
        try:
            pairs: object = pydantic_core.from_json(cast(bytes, data))
        except (ValueError, TypeError):
            return
        by_loop: dict[int, tuple[asyncio.AbstractEventLoop, Deliver, list[Any]]] = {}
        for pair in as_list(pairs) or []:
            fields = as_list(pair)
            if fields is None or len(fields) != 2:
                continue
            op_id, envelope = fields
            found = self._waiting.pop(op_id, None) if type(op_id) is str else None
            if found is None:
                continue
            loop, deliver = found
            by_loop.setdefault(id(deliver), (loop, deliver, []))[2].append((op_id, envelope))
        for loop, deliver, batch in by_loop.values():
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(deliver, batch)

    def close(self) -> None:
        """Stop listening and release the connection."""
        self._closed = True
        pubsub = self._pubsub
        if pubsub is not None:
            with contextlib.suppress(Exception):  # already broken: nothing to release
                pubsub.close()
