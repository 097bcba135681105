"""Small formatting helpers shared by every renderer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TypeVar

from actiontrack.reports.overdue import Item, OverdueReport

T = TypeVar("T")
HUMAN_LIMIT = 200  # rows per secondary section in human formats; JSON and CSV list everything


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def days(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} d"


def due_phrase(item: Item) -> str:
    """'due 2025-03-01', 'due 2025-03-01 (SLO)' or 'no due date': never 'due no due date'."""
    return f"due {due_text(item)}" if item.due is not None else "no due date"


def due_text(item: Item) -> str:
    if item.due is None:
        return "no due date"
    return f"{item.due.isoformat()} (SLO)" if item.due_derived else item.due.isoformat()


def pulled_text(report: OverdueReport) -> str:
    """'<tracker> <target> 2025-03-03 09:00 UTC; …' per target, or a warning that nothing was synced."""
    if not report.last_pulled:
        return "never: run `actiontrack sync` (or pass --sync) to pull statuses from the tracker"
    return "; ".join(f"{tracker} {target} {stamp(when)}" for tracker, target, when in report.last_pulled)


def stamp(when: dt.datetime | None) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if when else "never"


def owner_text(owner: str | None) -> str:
    return f"@{owner}" if owner else "(no owner)"


def filters_text(report_filters: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in report_filters.items())


def summary_line(report: OverdueReport) -> str:
    parts = [f"{len(report.overdue)} overdue", f"{len(report.due_soon)} due within 7 days",
             f"{len(report.no_due)} without a due date", f"{len(report.no_owner)} without an owner",
             f"{len(report.dropped)} dropped"]
    return ", ".join(parts) + f" (of {report.open_count} open actions)"


def clipped(items: Sequence[T], limit: int = HUMAN_LIMIT) -> tuple[list[T], int]:
    """The first ``limit`` items and how many were left out."""
    return list(items[:limit]), max(0, len(items) - limit)
