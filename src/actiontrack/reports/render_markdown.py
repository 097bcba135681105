"""Markdown that pastes well into Slack, Confluence and GitHub.

The overdue report is headings and bullet lists (Slack renders no tables); the coverage
review, read in Confluence or GitHub, uses tables. User text is escaped so a title
cannot open a link, a tag or a table cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from actiontrack.reports import fmt
from actiontrack.reports.coverage import CoverageReport
from actiontrack.reports.overdue import Item, OverdueReport

_SPECIAL = re.compile(r"([\\\[\]<>|])")


def md(text: str) -> str:
    """User text as literal Markdown: one line, special characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def link(item_key: str | None, url: str | None, fallback: str) -> str:
    label = md(item_key or fallback)
    return f"[{label}]({url.replace(')', '%29')})" if url and item_key else label


def postmortem_link(item: Item) -> str:
    """The postmortem's title, linked when it has a link, then its id."""
    title = md(item.postmortem_title or item.postmortem_id)
    url = item.postmortem_url
    linked = f"[{title}]({url.replace(')', '%29')})" if url else title
    return f"{linked} ({md(item.postmortem_id)})" if item.postmortem_title else linked


def item_line(item: Item, *, with_owner: bool = True) -> str:
    late = f"**{item.days_overdue} d late**, " if item.days_overdue else ""
    owner = f"{md(fmt.owner_text(item.owner))}, " if with_owner else ""
    return (f"- {link(item.display_key, item.url, item.action_id)} {md(item.title)} — {late}{owner}"
            f"{md(fmt.due_phrase(item))}, {md(item.priority or 'no priority')}, {md(item.status)} "
            f"· {postmortem_link(item)}")


def overdue_markdown(report: OverdueReport) -> str:
    out = [f"## Overdue actions as of {report.as_of.isoformat()}", "",
           f"_Statuses last pulled: {md(fmt.pulled_text(report))}_", ""]
    if report.filters:
        out += [f"Filters: {md(fmt.filters_text(report.filters))}", ""]
    out += [fmt.summary_line(report), ""]
    if report.overdue:
        out += ["Age: " + ", ".join(f"{label}: **{n}**" for label, n in report.buckets.items()), ""]
    out += _change(report)
    for owner, items in report.by_owner():
        out += [f"### {md(owner if owner.startswith('(') else '@' + owner)} — {len(items)} overdue", ""]
        out += [item_line(i, with_owner=False) for i in items] + [""]
    if report.overdue:
        out += ["### By postmortem", ""]
        out += [f"- {postmortem_link(items[0])}: {len(items)} overdue, most late "
                f"{max(i.days_overdue for i in items)} d" for _, items in report.by_postmortem()]
        out.append("")
    for title, items in (("Due within 7 days", report.due_soon), ("No due date", report.no_due),
                         ("No owner", report.no_owner), ("Dropped in the tracker — not done", report.dropped)):
        out += _section(title, items)
    return "\n".join(out).rstrip() + "\n"


def _change(report: OverdueReport) -> list[str]:
    change = report.change
    if change is None:
        return ["_Since last week: no earlier report to compare with yet._", ""]
    out = [f"**Since {change.previous.isoformat()}:** {len(change.newly_overdue)} newly overdue, "
           f"{len(change.still_overdue)} still overdue, {len(change.closed)} closed", ""]
    shown, hidden = fmt.clipped(change.closed, 50)
    out += [f"- closed: {link(c.display_key, c.url, c.action_id)} {md(c.title)} ({c.state})" for c in shown]
    return out + ([f"- … and {hidden} more closed"] if hidden else []) + ([""] if shown else [])


def _section(title: str, items: Sequence[Item]) -> list[str]:
    if not items:
        return []
    shown, hidden = fmt.clipped(items)
    out = [f"### {title} ({len(items)})", "", *(item_line(i) for i in shown)]
    return out + ([f"- … and {hidden} more"] if hidden else []) + [""]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [_row(headers), _row(["---"] * len(headers)), *(_row(r) for r in rows)]


def coverage_markdown(report: CoverageReport) -> str:
    total = report.total
    out = [f"## Coverage review ({report.window})", "",
           f"{report.postmortem_count} postmortems, {total.actions} actions, {fmt.pct(total.done_share)} done, "
           f"{total.overdue} overdue, {total.past_slo} open past SLO (as of {report.as_of.isoformat()}).", "",
           "### Phase × category", "", "Each cell: actions / done / overdue. **—** marks a kind of prevention "
           "no postmortem has an action for.", ""]
    rows = [[f"**{phase}**", *(_cell(report, phase, c) for c in report.categories)] for phase in report.phases]
    out += [*table(["phase", *report.categories], rows), ""]
    if report.teams:
        team_rows = [[md(team), str(c.actions), fmt.pct(c.done_share), str(c.overdue), str(c.past_slo)]
                     for team, c in report.teams]
        out += ["### By team", "", *table(["team", "actions", "done", "overdue", "open past SLO"], team_rows), ""]
    out += _figures(report)
    shown, hidden = fmt.clipped(report.postmortems)
    rows = [[md(pm.postmortem_id), md(pm.title), pm.date.isoformat() if pm.date else "", str(pm.actions),
             fmt.pct(pm.done_share), fmt.pct(pm.vague_share), ", ".join(pm.missing_categories) or "none",
             ", ".join(pm.missing_phases) or "none"] for pm in shown]
    out += ["### Per postmortem", "", *table(["id", "title", "date", "actions", "done", "vague",
                                              "missing categories", "missing phases"], rows)]
    return "\n".join(out + ([f"\n… and {hidden} more postmortems"] if hidden else [])) + "\n"


def _cell(report: CoverageReport, phase: str, category: str) -> str:
    cell = report.cell(phase, category)
    return "**—**" if not cell.actions else f"{cell.actions} / {fmt.pct(cell.done_share)} / {cell.overdue}"


def _figures(report: CoverageReport) -> list[str]:
    total = report.total
    out = ["### Organisation", "",
           f"- completion rate **{fmt.pct(total.done_share)}**",
           f"- overdue share **{fmt.pct(total.overdue / total.actions if total.actions else None)}**",
           f"- vague actions **{fmt.pct(total.vague / total.actions if total.actions else None)}**",
           f"- actions per postmortem **{report.actions_per_postmortem or 0:.1f}**",
           f"- open past their SLO date **{total.past_slo}**", ""]
    rows = [[md(c.priority), str(c.closed), fmt.days(c.median_days), fmt.days(c.p90_days),
             f"{c.slo_days} d" if c.slo_days is not None else "–", fmt.pct(c.within_slo_share)]
            for c in report.close_times]
    out += ["#### Time to close by priority", "", *table(["priority", "closed", "median", "p90", "SLO",
                                                          "within SLO"], rows), ""]
    rows = [[p.label, str(p.postmortems), str(p.actions), fmt.pct(p.done_share), fmt.pct(p.overdue_share),
             fmt.pct(p.vague_share), f"{p.actions_per_postmortem or 0:.1f}", fmt.days(p.median_close_days)]
            for p in report.trend]
    out += [f"#### By {report.period}", "", *table([report.period, "postmortems", "actions", "done", "overdue",
                                                    "vague", "per postmortem", "median close"], rows), ""]
    return out
