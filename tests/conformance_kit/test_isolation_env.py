"""Isolation when the environment, not the target, is broken (issue 12, an outsider's corpus).

The child interpreter inherits the caller's environment; when it cannot even start, the
error must say why (its own last stderr line), and a file in the current directory named
like one of the kit's imports must not break it at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import aiecs_conformance as ac
from aiecs_conformance._zygote import ChildStartError

REPO = Path(__file__).resolve().parents[2]
SHADOW = "raise ImportError('shadowed-hypothesis-marker: the wrong module was imported')\n"


def test_a_child_that_cannot_import_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "hypothesis.py").write_text(SHADOW, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    with pytest.raises(ChildStartError) as caught:
        # a seed whose hash seed no other test uses, so a fresh zygote starts in this env
        ac.check("conformance.targets.correct_cache:factory", "cache-provider",
                 seed=40_000, max_examples=2, only=["cache.roundtrip"])  # fmt: skip
    message = str(caught.value)
    assert "ImportError: shadowed-hypothesis-marker" in message, message
    assert "ended before it forked a worker" in message


def test_the_cli_prints_the_childs_error_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "hypothesis.py").write_text(SHADOW, encoding="utf-8")
    # The kit imports in this process; only the child sees the broken PYTHONPATH.
    code = (
        "import os, sys\n"
        "from aiecs_conformance.cli import main\n"
        f"os.environ['PYTHONPATH'] = {str(tmp_path)!r}\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "check", "conformance.targets.correct_cache:factory",
         "--contract", "cache-provider", "--json", "--max-examples", "2", "--seed", "1"],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "ImportError: shadowed-hypothesis-marker" in proc.stderr
    assert "the kit itself failed" not in proc.stderr  # an environment problem, said so
    assert "ImportError: shadowed-hypothesis-marker" in json.loads(proc.stdout)["error"]


def test_a_module_in_the_current_directory_does_not_shadow_the_kits_imports(
    tmp_path: Path,
) -> None:
    (tmp_path / "hypothesis.py").write_text(SHADOW, encoding="utf-8")
    target = REPO / "conformance" / "targets" / "correct_tool_provider.py"
    script = Path(sys.executable).parent / "aiecs-conformance"  # as a user runs it, not -m
    proc = subprocess.run(
        [str(script), "check", f"{target}:factory",
         "--contract", "tool-provider", "--json", "--max-examples", "2", "--seed", "1",
         "--skip", "provider.threads,provider.registry.threads"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0, (proc.stderr, doc.get("error"))
    assert doc["passed"] and doc["isolated"]
