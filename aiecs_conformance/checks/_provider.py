"""provider.*: exact lookup, identity, missing names, totality, threads, registration."""

from __future__ import annotations

import random
import sys
import threading
import unicodedata
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from .._context import CheckFailure, CheckSkip, Context, first_line, short
from .._probes import CallLog, ProbeTool
from . import implements

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
    """8 threads see the same answers as one."""
    names = ["alpha", "beta", "gamma", "delta"]
    provider, tools = _serve(ctx, names)
    probes = [*names, "missing", "Alpha", ""]
    errors: list[str] = []
    start = threading.Barrier(8)

    def expect(name: str) -> tuple[bool, object]:
        return (name in tools, tools.get(name))

    def worker(n: int) -> None:
        rng = random.Random(ctx.seed + n)
        try:
            start.wait(timeout=ctx.timeout)
            for _ in range(1500):
                name = rng.choice(probes)
                has = provider.has_tool(name)
                if has != (name in tools):
                    errors.append(f"has_tool({name!r}) returned {has!r} under threads")
                    return
                if name in tools and provider.get_tool(name) is not expect(name)[1]:
                    errors.append(f"get_tool({name!r}) returned another object under threads")
                    return
        except Exception as exc:
            errors.append(f"thread {n} raised {first_line(exc)}")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        pool = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(8)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(ctx.timeout * 2)
    finally:
        sys.setswitchinterval(interval)
    if any(t.is_alive() for t in pool):
        raise CheckFailure(f"8 threads of lookups did not finish in {ctx.timeout * 2:g} s")
    if errors:
        raise CheckFailure(errors[0], f"8 threads x 1500 lookups over {probes!r}")


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
