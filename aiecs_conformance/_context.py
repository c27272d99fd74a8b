"""What a check runs with: the target's factory, hypothesis settings, timeouts, and helpers.

Checks raise `CheckFailure` (the contract is broken), `CheckSkip` (the check does not apply)
or `CheckTimeout` (the target hung); anything else they raise is reported as an error.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

if TYPE_CHECKING:
    from ._contracts import Contract, Probes
    from ._inputs import Watch

__all__ = [
    "CheckFailure",
    "CheckSkip",
    "CheckTimeout",
    "Context",
    "TargetBuildError",
    "short",
]


class CheckFailure(Exception):
    """Raised by a check when the target breaks the invariant."""

    def __init__(
        self, message: str, example: str | None = None, *, check_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.example = example
        self.check_id = check_id
        """The id this failure belongs to when it is not the running check's own."""


class CheckTimeout(CheckFailure):
    """Raised when a call into the target did not finish in time."""


class CheckSkip(Exception):
    """Raised by a check that does not apply to this target (the message says why)."""


class TargetBuildError(Exception):
    """Raised when the factory itself fails while a check builds a fresh target."""


def short(value: object, limit: int = 300) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters."""
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__ must not hide the real failure
        text = f"<{type(value).__name__} with failing repr: {exc!r}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def first_line(exc: BaseException) -> str:
    """Describe an exception on one line: its type and the first line of its message."""
    try:
        text = str(exc).strip().splitlines()
    except Exception:  # a target's exception whose __str__ itself fails
        text = ["<unprintable message>"]
    if text and len(text[0]) > 300:  # a target's huge message must not drown the report
        text[0] = f"{text[0][:297]}..."
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


HEALTH = [
    HealthCheck.too_slow,
    HealthCheck.filter_too_much,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
]


@dataclass
class Context:
    """Everything one check needs to judge one contract of one target."""

    contract: str
    factory: Callable[..., Any]
    args: tuple[Any, ...]
    seed: int
    max_examples: int
    derandomize: bool = False
    timeout: float = 5.0
    target_spec: str | None = None
    sys_path: tuple[str, ...] = ()
    missing: frozenset[str] = frozenset()
    sample: Any = None
    timed_out: bool = False
    notes: list[str] = field(default_factory=list)  # pyright: ignore[reportUnknownVariableType]
    spec: Contract | None = None
    """The `Contract` being checked (its harness builds the factory's arguments)."""

    # -- building ------------------------------------------------------------------------

    def build(self, *args: Any) -> Any:
        """Call the factory with ``args`` (the contract's harness convention)."""
        try:
            return self.factory(*args)
        except Exception as exc:
            raise TargetBuildError(
                f"the factory raised {first_line(exc)} while building a fresh target"
            ) from exc

    def harness_args(self, probes: Probes | None = None) -> tuple[Any, ...]:
        """The factory's arguments for this contract, built from ``probes`` (or fresh ones)."""
        from ._contracts import contract_named

        spec = self.spec if self.spec is not None else contract_named(self.contract)
        return spec.args(probes)

    def build_harnessed(self, probes: Probes) -> Any:
        """A fresh target built, by the contract's convention, over ``probes``."""
        return self.build(*self.harness_args(probes))

    # -- rule (1): inputs are never changed ----------------------------------------------

    def watch(self, call: str, **inputs: object) -> Watch:
        """Snapshot ``inputs`` before ``call`` runs; ``verify()`` after it compares them.

        Expected results must be computed from ``Watch.before`` (rule 2), never from the
        live objects the target was handed. A change raises `InputChanged`, attributed to
        this contract's ``*.inputs.unchanged`` id.
        """
        from ._inputs import Watch, inputs_id

        return Watch(call, inputs, inputs_id(self.contract))

    # -- async ---------------------------------------------------------------------------

    def run_async(self, make: Callable[[], Awaitable[Any]], timeout: float | None = None) -> Any:
        """Run ``make()`` on a fresh event loop in its own thread, within ``timeout``.

        A target that blocks the loop, ignores cancellation or never returns makes this
        raise `CheckTimeout` instead of hanging the run; the stuck thread is abandoned.
        """
        limit = self.timeout if timeout is None else timeout
        if self.timed_out:
            raise CheckTimeout(f"an earlier call of this check already hung for {limit:g} s")
        box: dict[str, Any] = {}

        async def main() -> Any:
            # Teardown noise of a target ("exception was never retrieved") is not a
            # finding; keep it off the user's terminal.
            asyncio.get_running_loop().set_exception_handler(lambda loop, context: None)
            task = asyncio.ensure_future(make())
            done, _ = await asyncio.wait({task}, timeout=limit)
            if not done:
                task.cancel()
                raise CheckTimeout(f"timed out: the call did not finish within {limit:g} s")
            return task.result()

        def worker() -> None:
            try:
                box["value"] = asyncio.run(main())
            except BaseException as exc:
                box["error"] = exc

        thread = threading.Thread(target=worker, name="aiecs-conformance-loop", daemon=True)
        thread.start()
        thread.join(limit + 1.0)
        if thread.is_alive():
            self.timed_out = True
            raise CheckTimeout(
                f"timed out: the call did not finish within {limit:g} s and blocked its loop "
                f"(a blocking call, or a task that ignores cancellation)"
            )
        if "error" in box:
            error = box["error"]
            if isinstance(error, CheckTimeout):
                self.timed_out = True
            raise error
        return box["value"]

    # -- properties ----------------------------------------------------------------------

    def settings(self, max_examples: int | None = None) -> settings:
        """The hypothesis settings for one property of this check."""
        return settings(
            max_examples=max_examples if max_examples is not None else self.max_examples,
            derandomize=self.derandomize,
            database=None,
            deadline=None,
            report_multiple_bugs=False,
            suppress_health_check=HEALTH,
            verbosity=Verbosity.normal,  # failures add notes; nothing is printed
            phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
            print_blob=False,
        )

    def property(
        self,
        body: Callable[..., None],
        strategies: dict[str, st.SearchStrategy[Any]],
        *,
        max_examples: int | None = None,
        examples: tuple[dict[str, Any], ...] = (),
    ) -> None:
        """Run ``body(**drawn)`` as a hypothesis property; a failure becomes `CheckFailure`.

        The example reported is the last (after shrinking: the smallest) one that failed.
        """
        failing: list[str] = []

        def test(**drawn: Any) -> None:
            try:
                body(**drawn)
            except BaseException:
                failing.append(", ".join(f"{k}={short(v)}" for k, v in drawn.items()))
                raise

        wrapped: Any = given(**strategies)(test)
        for ex in reversed(examples):
            from hypothesis import example

            wrapped = example(**ex)(wrapped)
        wrapped = self.settings(max_examples)(wrapped)
        wrapped = hypothesis_seed(self.seed)(wrapped)
        try:
            wrapped()
        except CheckSkip:
            raise
        except Exception as exc:
            inner = _innermost(exc)
            message = inner.args[0] if isinstance(inner, CheckFailure) else first_line(inner)
            owner = getattr(inner, "check_id", None)
            shown = failing[-1] if failing else None
            if isinstance(inner, CheckTimeout):
                raise CheckTimeout(str(message), shown) from exc
            raise CheckFailure(str(message), shown, check_id=owner) from exc

    def machine(self, machine: type[Any], max_examples: int | None = None) -> None:
        """Run a hypothesis ``RuleBasedStateMachine``; a failure becomes `CheckFailure`.

        The example is the shrunk sequence of steps. A machine that keeps a ``calls`` list
        of the direct calls it made on the user's object (``"cache.add_to_cache('a', b'')"``)
        is reported by those calls, as the user would type them; otherwise the example is
        the steps hypothesis prints, in the machine's own vocabulary.
        """
        from hypothesis.stateful import run_state_machine_as_test

        budget = max_examples if max_examples is not None else max(10, self.max_examples // 2)
        last: list[Any] = []

        class _Recorded(machine):  # type: ignore[misc]
            def __init__(self) -> None:
                super().__init__()  # pyright: ignore[reportUnknownMemberType]
                last[:] = [self]  # hypothesis replays the shrunk example last

        _Recorded.__name__ = _Recorded.__qualname__ = machine.__name__
        try:
            run_state_machine_as_test(_Recorded, settings=self.settings(budget))
        except Exception as exc:
            inner = _innermost(exc)
            notes = [
                n
                for n in getattr(inner, "__notes__", [])
                if not n.startswith(("Falsifying", "Failing test case"))
            ]
            steps = "; ".join(line.strip() for n in notes for line in n.splitlines())
            calls: object = getattr(last[0], "calls", None) if last else None
            if isinstance(calls, list) and calls:
                steps = "; ".join(str(c) for c in calls)  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
            message = str(inner) if isinstance(inner, CheckFailure) else first_line(inner)
            owner = getattr(inner, "check_id", None)
            raise CheckFailure(message, steps or None, check_id=owner) from exc


def _innermost(exc: BaseException) -> BaseException:
    # hypothesis wraps flaky failures in an ExceptionGroup; report the first real one.
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:  # pyright: ignore[reportUnknownMemberType]
        exc = exc.exceptions[0]  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return exc  # pyright: ignore[reportUnknownVariableType]
