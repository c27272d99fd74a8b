"""``conformance/results.md`` is what a fresh run of the kit produces (reusing this session's
reports; regenerate with ``python conformance/generate_matrix.py``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import aiecs_conformance
from conformance._catalog import Target
from conformance.generate_matrix import COMMAND, RESULTS, all_targets, render


def test_results_md_is_current(report_of: Callable[[Target], Any]) -> None:
    """The checked-in matrix equals the matrix rendered from this session's runs."""
    targets = all_targets()
    fresh = render(targets, {t.name: report_of(t) for t in targets}, aiecs_conformance.KIT_VERSION)
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    diff = "\n".join(
        difflib.unified_diff(current.splitlines(), fresh.splitlines(), "results.md", "fresh")
    )
    assert current == fresh, f"results.md is stale; run `{COMMAND}`:\n{diff}"
