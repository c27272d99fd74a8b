"""docs/typing-matrix.md is current for the required checkers (mypy and pyright)."""

from __future__ import annotations

import re

import pytest

from tests.typing.matrix import OUTPUT, cases, run_checker


def _column(checker: str) -> dict[str, str]:
    lines = OUTPUT.read_text().splitlines()
    header = next(line for line in lines if line.startswith("| case |"))
    names = [cell.strip().split(" ")[0] for cell in header.strip("|").split("|")]
    index = names.index(checker)
    out: dict[str, str] = {}
    for line in lines:
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            out[cells[0]] = cells[index].split(" ")[0]
    return out


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_matrix_column_matches_a_fresh_run(checker: str) -> None:
    version, rejected = run_checker(checker)
    page = _column(checker)
    assert f"{checker} {version}" in OUTPUT.read_text(), "checker version changed: regenerate"
    for case in cases():
        want = "rejects" if rejected[case] else "accepts"
        assert page.get(case.label) == want, (
            f"{case.label}: {checker} now {want}; run `make typing-matrix`"
        )


def test_every_case_is_in_the_matrix() -> None:
    labels = set(_column("mypy"))
    assert {c.label for c in cases()} == labels
    assert re.search(r"pyrefly \d", OUTPUT.read_text()) and "ty 0." in OUTPUT.read_text()
