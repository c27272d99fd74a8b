"""The worker survives what an outsider's corpus did to its process (issue 12).

Each target is a correct LRU cache with one bad behaviour, checked through the public
`check()` (isolated) on one or two checks to stay quick. Behaviours that only disturb the
kit's plumbing get the verdict the cache earns (passed); a self-inflicted death names the
member it happened in.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

import aiecs_conformance as ac
from aiecs_conformance import ConformanceReport

HEAD = "import os, sys, signal, threading\nfrom conformance.targets.correct_cache import LruCache\n"
ONLY = ["cache.roundtrip", "cache.clear"]


def _run(tmp_path: Path, name: str, body: str) -> ConformanceReport:
    path = tmp_path / f"worker_{name}.py"
    path.write_text(HEAD + body + "def factory():\n    return T()\n", encoding="utf-8")
    return ac.check(f"{path}:factory", "cache-provider", seed=11, max_examples=3,
                    timeout=0.5, only=ONLY)  # fmt: skip


PLUMBING = {
    # json.dumps replaced by the target: the worker's result pipe used to die (exit 70)
    "patches_json": "import json\njson.dumps = None\nclass T(LruCache):\n    pass\n",
    # every fd but 0-2 closed, then reused by the target's own file
    "closes_the_result_pipe_at_import": (
        "os.closerange(3, 1000)\nHELD = [open(os.devnull, 'w') for _ in range(4)]\n"
        "class T(LruCache):\n    pass\n"
    ),
    "closes_the_result_pipe_in_a_method": (
        "class T(LruCache):\n"
        "    def clear(self):\n"
        "        os.closerange(3, 1000)\n"
        "        super().clear()\n"
    ),
    # printing a lone surrogate (as a debug print of a kit input would) used to raise
    "prints_a_surrogate": (
        "class T(LruCache):\n"
        "    def get_from_cache(self, cache_key):\n"
        "        print('get', '\\ud800', cache_key)\n"
        "        return super().get_from_cache(cache_key)\n"
    ),
}


@pytest.mark.parametrize("name", sorted(PLUMBING))
def test_disturbing_the_kits_plumbing_still_gets_the_earned_verdict(
    tmp_path: Path, name: str
) -> None:
    report = _run(tmp_path, name, PLUMBING[name])
    assert report.isolated
    outcomes = {r.id: (r.outcome, r.message) for r in report.results}
    assert report.passed, outcomes
    assert {r.id for r in report.results} == set(ONLY)


@pytest.mark.parametrize("name", ["SIGTERM", "SIGALRM", "SIGHUP"])
def test_a_fatal_signal_to_itself_names_the_member(tmp_path: Path, name: str) -> None:
    body = (
        f"class T(LruCache):\n    def clear(self):\n        os.kill(os.getpid(), signal.{name})\n"
    )
    result = _run(tmp_path, name, body).result("cache.clear")
    number = int(getattr(signal, name))
    assert result.outcome == "error" and result.aborted
    assert f"killed by signal {number} ({name}) in clear" in result.message, result.message


def test_os_exit_from_a_thread_names_the_member_the_check_was_in(tmp_path: Path) -> None:
    body = (
        "class T(LruCache):\n"
        "    def clear(self):\n"
        "        t = threading.Thread(target=os._exit, args=(0,))\n"
        "        t.start()\n"
        "        t.join()\n"
    )
    report = _run(tmp_path, "thread_exit", body)
    result = report.result("cache.clear")
    assert result.outcome == "error"
    assert "the target called os._exit(0) in clear" in result.message, result.message
    assert report.result("cache.roundtrip").outcome == "passed"


def test_a_method_that_hangs_forever_ends_within_the_documented_bound(tmp_path: Path) -> None:
    from aiecs_conformance._bounds import GRACE, check_bound, run_bound

    body = "import time\nclass T(LruCache):\n    def clear(self):\n        time.sleep(1e6)\n"
    path = tmp_path / "worker_hangs.py"
    path.write_text(HEAD + body + "def factory():\n    return T()\n", encoding="utf-8")
    started = time.monotonic()
    report = ac.check(f"{path}:factory", "cache-provider", seed=11, max_examples=3,
                      timeout=0.25, only=["cache.clear"])  # fmt: skip
    seconds = time.monotonic() - started
    result = report.result("cache.clear")
    bound = check_bound(0.25, 3, 1.0)  # cache.clear's budget is 1
    assert result.outcome == "error" and "no progress for 2 s inside clear" in result.message
    assert bound <= result.duration <= bound + GRACE  # it waited the bound, not forever
    assert seconds <= run_bound([1.0], 0.25, 3), seconds


def test_a_forked_child_of_the_target_does_not_speak_for_the_worker(tmp_path: Path) -> None:
    # multiprocessing's fork children end with os._exit: that is not the worker exiting
    body = (
        "class T(LruCache):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        pid = os.fork()\n"
        "        if pid == 0:\n"
        "            os._exit(0)\n"
        "        os.waitpid(pid, 0)\n"
        "    def clear(self):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    result = _run(tmp_path, "forks", body).result("cache.clear")
    assert result.outcome == "error"
    assert "killed by signal 9 (SIGKILL)" in result.message, result.message
