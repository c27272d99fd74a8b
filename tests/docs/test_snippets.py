"""Every snippet on the documentation site runs, and prints what the pages claim."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "docs" / "snippets"
REJECTED = ROOT / "docs" / "snippets_rejected"

# What each snippet must print (substrings, in order). A new snippet without an entry
# fails test_every_snippet_has_expectations, so nothing on the site goes untested.
EXPECTED: dict[str, list[str]] = {
    "home.py": ["True", "[]"],
    "mcp_tools_in.py": [
        "3",
        "E003 MCP tool calc.fail failed: Error executing tool fail: the server refuses: disk full",
        "E001 calc.add: param 'b' = {1, 2} is not JSON",
    ],
    "mcp_serve.py": [
        "notes_add - Add a note; return how many there are. {'text': {'type': 'string'}, "
        "'priority': {'enum': ['low', 'high'], 'type': 'string', 'default': 'low'}}",
        "notes_find - The notes containing a word. {'word': {'type': 'string'}}",
        "{'result': 1}",
        "{'result': ['[high] buy milk']}",
        "True ['operation Notes.find raised ValueError: find needs a non-empty word']",
        "True [\"bad params for Notes.find: 'word': Input should be a valid string",
    ],
    "prometheus_observer.py": [
        'aiecs_tool_calls_total{error_code="",operation="query",outcome="success",tool="Search"}'
        " 2.0"
    ],
    "otel_observer.py": [
        "aiecs.sequence [UNSET]",
        "  execute_operation calc.add [UNSET]",
        "    execute_tool calc.add [UNSET]",
        "  execute_operation calc.divide [ERROR]",
        "    execute_tool calc.divide [ERROR]",
        "  execute_operation calc.add [UNSET]",
    ],
    "dict_cache.py": ["['result']", "True", "False"],
    "tool_provider.py": [
        "True",
        "True False",
        "ToolNotFoundError: no tool named 'serach'; did you mean 'search'?",
    ],
    "tool_executor.py": [
        "True",
        "hello ada",
        "HELLO ADA",
        "hello bob",
        "OperationNotFoundError: no public operation '__class__'",
    ],
    "operation_executor.py": [
        "True",
        "3",
        "[OperationFailedError(",
        ", 4]",
        "'status': 'failed'",
        "'error_code': 'E003'",
    ],
    "execution_engine.py": [
        "True",
        "42",
        "ada: 4 words",
        "TaskNotFoundError(\"no task named 'sumarise'; did you mean 'summarise'?\")",
        "does not conform to IOperationExecutor (4 problems):",
    ],
    "models_example.py": [
        "'status': 'completed'",
        "failed E002 'TimeoutError'",
        "True",
        "inconsistent fields 'status' and 'completed'",
        "pandas read_csv {'path': 'data.csv'}",
        "has no '.'",
        "is private",
        "is not a Python identifier",
    ],
    "static_typing.py": ["search: served", "search: missing"],
    "typing_gaps.py": ["True", "get_tool: is an async def (coroutine) function", "[]"],
    "mistake_provider.py": [
        "RenamedParameter:",
        "parameter 1 is named 'name', the protocol calls it 'tool_name'",
        "AsyncLookup:",
        "get_tool: is an async def",
        "has_tool: is an async def",
    ],
    "mistake_executor.py": [
        "SyncOnly:",
        "execute_async: is a plain function",
        "ParamsAsDict:",
        "execute: lacks **params",
        "parameter 2 is named 'op'",
    ],
    "mistake_cache.py": [
        "does not conform to ICacheProvider (3 problems):",
        "generate_cache_key: takes only (*args, **kwargs)",
        "get_from_cache: has an extra required parameter 'default'",
        "add_to_cache: missing",
    ],
    "mistake_operations.py": [
        "execute_operations_sequence: is a plain function",
        "'stop_on_failure' has no default",
        "save_callback",
    ],
    "mistake_engine.py": [
        "execute_task: does not accept 'context'",
        "batch_execute_tasks: missing",
    ],
    "extensions.py": [
        "True True",
        "1.5.0",
        "older than the required 1.10",
        "5",
        "True",
        "ping({'n': 1}) with open=True",
    ],
    "errors_example.py": [
        "no tool named 'pandsa'; did you mean 'pandas'? | E001",
        "OperationTimeoutError read_csv took longer than 5.0 s",
        "E003 ValueError(",
        "ToolNotFoundError ('y',) E001",
    ],
    "migrate_subclass.py": ["Can't instantiate abstract class LegacyExecutor", "True"],
    "migrate_seed_cache.py": [
        "True",
        "Decimal: Object of type Decimal is not JSON serializable",
        "set: Object of type set is not JSON serializable",
        "bytes: Object of type bytes is not JSON serializable",
    ],
    "kit_python.py": [
        "True full",
        "True non-conforming []",
        "cache.key.total: xfailed",
        "cache.key.deterministic: xfailed",
        "cache.key.stable_across_processes: skipped",
        "cache.key.distinct: xfailed",
        '"id": "signature.members"',
    ],
    "runtime_tour.py": [
        "saved step 0 for ada/t1: completed",
        "saved step 2 for ada/t1: completed",
        "text.words ['to', 'be', 'or', 'not', 'to', 'be']",
        "text.count 6",
        "text.shout BE",
        "ada: 3 words",
        "['local'] ['summarise']",
        "2 ['avg_time', 'count', 'error_count', 'max_time', 'min_time', 'p50', 'p95', 'p99'",
        "{'total_usage': 4, 'total_errors': 0}",
    ],
    "runtime_redis.py": [
        "{'price': Decimal('9.99'), 'on': datetime.date(2026, 1, 1)}",
        "True",
    ],
}

# Snippets that need a program on PATH.
NEEDS = {"runtime_redis.py": "redis-server"}

# Snippets that are pytest modules or need the kit; run by other tests.
NOT_SCRIPTS = {"test_dict_cache_suite.py", "mcp_server.py"}  # a server: mcp_tools_in.py runs it


def _snippets() -> list[str]:
    return sorted(p.name for p in SNIPPETS.glob("*.py") if p.name not in NOT_SCRIPTS)


def run(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [sys.executable, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )


def test_every_snippet_has_expectations() -> None:
    missing = [name for name in _snippets() if name not in EXPECTED]
    assert not missing, f"add expected output for {missing} to EXPECTED in {__file__}"
    stale = [name for name in EXPECTED if not (SNIPPETS / name).exists()]
    assert not stale, f"EXPECTED names snippets that no longer exist: {stale}"


@pytest.mark.parametrize("name", _snippets())
def test_snippet_runs_and_prints_what_the_docs_say(name: str) -> None:
    if name in NEEDS and shutil.which(NEEDS[name]) is None:
        pytest.skip(f"{name} needs {NEEDS[name]} (make services installs it)")
    proc = run(SNIPPETS / name)
    assert proc.returncode == 0, f"{name} exited {proc.returncode}:\n{proc.stderr}"
    position = 0
    for expected in EXPECTED.get(name, []):
        found = proc.stdout.find(expected, position)
        assert found >= 0, (
            f"{name}: expected {expected!r} after offset {position} in:\n{proc.stdout}"
        )
        position = found + len(expected)


def test_home_example_is_short() -> None:
    # The home page promises a ten-line example; keep the class itself that small.
    body = (SNIPPETS / "home.py").read_text().split("class TinyCache")[1].split("\n\n\ncache")[0]
    code = [line for line in body.splitlines() if line.strip()]
    assert len(code) <= 14, f"home.py's TinyCache grew to {len(code)} lines"


# -- the static-typing page's claims -----------------------------------------------------

# file -> (mypy rejects it, pyright rejects it), as static-typing.md states.
REJECTIONS = {
    "missing_member.py": (True, True),
    "wrong_return.py": (True, True),
    "renamed_parameter.py": (False, True),
    "positional_only.py": (False, True),
}


def test_rejection_table_covers_every_file() -> None:
    assert sorted(REJECTIONS) == sorted(p.name for p in REJECTED.glob("*.py"))


@pytest.mark.parametrize("name", sorted(REJECTIONS))
def test_mypy_outcome_matches_the_docs(name: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", str(REJECTED / name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    rejects = proc.returncode != 0
    assert rejects == REJECTIONS[name][0], (
        f"mypy {'rejects' if rejects else 'accepts'} {name}, but static-typing.md says "
        f"otherwise; update the page and REJECTIONS:\n{proc.stdout}"
    )
    if rejects:
        assert "type[IToolProvider]" in proc.stdout or "type[ICacheProvider]" in proc.stdout


def _pyright() -> str:
    exe = Path(sys.executable).parent / "pyright"
    if not exe.exists():
        pytest.skip("pyright is not installed in this environment")
    return str(exe)


def test_pyright_outcomes_match_the_docs() -> None:
    files = [str(REJECTED / n) for n in sorted(REJECTIONS)]
    proc = subprocess.run(
        [_pyright(), "--outputjson", *files], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    report = json.loads(proc.stdout)
    flagged = {
        Path(d["file"]).name
        for d in report["generalDiagnostics"]
        if d["severity"] == "error" and "is not assignable to declared type" in d["message"]
    }
    expected = {name for name, (_, by_pyright) in REJECTIONS.items() if by_pyright}
    assert flagged == expected


# -- the conforming implementations on the contract pages do conform ---------------------

CONFORMING = [
    ("dict_cache:DictCache", "cache-provider"),
    ("tool_provider:DictToolRegistry", "tool-provider"),
    ("tool_executor:SimpleToolExecutor", "tool-executor"),
    ("operation_executor:SimpleOperationExecutor", "operation-executor"),
    ("execution_engine:SimpleEngine", "execution-interface"),
]


@pytest.mark.parametrize(("target", "contract"), CONFORMING)
def test_contract_page_examples_pass_the_kit(
    target: str, contract: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = pytest.importorskip("aiecs_conformance")
    monkeypatch.syspath_prepend(str(SNIPPETS))
    monkeypatch.setenv("PYTHONPATH", str(SNIPPETS))  # for the fresh-interpreter key check
    try:
        report = kit.check(target, contract, seed=1, max_examples=20)
    except KeyError as exc:  # the kit is still landing its checks for this contract
        pytest.skip(f"the kit does not implement {exc} yet")
    failing = [f"{r.id}: {r.outcome}: {r.message}" for r in report.results if r.failing]
    assert not failing, f"{target} is shown as conforming on the site but:\n" + "\n".join(failing)


def test_pytest_suite_snippet_runs_one_test_per_check() -> None:
    pytest.importorskip("aiecs_conformance.suites")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(SNIPPETS / "test_dict_cache_suite.py"),
            "-q",
            "-p",
            "no:cacheprovider",
            "--aiecs-seed",
            "0",
            "--aiecs-max-examples",
            "10",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    import aiecs_conformance

    per_suite = len(
        [c for c in aiecs_conformance.all_checks() if c.contract in ("signature", "cache-provider")]
    )
    summary = proc.stdout.strip().splitlines()[-1]
    assert "3 xfailed" in summary, summary
    counted = sum(int(n) for n in re.findall(r"(\d+) (?:passed|skipped|xfailed)", summary))
    assert counted == 2 * per_suite, summary
