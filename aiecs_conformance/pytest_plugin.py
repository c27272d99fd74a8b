"""The pytest plugin (entry point ``pytest11``): ``--aiecs-max-examples`` and ``--aiecs-seed``.

It only wires options to the library; the suites in `aiecs_conformance.suites` read them.
"""

from __future__ import annotations

import random

import pytest

__all__ = ["SEED", "pytest_addoption", "pytest_configure", "pytest_report_header", "session_seed"]

SEED = pytest.StashKey[int]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the kit's options."""
    group = parser.getgroup("aiecs-conformance")
    group.addoption(
        "--aiecs-max-examples",
        type=int,
        default=None,
        help="hypothesis examples per property in the aiecs conformance suites",
    )
    group.addoption(
        "--aiecs-seed",
        type=int,
        default=None,
        help="seed of the aiecs conformance suites (printed in the header; reuse to reproduce)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Fix the session's seed once, so every suite test uses (and reports) the same one."""
    chosen = config.getoption("aiecs_seed", None)
    config.stash[SEED] = int(chosen) if chosen is not None else random.randrange(2**32)


def pytest_report_header(config: pytest.Config) -> str:
    """Print the seed in the session header."""
    return f"aiecs-conformance: seed {session_seed(config)} (reproduce with --aiecs-seed)"


def session_seed(config: pytest.Config) -> int:
    """The session's seed (a fresh random one if the plugin was not configured)."""
    if SEED not in config.stash:
        config.stash[SEED] = random.randrange(2**32)
    return config.stash[SEED]
