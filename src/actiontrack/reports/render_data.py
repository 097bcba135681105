"""JSON and CSV for other tools: every item, nothing clipped."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from actiontrack.reports.coverage import Cell, CoverageReport
from actiontrack.reports.overdue import Item, OverdueReport
from actiontrack.sinks import csv_cell

ITEM_FIELDS = ("action_id", "title", "owner", "due", "due_derived", "days_overdue", "age_bucket", "priority",
               "postmortem_id", "postmortem_title", "postmortem_url", "severity", "tracker", "tracker_key", "url",
               "status", "state", "past_slo", "sections", "change")


def item_dict(item: Item, sections: list[str], change: str | None) -> dict[str, Any]:
    return {
        "action_id": item.action_id, "title": item.title, "owner": item.owner,
        "due": item.due.isoformat() if item.due else None, "due_derived": item.due_derived,
        "days_overdue": item.days_overdue, "age_bucket": item.age_bucket, "priority": item.priority,
        "postmortem_id": item.postmortem_id, "postmortem_title": item.postmortem_title,
        "postmortem_url": item.postmortem_url,
        "severity": item.severity, "tracker": item.tracker, "tracker_key": item.key, "url": item.url,
        "status": item.status, "state": item.state, "past_slo": item.past_slo, "sections": sections,
        "change": change,
    }


def overdue_dicts(report: OverdueReport) -> list[dict[str, Any]]:
    changes = report.changes()
    return [item_dict(item, sections, changes.get(item.action_id)) for item, sections in report.all_items()]


def overdue_json(report: OverdueReport) -> str:
    """A list of items, as other tools expect: every item of every section, plus the actions
    closed since last week's snapshot (section "closed_this_week"), each with the as-of date
    and when statuses were last pulled."""
    pulled = [{"tracker": t, "target": g, "at": w.isoformat() if w else None} for t, g, w in report.last_pulled]
    context = {"as_of": report.as_of.isoformat(), "statuses_pulled": pulled}
    items = [{**row, **context} for row in overdue_dicts(report)]
    change = report.change
    if change is not None:
        items += [
            {"action_id": c.action_id, "title": c.title, "owner": c.owner, "tracker_key": c.key, "url": c.url,
             "state": c.state, "status": c.state, "was_overdue": c.was_overdue,
             "sections": ["closed_this_week"], "change": "closed", **context}
            for c in change.closed
        ]
    return json.dumps(items, ensure_ascii=False, indent=2)


def overdue_csv(report: OverdueReport) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ITEM_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in overdue_dicts(report):
        writer.writerow(_safe({**row, "sections": ";".join(row["sections"]), "change": row["change"] or ""}))
    return out.getvalue()


def _safe(row: dict[str, Any]) -> dict[str, Any]:
    """Every cell neutralised against spreadsheet formulas (sinks.csv_cell)."""
    return {key: csv_cell(value) for key, value in row.items()}


def _cell(cell: Cell) -> dict[str, Any]:
    return {"actions": cell.actions, "done": cell.done, "dropped": cell.dropped, "overdue": cell.overdue,
            "vague": cell.vague, "open_past_slo": cell.past_slo, "done_share": cell.done_share}


def coverage_dict(report: CoverageReport) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "since": report.since.isoformat() if report.since else None,
        "until": report.until.isoformat() if report.until else None,
        "totals": {**_cell(report.total), "postmortems": report.postmortem_count,
                   "actions_per_postmortem": report.actions_per_postmortem},
        "matrix": [{"phase": p, "category": c, **_cell(report.cell(p, c)),
                    **({"action_ids": [a.action_id for a in report.cell_actions.get((p, c), ())]}
                       if report.cell_actions else {})}
                   for p in report.phases for c in report.categories],
        "teams": [{"team": team, **_cell(cell)} for team, cell in report.teams],
        "close_times": [{"priority": c.priority, "closed": c.closed, "median_days": c.median_days,
                         "p90_days": c.p90_days, "slo_days": c.slo_days, "closed_after_slo": c.closed_late,
                         "within_slo_share": c.within_slo_share} for c in report.close_times],
        "trend": {"period": report.period, "periods": [
            {"label": p.label, "postmortems": p.postmortems, "actions": p.actions, "done": p.done,
             "overdue": p.overdue, "vague": p.vague, "done_share": p.done_share, "overdue_share": p.overdue_share,
             "vague_share": p.vague_share, "actions_per_postmortem": p.actions_per_postmortem,
             "median_close_days": p.median_close_days} for p in report.trend]},
        "postmortems": [
            {"postmortem_id": pm.postmortem_id, "title": pm.title, "date": pm.date.isoformat() if pm.date else None,
             "actions": pm.actions, "done": pm.done, "dropped": pm.dropped, "vague": pm.vague, "overdue": pm.overdue,
             "done_share": pm.done_share, "vague_share": pm.vague_share,
             "missing_categories": list(pm.missing_categories), "missing_phases": list(pm.missing_phases)}
            for pm in report.postmortems],
    }


def coverage_json(report: CoverageReport) -> str:
    return json.dumps(coverage_dict(report), ensure_ascii=False, indent=2)


def coverage_csv(report: CoverageReport) -> str:
    """The matrix, one row per cell."""
    out = io.StringIO()
    fields = ["phase", "category", "actions", "done", "dropped", "overdue", "vague", "open_past_slo", "done_share"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in coverage_dict(report)["matrix"]:
        writer.writerow(_safe({key: value for key, value in row.items() if key in fields}))
    return out.getvalue()
