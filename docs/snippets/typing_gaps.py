"""What the type checkers accept but the contracts forbid, and who catches it."""

from typing import Any

from aiecs_contracts import IToolProvider, explain


class AsyncGetTool:
    """``-> Any`` absorbs a coroutine, so mypy and pyright accept this class."""

    async def get_tool(self, tool_name: str) -> Any:
        return None

    def has_tool(self, tool_name: str) -> bool:
        return True


class NoneForMissing:
    """Structurally perfect; behaviourally wrong (`provider.get_tool.missing`)."""

    def get_tool(self, tool_name: str) -> Any:
        return None  # should raise LookupError for an unserved name

    def has_tool(self, tool_name: str) -> bool:
        return False


_a: type[IToolProvider] = AsyncGetTool  # accepted by both checkers
_b: type[IToolProvider] = NoneForMissing  # accepted by both checkers


def looks_like_provider(obj: object) -> bool:
    return isinstance(obj, IToolProvider)  # isinstance only checks member names


print(looks_like_provider(AsyncGetTool()))
print([str(m) for m in explain(AsyncGetTool, IToolProvider)])  # the strict check sees it
print([str(m) for m in explain(NoneForMissing, IToolProvider)])  # only the kit's checks can
