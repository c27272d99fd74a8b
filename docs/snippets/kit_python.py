"""The conformance kit from Python: check, read the report, waive what you must."""

import json

from dict_cache import DictCache
from home import TinyCache

from aiecs_conformance import check

report = check(DictCache, "cache-provider", seed=0, max_examples=25)
print(report.passed, report.level, f"{len(report.results)} checks")

# A known gap can be waived with a reason (xfail) or left out (skip). The run still
# passes, but the level says what was waived: a waived must-check is "non-conforming".
report = check(
    TinyCache,
    "cache-provider",
    seed=0,
    max_examples=25,
    xfail={
        "cache.key.deterministic": "repr() of a set; fixed by DictCache",
        "cache.key.total": "repr() refuses ints past 4,300 digits; fixed by DictCache",
        "cache.key.distinct": "repr() is one text for two classes of one name; fixed by DictCache",
    },
    skip=["cache.key.stable_across_processes"],
)
print(report.passed, report.level, sorted(report.failed_ids()))
for result in report.results:
    if result.outcome != "passed":
        print(f"{result.id}: {result.outcome}")

print(json.dumps(report.to_json()["checks"][0], indent=2))
