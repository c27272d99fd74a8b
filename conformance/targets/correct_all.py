"""The five correct targets in one module, for timing the whole kit in one run.

Use the module import string (``conformance.targets.correct_all:cache_provider``).
"""

from conformance.targets.correct_cache import factory as cache_provider
from conformance.targets.correct_execution_interface import factory as execution_interface
from conformance.targets.correct_operation_executor import factory as operation_executor
from conformance.targets.correct_tool_executor import factory as tool_executor
from conformance.targets.correct_tool_provider import factory as tool_provider

FACTORIES = {
    "cache-provider": cache_provider,
    "tool-provider": tool_provider,
    "tool-executor": tool_executor,
    "operation-executor": operation_executor,
    "execution-interface": execution_interface,
}

__all__ = [
    "FACTORIES",
    "cache_provider",
    "execution_interface",
    "operation_executor",
    "tool_executor",
    "tool_provider",
]
