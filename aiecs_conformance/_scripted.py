"""Scripted probe tools for the operation and engine checks: every op does what was drawn.

A *plan* is a list of op dicts over one or two tools with generated names, each op with a
generated public name, generated params and a script: sync or ``async def``, a duration
(later ops are shorter, so completion order differs from input order) and what each call
does — return a value drawn from `op_results()` (falsy values and exception instances
included) or raise one drawn from `op_failures()` (with and without a message).

Each tool also exposes what must never run: private methods, a ``log`` attribute object
with a public ``snapshot`` method, ``__call__`` and ``__init__`` (``tool.__class__()``), so
an executor that resolves specs too loosely (a ``getattr`` chain, ``rpartition``, a
stripped or case-folded name) records a call the check sees.
"""

from __future__ import annotations

import functools
import keyword
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from ._inputs import first_difference, snapshot
from ._outcomes import op_failures, op_results
from ._probes import Call, CallLog
from ._scripted_ops import scripted_method
from .strategies import params_values

__all__ = [
    "OPTION_NAMES",
    "Outcome",
    "Plan",
    "Script",
    "ScriptedTool",
    "build_tools",
    "malformed_specs",
    "op_names",
    "op_params",
    "outcomes",
    "plans",
    "same_failure",
    "same_result",
    "sample_plan",
    "tool_names",
    "unknown_specs",
]


@dataclass(frozen=True)
class Outcome:
    """What one call of a scripted op does: return ``value`` or raise ``error``."""

    value: Any = None
    error: BaseException | None = None
    before: Any = None
    """A deep copy of ``value`` taken when it was drawn (rule 2: expect from snapshots)."""

    @property
    def raises(self) -> bool:
        """True when the call raises."""
        return self.error is not None


@dataclass(frozen=True)
class Script:
    """One op of a scripted tool: its name, sync or async, how long it takes, what it does.

    Call ``k`` of the op does ``outcomes[k % len(outcomes)]``, so an executor that replays
    an earlier result for a later call is seen.
    """

    tool: str
    name: str
    is_async: bool
    seconds: float
    outcomes: tuple[Outcome, ...]
    decorated: bool = False
    """An ``async def`` behind a plain ``functools.wraps`` decorator (``executor.op_shapes``):
    the op is a plain callable that returns a coroutine."""

    @property
    def operation(self) -> str:
        """The ``"tool.op"`` spec of this op."""
        return f"{self.tool}.{self.name}"

    def outcome(self, call: int) -> Outcome:
        """What call number ``call`` (from 0) does."""
        return self.outcomes[call % len(self.outcomes)]


class _Attribute:
    """A public attribute object of a tool (``t.log``); calling its method is a defect."""

    def __init__(self, owner: ScriptedTool) -> None:
        self._owner = owner

    def snapshot(self, *args: Any, **params: Any) -> str:
        self._owner.calls.record(self._owner.name, "log.snapshot", params)
        return "t.log.snapshot was called"


class ScriptedTool:
    """Base of the generated tool classes: records every call, public or not."""

    name: str
    calls: CallLog
    log: _Attribute

    def __init__(self, name: str = "", calls: CallLog | None = None) -> None:
        if calls is None:
            # tool.__class__(): an executor instantiated the tool's class; the class knows
            # the log of the run, so the construction is recorded like any other call.
            log = getattr(type(self), "_log", None)
            calls = log if isinstance(log, CallLog) else CallLog()
            calls.record(name or type(self).__name__, "__init__", {})
        self.name = name
        self.calls = calls
        self.log = _Attribute(self)

    def __repr__(self) -> str:
        return f"<tool {self.name!r}>"

    def __call__(self, *args: Any, **params: Any) -> str:
        self.calls.record(self.name, "__call__", params)
        return "the tool object itself was called"

    def _x(self, **params: Any) -> str:
        self.calls.record(self.name, "_x", params)
        return "private _x was called"

    def _secret(self, **params: Any) -> str:
        self.calls.record(self.name, "_secret", params)
        return "private _secret was called"


#: Names a generated op must not take: the tool's own attributes.
_TAKEN = frozenset(dir(ScriptedTool)) | {"name", "calls", "log"}


def build_tools(scripts: Sequence[Script], log: CallLog) -> dict[str, ScriptedTool]:
    """One fresh tool object per tool name of ``scripts``, each of its own generated class."""
    by_tool: dict[str, dict[str, Any]] = {}
    for s in scripts:
        by_tool.setdefault(s.tool, {})[s.name] = scripted_method(s)
    tools: dict[str, ScriptedTool] = {}
    for tool, methods in by_tool.items():
        cls = type(f"Tool_{tool}", (ScriptedTool,), {**methods, "_log": log})
        tools[tool] = cls(tool, log)
    return tools


@dataclass
class Plan:
    """Op dicts over scripted tools, with what each op will do."""

    scripts: list[Script]
    ops: list[dict[str, Any]]
    log: CallLog = field(default_factory=CallLog)

    def tools(self) -> dict[str, ScriptedTool]:
        """Fresh tool objects for one run of this plan (call counters start at 0)."""
        self.log = CallLog()
        return build_tools(self.scripts, self.log)

    def script(self, i: int) -> Script:
        """The script of op ``i``."""
        return self.scripts[i]

    def outcome(self, i: int) -> Outcome:
        """What op ``i`` does (its op's first call: each op of a plan is called once)."""
        return self.scripts[i].outcome(0)

    def fails(self, i: int) -> bool:
        """True when op ``i`` raises."""
        return self.outcome(i).raises

    def calls_of(self, i: int) -> list[Call]:
        """The recorded calls of op ``i``'s op."""
        s = self.scripts[i]
        return [c for c in self.log.snapshot() if c.tool == s.tool and c.op == s.name]

    def stray(self) -> list[str]:
        """Recorded calls of anything that is not a scripted op."""
        ops = {(s.tool, s.name) for s in self.scripts}
        return [f"{c.tool}.{c.op}" for c in self.log.snapshot() if (c.tool, c.op) not in ops]


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_REST = _LOWER + _LOWER.upper() + "0123456789_"


def _names(first: str, rest_size: int) -> st.SearchStrategy[str]:
    # A first character, then letters, digits and "_": every identifier shape, and much
    # cheaper to draw and to shrink than st.from_regex.
    return st.builds(
        str.__add__, st.sampled_from(first), st.text(alphabet=_REST, max_size=rest_size)
    )


@functools.cache
def tool_names() -> st.SearchStrategy[str]:
    """Tool names: short identifiers, lower or mixed case."""
    return _names(_LOWER, 6).filter(lambda n: not keyword.iskeyword(n))


@functools.cache
def op_names() -> st.SearchStrategy[str]:
    """Public op names: identifiers not starting with ``_``, no tool attribute, no keyword."""
    return _names(_LOWER + _LOWER.upper(), 9).filter(
        lambda n: n not in _TAKEN and not keyword.iskeyword(n)
    )


def _returning(value: object) -> Outcome:
    before = value if isinstance(value, BaseException) else snapshot(value)
    return Outcome(value=value, before=before)


@functools.cache
def outcomes(
    failing: bool = True, results: st.SearchStrategy[Any] | None = None
) -> st.SearchStrategy[Outcome]:
    """What a call of a probe does: return a drawn result or (when ``failing``) raise.

    Results come from `op_results()` unless ``results`` is given.
    """
    ok = (op_results() if results is None else results).map(_returning)
    if not failing:
        return ok
    bad = op_failures().map(lambda e: Outcome(error=e))
    return st.one_of(ok, bad)


@st.composite
def plans(
    draw: st.DrawFn,
    *,
    min_size: int = 1,
    max_size: int = 4,
    failing: bool = True,
    results: st.SearchStrategy[Any] | None = None,
    calls: int = 1,
    timed: bool = True,
) -> Plan:
    """Plans of ``min_size..max_size`` ops, some failing when ``failing``.

    Every op of a plan has its own name (so each call is attributable), over one or two
    tools; durations fall with the index (0-4 ms), so later ops finish first. Each op has
    ``calls`` scripted outcomes, for checks that call an op more than once. Without
    ``timed`` every op returns at once (for checks where only outcomes matter: quicker to
    run and to shrink).
    """
    tools = draw(st.lists(tool_names(), min_size=1, max_size=2, unique=True))
    n = draw(st.integers(min_size, max_size))
    names = draw(st.lists(op_names(), min_size=n, max_size=n, unique=True))
    scripts: list[Script] = []
    ops: list[dict[str, Any]] = []
    for i, name in enumerate(names):
        tool = draw(st.sampled_from(tools))
        slow = timed and draw(st.booleans())
        is_async = draw(st.booleans())
        script = Script(
            tool=tool,
            name=name,
            is_async=is_async,
            seconds=(n - i) / 1000 if slow else 0.0,
            outcomes=tuple(draw(outcomes(failing, results)) for _ in range(calls)),
            decorated=is_async and draw(st.booleans()),
        )
        scripts.append(script)
        ops.append({"operation": script.operation, "params": draw(op_params())})
    return Plan(scripts, ops)


#: Names an executor's own signatures take, which a caller can never pass as params.
_RESERVED = frozenset({"self", "tool", "operation_name", "params"})


@functools.cache
def op_params(max_size: int = 3) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword params as `strategies.params()` draws them, with names drawn by `_names`
    (drawing them by regex was the largest single cost of a plan)."""
    names = _names(_LOWER, 8).filter(lambda n: n not in _RESERVED) | st.sampled_from(OPTION_NAMES)
    return st.dictionaries(names, params_values(2), max_size=max_size)


#: Param names an executor may be tempted to take for itself (pop an option, drop a
#: "private" key): the op must still receive them, and the caller's dict keep them.
OPTION_NAMES: tuple[str, ...] = (
    "timeout",
    "retries",
    "user_id",
    "task_id",
    "options",
    "_trace",
    "_meta",
    "_",
)


def sample_plan(*, failing: bool = True) -> Plan:
    """A fixed plan that every drawn run also tries first, whatever the seed.

    It holds the outcomes implementations most often get wrong: a falsy result, an
    exception *returned* as a value, an exception raised without a message and one with a
    message, over two tools, sync and async, later ops shorter.
    """
    from ._outcomes import ProbeFailure

    rows: list[tuple[str, str, bool, Outcome]] = [
        ("kit", "fetch", False, _returning({"rows": [1, 2], "q": "SELECT 1; --"})),
        ("kit", "count", True, _returning(0)),
        ("aux", "lookup", False, _returning(None)),
        ("aux", "probe", True, _returning(ValueError("returned, not raised"))),
        ("kit", "timeout", False, Outcome(error=TimeoutError())),
        ("aux", "explode", True, Outcome(error=ProbeFailure("boom"))),
        ("kit", "empty", True, _returning([])),
    ]
    if not failing:
        rows = [r for r in rows if not r[3].raises]
    n = len(rows)
    scripts = [
        Script(tool, name, is_async, (n - i) / 1000, (outcome,))
        for i, (tool, name, is_async, outcome) in enumerate(rows)
    ]
    ops = [
        {"operation": s.operation, "params": {"i": i, "tag": s.name}} for i, s in enumerate(scripts)
    ]
    return Plan(scripts, ops)


def same_result(got: object, returned: object, before: object) -> bool:
    """Whether ``got`` is what the op returned: that object, or equal to its snapshot.

    ``before`` is the deep copy of the returned value taken before the run (rule 2). An
    exception returned as a value has no useful ``==``: it must come back as that instance
    or as a copy of it (same type, same args — what crossing a process boundary gives).
    """
    if got is returned:
        return True
    if isinstance(returned, BaseException):
        return type(got) is type(returned) and got.args == returned.args  # pyright: ignore[reportAttributeAccessIssue]
    return first_difference(before, got) is None


def same_failure(slot: object, raised: BaseException) -> bool:
    """Whether a batch slot holds the exception ``raised``: itself or a wrapper whose
    ``__cause__`` chain reaches it.

    An equal copy (same type, same args) counts as the exception: asyncio itself replaces
    a ``TimeoutError`` raised in an executor thread by a fresh one (`asyncio.to_thread`).
    """
    seen: BaseException | None = slot if isinstance(slot, BaseException) else None
    while seen is not None:
        if seen is raised or (type(seen) is type(raised) and seen.args == raised.args):
            return True
        seen = seen.__cause__
    return False


def malformed_specs(tool: str, op: str) -> list[object]:
    """Specs that must be refused before anything runs, built around a real ``tool.op``."""
    return [
        "",
        tool,
        f".{op}",
        f"{tool}.",
        f"{tool}..{op}",
        f"{tool}._x",
        f"{tool}._secret",
        f"{tool}.__class__",
        f"{tool}.__call__",
        f"{tool}.__init__",
        f"{tool}.{op}()",
        f" {tool}.{op}",
        f"{tool}.{op} ",
        f"{tool}.{op}\n",
        f"\t{tool}.{op}",
        f"{tool}. {op}",
        f"{tool} .{op}",
        f"{tool}.log.snapshot",
        f"{tool}.{op}.__self__",
        f"{tool}.{op}.__call__",
        f"{tool}.{op}.{op}",
        f"{tool}/{op}",
        f"{tool}:{op}",
        None,
        1,
        f"{tool}.{op}".encode(),
        (tool, op),
        [f"{tool}.{op}"],
        {"operation": f"{tool}.{op}"},
    ]


def unknown_specs(tool: str, op: str, known: frozenset[str]) -> list[str]:
    """Well-formed specs naming an unknown tool or op, near the real ``tool.op``.

    ``known`` holds every ``"tool.op"`` the tools serve; variants that happen to be one of
    them are left out.
    """
    specs = [
        f"{tool}x.{op}",
        f"no_such_tool.{op}",
        f"{tool}.{op}x",
        f"{tool}.missing",
        f"{tool.swapcase()}.{op}",
        f"{tool.upper()}.{op}",
        f"{tool}.{op.swapcase()}",
        f"{tool}.{op.upper()}",
        f"{tool}.{op.lower()}",
    ]
    return list(dict.fromkeys(s for s in specs if s not in known))
