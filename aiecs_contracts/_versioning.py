"""Interface versions compared numerically, so that ``"1.10"`` is newer than ``"1.9"``."""

from __future__ import annotations

import re

__all__ = ["InterfaceVersionError", "check_interface_version", "parse_version"]

_VERSION = re.compile(r"^\s*v?(\d+(?:\.\d+)*)\s*$")


class InterfaceVersionError(ValueError):
    """Raised when an implementation's interface version is older than required."""


def parse_version(version: str) -> tuple[int, ...]:
    """Parse ``"1.10.2"`` (or ``"v1.10"``) into ``(1, 10, 2)``; ``ValueError`` if malformed."""
    if not isinstance(version, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"a version must be a str such as '1.5.0', got {version!r}")
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"version {version!r} is not of the form 'MAJOR.MINOR[.PATCH]'")
    parts = [int(p) for p in match.group(1).split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()  # "1.5" and "1.5.0" are the same version
    return tuple(parts)


def check_interface_version(implementation: object, required_version: str) -> str:
    """Return the implementation's version if it is at least ``required_version``.

    Reads ``get_version()`` or, failing that, a ``version`` attribute. Raises
    `InterfaceVersionError` when the version is older and ``TypeError`` when the
    implementation states none (the seed silently passed those).
    """
    getter = getattr(implementation, "get_version", None)
    version = getter() if callable(getter) else getattr(implementation, "version", None)
    if not isinstance(version, str):
        raise TypeError(
            f"{type(implementation).__name__} states no interface version: give it a "
            f"`version: str` attribute or a `get_version() -> str` method (got {version!r})"
        )
    if parse_version(version) < parse_version(required_version):
        raise InterfaceVersionError(
            f"{type(implementation).__name__} implements interface version {version}, "
            f"older than the required {required_version}"
        )
    return version
