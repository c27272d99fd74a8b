"""The CLI: exit codes 0/1/2, the JSON shape of DESIGN.md, list, reproduce line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import aiecs_conformance as ac
from aiecs_conformance._registry import TIMING_IDS
from aiecs_conformance.cli import main

IMPLS = str(Path(__file__).with_name("impls.py"))


def validate_shape(doc: Any) -> None:
    """Validate one --json document against DESIGN.md, field by field."""
    assert isinstance(doc, dict)
    assert {"target", "contracts", "passed", "checks"} <= set(doc)
    assert set(doc) - {"target", "contracts", "passed", "checks"} <= {
        "level",
        "seed",
        "kit_version",
        "isolated",
        "reproduce",
        "bounds",
    }
    bounds: dict[str, object] = dict(doc.get("bounds", {"timeout": 1.0}))  # pyright: ignore[reportUnknownArgumentType, reportUnknownMemberType]
    assert set(bounds) <= {"timeout", "check", "grace", "startup", "run"}
    assert all(isinstance(v, float) and v > 0 for v in bounds.values())
    assert isinstance(doc["target"], str)
    assert isinstance(doc["contracts"], list) and all(isinstance(c, str) for c in doc["contracts"])
    assert set(doc["contracts"]) <= set(ac.CONTRACTS)
    assert isinstance(doc["passed"], bool)
    assert isinstance(doc["checks"], list) and doc["checks"]
    for item in doc["checks"]:
        base = {"id", "contract", "severity", "outcome", "message", "example", "timing"}
        assert base <= set(item) <= base | {"output"}
        assert isinstance(item["timing"], bool)
        assert isinstance(item.get("output", ""), str)
        assert isinstance(item["id"], str)
        assert item["contract"] in doc["contracts"]
        assert item["severity"] in ("must", "should")
        assert item["outcome"] in ("passed", "failed", "skipped", "error")
        assert isinstance(item["message"], str)
        assert item["example"] is None or isinstance(item["example"], str)
    assert doc["level"] in ("full", "conforming", "non-conforming")
    assert isinstance(doc["seed"], int)
    assert doc["kit_version"] == ac.KIT_VERSION
    must_failed = any(
        c["severity"] == "must" and c["outcome"] in ("failed", "error") for c in doc["checks"]
    )
    assert doc["passed"] is not must_failed


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_0_and_json_for_a_correct_target(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", f"{IMPLS}:Cache", "--contract", "cache-provider", "--json",
        "--max-examples", "5", "--seed", "9",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    validate_shape(doc)
    assert doc["passed"] is True and doc["seed"] == 9 and doc["level"] == "full"


def test_exit_1_with_the_named_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", f"{IMPLS}:FalsyCache", "--json", "--max-examples", "5", "--seed", "1"
    )
    assert code == 1
    doc = json.loads(out)
    validate_shape(doc)
    failed = {c["id"] for c in doc["checks"] if c["outcome"] == "failed"}
    assert "cache.roundtrip" in failed
    roundtrip = next(c for c in doc["checks"] if c["id"] == "cache.roundtrip")
    assert roundtrip["example"]


def test_human_output_failures_first_and_reproduce_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", f"{IMPLS}:FalsyCache", "--max-examples", "5", "--seed", "4")
    assert code == 1
    assert out.index("cache.roundtrip") < out.index("cache.key.type")
    assert "seed 4" in out
    assert "reproduce with: aiecs-conformance check" in out and "--seed 4" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "nowhere/missing.py:factory"],
        ["check", "no_such_module_abc:factory"],
        ["check", f"{IMPLS}:Cache", "--contract", "cache-providr"],
        ["check", f"{IMPLS}:Cache", "--skip", "cache.roundtrp"],
        ["check", f"{IMPLS}:Cache", "--kit-level", "newest"],
        ["check"],
        ["frobnicate"],
    ],
)
def test_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_unknown_skip_names_the_closest_ids(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "check", f"{IMPLS}:Cache", "--skip", "cache.roundtrp")
    assert "'cache.roundtrp'" in err and "cache.roundtrip" in err


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "no_such_module_abc:factory", "--debug")
    assert code == 2 and "Traceback" in err


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    items = json.loads(out)
    assert [i["id"] for i in items] == [c.id for c in ac.all_checks()]
    assert set(items[0]) == {"id", "contract", "severity", "text", "since", "condition", "timing"}
    listed = {i["id"] for i in items}
    assert {i["id"] for i in items if i["timing"]} == TIMING_IDS & listed
    code, out, _ = run(capsys, "list")
    assert code == 0 and "cache.key.stable_across_processes" in out


def test_console_script_end_to_end(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("aiecs-conformance")
    if not exe.exists():
        pytest.skip("console script not installed (pip install -e .)")
    proc = subprocess.run(
        [str(exe), "check", f"{IMPLS}:NoneForMissingProvider", "--json", "--max-examples", "5"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    validate_shape(doc)
    assert "provider.get_tool.missing" in {
        c["id"] for c in doc["checks"] if c["outcome"] == "failed"
    }
    broken = tmp_path / "broken.py"
    broken.write_text("raise ImportError('boom')\n")
    proc = subprocess.run([str(exe), "check", f"{broken}:f"], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert proc.returncode == 2 and "boom" in proc.stderr and "Traceback" not in proc.stderr
