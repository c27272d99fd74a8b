"""A small SVG line chart (log-scaled x), so the docs' plot needs no plotting library."""

from __future__ import annotations

import math
from html import escape

__all__ = ["line_chart_svg"]

_W, _H = 640, 360
_LEFT, _RIGHT, _TOP, _BOTTOM = 70, 20, 40, 50


def line_chart_svg(
    points: list[tuple[int, int]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    reference: tuple[int, str] | None = None,
) -> str:
    """Points ``(x, y)`` joined by a line; x on a log scale; an optional horizontal line."""
    if not points:
        raise ValueError("line_chart_svg needs at least one point")
    xs = [math.log10(max(x, 1)) for x, _ in points]
    ys = [y for _, y in points] + ([reference[0]] if reference else [])
    x_lo, x_hi = min(xs), max(max(xs), min(xs) + 1)
    y_hi = max(ys) * 1.1 or 1
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def px(x: float) -> float:
        return _LEFT + (x - x_lo) / (x_hi - x_lo) * plot_w

    def py(y: float) -> float:
        return _TOP + plot_h - y / y_hi * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
        f'viewBox="0 0 {_W} {_H}" font-family="sans-serif" font-size="12">',
        f'<rect width="{_W}" height="{_H}" fill="white"/>',
        f'<text x="{_W / 2}" y="22" text-anchor="middle" font-size="14">{escape(title)}</text>',
        f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_LEFT + plot_w}" y2="{_TOP + plot_h}" '
        f'stroke="black"/>',
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}" stroke="black"/>',
    ]
    for i in range(5):  # y grid and labels
        y = y_hi * i / 4
        out.append(
            f'<line x1="{_LEFT}" y1="{py(y):.1f}" x2="{_LEFT + plot_w}" y2="{py(y):.1f}" '
            f'stroke="#ddd"/><text x="{_LEFT - 6}" y="{py(y) + 4:.1f}" text-anchor="end">'
            f"{y:,.0f}</text>"
        )
    for (x, _), lx in zip(points, xs, strict=True):  # x ticks at the measured sizes
        out.append(
            f'<text x="{px(lx):.1f}" y="{_TOP + plot_h + 16}" text-anchor="middle">{x}</text>'
        )
    if reference is not None:
        ry = py(reference[0])
        out.append(
            f'<line x1="{_LEFT}" y1="{ry:.1f}" x2="{_LEFT + plot_w}" y2="{ry:.1f}" '
            f'stroke="#c33" stroke-dasharray="6 4"/><text x="{_LEFT + 6}" y="{ry - 6:.1f}" '
            f'fill="#c33">{escape(reference[1])}</text>'
        )
    path = " ".join(f"{px(lx):.1f},{py(y):.1f}" for lx, (_, y) in zip(xs, points, strict=True))
    out.append(f'<polyline points="{path}" fill="none" stroke="#2a6" stroke-width="2"/>')
    for lx, (_, y) in zip(xs, points, strict=True):
        out.append(f'<circle cx="{px(lx):.1f}" cy="{py(y):.1f}" r="3.5" fill="#2a6"/>')
    out.append(
        f'<text x="{_LEFT + plot_w / 2}" y="{_H - 12}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
        f'<text x="16" y="{_TOP + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 16 {_TOP + plot_h / 2})">{escape(y_label)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"
