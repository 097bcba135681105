"""Postmortems and actions: upserts, removed actions orphaned and revived, tags kept apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from actiontrack.errors import StoreError
from actiontrack.model import Action, Category, Phase, Postmortem, TagSource
from actiontrack.store import ActionTags, Store, content_hash

MON = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
TUE = MON + dt.timedelta(days=1)
WED = MON + dt.timedelta(days=2)


def make_action(pm_id: str, index: int, title: str, **fields: object) -> Action:
    return Action(id=f"{pm_id}-a{index}", postmortem_id=pm_id, title=title,
                  path=Path(f"pm/{pm_id}.md"), line=10 + index, end_line=10 + index,
                  position=index, **fields)  # type: ignore[arg-type]


def make_pm(pm_id: str, *titles: str) -> Postmortem:
    actions = tuple(make_action(pm_id, i, t) for i, t in enumerate(titles))
    return Postmortem(id=pm_id, path=Path(f"pm/{pm_id}.md"), title=f"Incident {pm_id}",
                      date=dt.date(2025, 2, 27), severity="SEV2", actions=actions)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as store:
        yield store


def test_saved_postmortem_and_actions_read_back(store: Store) -> None:
    pm = make_pm("pm1", "Alert on replica lag", "Add failover runbook")
    pm = replace(pm, actions=(
        pm.actions[0]._replace(owner="kim", due=dt.date(2025, 3, 31), priority="P1",
                phase=Phase.POST_RELEASE, category=Category.DETECTION),
        pm.actions[1]._replace(text="Add failover runbook\nwith a drill", done=True),
    ))
    store.save_postmortem(pm, seen_at=MON)

    [pm_row] = store.postmortems()
    assert (pm_row.id, pm_row.title, pm_row.date, pm_row.severity, pm_row.path) == (
        "pm1", "Incident pm1", dt.date(2025, 2, 27), "SEV2", "pm/pm1.md")
    first, second = store.actions(postmortem_id="pm1")
    assert (first.owner, first.due, first.priority) == ("kim", dt.date(2025, 3, 31), "P1")
    assert (first.phase, first.phase_source) == ("post-release", "explicit")
    assert (first.category, first.category_source) == ("detection", "explicit")
    assert (second.phase, second.phase_source, second.category_source) == (
        None, "unknown", "unknown")
    assert second.text == "Add failover runbook\nwith a drill"
    assert (first.done_in_file, second.done_in_file) == (False, True)
    assert first.first_seen_at == MON and first.first_seen_at.tzinfo == dt.UTC
    assert first.content_hash == content_hash(pm.actions[0])


def test_suggested_tags_and_vague_flags_are_stored_apart(store: Store) -> None:
    pm = make_pm("pm1", "Be more careful", "Alert on 5xx rate")
    tags = {"pm1-a1": ActionTags(Phase.POST_RELEASE, TagSource.SUGGESTED,
                                 Category.DETECTION, TagSource.SUGGESTED)}
    store.save_postmortem(pm, seen_at=MON, vague_ids={"pm1-a0"}, tags=tags)

    vague, alert = store.actions()
    assert (vague.vague, alert.vague) == (True, False)
    assert (alert.phase, alert.phase_source) == ("post-release", "suggested")
    assert (alert.category, alert.category_source) == ("detection", "suggested")


def test_removed_actions_are_orphaned_then_revived(store: Store) -> None:
    store.save_postmortem(make_pm("pm1", "one", "two", "three"), seen_at=MON)
    shorter = make_pm("pm1", "one", "two")
    store.save_postmortem(shorter, seen_at=TUE)

    assert [a.id for a in store.actions(removed=True)] == ["pm1-a2"]
    assert store.action("pm1-a2").removed_at == TUE  # type: ignore[union-attr]
    assert [a.id for a in store.actions(removed=False)] == ["pm1-a0", "pm1-a1"]

    store.save_postmortem(make_pm("pm1", "one", "two", "three"), seen_at=WED)
    back = store.action("pm1-a2")
    assert back is not None and back.removed_at is None
    assert (back.first_seen_at, back.last_seen_at) == (MON, WED)
    assert store.actions(removed=True) == []


def test_other_postmortems_actions_are_untouched(store: Store) -> None:
    store.save_postmortems([make_pm("pm1", "one"), make_pm("pm2", "two")], seen_at=MON)
    store.save_postmortem(make_pm("pm1"), seen_at=TUE)  # pm1 lost its only action
    assert [a.id for a in store.actions(removed=True)] == ["pm1-a0"]
    assert store.action("pm2-a0").removed_at is None  # type: ignore[union-attr]


def test_a_deleted_file_orphans_all_its_actions(store: Store) -> None:
    store.save_postmortem(make_pm("pm1", "one", "two"), seen_at=MON)
    assert store.mark_postmortem_removed("pm1", seen_at=TUE) == 2
    assert store.mark_postmortem_removed("pm1", seen_at=WED) == 0  # stays orphaned since TUE
    assert {a.removed_at for a in store.actions()} == {TUE}


def test_edits_update_the_row_and_its_hash(store: Store) -> None:
    pm = make_pm("pm1", "Alert on lag")
    store.save_postmortem(pm, seen_at=MON)
    before = store.action("pm1-a0")
    store.save_postmortem(pm, seen_at=TUE)  # unchanged file
    same = store.action("pm1-a0")
    edited = replace(pm, title="DB outage", actions=(pm.actions[0]._replace(owner="lee"),))
    store.save_postmortem(edited, seen_at=WED)
    after = store.action("pm1-a0")

    assert before and same and after
    assert same.content_hash == before.content_hash and same.last_seen_at == TUE
    assert after.content_hash != before.content_hash and after.owner == "lee"
    assert store.postmortem("pm1").title == "DB outage"  # type: ignore[union-attr]


def test_an_action_moved_to_another_file_follows_it(store: Store) -> None:
    store.save_postmortems([make_pm("pm1", "one"), make_pm("pm2")], seen_at=MON)
    moved = make_pm("pm1", "one").actions[0]._replace(postmortem_id="pm2")
    store.save_postmortem(replace(make_pm("pm2"), actions=(moved,)), seen_at=TUE)
    store.save_postmortem(make_pm("pm1"), seen_at=TUE)

    row = store.action("pm1-a0")
    assert row is not None and (row.postmortem_id, row.removed_at) == ("pm2", None)


def test_naive_timestamps_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="naive datetime"):
        store.save_postmortem(make_pm("pm1", "one"), seen_at=MON.replace(tzinfo=None))
    assert store.actions() == []  # nothing half-written
