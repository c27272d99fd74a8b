"""The docs hooks render the registry, conditions and Makefile targets correctly."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_docs_hooks", ROOT / "docs" / "_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_condition_that_starts_with_if_gets_no_second_if() -> None:
    table = _hooks().render_checks_table("cache-provider")
    assert "if if" not in table
    assert "**must**, if the cache has" in table


def test_every_extension_contract_table_and_summary_come_from_the_registry() -> None:
    hooks = _hooks()

    from aiecs_conformance._contracts import contracts
    from aiecs_conformance._registry import checks_for

    listed = hooks.render_contracts_table()
    for spec in contracts():
        assert f"`{spec.name}`" in listed and f"`{spec.suite}`" in listed
        summary = hooks.render_contract_summary(spec.name)
        assert f"factory{spec.convention}" in summary
        table = hooks.render_checks_table(spec.name)
        for info in checks_for(spec.name):
            if info.contract != "signature":
                assert f"`{info.id}`" in table, (spec.name, info.id)
    v2 = hooks.render_contract_summary("tool-executor-v2")
    assert "`executor.errors.propagate`" in v2


def test_the_typecheck_target_is_shown_with_its_variables_expanded() -> None:
    block = _hooks().render_make_target("typecheck")
    assert "$(" not in block
    assert "mypy --config-file tests/typing/mypy.ini tests/typing" in block
    assert "pyright -p tests/typing/pyrightconfig.json" in block
    assert "aiecs_conformance" in block and "benchmarks" in block
