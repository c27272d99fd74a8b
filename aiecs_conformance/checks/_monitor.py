"""monitor.*: the seed's ``InterfaceMonitor`` report: shape, counts, threads, snapshots.

Records are generated sequences of ``(interface, method, success)`` with names without
dots (from a small generated pool, so keys repeat) and ``bool`` successes; expected
reports are computed from the records alone.
"""

from __future__ import annotations

import copy
import math
import sys
import threading
import time
from collections import Counter
from typing import Any

from hypothesis import strategies as st

from .._context import CheckFailure, Context, first_line, short
from ..strategies import identifiers
from . import implements
from ._ext_probes import as_dict

_USES = ("record_interface_usage", "get_usage_report")
_KEYS = frozenset(
    {"total_usage", "total_errors", "error_rate", "usage_by_interface", "errors_by_interface"}
)
Record = tuple[str, str, bool]


@st.composite
def _records(draw: st.DrawFn, max_size: int = 30) -> list[Record]:
    interfaces = draw(st.lists(identifiers(), min_size=1, max_size=3, unique=True))
    methods = draw(st.lists(identifiers(), min_size=1, max_size=3, unique=True))
    return draw(
        st.lists(
            st.tuples(st.sampled_from(interfaces), st.sampled_from(methods), st.booleans()),
            max_size=max_size,
        )
    )


def _record(monitor: Any, records: list[Record]) -> None:
    for interface, method, success in records:
        monitor.record_interface_usage(interface, method, success)


def _report(monitor: Any) -> dict[str, Any]:
    try:
        report = monitor.get_usage_report()
    except Exception as exc:
        raise CheckFailure(f"get_usage_report() raised {first_line(exc)}") from exc
    if not isinstance(report, dict):
        raise CheckFailure(f"get_usage_report() returned {short(report, 80)}; expected a dict")
    return report  # pyright: ignore[reportUnknownVariableType]


def _calls(records: list[Record]) -> str:
    shown = "; ".join(f"record_interface_usage({i!r}, {m!r}, {s})" for i, m, s in records[:8])
    return shown + (f"; ... ({len(records)} records)" if len(records) > 8 else "")


def _expected(records: list[Record]) -> dict[str, Any]:
    usage = Counter(f"{i}.{m}" for i, m, _ in records)
    errors = Counter(f"{i}.{m}" for i, m, s in records if not s)
    total, failed = len(records), sum(errors.values())
    return {
        "total_usage": total,
        "total_errors": failed,
        "error_rate": failed / total if total else 0,
        "usage_by_interface": dict(usage),
        "errors_by_interface": dict(errors),
    }


def _differences(report: dict[str, Any], want: dict[str, Any], *, rate: bool = True) -> str | None:
    """How ``report`` disagrees with the expected counts (and rate), or ``None``."""
    for key in ("total_usage", "total_errors"):
        if report.get(key) != want[key] or isinstance(report.get(key), bool):
            return f"{key} is {short(report.get(key), 40)}, expected {want[key]}"
    got_rate = report.get("error_rate")
    if rate and (
        not isinstance(got_rate, int | float)
        or isinstance(got_rate, bool)
        or not math.isclose(got_rate, want["error_rate"], rel_tol=1e-9, abs_tol=1e-12)
    ):
        return f"error_rate is {short(got_rate, 40)}, expected {want['error_rate']!r}"
    for key in ("usage_by_interface", "errors_by_interface"):
        got = as_dict(report.get(key))
        if got is None:
            return f"{key} is {short(report.get(key), 60)}, expected a dict"
        wanted: dict[str, int] = want[key]
        for name in set(got) | set(wanted):
            have, need = got.get(name, 0), wanted.get(name, 0)
            if have != need:
                return f"{key}[{name!r}] is {short(have, 40)}, expected {need}"
    return None


@implements("monitor.report.shape", uses=_USES)
def shape(ctx: Context) -> None:
    """Exactly the five keys; the ``*_by_interface`` dicts are keyed ``"<i>.<m>"``."""

    def body(records: list[Record]) -> None:
        monitor = ctx.build()
        _record(monitor, records)
        report = _report(monitor)
        if frozenset(report) != _KEYS:
            extra, missing = sorted(set(report) - _KEYS), sorted(_KEYS - set(report))
            raise CheckFailure(
                f"get_usage_report() has keys {sorted(report)!r} (extra {extra!r}, missing "
                f"{missing!r}); expected exactly {sorted(_KEYS)!r}"
            )
        keys = {f"{i}.{m}" for i, m, _ in records}
        for name in ("usage_by_interface", "errors_by_interface"):
            value = as_dict(report[name])
            if value is None:
                raise CheckFailure(
                    f"get_usage_report()[{name!r}] is {short(report[name], 60)}; expected a dict"
                )
            strange = [k for k in value if k not in keys]
            if strange:
                raise CheckFailure(
                    f"get_usage_report()[{name!r}] has keys {short(strange, 80)}; expected the "
                    f"records' '<interface>.<method>' keys, such as {short(sorted(keys)[:2], 60)}"
                )
        missing_keys = sorted(keys - set(report["usage_by_interface"]))
        if missing_keys:
            raise CheckFailure(
                f"get_usage_report()['usage_by_interface'] lacks {short(missing_keys, 80)}, "
                f"which were recorded"
            )

    ctx.property(body, {"records": _records()}, examples=({"records": [("svc", "run", True)]},))


@implements("monitor.report.counts", uses=_USES)
def counts(ctx: Context) -> None:
    """Totals, per-key counts and ``error_rate`` match the records."""

    def body(records: list[Record]) -> None:
        monitor = ctx.build()
        _record(monitor, records)
        problem = _differences(_report(monitor), _expected(records))
        if problem:
            raise CheckFailure(f"after {len(records)} records: {problem}", _calls(records))

    ctx.property(
        body,
        {"records": _records()},
        examples=({"records": []}, {"records": [("a", "b", False)]},
                  {"records": [("a", "b", True), ("a", "c", False), ("a", "b", False)]}),
    )  # fmt: skip


def _threads(monitor: Any, parts: list[list[Record]], timeout: float) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(parts))

    def worker(part: list[Record]) -> None:
        try:
            start.wait(timeout=timeout)
            _record(monitor, part)
        except BaseException as exc:
            errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: a lost update shows at once
    try:
        pool = [threading.Thread(target=worker, args=(p,), daemon=True) for p in parts]
        for t in pool:
            t.start()
        for t in pool:
            t.join(timeout * 4)
    finally:
        sys.setswitchinterval(interval)
    return errors


_SWEEP, _ROUNDS = 900, 4
_WRITERS = 4


@implements("monitor.threads", uses=_USES, budget=2.0)
def threads(ctx: Context) -> None:
    """8 threads recording concurrently lose no count."""

    def body(records: list[Record], repeat: int) -> None:
        # All threads also sweep the same new keys in step: a key's first record is where
        # an unlocked defaultdict/Counter (or a check-then-insert) loses updates. Rounds on
        # fresh monitors keep each one under 1,000 keys (a bounded monitor may fold more).
        interface, method, _ = records[0]
        sweep = [(interface, f"{method}{j}", j % 4 != 0) for j in range(_SWEEP)]
        for _ in range(_ROUNDS):
            monitor = ctx.build()
            parts = [sweep + records * (repeat // _ROUNDS) for _ in range(8)]
            errors = _threads(monitor, parts, ctx.timeout)
            if errors:
                raise CheckFailure(
                    f"record_interface_usage raised {first_line(errors[0])} under 8 threads"
                )
            everything = [r for p in parts for r in p]
            # Counts only: how error_rate is computed is monitor.report.counts' business.
            problem = _differences(_report(monitor), _expected(everything), rate=False)
            if problem:
                raise CheckFailure(
                    f"after 8 threads each made {len(parts[0])} records: {problem} (a lost "
                    f"update: guard the counters with a lock)",
                    _calls(records),
                )

    ctx.property(
        body,
        {"records": _records(max_size=6).filter(bool), "repeat": st.integers(300, 600)},
        max_examples=3,
        examples=({"records": [("svc", "run", True), ("svc", "run", False)], "repeat": 1000},),
    )


@implements("monitor.isolation", uses=_USES)
def isolation(ctx: Context) -> None:
    """A report is a snapshot: changing it changes nothing; later records leave it alone."""

    def body(records: list[Record], later: list[Record]) -> None:
        monitor = ctx.build()
        _record(monitor, records)
        changed = _report(monitor)
        kept = _report(monitor)
        frozen = copy.deepcopy(kept)
        fresh = copy.deepcopy(_report(monitor))
        for name in ("usage_by_interface", "errors_by_interface"):
            inner = as_dict(changed.get(name))
            if inner is not None:
                for key in list(inner):
                    inner[key] = 10_000
                inner["intruder.key"] = 7
        changed["total_usage"] = -1
        changed.pop("total_errors", None)
        after = _report(monitor)
        if after != fresh:
            problem = f"it was {short(fresh, 120)}, now {short(after, 120)}"
            raise CheckFailure(
                f"after changing a returned report, a new report differs: {problem}; return "
                f"copies (the nested dicts too), not the monitor's own state",
                _calls(records),
            )
        _record(monitor, later)
        if kept != frozen:
            raise CheckFailure(
                f"a report taken earlier changed when {len(later)} more records were made: it "
                f"was {short(frozen, 120)}, now {short(kept, 120)}; a report must be a snapshot",
                _calls(records + later),
            )

    ctx.property(
        body,
        {"records": _records(), "later": _records(max_size=5).filter(bool)},
        examples=({"records": [("a", "b", False)], "later": [("a", "b", False)]},),
    )


@implements("monitor.report.consistent", uses=_USES, budget=2.0)
def consistent(ctx: Context) -> None:
    """A report taken while threads record agrees with itself (totals = sums)."""

    def body(records: list[Record]) -> None:
        monitor = ctx.build()
        stop = threading.Event()
        errors: list[BaseException] = []

        def writer() -> None:
            try:
                while not stop.is_set():
                    _record(monitor, records)
            except BaseException as exc:
                errors.append(exc)

        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)
        pool = [threading.Thread(target=writer, daemon=True) for _ in range(_WRITERS)]
        problem: str | None = None
        try:
            for t in pool:
                t.start()
            deadline, taken = time.perf_counter() + 0.6, 0
            while problem is None and (time.perf_counter() < deadline or taken < 200):
                report = _report(monitor)
                if taken % 256 == 255:
                    time.sleep(0.0002)  # let writers run: a live or lazy report drifts
                problem = _torn(report)
                taken += 1
                if taken > 20_000:
                    break
        finally:
            stop.set()
            for t in pool:
                t.join(ctx.timeout)
            sys.setswitchinterval(interval)
        if errors:
            raise CheckFailure(
                f"record_interface_usage raised {first_line(errors[0])} under threads"
            )
        if problem:
            raise CheckFailure(
                f"a report taken while 4 threads recorded is torn: {problem}; build the report "
                f"under the same lock as the records"
            )

    ctx.property(
        body,
        {"records": _records(max_size=6).filter(bool)},
        max_examples=2,
        examples=({"records": [("svc", "run", True), ("svc", "stop", False)]},),
    )


def _torn(report: dict[str, Any]) -> str | None:
    usage, errors = (
        as_dict(report.get("usage_by_interface")),
        as_dict(report.get("errors_by_interface")),
    )
    if usage is None or errors is None:
        return None  # monitor.report.shape reports that
    try:
        used, failed = sum(usage.values()), sum(errors.values())
    except TypeError:
        return None  # monitor.report.counts reports non-numeric counts
    total, total_errors = report.get("total_usage"), report.get("total_errors")
    if total != used:
        return f"total_usage is {total!r} but usage_by_interface sums to {used}"
    if total_errors != failed:
        return f"total_errors is {total_errors!r} but errors_by_interface sums to {failed}"
    if not isinstance(total, int) or not isinstance(total_errors, int) or total_errors > total:
        return f"total_errors {total_errors!r} exceeds total_usage {total!r}"
    return None
