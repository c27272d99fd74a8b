"""--junit-xml: one testcase per check id, failure text with message, example, reproduce line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from aiecs_conformance.cli import main

from . import impls

IMPLS = str(Path(impls.__file__))


def test_junit_report_has_one_case_per_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports" / "kit.xml"
    code = main(["check", f"{IMPLS}:FalsyCache", "--contract", "cache-provider", "--seed", "7",
                 "--max-examples", "5", "--junit-xml", str(out), "--json"])  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    root = ET.parse(out).getroot()
    suites = root.findall("testsuite")
    assert len(suites) == 1
    props = {p.get("name"): p.get("value") for p in suites[0].iter("property")}
    assert props["seed"] == "7" and props["level"] == doc["level"]
    cases = {c.get("name"): c for c in suites[0].findall("testcase")}
    assert list(cases) == [c["id"] for c in doc["checks"]]
    failure = cases["cache.roundtrip"].find("failure")
    assert failure is not None and failure.text is not None
    assert "smallest example:" in failure.text
    assert "reproduce with: aiecs-conformance check" in failure.text and "--seed 7" in failure.text
    assert cases["cache.miss"].find("failure") is None
    assert suites[0].get("failures") == str(sum(c["outcome"] == "failed" for c in doc["checks"]))
