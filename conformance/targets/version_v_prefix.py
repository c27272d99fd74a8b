"""Flawed versioned implementation: the version carries a ``v`` prefix.

The mistake: the version is copied from the git tag, ``"v1.4.2"``, which no numeric
comparison can read. ``version.format`` catches it.
"""

from __future__ import annotations

CONTRACT = "versioned"
EXPECTED_MUST_FAILURES: frozenset[str] = frozenset({"version.format"})
EXPECTED_SHOULD_FAILURES: frozenset[str] = frozenset()

RELEASE_TAG = "v1.4.2"


class TaggedComponent:
    version = RELEASE_TAG  # BUG: a tag, not a release string

    def get_version(self) -> str:
        return self.version


def factory() -> TaggedComponent:
    return TaggedComponent()
