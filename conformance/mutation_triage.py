"""Triage of the mutants that survive the kit: equivalent (why) or a miss (which id).

`RULES` classify whole families by a regular expression searched in the mutant's
fingerprint (``target:function: -old | +new``, as printed in `conformance/mutation.md`);
`TRIAGE` classifies single fingerprints and wins over the rules. Values are
``("equivalent", why)`` or ``("miss", the id that should catch it)``. A survivor neither
names is listed as unclassified, so a new one shows at once.
"""

from __future__ import annotations

import re

__all__ = ["RULES", "TRIAGE", "classify"]

_ERROR = r"(Error|Exception)\("

RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"cast\("),
        "equivalent",
        "typing.cast is the identity at run time: its first argument is never read",
    ),
    (
        re.compile(rf"-raise \w+{_ERROR}.*\| \+raise \w+{_ERROR}"),
        "equivalent",
        "only what a raised error says changes (message, attributes): the contracts "
        "constrain that it raises and its type, not its text",
    ),
    (
        re.compile(
            r": -(repr\()?(operation_name|tool_name|op_name|task_name)\)?, tool=.*available="
        ),
        "equivalent",
        "the arguments of an error constructor (message, attributes) are not constrained",
    ),
    (
        re.compile(r"-f\"[^|]*\" \| (\+None|-f\")"),
        "equivalent",
        "an error message's wording is not constrained",
    ),
    (
        re.compile(r"-spec=spec,"),
        "equivalent",
        "the `spec` attribute of a refusal is not constrained",
    ),
)

TRIAGE: dict[str, tuple[str, str]] = {}


def classify(fingerprint: str) -> tuple[str, str] | None:
    """The triage verdict for ``fingerprint``: an exact entry first, then the rules."""
    if fingerprint in TRIAGE:
        return TRIAGE[fingerprint]
    for pattern, verdict, why in RULES:
        if pattern.search(fingerprint):
            return verdict, why
    return None
