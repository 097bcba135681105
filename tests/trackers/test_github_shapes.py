"""GitHubTracker request shapes, checked on the wire with `responses` (no server needed)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import responses
from responses import matchers

from actiontrack.trackers.base import Change, IssueFields, RemoteIssue
from actiontrack.trackers.github import GitHubTracker
from actiontrack.trackers.github_kind import GitHubSettings
from actiontrack.trackers.markers import body_marker
from actiontrack.trackers.retry import RetryPolicy

API = "https://api.github.com:443"  # PyGithub puts the port in every URL it sends
REPO = f"{API}/repos/acme/ops"
TOKEN = "ghp_unit_secret_token"


def tracker(**settings: Any) -> GitHubTracker:
    """Retries without sleeping, so an unexpected failure shows at once."""
    return GitHubTracker(GitHubSettings(repo="acme/ops", **settings), token=TOKEN, write_interval=0,
                         retry=RetryPolicy(max_attempts=2, sleep=lambda _: None))


def issue_json(number: int, *, labels: tuple[str, ...] = ("actiontrack",), pull: bool = False,
               **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": number, "html_url": f"https://github.com/acme/ops/issues/{number}",
        "title": f"Issue {number}", "body": body_marker(f"act-{number}", html_comment=True),
        "labels": [{"name": n} for n in labels], "assignees": [], "assignee": None,
        "milestone": None, "state": "open", "state_reason": None, "closed_at": None,
        "updated_at": "2026-11-20T10:00:00Z",
    }
    if pull:
        out["pull_request"] = {"url": "x"}
    return {**out, **extra}


def remote(labels: tuple[str, ...]) -> RemoteIssue:
    return RemoteIssue(key="7", remote_id="7", url="u", action_id="act-7", title="t",
                       body=body_marker("act-7", html_comment=True), labels=labels, assignee=None,
                       due=None, priority=None, state="open", updated="2026-11-20T10:00:00Z")


def sent(call: Any) -> Any:
    return json.loads(call.request.body)


@responses.activate
def test_create_payload_carries_marker_labels_assignee_and_milestone() -> None:
    responses.get(f"{REPO}/labels", json=[{"name": "actiontrack"}, {"name": "phase:detect"}])
    responses.post(f"{REPO}/labels", status=201, json={"name": "priority:P1"})
    responses.get(f"{REPO}/milestones", json=[{"title": "due-2026-12-01", "number": 4}],
                  match=[matchers.query_param_matcher({"state": "all", "per_page": "100"})])
    responses.post(f"{REPO}/issues", status=201, json=issue_json(9))
    item = IssueFields(action_id="act-9", postmortem_id="pm", title="x" * 300, body="Fix it",
                       labels=("actiontrack", "phase:detect"), assignee="dana",
                       due=dt.date(2026, 12, 1), priority="P1")

    [created] = tracker().create_many([item])

    assert created.issue is not None and created.error is None
    label_post, issue_post = (c for c in responses.calls if c.request.method == "POST")
    assert sent(label_post)["name"] == "priority:P1"
    payload = sent(issue_post)
    assert set(payload) == {"title", "body", "labels", "assignees", "milestone"}
    assert len(payload["title"]) == 256
    assert "<!-- actiontrack-id: act-9 -->" in payload["body"]
    assert payload["labels"] == ["actiontrack", "phase:detect", "priority:P1"]
    assert payload["assignees"] == ["dana"]
    assert payload["milestone"] == 4


@responses.activate
def test_label_that_already_exists_counts_as_created() -> None:
    responses.get(f"{REPO}/labels", json=[])
    responses.post(f"{REPO}/labels", status=422, json={
        "message": "Validation Failed",
        "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}]})
    responses.post(f"{REPO}/issues", status=201, json=issue_json(3))
    item = IssueFields(action_id="act-3", postmortem_id="pm", title="t", body="b", labels=("actiontrack",))

    [created] = tracker().create_many([item])

    assert created.error is None


@responses.activate
def test_body_due_mode_writes_a_due_line_and_no_milestone() -> None:
    responses.get(f"{REPO}/labels", json=[{"name": "actiontrack"}])
    responses.post(f"{REPO}/issues", status=201, json=issue_json(3))
    item = IssueFields(action_id="act-3", postmortem_id="pm", title="t", body="Fix it",
                       labels=("actiontrack",), due=dt.date(2026, 12, 1))

    tracker(due="body").create_many([item])

    payload = sent(responses.calls[-1])
    assert "milestone" not in payload
    assert "Due: 2026-12-01" in payload["body"]


@responses.activate
def test_patch_keeps_labels_people_added_and_sends_only_changed_fields() -> None:
    responses.get(f"{REPO}/labels", json=[{"name": "actiontrack"}, {"name": "category:detect"}])
    responses.patch(f"{REPO}/issues/7", json=issue_json(7))
    issue = remote(("actiontrack", "phase:mitigate", "customer-impact"))

    tracker().update(issue, Change(labels_add=("category:detect",), labels_remove=("phase:mitigate",)))

    patch = sent(responses.calls[-1])
    assert patch == {"labels": ["actiontrack", "customer-impact", "category:detect"]}


@responses.activate
def test_priority_change_replaces_the_old_priority_label() -> None:
    responses.get(f"{REPO}/labels", json=[{"name": "priority:P0"}])
    responses.patch(f"{REPO}/issues/7", json=issue_json(7))

    tracker().update(remote(("actiontrack", "priority:P2", "team:db")), Change(priority="P0"))

    assert sent(responses.calls[-1]) == {"labels": ["actiontrack", "team:db", "priority:P0"]}


@responses.activate
def test_clearing_due_and_assignee_sends_null_milestone_and_no_assignees() -> None:
    responses.patch(f"{REPO}/issues/7", json=issue_json(7))

    tracker().update(remote(("actiontrack",)), Change(clear_due=True, clear_assignee=True, title="New"))

    assert sent(responses.calls[-1]) == {"title": "New", "milestone": None, "assignees": []}


@responses.activate
def test_update_that_changes_nothing_sends_nothing() -> None:
    tracker().update(remote(("actiontrack", "phase:detect")), Change(labels_add=("phase:detect",)))

    assert len(responses.calls) == 0


@responses.activate
def test_close_sends_the_state_reason() -> None:
    responses.patch(f"{REPO}/issues/7", json=issue_json(7))
    gh = tracker()

    gh.close(remote(()), dropped=True)
    gh.close(remote(()), dropped=False)

    assert [sent(c) for c in responses.calls] == [
        {"state": "closed", "state_reason": "not_planned"},
        {"state": "closed", "state_reason": "completed"},
    ]


@responses.activate
def test_list_sends_label_since_and_page_size_and_follows_link() -> None:
    first = {"state": "all", "labels": "actiontrack", "since": "2026-11-20T09:00:00Z",
             "sort": "created", "direction": "asc", "per_page": "100"}
    responses.get(f"{REPO}/issues", match=[matchers.query_param_matcher(first)],
                  json=[issue_json(1), issue_json(2, pull=True)],
                  headers={"Link": '<https://api.github.com/repositories/1/issues?page=2>; rel="next"'})
    responses.get(f"{API}/repositories/1/issues", json=[issue_json(3), issue_json(1)],
                  match=[matchers.query_param_matcher({"page": "2"})])
    since = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))

    issues = tracker().list_issues(label="actiontrack", updated_since=since)

    assert [i.key for i in issues] == ["1", "3"]  # the PR is skipped, a repeat is dropped
    assert len(responses.calls) == 2


@responses.activate
def test_find_by_action_ids_stops_when_everything_is_found() -> None:
    responses.get(f"{REPO}/issues", json=[issue_json(1), issue_json(2)],
                  headers={"Link": '<https://api.github.com/repositories/1/issues?page=2>; rel="next"'})

    found = tracker().find_by_action_ids(["act-2"], label="actiontrack")

    assert found["act-2"].key == "2"
    assert len(responses.calls) == 1


@responses.activate
def test_enterprise_base_url_prefixes_every_path() -> None:
    ghe = "https://ghe.example.com/api/v3"
    responses.get("https://ghe.example.com:443/api/v3/user", json={"login": "pm-bot"})
    responses.get("https://ghe.example.com:443/api/v3/repos/acme/ops/issues", json=[])

    gh = tracker(base_url=ghe)

    assert gh.check_auth() == "pm-bot"
    assert gh.list_issues(label="actiontrack", updated_since=None) == []


@responses.activate
def test_a_refused_create_is_reported_for_that_item_and_the_batch_goes_on() -> None:
    responses.get(f"{REPO}/labels", json=[{"name": "actiontrack"}])
    responses.post(f"{REPO}/issues", status=422, json={
        "message": "Validation Failed",
        "errors": [{"resource": "Issue", "field": "assignees", "code": "invalid", "value": "ghost"}]})
    responses.post(f"{REPO}/issues", status=201, json=issue_json(5))
    items = [IssueFields(action_id=a, postmortem_id="pm", title="t", body="b", labels=("actiontrack",))
             for a in ("act-4", "act-5")]

    bad, good = tracker().create_many(items)

    assert bad.issue is None and bad.error is not None
    assert "Validation Failed" in bad.error and "assignees invalid" in bad.error and "422" in bad.error
    assert good.issue is not None


@pytest.mark.parametrize("write_interval", [0.0, 1.0])
def test_client_is_built_without_pygithub_retry_and_with_write_spacing(write_interval: float) -> None:
    gh = GitHubTracker(GitHubSettings(repo="acme/ops"), token=TOKEN, write_interval=write_interval)

    requester = gh._gh.requester
    assert requester.per_page == 100
    assert requester.is_lazy
    assert gh.name == "github" and gh.target == "acme/ops" and gh.base_url == "https://api.github.com"
