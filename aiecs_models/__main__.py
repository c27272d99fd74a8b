"""``python -m aiecs_models schema [NAME]``: print the JSON Schema of the models."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from pydantic import BaseModel

from ._result import TaskStepResult
from ._specs import OperationSpec, TaskSpec

_MODELS: dict[str, type[BaseModel]] = {
    "TaskStepResult": TaskStepResult,
    "OperationSpec": OperationSpec,
    "TaskSpec": TaskSpec,
}

_USAGE = "usage: python -m aiecs_models schema [" + "|".join(_MODELS) + "]"


def main(argv: Sequence[str] | None = None) -> int:
    """Print one model's JSON Schema, or all of them keyed by name."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "schema" or len(args) > 2:
        print(_USAGE, file=sys.stderr)
        return 2
    if len(args) == 2:
        model = _MODELS.get(args[1])
        if model is None:
            print(
                f"unknown model {args[1]!r}; expected one of: {', '.join(_MODELS)}",
                file=sys.stderr,
            )
            return 2
        schema: object = model.model_json_schema()
    else:
        schema = {name: model.model_json_schema() for name, model in _MODELS.items()}
    print(json.dumps(schema, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
