"""Reports over the store: the weekly overdue report and the managers' coverage review.

Usable on its own (docs/reports.md)::

    from actiontrack.reports import build_overdue, build_coverage, render
    with Store.open(url) as store:
        report = build_overdue(store, as_of=date.today(), slo_days=config.report.slo_days())
    print(render(report, "markdown"))

Builders read the store (aggregating in SQL); renderers are pure functions of the value.
"""

from __future__ import annotations

from actiontrack.reports.coverage import CoverageReport, build_coverage
from actiontrack.reports.errors import ReportError
from actiontrack.reports.overdue import Item, OverdueReport, build_overdue
from actiontrack.reports.render import COVERAGE_FORMATS, OVERDUE_FORMATS, render
from actiontrack.reports.slo import effective_due, slo_date, today
from actiontrack.reports.sql import Filters

__all__ = [
    "COVERAGE_FORMATS",
    "OVERDUE_FORMATS",
    "CoverageReport",
    "Filters",
    "Item",
    "OverdueReport",
    "ReportError",
    "build_coverage",
    "build_overdue",
    "effective_due",
    "render",
    "slo_date",
    "today",
]
