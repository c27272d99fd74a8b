"""Common ICacheProvider mistakes, as `ensure_conforms` reports them."""

from typing import Any

from aiecs_contracts import ICacheProvider, ensure_conforms


class HalfCache:
    def generate_cache_key(self, *args: Any, **kwargs: Any) -> str:  # hides the contract
        return repr((args, kwargs))

    def get_from_cache(self, cache_key: str, default: Any) -> Any:  # extra required param
        return default

    # add_to_cache forgotten


try:
    ensure_conforms(HalfCache(), ICacheProvider)
except TypeError as exc:
    print(exc)
