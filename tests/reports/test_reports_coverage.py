"""The coverage review from a hand-made store: matrix, gaps, time to close against the SLO, trend."""

from __future__ import annotations

import datetime as dt

from reports_support import PM_DATES, Spec, fill

from actiontrack.reports import build_coverage
from actiontrack.store import Store

AS_OF = dt.date(2025, 5, 1)
SLO = {"P1": 28, "P2": 56}


def _closed(pm: str, days: int) -> dt.datetime:
    return dt.datetime.combine(PM_DATES[pm] + dt.timedelta(days=days), dt.time(15), tzinfo=dt.UTC)


SPECS = [
    # pm1 (2025-01-06): detection and recovery only, one vague
    Spec("d1", phase="post-release", category="detection", state="done", done_at=_closed("pm1", 10), priority="P1"),
    Spec("d2", phase="post-release", category="detection", state="done", done_at=_closed("pm1", 40), priority="P1"),
    Spec("r1", phase="post-release", category="recovery", due=dt.date(2025, 2, 1), vague=True),
    # pm2 (2025-02-03): recurrence in development, one dropped, one untagged
    Spec("c1", pm="pm2", phase="development", category="recurrence", state="done", done_at=_closed("pm2", 20)),
    Spec("c2", pm="pm2", phase="development", category="recurrence", state="dropped"),
    Spec("u1", pm="pm2", due=dt.date(2025, 6, 1)),
    # pm3 (2025-04-07): one action with no due date, P1: SLO date 2025-05-05, not yet late
    Spec("v1", pm="pm3", phase="verification", category="recurrence", priority="P1"),
]


def test_matrix_counts_and_empty_cells(store: Store) -> None:
    fill(store, SPECS)
    report = build_coverage(store, as_of=AS_OF, slo_days=SLO)

    detection = report.cell("post-release", "detection")
    assert (detection.actions, detection.done, detection.done_share) == (2, 2, 1.0)
    recovery = report.cell("post-release", "recovery")
    assert (recovery.actions, recovery.overdue, recovery.vague) == (1, 1, 1)
    recurrence = report.cell("development", "recurrence")
    assert (recurrence.actions, recurrence.done, recurrence.dropped) == (2, 1, 1)
    assert report.cell("untagged", "untagged").actions == 1 and "untagged" in report.phases
    assert ("development", "detection") in report.empty_cells()
    assert ("post-release", "detection") not in report.empty_cells()
    total = report.total
    assert (total.actions, total.done, total.dropped, total.overdue, total.vague) == (7, 3, 1, 1, 1)
    assert report.postmortem_count == 3 and report.actions_per_postmortem == 7 / 3


def test_per_postmortem_gaps(store: Store) -> None:
    fill(store, SPECS)
    by_id = {pm.postmortem_id: pm for pm in build_coverage(store, as_of=AS_OF, slo_days=SLO).postmortems}

    assert by_id["pm1"].missing_categories == ("root-cause", "permanent-fix", "recurrence")
    assert by_id["pm1"].missing_phases == ("development", "verification")
    assert (by_id["pm1"].done_share, by_id["pm1"].vague_share) == (2 / 3, 1 / 3)
    assert by_id["pm2"].missing_phases == ("verification", "post-release")
    assert [pm.postmortem_id for pm in build_coverage(store, as_of=AS_OF, slo_days=SLO).postmortems] == [
        "pm3", "pm2", "pm1"]  # newest first


def test_time_to_close_by_priority_against_the_slo(store: Store) -> None:
    fill(store, SPECS)
    times = {c.priority: c for c in build_coverage(store, as_of=AS_OF, slo_days=SLO).close_times}

    p1 = times["P1"]
    assert (p1.closed, p1.median_days, p1.p90_days, p1.slo_days, p1.closed_late) == (2, 10, 40, 28, 1)
    assert p1.within_slo_share == 0.5
    assert (times["P2"].closed, times["P2"].median_days, times["P2"].closed_late) == (1, 20, 0)


def test_trend_by_month_and_quarter_and_date_window(store: Store) -> None:
    fill(store, SPECS)
    months = build_coverage(store, as_of=AS_OF, slo_days=SLO).trend
    assert [(p.label, p.postmortems, p.actions, p.done) for p in months] == [
        ("2025-01", 1, 3, 2), ("2025-02", 1, 3, 1), ("2025-04", 1, 1, 0)]
    assert months[0].median_close_days == 10
    quarters = build_coverage(store, as_of=AS_OF, slo_days=SLO, period="quarter").trend
    assert [(p.label, p.postmortems, p.actions) for p in quarters] == [("2025-Q1", 2, 6), ("2025-Q2", 1, 1)]

    window = build_coverage(store, as_of=AS_OF, slo_days=SLO, since=dt.date(2025, 2, 1), until=dt.date(2025, 3, 31))
    assert [pm.postmortem_id for pm in window.postmortems] == ["pm2"] and window.total.actions == 3


def test_open_past_slo_counts_undated_and_late_dated_actions(store: Store) -> None:
    fill(store, SPECS)
    later = build_coverage(store, as_of=dt.date(2025, 5, 6), slo_days=SLO)
    # v1 (P1, pm3 2025-04-07) is past its SLO date 2025-05-05; r1 and u1 (P2) are past theirs too.
    assert later.total.past_slo == 3
    assert later.cell("verification", "recurrence").overdue == 1  # undated: late by its SLO date
