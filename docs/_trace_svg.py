"""Render one traced sequence as an SVG timeline: ``docs/assets/otel-sequence.svg``.

``python -m docs._trace_svg`` runs the `otel_observer.py` snippet's sequence through the
real SDK's in-memory exporter and draws its spans, one row each, nested by parent. The
picture is deterministic: a span's left and right edges are ticks counted over the span
tree (one per start, one per end), never wall-clock time, so the same tree always
gives the same bytes (`tests/docs/test_trace_svg.py` compares it with the committed file).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "assets" / "otel-sequence.svg"

_ROW, _LEFT, _WIDTH = 26, 250, 540
_FILL = {"ERROR": "#e5534b", "OK": "#57ab5a", "UNSET": "#539bf5"}


@dataclass(frozen=True, slots=True)
class Bar:
    """One span as drawn: its row label, depth, status and start/end ranks."""

    name: str
    depth: int
    status: str
    start: int
    end: int


def bars(spans: Sequence[Any]) -> list[Bar]:
    """The spans of one trace (SDK ``ReadableSpan``s) as bars, depth first, children in
    start order; each start and each end takes the next tick, so only the tree's shape
    and order decide the picture."""
    by_id = {s.context.span_id: s for s in spans}
    children: dict[int | None, list[Any]] = {}
    for span in sorted(spans, key=lambda s: s.start_time or 0):
        parent = span.parent.span_id if span.parent is not None else None
        children.setdefault(parent if parent in by_id else None, []).append(span)
    drawn: list[Bar] = []
    tick = 0

    def walk(span: Any, depth: int) -> None:
        nonlocal tick
        row = len(drawn)
        drawn.append(Bar(span.name, depth, span.status.status_code.name, tick, tick))
        tick += 1
        for child in children.get(span.context.span_id, []):
            walk(child, depth + 1)
        bar = drawn[row]
        drawn[row] = Bar(bar.name, depth, bar.status, bar.start, tick)
        tick += 1

    for root in children.get(None, []):
        walk(root, 0)
    return drawn


def render(drawn: Sequence[Bar]) -> str:
    """The SVG text of ``drawn``: labels on the left, bars on a rank scale on the right."""
    slots = max(b.end for b in drawn) or 1
    scale = _WIDTH / slots
    height = _ROW * len(drawn) + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_LEFT + _WIDTH + 20}" '
        f'height="{height}" font-family="monospace" font-size="12">',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    for row, bar in enumerate(drawn):
        y = 10 + row * _ROW
        x = _LEFT + bar.start * scale
        w = max(2.0, (bar.end - bar.start) * scale)
        label = escape(bar.name)
        out.append(f'<text x="{8 + 14 * bar.depth}" y="{y + 16}" fill="#24292f">{label}</text>')
        out.append(
            f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{_ROW - 8}" rx="3" '
            f'fill="{_FILL.get(bar.status, "#888888")}"><title>{label} '
            f"[{bar.status}]</title></rect>"
        )
    legend_y = height - 12
    out.append(
        f'<text x="8" y="{legend_y}" fill="#57606a">blue: ok · red: status ERROR (exception '
        "event recorded) · nesting: parent spans; widths: order, not duration</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def traced_sequence() -> list[Any]:
    """The spans of the snippet's sequence (3 steps, the second failing), from the real SDK."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from aiecs_runtime import OpenTelemetryObserver, OperationExecutor, ToolExecutor

    class Calc:
        name = "calc"

        async def add(self, a: int, b: int) -> int:
            return a + b

        async def divide(self, a: int, b: int) -> float:
            return a / b

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    otel = OpenTelemetryObserver(tracer_provider=provider)
    ex = OperationExecutor({"calc": Calc()}, ToolExecutor(observers=(otel,)), tracer=otel)
    steps = [
        {"operation": "calc.add", "params": {"a": 1, "b": 2}},
        {"operation": "calc.divide", "params": {"a": 1, "b": 0}},
        {"operation": "calc.add", "params": {"a": "$result[0]", "b": 10}},
    ]
    asyncio.run(ex.execute_operations_sequence(steps, "u1", "t1"))
    return list(exporter.get_finished_spans())


def main() -> int:
    """Write the SVG; print where."""
    OUT.write_text(render(bars(traced_sequence())), encoding="utf-8")
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
