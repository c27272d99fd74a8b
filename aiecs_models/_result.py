"""`TaskStepResult`: the outcome of one executed step, as the original AIECS shaped it."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Final, Self

from pydantic import BaseModel, ConfigDict, model_validator

from ._enums import ErrorCode, TaskStatus

__all__ = ["TaskStepResult"]

_new = object.__new__
_setattr = object.__setattr__


def _slot_setter(name: str) -> Callable[[object, object], None]:
    # pydantic keeps these in __slots__ of BaseModel: setting one through its member
    # or getset descriptor skips the MRO lookup of object.__setattr__ (4 per result).
    slot = BaseModel.__dict__.get(name)  # ``__dict__`` is a getset descriptor, the rest members
    if type(slot) is types.MemberDescriptorType or type(slot) is types.GetSetDescriptorType:
        setter: Callable[[object, object], None] = slot.__set__
        return setter
    return lambda obj, value: _setattr(obj, name, value)


_set_dict = _slot_setter("__dict__")
_set_fields_set = _slot_setter("__pydantic_fields_set__")
_set_extra = _slot_setter("__pydantic_extra__")
_set_private = _slot_setter("__pydantic_private__")


def _plain_str(a: object, b: object) -> bool:
    # Two plain checks, no all(generator): this runs once per step result built.
    return type(a) is str and type(b) is str


_COMPLETED: Final = TaskStatus.COMPLETED  # a module constant: no enum class lookup per step


class TaskStepResult(BaseModel):
    """The result of one step: what ran, what it returned, and how it ended.

    Consistency is enforced at construction: ``status == "completed"`` exactly when
    ``completed is True``, and a ``"failed"`` step always carries an ``error_code``.
    Instances are immutable; derive a changed copy with ``model_copy(update=...)``
    followed by ``model_validate`` if the change must be re-checked.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, from_attributes=True)

    step: str
    result: Any = None
    completed: bool = False
    message: str = ""
    status: TaskStatus = TaskStatus.PENDING
    error_code: ErrorCode | None = None
    error_message: str | None = None

    @model_validator(mode="after")
    def _check_consistency(self) -> Self:
        # Contradictory records are refused here so no consumer ever has to guess which
        # of two fields to believe.
        if (self.status is TaskStatus.COMPLETED) != self.completed:
            raise ValueError(
                f"inconsistent fields 'status' and 'completed': status={self.status.value!r} "
                f"with completed={self.completed!r}; a step is completed=True exactly when "
                f"status='completed'"
            )
        if self.status is TaskStatus.FAILED and self.error_code is None:
            raise ValueError(
                "inconsistent fields 'status' and 'error_code': status='failed' needs an "
                "error_code (for example ErrorCode.EXECUTION_ERROR, 'E003')"
            )
        return self

    @classmethod
    def success(cls, step: str, result: Any, *, message: str = "") -> Self:
        """Build a completed step holding ``result``."""
        if cls is TaskStepResult and type(step) is str and type(message) is str:
            # The runtime builds one of these per executed step (sequence.1k): what
            # `_trusted` does, written out, with the seven fields validation would set.
            # tests/models/test_result.py compares it with validated construction.
            obj = _new(cls)
            _set_dict(
                obj,
                {
                    "step": step,
                    "result": result,
                    "completed": True,
                    "message": message,
                    "status": _COMPLETED,
                    "error_code": None,
                    "error_message": None,
                },
            )
            _set_fields_set(obj, _ALL_FIELDS.copy())
            _set_extra(obj, None)
            _set_private(obj, None)
            return obj
        return cls(
            step=step,
            result=result,
            completed=True,
            message=message,
            status=TaskStatus.COMPLETED,
            error_code=None,
            error_message=None,
        )

    @classmethod
    def failure(
        cls,
        step: str,
        error: BaseException | str,
        *,
        code: ErrorCode | str = ErrorCode.EXECUTION_ERROR,
        message: str = "",
        status: TaskStatus | str = TaskStatus.FAILED,
    ) -> Self:
        """Build a failed step from an exception (or a message); never has an empty message."""
        if isinstance(error, BaseException):
            text = str(error) or type(error).__name__
        else:
            text = error or "failed"
        fields: dict[str, Any] = {
            "step": step,
            "result": None,
            "completed": False,
            "message": message or text,
            "status": TaskStatus(status),
            "error_code": ErrorCode(code),
            "error_message": text,
        }
        consistent = fields["status"] is not TaskStatus.COMPLETED
        if consistent and _plain_str(step, message) and type(text) is str:
            return cls._trusted(fields)
        return cls(**fields)

    @classmethod
    def _trusted(cls, fields: dict[str, Any]) -> Self:
        # success()/failure() build consistent, already-typed fields; skipping validation
        # makes a step result ~3x cheaper (an executor builds one per step). Subclasses may
        # add validators, so they always take the validating path.
        if cls is not TaskStepResult:
            return cls(**fields)
        obj = _new(cls)
        _set_dict(obj, fields)
        _set_fields_set(obj, set(fields))
        _set_extra(obj, None)
        _set_private(obj, None)
        return obj

    def dict(self, **kwargs: Any) -> dict[str, Any]:
        """Return the original 7-key dict with plain string ``status``/``error_code`` values."""
        # The original class had a hand-written dict(); keep its exact shape (and no
        # pydantic deprecation warning) so stored records and consumers stay unchanged.
        unsupported = set(kwargs) - {"include", "exclude"}
        if unsupported:
            raise TypeError(
                f"TaskStepResult.dict() takes only include= and exclude= (the original's shape); "
                f"got {sorted(unsupported)}; use model_dump() for pydantic's other options"
            )
        include = kwargs.get("include")
        exclude = kwargs.get("exclude")
        out: dict[str, Any] = {
            "step": self.step,
            "result": self.result,
            "completed": self.completed,
            "message": self.message,
            "status": self.status.value,
            "error_code": self.error_code.value if self.error_code is not None else None,
            "error_message": self.error_message,
        }
        if include is not None:
            out = {k: v for k, v in out.items() if k in include}
        if exclude is not None:
            out = {k: v for k, v in out.items() if k not in exclude}
        return out


_ALL_FIELDS: Final = set(TaskStepResult.model_fields)
"""What validation records as set when all seven fields are given; copied per result."""
