"""The Celery rows of issue 14 exist with their goals, and the plot they write is SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from benchmarks import BENCHES
from benchmarks._plot import line_chart_svg


def test_celery_rows_and_goals() -> None:
    goals = {b.id: b.goal for b in BENCHES if b.id.startswith("celery.")}
    assert goals["celery.per_task"] == 0.9
    assert goals["celery.sequence"] == 1.2
    assert goals["celery.chunked"] == 0.05


def test_plot_is_well_formed_svg_with_every_point() -> None:
    points = [(1, 600), (16, 4000), (100, 9000), (1000, 3000)]
    svg = line_chart_svg(points, title="t <&>", x_label="x", y_label="y", reference=(700, "raw"))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    circles = [e for e in root.iter() if e.tag.endswith("circle")]
    assert len(circles) == len(points)
    ys = [float(c.get("cy", "0")) for c in circles]
    assert ys[2] < ys[1] < ys[3] < ys[0]  # higher rates are drawn higher
