"""TaskStepResult: the original's wire shape, consistency rules, JSON."""

from __future__ import annotations

import json
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from aiecs_models import ErrorCode, TaskStatus, TaskStepResult

ORIGINAL_KEYS = ["step", "result", "completed", "message", "status", "error_code", "error_message"]


def test_dict_matches_original_shape_without_warning() -> None:
    r = TaskStepResult(step="s", result=1, status=TaskStatus.COMPLETED.value, completed=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = r.dict()
    assert d == {
        "step": "s",
        "result": 1,
        "completed": True,
        "message": "",
        "status": "completed",
        "error_code": None,
        "error_message": None,
    }
    assert list(d) == ORIGINAL_KEYS
    assert type(d["status"]) is str


def test_original_style_failed_step_constructs_unchanged() -> None:
    r = TaskStepResult(
        step="tool.op",
        result=None,
        completed=False,
        message="Failed to execute tool.op",
        status="failed",
        error_code="E003",
        error_message="boom",
    )
    assert r.status is TaskStatus.FAILED and r.error_code is ErrorCode.EXECUTION_ERROR
    assert r.dict()["error_code"] == "E003"
    # an original record with an empty error message still loads
    TaskStepResult(step="s", status="failed", error_code="E003", error_message="")


def test_enum_values_are_the_wire_strings() -> None:
    assert [s.value for s in TaskStatus] == [
        "pending", "running", "completed", "cancelled", "timed_out", "failed",
    ]  # fmt: skip
    assert {c.name: c.value for c in ErrorCode} == {
        "VALIDATION_ERROR": "E001",
        "TIMEOUT_ERROR": "E002",
        "EXECUTION_ERROR": "E003",
        "CANCELLED_ERROR": "E004",
        "RETRY_EXHAUSTED": "E005",
        "DATABASE_ERROR": "E006",
        "DSL_EVALUATION_ERROR": "E007",
    }
    assert TaskStatus.COMPLETED == "completed"


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"status": "completed", "completed": False}, ("status", "completed")),
        ({"status": "running", "completed": True}, ("status", "completed")),
        ({"status": "failed"}, ("status", "error_code")),
    ],
)
def test_contradictions_are_refused_naming_the_fields(
    fields: dict[str, object], named: tuple[str, str]
) -> None:
    with pytest.raises(ValidationError) as info:
        TaskStepResult(step="s", **fields)  # type: ignore[arg-type]
    for name in named:
        assert f"'{name}'" in str(info.value)


def test_bad_enum_value_is_refused() -> None:
    with pytest.raises(ValidationError, match="status"):
        TaskStepResult(step="s", status="done")  # type: ignore[arg-type]


def test_success_and_failure_constructors() -> None:
    ok = TaskStepResult.success("a.b", {"x": 1}, message="fine")
    assert ok.completed and ok.status is TaskStatus.COMPLETED and ok.result == {"x": 1}
    bad = TaskStepResult.failure("a.b", KeyError())
    assert bad.status is TaskStatus.FAILED and bad.error_code is ErrorCode.EXECUTION_ERROR
    assert bad.error_message == "KeyError"  # empty str(exc): fall back to the type name
    timed = TaskStepResult.failure("a.b", TimeoutError("slow"), code=ErrorCode.TIMEOUT_ERROR)
    assert timed.dict()["error_code"] == "E002" and timed.error_message == "slow"


def test_results_are_immutable() -> None:
    r = TaskStepResult.success("s", 1)
    with pytest.raises(ValidationError):
        r.completed = False  # type: ignore[misc]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=10,
)


@given(step=st.text(), result=json_values, message=st.text())
def test_json_round_trip(step: str, result: object, message: str) -> None:
    r = TaskStepResult.success(step, result, message=message)
    dumped = r.model_dump(mode="json")
    assert dumped["status"] == "completed"
    back = TaskStepResult.model_validate_json(json.dumps(dumped))
    assert back == r


def test_reads_duck_typed_results_by_attribute() -> None:
    class OriginalStyle:
        def __init__(self) -> None:
            self.step, self.result, self.completed = "s", 3, True
            self.message, self.status = "", "completed"
            self.error_code, self.error_message = None, None

    r = TaskStepResult.model_validate(OriginalStyle(), from_attributes=True)
    assert r.result == 3 and r.status is TaskStatus.COMPLETED


@given(step=st.text(), result=json_values, message=st.text())
def test_fast_constructors_equal_validated_ones(step: str, result: object, message: str) -> None:
    """success()/failure() skip validation; what they build must equal the validated model."""
    ok = TaskStepResult.success(step, result, message=message)
    assert ok == TaskStepResult.model_validate(ok.model_dump())
    assert ok.model_fields_set == set(TaskStepResult.model_fields)
    bad = TaskStepResult.failure(step, ValueError(message), message=message)
    assert bad == TaskStepResult.model_validate(bad.model_dump())
    assert bad.dict()["status"] == "failed"


class _Opaque:
    """A result pydantic does not know (``Any`` keeps it as it is)."""


any_results = json_values | st.builds(_Opaque) | st.sets(st.integers(), max_size=3) | st.binary()
codes = st.sampled_from(list(ErrorCode)) | st.sampled_from([c.value for c in ErrorCode])
not_completed = st.sampled_from([s for s in TaskStatus if s is not TaskStatus.COMPLETED])


def _same_model(fast: TaskStepResult, validated: TaskStepResult) -> None:
    """Equal in every way a consumer can see: type, fields, dump, fields set, pydantic slots."""
    assert type(fast) is type(validated) is TaskStepResult
    assert fast == validated
    assert list(fast.__dict__) == list(validated.__dict__) == ORIGINAL_KEYS
    for name in ORIGINAL_KEYS:  # the very objects, with their exact types (enum members)
        got, want = getattr(fast, name), getattr(validated, name)
        assert type(got) is type(want), name
        assert got is want or got == want, name
    assert fast.result is validated.result  # Any: never copied or converted
    assert fast.model_dump() == validated.model_dump()
    assert fast.model_fields_set == validated.model_fields_set
    assert type(fast.model_fields_set) is set
    assert fast.model_fields_set is not validated.model_fields_set
    assert fast.__pydantic_extra__ == validated.__pydantic_extra__
    assert fast.__pydantic_private__ == validated.__pydantic_private__


@given(step=st.text(), result=any_results, message=st.text())
def test_success_equals_validated_construction(step: str, result: object, message: str) -> None:
    """success() skips validation (sequence.1k); it builds what validation builds."""
    values = [step, result, True, message, TaskStatus.COMPLETED, None, None]
    validated = TaskStepResult(**dict(zip(ORIGINAL_KEYS, values, strict=True)))
    _same_model(TaskStepResult.success(step, result, message=message), validated)


@given(
    step=st.text(),
    error=st.text() | st.builds(ValueError, st.text()),
    code=codes,
    status=not_completed | not_completed.map(lambda s: s.value),
    message=st.text(),
)
def test_failure_equals_validated_construction(
    step: str,
    error: str | BaseException,
    code: ErrorCode | str,
    status: TaskStatus | str,
    message: str,
) -> None:
    text = (str(error) or type(error).__name__) if isinstance(error, BaseException) else error
    text = text or "failed"
    validated = TaskStepResult.model_validate(  # str status/code: validation converts them
        {
            "step": step,
            "result": None,
            "completed": False,
            "message": message or text,
            "status": status,
            "error_code": code,
            "error_message": text,
        }
    )
    fast = TaskStepResult.failure(step, error, code=code, message=message, status=status)
    _same_model(fast, validated)


def test_fields_set_is_a_fresh_set_per_result() -> None:
    a, b = TaskStepResult.success("s", 1), TaskStepResult.success("s", 1)
    assert a.model_fields_set is not b.model_fields_set
    copied = a.model_copy(update={"message": "m"})
    assert copied.message == "m" and a.message == ""
    assert a.model_fields_set == set(ORIGINAL_KEYS)


def test_fast_constructors_refuse_contradictions_and_respect_subclasses() -> None:
    with pytest.raises(ValidationError):
        TaskStepResult.failure("s", "x", status=TaskStatus.COMPLETED)

    class Strict(TaskStepResult):
        @classmethod
        def marker(cls) -> str:
            return "sub"

    assert type(Strict.success("s", 1)) is Strict


def test_dict_include_exclude_and_refuses_other_options() -> None:
    r = TaskStepResult.success("s", 1)
    assert r.dict(include={"step", "status"}) == {"step": "s", "status": "completed"}
    assert "result" not in r.dict(exclude={"result"})
    with pytest.raises(TypeError, match="exclude_none"):
        r.dict(exclude_none=True)
