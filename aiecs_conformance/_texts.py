"""Every check of every contract: id, contract, severity, text and condition — the normative text.

The kit's registry, `aiecs-conformance list` and the docs table all read this one table;
the docs' contract pages are generated from it; a unit test compares it with the design
team's specification, when present, so the two cannot drift apart.
"""

from __future__ import annotations

from ._info import CheckInfo

__all__ = ["CHECKS", "PENDING"]


def _c(
    id: str,
    contract: str,
    severity: str,
    text: str,
    *,
    condition: str | None = None,
    since: str = "0.1",
) -> CheckInfo:
    assert severity in ("must", "should"), severity
    return CheckInfo(
        id=id,
        contract=contract,
        severity="must" if severity == "must" else "should",
        text=text,
        since=since,
        condition=condition,
    )


# The ids whose checks are not written yet: their texts are here (so the
# registry is one table), but `CHECKS` leaves them out until a check implements them.
PENDING: frozenset[str] = frozenset()

_ALL: tuple[CheckInfo, ...] = (
    _c(
        "provider.has_tool.exact",
        "tool-provider",
        "must",
        "`has_tool(n)` is `True` for every served name and `False` for every other string (case, "
        "whitespace and unicode variants included).",
    ),
    _c(
        "provider.get_tool.identity",
        "tool-provider",
        "must",
        "`get_tool(n)` returns the object served under `n` (identity, not a copy) for every "
        "served name.",
    ),
    _c(
        "provider.get_tool.missing",
        "tool-provider",
        "must",
        "`get_tool(n)` for an unserved name raises — `ToolNotFoundError` (a `LookupError`) or "
        "any `LookupError`/`ValueError`; never returns `None` or another tool.",
    ),
    _c(
        "provider.total",
        "tool-provider",
        "must",
        "`has_tool` never raises, for any `str` (empty, huge, control characters).",
    ),
    _c(
        "provider.threads",
        "tool-provider",
        "should",
        "8 threads calling `has_tool`/`get_tool` concurrently see the same answers as one thread.",
    ),
    _c(
        "provider.registry",
        "tool-provider",
        "must",
        "after `register_tool(n, t)`: `has_tool(n)` and `get_tool(n) is t`, also when `n` was "
        "served before (the latest registration wins); after `unregister_tool(n)`: `has_tool(n)` "
        "is `False` and `get_tool(n)` raises as for a never-served name. Checked as a state "
        "machine over interleaved register / unregister / has / get on overlapping names.",
        condition="if `register_tool`/`unregister_tool` exist",
    ),
    _c(
        "provider.registry.threads",
        "tool-provider",
        "should",
        "8 threads registering and unregistering distinct names concurrently lose no update: "
        "afterwards every name's `has_tool`/`get_tool` answer matches the last operation on it.",
        condition="if `register_tool`/`unregister_tool` exist",
        since="0.2",
    ),
    _c(
        "executor.sync.result",
        "tool-executor",
        "must",
        "`execute(tool, op, **p)` returns exactly what `tool.op(**p)` returns (the same object) "
        "— called from plain synchronous code, and for sync ops also from inside a running event "
        'loop — for generated `p` and generated return values — falsy ones (`None`, `0`, `""`, '
        "`False`, `[]`, `{}`) and an exception instance *returned* as a value included.",
    ),
    _c(
        "executor.async.result",
        "tool-executor",
        "must",
        "`await execute_async(tool, op, **p)` returns the result of an `async def` op (awaited) "
        "and of a plain `def` op, with the same generated return values.",
    ),
    _c(
        "executor.op_shapes",
        "tool-executor",
        "must",
        "both methods run every public callable a tool can expose under a name: a method defined "
        "on the tool's class or inherited from a base class or mixin, a `staticmethod` or "
        "`classmethod`, an instance attribute holding a function, a bound method of another "
        "object, a `functools.partial` or a callable object (sync or `async def __call__`), and "
        "an `async def` wrapped by a plain (sync) decorator such as a `functools.wraps` wrapper. "
        "Async-ness follows what the call returns: an awaitable returned by a plain callable is "
        "awaited by `execute_async` (and by `execute`, or refused with a clear error, where a "
        "loop already runs in the thread).",
        since="0.2",
    ),
    _c(
        "executor.params.passthrough",
        "tool-executor",
        "must",
        "the op receives exactly `p` — same keys, equal values, nothing added, nothing dropped, "
        "no value rewritten or refused (strings with `;`, `--`, `SELECT` pass through).",
    ),
    _c(
        "executor.errors.propagate",
        "tool-executor",
        "must",
        "an exception raised by the op is raised to the caller (wrapped as "
        "`OperationFailedError` with `__cause__` set, or unwrapped); an exception that carries "
        "the op's exception only as `__context__` (the accident of a failing `raise`) does not "
        "count as wrapping it; never swallowed, never returned as a value — for any `Exception` "
        "subclass, with or without a message (`TimeoutError()`, `KeyError()`, a user-defined "
        "class).",
    ),
    _c(
        "executor.errors.typed",
        "tool-executor",
        "should",
        "that exception is an `OperationFailedError` whose `__cause__` is the op's exception.",
    ),
    _c(
        "executor.unknown_op",
        "tool-executor",
        "must",
        "an op name the tool lacks raises (`OperationNotFoundError` preferred); nothing is called.",
    ),
    _c(
        "executor.private_refused",
        "tool-executor",
        "must",
        "an op name starting with `_` (`_secret`, `__class__`, `__init__`, `__reduce__`) raises "
        "and the probe records no call. Also for names that are not identifiers (`a.b`, `op()`, "
        "`''`).",
    ),
    _c(
        "executor.sync.no_coroutine_leak",
        "tool-executor",
        "must",
        "`execute` on an `async def` op returns the awaited result or raises a clear error; it "
        "never returns a coroutine object.",
    ),
    _c(
        "executor.async.nonblocking",
        "tool-executor",
        "should",
        "`execute_async` on a blocking sync op (sleeps 0.2 s) lets other coroutines on the loop "
        "keep running.",
    ),
    _c(
        "executor.isolation.tools",
        "tool-executor",
        "must",
        "two different tool objects with an op of the same name and equal params each get their "
        "own result, also when the executor caches.",
    ),
    _c(
        "executor.inputs.unchanged",
        "tool-executor",
        "must",
        "the values passed as params (nested lists, dicts, sets, models) are unchanged after the "
        "call, whatever the op did with its own copy of the mapping.",
        since="0.2",
    ),
    _c(
        "executor.concurrency",
        "tool-executor",
        "must",
        "50 concurrent `execute_async` calls with distinct params each get their own result.",
    ),
    _c(
        "executor.cancel",
        "tool-executor",
        "must",
        "cancelling a pending `execute_async` call of an `async def` op raises "
        "`asyncio.CancelledError` in the caller — never wrapped, swallowed or turned into a "
        "result — and the op's coroutine is cancelled (its `finally` blocks run).",
        since="0.2",
    ),
    _c(
        "executor.contextvars",
        "tool-executor",
        "should",
        "a `contextvars.ContextVar` value set by the caller is visible inside the op, for `async "
        "def` ops and for sync ops run off the event loop.",
        since="0.2",
    ),
    _c(
        "cache.inputs.unchanged",
        "cache-provider",
        "must",
        "`generate_cache_key` changes none of its arguments (nested values included); "
        "`add_to_cache` / `get_from_cache` change no value handed to or returned by them.",
        since="0.2",
    ),
    _c(
        "cache.key.type",
        "cache-provider",
        "must",
        "`generate_cache_key(...)` returns a non-empty `str`.",
    ),
    _c(
        "cache.key.total",
        "cache-provider",
        "must",
        "it returns a key, without raising, for every input built from the params value domain "
        "(datetime, bytes, sets, Decimal, pydantic models… included), ints of any size (over "
        "4,300 digits included) and strings of 1 MB.",
    ),
    _c(
        "cache.key.deterministic",
        "cache-provider",
        "must",
        "structurally identical inputs — same types and same reprs, built separately — give "
        "equal keys, also when dict insertion order or set iteration order differs.",
    ),
    _c(
        "cache.key.stable_across_processes",
        "cache-provider",
        "must",
        "the same input gives the same key in a fresh interpreter with a different "
        "`PYTHONHASHSEED` (checked when the factory is importable; skipped, and said so, "
        "otherwise).",
    ),
    _c(
        "cache.key.distinct",
        "cache-provider",
        "must",
        "inputs that differ in any one of operation_type, user_id, task_id, args or kwargs give "
        'different keys: unequal values (`!=`); boundary shifts (`("ab","c")` vs `("a","bc")`); '
        '`1` vs `"1"` vs `1.0` vs `True`; a value vs its string form (`Decimal("1")` vs `"1"`, '
        '`b"x"` vs `"x"`, a datetime vs its isoformat); `None` vs an absent key; instances of '
        "two different classes with equal fields or values (pydantic models, dataclasses, named "
        "tuples, members of two `Enum` classes); a dataclass or model vs the equal `dict`; an "
        "`Enum` member vs its value (for enums that do not subclass `int` or `str`); a naive vs "
        "an aware `datetime`; strings that differ only after their first 1,000 characters; "
        'strings that differ only in case or in unicode normalisation (`"ﬁ"` vs `"fi"`, NFC vs '
        "NFD). Values equal under `==` but written differently (`0.0`/`-0.0`, "
        '`Decimal("1.0")`/`Decimal("1.00")`, one instant in two time zones) and `tuple` vs '
        "`list` may share a key or not.",
    ),
    _c(
        "cache.key.user_isolation",
        "cache-provider",
        "must",
        "for equal everything else, two different `user_id`s never share a key.",
    ),
    _c(
        "cache.roundtrip",
        "cache-provider",
        "must",
        "after `add_to_cache(k, v)`, `get_from_cache(k)` equals a deep copy of `v` taken before "
        'the add, for every params value, falsy ones (`0`, `""`, `[]`, `False`) included: the '
        "cache never changes a value it stores or returns.",
    ),
    _c(
        "cache.miss",
        "cache-provider",
        "must",
        "`get_from_cache(k)` for a never-added key returns `None`.",
    ),
    _c(
        "cache.overwrite",
        "cache-provider",
        "must",
        "a second `add_to_cache(k, v2)` wins.",
    ),
    _c(
        "cache.threads",
        "cache-provider",
        "must",
        "8 threads doing mixed add/get on overlapping keys raise nothing, and every read returns "
        "`None` or a value that was written under that key.",
    ),
    _c(
        "cache.bounded",
        "cache-provider",
        "must",
        "`len(cache) <= max_size` after any sequence of adds.",
        condition="if the cache has `__len__` and an int `max_size`",
    ),
    _c(
        "cache.clear",
        "cache-provider",
        "must",
        "after `clear()`, every previously added key misses.",
        condition="if the cache has `clear()`",
    ),
    _c(
        "operations.single.result",
        "operation-executor",
        "must",
        '`execute_operation("t.op", p)` returns what `tools["t"].op(**p)` returns (sync or async '
        "op).",
    ),
    _c(
        "operations.spec.invalid",
        "operation-executor",
        "must",
        'a malformed spec (`""`, `"t"`, `".op"`, `"t."`, `"t._x"`, `"t.__class__"`, `"t.op()"`, '
        "surrounding whitespace, a dotted path through the tool's attributes such as "
        '`"t.log.snapshot"` or `"t.echo.__self__"`, non-`str`) raises — '
        "`InvalidOperationSpecError` (a `ValueError`) preferred — and calls nothing.",
    ),
    _c(
        "operations.spec.unknown",
        "operation-executor",
        "must",
        "an unknown tool or op raises (`ToolNotFoundError` / `OperationNotFoundError` preferred) "
        "and calls nothing.",
    ),
    _c(
        "operations.batch.shape",
        "operation-executor",
        "must",
        "`batch_execute_operations(ops)` returns a list of `len(ops)`, in input order; a failing "
        "op's slot holds the exception instance, the others their results; it never raises "
        "because one op failed.",
    ),
    _c(
        "operations.sequence.order",
        "operation-executor",
        "must",
        "`execute_operations_sequence` calls ops strictly one after another in input order (no "
        "overlap) and returns one `TaskStepResult` per executed op, in order.",
    ),
    _c(
        "operations.sequence.continue",
        "operation-executor",
        "must",
        "with `stop_on_failure=False` every op runs; failed ones are `status=failed`, "
        "`completed=False`, `error_code=E003` (or a more specific code), non-empty "
        "`error_message` (also for an exception raised without a message: it then names at least "
        "the exception's type), `result=None`.",
    ),
    _c(
        "operations.sequence.stop",
        "operation-executor",
        "must",
        "with `stop_on_failure=True` the run stops at the first failure: results end with that "
        "failed step, and no later op is called.",
    ),
    _c(
        "operations.sequence.callback",
        "operation-executor",
        "must",
        "`save_callback`, when given, is awaited exactly once per returned result, in order, as "
        "`(user_id, task_id, index, result)` — the failed step that stops a run included.",
    ),
    _c(
        "operations.parallel.shape",
        "operation-executor",
        "must",
        "`execute_parallel_operations(ops)` returns `len(ops)` `TaskStepResult`s in input order; "
        "failures are captured as failed results, never raised.",
    ),
    _c(
        "operations.parallel.concurrent",
        "operation-executor",
        "must",
        "the ops really overlap in time: `n` ops that each wait on a shared `n`-party barrier "
        "all complete (a sequential executor deadlocks and fails by timeout).",
    ),
    _c(
        "operations.results.consistent",
        "operation-executor",
        "must",
        "every returned `TaskStepResult` satisfies the model's consistency rules.",
    ),
    _c(
        "operations.results.step",
        "operation-executor",
        "must",
        "every returned `TaskStepResult`'s `step` is its op's `operation` string, as in the "
        "original AIECS.",
        since="0.2",
    ),
    _c(
        "operations.results.any_value",
        "operation-executor",
        "must",
        'an op\'s falsy result (`0`, `""`, `None`, `False`, `[]`, `{}`) or an exception instance '
        "it *returns* is a completed step carrying that result (sequence, parallel) or that "
        "slot's value (batch); only a raised exception is a failure.",
        since="0.2",
    ),
    _c(
        "operations.inputs.unchanged",
        "operation-executor",
        "must",
        "no method changes what the caller passed: the `operations` list, each op dict and its "
        "`params` (nested values included) compare equal to a deep copy taken before the call.",
        since="0.2",
    ),
    _c(
        "operations.empty",
        "operation-executor",
        "must",
        "every method given `[]` returns `[]`.",
    ),
    _c(
        "operations.cancel",
        "operation-executor",
        "should",
        "cancelling `execute_parallel_operations` raises `CancelledError` in the caller (the "
        "cancellation is not swallowed into results) and cancels its in-flight ops: none is "
        "still running 1 s later.",
    ),
    _c(
        "engine.operation.result",
        "execution-interface",
        "must",
        "as `operations.single.result`.",
    ),
    _c(
        "engine.operation.batch",
        "execution-interface",
        "must",
        "as `operations.batch.shape`.",
    ),
    _c(
        "engine.task.result",
        "execution-interface",
        "must",
        "`execute_task(name, input_data, context)` returns the task's result; the task is called "
        "positionally, `task(input_data, context)` — its parameters may have any names — and "
        "receives values equal to what was passed.",
    ),
    _c(
        "engine.inputs.unchanged",
        "execution-interface",
        "must",
        "no method changes what the caller passed: operations and their params, task items, "
        "`input_data` and `context` compare equal to deep copies taken before the call.",
        since="0.2",
    ),
    _c(
        "engine.task.unknown",
        "execution-interface",
        "must",
        "an unknown task name raises (`TaskNotFoundError` preferred); nothing is called.",
    ),
    _c(
        "engine.task.batch",
        "execution-interface",
        "must",
        '`batch_execute_tasks(tasks)` (items `{"task_name", "input_data", "context"}`) returns '
        "`len(tasks)` results in input order; each task receives its own item's `input_data` and "
        "`context`; a failing task's slot holds the exception.",
    ),
    _c(
        "engine.operation.refusals",
        "execution-interface",
        "must",
        "a malformed, private or unknown spec given to `execute_operation` raises, and in "
        "`batch_execute_operations` fills its slot with the exception, calling nothing — as "
        "`operations.spec.invalid` and `operations.spec.unknown`.",
        since="0.2",
    ),
    _c(
        "engine.register_executor",
        "execution-interface",
        "must",
        "registering an `executor_instance` that does not structurally conform to "
        "`IOperationExecutor` (an `int`, an object lacking a method, one with a sync method the "
        "Protocol declares async) is refused with `TypeError` naming what is missing.",
        condition="if it does not raise `NotImplementedError`",
    ),
    _c(
        "retry.succeeds",
        "retrying-executor",
        "must",
        "an op that fails `k < max_retries` times and then succeeds returns its result after "
        "exactly `k + 1` calls (one call when it does not fail).",
        since="0.2",
    ),
    _c(
        "retry.exhausts",
        "retrying-executor",
        "must",
        "an op that always fails is called exactly `max_retries` times; the error raised is its "
        "last failure (same type and message; it need not be the same object), or an exception "
        "whose `__cause__` is that failure (`RetryExhaustedError` preferred).",
        since="0.2",
    ),
    _c(
        "retry.passthrough",
        "retrying-executor",
        "must",
        "every attempt receives exactly `**params`: `max_retries` is not passed to the op, "
        "nothing else is added or changed.",
        since="0.2",
    ),
    _c(
        "retry.refusals",
        "retrying-executor",
        "must",
        "a private, malformed or unknown op name raises at once: the op is called zero times and "
        "nothing is retried.",
        since="0.2",
    ),
    _c(
        "retry.backoff",
        "retrying-executor",
        "should",
        "attempts are spaced (no busy loop: consecutive attempts at least 1 ms apart) and the "
        "whole call with `max_retries=4` on an always-failing op ends within 10 s.",
        since="0.2",
    ),
    _c(
        "metrics.result",
        "tool-executor-v2",
        "must",
        "`await execute_with_metrics(tool, op, **p)` returns what the op returns (sync or async "
        "op), passes `p` through unchanged, and lets the op's exception propagate as "
        "`executor.errors.propagate` says.",
        since="0.2",
    ),
    _c(
        "metrics.counts",
        "tool-executor-v2",
        "must",
        "after any generated sequence of successful and failing `execute_with_metrics` calls "
        "(public op names without `_error` in them, no refused names), `count` under each op "
        '(and under `"<op>_error"` for failures) equals the number of those calls, also when 8 '
        "threads or 50 coroutines call at once.",
        condition="if `get_performance_metrics` exists",
        since="0.2",
    ),
    _c(
        "metrics.times",
        "tool-executor-v2",
        "must",
        "for every entry `0 <= min_time <= avg_time <= max_time` (relative tolerance 1e-9), in "
        "seconds: an op that sleeps 50 ms records `0.05 <= max_time < 5`, and `avg_time` lies "
        "within 10 % of the mean of ops with known sleep times.",
        condition="if `get_performance_metrics` exists",
        since="0.2",
    ),
    _c(
        "context.result",
        "async-context-executor",
        "must",
        "inside the context, `execute_in_context(spec, **p)` returns what `tools[tool].op(**p)` "
        "returns, sync or async op; an op's exception propagates as `executor.errors.propagate` "
        "says.",
        since="0.2",
    ),
    _c(
        "context.refusals",
        "async-context-executor",
        "must",
        "a malformed, private or unknown spec raises and calls nothing, as `operations.spec.*`.",
        since="0.2",
    ),
    _c(
        "context.exceptions",
        "async-context-executor",
        "must",
        "an exception raised inside the `async with` body propagates out of it unchanged: "
        "`__aexit__` never swallows it.",
        since="0.2",
    ),
    _c(
        "context.closed",
        "async-context-executor",
        "should",
        "`execute_in_context` before entering or after leaving the context raises a clear error "
        "and calls nothing.",
        since="0.2",
    ),
    _c(
        "context.cleanup",
        "async-context-executor",
        "should",
        "after the context exits, no asyncio task the executor created and no thread of a pool "
        "it created is still running (the loop's default executor is not the executor's).",
        since="0.2",
    ),
    _c(
        "version.format",
        "versioned",
        "must",
        "`get_version()` returns a release string of at least two dot-separated non-negative "
        'integers without leading zeros (`"1.5.0"`, `"2.10"`; not `"v1.5"`, `"1.5.0-beta"`, '
        '`"01.2"`), equal to the `version` attribute.',
        since="0.2",
    ),
    _c(
        "version.stable",
        "versioned",
        "must",
        "repeated calls return the same value, from any thread.",
        since="0.2",
    ),
    _c(
        "monitor.report.shape",
        "interface-monitor",
        "must",
        "the report has exactly those five keys; the two `*_by_interface` values are dicts keyed "
        '`"<interface>.<method>"`.',
        since="0.2",
    ),
    _c(
        "monitor.report.counts",
        "interface-monitor",
        "must",
        "after any generated sequence of records: `total_usage` is the number of records, "
        "`total_errors` the number with `success=False`, each `usage_by_interface[k]` / "
        "`errors_by_interface[k]` the count for that key (absent or 0 when none), `error_rate == "
        "total_errors / total_usage` (0 when there is no usage).",
        since="0.2",
    ),
    _c(
        "monitor.threads",
        "interface-monitor",
        "must",
        "8 threads recording concurrently lose no count.",
        since="0.2",
    ),
    _c(
        "monitor.isolation",
        "interface-monitor",
        "must",
        "the returned report is a snapshot: changing it changes nothing inside the monitor, and "
        "later records do not change an earlier report.",
        since="0.2",
    ),
    _c(
        "monitor.report.consistent",
        "interface-monitor",
        "should",
        "a report taken while other threads record is consistent with itself: `total_usage` "
        "equals the sum of `usage_by_interface`, `total_errors` the sum of "
        "`errors_by_interface`, and `total_errors <= total_usage`.",
        since="0.2",
    ),
    _c(
        "signature.members",
        "signature",
        "must",
        "every required member exists and is callable.",
    ),
    _c(
        "signature.async",
        "signature",
        "must",
        "a member the Protocol declares `async` is a coroutine function on the implementation, "
        "and a sync one is not.",
    ),
    _c(
        "signature.parameters",
        "signature",
        "must",
        "every Protocol parameter is accepted in the same way (positional and/or keyword, by the "
        "same name where the Protocol allows keywords); `**params` where the Protocol has it; "
        "any extra parameter has a default; where the Protocol gives a parameter a default "
        "(`stop_on_failure=False`, `save_callback=None`, `max_retries=3`), the implementation "
        "gives the same default.",
    ),
    _c(
        "signature.annotations",
        "signature",
        "should",
        "where the implementation annotates, its annotations are compatible with the Protocol's.",
    ),
)

CHECKS: tuple[CheckInfo, ...] = tuple(c for c in _ALL if c.id not in PENDING)
