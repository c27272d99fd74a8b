"""How long a check and a whole run may take: one formula each, used and documented alike.

``--timeout`` is the unit of every bound, not a cut-off for each call: a single call the
kit waits on (a thread, a coroutine) is given ``timeout`` seconds, and a whole check
``check_bound`` seconds before the worker reports it hung. A check still running `GRACE`
seconds past its bound (a target holding the GIL, a stopped process) has its process
killed by the supervisor. `run_bound` is the worst case for a whole run: every check hangs
past its bound, is killed, and a fresh child starts for the next one.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "GRACE",
    "KILL_WAIT",
    "check_bound",
    "describe_check_bound",
    "run_bound",
    "startup_bound",
]

GRACE = 10.0
"""Seconds past a check's own bound before the supervisor kills a child that is stuck."""

KILL_WAIT = 11.0
"""Seconds the supervisor may spend killing a stuck child (stack dump and reaping)."""


def startup_bound(timeout: float) -> float:
    """Seconds a child may take to import the kit and the target and build it."""
    return max(30.0, 6 * timeout)


def check_bound(timeout: float, max_examples: int, budget: float) -> float:
    """Seconds one check may run before it counts as hung: 8 x timeout x budget x scale."""
    return timeout * 8 * budget * max(1.0, max_examples / 25)


def describe_check_bound(timeout: float, max_examples: int, budget: float) -> str:
    """The bound with its formula, for a message: ``8 x 0.5 s x 1 x max(1, 3/25) = 4 s``."""
    seconds = check_bound(timeout, max_examples, budget)
    return (
        f"8 x timeout {timeout:g} s x budget {budget:g} x max(1, {max_examples}/25) = {seconds:g} s"
    )


def run_bound(budgets: Iterable[float], timeout: float, max_examples: int) -> float:
    """Worst-case seconds for a run of checks with these budgets (each hangs, each killed).

    Per check: its bound plus `GRACE` (or, for a hang between checks, the start-up bound),
    the kill, and a fresh child's start-up; plus the first child's start-up.
    """
    start = startup_bound(timeout)
    total = start
    for budget in budgets:
        stuck = max(check_bound(timeout, max_examples, budget) + GRACE, start)
        total += stuck + KILL_WAIT + start
    return total
