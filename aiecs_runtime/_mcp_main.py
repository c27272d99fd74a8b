"""The ``aiecs-mcp`` console script's entry: one line, exit 2, when the extra is missing.

`aiecs_runtime.mcp` imports the MCP SDK as it loads, so the command cannot start from
inside it without the ``mcp`` extra; this shim imports it and turns that failure into the
usage error it is.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``aiecs-mcp``; without the ``mcp`` extra, say how to install it (exit 2)."""
    try:
        from .mcp.cli import main as run
    except ImportError as exc:
        print(f"aiecs-mcp: {exc}", file=sys.stderr)
        return 2
    return run(argv)
