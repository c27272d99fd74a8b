"""provider.*: exact lookup, identity, missing names, totality, threads, registration."""

from __future__ import annotations

import random
import unicodedata
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from .._context import CheckFailure, CheckSkip, Context, first_line, short
from .._probes import CallLog, ProbeTool
from . import implements
from ._threads import hammer

_LOOKUP = ("has_tool", "get_tool")

_NAMES = st.one_of(
    st.sampled_from(["search", "db", "Search", "web_fetch", "tool-1", "ünï", "a b"]),
    st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
    st.text(min_size=1, max_size=10),
)


def _serve(ctx: Context, names: list[str]) -> tuple[Any, dict[str, object]]:
    log = CallLog()
    tools: dict[str, object] = {n: ProbeTool(n, log) for n in names}
    return ctx.build(dict(tools)), tools


def variants(name: str) -> set[str]:
    """Strings a sloppy lookup confuses with ``name``: case, whitespace, unicode forms."""
    out = {
        name.upper(),
        name.lower(),
        name.casefold(),
        name.swapcase(),
        name.title(),
        f" {name}",
        f"{name} ",
        f"{name}\n",
        f"\t{name}",
        name + "\u200b",
        name[:-1],
        name + name[-1:],
        unicodedata.normalize("NFD", name),
        unicodedata.normalize("NFKC", name),
        unicodedata.normalize("NFKD", name),
        name.replace("_", "-"),
        name.replace("-", "_"),
        "",
    }
    return out


@implements("provider.has_tool.exact", uses=("has_tool",))
def has_tool_exact(ctx: Context) -> None:
    """``has_tool`` is True exactly for served names."""

    def body(names: list[str], others: list[str]) -> None:
        provider, tools = _serve(ctx, names)
        for n in tools:
            got = provider.has_tool(n)
            if got is not True:
                raise CheckFailure(f"has_tool({n!r}) returned {short(got)} for a served name")
        candidates = set(others)
        for n in tools:
            candidates |= variants(n)
        for other in sorted(candidates - set(tools)):
            got = provider.has_tool(other)
            if got is not False:
                raise CheckFailure(
                    f"has_tool({other!r}) returned {short(got)}; only {sorted(tools)!r} are served"
                )

    ctx.property(
        body,
        {"names": st.lists(_NAMES, min_size=1, max_size=4, unique=True),
         "others": st.lists(st.text(max_size=8), max_size=4)},
        examples=({"names": ["search"], "others": ["Search", "search ", "searc"]},),
    )  # fmt: skip


@implements("provider.get_tool.identity", uses=("get_tool",))
def get_tool_identity(ctx: Context) -> None:
    """``get_tool(n)`` is the very object served under ``n``."""

    def body(names: list[str]) -> None:
        provider, tools = _serve(ctx, names)
        for n, tool in tools.items():
            got = provider.get_tool(n)
            if got is not tool:
                raise CheckFailure(
                    f"get_tool({n!r}) returned {short(got, 60)}, not the object served under "
                    f"that name ({tool!r}, id {id(tool):#x})"
                )

    ctx.property(body, {"names": st.lists(_NAMES, min_size=1, max_size=4, unique=True)})


@implements("provider.get_tool.missing", uses=("get_tool",))
def get_tool_missing(ctx: Context) -> None:
    """``get_tool`` of an unserved name raises LookupError or ValueError."""

    def body(names: list[str], other: str) -> None:
        provider, tools = _serve(ctx, names)
        candidates = {other} | variants(names[0])
        for missing in sorted(candidates - set(tools)):
            try:
                got = provider.get_tool(missing)
            except (LookupError, ValueError):
                continue
            except Exception as exc:
                raise CheckFailure(
                    f"get_tool({missing!r}) raised {first_line(exc)}; expected a LookupError "
                    f"(ToolNotFoundError) or ValueError"
                ) from exc
            raise CheckFailure(
                f"get_tool({missing!r}) returned {short(got, 60)} instead of raising; only "
                f"{sorted(tools)!r} are served"
            )

    ctx.property(
        body,
        {"names": st.lists(_NAMES, min_size=1, max_size=3, unique=True),
         "other": st.text(max_size=8)},
        examples=({"names": ["search"], "other": "nope"},),
    )  # fmt: skip


_AWKWARD = ("", " ", "\x00", "\x1b[31m", "\ud800", "x" * 1_000_000, "🙂" * 1000, "\n\r\t", ".")


@implements("provider.total", uses=("has_tool",))
def total(ctx: Context) -> None:
    """``has_tool`` never raises, for any str."""
    provider, _ = _serve(ctx, ["search"])
    for name in _AWKWARD:
        try:
            provider.has_tool(name)
        except Exception as exc:
            raise CheckFailure(f"has_tool raised {first_line(exc)}", short(name, 60)) from exc

    def body(name: str) -> None:
        try:
            provider.has_tool(name)
        except Exception as exc:
            raise CheckFailure(f"has_tool raised {first_line(exc)}") from exc

    ctx.property(body, {"name": st.text()})


@implements("provider.threads", uses=_LOOKUP, budget=2.0)
def threads(ctx: Context) -> None:
    """8 threads see the same answers as one (consistency; correctness is checked elsewhere)."""
    names = ["alpha", "beta", "gamma", "delta"]
    provider, _ = _serve(ctx, names)
    probes = [*names, "missing", "Alpha", ""]
    # What one thread sees, asked first on this thread: threads must agree with it, right or
    # wrong (a wrong answer is provider.has_tool.exact's or get_tool.missing's finding).
    alone = {
        name: (_ask(provider.has_tool, name), _ask(provider.get_tool, name)) for name in probes
    }

    def step(rng: random.Random, n: int) -> str | None:
        name = rng.choice(probes)
        lookup = rng.random() < 0.5
        got = _ask(provider.get_tool if lookup else provider.has_tool, name)
        want = alone[name][1 if lookup else 0]
        if got[0] is want[0] and (got[1] is want[1] or (not lookup and got[1] == want[1])):
            return None
        method = "get_tool" if lookup else "has_tool"
        return f"{method}({name!r}) {_say(got)} under threads; in one thread it {_say(want)}"

    run = hammer(ctx, step, seconds=0.5, min_calls=40_000, max_seconds=2.0)
    if run.problem is not None:
        raise CheckFailure(
            run.problem,
            f"8 threads x mixed has_tool/get_tool over {probes!r}, {run.calls} calls in "
            f"{run.seconds:.2f} s",
        )


_RETURNED, _RAISED = "returned", "raised"


def _ask(method: Any, name: str) -> tuple[str, Any]:
    try:
        return _RETURNED, method(name)
    except Exception as exc:
        return _RAISED, type(exc)


def _say(answer: tuple[str, Any]) -> str:
    kind, value = answer
    if kind is _RAISED:
        return f"raised {value.__name__}"
    if isinstance(value, ProbeTool):
        return f"returned tool {value.name!r} (id {id(value):#x})"
    return f"returned {short(value, 60)}"


@implements("provider.registry", uses=_LOOKUP)
def registry(ctx: Context) -> None:
    """register_tool/unregister_tool behave like a dict (state machine vs a dict model)."""
    sample = ctx.sample
    if not (
        callable(getattr(sample, "register_tool", None))
        and callable(getattr(sample, "unregister_tool", None))
    ):
        raise CheckSkip("not applicable: the provider has no register_tool/unregister_tool")
    names = ["alpha", "beta", "Alpha", "gamma"]

    class RegistryMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.provider, served = _serve(ctx, ["seeded"])
            self.model: dict[str, object] = dict(served)

        @rule(name=st.sampled_from(names))
        def register(self, name: str) -> None:
            tool = ProbeTool(name, CallLog())
            self.provider.register_tool(name, tool)
            self.model[name] = tool

        @rule(name=st.sampled_from([*names, "seeded"]))
        def unregister(self, name: str) -> None:
            if name not in self.model:
                return  # unregistering an unknown name is not specified
            self.provider.unregister_tool(name)
            del self.model[name]

        @invariant()
        def agrees(self) -> None:
            for name in [*names, "seeded"]:
                has = self.provider.has_tool(name)
                if has != (name in self.model):
                    state = "registered" if name in self.model else "unregistered"
                    raise CheckFailure(f"has_tool({name!r}) is {has!r} for a {state} name")
                if name in self.model and self.provider.get_tool(name) is not self.model[name]:
                    raise CheckFailure(
                        f"get_tool({name!r}) is not the tool last registered under it"
                    )

    ctx.machine(RegistryMachine)
