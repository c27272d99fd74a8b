"""Compute a cache's keys in a fresh interpreter, whatever the target does in there.

`cache.key.stable_across_processes` compares keys with those of another interpreter (with
another ``PYTHONHASHSEED``). That child runs the target's import and factory, so it gets
the same protection as the kit's own worker: its inputs and its answer travel through
files (not stdin/stdout, which the target may print to, close or replace), the kit waits
for the child process itself (not for EOF on pipes a forked grandchild may keep open), and
everything the child started is killed afterwards (it runs in its own session).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .._context import CheckFailure

__all__ = ["keys_in_fresh_interpreter"]

_CHILD = """
import json, os, sys
dumps = json.dumps  # bound before the target's import: it may patch json
sys.path[:0] = json.loads(sys.argv[1])
with open(sys.argv[3], encoding="utf-8") as f:
    lines = f.read().splitlines()
from aiecs_conformance._target import load_factory
from aiecs_conformance._values import from_source
cache = load_factory(sys.argv[2])()
out = []
for line in lines:
    op, user, task, args, kwargs = from_source(line)
    key = cache.generate_cache_key(op, user, task, args, kwargs)
    out.append([type(key).__qualname__, repr(key)])
with open(sys.argv[4], "w", encoding="utf-8") as f:  # a new fd: the target may close ours
    f.write(dumps(out))
os._exit(0)  # threads or atexit hooks the target left must not hang this child
"""


def keys_in_fresh_interpreter(
    sys_path: list[str], target_spec: str, inputs: list[str], hash_seed: str, timeout: float
) -> list[list[str]]:
    """``[type name, repr]`` of the key of each input line (`to_source` form), computed there."""
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = hash_seed
    with tempfile.TemporaryDirectory(prefix="aiecs-keys-") as tmp:
        given, answer, log = Path(tmp, "in.txt"), Path(tmp, "out.json"), Path(tmp, "log.txt")
        given.write_text("\n".join(inputs), encoding="utf-8")
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-c", _CHILD, json.dumps(sys_path), target_spec, str(given),
                 str(answer)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env,
                start_new_session=True,
            )  # fmt: skip
            try:
                code = proc.wait(timeout)
            except subprocess.TimeoutExpired:
                code = None
            finally:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)  # and whatever it forked
                proc.wait()
        if code is None:
            raise CheckFailure(f"the fresh interpreter did not finish in {timeout:g} s")
        if code != 0 or not answer.exists():
            said = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            tail = said[-1][:300] if said else "(no output)"
            raise CheckFailure(f"computing keys in a fresh interpreter failed: {tail}")
        theirs: list[list[str]] = json.loads(answer.read_text(encoding="utf-8"))
        return theirs
