"""Triage of the mutants that survive the kit: equivalent (why) or a miss (which id).

`RULES` classify whole families by a regular expression searched in the mutant's
fingerprint (``target:function: -old | +new``, as printed in `conformance/mutation.md`);
`TRIAGE` classifies single fingerprints and wins over the rules. Values are
``("equivalent", why)`` or ``("miss", the id that should catch it)``. A survivor neither
names is listed as unclassified, so a new one shows at once.
"""

# ruff: noqa: E501 -- the patterns match whole source lines of the targets; split, they read worse

from __future__ import annotations

import re

__all__ = ["RULES", "TRIAGE", "classify"]

_ERROR = r"(Error|Exception)\("

RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"cast\("),
        "equivalent",
        "typing.cast is the identity at run time: its first argument is never read",
    ),
    (
        re.compile(rf"-raise \w+{_ERROR}.*\| \+raise \w+{_ERROR}"),
        "equivalent",
        "only what a raised error says changes (message, attributes): the contracts "
        "constrain that it raises and its type, not its text",
    ),
    (
        re.compile(
            r": -(repr\()?(operation_name|tool_name|op_name|task_name)\)?, tool=.*available="
        ),
        "equivalent",
        "the arguments of an error constructor (message, attributes) are not constrained",
    ),
    (
        re.compile(r"-f\"[^|]*\" \| (\+None|-f\")"),
        "equivalent",
        "an error message's wording is not constrained",
    ),
    (
        re.compile(r"-spec=spec,"),
        "equivalent",
        "the `spec` attribute of a refusal is not constrained",
    ),
    (
        re.compile(r'-(return )?f"[^|]*",? \| \+((return )?f"|None,?$)'),
        "equivalent",
        "only an error message's wording changes",
    ),
    (
        re.compile(r'-return \[?"(\w+)"[^|]*\| \+return \[?"(XX\w+XX|[A-Z]+)"'),
        "equivalent",
        "a type tag of the canonical encoding renamed to a tag no other branch writes: keys "
        "stay distinct, deterministic and stable",
    ),
    (
        re.compile(r"correct_cache:_dumps: .*json\.dumps\(data, "),
        "equivalent",
        "the canonical data is lists of tagged values (model and dataclass fields in "
        "declaration order): sort_keys, separators and ensure_ascii (True by default) change "
        "the bytes, not which inputs share a key",
    ),
    (
        re.compile(
            r'correct_cache:LruCache\.generate_cache_key: .*(\"ASCII\"|"XXaiecs:XX"|"AIECS:")'
        ),
        "equivalent",
        "the key's fixed prefix or the name of the ASCII codec changes, not which inputs share "
        "a key",
    ),
    (
        re.compile(r'correct_cache:canonical: -return \["repr", '),
        "equivalent",
        "the repr branch is reached only by values outside the params value domain (every "
        "domain type has its own branch above it)",
    ),
    (
        re.compile(r"correct_cache:canonical: -if dataclasses\.is_dataclass\(value\) and not"),
        "equivalent",
        "past the model branch only dataclasses and values outside the domain reach this test",
    ),
    (
        re.compile(r"correct_cache:canonical: -return \[type\((sequence|group)\)\.__name__"),
        "equivalent",
        "list and tuple (set and frozenset) then share a tag: CONTRACTS.md lets `tuple` vs "
        "`list` share a key, and a set equals the frozenset of its members",
    ),
    (
        re.compile(r"correct_cache:canonical: -return \[type\(value\)\.__name__, bytes"),
        "equivalent",
        "bytes get the tag 'NoneType', which no other branch writes (None is written as null)",
    ),
    (
        re.compile(r"correct_cache:canonical: .*canonical\(None\)\]"),
        "equivalent",
        "an enum member is identified by its class and name; its value adds nothing",
    ),
    (
        re.compile(
            r"correct_cache:canonical: -items\.sort\(key=_dumps\) \| \+items\.sort\(key=None\)"
        ),
        "equivalent",
        "dict keys are str in the domain: sorting the encoded pairs themselves gives a total, "
        "deterministic order too",
    ),
    (
        re.compile(
            r'correct_cache:canonical: -if isinstance\(value, tuple\) and hasattr\(type\(value\), "_fields"\).*\| \+if isinstance\(value, tuple\) or hasattr'
        ),
        "equivalent",
        "every tuple is then written as a named tuple of class builtins.tuple, still tagged "
        "apart from lists and from other classes",
    ),
    (
        re.compile(
            r"(max_size: int = 1025|LruCache\(max_size=65\)|if max_size <(=)? [12]:|"
            r"while len\(self\._data\) >= self\.max_size|popitem\(last=None\))"
        ),
        "equivalent",
        "the bound's size, the validation of a constructor argument, or evicting one entry "
        "early: `len(cache) <= max_size` still holds and the latest add reads back",
    ),
    (
        re.compile(r"ThreadPoolExecutor\(|run_in_executor\(None, "),
        "equivalent",
        "the pool's size, thread names, or the loop's default executor (CONTRACTS.md: the "
        "default executor is not the executor's) are not constrained",
    ),
    (
        re.compile(r"await asyncio\.to_thread\(pool\.shutdown, (None|False|)\)"),
        "equivalent",
        "shutdown without waiting: idle workers get their stop signal at once and exit; "
        "nothing they run outlives the context",
    ),
    (
        re.compile(r"(partition|rpartition)\(\"\.\"\) \| \+.*rpartition\("),
        "equivalent",
        "partition and rpartition differ only for specs with two dots, refused either way "
        "(the op is not an identifier, or the tool is unknown)",
    ),
    (
        re.compile(
            r"getattr\([^|]*, \) *$|getattr\(tool, operation_name, \)|"
            r"getattr\(self\._tools\[tool_name\], op_name, \)|getattr\(tool, (op_)?name, \)"
        ),
        "equivalent",
        "a missing op then raises AttributeError instead of OperationNotFoundError: it still "
        "raises and calls nothing (the rows prefer the typed error, they do not require it)",
    ),
    (
        re.compile(r"if method is None and not callable\(method\)"),
        "equivalent",
        "a non-callable attribute then fails when called instead of being refused: it still "
        "raises (or fails its step) and runs nothing",
    ),
    (
        re.compile(r"_public_ops|public = "),
        "equivalent",
        "only the `available` list an error carries changes",
    ),
    (
        re.compile(
            r"correct_tool_executor:_run_coroutine: .*(close|callable\(None\)|_refuse_inside_running_loop\(None\))"
        ),
        "equivalent",
        "closing a refused coroutine only silences Python's 'never awaited' warning; the op's "
        "body does not run either way (and the refusal's message is not constrained)",
    ),
    (
        re.compile(
            r"_refuse_inside_running_loop\(None\)|_run_coroutine\(None, result\)|"
            r"failed\((None, exc|operation_name, None)\)|OperationFailedError\(None\)|"
            r"type\(None\)\.__name__\}: \{exc\}"
        ),
        "equivalent",
        "only the text of an error (or of a refusal) changes",
    ),
    (
        re.compile(
            r"correct_tool_executor:ToolExecutor\.execute: -if inspect\.iscoroutinefunction\(method\)"
        ),
        "equivalent",
        "the async op is then refused after it was called, by the same running-loop test, "
        "and its coroutine closed unrun: the same behaviour one step later",
    ),
    (
        re.compile(
            r"correct_tool_executor:ToolExecutor\.execute_async: -if inspect\.iscoroutinefunction\(method\)"
        ),
        "equivalent",
        "an async def op then goes through to_thread, returns its coroutine, which is awaited "
        "on the loop: the same result (a thread hop slower)",
    ),
    (
        re.compile(
            r"correct_operation_executor:OperationExecutor\.execute_operation: -if inspect\.iscoroutinefunction\(method\)"
        ),
        "equivalent",
        "an async def op then goes through to_thread, returns its coroutine, which is awaited "
        "on the loop: the same result (a thread hop slower)",
    ),
    (
        re.compile(r"correct_operation_executor:failed_step: "),
        "equivalent",
        "a failed step then always carries E003, which operations.sequence.continue allows "
        '("E003 or a more specific code")',
    ),
    (
        re.compile(r"correct_operation_executor:step_name: "),
        "equivalent",
        "how the failed step of a non-str spec or a non-dict item names it is not constrained "
        "(operations.results.step speaks of the op's operation string)",
    ),
    (
        re.compile(
            r"correct_operation_executor:parse_spec: -if not dot or not tool or .*\| \+if not dot and not tool or"
        ),
        "equivalent",
        "only `.op` is then let through, as tool '' — no tool has that name, so it is refused "
        "as unknown",
    ),
    (
        re.compile(
            r"correct_async_context_executor:PooledContextExecutor\._resolve: -if not isinstance\(operation, str\) or \"\.\" not in operation"
        ),
        "equivalent",
        "a spec without a dot is still refused by the next test (an empty op name is not an "
        "identifier), and a non-str spec raises TypeError: it raises and calls nothing",
    ),
    (
        re.compile(r"correct_execution_interface:ExecutionEngine\.use_executor: "),
        "equivalent",
        "use_executor is the target's own extra, not a member of IExecutionInterface",
    ),
    (
        re.compile(
            r"correct_retrying_executor:RetryingExecutor\.(__init__|execute_with_retry): .*"
            r"(first_pause: float = 1\.002|longest_pause: float = 1\.05|pause \* 3|pause / 2)"
        ),
        "equivalent",
        "the backoff's schedule: retry.backoff asks only that attempts be >= 1 ms apart and "
        "4 attempts end within 10 s (halving from 2 ms gives 2, 1 and 0.5 ms sleeps plus the "
        "loop's wake-up, at the row's threshold)",
    ),
    (
        re.compile(
            r'correct_tool_executor_v2:Stats\.__init__: -self\.low = float\("inf"\) \| \+self\.low = float\("INF"\)'
        ),
        "equivalent",
        "float('INF') is float('inf')",
    ),
)

TRIAGE: dict[str, tuple[str, str]] = {
    "correct_async_context_executor:PooledContextExecutor.__aexit__: -if pool is not None: "
    "| +if pool is None:": (
        "equivalent",
        "the pool's last reference is dropped on exit, and CPython's ThreadPoolExecutor then "
        "wakes its idle workers, which exit (context.cleanup sees none left)",
    ),
    'correct_operation_executor:parse_spec: -f"operation spec must be a str like '
    "'tool.op', got {type(spec).__name__} {spec!r}\",": (
        "equivalent",
        "only the refusal's message changes",
    ),
}


def classify(fingerprint: str) -> tuple[str, str] | None:
    """The triage verdict for ``fingerprint``: an exact entry first, then the rules."""
    if fingerprint in TRIAGE:
        return TRIAGE[fingerprint]
    for pattern, verdict, why in RULES:
        if pattern.search(fingerprint):
            return verdict, why
    return None
