"""The benchmark harness runs: every row in smoke mode, the CLI, the JSON shape."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import benchmarks
from benchmarks import BENCHES, Measurement, Settings, compare_memory, compare_times, run_bench
from benchmarks.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
ISSUE_ROWS = {
    "conforms.seen",
    "protocol.isinstance",
    "cache_key.typical",
    "cache_key.rich",
    "cache_key.large",
    "memory_cache.get_hit",
    "memory_cache.put_evict",
    "executor.overhead",
    "operation.overhead",
    "parallel.10k",
    "parallel.10k.memory",
    "sequence.1k",
    "kit.full",
}
SMOKE = Settings(smoke=True)


def test_every_issue_row_is_defined_once() -> None:
    ids = [b.id for b in BENCHES]
    assert len(ids) == len(set(ids))
    assert set(ids) >= ISSUE_ROWS


def _check_row_shape(row: dict[str, object]) -> None:
    assert set(row) == {"id", "ratio", "baseline", "goal", "met", "detail"}
    assert isinstance(row["id"], str) and isinstance(row["baseline"], str)
    assert row["ratio"] is None or (isinstance(row["ratio"], float) and math.isfinite(row["ratio"]))
    assert row["goal"] is None or isinstance(row["goal"], float)
    assert isinstance(row["met"], bool) and isinstance(row["detail"], dict)
    if row["ratio"] is None:
        assert row["met"] is False
        assert "unavailable" in row["detail"] or "error" in row["detail"]


@pytest.mark.parametrize("bench", BENCHES, ids=lambda b: b.id)
def test_row_runs_in_smoke_mode(bench: benchmarks.Bench) -> None:
    row = run_bench(bench, SMOKE)
    _check_row_shape(row)
    json.dumps(row, allow_nan=False)  # JSON has no NaN: the file must stay strict JSON
    # a row may be unavailable while its dependency has not landed, but never broken
    assert "error" not in row["detail"], row["detail"]


@pytest.mark.parametrize(("min_run_ns", "slices"), [(1_000, 1), (1_000_000, 10)])
def test_compare_times_ratio_reflects_real_cost(min_run_ns: int, slices: int) -> None:
    calls: list[str] = []

    def cheap(n: int) -> int:
        calls.append("b")
        return n * 100

    def dear(n: int) -> int:
        calls.append("c")
        return n * 300

    settings = Settings(repeats=5, min_run_ns=min_run_ns)
    m = compare_times(dear, cheap, settings, ops_per_iteration=2)
    assert m.ratio == pytest.approx(3.0)
    assert m.detail["candidate_ns_per_op"] == pytest.approx(150.0)
    assert m.detail["repeats"] == 5
    # calls too long to slice are timed whole; short ones alternate in ten slices
    assert m.detail["slices_per_repeat"] == slices
    timed = calls[-5 * 2 * slices :]
    assert timed == ["c", "b"] * (5 * slices)  # interleaved: A B A B ...


def test_compare_memory_sees_the_bigger_allocation() -> None:
    def small() -> None:
        bytearray(100_000)

    def big() -> None:
        bytearray(1_000_000)

    m = compare_memory(big, small, Settings(repeats=5))
    assert m.ratio is not None and 5 < m.ratio < 15


def test_a_failing_row_is_reported_not_raised() -> None:
    def boom(settings: Settings) -> Measurement:
        raise RuntimeError("kaput")

    bench = benchmarks.Bench("x.boom", "m", "b", 1.0, boom)
    row = run_bench(bench, SMOKE)
    _check_row_shape(row)
    assert "RuntimeError: kaput" in row["detail"]["error"]


def test_cli_smoke_writes_only_where_told(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["--smoke", "--only", "conforms.seen", "--output", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert set(doc) == {"python", "machine", "rows"}
    assert [r["id"] for r in doc["rows"]] == ["conforms.seen"]
    # a second partial run merges by id, keeping the table order
    assert main(["--smoke", "--only", "cache_key", "--output", str(out)]) == 0
    ids = [r["id"] for r in json.loads(out.read_text())["rows"]]
    assert ids == ["conforms.seen", "cache_key.typical", "cache_key.rich", "cache_key.large"]


def test_cli_rejects_unknown_rows_and_few_repeats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--only", "nope"]) == 2
    assert "known rows" in capsys.readouterr().err
    assert main(["--repeats", "3"]) == 2


def test_python_m_benchmarks_smoke_exits_zero(tmp_path: Path) -> None:
    results = ROOT / "benchmarks" / "results.json"
    before = results.read_bytes() if results.exists() else None
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--only", "conforms"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "conforms.seen" in proc.stdout
    after = results.read_bytes() if results.exists() else None
    assert before == after, "--smoke must not write benchmarks/results.json"


def test_profile_prints_the_call_tree_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyinstrument")
    out = tmp_path / "r.json"
    # a short real run (not --smoke), so the sampler certainly lands in the loops
    # 50 ms a run: on a loaded machine a 1 ms sampler can miss shorter loops entirely.
    argv = ["--only", "conforms.seen", "--repeats", "5", "--min-run-ms", "50"]
    assert main([*argv, "--profile", "--output", str(out)]) == 0
    assert "_conforms_loop" in capsys.readouterr().out
    assert not out.exists()
