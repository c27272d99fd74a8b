"""Every check of CONTRACTS.md: id, contract, severity, text and condition, copied verbatim.

The kit's registry, `aiecs-conformance list` and the docs table all read this one table;
a unit test compares it with CONTRACTS.md so the two cannot drift apart.
"""

from __future__ import annotations

from ._info import CheckInfo

__all__ = ["CHECKS"]


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


CHECKS: tuple[CheckInfo, ...] = (
    _c(
        "provider.has_tool.exact",
        "tool-provider",
        "must",
        "`has_tool(n)` is `True` for every served name and `False` for every other string"
        " (case, whitespace and unicode variants included).",
    ),
    _c(
        "provider.get_tool.identity",
        "tool-provider",
        "must",
        "`get_tool(n)` returns the object served under `n` (identity, not a copy) for "
        "every served name.",
    ),
    _c(
        "provider.get_tool.missing",
        "tool-provider",
        "must",
        "`get_tool(n)` for an unserved name raises — `ToolNotFoundError` (a "
        "`LookupError`) or any `LookupError`/`ValueError`; never returns `None` or "
        "another tool.",
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
        "after `register_tool(n, t)`: `has_tool(n)` and `get_tool(n) is t`; after "
        "`unregister_tool(n)`: `has_tool(n)` is `False`.",
        condition="if `register_tool`/`unregister_tool` exist",
    ),
    _c(
        "executor.sync.result",
        "tool-executor",
        "must",
        "`execute(tool, op, **p)` returns exactly what `tool.op(**p)` returns, for generated `p`.",
    ),
    _c(
        "executor.async.result",
        "tool-executor",
        "must",
        "`await execute_async(tool, op, **p)` returns the result of an `async def` op "
        "(awaited) and of a plain `def` op.",
    ),
    _c(
        "executor.params.passthrough",
        "tool-executor",
        "must",
        "the op receives exactly `p` — same keys, equal values, nothing added, nothing "
        "dropped, no value rewritten or refused (strings with `;`, `--`, `SELECT` pass "
        "through).",
    ),
    _c(
        "executor.errors.propagate",
        "tool-executor",
        "must",
        "an exception raised by the op is raised to the caller (wrapped as "
        "`OperationFailedError` with `__cause__` set, or unwrapped); never swallowed, "
        "never returned as a value.",
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
        "an op name starting with `_` (`_secret`, `__class__`, `__init__`, `__reduce__`) "
        "raises and the probe records no call. Also for names that are not identifiers "
        "(`a.b`, `op()`, `''`).",
    ),
    _c(
        "executor.sync.no_coroutine_leak",
        "tool-executor",
        "must",
        "`execute` on an `async def` op returns the awaited result or raises a clear "
        "error; it never returns a coroutine object.",
    ),
    _c(
        "executor.async.nonblocking",
        "tool-executor",
        "should",
        "`execute_async` on a blocking sync op (sleeps 0.2 s) lets other coroutines on "
        "the loop keep running.",
    ),
    _c(
        "executor.isolation.tools",
        "tool-executor",
        "must",
        "two different tool objects with an op of the same name and equal params each get"
        " their own result, also when the executor caches.",
    ),
    _c(
        "executor.concurrency",
        "tool-executor",
        "must",
        "50 concurrent `execute_async` calls with distinct params each get their own result.",
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
        "it returns a key, without raising, for every input built from the params value "
        "domain (datetime, bytes, sets, Decimal, pydantic models… included).",
    ),
    _c(
        "cache.key.deterministic",
        "cache-provider",
        "must",
        "structurally identical inputs — same types and same reprs, built separately — "
        "give equal keys, also when dict insertion order or set iteration order differs.",
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
        "inputs that differ in any one of operation_type, user_id, task_id, args or "
        'kwargs give different keys: unequal values (`!=`); boundary shifts (`("ab","c")`'
        ' vs `("a","bc")`); `1` vs `"1"` vs `1.0` vs `True`; a value vs its string form '
        '(`Decimal("1")` vs `"1"`, `b"x"` vs `"x"`, a datetime vs its isoformat); `None` '
        "vs an absent key. Values equal under `==` but written differently (`0.0`/`-0.0`,"
        ' `Decimal("1.0")`/`Decimal("1.00")`, one instant in two time zones) and `tuple` '
        "vs `list` may share a key or not.",
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
        "after `add_to_cache(k, v)`, `get_from_cache(k) == v` for every params value, "
        'falsy ones (`0`, `""`, `[]`, `False`) included.',
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
        "8 threads doing mixed add/get on overlapping keys raise nothing, and every read "
        "returns `None` or a value that was written under that key.",
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
        '`execute_operation("t.op", p)` returns what `tools["t"].op(**p)` returns (sync '
        "or async op).",
    ),
    _c(
        "operations.spec.invalid",
        "operation-executor",
        "must",
        'a malformed spec (`""`, `"t"`, `".op"`, `"t."`, `"t._x"`, `"t.__class__"`, '
        '`"t.op()"`, non-`str`) raises — `InvalidOperationSpecError` (a `ValueError`) '
        "preferred — and calls nothing.",
    ),
    _c(
        "operations.spec.unknown",
        "operation-executor",
        "must",
        "an unknown tool or op raises (`ToolNotFoundError` / `OperationNotFoundError` "
        "preferred) and calls nothing.",
    ),
    _c(
        "operations.batch.shape",
        "operation-executor",
        "must",
        "`batch_execute_operations(ops)` returns a list of `len(ops)`, in input order; a "
        "failing op's slot holds the exception instance, the others their results; it "
        "never raises because one op failed.",
    ),
    _c(
        "operations.sequence.order",
        "operation-executor",
        "must",
        "`execute_operations_sequence` calls ops strictly one after another in input "
        "order (no overlap) and returns one `TaskStepResult` per executed op, in order.",
    ),
    _c(
        "operations.sequence.continue",
        "operation-executor",
        "must",
        "with `stop_on_failure=False` every op runs; failed ones are `status=failed`, "
        "`completed=False`, `error_code=E003` (or a more specific code), non-empty "
        "`error_message`, `result=None`.",
    ),
    _c(
        "operations.sequence.stop",
        "operation-executor",
        "must",
        "with `stop_on_failure=True` the run stops at the first failure: results end with"
        " that failed step, and no later op is called.",
    ),
    _c(
        "operations.sequence.callback",
        "operation-executor",
        "must",
        "`save_callback`, when given, is awaited exactly once per returned result, in "
        "order, as `(user_id, task_id, index, result)` — the failed step that stops a run"
        " included.",
    ),
    _c(
        "operations.parallel.shape",
        "operation-executor",
        "must",
        "`execute_parallel_operations(ops)` returns `len(ops)` `TaskStepResult`s in input"
        " order; failures are captured as failed results, never raised.",
    ),
    _c(
        "operations.parallel.concurrent",
        "operation-executor",
        "must",
        "the ops really overlap in time: `n` ops that each wait on a shared `n`-party "
        "barrier all complete (a sequential executor deadlocks and fails by timeout).",
    ),
    _c(
        "operations.results.consistent",
        "operation-executor",
        "must",
        "every returned `TaskStepResult` satisfies the model's consistency rules.",
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
        "cancelling `execute_parallel_operations` cancels its in-flight ops: none is "
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
        "`execute_task(name, input_data, context)` returns the task's result; the task "
        "receives `input_data` and `context` equal to what was passed.",
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
        '`batch_execute_tasks(tasks)` (items `{"task_name", "input_data", "context"}`) '
        "returns `len(tasks)` results in input order; a failing task's slot holds the "
        "exception.",
    ),
    _c(
        "engine.register_executor",
        "execution-interface",
        "must",
        "registering an `executor_instance` that does not structurally conform to "
        "`IOperationExecutor` (an `int`, an object lacking a method, one with a sync "
        "method the Protocol declares async) is refused with `TypeError` naming what is "
        "missing.",
        condition="if it does not raise `NotImplementedError`",
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
        "a member the Protocol declares `async` is a coroutine function on the "
        "implementation, and a sync one is not.",
    ),
    _c(
        "signature.parameters",
        "signature",
        "must",
        "every Protocol parameter is accepted in the same way (positional and/or keyword,"
        " by the same name where the Protocol allows keywords); `**params` where the "
        "Protocol has it; any extra parameter has a default.",
    ),
    _c(
        "signature.annotations",
        "signature",
        "should",
        "where the implementation annotates, its annotations are compatible with the Protocol's.",
    ),
)
