"""version.*: ``get_version()`` is a release string equal to ``version``, and it is stable.

A release string is two or more dot-separated non-negative integers without leading
zeros: ``"1.5.0"`` and ``"2.10"``, not ``"v1.5"``, ``"1.5.0-beta"``, ``"01.2"`` or ``"1"``.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from hypothesis import strategies as st

from .._context import CheckFailure, Context, first_line, short
from . import implements

_USES = ("get_version",)
_RELEASE = re.compile(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+")


def _version(target: Any, how: str) -> Any:
    try:
        return target.get_version()
    except Exception as exc:
        raise CheckFailure(f"get_version() raised {first_line(exc)} ({how})") from exc


@implements("version.format", uses=_USES)
def release_format(ctx: Context) -> None:
    """``get_version()`` is a release string and equals the ``version`` attribute."""

    def body(reads: list[str]) -> None:
        target = ctx.build()
        for n, what in enumerate(reads, 1):
            got = _version(target, f"read {n}") if what == "get" else None
            if what == "attr":
                got = getattr(target, "version", None)
            if not isinstance(got, str) or _RELEASE.fullmatch(got) is None:
                source = "get_version()" if what == "get" else "the version attribute"
                raise CheckFailure(
                    f"{source} is {short(got, 60)}; expected a release string of at least two "
                    f"dot-separated non-negative integers without leading zeros, such as "
                    f"'1.5.0' or '2.10' (not 'v1.5', '1.5.0-beta', '01.2')"
                )
        version = _version(target, "after the reads")
        attribute = getattr(target, "version", None)
        if version != attribute or type(attribute) is not str:
            raise CheckFailure(
                f"get_version() returned {version!r} but the version attribute is "
                f"{short(attribute, 60)}; they must be equal"
            )

    ctx.property(
        body,
        {"reads": st.lists(st.sampled_from(["get", "attr"]), min_size=1, max_size=4)},
        max_examples=max(5, ctx.max_examples // 3),
        examples=({"reads": ["get"]}, {"reads": ["attr", "get"]}),
    )


@implements("version.stable", uses=_USES)
def stable(ctx: Context) -> None:
    """Repeated calls return the same value, from any thread."""

    def body(threads: int, calls: int) -> None:
        target = ctx.build()
        first = _version(target, "first call")
        seen: list[object] = []
        errors: list[BaseException] = []
        start = threading.Barrier(threads)

        def worker() -> None:
            try:
                start.wait(timeout=ctx.timeout)
                seen.extend(target.get_version() for _ in range(calls))
            except BaseException as exc:
                errors.append(exc)

        pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(ctx.timeout)
        if errors:
            raise CheckFailure(
                f"get_version() raised {first_line(errors[0])} from {threads} threads"
            )
        other = next((v for v in seen if v != first or type(v) is not type(first)), None)
        if other is not None:
            raise CheckFailure(
                f"get_version() returned {short(first, 40)} and later {short(other, 40)} "
                f"({threads} threads x {calls} calls); it must return the same value every time"
            )
        again = _version(target, "after the threads")
        if again != first:
            raise CheckFailure(f"get_version() returned {first!r}, then {again!r}")

    ctx.property(
        body,
        {"threads": st.integers(1, 8), "calls": st.integers(1, 200)},
        max_examples=max(5, ctx.max_examples // 3),
        examples=({"threads": 8, "calls": 200},),
    )
