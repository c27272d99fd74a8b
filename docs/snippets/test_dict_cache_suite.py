"""The conformance kit under pytest: one test per check id, per implementation."""

from dict_cache import DictCache
from home import TinyCache

from aiecs_conformance import CacheProviderSuite


class TestDictCache(CacheProviderSuite):
    factory = staticmethod(DictCache)


class TestTinyCache(CacheProviderSuite):
    factory = staticmethod(TinyCache)
    # A waiver needs a reason; strict: if the check starts passing, the test fails.
    xfail = {
        "cache.key.deterministic": "repr() of a set depends on insertion order",
        "cache.key.distinct": "repr() reads the same for two classes of one name",
        "cache.key.total": "repr() refuses ints past 4,300 digits",
    }
    skip = ("cache.key.stable_across_processes",)
