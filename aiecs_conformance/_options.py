"""The options of one run as one frozen object, and the named profiles that fill defaults.

`RunOptions` replaces the keywords of `check()` inside the kit: the runner, the supervisor
and its child, the suites and the CLI all pass one of these. `check()` keeps its documented
keywords and builds one with `RunOptions.build`, which validates every value.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ._registry import parse_level, validate_ids

__all__ = ["DEFAULT_TIMEOUT", "PROFILES", "Profile", "RunOptions", "profile_named"]

DEFAULT_TIMEOUT = 5.0
"""Seconds one call into the target may take before it counts as hung."""


@dataclass(frozen=True)
class Profile:
    """A named set of defaults: how many examples, and whether hypothesis is derandomised."""

    name: str
    max_examples: int
    derandomize: bool
    summary: str


_PROFILES: tuple[Profile, ...] = (
    Profile("dev", 25, False, "fast"),
    Profile("ci", 100, True, "thorough"),
)

PROFILES: dict[str, dict[str, Any]] = {
    p.name: {"max_examples": p.max_examples, "derandomize": p.derandomize} for p in _PROFILES
}
"""A read-only view of the profiles as dicts (kept for callers of earlier kit versions)."""


def profile_named(name: str | None) -> Profile:
    """The profile called ``name`` (``"dev"`` when ``None``; an ``aiecs-`` prefix is allowed)."""
    key = (name or "dev").removeprefix("aiecs-")
    for p in _PROFILES:
        if p.name == key:
            return p
    expected = " or ".join(f"{p.name!r} ({p.summary})" for p in _PROFILES)
    raise ValueError(f"unknown profile {name!r}; expected {expected}")


def _validate_timeout(timeout: object) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise ValueError(f"timeout must be a number of seconds, got {timeout!r}")
    value = float(timeout)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"timeout must be a finite number of seconds greater than 0, got {timeout!r}"
        )
    return value


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """Everything that decides what a run checks and how (all validated by `build`)."""

    seed: int
    max_examples: int
    derandomize: bool
    profile: str = "dev"
    timeout: float = DEFAULT_TIMEOUT
    skip: tuple[str, ...] = ()
    xfail: Mapping[str, str] = field(default_factory=dict[str, str])
    kit_level: str | None = None
    only: frozenset[str] | None = None
    isolate: bool = True

    @property
    def level(self) -> tuple[int, ...] | None:
        """The parsed kit level, or ``None`` for every check."""
        return parse_level(self.kit_level) if self.kit_level is not None else None

    def with_only(self, only: Iterable[str] | None) -> RunOptions:
        """A copy that runs only ``only`` (every check when ``None``)."""
        return replace(self, only=None if only is None else frozenset(only))

    @classmethod
    def build(
        cls,
        *,
        max_examples: int | None = None,
        seed: int | None = None,
        skip: Iterable[str] = (),
        xfail: Mapping[str, str] | None = None,
        kit_level: str | None = None,
        profile: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        only: Iterable[str] | None = None,
        isolate: bool = True,
    ) -> RunOptions:
        """Validate the keywords of `check()` and return them as one object."""
        skipped = tuple(skip)
        validate_ids(skipped, "skip")
        waivers = dict(xfail or {})
        validate_ids(waivers, "xfail")
        for check_id, given in waivers.items():
            reason: object = given  # callers outside the type checker pass anything
            if not isinstance(reason, str) or not reason.strip():  # pyright: ignore[reportUnnecessaryIsInstance]
                raise ValueError(
                    f"xfail[{check_id!r}] has no reason; write why the check is expected to "
                    f'fail, such as {{"{check_id}": "known gap, tracked in issue 12"}}'
                )
        selected = None if only is None else frozenset(only)
        if selected is not None:
            validate_ids(selected, "only")
        if kit_level is not None:
            parse_level(kit_level)
        chosen = profile_named(profile)
        examples: object = max_examples if max_examples is not None else chosen.max_examples
        if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"max_examples must be a whole number of at least 1, got {examples!r}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"seed must be a whole number, got {seed!r}")
        return cls(
            seed=seed if seed is not None else random.randrange(2**32),
            max_examples=examples,
            derandomize=chosen.derandomize,
            profile=chosen.name,
            timeout=_validate_timeout(timeout),
            skip=skipped,
            xfail=waivers,
            kit_level=kit_level,
            only=selected,
            isolate=bool(isolate),
        )
