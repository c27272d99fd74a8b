"""`cache.key.stable_across_processes` runs the target in a second child: it must be as
robust as the kit's worker (issue 12, an outsider's corpus). A correct cache that prints,
closes its standard streams or forks a lingering child in there still passes the check.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import aiecs_conformance as ac

BUILD = "    return LruCache()\n"
HEAD = "import os, sys, time\nfrom conformance.targets.correct_cache import LruCache\n"
BEHAVIOURS = {
    # no newline: the kit's old line-based answer on stdout was glued to it
    "prints_in_the_factory": "def factory():\n    os.write(1, b'W' * 5000)\n" + BUILD,
    "closes_fds_0_1_2": "os.close(0); os.close(1); os.close(2)\ndef factory():\n" + BUILD,
    "replaces_sys_stdout": "sys.stdout = None\ndef factory():\n" + BUILD,
    "forks_a_child_that_keeps_the_pipes": (
        "def factory():\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(3600)\n"
        "        os._exit(0)\n"
        "    return LruCache()\n"
    ),
}


@pytest.mark.parametrize("name", sorted(BEHAVIOURS))
def test_a_correct_cache_passes_whatever_it_does_with_its_streams(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / f"fresh_{name}.py"
    path.write_text(HEAD + BEHAVIOURS[name], encoding="utf-8")
    report = ac.check(
        f"{path}:factory", "cache-provider", seed=3, max_examples=2, timeout=1.0,
        only=["cache.key.stable_across_processes"],
    )  # fmt: skip
    result = report.result("cache.key.stable_across_processes")
    assert report.isolated
    assert result.outcome == "passed", result.message
    assert result.duration < 6.0 * 1.0  # not cut by the fresh interpreter's own timeout
