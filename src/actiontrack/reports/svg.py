"""Inline SVG charts: a heatmap, horizontal bars and a line chart. No scripts, no fonts from anywhere.

Every label passes through markupsafe's escape; the charts are returned as Markup for the
page to embed, and inherit the page's system font. One chart, one unit: series of
different units go in separate charts, never on one axis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#2563eb", "#dc2626", "#d97706", "#059669", "#7c3aed")


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One heatmap cell: how dark (0–1), what it says, and its tooltip."""

    intensity: float
    lines: tuple[str, ...]
    tooltip: str
    empty: bool = False  # a kind of prevention with no action: the finding
    blank: bool = False  # nothing to say (e.g. untagged × untagged is empty)
    href: str | None = None  # where clicking the cell leads (its list of actions)


def heatmap(rows: Sequence[str], columns: Sequence[str], cells: Sequence[Sequence[HeatCell]],
            *, title: str) -> Markup:
    """Rows × columns of cells; empty cells are hatched red, because they are the finding."""
    left, top, width, height = 118, 34, 128, 64
    total_w, total_h = left + width * len(columns) + 4, top + height * len(rows) + 4
    out = [f'<svg class="chart heatmap" viewBox="0 0 {total_w} {total_h}" width="{total_w}" role="img" '
           f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
           '<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff1f2"/>'
           '<line x1="0" y1="0" x2="0" y2="8" stroke="#fecdd3" stroke-width="4"/></pattern></defs>']
    for j, column in enumerate(columns):
        out.append(f'<text x="{left + j * width + width / 2}" y="{top - 12}" text-anchor="middle" '
                   f'class="axis">{escape(column)}</text>')
    for i, row in enumerate(rows):
        y = top + i * height
        out.append(f'<text x="{left - 10}" y="{y + height / 2 + 4}" text-anchor="end" class="axis">'
                   f"{escape(row)}</text>")
        for j, cell in enumerate(cells[i]):
            out.append(_heat_cell(left + j * width, y, width, height, cell))
    out.append("</svg>")
    return Markup("".join(out))


def _heat_cell(x: float, y: float, w: float, h: float, cell: HeatCell) -> str:
    if cell.empty:
        fill, stroke, ink = "url(#hatch)", "#e11d48", "#be123c"
    elif cell.blank:
        fill, stroke, ink = "#f8fafc", "#e2e8f0", "#94a3b8"
    else:
        fill, stroke = _blue(cell.intensity), "#fff"
        ink = "#fff" if cell.intensity > 0.55 else "#0f172a"
    parts = [f'<g><title>{escape(cell.tooltip)}</title>'
             f'<rect x="{x + 2}" y="{y + 2}" width="{w - 4}" height="{h - 4}" rx="4" fill="{fill}" '
             f'stroke="{stroke}" stroke-width="{1.5 if cell.empty else 1}"'
             f'{" stroke-dasharray=" + chr(34) + "4 3" + chr(34) if cell.empty else ""}/>']
    first = y + h / 2 - 8 * (len(cell.lines) - 1) + 4
    for k, line in enumerate(cell.lines):
        weight = ' font-weight="700"' if k == 0 else ""
        parts.append(f'<text x="{x + w / 2}" y="{first + 16 * k}" text-anchor="middle" fill="{ink}" '
                     f'font-size="{14 if k == 0 else 11}"{weight}>{escape(line)}</text>')
    group = "".join(parts) + "</g>"
    return f'<a href="{escape(cell.href)}">{group}</a>' if cell.href else group


def _blue(intensity: float) -> str:
    """From pale to deep blue."""
    t = max(0.0, min(1.0, intensity))
    low, high = (219, 234, 254), (30, 64, 175)
    r, g, b = (round(a + (z - a) * t) for a, z in zip(low, high, strict=True))
    return f"rgb({r},{g},{b})"


def bars(labels: Sequence[str], values: Sequence[int], *, title: str, colour: str = "#dc2626") -> Markup:
    """Horizontal bars with their value at the end."""
    left, bar_h, width = 110, 26, 360
    peak = max(values, default=0) or 1
    total_h = bar_h * len(labels) + 8
    out = [f'<svg class="chart bars" viewBox="0 0 {left + width + 60} {total_h}" width="{left + width + 60}" '
           f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + i * bar_h
        length = width * value / peak
        out.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" class="axis">{escape(label)}</text>'
                   f'<rect x="{left}" y="{y + 4}" width="{max(length, 1):.1f}" height="{bar_h - 8}" rx="3" '
                   f'fill="{colour}"/><text x="{left + length + 6:.1f}" y="{y + 17}" class="value">{value}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def lines(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, title: str,
          percent: bool = True, unit: str = "") -> Markup:
    """A line chart of one or more series of one unit over periods, with a legend; gaps where a value is None."""
    left, top, width, height = 46, 28, 600, 190
    peak = 1.0 if percent else nice_ceiling(max((v for _, vs in series for v in vs if v is not None), default=1.0))
    step = width / max(len(labels) - 1, 1)
    out = [f'<svg class="chart lines" viewBox="0 0 {left + width + 40} {top + height + 40}" '
           f'width="{left + width + 40}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for k in range(5):
        value = peak * k / 4
        y = top + height - height * k / 4
        text = f"{value * 100:.0f}%" if percent else f"{value:g}{unit}"
        out.append(f'<line x1="{left}" x2="{left + width}" y1="{y}" y2="{y}" class="grid"/>'
                   f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" class="axis">{text}</text>')
    every = max(1, len(labels) // 10)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            out.append(f'<text x="{left + i * step:.1f}" y="{top + height + 18}" text-anchor="middle" '
                       f'class="axis">{escape(label)}</text>')
    legend_x = left
    for n, (name, values) in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        points = [(left + i * step, top + height - height * v / peak) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
        out.append(f'<rect x="{legend_x}" y="4" width="12" height="12" rx="2" fill="{colour}"/>'
                   f'<text x="{legend_x + 18}" y="14" class="axis">{escape(name)}</text>')
        legend_x += 40 + 7 * len(name)
    out.append("</svg>")
    return Markup("".join(out))


def nice_ceiling(value: float) -> float:
    """The next round number at or above ``value`` (1, 2, 4, 5 or 10 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 4, 5, 10) if step * power >= value)
