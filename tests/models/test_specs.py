"""OperationSpec and TaskSpec: parsing, validation, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pydantic import ValidationError

from aiecs_models import OperationSpec, TaskSpec, split_operation


def test_parse_splits_on_the_first_dot() -> None:
    spec = OperationSpec.parse("pandas.read_csv", {"path": "x"})
    assert (spec.tool, spec.op, spec.params) == ("pandas", "read_csv", {"path": "x"})
    # only the first dot splits, and the rest must then be one identifier
    with pytest.raises(ValueError, match="not a Python identifier"):
        split_operation("a.b.c")


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("", "no '.'"),
        ("t", "no '.'"),
        (".op", "empty tool name"),
        ("t.", "not a Python identifier"),
        ("t._x", "private"),
        ("t.__class__", "private"),
        ("t.op()", "not a Python identifier"),
        (3, "must be a str"),
        (None, "must be a str"),
    ],
)
def test_malformed_specs_are_refused_naming_the_value(bad: object, says: str) -> None:
    with pytest.raises(ValidationError) as info:
        OperationSpec(operation=bad)  # type: ignore[arg-type]
    text = str(info.value)
    assert says in text and repr(bad) in text and "'<tool>.<op>'" in text


def test_task_spec() -> None:
    spec = TaskSpec(task_name="summarise", input_data={"a": 1})
    assert spec.context == {}
    with pytest.raises(ValidationError, match="task_name"):
        TaskSpec(task_name="")


@pytest.mark.parametrize("name", ["TaskStepResult", "OperationSpec", "TaskSpec", None])
def test_schema_command(name: str | None) -> None:
    args = [sys.executable, "-m", "aiecs_models", "schema", *([name] if name else [])]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    schema = json.loads(out)
    if name:
        assert schema["title"] == name and "properties" in schema
    else:
        assert set(schema) == {"TaskStepResult", "OperationSpec", "TaskSpec"}


def test_schema_command_unknown_model() -> None:
    args = [sys.executable, "-m", "aiecs_models", "schema", "Nope"]
    proc = subprocess.run(args, capture_output=True, text=True)
    assert proc.returncode == 2 and "unknown model 'Nope'" in proc.stderr
    assert "TaskStepResult" in proc.stderr
