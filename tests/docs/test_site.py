"""The documentation site builds strictly, and what it shows comes from the code."""

from __future__ import annotations

import html
import importlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the site once, strictly, into a temporary directory."""
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stderr[-4000:]}"
    return out


def _text(page: Path) -> str:
    """The visible text of a built page, tags stripped and entities decoded."""
    body = page.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


# -- sources ----------------------------------------------------------------------------

_FENCE = re.compile(r"^([ \t]*)(```+|~~~+)([^\n]*)\n(.*?)^\1\2[ \t]*$", re.M | re.S)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_code_block_is_included_from_a_tested_file(page: Path) -> None:
    for match in _FENCE.finditer(page.read_text(encoding="utf-8")):
        lines = [line.strip() for line in match.group(4).splitlines() if line.strip()]
        hand_written = [line for line in lines if not line.startswith("--8<--")]
        assert not hand_written, (
            f"{page.relative_to(ROOT)} has a hand-written code block; put the code in "
            f"docs/snippets/ (run by tests/docs) and include it with --8<--:\n{match.group(0)}"
        )


def test_every_included_file_exists() -> None:
    for page in PAGES:
        for target in re.findall(r'--8<-- "([^":]+)', page.read_text(encoding="utf-8")):
            assert (ROOT / target).is_file(), f"{page.name} includes missing {target}"


def test_public_names_on_the_pages_exist() -> None:
    # Any `aiecs_models.X` / `aiecs_contracts.X` written in prose must be importable.
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for module, name in re.findall(r"`(aiecs_models|aiecs_contracts)\.(\w+)`", text):
            assert hasattr(importlib.import_module(module), name), (
                f"{page.relative_to(ROOT)} mentions {module}.{name}, which does not exist"
            )


# -- the built site ---------------------------------------------------------------------


def test_no_marker_or_include_is_left_unexpanded(site: Path) -> None:
    for page in site.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert "--8&lt;--" not in raw and '--8<-- "' not in raw, page
        assert not re.search(
            r"<!--\s*(checks-table|json-schema|enum-table|errors-table|protocol-source|"
            r"snippet-output|command-output|pyproject-section|conformance-matrix|"
            r"benchmark-table)",
            raw,
        ), page


def test_home_page_has_navigation_and_the_example(site: Path) -> None:
    text = _text(site / "index.html")
    for tab in ("Getting started", "Contracts", "Conformance kit", "API reference"):
        assert tab in text
    assert "class TinyCache" in text
    assert "print(conforms(cache, ICacheProvider))" in text


def test_json_schemas_are_the_models_own(site: Path) -> None:
    import aiecs_models

    text = _text(site / "models" / "index.html")
    for name in ("TaskStepResult", "OperationSpec", "TaskSpec"):
        schema = getattr(aiecs_models, name).model_json_schema()
        assert f'"title": "{schema["title"]}"' in text
        for field in schema["properties"]:
            assert f'"{field}"' in text, f"{name}.{field} missing from the rendered schema"


def test_protocol_sources_are_the_packages_own(site: Path) -> None:
    import inspect

    import aiecs_contracts

    text = _text(site / "contracts" / "cache-provider" / "index.html")
    source = inspect.getsource(aiecs_contracts.ICacheProvider)
    assert " ".join(source.split()) in " ".join(text.split())


def _kit_has(attribute: str) -> bool:
    try:
        return hasattr(importlib.import_module("aiecs_conformance"), attribute)
    except ModuleNotFoundError:
        return False


def test_coming_notes_only_for_what_has_not_landed(site: Path) -> None:
    text = _text(site / "conformance" / "index.html")
    if _kit_has("all_checks"):
        assert "The check table is generated from" not in text
    if (ROOT / "conformance" / "results.md").is_file():
        assert "The conformance matrix is generated from" not in text
    perf = _text(site / "performance" / "index.html")
    if (ROOT / "benchmarks" / "results.json").is_file():
        assert "The benchmark table is generated from" not in perf


# -- the check table equals `aiecs-conformance list` ------------------------------------


def _rendered_check_rows(page: Path) -> list[tuple[str, str, str]]:
    """(id, severity, text) of every row of the check table on a built page."""
    raw = page.read_text(encoding="utf-8")
    rows: list[tuple[str, str, str]] = []
    for table in re.findall(r"<table>(.*?)</table>", raw, flags=re.S):
        head = re.sub(r"<[^>]+>", "", table.split("</thead>")[0])
        if "contract" not in head or "invariant" not in head:
            continue
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], flags=re.S):
            cells = [
                " ".join(html.unescape(re.sub(r"<[^>]+>", "", c)).split())
                for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            ]
            rows.append((cells[0], cells[2].split(",")[0], cells[3]))
    return rows


def _markdown_plain(text: str) -> str:
    """The registry's text as it reads once rendered as Markdown (tags stripped)."""
    import markdown

    rendered = markdown.markdown(text.replace("|", "\\|"))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", rendered)).split())


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("aiecs-conformance", path=str(Path(sys.executable).parent))
    if exe is None or importlib.util.find_spec("aiecs_conformance.cli") is None:
        pytest.skip("aiecs-conformance (the CLI) has not landed in this checkout")
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1"}
    proc = subprocess.run(
        [exe, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def test_check_table_equals_the_cli_list(site: Path) -> None:
    listed = json.loads(_cli("list", "--json").stdout)
    rendered = _rendered_check_rows(site / "conformance" / "index.html")
    assert rendered, "no check table found on the conformance page"
    assert [r[0] for r in rendered] == [c["id"] for c in listed]
    for (check_id, severity, text), entry in zip(rendered, listed, strict=True):
        assert severity == entry["severity"], check_id
        assert text == _markdown_plain(entry["text"]), check_id


def test_cli_list_shows_every_id_of_the_table(site: Path) -> None:
    table = _cli("list").stdout
    for check_id, severity, _ in _rendered_check_rows(site / "conformance" / "index.html"):
        line = next((ln for ln in table.splitlines() if f" {check_id} " in ln), None)
        assert line is not None, f"{check_id} is on the site but not in `aiecs-conformance list`"
        assert severity in line, (check_id, line)


def test_profiles_on_the_conformance_page_are_the_kits() -> None:
    runner = pytest.importorskip("aiecs_conformance._runner")
    profiles = runner.PROFILES
    text = " ".join((DOCS / "conformance.md").read_text(encoding="utf-8").split())
    assert f"`dev` (the default) runs {profiles['dev']['max_examples']} examples" in text
    assert f"`ci` runs {profiles['ci']['max_examples']}, derandomized" in text
    assert profiles["ci"]["derandomize"] and not profiles["dev"]["derandomize"]


def test_every_relative_link_resolves(site: Path) -> None:
    broken: list[str] = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # absolute links, served from the site root
            continue
        for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", href) or href.startswith(("#", "//")):
                continue
            path = href.split("#")[0].split("?")[0]
            base = site if path.startswith("/") else page.parent
            target = (base / path.lstrip("/")).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert not broken, "broken links:\n" + "\n".join(sorted(set(broken))[:40])


def test_benchmark_table_shows_every_row_of_results_json() -> None:
    import importlib.util as iu

    spec = iu.spec_from_file_location("docs_hooks", DOCS / "_hooks.py")
    assert spec is not None and spec.loader is not None
    hooks = iu.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    sample = {
        "python": "CPython 3.11",
        "machine": "test machine",
        "rows": [
            {
                "id": "cache_key.small",
                "ratio": 0.75,
                "baseline": "json+md5",
                "goal": 1.0,
                "met": True,
                "detail": {"candidate_ns_per_op": 1500, "baseline_ns_per_op": 2000},
            },
            {
                "id": "redis.get",
                "ratio": None,
                "baseline": "dict",
                "goal": None,
                "met": False,
                "detail": {"unavailable": "no redis-server"},
            },
        ],
    }
    rows = hooks.benchmark_rows(sample)
    assert [r["ratio"] for r in rows] == ["0.75", "— (no redis-server)"]
    assert [r["verdict"] for r in rows] == ["met", "report only"]
    assert rows[0]["per op"] == "1.50 µs vs 2.00 µs"
    real = ROOT / "benchmarks" / "results.json"
    if real.is_file():
        data = json.loads(real.read_text(encoding="utf-8"))
        table = hooks.render_benchmark_table()
        for row in data["rows"]:
            assert f"`{row['id']}`" in table
