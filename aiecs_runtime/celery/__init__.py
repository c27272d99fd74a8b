"""The Celery execution back end (extra ``celery``): operations run on Celery workers.

``CeleryOperationExecutor`` sends each operation as a task over Redis (JSON only); start
workers with ``aiecs-worker`` (or ``celery -A aiecs_runtime.celery.worker worker
--pool=threads``) and ``AIECS_TOOLS=module:attr`` naming their tools.
"""

from ._app import CeleryApp
from ._envelope import RemoteError
from ._executor import CeleryOperationExecutor

__all__ = ["CeleryApp", "CeleryOperationExecutor", "RemoteError"]
