"""One entry point from a report value and a format name to the text to print or write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from actiontrack.errors import UsageError
from actiontrack.reports import render_data, render_html, render_markdown, render_text
from actiontrack.reports.coverage import CoverageReport
from actiontrack.reports.overdue import OverdueReport

_OVERDUE: dict[str, Callable[[OverdueReport], str]] = {
    "table": render_text.overdue_text, "markdown": render_markdown.overdue_markdown,
    "json": render_data.overdue_json, "csv": render_data.overdue_csv, "html": render_html.overdue_html,
}
_COVERAGE: dict[str, Callable[[CoverageReport], str]] = {
    "table": render_text.coverage_text, "markdown": render_markdown.coverage_markdown,
    "json": render_data.coverage_json, "csv": render_data.coverage_csv, "html": render_html.coverage_html,
}
OVERDUE_FORMATS = tuple(_OVERDUE)
COVERAGE_FORMATS = tuple(_COVERAGE)


def render(report: OverdueReport | CoverageReport, output_format: str, *, width: int | None = None) -> str:
    """The report in ``output_format`` (table, markdown, json, csv or html); `width` bounds a table's
    columns (a terminal's), none by default."""
    table: dict[str, Any] = _OVERDUE if isinstance(report, OverdueReport) else _COVERAGE
    if output_format not in table:
        raise UsageError(f"unknown format {output_format!r}", hint=f"use one of: {', '.join(table)}")
    if output_format == "table":
        return str(table[output_format](report, width))
    return str(table[output_format](report))
