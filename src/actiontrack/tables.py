"""Text tables for a terminal: East Asian wide characters take two columns, the terminal's
width is respected, ids, dates and numbers never wrap or shrink, and user text is shown
as text (no escape sequences).

Plain Python rather than rich: the overdue report and `status` list every action, and
rich's layout took 45 s for the 100,000-action benchmark (this takes well under a
second). Free-text columns (titles) shrink to fit, cut with an ellipsis, one line a row
so the output still greps.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from actiontrack.sinks import terminal_line

UNLIMITED = 10_000  # not a terminal: nothing is cut, a pipe or file gets whole lines
GAP = 2
MIN_FREE = 12  # a free-text column never shrinks below this


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    wrap: bool = False  # free text that may shrink to fit; ids, dates, owners never do


def terminal_width() -> int:
    """The terminal's columns when stdout is one, else no limit."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size((100, 24)).columns
    return UNLIMITED


def cell_width(text: str) -> int:
    """Columns on a terminal: East Asian wide and full-width characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cut(text: str, width: int) -> str:
    """`text` within `width` columns, with an ellipsis when something was cut."""
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def render(columns: Sequence[Column], rows: Sequence[Sequence[str]], *, width: int | None = None) -> str:
    """The table as text, `width` columns wide at most (default: the terminal's)."""
    limit = width or terminal_width()
    cells = [[terminal_line(" ".join(c.split())) for c in row] for row in rows]
    widths = [max([cell_width(col.header), *(cell_width(r[i]) for r in cells)]) for i, col in enumerate(columns)]
    widths = _fit(columns, widths, limit)

    def line(row: Sequence[str]) -> str:
        parts = [cut(c, w) for c, w in zip(row, widths, strict=True)]
        return (" " * GAP).join(p + " " * (w - cell_width(p)) for p, w in zip(parts, widths, strict=True)).rstrip()

    return "\n".join([line([c.header for c in columns]), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def _fit(columns: Sequence[Column], widths: list[int], limit: int) -> list[int]:
    """Shrink the free-text columns, widest first, until the table fits `limit` (or cannot shrink more)."""
    excess = sum(widths) + GAP * (len(widths) - 1) - limit
    free = sorted((i for i, c in enumerate(columns) if c.wrap), key=lambda i: -widths[i])
    for i in free:
        if excess <= 0:
            break
        give = min(excess, max(widths[i] - max(MIN_FREE, cell_width(columns[i].header)), 0))
        widths[i] -= give
        excess -= give
    return widths
