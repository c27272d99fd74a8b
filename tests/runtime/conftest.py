"""A real, installed-on-sys.path plugin distribution for the entry-point tests.

Discovery is tested without monkeypatching ``entry_points``: the fixture writes a
``.dist-info`` directory and plugin modules into a temporary directory and puts it on
``sys.path``, exactly as ``pip install`` of a plugin package would.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

PLUGIN_DIST = "aiecs-test-plugins"

_MODULE = '''
from aiecs_runtime import OperationExecutor


class Upper:
    def upper(self, text: str) -> str:
        return text.upper()


class NeedsArgs:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint


class SyncExecutor:
    """Looks like an executor, but its methods are plain defs: must be refused."""

    def __init__(self, tools: object) -> None:
        self.tools = tools

    def execute_operation(self, operation_spec, params):
        return None

    def batch_execute_operations(self, operations):
        return []

    def execute_operations_sequence(
        self, operations, user_id, task_id, stop_on_failure=False, save_callback=None
    ):
        return []

    def execute_parallel_operations(self, operations):
        return []


def upper_executor(tools, tool_executor=None):
    executor = OperationExecutor(tools, tool_executor)
    executor.plugin = "upper"
    return executor


def plain_executor(tools):
    return OperationExecutor(tools)


def needs_server(tools):
    raise ConnectionError("no broker at amqp://nowhere")


ready = OperationExecutor({})
'''

_ENTRY_POINTS = """
[aiecs.tools]
upper = aiecs_test_plugins:Upper
missing_attr = aiecs_test_plugins:DoesNotExist
missing_module = aiecs_test_plugins_gone:Tool
needs_args = aiecs_test_plugins:NeedsArgs

[aiecs.executors]
upper = aiecs_test_plugins:upper_executor
plain = aiecs_test_plugins:plain_executor
ready = aiecs_test_plugins:ready
sync = aiecs_test_plugins:SyncExecutor
server = aiecs_test_plugins:needs_server
gone = aiecs_test_plugins_gone:executor
"""


@pytest.fixture
def plugin_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Put a plugin distribution with good and broken entry points on ``sys.path``."""
    (tmp_path / "aiecs_test_plugins.py").write_text(textwrap.dedent(_MODULE))
    info = tmp_path / "aiecs_test_plugins-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {PLUGIN_DIST}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(_ENTRY_POINTS)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield tmp_path
    sys.modules.pop("aiecs_test_plugins", None)
