"""Links, create intents, watermarks and the run journal: what a resumed sync relies on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from actiontrack.errors import StoreError
from actiontrack.model import IssueState
from actiontrack.store import LinkRow, Store

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
JST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as store:
        yield store


def full_link(action_id: str = "a-1") -> LinkRow:
    return LinkRow(
        action_id=action_id, tracker="jira", target="OPS", key="OPS-12", remote_id="10042",
        url="https://example.atlassian.net/browse/OPS-12", state=IssueState.DONE,
        state_changed_at=T0, done_at=T0, remote_due=dt.date(2025, 4, 1),
        remote_updated="2025-03-03T09:00:00.000+0000", base_title="Alert on replica lag",
        base_body_hash="b" * 64, base_labels=["phase:post-release", "category:detection"],
        base_assignee="kim", base_due=dt.date(2025, 3, 31), base_priority="P1",
        base_hash="h" * 64, created_at=T0, synced_at=T0 + dt.timedelta(hours=1),
        intent_at=T0 - dt.timedelta(seconds=1),
    )


def test_links_round_trip_every_field(store: Store) -> None:
    link = full_link()
    store.save_link(link)
    assert store.links()["a-1"].model_dump() == link.model_dump()
    assert store.link("a-1") == store.links()["a-1"]


def test_a_state_stored_as_a_plain_string_reads_back_as_the_enum(store: Store) -> None:
    """Stores written before IssueState hold the same strings, and read the same."""
    with store.session(write=True) as session:
        session.execute(sa.text("INSERT INTO links (action_id, tracker, target, key, state) "
                                "VALUES ('a-1', 'github', 'acme/ops', '7', 'dropped')"))
    state = store.links()["a-1"].state
    assert state is IssueState.DROPPED and state == "dropped"
    store.save_link(store.links()["a-1"])
    with store.session() as session:
        assert session.execute(sa.text("SELECT state FROM links")).scalar_one() == "dropped"


def test_timestamps_come_back_as_utc(store: Store) -> None:
    store.save_link(LinkRow(action_id="a-1", tracker="github", target="acme/ops", key="7",
                            synced_at=dt.datetime(2025, 3, 3, 18, 0, tzinfo=JST)))
    synced = store.links()["a-1"].synced_at
    assert synced == T0 and synced is not None and synced.tzinfo == dt.UTC


def test_save_link_updates_in_place(store: Store) -> None:
    store.save_link(full_link())
    changed = full_link()
    changed.state, changed.base_labels, changed.done_at = "open", ["phase:development"], None
    store.save_link(changed)
    stored = store.links()["a-1"]
    assert (stored.state, stored.base_labels, stored.done_at) == (
        "open", ["phase:development"], None)
    assert len(store.links()) == 1


def test_links_filter_by_tracker_and_target(store: Store) -> None:
    store.save_link(full_link("a-1"))
    store.save_link(LinkRow(action_id="a-2", tracker="github", target="acme/ops", key="3"))
    store.save_link(LinkRow(action_id="a-3", tracker="github", target="acme/web", key="9"))
    assert set(store.links("github")) == {"a-2", "a-3"}
    assert set(store.links("github", "acme/web")) == {"a-3"}
    assert set(store.links(target="OPS")) == {"a-1"}


def test_delete_link(store: Store) -> None:
    store.save_link(full_link())
    store.delete_link("a-1")
    assert store.links() == {} and store.link("a-1") is None


def test_create_intent_is_found_after_a_crash(store: Store, store_url: str) -> None:
    store.record_create_intent("a-1", tracker="jira", target="OPS", at=T0)
    store.close()  # the process dies before the tracker answered

    with Store.open(store_url) as reopened:
        [pending] = reopened.pending_creates("jira", "OPS")
        assert (pending.action_id, pending.key, pending.intent_at) == ("a-1", None, T0)
        pending.key, pending.created_at = "OPS-13", T0  # found it in the tracker: adopt
        reopened.save_link(pending)
        assert reopened.pending_creates() == []
        assert reopened.links()["a-1"].intent_at == T0


def test_create_intent_on_a_linked_action_is_refused(store: Store) -> None:
    store.save_link(full_link())
    with pytest.raises(StoreError, match="already linked to jira OPS OPS-12"):
        store.record_create_intent("a-1", tracker="jira", target="OPS")


def test_watermarks_per_tracker_and_target(store: Store) -> None:
    assert store.watermark("jira", "OPS") is None
    store.set_watermark("jira", "OPS", "2025-03-03 09:00", at=T0)
    store.set_watermark("jira", "OPS", "2025-03-03 10:00", at=T0)
    store.set_watermark("github", "acme/ops", "2025-03-01T00:00:00Z", at=T0)
    assert store.watermark("jira", "OPS") == "2025-03-03 10:00"
    assert store.watermark("github", "acme/ops") == "2025-03-01T00:00:00Z"
    assert store.watermark("jira", "WEB") is None


def test_runs_and_journal(store: Store) -> None:
    run = store.begin_run("jira", "OPS", dry_run=True, at=T0)
    store.journal(run, "a-1", "create", {"key": "OPS-12", "fields": ["title", "due"]}, at=T0)
    store.journal(run, None, "pull", {"since": "2025-03-01"}, at=T0)
    store.finish_run(run, "ok", {"created": 1, "updated": 0}, at=T0 + dt.timedelta(seconds=5))

    [row] = store.runs("jira", "OPS")
    assert (row.id, row.status, row.dry_run, row.counts, row.error) == (
        run, "ok", True, {"created": 1, "updated": 0}, None)
    assert row.finished_at == T0 + dt.timedelta(seconds=5)
    entries = store.journal_entries(run)
    assert [(e.action_id, e.op, e.detail) for e in entries] == [
        ("a-1", "create", {"key": "OPS-12", "fields": ["title", "due"]}),
        (None, "pull", {"since": "2025-03-01"}),
    ]


def test_a_crashed_run_is_closed_as_interrupted(store: Store) -> None:
    crashed = store.begin_run("github", "acme/ops", at=T0)
    failed = store.begin_run("github", "acme/ops", at=T0)
    store.finish_run(failed, "failed", None, "github at https://api.github.com: 502")
    assert store.close_abandoned_runs(at=T0) == [crashed]
    assert [(r.id, r.status) for r in store.runs()] == [
        (failed, "failed"), (crashed, "interrupted")]


def test_journal_of_an_unknown_run_is_refused(store: Store) -> None:
    with pytest.raises(StoreError):
        store.journal(999, "a-1", "create", {})
    with pytest.raises(StoreError, match="no sync run 999"):
        store.finish_run(999, "ok", {})
