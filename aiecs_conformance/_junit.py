"""``--junit-xml PATH``: the report as JUnit XML, one testcase per check id.

GitHub, GitLab and Jenkins test reporters read it: a failed or errored check is a
``<failure>`` / ``<error>`` whose text holds the message, the smallest example, the target's
captured output and the ``reproduce with:`` line; the seed is a suite property.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ._report import CheckResult, ConformanceReport

__all__ = ["junit_xml", "write_junit"]


def _case(result: CheckResult, reproduce: str | None) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=f"aiecs_conformance.{result.contract}",
        name=result.id,
        time=f"{result.duration:.3f}",
    )
    lines = [result.message]
    if result.example:
        lines.append(f"smallest example: {result.example}")
    if result.output:
        lines.append(f"target output:\n{result.output}")
    if reproduce:
        lines.append(f"reproduce with: {reproduce}")
    text = "\n".join(lines)
    summary = result.message.splitlines()[0] if result.message else result.outcome
    if result.outcome == "error":
        ET.SubElement(case, "error", message=summary, type="error").text = text
    elif result.failing:
        kind = "failure" if result.severity == "must" else "warning"
        ET.SubElement(case, "failure", message=summary, type=kind).text = text
    elif result.outcome in ("skipped", "xfailed"):
        ET.SubElement(case, "skipped", message=result.message)
    if result.timing:
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", name="timing", value="true")
    return case


def junit_xml(report: ConformanceReport, reproduce: str | None = None) -> str:
    """The report as a JUnit XML document (one ``testsuite`` per contract)."""
    root = ET.Element("testsuites", name="aiecs-conformance")
    for contract in report.contracts:
        rows = [r for r in report.results if r.contract == contract]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"aiecs-conformance {contract}: {report.target}",
            tests=str(len(rows)),
            failures=str(sum(r.failing and r.outcome != "error" for r in rows)),
            errors=str(sum(r.outcome == "error" for r in rows)),
            skipped=str(sum(r.outcome in ("skipped", "xfailed") for r in rows)),
            time=f"{sum(r.duration for r in rows):.3f}",
        )
        props = ET.SubElement(suite, "properties")
        for name, value in (
            ("seed", str(report.seed)),
            ("kit_version", report.kit_version),
            ("level", report.level),
            ("isolated", str(report.isolated).lower()),
        ):
            ET.SubElement(props, "property", name=name, value=value)
        for r in rows:
            suite.append(_case(r, reproduce if r.failing else None))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(report: ConformanceReport, path: Path, reproduce: str | None = None) -> None:
    """Write `junit_xml` to ``path`` (its folder is created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(junit_xml(report, reproduce), encoding="utf-8")
