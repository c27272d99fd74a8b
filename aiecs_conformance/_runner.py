"""Running the checks: resolve the target and contracts, run each check, build the report."""

from __future__ import annotations

import dataclasses
import inspect
import random
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from hypothesis import settings as hypothesis_settings

from aiecs_contracts import MismatchKind, explain

from ._context import CheckFailure, CheckSkip, Context, TargetBuildError, first_line
from ._info import CheckInfo
from ._probes import CallLog, ProbeTool, make_tasks
from ._registry import (
    BORROWED,
    CONTRACTS,
    HARNESSES,
    KIT_VERSION,
    PROTOCOLS,
    checks_for,
    parse_level,
    resolve_contract,
    validate_ids,
)
from ._report import CheckResult, ConformanceReport, Outcome
from ._target import LoadedTarget, TargetError, load_target
from .checks import Implementation, load_all

__all__ = ["PROFILES", "ProgressCallback", "check", "harness_args"]

ProgressCallback = Callable[[CheckResult, int, int], None]

PROFILES: dict[str, dict[str, Any]] = {
    "dev": {"max_examples": 25, "derandomize": False},
    "ci": {"max_examples": 100, "derandomize": True},
}

for _name, _values in PROFILES.items():
    hypothesis_settings.register_profile(
        f"aiecs-{_name}",
        max_examples=_values["max_examples"],
        derandomize=_values["derandomize"],
        deadline=None,
        database=None,
    )


def harness_args(contract: str) -> tuple[Any, ...]:
    """Fresh harness arguments for ``contract``, following DESIGN.md's factory conventions."""
    log = CallLog()
    tools: dict[str, object] = {"t": ProbeTool("t", log), "other": ProbeTool("other", log)}
    given = {"tools": tools, "tasks": make_tasks(log)}
    return tuple(given[name] for name in HARNESSES[contract])


def check(
    target: object,
    contract: str | type | None = None,
    *,
    max_examples: int | None = None,
    seed: int | None = None,
    skip: Iterable[str] = (),
    xfail: Mapping[str, str] | None = None,
    kit_level: str | None = None,
    profile: str | None = None,
    progress: bool | ProgressCallback = False,
    timeout: float = 5.0,
    only: Iterable[str] | None = None,
) -> ConformanceReport:
    """Check ``target`` against ``contract`` (or every contract it satisfies); report all."""
    skip = tuple(skip)
    validate_ids(skip, "skip")
    waivers = dict(xfail or {})
    validate_ids(waivers, "xfail")
    for check_id, given in waivers.items():
        reason: object = given  # callers outside the type checker pass anything
        if not isinstance(reason, str) or not reason.strip():  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(
                f"xfail[{check_id!r}] has no reason; write why the check is expected to fail, "
                f'such as {{"{check_id}": "known gap, tracked in issue 12"}}'
            )
    selected = None if only is None else set(only)
    if selected is not None:
        validate_ids(selected, "only")
    level = parse_level(kit_level) if kit_level is not None else None
    chosen = _profile(profile)
    examples = max_examples if max_examples is not None else int(chosen["max_examples"])
    if examples < 1:
        raise ValueError(f"max_examples must be at least 1, got {examples}")
    run_seed = seed if seed is not None else random.randrange(2**32)

    loaded = load_target(target)
    names = [resolve_contract(contract)] if contract is not None else _detect(loaded)
    started = time.perf_counter()
    plan: list[tuple[Context, CheckInfo]] = []
    implementations = load_all()
    for name in names:
        ctx = _context(loaded, name, run_seed, examples, bool(chosen["derandomize"]), timeout)
        viewed = _borrowing(ctx)
        for info in checks_for(name, level):
            if selected is None or info.id in selected:
                plan.append((ctx if info.contract in (name, "signature") else viewed, info))

    callback = _progress_callback(progress, len(plan))
    results: list[CheckResult] = []
    try:
        for ctx, info in plan:
            result = _run_one(ctx, info, implementations[info.id], skip, waivers)
            results.append(result)
            if callback is not None:
                callback(result, len(results), len(plan))
    finally:
        if callback is not None and hasattr(callback, "close"):
            callback.close()
    results = attribute(results)
    return ConformanceReport(
        target=loaded.name,
        contracts=names,
        seed=run_seed,
        results=results,
        duration=time.perf_counter() - started,
        kit_version=KIT_VERSION,
    )


def attribute(results: list[CheckResult]) -> list[CheckResult]:
    """Fail the ids that other checks' failures belong to (rule 1 of every contract).

    A check that sees a changed input fails, and so does the contract's
    ``*.inputs.unchanged`` check (if it ran and passed), with what was seen and where.
    """
    owed: dict[tuple[str, str], CheckResult] = {}
    for r in results:
        if r.attributed_to and r.attributed_to != r.id and r.outcome == "failed":
            owed.setdefault((r.contract, r.attributed_to), r)
    if not owed:
        return results
    out: list[CheckResult] = []
    for r in results:
        seen = owed.get((r.contract, r.id))
        if seen is not None and r.outcome == "passed":
            r = dataclasses.replace(
                r, outcome="failed", message=f"seen by {seen.id}: {seen.message}",
                example=seen.example,
            )  # fmt: skip
        out.append(r)
    return out


def _profile(profile: str | None) -> dict[str, Any]:
    key = (profile or "dev").removeprefix("aiecs-")
    if key not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected 'dev' (fast) or 'ci' (thorough)")
    return PROFILES[key]


def _progress_callback(progress: bool | ProgressCallback, total: int) -> Any:
    if progress is True:
        from ._render import ProgressDisplay

        return ProgressDisplay(total)
    if progress is False:
        return None
    return progress


def _binds(factory: Callable[..., Any], args: tuple[Any, ...]) -> bool:
    try:
        inspect.signature(factory).bind(*args)
    except TypeError:
        return False
    except ValueError:
        return True  # no readable signature: try the call
    return True


def _detect(loaded: LoadedTarget) -> list[str]:
    found: list[str] = []
    errors: list[str] = []
    for name in CONTRACTS:
        args = harness_args(name)
        if not _binds(loaded.factory, args):
            continue
        try:
            obj = loaded.factory(*args)
        except Exception as exc:
            errors.append(f"factory{_convention(name)} raised {first_line(exc)}")
            continue
        if isinstance(obj, PROTOCOLS[name]):
            found.append(name)
    if not found:
        why = f" ({'; '.join(errors)})" if errors else ""
        raise TargetError(
            f"the object built by {loaded.name} satisfies none of the contracts{why}; "
            f"name one with --contract to see what is missing"
        )
    return found


def _convention(contract: str) -> str:
    return f"({', '.join(HARNESSES[contract])})"


def _borrowing(ctx: Context) -> Context:
    """The context for the checks ``ctx.contract`` borrows: they see the target's view."""
    view = BORROWED.get(ctx.contract, ((), None))[1]
    if view is None:
        return ctx
    factory = ctx.factory

    def viewed(*args: Any) -> Any:
        return view(factory(*args))

    return dataclasses.replace(ctx, factory=viewed, sample=view(ctx.sample))


def _context(
    loaded: LoadedTarget,
    contract: str,
    seed: int,
    examples: int,
    derandomize: bool,
    timeout: float,
) -> Context:
    try:
        sample = loaded.factory(*harness_args(contract))
    except Exception as exc:
        raise TargetError(
            f"building {loaded.name} as factory{_convention(contract)} for {contract} raised "
            f"{first_line(exc)}"
        ) from exc
    problems = explain(sample, PROTOCOLS[contract])
    missing = frozenset(
        p.member for p in problems if p.kind in (MismatchKind.MISSING, MismatchKind.NOT_CALLABLE)
    )
    return Context(
        contract=contract,
        factory=loaded.factory,
        args=(),
        seed=seed,
        max_examples=examples,
        derandomize=derandomize,
        timeout=timeout,
        target_spec=loaded.spec,
        sys_path=tuple(sys.path),
        missing=missing,
        sample=sample,
    )


def _run_one(
    ctx: Context,
    info: CheckInfo,
    impl: Implementation,
    skip: tuple[str, ...],
    waivers: Mapping[str, str],
) -> CheckResult:
    def make(
        outcome: Outcome, message: str = "", example: str | None = None, **kw: Any
    ) -> CheckResult:
        return CheckResult(info.id, ctx.contract, info.severity, outcome, message, example, **kw)

    if info.id in skip:
        return make("skipped", "skipped on request", waived=True)
    absent = sorted(set(impl.uses) & ctx.missing)
    if absent:
        return make(
            "skipped",
            f"not run: the target lacks {', '.join(absent)} (see signature.members)",
        )
    ctx.timed_out = False
    started = time.perf_counter()
    outcome, message, example, owner = _guarded(ctx, impl)
    duration = time.perf_counter() - started
    reason = waivers.get(info.id)
    if reason is not None:
        if outcome in ("failed", "error"):
            return make("xfailed", f"xfail: {reason}; {message}", example, duration=duration)
        if outcome == "passed":
            return make(
                "xpassed",
                f"the xfail passed ({reason}); the gap is fixed, remove {info.id} from xfail",
                duration=duration,
            )
    return make(outcome, message, example, duration=duration, attributed_to=owner)


def _guarded(ctx: Context, impl: Implementation) -> tuple[Outcome, str, str | None, str | None]:
    """Run one check in a watchdog thread so a hung target fails instead of hanging us."""
    box: dict[str, tuple[Outcome, str, str | None, str | None]] = {}
    interval = sys.getswitchinterval()

    def worker() -> None:
        try:
            impl.function(ctx)
            box["r"] = ("passed", "", None, None)
        except CheckFailure as exc:
            box["r"] = ("failed", str(exc), exc.example, exc.check_id)
        except CheckSkip as exc:
            box["r"] = ("skipped", str(exc), None, None)
        except TargetBuildError as exc:
            box["r"] = ("error", str(exc), None, None)
        except Exception as exc:
            box["r"] = ("error", f"the check could not complete: {first_line(exc)}", None, None)

    budget = ctx.timeout * 8 * impl.budget * max(1.0, ctx.max_examples / 25)
    thread = threading.Thread(target=worker, name=f"aiecs-check-{impl.id}", daemon=True)
    thread.start()
    thread.join(budget)
    sys.setswitchinterval(interval)
    if thread.is_alive():
        ctx.timed_out = True
        return (
            "failed",
            f"timed out: the check did not finish within {budget:g} s (the target blocks "
            f"or deadlocks)",
            None,
            None,
        )
    return box["r"]
