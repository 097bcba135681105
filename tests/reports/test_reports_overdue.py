"""The weekly overdue report from a hand-made store: what is late, by how much, and since last week."""

from __future__ import annotations

import datetime as dt

from reports_support import Spec, fill

from actiontrack.reports import Filters, build_overdue
from actiontrack.store import Store

MON = dt.date(2025, 3, 3)
SLO = {"P1": 28, "P2": 56}


def _report(store: Store, as_of: dt.date = MON, **filters: str) -> object:
    return build_overdue(store, as_of=as_of, slo_days=SLO, filters=Filters(**filters))


def test_late_actions_with_days_overdue_and_age_buckets(store: Store) -> None:
    fill(store, [
        Spec("a", due=MON - dt.timedelta(days=1)), Spec("b", due=MON - dt.timedelta(days=8)),
        Spec("c", due=MON - dt.timedelta(days=45), priority="P1"), Spec("d", due=MON - dt.timedelta(days=91)),
        Spec("today", due=MON), Spec("done", due=MON - dt.timedelta(days=3), state="done"),
        Spec("unsynced", due=MON - dt.timedelta(days=2), state=None),
    ])
    report = build_overdue(store, as_of=MON, slo_days=SLO)

    assert [(i.action_id, i.days_overdue) for i in report.overdue] == [
        ("d", 91), ("c", 45), ("b", 8), ("unsynced", 2), ("a", 1)]
    assert report.buckets == {"1–7 days": 2, "8–30 days": 1, "31–90 days": 1, "over 90 days": 1}
    assert report.overdue[1].key == "K-c" and report.overdue[1].url == "https://tracker.example/c"
    assert report.overdue[3].status == "not in a tracker yet"
    assert [i.action_id for i in report.due_soon] == ["today"]


def test_next_to_rot_undated_unowned_and_dropped_not_mistaken_for_done(store: Store) -> None:
    fill(store, [
        Spec("soon", due=MON + dt.timedelta(days=6)), Spec("later", due=MON + dt.timedelta(days=7)),
        Spec("undated", priority="P2"),  # pm1 is 2025-01-06: P2's SLO date is 2025-03-03, not yet late
        Spec("undated-late", priority="P1"),  # P1: 2025-02-03, 28 days late
        Spec("nobody", owner=None, due=MON + dt.timedelta(days=30)),
        Spec("jira-wontdo", state="dropped", due=MON - dt.timedelta(days=9)),
        Spec("gh-notplanned", state="dropped", tracker="github"),
    ])
    report = build_overdue(store, as_of=MON, slo_days=SLO)

    assert [i.action_id for i in report.due_soon] == ["soon"]
    assert {i.action_id: (i.due, i.due_derived) for i in report.no_due} == {
        "undated": (dt.date(2025, 3, 3), True), "undated-late": (dt.date(2025, 2, 3), True)}
    assert [(i.action_id, i.days_overdue, i.past_slo) for i in report.overdue] == [("undated-late", 28, True)]
    assert [i.action_id for i in report.no_owner] == ["nobody"]
    dropped = {i.action_id: i for i in report.dropped}
    assert dropped["jira-wontdo"].status == "resolved as won't do"
    assert dropped["gh-notplanned"].status == "closed as not planned"
    assert dropped["gh-notplanned"].display_key == "#K-gh-notplanned"
    assert "jira-wontdo" not in {i.action_id for i in report.overdue}  # dropped is not late, nor done


def test_filters_by_owner_team_severity_and_postmortem(store: Store) -> None:
    late = MON - dt.timedelta(days=5)
    fill(store, [Spec("kim1", due=late), Spec("lee1", owner="lee", due=late),
                 Spec("gh", pm="pm2", due=late, tracker="github"), Spec("sev2", pm="pm2", due=late, owner="lee")])

    def ids(**filters: str) -> set[str]:
        return {i.action_id for i in build_overdue(store, as_of=MON, slo_days=SLO, filters=Filters(**filters),
                                                  record=False).overdue}

    assert ids(owner="@lee") == {"lee1", "sev2"}
    assert ids(team="acme/ops") == {"gh"}
    assert ids(severity="sev2") == {"gh", "sev2"}
    assert ids(postmortem="pm1") == {"kim1", "lee1"}
    assert ids(owner="lee", severity="SEV1") == {"lee1"}


def test_owner_filter_finds_an_owner_however_the_postmortem_wrote_her(store: Store) -> None:
    """The same matching as `status --owner` (identity.owner_aliases), in SQL."""
    late = MON - dt.timedelta(days=5)
    fill(store, [Spec("plain", owner="dana", due=late), Spec("mailbox", owner="Dana Ops <dana@example.com>", due=late),
                 Spec("quoted", owner='"Dana Ops" <dana.ops@example.com>', due=late),
                 Spec("other", owner="Danazawa <danaz@example.com>", due=late), Spec("kim", due=late),
                 Spec("ja", owner="山田 <yamada@example.jp>", due=late), Spec("wild", owner="d%a_n", due=late)])

    def ids(owner: str) -> set[str]:
        return {i.action_id for i in build_overdue(store, as_of=MON, slo_days=SLO, filters=Filters(owner=owner),
                                                  record=False).overdue}

    assert ids("dana") == ids("@Dana") == {"plain", "mailbox"}
    assert ids("dana@example.com") == {"mailbox"}
    assert ids("Dana Ops") == {"mailbox", "quoted"}
    assert ids("dana.ops") == {"quoted"}
    assert ids("山田") == ids("yamada") == {"ja"}
    assert ids("d%a_n") == {"wild"} and ids("d%") == set()  # LIKE's wildcards are the owner's own letters


def test_week_over_week_compares_with_the_snapshot_the_last_report_kept(store: Store) -> None:
    last_week = MON - dt.timedelta(days=7)
    fill(store, [
        Spec("old", due=last_week - dt.timedelta(days=3)),  # late both weeks
        Spec("new", due=MON - dt.timedelta(days=2)),  # became late this week
        Spec("fixed", due=last_week - dt.timedelta(days=1)),  # late last week, done now
        Spec("abandoned", due=MON + dt.timedelta(days=20)),  # open last week, dropped now
    ])
    first = build_overdue(store, as_of=last_week, slo_days=SLO)
    assert first.change is None and {i.action_id for i in first.overdue} == {"old", "fixed"}

    for action_id, state in (("fixed", "done"), ("abandoned", "dropped")):  # a person closed them
        link = store.link(action_id)
        assert link is not None
        store.save_link(link.model_copy(update={"state": state}))
    report = build_overdue(store, as_of=MON, slo_days=SLO)

    assert report.change is not None and report.change.previous == last_week
    assert [i.action_id for i in report.change.newly_overdue] == ["new"]
    assert [i.action_id for i in report.change.still_overdue] == ["old"]
    assert {(c.action_id, c.state, c.was_overdue) for c in report.change.closed} == {
        ("fixed", "done", True), ("abandoned", "dropped", False)}
    assert report.changes() == {"new": "newly-overdue", "old": "still-overdue"}
    assert {e.action_id for e in store.snapshot(MON)} == {"old", "new"}  # open actions, kept for next week


def test_snapshot_holds_what_the_report_showed_even_when_filtered(store: Store) -> None:
    fill(store, [Spec("kim-late", due=MON - dt.timedelta(days=4)), Spec("lee-soon", owner="lee", due=MON),
                 Spec("undated-p1", owner="lee", priority="P1"), Spec("done", state="done", due=MON),
                 Spec("unsynced", state=None, due=MON - dt.timedelta(days=1))])
    report = build_overdue(store, as_of=MON, slo_days=SLO, filters=Filters(owner="kim"))

    assert [i.action_id for i in report.overdue] == ["kim-late", "unsynced"]
    kept = {e.action_id: (e.state, e.due, e.overdue, e.days_overdue) for e in store.snapshot(MON)}
    assert kept == {  # every open action, not only kim's: next week compares the whole team
        "kim-late": ("open", MON - dt.timedelta(days=4), True, 4),
        "lee-soon": ("open", MON, False, 0),
        "undated-p1": ("open", None, True, 28),  # late by its SLO date (pm1 2025-01-06 + 4 weeks)
        "unsynced": ("unsynced", MON - dt.timedelta(days=1), True, 1),
    }
    build_overdue(store, as_of=MON, slo_days=SLO)  # a re-run replaces the day's snapshot
    assert len(store.snapshot(MON)) == 4
