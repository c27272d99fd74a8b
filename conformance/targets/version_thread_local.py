"""Flawed versioned implementation: the version lives in thread-local configuration.

The mistake: settings are kept in a ``threading.local`` filled in by ``__init__``, so a
thread other than the one that built the object reads the fallback ``"0.0.0"``.
``version.stable`` catches it.
"""

from __future__ import annotations

import threading

CONTRACT = "versioned"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"version.stable"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

_settings = threading.local()


class ConfiguredService:
    def __init__(self) -> None:
        _settings.version = "3.2.1"  # BUG: only this thread sees it

    @property
    def version(self) -> str:
        return self.get_version()

    def get_version(self) -> str:
        return str(getattr(_settings, "version", "0.0.0"))


def factory() -> ConfiguredService:
    return ConfiguredService()
