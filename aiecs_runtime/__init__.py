"""The reference runtime: production-grade implementations of every execution contract."""

from ._keys import cache_key, canonical_bytes

__all__ = [
    "cache_key",
    "canonical_bytes",
]
