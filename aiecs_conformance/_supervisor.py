"""The supervisor: run the checks in a child process and survive whatever the target does.

One child (`_worker`) runs the checks in order and reports each on a dedicated pipe. When
the child exits, is killed by a signal, or makes no progress past the running check's bound,
that check is ``error`` with what happened, and a fresh child carries on with the next
check. The target's stdout and stderr go to a capture file; the part written during a check
is attached (truncated) to that check's result. Results then go through
`_runner.attribute`, exactly as in-process results do.

Bounds: a check may run for its budget (``8 x timeout x check budget x max(1,
max_examples / 25)`` seconds) plus `GRACE` before the supervisor kills the child; importing
and building the target may take `startup_bound(timeout)` seconds per child.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._bounds import GRACE, startup_bound
from ._frames import dumped_member, located
from ._options import RunOptions
from ._report import CheckResult
from ._target import TargetError
from ._worker import encode_options
from ._zygote import Zygote, warm_hash_seed, zygote_for

__all__ = [
    "GRACE",
    "HASH_SEEDS",
    "OUTPUT_LIMIT",
    "SupervisedRun",
    "hash_seed",
    "pick_seed",
    "startup_bound",
    "supervise",
]

OUTPUT_LIMIT = 4000
"""Characters of captured target output kept per check (head and tail)."""

ProgressCallback = Callable[[CheckResult, int, int], None]


HASH_SEEDS = 65536
"""How many distinct ``PYTHONHASHSEED`` values the seeds map to."""


def hash_seed(seed: int) -> str:
    """The child's ``PYTHONHASHSEED`` for ``seed``: ``seed % HASH_SEEDS + 1`` (0 disables it)."""
    return str(seed % HASH_SEEDS + 1)


def pick_seed() -> int:
    """A random run seed, sharing its hash seed with a warm zygote when there is one.

    A zygote is an interpreter start (seconds on a loaded machine); a random seed that maps
    to a live zygote's hash seed reuses it. The seed is still random, and the hash seed
    still a function of it, so every run reproduces from its printed seed.
    """
    warm = warm_hash_seed()
    if warm is None:
        return random.randrange(2**32)
    return random.randrange(2**32 // HASH_SEEDS) * HASH_SEEDS + (int(warm) - 1)


@dataclass
class SupervisedRun:
    """What the children reported: the target's name, its contracts, and every result."""

    target: str
    contracts: list[str]
    results: list[CheckResult] = field(default_factory=list[CheckResult])
    children: int = 0


class _Child:
    """One worker: its pid (forked by a zygote) and the read end of its result FIFO."""

    def __init__(self, zygote: Zygote, pid: int, fd: int, keep: int) -> None:
        self.zygote = zygote
        self.pid = pid
        self.fd = fd
        self._keep = keep  # our own write end: the FIFO never reads as EOF before the child
        self.buffer = b""
        self.code: int | None = None

    def poll(self) -> int | None:
        """The worker's exit code once it has ended."""
        if self.code is None:
            self.code = self.zygote.returncode(self.pid)
            if self.code is None and not self.zygote.alive:
                self.code = -int(signal.SIGKILL)
        return self.code

    def messages(self, wait: float) -> list[dict[str, Any]]:
        """Complete messages available within ``wait`` seconds."""
        if self.fd >= 0:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, wait))
            while ready:
                try:
                    chunk = os.read(self.fd, 1 << 16)
                except BlockingIOError:
                    break
                if not chunk:
                    break
                self.buffer += chunk
        out: list[dict[str, Any]] = []
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            with contextlib.suppress(ValueError):
                out.append(json.loads(line))
        return out

    def kill(self) -> None:
        """End the worker and everything it started (its own session); close the FIFO."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGKILL)
            self.code = self.zygote.wait(self.pid, 10.0)
        for fd in (self.fd, self._keep):
            if fd >= 0:
                os.close(fd)
        self.fd = self._keep = -1


def supervise(
    target_spec: str,
    display: str,
    contracts: list[str] | None,
    options: RunOptions,
    callback: ProgressCallback | None = None,
    sys_path: list[str] | None = None,
) -> SupervisedRun:
    """Run every check of ``contracts`` (detected when ``None``) on the target in children."""
    keep = os.environ.get("AIECS_CONFORMANCE_KEEP")  # debugging the kit: keep its files
    if keep:
        tmp = tempfile.mkdtemp(prefix="aiecs-conformance-", dir=keep)
        return _Supervision(
            Path(tmp), target_spec, display, contracts, options, callback, sys_path
        ).run()
    with tempfile.TemporaryDirectory(prefix="aiecs-conformance-") as tmp:
        return _Supervision(
            Path(tmp), target_spec, display, contracts, options, callback, sys_path
        ).run()


class _Supervision:
    def __init__(
        self,
        tmp: Path,
        target_spec: str,
        display: str,
        contracts: list[str] | None,
        options: RunOptions,
        callback: ProgressCallback | None,
        sys_path: list[str] | None,
    ) -> None:
        self.tmp = tmp
        self.options = options
        self.callback = callback
        self.job: dict[str, Any] = {
            "target": target_spec,
            "display": display,
            "contracts": contracts,
            "options": encode_options(options),
            "sys_path": [p for p in (sys_path if sys_path is not None else sys.path) if p],
            "start": 0,
        }
        self.plan: list[tuple[str, str]] | None = None
        self.run_state = SupervisedRun(display, list(contracts or []))
        self.output = tmp / "output.log"
        self.crash = tmp / "crash.log"

    # -- children ----------------------------------------------------------------------

    def run(self) -> SupervisedRun:
        while True:
            start = len(self.run_state.results)
            if self.plan is not None and start >= len(self.plan):
                return self.run_state
            self.job["start"] = start
            why = self._one_child()
            if why is not None and self.plan is not None and len(self.run_state.results) == start:
                # The child died between checks without finishing one: charge the next, so
                # a target that kills every child still ends, one error per check.
                self._record_abort(start, why)

    def _spawn(self) -> _Child:
        job_path = self.tmp / "job.json"
        job_path.write_text(json.dumps(self.job), encoding="utf-8")
        fifo = self.tmp / f"results-{self.run_state.children}.fifo"
        os.mkfifo(fifo, 0o600)
        read_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        keep_fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        request = {
            "job": str(job_path),
            "fifo": str(fifo),
            "crash": str(self.crash),
            "out": str(self.output),
            "cwd": os.getcwd(),
            "env": dict(os.environ),
        }
        try:
            zygote = zygote_for(hash_seed(self.options.seed))
            pid = zygote.fork(request, startup_bound(self.options.timeout))
        except BaseException:
            os.close(read_fd)
            os.close(keep_fd)
            raise
        self.run_state.children += 1
        return _Child(zygote, pid, read_fd, keep_fd)

    def _one_child(self) -> str | None:
        """Run one child until it is done (``None``) or ends early (then say why)."""
        child = self._spawn()
        self._bound = startup_bound(self.options.timeout)
        self._deadline = time.monotonic() + self._bound
        self._running: dict[str, Any] | None = None
        self._exit_note: dict[str, Any] | None = None
        self._crash_at = _size(self.crash)
        self._out_at = _size(self.output)
        why: str | None = None
        try:
            while True:
                wait = min(0.25, max(0.0, self._deadline - time.monotonic()))
                if self._handle(child.messages(wait)):
                    return None
                if child.poll() is not None:
                    if self._handle(child.messages(0.0)):
                        return None
                    break
                if time.monotonic() > self._deadline:
                    why = self._hang(child)
                    break
        finally:
            child.kill()
        if why is None:
            why = self._death(child.code)
        if self.plan is None:
            raise TargetError(f"{why}, before any check ran (while importing or building it)")
        if self._running is not None:
            self._record_abort(int(self._running["i"]), why, self._out_at)
            return None
        return why

    _bound: float = 0.0
    _deadline: float = 0.0
    _running: dict[str, Any] | None = None
    _exit_note: dict[str, Any] | None = None
    _crash_at: int = 0
    _out_at: int = 0

    def _handle(self, messages: list[dict[str, Any]]) -> bool:
        """Act on the child's messages; True when it finished its job."""
        for msg in messages:
            kind = msg.get("t")
            if kind == "plan":
                self._take_plan(msg)
                self._deadline = time.monotonic() + self._bound
            elif kind == "target_error":
                raise TargetError(str(msg["message"]))
            elif kind == "internal_error":
                raise RuntimeError(f"the kit's worker failed: {msg['message']}")
            elif kind == "start":
                # Output since the last result (the import, the build) goes with this check.
                self._running, self._crash_at = msg, _size(self.crash)
                self._deadline = time.monotonic() + float(msg["budget"]) + GRACE
            elif kind == "result":
                self._take_result(msg, self._out_at)
                self._out_at = int(msg.get("out", self._out_at))
                self._running = None
                self._deadline = time.monotonic() + self._bound
            elif kind == "exit":
                self._exit_note = msg
            elif kind in ("done", "retire"):
                return True
        return False

    # -- what the child said --------------------------------------------------------------

    def _take_plan(self, msg: dict[str, Any]) -> None:
        checks = [(str(c), str(i)) for c, i in msg["checks"]]
        if self.plan is None:
            self.plan = checks
            self.run_state.target = str(msg["target"])
            self.run_state.contracts = [str(c) for c in msg["contracts"]]
        elif checks != self.plan:
            raise RuntimeError("a fresh child planned different checks for the same job")

    def _take_result(self, msg: dict[str, Any], out_at: int) -> None:
        data = dict(msg["result"])
        data["output"] = self._captured(out_at, int(msg.get("out", out_at)))
        self._append(CheckResult(**data))

    def _append(self, result: CheckResult) -> None:
        self.run_state.results.append(result)
        if self.callback is not None and self.plan is not None:
            self.callback(result, len(self.run_state.results), len(self.plan))

    def _record_abort(self, index: int, why: str, out_at: int | None = None) -> None:
        assert self.plan is not None
        from ._registry import check_info

        contract, check_id = self.plan[index]
        info = check_info(check_id)
        output = self._captured(out_at, _size(self.output)) if out_at is not None else ""
        self._append(
            CheckResult(
                check_id,
                contract,
                info.severity,
                "error",
                why,
                None,
                timing=info.timing,
                output=output,
                aborted=True,
            )
        )

    # -- why a child ended -------------------------------------------------------------------

    def _hang(self, child: _Child) -> str:
        running, crash_at, bound = self._running, self._crash_at, self._bound
        # The worker dumps every thread's stack on SIGCONT (and on SIGUSR1): SIGCONT first,
        # because a stopped target handles nothing else until continued, and the thread it
        # lands in (a check thread) dumps before the stopped call can return.
        for dump in (signal.SIGCONT, signal.SIGUSR1):
            before = _size(self.crash)
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, dump)
            end = time.monotonic() + 0.3
            while _size(self.crash) == before and time.monotonic() < end:
                time.sleep(0.02)
            if _size(self.crash) != before:
                time.sleep(0.05)  # let the dump finish
                break
        member = dumped_member(_read_from(self.crash, crash_at), prefer_current=False)
        where = located(member, inside=True)
        waited = float(running["budget"]) + GRACE if running is not None else bound
        return f"no progress for {waited:g} s{where}; the kit killed the target's process"

    def _death(self, code: int | None) -> str:
        note, crash_at = self._exit_note, self._crash_at
        if note is not None:
            member = note.get("member")
            return f"the target called {note['how']}{located(member)}"
        if code is not None and code < 0:
            number = -code
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = "an unknown signal"
            member = dumped_member(_read_from(self.crash, crash_at), prefer_current=True)
            where = located(member)
            return f"the target's process was killed by signal {number} ({name}){where}"
        return f"the target's process exited with code {code} without reporting"

    def _captured(self, start: int | None, end: int) -> str:
        if start is None or end <= start:
            return ""
        return _truncate(_read_range(self.output, start, end))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_from(path: Path, start: int) -> str:
    return _read_range(path, start, _size(path))


def _read_range(path: Path, start: int, end: int) -> str:
    try:
        with open(path, "rb") as f:
            size = end - start
            if size > 2 * OUTPUT_LIMIT:
                f.seek(start)
                head = f.read(OUTPUT_LIMIT)
                f.seek(end - OUTPUT_LIMIT)
                tail = f.read(OUTPUT_LIMIT)
                omitted = size - 2 * OUTPUT_LIMIT
                return (
                    head.decode(errors="replace")
                    + f"\n... ({omitted} bytes omitted) ...\n"
                    + tail.decode(errors="replace")
                )
            f.seek(start)
            return f.read(size).decode(errors="replace")
    except OSError:
        return ""


def _truncate(text: str) -> str:
    if len(text) <= OUTPUT_LIMIT:
        return text
    half = OUTPUT_LIMIT // 2
    return f"{text[:half]}\n... ({len(text) - 2 * half} characters omitted) ...\n{text[-half:]}"
