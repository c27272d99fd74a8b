"""`make typing-matrix`: every static typing case under mypy, pyright, basedpyright, pyrefly, ty.

A *case* is one annotated assignment in ``tests/typing/pass_*.py`` / ``fail_*.py``, such as
``_a: type[ICacheProvider] = DictCache``: ``pass_`` files expect every checker to accept it,
``fail_`` files to reject it (``pass_gaps.py`` holds wrong classes that mypy and pyright
accept: they are expected to be accepted, and `explain` catches them at run time).

The cases are copied to a temporary folder with their ``# type: ignore[…]`` and
``# pyright: ignore[…]`` comments removed, each checker runs once over the copy, and a case
counts as rejected when the checker reports an error on its line. The result is written to
``docs/typing-matrix.md``; ``--check`` fails when that file is stale. mypy and pyright stay
the required checkers of ``make test`` (with the ignores in place); this matrix reports
what the others catch.

    python -m tests.typing.matrix            # write docs/typing-matrix.md
    python -m tests.typing.matrix --check    # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CHECKERS", "Case", "cases", "main", "render", "run_checker"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUTPUT = REPO / "docs" / "typing-matrix.md"
BIN = Path(sys.executable).parent

_CASE = re.compile(r"^\s+(_\w*): (?P<annotation>[^=]+?) = (?P<value>[\w.()]+)")
_IGNORE = re.compile(r" *# (type|pyright): ignore\[[^\]]*\]")


@dataclass(frozen=True)
class Case:
    """One assignment a checker accepts or rejects."""

    file: str
    line: int
    annotation: str
    value: str
    expected: str  # "accept" or "reject"

    @property
    def label(self) -> str:
        """``file:Class as annotation``, how the matrix names the case."""
        return f"`{self.file}` `{self.value}` as `{self.annotation}`"


def cases(folder: Path = HERE) -> list[Case]:
    """Every case in ``folder``, in file and line order."""
    found: list[Case] = []
    for path in sorted(folder.glob("*.py")):
        if not path.name.startswith(("pass_", "fail_")):
            continue
        expected = "accept" if path.name.startswith("pass_") else "reject"
        for n, text in enumerate(path.read_text().splitlines(), start=1):
            m = _CASE.match(_IGNORE.sub("", text))
            if m:
                found.append(
                    Case(path.name, n, m["annotation"].strip(), m["value"], expected)
                )
    return found


def _lines(pattern: str, output: str) -> set[tuple[str, int]]:
    return {(Path(m[1]).name, int(m[2])) for m in re.finditer(pattern, output, re.MULTILINE)}


def _mypy(folder: Path) -> tuple[str, set[tuple[str, int]]]:
    out = _run([str(BIN / "mypy"), "--config-file", str(HERE / "mypy.ini"), "."], folder)
    return _version("mypy"), _lines(r"^(\S+\.py):(\d+): error:", out)


def _pyright_like(exe: str) -> Callable[[Path], tuple[str, set[tuple[str, int]]]]:
    def run(folder: Path) -> tuple[str, set[tuple[str, int]]]:
        config = json.loads((HERE / "pyrightconfig.json").read_text())
        config.update(venvPath=str(REPO), extraPaths=[str(REPO)], enableTypeIgnoreComments=True)
        (folder / "pyrightconfig.json").write_text(json.dumps(config))
        out = _run(
            [str(BIN / exe), "--outputjson", "-p", "pyrightconfig.json"], folder, stdout_only=True
        )
        data = json.loads(out)
        errors = {
            (Path(d["file"]).name, int(d["range"]["start"]["line"]) + 1)
            for d in data.get("generalDiagnostics", [])
            if d.get("severity") == "error"
        }
        return _version(exe), errors

    return run


def _pyrefly(folder: Path) -> tuple[str, set[tuple[str, int]]]:
    (folder / "pyrefly.toml").write_text(
        'project-includes = ["*.py"]\n'
        f"search-path = [{json.dumps(str(REPO))}]\n"
        f"python-interpreter-path = {json.dumps(sys.executable)}\n"
    )
    out = _run([str(BIN / "pyrefly"), "check", "--output-format", "min-text"], folder)
    return _version("pyrefly"), _lines(r"^ERROR (\S+\.py):(\d+):", out)


def _ty(folder: Path) -> tuple[str, set[tuple[str, int]]]:
    out = _run(
        [str(BIN / "ty"), "check", "--python", sys.executable, "--extra-search-path", str(REPO),
         "--output-format", "concise", "."],
        folder,
    )  # fmt: skip
    return _version("ty"), _lines(r"^(\S+\.py):(\d+):\d+: error", out)


CHECKERS: dict[str, Callable[[Path], tuple[str, set[tuple[str, int]]]]] = {
    "mypy": _mypy,
    "pyright": _pyright_like("pyright"),
    "basedpyright": _pyright_like("basedpyright"),
    "pyrefly": _pyrefly,
    "ty": _ty,
}


def _run(command: Sequence[str], cwd: Path, *, stdout_only: bool = False) -> str:
    if not Path(command[0]).exists():
        raise SystemExit(f"{Path(command[0]).name} is not installed: run `make install`")
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    return done.stdout if stdout_only else done.stdout + done.stderr


def _version(exe: str) -> str:
    out = subprocess.run([str(BIN / exe), "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\d+\.\d+(\.\d+)*", out)
    return found.group(0) if found else "?"


def _stripped_copy(into: Path) -> None:
    for path in HERE.glob("*.py"):
        if path.name.startswith(("pass_", "fail_")) or path.name == "__init__.py":
            (into / path.name).write_text(_IGNORE.sub("", path.read_text()))


def run_checker(name: str) -> tuple[str, dict[Case, bool]]:
    """Run checker ``name`` over the stripped cases: its version, and rejected per case."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _stripped_copy(folder)
        version, errors = CHECKERS[name](folder)
    return version, {case: (case.file, case.line) in errors for case in cases()}


def render(results: dict[str, tuple[str, dict[Case, bool]]]) -> str:
    """The matrix as a Markdown page."""
    names = list(results)
    head = "| case | expected | " + " | ".join(
        f"{n} {results[n][0]}" for n in names
    ) + " |"  # fmt: skip
    rows = [head, "|---|---|" + "---|" * len(names)]
    caught = dict.fromkeys(names, 0)
    every = cases()
    for case in every:
        cells: list[str] = []
        for n in names:
            rejected = results[n][1][case]
            ok = rejected == (case.expected == "reject")
            caught[n] += ok
            cells.append(("rejects" if rejected else "accepts") + ("" if ok else " ✗"))
        rows.append(f"| {case.label} | {case.expected}s | " + " | ".join(cells) + " |")
    summary = ", ".join(f"{n} {caught[n]}/{len(every)}" for n in names)
    return "\n".join(
        [
            "# Static typing across checkers",
            "",
            "Generated by `make typing-matrix` (`python -m tests.typing.matrix`) from the cases",
            "in `tests/typing`: each is one duck-typed class assigned where a Protocol is",
            "expected. `pass_` cases should be accepted, `fail_` cases rejected; ✗ marks a",
            "checker that disagrees. `pass_gaps.py` holds wrong classes mypy and pyright",
            "accept (run-time `explain` catches them). mypy and pyright are required by",
            "`make test`; the others are reported here. Do not edit by hand.",
            "",
            f"Agreeing with the expectation: {summary}.",
            "",
            *rows,
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with ``--check``, compare) ``docs/typing-matrix.md``."""
    parser = argparse.ArgumentParser(prog="python -m tests.typing.matrix")
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    parser.add_argument("--only", nargs="+", choices=list(CHECKERS), default=list(CHECKERS))
    args = parser.parse_args(argv)
    results = {name: run_checker(name) for name in args.only}
    text = render(results)
    if args.check:
        if OUTPUT.read_text() != text:
            print(f"{OUTPUT.relative_to(REPO)} is stale: run `make typing-matrix`")
            return 1
        return 0
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT.relative_to(REPO)} ({len(cases())} cases)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
