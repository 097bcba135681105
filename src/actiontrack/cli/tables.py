"""Tables for a terminal through rich: East Asian wide characters take two columns, the
terminal's width is respected, ids and dates never wrap, and user text is shown as text
(no rich markup, no escape sequences). Only online commands import this: rich costs
`actiontrack lint` start-up time it does not have."""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from actiontrack.sinks import terminal_line

UNLIMITED = 10_000  # not a terminal: nothing is cut, a pipe or file gets whole lines


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    wrap: bool = False  # only free text (titles) may wrap; ids, dates, owners never do
    justify: str = "left"


def terminal_width() -> int:
    """The terminal's columns when stdout is one, else no limit."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size((100, 24)).columns
    return UNLIMITED


def render(columns: Sequence[Column], rows: Sequence[Sequence[str]], *, width: int | None = None) -> str:
    """The table as text, `width` columns wide at most (default: the terminal's)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0))
    for column in columns:
        table.add_column(column.header, no_wrap=not column.wrap, overflow="fold" if column.wrap else "ellipsis",
                         justify=column.justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(Text(terminal_line(cell)) for cell in row))
    out = io.StringIO()
    console = Console(file=out, width=width or terminal_width(), color_system=None, highlight=False,
                      emoji=False, markup=False, legacy_windows=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())
