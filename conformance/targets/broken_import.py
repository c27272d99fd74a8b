"""DELIBERATE FIXTURE: a target that cannot be imported.

``aiecs-conformance check conformance/targets/broken_import.py:factory`` must exit 2 with a
one-line message (no traceback). Nothing else should import this module.
"""

raise ImportError(
    "broken_import is a deliberate test fixture: it fails at import so the kit's exit code 2 "
    "path can be tested"
)
