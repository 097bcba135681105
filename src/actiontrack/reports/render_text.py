"""Text tables for a terminal: pure functions, value (and a width) → string.

Tables go through rich (actiontrack.tables): East Asian wide characters take two
columns, only free text (titles) wraps to fit `width`, ids, dates and numbers never do.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar

from actiontrack.reports import fmt
from actiontrack.reports.coverage import CoverageReport
from actiontrack.reports.overdue import Item, OverdueReport
from actiontrack.tables import UNLIMITED, Column, render

WRAPPING = frozenset({"action", "title"})  # the only columns that may wrap
_WIDTH: ContextVar[int] = ContextVar("width", default=UNLIMITED)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns within the report's width."""
    columns = [Column(h, wrap=h in WRAPPING) for h in headers]
    return render(columns, [[" ".join(c.split()) for c in row] for row in rows], width=_WIDTH.get()).splitlines()


def _item_row(item: Item) -> list[str]:
    return [str(item.days_overdue) if item.days_overdue else "", item.display_key or "-", item.priority or "-",
            fmt.owner_text(item.owner), fmt.due_text(item), item.status, item.title, item.postmortem_id]


ITEM_HEADERS = ["late", "key", "prio", "owner", "due", "status", "action", "postmortem"]


def overdue_text(report: OverdueReport, width: int | None = None) -> str:
    token = _WIDTH.set(width or UNLIMITED)
    try:
        return _overdue_text(report)
    finally:
        _WIDTH.reset(token)


def _overdue_text(report: OverdueReport) -> str:
    out = [f"Overdue actions as of {report.as_of.isoformat()}",
           f"statuses last pulled: {fmt.pulled_text(report)}"]
    if report.filters:
        out.append(f"filters: {fmt.filters_text(report.filters)}")
    out += [fmt.summary_line(report), ""]
    if report.overdue:
        out.append("age: " + ", ".join(f"{label} {n}" for label, n in report.buckets.items()))
        out.append("")
    for owner, items in report.by_owner():
        out.append(f"{owner if owner.startswith('(') else '@' + owner} — {len(items)} overdue")
        out += ["  " + line for line in table(ITEM_HEADERS, [_item_row(i) for i in items])]
        out.append("")
    out += _by_postmortem(report)
    out += _change(report)
    for title, items in (("Due within 7 days", report.due_soon), ("No due date", report.no_due),
                         ("No owner", report.no_owner), ("Dropped in the tracker (not done)", report.dropped)):
        out += _section(title, items)
    return "\n".join(out).rstrip() + "\n"


def _by_postmortem(report: OverdueReport) -> list[str]:
    if not report.overdue:
        return ["Nothing is overdue.", ""]
    rows = [[pm, str(len(items)), str(max(i.days_overdue for i in items)), items[0].postmortem_title,
             items[0].postmortem_url or items[0].postmortem_path or "-"]
            for pm, items in report.by_postmortem()]
    return ["By postmortem", *table(["postmortem", "overdue", "most late", "title", "link"], rows), ""]


def _change(report: OverdueReport) -> list[str]:
    change = report.change
    if change is None:
        return ["Since last week: no earlier report to compare with (this run's snapshot is kept for next time).", ""]
    closed = ", ".join(f"{c.display_key or c.action_id} ({c.state})" for c in change.closed[:30])
    return [f"Since the report of {change.previous.isoformat()}: {len(change.newly_overdue)} newly overdue, "
            f"{len(change.still_overdue)} still overdue, {len(change.closed)} closed",
            *([f"  closed: {closed}"] if closed else []), ""]


def _section(title: str, items: Sequence[Item]) -> list[str]:
    if not items:
        return []
    shown, hidden = fmt.clipped(items)
    out = [f"{title} ({len(items)})", *table(ITEM_HEADERS, [_item_row(i) for i in shown])]
    if hidden:
        out.append(f"… and {hidden} more (--format csv lists all)")
    return [*out, ""]


def coverage_text(report: CoverageReport, width: int | None = None) -> str:
    token = _WIDTH.set(width or UNLIMITED)
    try:
        return _coverage_text(report)
    finally:
        _WIDTH.reset(token)


def _coverage_text(report: CoverageReport) -> str:
    total = report.total
    out = [f"Coverage review ({report.window}), as of {report.as_of.isoformat()}",
           f"{report.postmortem_count} postmortems, {total.actions} actions, "
           f"{fmt.pct(total.done_share)} done, {total.overdue} overdue, {total.past_slo} open past SLO", "",
           "Actions by phase × category (actions / done % / overdue; '·' = no action at all)"]
    rows = [[phase, *(_cell(report, phase, c) for c in report.categories)] for phase in report.phases]
    out += [*table(["phase", *report.categories], rows), ""]
    if report.teams:
        team_rows = [[team, str(c.actions), fmt.pct(c.done_share), str(c.overdue), str(c.past_slo)]
                     for team, c in report.teams]
        out += ["By team", *table(["team", "actions", "done", "overdue", "open past SLO"], team_rows), ""]
    out += _organisation(report)
    out += _per_postmortem(report)
    return "\n".join(out).rstrip() + "\n"


def _cell(report: CoverageReport, phase: str, category: str) -> str:
    cell = report.cell(phase, category)
    return "·" if not cell.actions else f"{cell.actions} / {fmt.pct(cell.done_share)} / {cell.overdue}"


def _organisation(report: CoverageReport) -> list[str]:
    total = report.total
    out = ["Organisation",
           f"  completion rate {fmt.pct(total.done_share)}; overdue share "
           f"{fmt.pct(total.overdue and total.overdue / total.actions)}; vague share "
           f"{fmt.pct(total.vague and total.vague / total.actions)}; actions per postmortem "
           f"{report.actions_per_postmortem or 0:.1f}", ""]
    rows = [[c.priority, str(c.closed), fmt.days(c.median_days), fmt.days(c.p90_days),
             f"{c.slo_days} d" if c.slo_days is not None else "–", fmt.pct(c.within_slo_share)]
            for c in report.close_times]
    out += ["Time to close (postmortem date → done)",
            *table(["priority", "closed", "median", "p90", "SLO", "within SLO"], rows), ""]
    rows = [[p.label, str(p.postmortems), str(p.actions), fmt.pct(p.done_share), fmt.pct(p.overdue_share),
             fmt.pct(p.vague_share), f"{p.actions_per_postmortem or 0:.1f}", fmt.days(p.median_close_days)]
            for p in report.trend]
    out += [f"By {report.period} of the postmortem",
            *table([report.period, "postmortems", "actions", "done", "overdue", "vague", "per pm", "median close"],
                   rows), ""]
    return out


def _per_postmortem(report: CoverageReport) -> list[str]:
    shown, hidden = fmt.clipped(report.postmortems)
    rows = [[pm.postmortem_id, pm.date.isoformat() if pm.date else "-", str(pm.actions), fmt.pct(pm.done_share),
             fmt.pct(pm.vague_share), ", ".join(pm.missing_categories) or "none",
             ", ".join(pm.missing_phases) or "none"]
            for pm in shown]
    out = ["Per postmortem", *table(["postmortem", "date", "actions", "done", "vague", "missing categories",
                                     "missing phases"], rows)]
    return out + ([f"… and {hidden} more (--format json lists all)"] if hidden else [])
