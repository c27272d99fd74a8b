"""The seed's diagnostic helpers, kept by name, as thin wrappers over `explain`.

The originals read only ``cls.__dict__`` (so inherited methods counted as missing),
compared signatures with ``!=`` (so any renamed annotation was a "mismatch") and
printed instead of returning; these see inherited members and return data.
"""

from __future__ import annotations

import logging

from ._explain import Mismatch, MismatchKind, explain, format_mismatches

__all__ = [
    "check_interface_compatibility",
    "diagnose_incomplete_implementation",
    "diagnose_type_mismatch",
]

_log = logging.getLogger("aiecs_contracts")


def check_interface_compatibility(implementation_class: type, interface_class: type) -> bool:
    """Return ``True`` if the class fits the Protocol; else raise ``TypeError`` listing why."""
    problems = explain(implementation_class, interface_class)
    if problems:
        raise TypeError(format_mismatches(implementation_class, interface_class, problems))
    return True


def diagnose_incomplete_implementation(cls: type, interface: type | None = None) -> bool:
    """Return ``True`` if nothing is left unimplemented; log each missing member otherwise.

    With ``interface``, members missing against that Protocol are reported; without it,
    the class's own (inherited included) abstract methods are.
    """
    if interface is not None:
        missing = [m.member for m in explain(cls, interface) if m.kind is MismatchKind.MISSING]
    else:
        missing = sorted(getattr(cls, "__abstractmethods__", ()))
    if missing:
        _log.warning("%s leaves unimplemented: %s", cls.__qualname__, ", ".join(missing))
        return False
    return True


def diagnose_type_mismatch(implementation: object, interface: type) -> list[Mismatch]:
    """Return the sync/async and parameter mismatches (not missing members) of an implementation."""
    found = [m for m in explain(implementation, interface) if m.kind is not MismatchKind.MISSING]
    for problem in found:
        _log.warning("%s", problem)
    return found
