"""JiraTracker through the real jira client against the emulator, Cloud and Data Center.

Request counts come from the emulator's own log, so they are what a real site would see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from actiontrack.sandbox import Sandbox
from actiontrack.trackers.base import Change, IssueFields, RemoteIssue
from actiontrack.trackers.jira import JiraTracker
from actiontrack.trackers.jira_kind import JiraSettings
from actiontrack.trackers.markers import body_marker, marker_label
from actiontrack.trackers.retry import RetryPolicy

BASE = "actiontrack"
DANA = {"Cloud": "5b10ac8d82e05b22cc7d4ef5", "Server": "dana"}


@pytest.fixture(params=["Cloud", "Server"])
def sb(request: pytest.FixtureRequest, sandbox_factory: Any) -> Sandbox:
    """One emulator per deployment type."""
    return sandbox_factory(jira_deployment=request.param)  # type: ignore[no-any-return]


def make_tracker(sb: Sandbox, **kwargs: Any) -> JiraTracker:
    cloud = sb.config.jira_deployment == "Cloud"
    settings = JiraSettings(url=sb.jira_url, project="PM", auth="cloud" if cloud else "pat")
    kwargs.setdefault("retry", RetryPolicy(sleep=lambda _s: None))
    return JiraTracker(settings, token=sb.jira_token, email=sb.config.jira_email if cloud else None, **kwargs)


def item(n: int, **overrides: Any) -> IssueFields:
    action_id = f"pm-2026-01-db/{n}"
    values: dict[str, Any] = {
        "action_id": action_id,
        "postmortem_id": "pm-2026-01-db",
        "title": f"Add alert {n}",
        "body": f"h3. From postmortem\nDo thing {n}\n\n{body_marker(action_id, html_comment=False)}",
        "labels": (BASE, "phase:detect", marker_label(action_id)),
        "due": dt.date(2026, 3, 1),
        "priority": "P1",
    }
    values.update(overrides)
    return IssueFields(**values)


def bulk_posts(sb: Sandbox) -> int:
    return sb.count("jira", "POST", "/rest/api/2/issue/bulk")


def searches(sb: Sandbox) -> int:
    return sb.count("jira", "POST", "/rest/api/2/search*")


def test_create_120_in_three_bulk_requests_and_nothing_else(sb: Sandbox) -> None:
    tracker = make_tracker(sb)
    items = [item(n, assignee=DANA[sb.config.jira_deployment]) for n in range(120)]

    results = tracker.create_many(items)

    assert [r.action_id for r in results] == [i.action_id for i in items]
    assert all(r.issue is not None and r.error is None for r in results)
    assert sb.counts()["by_endpoint"] == {
        "jira GET /rest/api/2/serverInfo": 1,
        "jira POST /rest/api/2/issue/bulk": 3,
    }
    first = results[0].issue
    assert first is not None
    assert first.url == f"{sb.jira_url}/browse/{first.key}"
    seen = sb.jira.issue(first.key)
    assert seen["labels"] == [BASE, "phase:detect", marker_label(items[0].action_id)]
    assert seen["priority"] == "High"
    assert seen["duedate"] == "2026-03-01"
    assert seen["assignee"] == "dana"
    assert seen["description"] == items[0].body


def test_per_element_failures_do_not_stop_the_others(sb: Sandbox) -> None:
    tracker = make_tracker(sb)
    items = [item(0), item(1, assignee="nobody-here"), item(2)]

    results = tracker.create_many(items)

    assert results[0].issue is not None and results[2].issue is not None
    assert results[1].issue is None
    assert results[1].error is not None and "assignee" in results[1].error and "nobody-here" in results[1].error
    assert len(sb.jira.issues("PM")) == 2


def test_all_failed_chunk_is_per_element_too(sb: Sandbox) -> None:
    tracker = make_tracker(sb)
    results = tracker.create_many([item(0, labels=("has space",)), item(1, labels=("another one",))])
    assert [r.issue for r in results] == [None, None]
    assert all(r.error and "contains spaces" in r.error for r in results)


def test_list_pages_and_maps_fields(sandbox_factory: Any) -> None:
    for deployment in ("Cloud", "Server"):
        sb = sandbox_factory(jira_deployment=deployment, jira_dc_search_max_results=50)
        tracker = make_tracker(sb)
        tracker.create_many([item(n) for n in range(120)])
        sb.reset_counts()

        issues = tracker.list_issues(label=BASE, updated_since=None)

        assert len(issues) == 120
        assert len({i.key for i in issues}) == 120
        assert searches(sb) == (2 if deployment == "Cloud" else 3)  # Cloud 100/page; this DC caps at 50
        one = issues[5]
        assert one.action_id == "pm-2026-01-db/5"
        assert (one.state, one.status_name, one.priority, one.due) == ("open", "To Do", "P1", dt.date(2026, 3, 1))
        assert one.updated is not None


def test_delta_listing_returns_only_changed_issues(sb: Sandbox) -> None:
    tracker = make_tracker(sb)
    created = tracker.create_many([item(n) for n in range(30)])
    watermark = dt.datetime.now(dt.UTC)
    sb.advance_time(30 * 60)  # everything above is now half an hour old
    changed = created[7].issue
    assert changed is not None
    sb.jira.set_fields(changed.key, summary="Edited by a person")
    sb.reset_counts()

    delta = tracker.list_issues(label=BASE, updated_since=watermark)

    assert [i.key for i in delta] == [changed.key]
    assert delta[0].title == "Edited by a person"
    assert searches(sb) == 1


def test_noop_resync_of_1000_is_two_requests(sb: Sandbox) -> None:
    make_tracker(sb).create_many([item(n) for n in range(1000)])
    assert bulk_posts(sb) == 20
    watermark = dt.datetime.now(dt.UTC)
    sb.advance_time(15 * 60)
    sb.reset_counts()

    fresh = make_tracker(sb)  # a new run connects again
    assert fresh.list_issues(label=BASE, updated_since=watermark) == []
    assert sb.counts()["total"] == 2  # serverInfo + one delta search


def test_status_pull_of_many_is_one_search_per_100_on_cloud(sandbox_factory: Any) -> None:
    sb = sandbox_factory()
    tracker = make_tracker(sb)
    tracker.create_many([item(n) for n in range(250)])
    sb.reset_counts()
    assert len(tracker.list_issues(label=BASE, updated_since=None)) == 250
    assert searches(sb) == 3
    assert sb.counts()["total"] == 3  # no GET per issue, no GET /field


def test_find_by_action_ids(sb: Sandbox) -> None:
    tracker = make_tracker(sb)
    results = tracker.create_many([item(n) for n in range(5)])
    key3 = results[3].issue.key  # type: ignore[union-attr]
    sb.jira.set_fields(key3, description="a person rewrote the description")  # body marker gone
    sb.reset_counts()

    found = tracker.find_by_action_ids(["pm-2026-01-db/1", "pm-2026-01-db/3", "missing/9"], label=BASE)

    assert sorted(found) == ["pm-2026-01-db/1", "pm-2026-01-db/3"]
    assert found["pm-2026-01-db/3"].key == key3  # found by its marker label
    assert found["pm-2026-01-db/3"].action_id == "pm-2026-01-db/3"
    assert searches(sb) == 1


def test_find_keeps_the_oldest_of_duplicates(sb: Sandbox) -> None:
    tracker = make_tracker(sb)
    first = tracker.create_many([item(1)])[0].issue
    tracker.create_many([item(1)])
    found = tracker.find_by_action_ids(["pm-2026-01-db/1"], label=BASE)
    assert first is not None and found["pm-2026-01-db/1"].key == first.key


def test_update_keeps_labels_a_person_added(sb: Sandbox) -> None:
    tracker = make_tracker(sb)
    issue = tracker.create_many([item(0)])[0].issue
    assert issue is not None
    sb.jira.set_fields(issue.key, labels=[*issue.labels, "customer-acme"])
    sb.reset_counts()

    change = Change(title="Alert on replication lag", labels_add=("phase:respond",), labels_remove=("phase:detect",),
                    due=dt.date(2026, 4, 1), priority="P0", assignee=DANA[sb.config.jira_deployment],
                    fields=("title", "labels", "due", "priority", "assignee"))
    tracker.update(issue, change)

    seen = sb.jira.issue(issue.key)
    assert sorted(seen["labels"]) == sorted([BASE, marker_label(item(0).action_id), "customer-acme", "phase:respond"])
    assert (seen["summary"], seen["duedate"], seen["priority"], seen["assignee"]) == (
        "Alert on replication lag", "2026-04-01", "Highest", "dana")
    assert sb.counts()["by_endpoint"] == {"jira PUT /rest/api/2/issue/{issueIdOrKey}": 1}  # no re-GET

    tracker.update(issue, Change(clear_due=True, clear_assignee=True))
    seen = sb.jira.issue(issue.key)
    assert (seen["duedate"], seen["assignee"]) == (None, None)


def test_empty_change_sends_nothing(sb: Sandbox) -> None:
    tracker = make_tracker(sb)
    issue = tracker.create_many([item(0)])[0].issue
    assert issue is not None
    sb.reset_counts()
    tracker.update(issue, Change())
    assert sb.counts()["total"] == 0


def _reread(tracker: JiraTracker, key: str) -> RemoteIssue:
    return next(i for i in tracker.list_issues(label=BASE, updated_since=None) if i.key == key)


def test_close_as_done_and_as_dropped(sb: Sandbox) -> None:
    tracker = make_tracker(sb)
    done, dropped = (r.issue for r in tracker.create_many([item(0), item(1)]))
    assert done is not None and dropped is not None
    sb.reset_counts()

    tracker.close(done, dropped=False)
    tracker.close(dropped, dropped=True)

    assert sb.counts()["by_endpoint"] == {
        "jira GET /rest/api/2/issue/{issueIdOrKey}/transitions": 2,
        "jira POST /rest/api/2/issue/{issueIdOrKey}/transitions": 2,
    }
    assert (sb.jira.issue(done.key)["status"], sb.jira.issue(done.key)["resolution"]) == ("Done", "Done")
    assert sb.jira.issue(dropped.key)["resolution"] == "Won't Do"
    again = _reread(tracker, done.key)
    assert again.state == "done" and again.done_at is not None
    assert _reread(tracker, dropped.key).state == "dropped"

    sb.reset_counts()
    tracker.close(again, dropped=False)  # already done: nothing to do
    assert sb.counts()["total"] == 0


@pytest.mark.parametrize(
    ("to", "resolution", "state", "status"),
    [
        ("In Progress", None, "open", "In Progress"),
        ("Done", None, "done", "Done"),
        ("Won't Do", None, "dropped", "Won't Do"),
        ("Done", "Duplicate", "dropped", "Done"),
        ("Done", "Cannot Reproduce", "dropped", "Done"),
    ],
)
def test_status_mapping_after_a_person_transitions(
    sb: Sandbox, to: str, resolution: str | None, state: str, status: str
) -> None:
    tracker = make_tracker(sb)
    issue = tracker.create_many([item(0)])[0].issue
    assert issue is not None
    sb.jira.transition(issue.key, to, resolution=resolution)

    seen = _reread(tracker, issue.key)

    assert (seen.state, seen.status_name) == (state, status)
    assert (seen.done_at is None) == (state == "open")
