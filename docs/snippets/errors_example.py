"""Every error carries an ErrorCode and is also the builtin a caller would catch."""

import pickle

from aiecs_contracts import (
    ExecutionError,
    OperationFailedError,
    OperationTimeoutError,
    ToolNotFoundError,
)

try:
    raise ToolNotFoundError("pandsa", available=["pandas", "numpy"])
except LookupError as exc:  # also an ExecutionError
    print(exc, "|", exc.code if isinstance(exc, ExecutionError) else None)

try:
    raise OperationTimeoutError("read_csv took longer than 5.0 s", timeout=5.0)
except TimeoutError as exc:
    print(type(exc).__name__, exc)

try:
    try:
        int("forty-two")
    except ValueError as cause:
        raise OperationFailedError("convert.parse failed") from cause
except OperationFailedError as exc:
    print(exc.code, repr(exc.__cause__))

# Errors cross process boundaries (Celery, multiprocessing) with their attributes.
copy = pickle.loads(pickle.dumps(ToolNotFoundError("x", available=["y"])))
print(type(copy).__name__, copy.available, copy.code)
