"""The models: results that cannot contradict themselves, and specs checked on the way in."""

from pydantic import ValidationError

from aiecs_models import ErrorCode, OperationSpec, TaskStatus, TaskStepResult

done = TaskStepResult.success("search.run", ["doc-1", "doc-2"])
print(done.dict())

failed = TaskStepResult.failure("search.run", TimeoutError(), code=ErrorCode.TIMEOUT_ERROR)
print(failed.status, failed.error_code, repr(failed.error_message))

# Plain strings, as stored by the original AIECS, load into the same model.
loaded = TaskStepResult.model_validate(
    {"step": "s", "completed": True, "status": "completed", "result": 1}
)
print(loaded.status is TaskStatus.COMPLETED)

try:  # completed=True with status="failed" contradicts itself: refused.
    TaskStepResult.model_validate(
        {"step": "s", "completed": True, "status": "failed", "error_code": "E003"}
    )
except ValidationError as exc:
    print(exc.errors()[0]["msg"])

spec = OperationSpec.parse("pandas.read_csv", {"path": "data.csv"})
print(spec.tool, spec.op, spec.params)

for bad in ["pandas", "pandas._load", "pandas.read csv"]:
    try:
        OperationSpec.parse(bad)
    except ValidationError as exc:
        print(exc.errors()[0]["msg"])
