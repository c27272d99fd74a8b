"""Flawed versioned implementation: ``get_version()`` and ``version`` disagree.

The mistake: ``get_version()`` assembles ``"MAJOR.MINOR.PATCH"`` from constants while the
``version`` attribute was written by hand as ``"1.2"`` — each well-formed, but a caller that
reads one and a caller that reads the other see different versions. ``version.format``
catches it.
"""

from __future__ import annotations

CONTRACT = "versioned"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"version.format"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

MAJOR, MINOR, PATCH = 1, 2, 3


class Plugin:
    version: str = "1.2"  # BUG: not what get_version() says

    def get_version(self) -> str:
        return f"{MAJOR}.{MINOR}.{PATCH}"


def factory() -> Plugin:
    return Plugin()
