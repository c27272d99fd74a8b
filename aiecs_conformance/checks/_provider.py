"""provider.*: exact lookup, identity, missing names, totality, threads, registration."""

from __future__ import annotations

import random
import unicodedata
from typing import Any

from hypothesis import strategies as st

from .._context import CheckFailure, Context, first_line, short
from .._probes import CallLog, ProbeTool
from . import implements
from ._threads import hammer

_LOOKUP = ("has_tool", "get_tool")

# Names where a sloppy lookup's variants really differ: combining marks (NFC vs NFD),
# ligatures and full-width forms (NFKC), case that folds to several letters, dotted I.
_TRICKY = ("search", "Search", "web_fetch", "tool-1", "a b", "café", "cafe\u0301", "ﬁle",
           "Straße", "ΣΑΣ", "İstanbul", "ＡＢＣ", "ǅemal", "x", "db.query", "日本語")  # fmt: skip

#: Tool names: tricky ones, identifiers, and any unicode text.
NAMES = st.one_of(
    st.sampled_from(_TRICKY),
    st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,15}", fullmatch=True),
    st.text(min_size=1, max_size=12),
)


def _serve(ctx: Context, names: list[str]) -> tuple[Any, dict[str, object]]:
    log = CallLog()
    tools: dict[str, object] = {n: ProbeTool(n, log) for n in names}
    return ctx.build(dict(tools)), tools


def variants(name: str) -> dict[str, str]:
    """Strings a sloppy lookup confuses with ``name``, each with how it was derived."""
    out: dict[str, str] = {}

    def add(value: str, how: str) -> None:
        if value != name and value not in out:
            out[value] = f"{how} of {name!r}"

    add(name.upper(), "the upper-case form")
    add(name.lower(), "the lower-case form")
    add(name.casefold(), "the casefold form")
    add(name.swapcase(), "the case-swapped form")
    add(name.title(), "the title-case form")
    add(name.capitalize(), "the capitalised form")
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        add(unicodedata.normalize(form, name), f"the {form} normalisation")
    add(unicodedata.normalize("NFKC", name).casefold(), "the NFKC-casefolded form")
    add(f" {name}", "a leading space + the name")
    add(f"{name} ", "the name + a trailing space")
    add(f"{name}\n", "the name + a newline")
    add(f"\t{name}", "a tab + the name")
    add(name + "\u200b", "the name + a zero-width space")
    add(name.strip(), "the stripped form")
    add(name[:-1], "the prefix without the last character")
    add(name[:1], "the first character")
    add(name + name[-1:], "the name with its last character doubled")
    add(name + "x", "the name + 'x' (a longer name it prefixes)")
    add(name.replace("_", "-"), "'_' replaced by '-'")
    add(name.replace("-", "_"), "'-' replaced by '_'")
    add(name.replace(" ", ""), "the name without spaces")
    add("", "the empty string, a prefix")
    return out


def _neighbours(served: list[str], others: list[str]) -> dict[str, str]:
    """Unserved strings to ask about, and how each was derived."""
    out: dict[str, str] = {o: "a generated string" for o in others}
    for n in served:
        for v, how in variants(n).items():
            out.setdefault(v, how)
    return {k: v for k, v in out.items() if k not in served}


@implements("provider.has_tool.exact", uses=("has_tool",))
def has_tool_exact(ctx: Context) -> None:
    """``has_tool`` is True exactly for served names."""

    def body(names: list[str], others: list[str]) -> None:
        provider, tools = _serve(ctx, names)
        for n in tools:
            got = provider.has_tool(n)
            if got is not True:
                raise CheckFailure(f"has_tool({n!r}) returned {short(got)} for a served name")
        for other, how in sorted(_neighbours(list(tools), others).items()):
            got = provider.has_tool(other)
            if got is not False:
                raise CheckFailure(
                    f"has_tool({other!r}) returned {short(got)}; that string is {how}, and "
                    f"only {sorted(tools)!r} are served (names compare exactly)"
                )

    ctx.property(
        body,
        {"names": st.lists(NAMES, min_size=1, max_size=4, unique=True),
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

    ctx.property(body, {"names": st.lists(NAMES, min_size=1, max_size=4, unique=True)})


@implements("provider.get_tool.missing", uses=("get_tool",))
def get_tool_missing(ctx: Context) -> None:
    """``get_tool`` of an unserved name raises LookupError or ValueError."""

    def body(names: list[str], other: str) -> None:
        provider, tools = _serve(ctx, names)
        for missing, how in sorted(_neighbours(list(tools), [other]).items()):
            try:
                got = provider.get_tool(missing)
            except (LookupError, ValueError):
                continue
            except Exception as exc:
                raise CheckFailure(
                    f"get_tool({missing!r}) ({how}) raised {first_line(exc)}; expected a "
                    f"LookupError (ToolNotFoundError) or ValueError"
                ) from exc
            raise CheckFailure(
                f"get_tool({missing!r}) returned {short(got, 60)} instead of raising; that "
                f"string is {how}, and only {sorted(tools)!r} are served"
            )

    ctx.property(
        body,
        {"names": st.lists(NAMES, min_size=1, max_size=3, unique=True),
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


from . import _provider_registry  # noqa: E402  (registers provider.registry, .threads)

del _provider_registry
