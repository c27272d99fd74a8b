"""The trace picture on the OpenTelemetry page is what the renderer makes of a real trace."""

from __future__ import annotations

from docs._trace_svg import OUT, bars, render, traced_sequence


def test_the_committed_svg_is_current() -> None:
    made = render(bars(traced_sequence()))
    assert OUT.read_text(encoding="utf-8") == made, (
        "docs/assets/otel-sequence.svg is stale: run `.venv/bin/python -m docs._trace_svg`"
    )


def test_the_picture_shows_the_failed_step_in_red_under_the_sequence() -> None:
    drawn = bars(traced_sequence())
    assert [(b.depth, b.name, b.status) for b in drawn] == [
        (0, "aiecs.sequence", "UNSET"),
        (1, "execute_operation calc.add", "UNSET"),
        (2, "execute_tool calc.add", "UNSET"),
        (1, "execute_operation calc.divide", "ERROR"),
        (2, "execute_tool calc.divide", "ERROR"),
        (1, "execute_operation calc.add", "UNSET"),
        (2, "execute_tool calc.add", "UNSET"),
    ]
    # Children lie inside their parents: the picture's nesting is the trace's.
    assert drawn[0].start < drawn[1].start < drawn[2].start < drawn[2].end < drawn[1].end
    assert drawn[-1].end < drawn[0].end
    assert render(drawn).count('fill="#e5534b"') == 2
