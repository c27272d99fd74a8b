"""`make mutation`'s bookkeeping: fingerprints survive renumbering, the triage rules hold."""

from __future__ import annotations

from conformance.mutation import fingerprint
from conformance.mutation_triage import classify

_DIFF = """--- mtargets/correct_cache.py
+++ mtargets/correct_cache.py
@@ -1,3 +1,3 @@
-        return ["int", str(value)]
+        return ["int", str(None)]
"""


def test_fingerprint_names_target_function_and_change_without_indentation() -> None:
    assert fingerprint("correct_cache", "canonical", _DIFF) == (
        'correct_cache:canonical: -return ["int", str(value)] | +return ["int", str(None)]'
    )


def test_a_real_miss_is_not_classified_by_the_rules() -> None:
    # Every int getting one key is what cache.key.distinct must catch: no rule may hide it.
    assert classify(fingerprint("correct_cache", "canonical", _DIFF)) is None


def test_error_text_changes_are_equivalent() -> None:
    verdict = classify(
        "t:f: -raise ToolNotFoundError(name, available=x) | +raise ToolNotFoundError(None, x)"
    )
    assert verdict is not None and verdict[0] == "equivalent"
    assert classify("t:f: -x = cast('A', y) | +x = cast(None, y)") == classify(
        "t:g: -z = cast('B', w) | +z = cast('XXBXX', w)"
    )
