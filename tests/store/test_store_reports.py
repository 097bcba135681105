"""Report queries and weekly snapshots, including the 100,000-action budget of one second."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from actiontrack.model import Action, Postmortem
from actiontrack.store import LinkRow, Store
from actiontrack.store.queries import actions_t, links_t
from actiontrack.store.values import SnapshotEntry

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
MON = dt.date(2025, 3, 3)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as store:
        yield store


def _pm(*ids: str) -> Postmortem:
    actions = tuple(
        Action(id=a, postmortem_id="pm1", title=f"do {a}", path=Path("pm1.md"), line=i,
               end_line=i, position=i, owner="kim", due=dt.date(2025, 3, 31))
        for i, a in enumerate(ids)
    )
    return Postmortem(id="pm1", path=Path("pm1.md"), title="pm1", actions=actions)


def test_report_states_and_effective_due(store: Store) -> None:
    store.save_postmortem(_pm("open", "done", "dropped", "gone", "pending", "new"), seen_at=T0)
    store.save_postmortem(_pm("open", "done", "dropped", "pending", "new"), seen_at=T0)
    for action_id, state in (("open", "open"), ("done", "done"), ("dropped", "dropped"),
                             ("gone", "open")):
        store.save_link(LinkRow(action_id=action_id, tracker="jira", target="OPS",
                                key=f"OPS-{action_id}", state=state,
                                remote_due=dt.date(2025, 4, 15) if action_id == "open" else None))
    store.record_create_intent("pending", tracker="jira", target="OPS", at=T0)

    rows = {row.action_id: row for row in store.report_rows()}
    assert {a: r.state for a, r in rows.items()} == {
        "open": "open", "done": "done", "dropped": "dropped", "gone": "orphaned",
        "pending": "unsynced", "new": "unsynced"}
    assert rows["open"].due == dt.date(2025, 4, 15)  # the tracker's due date wins
    assert rows["new"].due == dt.date(2025, 3, 31)
    assert "gone" not in {row.action_id for row in store.report_rows(include_removed=False)}
    assert store.count_by("state") == {
        ("open",): 1, ("done",): 1, ("dropped",): 1, ("unsynced",): 2}
    assert store.count_by("owner", "state", include_removed=True)[("kim", "orphaned")] == 1


def test_snapshots_week_over_week(store: Store) -> None:
    last_week = MON - dt.timedelta(days=7)
    late = SnapshotEntry("a1", "pm1", "open", dt.date(2025, 2, 28), "kim", "P1", True, 3)
    store.take_snapshot(last_week, [late], taken_at=T0)
    store.take_snapshot(MON, [late, SnapshotEntry("a2", "pm1", "done", None, None, None,
                                                  False, 0)], taken_at=T0)
    store.take_snapshot(MON, [late], taken_at=T0)  # a re-run replaces the day's snapshot

    assert store.snapshot(MON) == [late]
    assert store.previous_snapshot_date(MON) == last_week
    assert store.previous_snapshot_date(last_week) is None
    assert store.snapshot(MON - dt.timedelta(days=1)) == []


def _bulk_insert(store: Store, n: int) -> None:
    """n actions over n/10 postmortems, 80% linked: written with Core for speed."""
    phases = ["development", "verification", "post-release", None]
    categories = ["root-cause", "permanent-fix", "recurrence", "detection", "recovery"]
    pms: list[dict[str, Any]] = [
        {"id": f"pm{p}", "path": f"pm{p}.md", "title": f"pm {p}",
         "first_seen_at": T0, "last_seen_at": T0} for p in range(n // 10)]
    actions: list[dict[str, Any]] = [
        {"id": f"a{i}", "postmortem_id": f"pm{i // 10}", "position": i % 10, "title": f"t{i}",
         "text": f"t{i}", "owner": f"owner{i % 50}", "due": dt.date(2025, 1, 1)
         + dt.timedelta(days=i % 120), "phase": phases[i % 4], "category": categories[i % 5],
         "priority": "P2", "phase_source": "explicit", "category_source": "suggested",
         "vague": i % 7 == 0, "done_in_file": False, "content_hash": "h",
         "first_seen_at": T0, "last_seen_at": T0, "removed_at": T0 if i % 97 == 0 else None}
        for i in range(n)]
    links: list[dict[str, Any]] = [
        {"action_id": f"a{i}", "tracker": "jira", "target": "OPS", "key": f"OPS-{i}",
         "state": ("open", "done", "dropped")[i % 3], "done_at": T0 if i % 3 == 1 else None}
        for i in range(n) if i % 5]
    with store.session(write=True) as session:
        session.execute(sa.insert(actions_t.metadata.tables["postmortems"]), pms)
        session.execute(sa.insert(actions_t), actions)
        session.execute(sa.insert(links_t), links)


def test_report_queries_over_100k_actions_agree(store: Store) -> None:
    """Correctness at report scale; the 1 s target is measured in bench/, not asserted here."""
    _bulk_insert(store, 100_000)
    store.count_by("state")  # warm the connection pool and statement caches

    def overdue_report() -> None:
        rows = store.report_rows(include_removed=False)
        late = [r for r in rows if r.state == "open" and r.due and r.due < MON]
        assert len(rows) == 100_000 - 1031 and late  # every 97th action was removed

    def coverage_review() -> None:
        by_phase = store.count_by("phase", "category", "state", "vague")
        by_owner = store.count_by("owner", "state")
        by_due = store.count_by("due", "state")
        assert sum(by_phase.values()) == sum(by_owner.values()) == sum(by_due.values())

    overdue_report()
    coverage_review()
