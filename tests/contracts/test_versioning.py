"""check_interface_version compares numerically; the seed helpers see inherited members."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from aiecs_contracts import (
    ICacheProvider,
    InterfaceVersionError,
    IToolProvider,
    MismatchKind,
    check_interface_compatibility,
    check_interface_version,
    diagnose_incomplete_implementation,
    diagnose_type_mismatch,
    parse_version,
)


class Impl:
    def __init__(self, version: str) -> None:
        self.version = version

    def get_version(self) -> str:
        return self.version


@pytest.mark.parametrize(
    ("have", "need", "ok"),
    [
        ("1.10", "1.9", True),  # string comparison gets this one wrong
        ("1.9", "1.10", False),
        ("2.0", "1.99.99", True),
        ("1.5", "1.5.0", True),
        ("v1.5.1", "1.5", True),
        ("1.4.9", "1.5", False),
    ],
)
def test_numeric_comparison(have: str, need: str, ok: bool) -> None:
    if ok:
        assert check_interface_version(Impl(have), need) == have
    else:
        with pytest.raises(InterfaceVersionError, match=f"older than the required {need}"):
            check_interface_version(Impl(have), need)


def test_attribute_only_and_missing_versions() -> None:
    class AttrOnly:
        version = "3.1"

    assert check_interface_version(AttrOnly(), "3") == "3.1"
    with pytest.raises(TypeError, match="states no interface version"):
        check_interface_version(object(), "1.0")
    with pytest.raises(ValueError, match="not of the form"):
        parse_version("one.two")


class Base:
    def get_tool(self, tool_name: str) -> Any:
        return None


class Derived(Base):
    def has_tool(self, tool_name: str) -> bool:
        return False


def test_seed_helpers_see_inherited_members(caplog: pytest.LogCaptureFixture) -> None:
    assert check_interface_compatibility(Derived, IToolProvider) is True
    assert diagnose_incomplete_implementation(Derived, IToolProvider) is True
    with caplog.at_level(logging.WARNING, logger="aiecs_contracts"):
        assert diagnose_incomplete_implementation(Base, IToolProvider) is False
    assert "has_tool" in caplog.text
    with pytest.raises(TypeError, match="has_tool: missing"):
        check_interface_compatibility(Base, IToolProvider)


def test_diagnose_type_mismatch_returns_data() -> None:
    class Cache:
        async def get_from_cache(self, cache_key: str) -> Any:
            return None

    found = diagnose_type_mismatch(Cache, ICacheProvider)
    assert [(m.member, m.kind) for m in found] == [("get_from_cache", MismatchKind.SYNC_ASYNC)]
