"""Running the checks: resolve the target and contracts, run each check, build the report.

`check()` is the public entry point. The pieces below it (`detect`, `plan`, `run_planned`,
`attribute`) are what the in-process run and the supervised child process share, so both
give the same results for the same target and seed.
"""

from __future__ import annotations

import dataclasses
import inspect
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from hypothesis import settings as hypothesis_settings

from aiecs_contracts import MismatchKind, explain

from ._bounds import check_bound, describe_check_bound
from ._context import CheckFailure, CheckSkip, Context, TargetBuildError, first_line
from ._contracts import Contract, contract_named, contracts
from ._frames import located, threads_member, traceback_member
from ._info import CheckInfo
from ._options import _PROFILES, DEFAULT_TIMEOUT, PROFILES, RunOptions  # pyright: ignore[reportPrivateUsage]
from ._registry import KIT_VERSION, checks_for
from ._report import CheckResult, ConformanceReport, Outcome
from ._target import LoadedTarget, TargetError, importable_spec, load_target
from .checks import Implementation, load_all

__all__ = [
    "PROFILES",
    "Planned",
    "ProgressCallback",
    "attribute",
    "check",
    "check_budget",
    "detect",
    "harness_args",
    "plan",
    "run_in_process",
    "run_planned",
]

ProgressCallback = Callable[[CheckResult, int, int], None]

for _profile in _PROFILES:
    hypothesis_settings.register_profile(
        f"aiecs-{_profile.name}",
        max_examples=_profile.max_examples,
        derandomize=_profile.derandomize,
        deadline=None,
        database=None,
    )


def harness_args(contract: str | type | Contract) -> tuple[Any, ...]:
    """Fresh harness arguments for ``contract``, following its factory convention."""
    return contract_named(contract).args()


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
    timeout: float = DEFAULT_TIMEOUT,
    only: Iterable[str] | None = None,
    isolate: bool = True,
    options: RunOptions | None = None,
) -> ConformanceReport:
    """Check ``target`` against ``contract`` (or every contract it satisfies); report all.

    The target runs in a child process the kit supervises (`_supervisor`): whatever it
    does — print, exit, crash, hang — the check that was running errs and the rest go on in
    a fresh child. ``isolate=False`` runs it in this process instead, for debugging with
    breakpoints (a target that exits or crashes then takes the caller down with it). A
    target a fresh interpreter cannot import (a lambda, a local class) runs in-process;
    ``report.isolated`` says which happened. The keywords are validated into one
    `RunOptions` (pass ``options`` to give it whole).
    """
    if seed is None and isolate and options is None:
        from ._supervisor import pick_seed

        seed = pick_seed()
    opts = options or RunOptions.build(
        max_examples=max_examples,
        seed=seed,
        skip=skip,
        xfail=xfail,
        kit_level=kit_level,
        profile=profile,
        timeout=timeout,
        only=only,
        isolate=isolate,
    )
    wanted = None if contract is None else [contract_named(contract).name]
    callback = _progress_callback(progress)
    started = time.perf_counter()
    try:
        spec = _spec_of(target) if opts.isolate else None
        if spec is not None:
            from ._supervisor import supervise

            run = supervise(spec, _display_of(target), wanted, opts, callback)
            name, names, results, isolated = run.target, run.contracts, run.results, True
        else:
            loaded = load_target(target)
            names = wanted if wanted is not None else detect(loaded)
            results = run_in_process(loaded, names, opts, callback)
            name, isolated = loaded.name, False
    finally:
        if callback is not None and hasattr(callback, "close"):
            callback.close()
    return ConformanceReport(
        target=name,
        contracts=names,
        seed=opts.seed,
        results=attribute(results),
        duration=time.perf_counter() - started,
        kit_version=KIT_VERSION,
        isolated=isolated,
    )


def _spec_of(target: object) -> str | None:
    """How a fresh interpreter imports ``target``; ``None`` runs it in-process instead.

    A lambda, a local class or a ``__main__`` function cannot be imported by a child, so
    such a target is checked in this process, unisolated (the report says so).
    """
    if isinstance(target, str):
        return target
    if not callable(target):
        load_target(target)  # raises the TargetError that explains it
    return importable_spec(target)


def _display_of(target: object) -> str:
    return target if isinstance(target, str) else load_target(target).name


Planned = tuple[Context, CheckInfo]


def plan(loaded: LoadedTarget, names: list[str], options: RunOptions) -> list[Planned]:
    """Every (context, check) the run will go through, in report order."""
    out: list[Planned] = []
    for name in names:
        spec = contract_named(name)
        ctx = _context(loaded, spec, options)
        viewed = _viewed(ctx, spec)
        for info in checks_for(name, options.level):
            if options.only is None or info.id in options.only:
                out.append((viewed if info.id in spec.borrows else ctx, info))
    return out


def _viewed(ctx: Context, spec: Contract) -> Context:
    """The context of the checks ``spec`` borrows: they see ``spec.view`` of the target."""
    view = spec.view
    if view is None:
        return ctx
    factory = ctx.factory

    def build(*args: Any) -> Any:
        return view(factory(*args))

    return dataclasses.replace(ctx, factory=build, sample=view(ctx.sample))


def run_in_process(
    loaded: LoadedTarget,
    names: list[str],
    options: RunOptions,
    callback: ProgressCallback | None = None,
) -> list[CheckResult]:
    """Run every planned check in this process (no isolation: for debugging)."""
    planned = plan(loaded, names, options)
    implementations = load_all()
    results: list[CheckResult] = []
    for ctx, info in planned:
        results.append(run_planned(ctx, info, implementations[info.id], options))
        if callback is not None:
            callback(results[-1], len(results), len(planned))
    return results


def attribute(results: list[CheckResult]) -> list[CheckResult]:
    """Fail the ids that other checks' failures belong to (rule 1 of every contract).

    A check that sees a changed input could not judge its own row: it is reported as
    skipped, saying so, and the contract's ``*.inputs.unchanged`` check fails (if it ran and
    passed) with what was seen and where, so one mistake fails the one id it breaks.
    """
    owed: dict[tuple[str, str], CheckResult] = {}
    for r in results:
        if r.attributed_to and r.attributed_to != r.id and r.outcome == "skipped":
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


def _progress_callback(progress: bool | ProgressCallback) -> Any:
    if progress is True:
        from ._render import ProgressDisplay

        return ProgressDisplay()
    if progress is False:
        return None
    return progress


# -- detection ---------------------------------------------------------------------------


def _binds(factory: Callable[..., Any], args: tuple[Any, ...]) -> bool:
    try:
        inspect.signature(factory).bind(*args)
    except TypeError:
        return False
    except ValueError:
        return True  # no readable signature: try the call
    return True


def detect(loaded: LoadedTarget) -> list[str]:
    """The contracts whose Protocol the object built by ``loaded`` satisfies.

    The factory is called once per distinct convention; each error it raises is shown once,
    and a target that satisfies nothing is told what was closest.
    """
    found: list[str] = []
    errors: dict[str, str] = {}  # convention -> what the factory raised
    built: dict[str, object] = {}
    nearest: tuple[int, str, str] | None = None  # (missing count, contract, members)
    for spec in contracts():
        if spec.convention in errors:
            continue
        args = spec.args()
        if not _binds(loaded.factory, args):
            continue
        if spec.convention not in built:
            try:
                built[spec.convention] = loaded.factory(*args)
            except Exception as exc:
                errors[spec.convention] = f"factory{spec.convention} raised {first_line(exc)}"
                continue
        obj = built[spec.convention]
        if isinstance(obj, spec.protocol):
            found.append(spec.name)
            continue
        missing = sorted(
            {p.member for p in explain(obj, spec.protocol) if p.kind == MismatchKind.MISSING}
        )
        if missing and (nearest is None or len(missing) < nearest[0]):
            nearest = (len(missing), spec.name, ", ".join(missing[:4]))
    if found:
        return found
    why: list[str] = list(dict.fromkeys(errors.values()))
    if not built and not errors:
        raise TargetError(
            f"the factory {loaded.name} takes none of the contracts' arguments: its signature "
            f"{_signature(loaded.factory)} accepts none of "
            f"{', '.join(dict.fromkeys(c.convention for c in contracts()))}"
        )
    if nearest is not None:
        why.append(f"closest is {nearest[1]}, which also needs {nearest[2]}")
    raise TargetError(
        f"the object built by {loaded.name} satisfies none of the contracts "
        f"({'; '.join(why)}); name one with --contract to see what is missing"
    )


def _signature(factory: Callable[..., Any]) -> str:
    try:
        return str(inspect.signature(factory))
    except (TypeError, ValueError):
        return "(unknown)"


def _context(loaded: LoadedTarget, spec: Contract, options: RunOptions) -> Context:
    try:
        sample = loaded.factory(*spec.args())
    except Exception as exc:
        raise TargetError(
            f"building {loaded.name} as factory{spec.convention} for {spec.name} raised "
            f"{first_line(exc)}"
        ) from exc
    problems = explain(sample, spec.protocol)
    missing = frozenset(
        p.member for p in problems if p.kind in (MismatchKind.MISSING, MismatchKind.NOT_CALLABLE)
    )
    return Context(
        contract=spec.name,
        factory=loaded.factory,
        args=(),
        seed=options.seed,
        max_examples=options.max_examples,
        derandomize=options.derandomize,
        timeout=options.timeout,
        target_spec=loaded.spec,
        sys_path=tuple(sys.path),
        missing=missing,
        sample=sample,
        spec=spec,
    )


# -- one check ---------------------------------------------------------------------------


def check_budget(ctx: Context, impl: Implementation) -> float:
    """Seconds one check may run before it counts as hung (`_bounds.check_bound`)."""
    return check_bound(ctx.timeout, ctx.max_examples, impl.budget)


def run_planned(
    ctx: Context, info: CheckInfo, impl: Implementation, options: RunOptions
) -> CheckResult:
    """Run one planned check (skip, waivers and the watchdog applied) and return its result."""

    def make(
        outcome: Outcome, message: str = "", example: str | None = None, **kw: Any
    ) -> CheckResult:
        message, example = _clip(message, MESSAGE_LIMIT), _clip_optional(example)
        return CheckResult(
            info.id, ctx.contract, info.severity, outcome, message, example,
            timing=info.timing, **kw,
        )  # fmt: skip

    if info.id in options.skip:
        return make("skipped", "skipped on request", waived=True)
    absent = sorted(set(impl.uses) & ctx.missing)
    if absent:
        return make(
            "skipped",
            f"not run: the target lacks {', '.join(absent)} (see signature.members)",
        )
    ctx.timed_out = False
    started = time.perf_counter()
    outcome, message, example, owner, aborted = _guarded(ctx, impl)
    duration = time.perf_counter() - started
    reason = options.xfail.get(info.id)
    if reason is not None:
        if outcome in ("failed", "error"):
            return make(
                "xfailed", f"xfail: {reason}; {message}", example, duration=duration,
                aborted=aborted,
            )  # fmt: skip
        if outcome == "passed":
            return make(
                "xpassed",
                f"the xfail passed ({reason}); the gap is fixed, remove {info.id} from xfail",
                duration=duration,
            )
    if outcome == "failed" and owner is not None and owner != info.id:
        # Rule (1): a changed input belongs to *.inputs.unchanged (see attribute()).
        return make(
            "skipped", f"not judged: {message} (reported under {owner})", example,
            duration=duration, attributed_to=owner,
        )  # fmt: skip
    return make(outcome, message, example, duration=duration, attributed_to=owner, aborted=aborted)


_Verdict = tuple[Outcome, str, str | None, str | None, bool]
"""(outcome, message, example, the id a failure belongs to, whether the target aborted)."""


FATAL_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM, signal.SIGUSR2)
"""Catchable signals whose default action ends the process (faulthandler covers SIGSEGV,
SIGFPE, SIGABRT, SIGBUS and SIGILL itself; SIGKILL cannot be caught)."""

ROUTED_SIGNALS = (*FATAL_SIGNALS, signal.SIGUSR1, signal.SIGCONT)
"""What the worker's main thread blocks while checks run, so these land in a check thread:
the fatal signals, and SIGCONT and SIGUSR1 (the supervisor's "dump your stacks", which must
interrupt the thread that is stuck, not race with it from another one)."""

ON_HANG: Callable[[], None] | None = None
"""Called when a check hangs (the worker dumps every thread's stack for the record)."""

MESSAGE_LIMIT = 2000
"""Characters of a message (and of an example) kept: a target's huge repr or exception
message is cut in the middle, saying how much was left out."""


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]} ... ({len(text) - 2 * half} characters omitted) ... {text[-half:]}"


def _clip_optional(text: str | None) -> str | None:
    return None if text is None else _clip(text, MESSAGE_LIMIT)


def _guarded(ctx: Context, impl: Implementation) -> _Verdict:
    """Run one check in a watchdog thread so a hung target errs instead of hanging us."""
    box: dict[str, _Verdict] = {}
    interval = sys.getswitchinterval()

    def worker() -> None:
        # The worker blocks ROUTED_SIGNALS in its main thread (`_worker`), so a signal the
        # target sends its own process lands here, where the stack dump shows the call.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, ROUTED_SIGNALS)
        try:
            impl.function(ctx)
            box["r"] = ("passed", "", None, None, False)
        except CheckFailure as exc:
            box["r"] = ("failed", str(exc), exc.example, exc.check_id, False)
        except CheckSkip as exc:
            box["r"] = ("skipped", str(exc), None, None, False)
        except TargetBuildError as exc:
            box["r"] = ("error", str(exc), None, None, False)
        except Exception as exc:
            box["r"] = (
                "error",
                f"the check could not complete: {first_line(exc)}",
                None,
                None,
                False,
            )
        except BaseException as exc:  # SystemExit, KeyboardInterrupt, ... from the target
            member = traceback_member(exc.__traceback__)
            where = located(member)
            box["r"] = (
                "error",
                f"the target raised {_base_exception(exc)}{where}",
                None,
                None,
                True,
            )

    budget = check_budget(ctx, impl)
    thread = threading.Thread(target=worker, name=f"aiecs-check-{impl.id}", daemon=True)
    thread.start()
    thread.join(budget)
    sys.setswitchinterval(interval)
    if thread.is_alive():
        ctx.timed_out = True
        if ON_HANG is not None:  # in the worker: every thread's stack to its crash file
            ON_HANG()
        member = threads_member(skip=(threading.get_ident(),))
        where = located(member, inside=True)
        return (
            "error",
            f"timed out: no progress for {budget:g} s{where} (the target blocks or "
            f"deadlocks; the check's bound is "
            f"{describe_check_bound(ctx.timeout, ctx.max_examples, impl.budget)})",
            None,
            None,
            True,
        )
    return box["r"]


def _base_exception(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"SystemExit({exc.code!r}) (it called sys.exit)"
    return first_line(exc)
