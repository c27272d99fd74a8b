"""A warm template process that forks a fresh worker for each child the supervisor asks for.

Starting an interpreter and importing hypothesis and the kit takes seconds on a loaded
machine; forking a process that has already done it takes milliseconds. A zygote is
started once per ``PYTHONHASHSEED`` (the hash seed is fixed when an interpreter starts,
and forked children keep it), is single-threaded so forking it is safe, and imports only
the kit, never a target: every worker imports the target afresh.

Protocol (JSON lines): the supervisor writes ``{"id", "job", "fifo", "crash", "out", "cwd",
"env"}`` on the zygote's stdin; the zygote answers ``{"id", "pid"}`` on its stdout once the
worker is forked and ``{"exit": pid, "code": n}`` when it ends (``code`` as
`subprocess.Popen.returncode`: negative for a signal). EOF on stdin ends the zygote.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

__all__ = ["ChildStartError", "Zygote", "warm_hash_seed", "zygote_for"]

_STDERR_TAIL = 600
"""Characters of a failed zygote's stderr quoted in `ChildStartError`."""


class ChildStartError(RuntimeError):
    """The kit's child interpreter could not start (a broken environment, not the target)."""


def _kit_root() -> str:
    return str(Path(__file__).resolve().parent.parent)


def _zygote_env(hash_seed: str) -> dict[str, str]:
    """The zygote's environment: the seed's hash seed, and a path that finds the kit itself.

    ``PYTHONSAFEPATH`` keeps the current directory off ``sys.path``: a file named like one
    of the kit's imports there (``hypothesis.py``) must not break every child. The kit's own
    root is put on ``PYTHONPATH`` instead when it is not an installed location, so a kit
    run from a source tree still imports.
    """
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = hash_seed
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONSAFEPATH"] = "1"
    env.pop("PYTHONSTARTUP", None)
    root = _kit_root()
    installed = {
        str(Path(p).resolve())
        for p in (sysconfig.get_paths().get(k) for k in ("purelib", "platlib"))
        if p
    }
    if root not in installed:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _tail(stream: IO[bytes]) -> str:
    """The last lines a failed zygote wrote to its stderr, as one line."""
    try:
        stream.seek(0)
        text = stream.read().decode(errors="replace")
    except (OSError, ValueError):
        return ""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    last = lines[-1]
    return last if len(last) <= _STDERR_TAIL else last[: _STDERR_TAIL - 3] + "..."


class Zygote:
    """The supervisor's handle on one zygote process."""

    def __init__(self, hash_seed: str) -> None:
        self.hash_seed = hash_seed
        # A file, not a pipe: nobody reads it unless the zygote fails, and then its last
        # line (an ImportError, say) is what the user needs to see.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "aiecs_conformance._zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=_zygote_env(hash_seed),
            start_new_session=True,
        )
        self._lock = threading.Condition()
        self._pids: dict[str, int] = {}
        self._codes: dict[int, int] = {}
        self._alive = True
        self._counter = 0
        self._reader = threading.Thread(target=self._read, name="aiecs-zygote", daemon=True)
        self._reader.start()

    @property
    def alive(self) -> bool:
        """False once the zygote process has ended."""
        return self._alive and self.proc.poll() is None

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with contextlib.suppress(ValueError):
                msg: dict[str, Any] = json.loads(line)
                with self._lock:
                    if "pid" in msg:
                        self._pids[str(msg["id"])] = int(msg["pid"])
                    elif "exit" in msg:
                        self._codes[int(msg["exit"])] = int(msg["code"])
                    self._lock.notify_all()
        with self._lock:
            self._alive = False
            self._lock.notify_all()

    def fork(self, request: dict[str, Any], timeout: float) -> int:
        """Fork a worker for ``request``; return its pid (raise ``RuntimeError`` if none)."""
        with self._lock:
            self._counter += 1
            key = str(self._counter)
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps({**request, "id": key}) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise self._failed("is gone") from exc
        end = time.monotonic() + timeout
        with self._lock:
            while key not in self._pids:
                left = end - time.monotonic()
                if not self._alive:
                    raise self._failed("ended before it forked a worker")
                if left <= 0:
                    raise self._failed(f"did not fork a worker within {timeout:g} s")
                self._lock.wait(left)
            return self._pids.pop(key)

    def _failed(self, what: str) -> ChildStartError:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=1.0)  # let it finish writing its stderr
        code = self.proc.poll()
        said = _tail(self._stderr)
        status = "" if code is None else f" (exit code {code})"
        detail = f": {said}" if said else " and wrote nothing on stderr"
        return ChildStartError(
            f"the kit's child interpreter ({sys.executable} -m aiecs_conformance._zygote) "
            f"{what}{status}{detail}; check the environment it inherits (PYTHONPATH, the "
            f"installed packages)"
        )

    def returncode(self, pid: int) -> int | None:
        """The worker's exit code once it has ended, else ``None``."""
        with self._lock:
            return self._codes.get(pid)

    def wait(self, pid: int, timeout: float) -> int | None:
        """Wait up to ``timeout`` seconds for the worker to end; its code or ``None``."""
        end = time.monotonic() + timeout
        with self._lock:
            while pid not in self._codes:
                left = end - time.monotonic()
                if left <= 0 or not self._alive:
                    return self._codes.get(pid)
                self._lock.wait(left)
            return self._codes.pop(pid)

    def close(self) -> None:
        """End the zygote (its running workers are killed by their supervisors)."""
        with contextlib.suppress(OSError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()


_ZYGOTES: dict[str, Zygote] = {}
_KEEP = 3  # zygotes kept warm (one per recent seed)
_GUARD = threading.Lock()


def warm_hash_seed() -> str | None:
    """The hash seed of the most recently used live zygote, if any."""
    with _GUARD:
        live = [z.hash_seed for z in _ZYGOTES.values() if z.alive]
        return live[-1] if live else None


def zygote_for(hash_seed: str) -> Zygote:
    """A live zygote with ``hash_seed`` (started on first use, the oldest retired)."""
    with _GUARD:
        found = _ZYGOTES.pop(hash_seed, None)
        if found is None or not found.alive:
            found = Zygote(hash_seed)
        _ZYGOTES[hash_seed] = found  # most recent last
        while len(_ZYGOTES) > _KEEP:
            oldest = next(iter(_ZYGOTES))
            _ZYGOTES.pop(oldest).close()
        return found


# -- inside the zygote ----------------------------------------------------------------------


def _report(**message: Any) -> None:
    os.write(1, (json.dumps(message) + "\n").encode())


def _become_worker(request: dict[str, Any]) -> None:
    """In the forked child: become the worker the request describes; never returns."""
    try:
        os.setsid()  # its own group: the supervisor kills it with whatever it started
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        out = os.open(request["out"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(out)
        for stream in (sys.stdout, sys.stderr):
            # Printing what the kit passed (a lone surrogate) must not fail the target's
            # call: the capture file takes any text.
            with contextlib.suppress(AttributeError, ValueError):
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        hash_seed = os.environ.get("PYTHONHASHSEED")
        os.environ.clear()
        os.environ.update(request["env"])
        if hash_seed is not None:
            os.environ["PYTHONHASHSEED"] = hash_seed
        channel = os.open(request["fifo"], os.O_WRONLY)
        from ._worker import run_job

        run_job(request["job"], channel, request["crash"], request["fifo"])
    finally:
        os._exit(70)  # only reached if the worker itself could not start


def _warm_hypothesis() -> None:
    """Build hypothesis's unicode tables once here, not in every worker (seconds, cold)."""
    with contextlib.suppress(Exception):
        from hypothesis.internal import charmap

        charmap.charmap()
        charmap.categories()
        charmap.query(categories=("L", "N"))


def _serve() -> None:
    from .checks import load_all

    load_all()  # the kit, hypothesis and the strategies: what makes a cold start slow
    _warm_hypothesis()
    import importlib

    for name in ("aiecs_conformance._runner", "aiecs_conformance._worker"):
        importlib.import_module(name)  # forked workers start with these loaded
    buffer: bytes = b""
    children: set[int] = set()
    while True:
        ready, _, _ = select.select([0], [], [], 0.05)
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()
                break
            if pid == 0:
                break
            children.discard(pid)
            _report(exit=pid, code=_code(status))
        if not ready:
            continue
        chunk = os.read(0, 1 << 16)
        if not chunk:
            return
        lines, buffer = _split_lines(buffer + chunk)
        for line in lines:
            request: dict[str, Any] = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _become_worker(request)
            children.add(pid)
            _report(id=request["id"], pid=pid)


def _split_lines(data: bytes) -> tuple[list[bytes], bytes]:
    """Complete lines, and the incomplete rest."""
    *lines, rest = data.split(b"\n")
    return lines, rest


def _code(status: int) -> int:
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1


if __name__ == "__main__":
    _serve()
    os._exit(0)
