"""Triage of the mutants that survive the kit: equivalent (why) or a miss (which id).

Keys are `conformance.mutation.fingerprint` strings, ``target:function: -old | +new``, as
printed in `conformance/mutation.md`; values are ``("equivalent", why)`` or ``("miss", id
that should catch it)``. A survivor missing here is listed as unclassified.
"""

from __future__ import annotations

__all__ = ["TRIAGE"]

TRIAGE: dict[str, tuple[str, str]] = {}
