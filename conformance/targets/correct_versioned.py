"""A correct versioned implementation: a fixed release string, from any thread."""

from __future__ import annotations

CONTRACT = "versioned"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset()
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()


class ReportingService:
    """States the interface version it implements."""

    version: str = "2.10.0"

    def get_version(self) -> str:
        """Return ``version``."""
        return self.version


def factory() -> ReportingService:
    """Return a fresh service."""
    return ReportingService()
