"""MkDocs hook: replace marker comments in pages with content generated from the code.

Every table, schema and program output on the site is produced here, at build time, from
the packages themselves, so the pages cannot drift from the code. Markers:

- ``<!-- checks-table -->`` / ``<!-- checks-table: cache-provider -->``: the check registry
  (``aiecs_conformance.all_checks()``), all of it or one contract's checks.
- ``<!-- json-schema: TaskStepResult -->``: a model's ``model_json_schema()``.
- ``<!-- enum-table: TaskStatus -->``: an enum's members and wire values.
- ``<!-- errors-table -->``: the error hierarchy with bases and default codes.
- ``<!-- protocol-source: ICacheProvider -->``: a Protocol's source, as the package holds it.
- ``<!-- pyproject-section: tool.mypy -->``: one table of ``pyproject.toml``.
- ``<!-- snippet-output: docs/snippets/x.py -->``: what running the snippet prints.
- ``<!-- command-output: aiecs-conformance list -->``: a shell command and what it printed
  (run from the repository root with the virtualenv's ``bin`` first on ``PATH``).
- ``<!-- conformance-matrix -->``: ``conformance/results.md``.
- ``<!-- benchmark-table -->``: ``benchmarks/results.json``.
- ``<!-- contracts-table -->``: every registered `Contract` (name, Protocol, harness, suite).
- ``<!-- contract-summary: tool-executor-v2 -->``: how the kit builds and runs one contract,
  from its registry entry (harness, CLI, suite, the checks it borrows).
- ``<!-- make-target: typecheck -->``: the commands of one Makefile target, expanded.

A marker whose source package has not landed yet renders a "coming" note instead of
inventing content; a marker that names something unknown fails the build.
"""

from __future__ import annotations

import enum
import importlib
import importlib.util
import inspect
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# A marker stands alone on its line; its indentation (inside a tab or an admonition) is
# applied to every line of what replaces it.
_MARKER = re.compile(r"^([ \t]*)<!--\s*([a-z-]+)(?::\s*(.*?))?\s*-->[ \t]*$", re.M)


class DocsGenerationError(RuntimeError):
    """Raised when a marker cannot be rendered; fails the (strict) build."""


def _missing(what: str, package: str) -> str:
    return (
        f'!!! note "Coming"\n    {what} is generated from `{package}`, which has not '
        f"landed in this checkout yet.\n"
    )


def _has(module: str, attribute: str) -> bool:
    """Whether ``module`` has landed far enough to expose ``attribute``."""
    try:
        return hasattr(importlib.import_module(module), attribute)
    except ModuleNotFoundError:
        return False


def _cell(text: object) -> str:
    # Table cells: no raw pipes or newlines, or the Markdown table breaks.
    return str(text).replace("|", "\\|").replace("\n", " ")


# -- check registry ---------------------------------------------------------------------


def check_rows(contract: str | None = None) -> list[dict[str, str]]:
    """Return the registry's checks as plain rows (id, contract, severity, text, condition)."""
    kit = importlib.import_module("aiecs_conformance")
    borrowed = _borrowed(contract) if contract is not None else ()
    rows: list[dict[str, str]] = []
    for info in kit.all_checks():
        if contract is not None and info.contract != contract and info.id not in borrowed:
            continue
        rows.append(
            {
                "id": str(info.id),
                "contract": str(info.contract),
                "severity": str(getattr(info.severity, "value", info.severity)),
                "text": str(info.text),
                "condition": str(getattr(info, "condition", "") or ""),
                "since": str(getattr(info, "since", "") or ""),
            }
        )
    return rows


def render_checks_table(contract: str | None = None) -> str:
    """Render the check registry (or one contract's part) as a Markdown table."""
    if not _has("aiecs_conformance", "all_checks"):
        return _missing("The check table", "aiecs_conformance")
    rows = check_rows(contract)
    if not rows:
        raise DocsGenerationError(f"no checks registered for contract {contract!r}")
    head = "| id | severity | invariant |\n|---|---|---|\n"
    if contract is None:
        head = "| id | contract | severity | invariant |\n|---|---|---|---|\n"
    lines = []
    for r in rows:
        sev = f"**{r['severity']}**" if r["severity"] == "must" else r["severity"]
        if r["condition"]:
            # Conditions are stored as written ("if the cache has `__len__`"): add the
            # "if" only where the text does not start with one already.
            cond = r["condition"]
            sev += f", {cond}" if re.match(r"(if|when|unless)\b", cond) else f", if {cond}"
        text = _cell(r["text"])
        if contract is None:
            lines.append(f"| `{r['id']}` | {r['contract']} | {sev} | {text} |")
        else:
            lines.append(f"| `{r['id']}` | {sev} | {text} |")
    return head + "\n".join(lines) + "\n"


def _borrowed(contract: str) -> tuple[str, ...]:
    """The ids of other contracts' checks that ``contract`` also runs (from its registry entry)."""
    if not _has("aiecs_conformance._contracts", "contract_named"):
        return ()
    registry = importlib.import_module("aiecs_conformance._contracts")
    try:
        spec = registry.contract_named(contract)
    except ValueError:
        return ()  # "signature" and other check groups are not contracts
    return tuple(getattr(spec, "borrows", ()))


def render_contract_summary(contract: str) -> str:
    """Render how the kit builds and runs ``contract``: Protocol, harness, suite, CLI."""
    if not _has("aiecs_conformance._contracts", "contract_named"):
        return _missing("The contract summary", "aiecs_conformance")
    registry = importlib.import_module("aiecs_conformance._contracts")
    try:
        spec = registry.contract_named(contract)
    except ValueError as exc:
        raise DocsGenerationError(str(exc)) from exc
    lines = [
        "| | |",
        "|---|---|",
        f"| contract (CLI name) | `{spec.name}` |",
        f"| Protocol | `{spec.protocol.__name__}` (in `aiecs_contracts`) |",
        f"| harness | `factory{spec.convention}`: the kit calls it for every fresh target |",
        f"| CLI | `aiecs-conformance check module:factory --contract {spec.name}` |",
        f"| pytest suite | `aiecs_conformance.suites.{spec.suite}` |",
    ]
    borrowed = tuple(getattr(spec, "borrows", ()))
    if borrowed:
        also = ", ".join(f"`{b}`" for b in borrowed)
        lines.append(f"| also runs | {also} (rows of their own contract page) |")
    return "\n".join(lines) + "\n"


def render_contracts_table() -> str:
    """Render every registered contract: CLI name, Protocol, harness and page."""
    if not _has("aiecs_conformance._contracts", "contracts"):
        return _missing("The contracts table", "aiecs_conformance")
    registry = importlib.import_module("aiecs_conformance._contracts")
    lines = [
        "| contract (CLI name) | Protocol | the kit builds it with | pytest suite | page |",
        "|---|---|---|---|---|",
    ]
    for spec in registry.contracts():
        page = f"{spec.docs}.md"
        if not (ROOT / "docs" / "contracts" / page).is_file():
            raise DocsGenerationError(f"contract {spec.name!r} has no page docs/contracts/{page}")
        lines.append(
            f"| `{spec.name}` | `{spec.protocol.__name__}` | `factory{spec.convention}` | "
            f"`{spec.suite}` | [{spec.protocol.__name__}]({page}) |"
        )
    return "\n".join(lines) + "\n"


# -- make targets ---------------------------------------------------------------------


def _make_variables(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in re.findall(r"^([A-Z_]+)\s*:?=\s*(.*)$", text, re.M):
        found[name] = value.strip()
    return found


def _expand_make(value: str, variables: dict[str, str]) -> str:
    def wildcard(match: re.Match[str]) -> str:
        return " ".join(p for p in match.group(1).split() if (ROOT / p).exists())

    for _ in range(5):  # variables may refer to variables
        value = re.sub(r"\$\(wildcard ([^)]*)\)", wildcard, value)
        value = re.sub(r"\$\(BIN\)/", "", value)
        value = re.sub(r"\$\(([A-Z_]+)\)", lambda m: variables.get(m.group(1), m.group(0)), value)
    return re.sub(r"\s+", " ", value).strip()


def render_make_target(target: str) -> str:
    """Render the commands of one Makefile target, variables expanded, as a shell block."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(target)}:[^\n]*\n((?:\t[^\n]*\n?)+)", text, re.M)
    if match is None:
        raise DocsGenerationError(f"the Makefile has no target {target!r}")
    variables = _make_variables(text)
    commands = [_expand_make(line.strip(), variables) for line in match.group(1).splitlines()]
    header = f"# make {target} runs exactly these (from the Makefile, variables expanded):"
    return "```sh\n" + "\n".join([header, *commands]) + "\n```\n"


# -- models -----------------------------------------------------------------------------


def render_json_schema(name: str) -> str:
    """Render one ``aiecs_models`` model's JSON Schema as a JSON code block."""
    models = importlib.import_module("aiecs_models")
    model = getattr(models, name, None)
    if model is None or not hasattr(model, "model_json_schema"):
        raise DocsGenerationError(f"aiecs_models has no pydantic model named {name!r}")
    schema = json.dumps(model.model_json_schema(), indent=2, sort_keys=True)
    return f"```json\n{schema}\n```\n"


def render_enum_table(name: str) -> str:
    """Render an ``aiecs_models`` enum as a member/value table."""
    models = importlib.import_module("aiecs_models")
    cls = getattr(models, name, None)
    if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
        raise DocsGenerationError(f"aiecs_models has no enum named {name!r}")
    lines = ["| member | wire value |", "|---|---|"]
    lines += [f"| `{m.name}` | `{m.value!r}` |" for m in cls]
    return "\n".join(lines) + "\n"


def render_errors_table() -> str:
    """Render the error hierarchy of ``aiecs_contracts``: bases, default code, when raised."""
    contracts = importlib.import_module("aiecs_contracts")
    base = contracts.ExecutionError
    errors = [
        getattr(contracts, n)
        for n in contracts.__all__
        if isinstance(getattr(contracts, n), type) and issubclass(getattr(contracts, n), base)
    ]
    lines = ["| error | also a | default code | raised when |", "|---|---|---|---|"]
    for cls in errors:
        also = [
            f"`{b.__name__}`"
            for b in cls.__mro__[1:]
            if b.__module__ == "builtins" and b not in (Exception, BaseException, object)
        ]
        parent = [f"`{b.__name__}`" for b in cls.__bases__ if issubclass(b, base)]
        doc = (inspect.getdoc(cls) or "").splitlines()[0]
        code = cls.default_code
        lines.append(
            f"| `{cls.__name__}` | {', '.join(parent + also) or '—'} | "
            f"`{code.value}` ({code.name}) | {_cell(doc)} |"
        )
    return "\n".join(lines) + "\n"


# -- contracts --------------------------------------------------------------------------


def render_protocol_source(name: str) -> str:
    """Render a Protocol's class source exactly as ``aiecs_contracts`` defines it."""
    contracts = importlib.import_module("aiecs_contracts")
    proto = getattr(contracts, name, None)
    if not isinstance(proto, type):
        raise DocsGenerationError(f"aiecs_contracts has no class named {name!r}")
    source = inspect.getsource(proto).rstrip()
    return f"```python\n{source}\n```\n"


# -- configuration --------------------------------------------------------------------


def render_pyproject_section(table: str) -> str:
    """Render one ``[table]`` of pyproject.toml (with its sub-tables) as a TOML block."""
    lines = (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        header = re.match(r"^\[\[?([^\]]+)\]\]?\s*$", line)
        if header:
            name = header.group(1).strip()
            inside = name == table or name.startswith(table + ".")
        if inside:
            out.append(line)
    if not out:
        raise DocsGenerationError(f"pyproject.toml has no [{table}] table")
    return "```toml\n" + "\n".join(out).strip() + "\n```\n"


# -- program output ---------------------------------------------------------------------


def run_snippet(path: str) -> str:
    """Run a snippet from the repository root and return what it printed."""
    target = ROOT / path
    if not target.is_file():
        raise DocsGenerationError(f"snippet-output: no file {path!r}")
    env = {**os.environ, "PYTHONHASHSEED": "0", "COLUMNS": "76", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    if proc.returncode != 0:
        raise DocsGenerationError(
            f"snippet {path} exited {proc.returncode}:\n{proc.stderr[-2000:]}"
        )
    return proc.stdout


def render_snippet_output(path: str) -> str:
    """Render a snippet's output as a text block."""
    return f"```text\n{run_snippet(path).rstrip()}\n```\n"


_COMMAND_NEEDS = {"aiecs-conformance": "aiecs_conformance.cli", "pytest": "aiecs_conformance"}


def run_command(command: str) -> tuple[int, str]:
    """Run ``command`` from the repository root; return its exit status and combined output."""
    bindir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
        "PYTHONHASHSEED": "0",
        "COLUMNS": "76",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }
    proc = subprocess.run(
        command,
        shell=True,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        env=env,
    )
    return proc.returncode, proc.stdout


def render_command_output(command: str) -> str:
    """Render ``$ command``, its output and (when not 0) its exit status as a console block."""
    program = command.split()[0]
    needs = _COMMAND_NEEDS.get(program)
    if needs is not None and importlib.util.find_spec(needs.split(".")[0]) is None:
        return _missing(f"The output of `{command}`", needs.split(".")[0])
    if needs is not None:
        try:
            if importlib.util.find_spec(needs) is None:
                return _missing(f"The output of `{command}`", needs)
        except ModuleNotFoundError:
            return _missing(f"The output of `{command}`", needs)
    status, output = run_command(command)
    if status not in (0, 1):
        raise DocsGenerationError(f"`{command}` exited {status}:\n{output[-2000:]}")
    tail = f"\n[exit status {status}]" if status else ""
    return f"```console\n$ {command}\n{output.rstrip()}{tail}\n```\n"


# -- generated results ------------------------------------------------------------------


def _relink(text: str) -> str:
    """Point links that leave the repository's docs at the site's own pages (or drop them)."""

    def fix(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"[a-z]+://", target):
            return match.group(0)
        return label

    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", fix, text)


def render_conformance_matrix() -> str:
    """Return ``conformance/results.md`` without its top-level title."""
    path = ROOT / "conformance" / "results.md"
    if not path.is_file():
        return _missing("The conformance matrix", "conformance/results.md")
    text = _relink(path.read_text(encoding="utf-8"))
    # Its own H1 would clash with the page's; demote every heading by two levels.
    return re.sub(r"^(#{1,4}) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", text, flags=re.M)


def _ns(value: object) -> str:
    if not isinstance(value, (int, float)):
        return ""
    for scale, unit in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
        if value >= scale:
            return f"{value / scale:.2f} {unit}"
    return f"{value:.0f} ns"


def benchmark_rows(data: Any) -> list[dict[str, str]]:
    """Turn ``benchmarks/results.json`` (``{"python", "machine", "rows"}``) into table rows."""
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise DocsGenerationError("benchmarks/results.json has no 'rows' list")
    out: list[dict[str, str]] = []
    for row in data["rows"]:
        detail: dict[str, Any] = row.get("detail") or {}
        ratio, goal = row.get("ratio"), row.get("goal")
        if ratio is None:
            why = detail.get("unavailable") or detail.get("error") or "not measured"
            result = f"— ({_cell(why)})"
        else:
            result = f"{ratio:.3g}"
        verdict = "report only" if goal is None else "met" if row.get("met") else "**missed**"
        sides = ""
        if "candidate_ns_per_op" in detail:
            candidate, baseline = detail["candidate_ns_per_op"], detail.get("baseline_ns_per_op")
            sides = f"{_ns(candidate)} vs {_ns(baseline)}"
        out.append(
            {
                "id": f"`{row.get('id')}`",
                "measured": _cell(detail.get("measured", "")),
                "baseline": _cell(row.get("baseline", "")),
                "ratio": result,
                "goal": "" if goal is None else f"{goal:.3g}",
                "verdict": verdict,
                "per op": sides,
            }
        )
    return out


def render_benchmark_table() -> str:
    """Render ``benchmarks/results.json``: one row per benchmark, then the machine."""
    path = ROOT / "benchmarks" / "results.json"
    if not path.is_file():
        return _missing("The benchmark table", "benchmarks/results.json")
    data: Any = json.loads(path.read_text(encoding="utf-8"))
    rows = benchmark_rows(data)
    if not rows:
        raise DocsGenerationError("benchmarks/results.json holds no benchmark rows")
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(r[c] for c in columns) + " |" for r in rows]
    lines += [
        "",
        f"Measured with {_cell(data.get('python', '?'))} on {_cell(data.get('machine', '?'))}.",
    ]
    return "\n".join(lines) + "\n"


# -- the hook ---------------------------------------------------------------------------

_RENDERERS: dict[str, Callable[[str | None], str]] = {
    "checks-table": lambda arg: render_checks_table(arg or None),
    "json-schema": lambda arg: render_json_schema(arg or ""),
    "enum-table": lambda arg: render_enum_table(arg or ""),
    "errors-table": lambda arg: render_errors_table(),
    "protocol-source": lambda arg: render_protocol_source(arg or ""),
    "pyproject-section": lambda arg: render_pyproject_section(arg or ""),
    "snippet-output": lambda arg: render_snippet_output(arg or ""),
    "command-output": lambda arg: render_command_output(arg or ""),
    "conformance-matrix": lambda arg: render_conformance_matrix(),
    "benchmark-table": lambda arg: render_benchmark_table(),
    "contract-summary": lambda arg: render_contract_summary(arg or ""),
    "contracts-table": lambda arg: render_contracts_table(),
    "make-target": lambda arg: render_make_target(arg or ""),
}


def expand(markdown: str, where: str = "<page>") -> str:
    """Replace every known marker in ``markdown`` with its generated content."""

    def replace(match: re.Match[str]) -> str:
        indent, name, arg = match.group(1), match.group(2), match.group(3)
        renderer = _RENDERERS.get(name)
        if renderer is None:
            return match.group(0)  # an ordinary HTML comment
        try:
            text = renderer(arg).rstrip("\n")
        except DocsGenerationError as exc:
            raise DocsGenerationError(f"{where}: {match.group(0).strip()}: {exc}") from exc
        return "\n".join(indent + line if line else line for line in text.split("\n"))

    return _MARKER.sub(replace, markdown)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """MkDocs event: expand the generation markers of one page."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return expand(markdown, page.file.src_path)
