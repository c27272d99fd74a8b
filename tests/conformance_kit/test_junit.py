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


@pytest.mark.parametrize("name", ["ci_github.yml", "ci_gitlab.yml"])
def test_ci_snippets_use_the_real_option(name: str) -> None:
    yaml = pytest.importorskip("yaml")
    path = Path(__file__).resolve().parents[2] / "docs" / "snippets" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = json.dumps(data)
    assert "aiecs-conformance check" in text and "--junit-xml" in text
    # the command line the snippet shows parses with the real CLI
    line = next(ln for ln in path.read_text().splitlines() if "aiecs-conformance check" in ln)
    argv = line.split("aiecs-conformance", 1)[1].split()
    from aiecs_conformance.cli import _parser  # pyright: ignore[reportPrivateUsage]

    args = _parser().parse_args(argv)
    assert args.junit_xml and args.profile == "ci"
