"""The success-path shortcuts give the same answers as the full paths they skip."""

from __future__ import annotations

import functools
from collections import UserDict
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aiecs_contracts import ErrorCode, ParameterValidationError
from aiecs_runtime import OperationExecutor
from aiecs_runtime._params import ParamValidator
from aiecs_runtime._references import has_references, holds_references

from ._support import run_async


def one(a: int) -> None: ...
def two(x: int, y: str) -> None: ...
def three(a: int, b: str, c: float) -> None: ...
def four(a: int, b: str, c: float, d: bool) -> None: ...
def optional(a: int, b: str = "") -> None: ...
def loose(a, b: bytes):  # type: ignore[no-untyped-def]
    ...
def rich(a: int, when: list[int]) -> None: ...
def open_ended(a: int, **rest: Any) -> None: ...


SIGNATURES: list[Callable[..., Any]] = [one, two, three, four, optional, loose, rich, open_ended]
NAMES = st.sampled_from(["a", "b", "c", "d", "x", "y", "when", "z"])
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.binary(max_size=3),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["1", "2.5", "true"]),
)


def _full(validator: ParamValidator, params: dict[str, Any]) -> dict[str, Any] | str:
    try:
        return validator._full(params)  # pyright: ignore[reportPrivateUsage]
    except ParameterValidationError as error:
        return f"refused: {error.errors}"


@pytest.mark.parametrize("func", SIGNATURES, ids=lambda f: f.__name__)
@settings(max_examples=150, deadline=None)
@given(params=st.dictionaries(NAMES, VALUES, max_size=5))
def test_passes_only_when_the_full_path_returns_params_unchanged(
    func: Callable[..., Any], params: dict[str, Any]
) -> None:
    validator = ParamValidator(func, func.__name__)
    full = _full(validator, params)
    if validator.passes(params):
        assert full is params
    # __call__ (fast path first) answers exactly as the full path does.
    try:
        called: dict[str, Any] | str = validator(params)
    except ParameterValidationError as error:
        called = f"refused: {error.errors}"
    assert called == full


def test_closed_signatures_take_the_fast_path() -> None:
    assert ParamValidator(two, "two").passes({"x": 1, "y": "a"})
    assert ParamValidator(four, "four").passes({"a": 1, "b": "", "c": 1.0, "d": True})
    assert not ParamValidator(two, "two").passes({"x": True, "y": "a"})  # bool is not int
    assert not ParamValidator(two, "two").passes({"x": 1, "z": "a"})
    assert not ParamValidator(two, "two").passes({"x": 1})
    assert not ParamValidator(two, "two").passes({"x": 1, "y": "a", "z": 2})


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"a": 1, "b": "x"}, False),
        ({"a": "$result[0]"}, True),
        ({"a": {"b": [1, "$x"]}}, True),
        ({"a": [None, 1.5, True, {"c": "plain"}]}, False),
        ({"a": ("$in a tuple: scanned too",)}, True),  # issue 13 item 14
        (UserDict({"a": "$result[0]"}), False),  # only dicts and lists are walked
        ("$result[0]", True),
    ],
)
def test_has_references(params: Any, expected: bool) -> None:
    assert has_references(params) is expected


def test_holds_references_scans_every_op() -> None:
    plain = {"operation": "t.op", "params": {"x": 1}}
    assert not holds_references([plain] * 5)
    assert holds_references([plain, {"operation": "t.op", "params": {"x": ["$result[0]"]}}])
    assert not holds_references([plain, {"operation": "t.op"}])
    # Anything but a dict defers to the per-step check: never a false "no references".
    assert holds_references([plain, UserDict(plain)])


class Echo:
    async def op(self, x: Any = None) -> Any:
        return x


@run_async
async def test_sequence_items_of_every_shape() -> None:
    """Plain dicts take the fast path; other mappings and junk still get a step each."""
    ops = OperationExecutor({"t": Echo()})
    items: list[Any] = [
        {"operation": "t.op", "params": {"x": 1}},
        UserDict({"operation": "t.op", "params": {"x": "$result[0]"}}),
        {"operation": "t.op", "params": UserDict({"x": 3})},
        {"operation": 7, "params": {}},
        {"params": {"x": 1}},
        "t.op",
        {"operation": "t.op", "params": None},
        {"operation": "t.op", "params": {"x": "$result[1]"}},
    ]
    results = await ops.execute_operations_sequence(items, "u", "t")
    assert [r.result for r in results] == [1, 1, 3, None, None, None, None, 1]
    assert [r.completed for r in results] == [True, True, True, False, False, False, True, True]
    # a malformed item is named by its type: building the name runs none of its code
    assert [r.step for r in results[:4]] == ["t.op", "t.op", "t.op", "<invalid operation: int>"]
    assert results[3].error_code == ErrorCode.VALIDATION_ERROR
    assert results[5].step == "<invalid item: str>"


# -- the sequence's direct-await fast path (sequence.1k) and its twin -----------------------


class _Steps:
    def __init__(self) -> None:
        self.calls = 0

    async def value(self, x: Any = None) -> Any:
        self.calls += 1
        return x

    async def flaky(self) -> str:
        self.calls += 1
        if self.calls % 3:
            raise ConnectionError(f"try {self.calls}")
        return "third time"

    async def fails(self) -> None:
        self.calls += 1
        raise KeyError()

    async def exits(self) -> None:
        self.calls += 1
        raise SystemExit(4)

    def sync(self, x: Any = 0) -> Any:
        self.calls += 1
        return [x]

    async def typed(self, n: int) -> int:
        self.calls += 1
        return n


_STEPS: list[Any] = [
    {"operation": "t.value", "params": {"x": [1, {"a": 2}]}},
    {"operation": "t.flaky", "params": {}},
    {"operation": "t.value", "params": {"x": "$result[0].1.a"}},
    {"operation": "t.fails", "params": {}},
    {"operation": "t.exits", "params": {}},
    {"operation": "t.sync", "params": {"x": "$result[1]"}},
    {"operation": "t.typed", "params": {"n": "3"}},
    {"operation": "t.typed", "params": {"n": "x"}},
    {"operation": "t.missing", "params": {}},
    {"operation": "t._secret", "params": {}},
    {"operation": "nope.value", "params": {}},
    {"operation": "t.value", "params": {"tool": 1, "operation_name": 2}},
    {"operation": "t.value", "params": {"x": "$result[3]"}},
]


@pytest.mark.parametrize("stop", [False, True])
@run_async
async def test_the_sequence_fast_path_and_the_pipeline_agree(stop: bool) -> None:
    from aiecs_runtime import RetryPolicy, ToolExecutor

    policy = RetryPolicy(attempts=3, on=ConnectionError, initial=0.0, jitter=0.0)
    runs = []
    for fast in (True, False):
        executor = ToolExecutor(retry=policy)
        executor.awaits_directly = (
            fast  # False: every step through execute_async's general pipeline
        )
        tool = _Steps()
        ops = OperationExecutor({"t": tool}, executor)
        results = await ops.execute_operations_sequence(_STEPS, "u", "t", stop_on_failure=stop)
        runs.append(([r.model_dump() for r in results], tool.calls))
    assert runs[0] == runs[1]
    assert len(runs[0][0]) == (4 if stop else len(_STEPS))


# -- positional_call: validated params passed by position (executor.overhead, sequence.1k) -----


def _wraps_kw(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)  # the signature says (x, y); the code takes **kw only
    def wrapper(**kw: Any) -> Any:
        return func(**kw)

    return wrapper


class _Shapes:
    def two(self, x: int, y: str) -> dict[str, Any]:
        return {"x": x, "y": y}

    def reordered(self, y: str, x: int) -> dict[str, Any]:
        return {"x": x, "y": y}

    def three(self, a: int, b: str, c: float) -> dict[str, Any]:
        return {"a": a, "b": b, "c": c}

    def untyped(self, x, y):  # type: ignore[no-untyped-def]  # pyright: ignore[reportUnknownParameterType, reportMissingParameterType]
        return {"x": x, "y": y}  # pyright: ignore[reportUnknownVariableType]

    @classmethod
    def klass(cls, x: int) -> dict[str, Any]:
        return {"x": x}

    @staticmethod
    def static(x: int, y: str) -> dict[str, Any]:
        return {"x": x, "y": y}

    def defaulted(self, x: int, y: str = "d") -> dict[str, Any]:
        return {"x": x, "y": y}

    def keyword_only(self, x: int, *, y: str) -> dict[str, Any]:
        return {"x": x, "y": y}

    def positional_only(self, x: int, /, y: str) -> dict[str, Any]:
        return {"x": x, "y": y}

    def star(self, *args: Any, **kw: Any) -> dict[str, Any]:
        return {"args": args, **kw}

    def four(self, a: int, b: str, c: float, d: bool) -> dict[str, Any]:
        return {"a": a, "b": b, "c": c, "d": d}

    wrapped = _wraps_kw(two)


_SHAPES = _Shapes()
_POSITIONAL = ["two", "reordered", "three", "untyped", "klass", "static"]
_BY_KEYWORD = ["defaulted", "keyword_only", "positional_only", "star", "four", "wrapped"]
_PARAM_NAMES = st.sampled_from(["a", "b", "c", "d", "x", "y", "z"])


def test_positional_call_is_only_built_where_it_binds_the_same() -> None:
    from aiecs_runtime._ops import positional_call

    for name in _POSITIONAL + _BY_KEYWORD:
        method = getattr(_SHAPES, name)
        built = positional_call(method, ParamValidator(method, name))
        assert (built is not None) is (name in _POSITIONAL), name
    assert positional_call(_SHAPES.two, None) is None  # nothing validated: names unknown


@pytest.mark.parametrize("name", _POSITIONAL + _BY_KEYWORD)
@settings(max_examples=100, deadline=None)
@given(params=st.dictionaries(_PARAM_NAMES, VALUES, max_size=4))
@example(params={"x": 1, "y": "a"})
@example(params={"y": "a", "x": "2"})
@example(params={"a": 1, "b": "b", "c": 1.5})
@example(params={"x": 2})
def test_positional_call_equals_the_keyword_call_on_validated_params(
    name: str, params: dict[str, Any]
) -> None:
    from aiecs_runtime._ops import positional_call

    method = getattr(_SHAPES, name)
    validator = ParamValidator(method, name)
    try:
        validated = validator(params)
    except ParameterValidationError:
        return  # refused before any call: nothing is passed, by position or not
    call = positional_call(method, validator)
    if call is not None:
        assert call(method, validated) == method(**validated)


@run_async
async def test_the_executor_passes_by_position_only_what_it_validated() -> None:
    from aiecs_runtime import ToolExecutor

    class Shapes:
        async def op(self, x: int, y: str) -> tuple[int, str]:
            return x, y

    tool = Shapes()
    checked, unchecked = ToolExecutor(), ToolExecutor(validate=False)
    assert await checked.execute_async(tool, "op", x="1", y="a") == (1, "a")  # coerced
    assert await checked.execute_async(tool, "op", y="b", x=2) == (2, "b")  # any order
    # validation off: the op gets exactly the keywords given, as the pipeline passes them
    assert await unchecked.execute_async(tool, "op", y="b", x=2) == (2, "b")
    assert await unchecked.run(tool, "op", {"x": "1", "y": "a"}) == ("1", "a")
    assert await unchecked.execute_async(tool, "op", x="1", y="a") == ("1", "a")
    with pytest.raises(Exception, match="unexpected keyword argument 'z'"):
        await unchecked.execute_async(tool, "op", x=1, y="a", z=3)


class _Foreign:
    """An `IToolExecutor` that is not ours: the sequence must not reach into it."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def execute(self, tool: Any, operation_name: str, **params: Any) -> Any:
        raise AssertionError("the sequence runs ops through execute_async")

    async def execute_async(self, tool: Any, operation_name: str, **params: Any) -> Any:
        self.calls.append(operation_name)
        return await getattr(tool, operation_name)(**params)


@run_async
async def test_a_sequence_over_a_foreign_executor_goes_through_its_execute_async() -> None:
    foreign = _Foreign()
    ops = OperationExecutor({"t": Echo()}, foreign)
    steps = [{"operation": "t.op", "params": {"x": i}} for i in range(3)]
    results = await ops.execute_operations_sequence(steps, "u", "t")
    assert [r.result for r in results] == [0, 1, 2]
    assert foreign.calls == ["op", "op", "op"]
