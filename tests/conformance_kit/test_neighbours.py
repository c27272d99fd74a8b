"""Neighbours: what must get another key, what may share one, and the checks that use them."""

from __future__ import annotations

import datetime as dt
import decimal
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aiecs_conformance as ac
from aiecs_conformance import strategies
from aiecs_conformance._neighbours import (
    leaf_pairs,
    must_differ,
    neighbour_candidates,
    neighbours,
    value_neighbour_pairs,
)
from aiecs_conformance._values import (
    Color,
    Hue,
    Level,
    Point,
    SampleModel,
    SampleRecord,
    TwinModel,
    TwinPoint,
    TwinRecord,
    to_source,
)
from aiecs_conformance.checks._keys import leaf_types

from . import key_impls

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.UTC
PLUS2 = dt.timezone(dt.timedelta(hours=2))
NOON = dt.datetime(2024, 1, 1, 12, tzinfo=UTC)

MAY_SHARE: list[tuple[Any, Any]] = [
    (0.0, -0.0),
    (decimal.Decimal("1.0"), decimal.Decimal("1.00")),
    (decimal.Decimal("0"), decimal.Decimal("-0")),
    (NOON, NOON.astimezone(PLUS2)),
    (dt.time(12, tzinfo=UTC), dt.time(14, tzinfo=PLUS2)),
    ((1, [2]), [1, (2,)]),
    (Level.LOW, 1),
    ({1, 2}, frozenset({2, 1})),
]

MUST_DIFFER: list[tuple[Any, Any]] = [
    (1, "1"), (1, 1.0), (1, True), ("1", 1.0), (0, False), (None, ""),
    (decimal.Decimal("1"), "1"), (b"x", "x"), (NOON, NOON.isoformat()),
    (NOON, NOON.replace(tzinfo=None)), (SampleModel(name="a"), TwinModel(name="a")),
    (SampleRecord(x=1), TwinRecord(x=1)), (SampleRecord(x=1), {"x": 1, "label": ""}),
    (Point(1, 2), TwinPoint(1, 2)), (Color.RED, Hue.RED), (Color.RED, "red"),
    ("p" * 1000 + "a", "p" * 1000 + "b"), ("Ab", "ab"), ("\ufb01", "fi"),
    ("\u00e9", unicodedata.normalize("NFD", "\u00e9")), ({"a": None}, {}),
    (decimal.Decimal("NaN"), decimal.Decimal("Infinity")),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b"), MAY_SHARE)
def test_values_the_contract_lets_share_a_key(a: Any, b: Any) -> None:
    assert not must_differ(a, b)


@pytest.mark.parametrize(("a", "b"), MUST_DIFFER)
def test_values_that_must_get_two_keys(a: Any, b: Any) -> None:
    assert must_differ(a, b)


@settings(max_examples=60, deadline=None, database=None)
@given(strategies.params_values())
def test_every_neighbour_must_differ_and_stays_in_the_domain(value: Any) -> None:
    found = neighbour_candidates(value)
    assert found, value
    for other in found:
        assert must_differ(value, other)
        to_source(other)  # still a params value: a fresh interpreter can rebuild it


@settings(max_examples=30, deadline=None, database=None)
@given(value_neighbour_pairs(strategies.params_values(2)))
def test_the_public_strategy_draws_unequal_pairs(pair: tuple[Any, Any]) -> None:
    assert must_differ(*pair)


def test_neighbours_is_a_strategy() -> None:
    assert isinstance(neighbours({"a": [1]}), st.SearchStrategy)


@pytest.mark.parametrize(("name", "leaves"), leaf_types(), ids=[n for n, _ in leaf_types()])
def test_one_leaf_variation_exists_for_every_type(name: str, leaves: Any) -> None:
    @settings(max_examples=15, deadline=None, database=None)
    @given(leaves)
    def vary(leaf: Any) -> None:
        found = leaf_pairs(leaf) or neighbour_candidates(leaf, keep_type=True)
        assert found, f"no same-type variant of the {name} {leaf!r}"

    vary()


@pytest.mark.parametrize(
    "cache",
    [key_impls.IntParityCache, key_impls.DecimalPlacesCache, key_impls.AwareTimeMinutesCache],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_merge_of_one_leaf_type_fails_distinct_on_every_seed(cache: Any, seed: int) -> None:
    report = ac.check(cache, "cache-provider", seed=seed, max_examples=8,
                      only=["cache.key.distinct"])  # fmt: skip
    result = report.result("cache.key.distinct")
    assert result.outcome == "failed", result.message


_CHILD = """
import sys
import aiecs_conformance as ac
from tests.conformance_kit import key_impls
for name in ("ReprKeyCache", "IterationOrderCache"):
    report = ac.check(getattr(key_impls, name), "cache-provider", seed=int(sys.argv[1]),
                      max_examples=3, only=["cache.key.deterministic"])
    print(name, report.result("cache.key.deterministic").outcome)
"""


def test_order_dependence_fails_under_every_hash_seed() -> None:
    """Keys from repr() or set iteration order fail, whatever PYTHONHASHSEED the process has."""
    for hash_seed in ("0", "1", "42", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, hash_seed],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=True,
        )  # fmt: skip
        lines = proc.stdout.strip().splitlines()[-2:]
        assert lines == ["ReprKeyCache failed", "IterationOrderCache failed"], (hash_seed, lines)
