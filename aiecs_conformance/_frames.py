"""Which member of the target was running: found from live frames, tracebacks or a dump.

A frame is the kit's own when its file is in the standard library, hypothesis, pytest or
`aiecs_conformance`; the *member being called* is the outermost frame that is not, i.e. the
first function of the target's code entered from the kit ("add_to_cache").
"""

from __future__ import annotations

import os
import re
import sys
import sysconfig
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType, TracebackType

__all__ = [
    "dumped_member",
    "frame_member",
    "is_kit_file",
    "located",
    "threads_member",
    "traceback_member",
]

TOP_LEVEL = "the module's top level"


def located(member: str | None, inside: bool = False) -> str:
    """`` in add_to_cache`` / `` at the module's top level`` / ``""``, to follow a verb."""
    if member is None:
        return ""
    if member == TOP_LEVEL:
        return f" at {member}"
    return f" {'inside' if inside else 'in'} {member}"


def _roots() -> tuple[str, ...]:
    import hypothesis

    found = {
        str(Path(__file__).resolve().parent),
        str(Path(hypothesis.__file__).resolve().parent),
    }
    for key in ("stdlib", "platstdlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            found.add(str(Path(path).resolve()))
    for name in ("_pytest", "pluggy", "pytest", "rich", "sortedcontainers", "attr"):
        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        if isinstance(file, str):
            found.add(str(Path(file).resolve().parent))
    return tuple(sorted(r + os.sep for r in found))


_ROOTS = _roots()
_SITE = ("site-packages" + os.sep, "dist-packages" + os.sep)


def is_kit_file(filename: str) -> bool:
    """True for a file of the kit, its dependencies or the standard library."""
    if filename.startswith("<"):  # <frozen importlib._bootstrap>, <string>
        return True
    try:
        resolved = str(Path(filename).resolve())
    except (OSError, ValueError):
        resolved = filename
    return resolved.startswith(_ROOTS)


def _name(code_name: str, outer: str | None) -> str:
    if code_name == "<module>":
        return TOP_LEVEL
    if outer in ("build", "_context", "detect"):
        return f"the factory ({code_name})"
    return code_name


def _pick(frames: Iterable[tuple[str, str]]) -> str | None:
    """``frames``: (filename, function) outermost first; the first non-kit one, named."""
    outer: str | None = None
    for filename, function in frames:
        if not is_kit_file(filename):
            return _name(function, outer)
        outer = function
    return None


def _stack(frame: FrameType | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    while frame is not None:
        out.append((frame.f_code.co_filename, frame.f_code.co_name))
        frame = frame.f_back
    out.reverse()
    return out


def frame_member(frame: FrameType | None) -> str | None:
    """The member being called at ``frame`` (walking outwards to the kit)."""
    return _pick(_stack(frame))


def traceback_member(tb: TracebackType | None) -> str | None:
    """The member an exception with traceback ``tb`` escaped from."""
    frames: list[tuple[str, str]] = []
    while tb is not None:
        frames.append((tb.tb_frame.f_code.co_filename, tb.tb_frame.f_code.co_name))
        tb = tb.tb_next
    # A traceback starts where it was caught; the frames above it are the kit's callers.
    return _pick(frames)


def threads_member(skip: Iterable[int] = ()) -> str | None:
    """The member some thread (other than ``skip``) is inside, preferring the kit's threads."""
    import threading

    names = {t.ident: t.name for t in threading.enumerate()}
    excluded = set(skip)
    found: list[tuple[bool, str]] = []
    for ident, frame in sys._current_frames().items():  # pyright: ignore[reportPrivateUsage]
        if ident in excluded:
            continue
        member = frame_member(frame)
        if member is not None:
            found.append((not names.get(ident, "").startswith("aiecs"), member))
    return min(found)[1] if found else None


_FILE_LINE = re.compile(r'^\s+File "(?P<file>.*)", line \d+ in (?P<func>\S+)')


def _dump_threads(text: str) -> Iterator[tuple[bool, list[tuple[str, str]]]]:
    current = False
    frames: list[tuple[str, str]] = []
    started = False
    for line in text.splitlines():
        if line.startswith(("Current thread", "Thread ")):
            if started:
                yield current, list(reversed(frames))
            current, frames, started = line.startswith("Current thread"), [], True
            continue
        match = _FILE_LINE.match(line)
        if match:
            frames.append((match["file"], match["func"]))
    if started:
        yield current, list(reversed(frames))


def dumped_member(text: str, *, prefer_current: bool) -> str | None:
    """The member named by a `faulthandler` dump (its last one, most recent call first)."""
    picks: list[tuple[int, str]] = []
    for current, frames in _dump_threads(text):
        member = _pick(frames)
        if member is not None:
            kit_thread = any(f == "_bootstrap" for _, f in frames)
            rank = 0 if (current and prefer_current) else (1 if kit_thread else 2)
            picks.append((rank, member))
    return min(picks)[1] if picks else None
