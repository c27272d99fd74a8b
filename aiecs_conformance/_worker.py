"""The child process that runs the target: ``python -m aiecs_conformance._worker JOB FD``.

The supervisor (`_supervisor`) starts it with stdout and stderr already pointing at a
capture file, ``PYTHONHASHSEED`` derived from the seed, and a pipe on file descriptor FD.
The child reports on that pipe only, one JSON object a line:

- ``{"t": "plan", "target": ..., "contracts": [...], "checks": [[contract, id], ...]}``
  once the target is imported and built, or ``{"t": "target_error", "message": ...}``;
- ``{"t": "start", "i": N, "budget": s, "out": offset}`` before check N and
  ``{"t": "result", "i": N, "result": {...}, "out": offset}`` after it;
- ``{"t": "exit", "how": "os._exit(0)", "member": ...}`` when the target calls ``os._exit``;
- ``{"t": "retire"}`` when a check left the target hung (the supervisor starts a fresh child
  for the rest) and ``{"t": "done"}`` at the end.

The child then ends itself with ``os._exit`` so target threads and atexit hooks cannot hang
it. Fatal signals and the supervisor's SIGUSR1 write every thread's stack to the crash file
(`faulthandler`), so the supervisor can name the member that was running.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import random
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, NoReturn

from ._options import RunOptions

__all__ = ["decode_options", "encode_options", "main"]


def encode_options(options: RunOptions) -> dict[str, Any]:
    """`RunOptions` as JSON-able data (the inverse of `decode_options`)."""
    return {
        "seed": options.seed,
        "max_examples": options.max_examples,
        "derandomize": options.derandomize,
        "profile": options.profile,
        "timeout": options.timeout,
        "skip": list(options.skip),
        "xfail": dict(options.xfail),
        "kit_level": options.kit_level,
        "only": None if options.only is None else sorted(options.only),
        "isolate": options.isolate,
    }


def decode_options(data: dict[str, Any]) -> RunOptions:
    """Rebuild the `RunOptions` the supervisor encoded."""
    only = data["only"]
    return RunOptions(
        seed=int(data["seed"]),
        max_examples=int(data["max_examples"]),
        derandomize=bool(data["derandomize"]),
        profile=str(data["profile"]),
        timeout=float(data["timeout"]),
        skip=tuple(str(i) for i in data["skip"]),
        xfail={str(k): str(v) for k, v in data["xfail"].items()},
        kit_level=None if data["kit_level"] is None else str(data["kit_level"]),
        only=None if only is None else frozenset(str(i) for i in only),
        isolate=bool(data["isolate"]),
    )


_dumps = json.dumps  # bound when the zygote imports the kit: a target may patch json


def _identity(fd: int) -> tuple[int, int] | None:
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class _Channel:
    """The result pipe: one JSON object a line, written whole.

    A target may close every fd it did not open (``os.closerange(3, 1000)``) and then open
    files that reuse the numbers; before each message the channel checks that its fd is
    still the FIFO and reopens the FIFO by its path when it is not (the supervisor holds
    the read end, so the open never blocks).
    """

    def __init__(self, fd: int, path: str | None = None) -> None:
        self.fd = fd
        self.path = path
        self._id = _identity(fd)
        self.pid = os.getpid()

    @property
    def ours(self) -> bool:
        """False in a process the target forked: only the worker itself reports."""
        return os.getpid() == self.pid

    def _check(self) -> None:
        if self.path is None or (self._id is not None and _identity(self.fd) == self._id):
            return
        self.fd = os.open(self.path, os.O_WRONLY)
        self._id = _identity(self.fd)

    def send(self, **message: Any) -> None:
        if not self.ours:  # a forked copy still running the kit's code must not speak
            return
        self._check()
        data = (_dumps(message, default=str) + "\n").encode()
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]


class _CrashFile:
    """Where faulthandler writes stack dumps; re-armed if the target closed its fd."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.file = open(path, "ab", buffering=0)  # noqa: SIM115 - kept open for faulthandler
        self._id = _identity(self.file.fileno())
        self._arm()

    def _arm(self) -> None:
        faulthandler.enable(self.file, all_threads=True)
        faulthandler.register(signal.SIGUSR1, file=self.file, all_threads=True)
        # The supervisor's first request for a dump: it also wakes a stopped target.
        faulthandler.register(signal.SIGCONT, file=self.file, all_threads=True)
        from ._runner import FATAL_SIGNALS

        for fatal in FATAL_SIGNALS:
            # Dump, then die of it as before (chain), so the death names the member; a
            # handler the target installed itself is left alone.
            if signal.getsignal(fatal) in (signal.SIG_DFL, None):
                faulthandler.register(fatal, file=self.file, all_threads=True, chain=True)

    def check(self) -> None:
        """Reopen and re-arm when the fd no longer is the crash file."""
        if _identity(self.file.fileno()) == self._id:
            return
        self.file = open(self.path, "ab", buffering=0)  # noqa: SIM115 - the old fd is gone
        self._id = _identity(self.file.fileno())
        self._arm()

    def dump(self) -> None:
        self.check()
        faulthandler.dump_traceback(self.file, all_threads=True)


def _offset() -> int:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # the target may have closed or replaced them
            stream.flush()
    try:
        return os.fstat(1).st_size
    except OSError:
        return 0


def _hook_exit(channel: _Channel) -> None:
    """Report ``os._exit`` calls (with the member that made them) before they happen."""
    from ._frames import frame_member, threads_member

    real: Callable[[int], NoReturn] = os._exit

    def _exit(status: int) -> NoReturn:
        if not channel.ours:  # a child the target forked (multiprocessing ends so): let it go
            real(status)
        member = frame_member(sys._getframe(1))  # pyright: ignore[reportPrivateUsage]
        if member is None:  # called from a thread the target started: what the check is in
            member = threads_member(skip=(threading.get_ident(),))
        try:
            channel.send(t="exit", how=f"os._exit({status!r})", member=member)
        finally:
            real(status)

    os._exit = _exit


def _describe(exc: BaseException, phase: str) -> str:
    from ._context import first_line
    from ._frames import located, traceback_member

    member = traceback_member(exc.__traceback__)
    what = (
        f"called sys.exit({exc.code!r})"
        if isinstance(exc, SystemExit)
        else f"raised {first_line(exc)}"
    )
    where = located(member)
    return f"the target {what}{where} while {phase}, before any check ran"


def main(argv: list[str] | None = None) -> int:
    """``python -m aiecs_conformance._worker JOB FD CRASH``: run one job, then exit."""
    job_path, fd_text, crash_path = sys.argv[1:] if argv is None else argv
    run_job(job_path, int(fd_text), crash_path)
    return 0  # pragma: no cover - run_job ends the process


def run_job(job_path: str, fd: int, crash_path: str, fifo_path: str | None = None) -> NoReturn:
    """Run the job the supervisor wrote; report on ``fd``; end with ``os._exit``.

    ``fifo_path`` is the FIFO behind ``fd``, reopened if the target closes ``fd``.
    """
    channel = _Channel(fd, fifo_path)
    crash = _CrashFile(crash_path)
    from . import _runner  # pyright: ignore[reportPrivateUsage]

    _runner.ON_HANG = crash.dump
    real_exit = os._exit
    try:
        with open(job_path, encoding="utf-8") as f:
            job: dict[str, Any] = json.load(f)
        _serve(job, channel, crash)
    except BaseException as exc:  # never let the kit's own failure look like a pass
        from ._context import first_line

        with contextlib.suppress(OSError):
            channel.send(t="internal_error", message=first_line(exc))
    _offset()
    real_exit(0)


def _serve(job: dict[str, Any], channel: _Channel, crash: _CrashFile) -> None:
    from ._contracts import contract_named
    from ._runner import ROUTED_SIGNALS, check_budget, detect, plan, run_planned
    from ._target import TargetError, load_target
    from .checks import load_all

    implementations = load_all()  # before the target: its import must not patch the kit
    options = decode_options(job["options"])
    for path in reversed(job["sys_path"]):
        if path not in sys.path:
            sys.path.insert(0, path)
    _hook_exit(channel)
    _seed(options.seed)
    phase = "being imported"
    try:
        loaded = load_target(job["target"])
        phase = "being built"
        wanted = job["contracts"]
        names = wanted if wanted is not None else detect(loaded)
        planned = plan(loaded, [contract_named(n).name for n in names], options)
    except TargetError as exc:
        channel.send(t="target_error", message=str(exc))
        return
    except BaseException as exc:
        channel.send(t="target_error", message=_describe(exc, phase))
        return
    channel.send(
        t="plan",
        target=job.get("display") or loaded.name,
        contracts=list(names),
        checks=[[ctx.contract, info.id] for ctx, info in planned],
        out=_offset(),
    )
    # From here on this thread only waits for check threads: the fatal signals and the
    # supervisor's SIGUSR1 go to a check thread instead (it unblocks them), so the dump is
    # taken by the thread that sent the signal or is stuck, before it runs on. (The import
    # and the build above ran unblocked.)
    signal.pthread_sigmask(signal.SIG_BLOCK, ROUTED_SIGNALS)
    for i, (ctx, info) in enumerate(planned):
        if i < job["start"]:
            continue
        impl = implementations[info.id]
        _seed(options.seed)
        crash.check()
        channel.send(t="start", i=i, budget=check_budget(ctx, impl), out=_offset())
        result = run_planned(ctx, info, impl, options)
        channel.send(t="result", i=i, result=_result_data(result), out=_offset())
        if result.aborted or ctx.timed_out:
            # A hung call may still be running in an abandoned thread: the next check gets
            # a fresh process rather than a target in an unknown state.
            channel.send(t="retire")
            return
    channel.send(t="done")


def _seed(seed: int) -> None:
    """The same seed, the same examples: hypothesis and `random` are seeded per check."""
    import hypothesis.core

    random.seed(seed)
    # What ``pytest --hypothesis-seed`` sets: state machines draw from it too.
    setattr(hypothesis.core, "global_force_seed", seed)  # noqa: B010


def _result_data(result: Any) -> dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(result)


if __name__ == "__main__":
    main()
