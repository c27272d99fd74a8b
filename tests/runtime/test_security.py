"""Issue 13, security items 1-4: data never chooses which code runs; refusals call nothing.

Each test replays an attack of the review and fails on the code before the fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from typing import Any

import pytest
from pydantic import BaseModel, PrivateAttr, field_validator

from aiecs_contracts import (
    ErrorCode,
    InvalidOperationSpecError,
    OperationNotFoundError,
    ParameterValidationError,
)
from aiecs_runtime import ExecutionEngine, OperationExecutor, ToolExecutor, register_wire_class
from aiecs_runtime._wire import WireDecodeError, dumps, loads

from ._support import run_async

API_TOKEN = "s3cr3t-token"  # what the $result attack reached through a generator frame
BUILT: list[str] = []  # what code ran while rebuilding wire values


# -- item 1: the wire rebuilds only registered classes, through public fields -----------


class Account(BaseModel):
    """Never written by this process before the test, and never registered."""

    name: str = "x"
    _is_admin: bool = PrivateAttr(default=False)

    def model_post_init(self, context: Any, /) -> None:
        BUILT.append("Account.model_post_init")


class Registered(BaseModel):
    count: int
    _is_admin: bool = PrivateAttr(default=False)

    @field_validator("count")
    @classmethod
    def _non_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("count must be >= 0")
        return value


@dataclasses.dataclass
class Job:
    """Never registered: its __post_init__ must not run on wire data."""

    name: str

    def __post_init__(self) -> None:
        BUILT.append("Job.__post_init__")


def _tagged(tag: str, cls: type, fields: dict[str, Any]) -> bytes:
    import json

    path = f"{cls.__module__}:{cls.__qualname__}"
    return json.dumps({"$t": tag, "c": path, "v": fields}).encode()


def test_unregistered_model_is_refused_and_nothing_runs() -> None:
    BUILT.clear()
    with pytest.raises(WireDecodeError, match="not registered"):
        loads(_tagged("model", Account, {"name": "eve"}))
    with pytest.raises(WireDecodeError, match="not registered"):
        loads(_tagged("dataclass", Job, {"name": "eve"}))
    assert BUILT == []


def test_private_state_is_never_set_from_the_wire() -> None:
    register_wire_class(Registered)
    with pytest.raises(WireDecodeError, match="no public field '_is_admin'"):
        loads(_tagged("model", Registered, {"count": 1, "_is_admin": True}))
    with pytest.raises(WireDecodeError, match="no public field 'extra'"):
        loads(_tagged("model", Registered, {"count": 1, "extra": 2}))
    # a registered class is rebuilt through validation: its own rules hold
    with pytest.raises(WireDecodeError):
        loads(_tagged("model", Registered, {"count": -1}))
    back = loads(_tagged("model", Registered, {"count": 3}))
    assert back == Registered(count=3) and back._is_admin is False


def test_private_attributes_are_not_sent() -> None:
    value = Registered(count=2)
    value._is_admin = True
    assert b"_is_admin" not in dumps(value)
    assert loads(dumps(value))._is_admin is False


def test_register_wire_class_refuses_what_it_cannot_name() -> None:
    class Local(BaseModel):
        x: int = 0

    with pytest.raises(TypeError, match="not reachable"):
        register_wire_class(Local)
    with pytest.raises(TypeError, match="expected an Enum, BaseModel, dataclass, named tuple"):
        register_wire_class(int)


# -- item 2: $result paths walk only data ------------------------------------------------


class Steps:
    def __init__(self) -> None:
        self.received: list[Any] = []

    def gen(self) -> Generator[int]:
        yield 1

    def module(self) -> Any:
        import os

        return os

    def func(self) -> Any:
        return test_private_attributes_are_not_sent

    def model(self) -> Any:
        return WithProperty()

    def take(self, value: Any = None) -> Any:
        self.received.append(value)
        return value


class WithProperty(BaseModel):
    x: int = 1

    @property
    def leak(self) -> str:
        BUILT.append("WithProperty.leak")
        return API_TOKEN


@pytest.mark.parametrize(
    ("first", "path"),
    [
        ("gen", "gi_frame.f_globals.API_TOKEN"),
        ("gen", "gi_code"),
        ("module", "path"),
        ("module", "environ"),
        ("func", "__globals__"),
        ("func", "__code__"),
        ("model", "leak"),
        ("model", "model_fields"),
        ("model", "model_dump"),
    ],
)
@run_async
async def test_result_paths_reach_no_code_or_globals(first: str, path: str) -> None:
    BUILT.clear()
    tool = Steps()
    ops = OperationExecutor({"t": tool})
    results = await ops.execute_operations_sequence(
        [
            {"operation": f"t.{first}", "params": {}},
            {"operation": "t.take", "params": {"value": f"$result[0].{path}"}},
        ],
        "u",
        "task",
    )
    assert results[1].completed is False
    assert results[1].error_code == ErrorCode.VALIDATION_ERROR
    assert tool.received == [] and BUILT == []


@run_async
async def test_result_paths_walk_declared_fields() -> None:
    @dataclasses.dataclass
    class Point:
        x: int

    tool = Steps()
    ops = OperationExecutor({"t": tool})
    values = [{"a": [WithProperty(x=7)]}, Point(x=4), (5, 6)]
    for index, value in enumerate(values):
        tool.received.clear()
        path = ["a.0.x", "x", "1"][index]
        await ops.execute_operations_sequence(
            [
                {"operation": "t.take", "params": {"value": value}},
                {"operation": "t.take", "params": {"value": f"$result[0].{path}"}},
            ],
            "u",
            "task",
        )
        assert tool.received[1] == [7, 4, 6][index]


# -- item 3: a refusal calls nothing, its error message included --------------------------


class Touchy:
    """Counts every piece of its own code that runs."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    @property
    def status(self) -> str:
        self.ran.append("status")
        return "ok"

    def __getattr__(self, name: str) -> Any:
        self.ran.append(f"__getattr__({name})")
        raise AttributeError(name)

    def __dir__(self) -> list[str]:
        self.ran.append("__dir__")
        return ["echo"]

    def echo(self, x: int = 0) -> int:
        return x

    def _secret(self) -> str:
        self.ran.append("_secret")
        return API_TOKEN


@pytest.mark.parametrize("name", ["__class__", "_secret", "a.b", "", "op()", 3])
def test_refused_names_run_no_tool_code(name: Any) -> None:
    tool = Touchy()
    with pytest.raises(OperationNotFoundError) as info:
        ToolExecutor().execute(tool, name)
    assert tool.ran == []
    available = list(info.value.available)
    assert "echo" in available  # the available list is still there, read statically
    assert "status" not in available  # a property is not known to be callable


def test_unknown_op_runs_only_the_lookup_itself() -> None:
    tool = Touchy()
    with pytest.raises(OperationNotFoundError):
        ToolExecutor().execute(tool, "nope")
    assert tool.ran == ["__getattr__(nope)"]  # getattr of the asked name; nothing else


@run_async
async def test_engine_refusals_run_no_tool_code() -> None:
    tool = Touchy()
    engine = ExecutionEngine({"t": tool})
    for spec in ("t.__class__", "t._secret", "t.nope"):
        with pytest.raises((OperationNotFoundError, InvalidOperationSpecError)):
            await engine.execute_operation(spec, {})
    slots = await engine.batch_execute_operations(
        [{"operation": "t._secret", "params": {}}, {"operation": "t.nope", "params": {}}]
    )
    assert all(isinstance(slot, Exception) for slot in slots)
    assert tool.ran == ["__getattr__(nope)", "__getattr__(nope)"]


# -- item 4: names and specs are judged and used as one exact str -------------------------


class Liar(str):
    """Says it is public whatever it holds."""

    def startswith(self, *args: Any, **kwargs: Any) -> bool:
        return False

    def isidentifier(self) -> bool:
        return True

    def partition(self, sep: Any) -> tuple[str, str, str]:
        return ("t", ".", "echo")

    def strip(self, *args: Any) -> str:
        return "t.echo"

    def __hash__(self) -> int:
        return hash("echo")

    def __eq__(self, other: object) -> bool:
        return True

    def __str__(self) -> str:
        return "echo"


@run_async
async def test_lying_str_names_cannot_reach_private_ops() -> None:
    tool = Touchy()
    executor = ToolExecutor()
    executor.execute(tool, "echo")  # "echo" is memoised as allowed: the liar claims equality
    with pytest.raises(OperationNotFoundError):
        executor.execute(tool, Liar("_secret"))
    with pytest.raises(OperationNotFoundError):
        await executor.execute_async(tool, Liar("_secret"))
    ops = OperationExecutor({"t": tool})
    with pytest.raises(InvalidOperationSpecError):
        await ops.execute_operation(Liar("t._secret"), {})
    results = await ops.execute_operations_sequence(
        [{"operation": Liar("t._secret"), "params": {}}], "u", "task"
    )
    assert results[0].completed is False
    assert tool.ran == []
    # a subclass holding a good name is used as that exact str
    assert executor.execute(tool, Liar("echo"), x=3) == 3


@run_async
async def test_specs_with_whitespace_or_dotted_paths_are_refused() -> None:
    tool = Touchy()
    ops = OperationExecutor({"t": tool})
    for spec in (" t.echo", "t.echo ", "t .echo", "t.echo\n", "t.echo.__self__", "t.log.x", 7):
        with pytest.raises((InvalidOperationSpecError, ParameterValidationError)):
            await ops.execute_operation(spec, {})  # type: ignore[arg-type]
    assert tool.ran == []


@run_async
async def test_lying_str_task_names_find_only_their_exact_task() -> None:
    ran: list[str] = []

    def public(data: Any, context: Any) -> str:
        ran.append("public")
        return "public"

    engine = ExecutionEngine({}, {"echo": public})
    from aiecs_contracts import TaskNotFoundError

    with pytest.raises(TaskNotFoundError):
        await engine.execute_task(Liar("other"), {}, {})  # hashes and compares like "echo"
    assert ran == []
    assert await engine.execute_task(Liar("echo"), {}, {}) == "public"


def test_named_tuples_round_trip_the_wire_as_their_class() -> None:
    # A named tuple is rebuilt as its own (registered) class, by its fields, never as a bare
    # tuple that compares equal; an unregistered one is refused like any other class.
    from aiecs_conformance._values import Point
    from aiecs_runtime._wire import decode, encode

    value = Point(x=1, y=[2, (3,)])
    back = decode(encode(value))
    assert type(back) is Point and back == value
    planted = {"$t": "namedtuple", "c": "collections:OrderedDict", "v": {}}
    with pytest.raises(Exception, match="not registered"):
        decode(planted)


def test_exceptions_returned_as_values_cross_the_wire_as_data() -> None:
    # An exception *returned* by an op is a value: its class (built in, or registered),
    # its args and its public attributes travel; no __init__ runs, no private state is set.
    from aiecs_conformance._outcomes import CodedFailure
    from aiecs_runtime._wire import decode, encode

    for value in (ValueError("x", 1), KeyError(), SystemExit(2), CodedFailure(3)):
        back = decode(encode(value))
        assert type(back) is type(value) and back.args == value.args
    assert decode(encode(CodedFailure(3))).code == 3
    for planted in (
        {"$t": "exception", "c": "builtins:print", "v": []},
        {"$t": "exception", "c": "os:PathLike", "v": []},
        {"$t": "exception", "c": "builtins:ValueError", "v": [], "a": {"__class__": 1}},
    ):
        with pytest.raises(Exception, match=r"not registered|public name"):
            decode(planted)
