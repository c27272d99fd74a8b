"""Rejected by mypy and pyright: a member of the contract is missing."""

from typing import Any

from aiecs_contracts import ICacheProvider


class NoAdd:
    def generate_cache_key(
        self,
        operation_type: str,
        user_id: str,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> str:
        return operation_type

    def get_from_cache(self, cache_key: str) -> Any | None:
        return None


_: type[ICacheProvider] = NoAdd  # rejected
