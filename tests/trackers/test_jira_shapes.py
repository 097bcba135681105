"""Request shapes and pure translation, without a server (`responses` stands in for Jira).

These pin what the emulator cannot show: exact payloads, odd answers real sites give,
and how failures are classified for the retry policy.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from jira.exceptions import JIRAError
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from actiontrack.errors import AmbiguousWriteError, ConfigError, TrackerError
from actiontrack.trackers import jira_payload as payload
from actiontrack.trackers import jira_workflow as workflow
from actiontrack.trackers.base import Change, IssueFields, RemoteIssue
from actiontrack.trackers.jira import JiraTracker
from actiontrack.trackers.jira_kind import JiraSettings
from actiontrack.trackers.jira_wire import classify, retry_after
from actiontrack.trackers.retry import RetryPolicy

SERVER = "https://acme.atlassian.net"
REST = f"{SERVER}/rest/api/2"
SETTINGS = JiraSettings(url=SERVER, project="OPS")
CLOUD = payload.Flavour(cloud=True, server=SERVER, settings=SETTINGS)
DC = payload.Flavour(cloud=False, server=SERVER, settings=SETTINGS.model_copy(update={"auth": "pat"}))


def fields(**overrides: Any) -> IssueFields:
    values: dict[str, Any] = {"action_id": "pm-1/1", "postmortem_id": "pm-1", "title": "Add alert",
                              "body": "text\nactiontrack-id: pm-1/1", "labels": ("actiontrack", "at-1")}
    values.update(overrides)
    return IssueFields(**values)


# -- payloads --------------------------------------------------------------------------------


def test_create_element_uses_key_and_name_so_the_client_needs_no_lookups() -> None:
    element = payload.create_element(
        fields(due=dt.date(2026, 2, 3), assignee="5b10ac8d", priority="P0", labels=("a", "b", "a")), CLOUD)
    assert element == {"fields": {
        "project": {"key": "OPS"}, "issuetype": {"name": "Task"}, "summary": "Add alert",
        "description": "text\nactiontrack-id: pm-1/1", "labels": ["a", "b"], "duedate": "2026-02-03",
        "assignee": {"accountId": "5b10ac8d"}, "priority": {"name": "Highest"},
    }, "properties": [{"key": "actiontrack", "value": {"id": "pm-1/1", "v": 1}}]}
    assert payload.create_element(fields(assignee="dana"), DC)["fields"]["assignee"] == {"name": "dana"}


def test_create_element_leaves_out_what_is_unset_or_unmapped() -> None:
    got = payload.create_element(fields(priority="P9"), CLOUD)["fields"]
    assert not {"duedate", "assignee", "priority"} & got.keys()


def test_summary_is_one_line_of_at_most_255() -> None:
    assert payload.summary("  two\nlines\t here ") == "two lines here"
    long = payload.summary("x" * 300)
    assert len(long) == 255 and long.endswith("…")


def test_edit_body_adds_and_removes_labels_instead_of_replacing() -> None:
    body = payload.edit_body(Change(title="T", labels_add=("phase:respond",), labels_remove=("phase:detect",)), CLOUD)
    assert body == {"fields": {"summary": "T"},
                    "update": {"labels": [{"add": "phase:respond"}, {"remove": "phase:detect"}]}}


def test_edit_body_clears_and_sets() -> None:
    assert payload.edit_body(Change(clear_due=True, clear_assignee=True, body="b"), DC) == {
        "fields": {"description": "b", "duedate": None, "assignee": None}}
    assert payload.edit_body(Change(assignee="dana", due=dt.date(2026, 1, 1), priority="P4"), DC) == {
        "fields": {"duedate": "2026-01-01", "assignee": {"name": "dana"}, "priority": {"name": "Lowest"}}}
    assert payload.edit_body(Change(), CLOUD) == {}


# -- JQL -------------------------------------------------------------------------------------


def test_delta_jql_is_relative_minutes_rounded_up_plus_one() -> None:
    now = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    since = now - dt.timedelta(seconds=90)
    assert payload.labelled_jql("OPS", "actiontrack", since, now) == (
        'project = "OPS" AND labels = "actiontrack" AND updated >= "-3m" ORDER BY key ASC')
    assert payload.minutes_since(now - dt.timedelta(minutes=10), now) == 11
    assert payload.minutes_since(now + dt.timedelta(minutes=5), now) == 1  # a future watermark
    naive = dt.datetime(2026, 1, 1, 11, 0)
    assert payload.minutes_since(naive, now) == 61  # naive means UTC
    assert "updated" not in payload.labelled_jql("OPS", "actiontrack", None, now)


def test_jql_strings_are_escaped() -> None:
    assert payload.jql_string('a"b\\c') == '"a\\"b\\\\c"'
    assert payload.markers_jql(["at-1", "at-2"]) == 'labels in ("at-1", "at-2") ORDER BY key ASC'
    assert payload.listing_jql("OPS", "actiontrack", None, dt.datetime(2024, 1, 1, tzinfo=dt.UTC), ["at-1"]) == (
        '(project = "OPS" AND (labels = "actiontrack" OR description ~ "\\"actiontrack-id\\"")) '
        'OR labels in ("at-1") ORDER BY key ASC')


# -- reading ---------------------------------------------------------------------------------


def raw_issue(status: str = "To Do", category: str = "new", resolution: str | None = None,
              **extra: Any) -> dict[str, Any]:
    issue_fields: dict[str, Any] = {
        "summary": "S", "description": "x\nactiontrack-id: pm-1/1", "labels": ["actiontrack"],
        "duedate": "2026-02-03", "assignee": {"accountId": "acc-1", "name": "dana"},
        "priority": {"name": "High"}, "status": {"name": status, "statusCategory": {"key": category}},
        "resolution": {"name": resolution} if resolution else None,
        "resolutiondate": "2026-01-05T10:15:30.000+0000" if resolution else None,
        "updated": "2026-01-05T10:15:30.000+0000",
    }
    issue_fields.update(extra)
    return {"id": "10042", "key": "OPS-42", "fields": issue_fields}


def test_remote_issue_maps_everything_back() -> None:
    issue = payload.remote_issue(raw_issue(), CLOUD)
    assert issue == RemoteIssue(
        key="OPS-42", remote_id="10042", url=f"{SERVER}/browse/OPS-42", action_id="pm-1/1", title="S",
        body="x\nactiontrack-id: pm-1/1", labels=("actiontrack",), assignee="acc-1", due=dt.date(2026, 2, 3),
        priority="P1", state="open", done_at=None, updated="2026-01-05T10:15:30.000+0000", status_name="To Do")
    assert payload.remote_issue(raw_issue(), DC).assignee == "dana"


@pytest.mark.parametrize(
    ("status", "category", "resolution", "state"),
    [("Closed", "done", "Fixed", "done"), ("Closed", "done", "Won't Fix", "dropped"),
     ("Won't Do", "done", None, "dropped"), ("Review", "indeterminate", None, "open")],
)
def test_state_comes_from_category_and_resolution(status: str, category: str, resolution: str | None,
                                                  state: str) -> None:
    issue = payload.remote_issue(raw_issue(status, category, resolution), CLOUD)
    assert issue.state == state
    assert (issue.done_at is not None) == (resolution is not None and state != "open")


def test_unmapped_priority_and_odd_values() -> None:
    issue = payload.remote_issue(raw_issue(priority={"name": "Blocker"}, description={"type": "doc"},
                                           duedate="garbage", assignee=None), CLOUD)
    assert (issue.priority, issue.body, issue.action_id, issue.due, issue.assignee) == (
        "Blocker", "", None, None, None)


# -- choosing a transition ---------------------------------------------------------------------


def transition(tid: str, name: str, category: str = "done", **extra: Any) -> dict[str, Any]:
    return {"id": tid, "name": name, "to": {"name": name, "statusCategory": {"key": category}}, **extra}


OFFERED = [transition("11", "To Do", "new"), transition("31", "Done"), transition("41", "Won't Do")]


def test_choose_prefers_wont_do_for_dropped_and_done_otherwise() -> None:
    assert workflow.choose(OFFERED, dropped=True, settings=SETTINGS).transition_id == "41"
    assert workflow.choose(OFFERED, dropped=False, settings=SETTINGS).transition_id == "31"


def test_choose_sets_a_dropped_resolution_when_the_screen_has_one() -> None:
    screen = {"resolution": {"required": False, "allowedValues": [{"name": "Fixed"}, {"name": "Won't Fix"}]}}
    offered = [transition("5", "Resolve", fields=screen)]
    closing = workflow.choose(offered, dropped=True, settings=SETTINGS)
    assert (closing.transition_id, closing.fields, closing.dropped) == ("5", {"resolution": {"name": "Won't Fix"}}, True)
    assert workflow.choose(offered, dropped=False, settings=SETTINGS).fields is None
    bare = workflow.choose([transition("31", "Done")], dropped=True, settings=SETTINGS)
    assert (bare.transition_id, bare.fields, bare.dropped) == ("31", None, False)  # the tracker warns

    required = {"resolution": {"required": True, "allowedValues": [{"name": "Won't Fix"}, {"name": "Fixed"}]}}
    closing = workflow.choose([transition("5", "Resolve", fields=required)], dropped=False, settings=SETTINGS)
    assert closing.fields == {"resolution": {"name": "Fixed"}}


def test_choose_refuses_when_nothing_fits() -> None:
    with pytest.raises(workflow.NoClosingTransition, match="To Do"):
        workflow.choose([transition("11", "To Do", "new")], dropped=False, settings=SETTINGS)
    with pytest.raises(workflow.NoClosingTransition):
        workflow.choose([transition("41", "Won't Do")], dropped=False, settings=SETTINGS)


# -- classification ------------------------------------------------------------------------------


def jira_error(status: int, headers: dict[str, str] | None = None) -> JIRAError:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers or {})
    return JIRAError("x", status_code=status, response=response)


def test_classify() -> None:
    refused = requests.exceptions.ConnectionError(
        MaxRetryError(None, "/", NewConnectionError(None, "refused")))  # type: ignore[arg-type]
    dropped = requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError()))
    cases = {
        "refused": (refused, False), "dropped": (dropped, True),
        "read timeout": (requests.exceptions.ReadTimeout(), True),
        "connect timeout": (requests.exceptions.ConnectTimeout(), False),
        "chunked": (requests.exceptions.ChunkedEncodingError(), True),
        "500": (jira_error(500), True), "502": (jira_error(502), True), "504": (jira_error(504), True),
        "503": (jira_error(503), False), "429": (jira_error(429, {"Retry-After": "4"}), False),
    }
    for name, (exc, ambiguous) in cases.items():
        transient = classify(exc)
        assert transient is not None, name
        assert transient.ambiguous is ambiguous, name
    assert classify(jira_error(429, {"Retry-After": "4"})).retry_after == 4.0  # type: ignore[union-attr]
    for permanent in (jira_error(400), jira_error(401), jira_error(404), ValueError("x")):
        assert classify(permanent) is None


def test_retry_after_accepts_an_http_date() -> None:
    response = requests.Response()
    response.headers["Retry-After"] = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert retry_after(response) == 0.0
    response.headers["Retry-After"] = "soon"
    assert retry_after(response) is None


# -- through the client with `responses` ----------------------------------------------------------


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{REST}/serverInfo", json={"deploymentType": "Cloud", "versionNumbers": [1001, 0, 0],
                                             "serverTime": "2026-01-01T00:00:00.000+0000"})
        yield rsps


def tracker(**kwargs: Any) -> JiraTracker:
    return JiraTracker(SETTINGS, token="t0ken", email="me@acme.com",
                       retry=RetryPolicy(sleep=lambda _s: None, max_attempts=2), **kwargs)


def bodies(rsps: responses.RequestsMock, path: str) -> list[Any]:
    return [json.loads(c.request.body or "null") for c in rsps.calls if c.request.url.startswith(f"{REST}/{path}")]


def test_cloud_search_body_and_paging_stops_on_an_empty_page(mocked: responses.RequestsMock) -> None:
    mocked.post(f"{REST}/search/jql", json={"issues": [raw_issue()], "nextPageToken": "p2"})
    mocked.post(f"{REST}/search/jql", json={"issues": [], "nextPageToken": "p3"})  # a cursor that would go on

    issues = tracker().list_issues(label="actiontrack", updated_since=None)

    assert len(issues) == 1
    first, second = bodies(mocked, "search/jql")
    assert first == {"jql": 'project = "OPS" AND (labels = "actiontrack" OR description ~ "\\"actiontrack-id\\"")'
                            ' ORDER BY key ASC',
                     "fields": list(payload.SEARCH_FIELDS), "maxResults": 100, "properties": ["actiontrack"]}
    assert second["nextPageToken"] == "p2"
    assert not any("/field" in c.request.url for c in mocked.calls)


def test_search_gives_up_after_the_page_cap(mocked: responses.RequestsMock) -> None:
    mocked.post(f"{REST}/search/jql", json={"issues": [raw_issue()], "nextPageToken": "again"})
    mocked.post(f"{REST}/search/jql", json={"issues": [raw_issue()], "nextPageToken": "again-2"})
    capped = tracker()
    capped.max_pages = 2
    with pytest.raises(TrackerError, match="did not end"):
        capped.list_issues(label="actiontrack", updated_since=None)


def test_bulk_with_a_plain_error_collection_fails_each_element(mocked: responses.RequestsMock) -> None:
    mocked.post(f"{REST}/issue/bulk", status=400, json={"errorMessages": ["Issue type is required."], "errors": {}})
    results = tracker().create_many([fields(), fields(action_id="pm-1/2")])
    assert [r.error for r in results] == ["Issue type is required."] * 2


def test_bulk_answer_that_does_not_add_up_is_ambiguous(mocked: responses.RequestsMock) -> None:
    mocked.post(f"{REST}/issue/bulk", status=201, json={"issues": [{"id": "1", "key": "OPS-1"}], "errors": []})
    with pytest.raises(AmbiguousWriteError):
        tracker().create_many([fields(), fields(action_id="pm-1/2")])


def test_bulk_aligns_successes_around_failed_elements(mocked: responses.RequestsMock) -> None:
    mocked.post(f"{REST}/issue/bulk", status=201, json={
        "issues": [{"id": "1", "key": "OPS-1"}, {"id": "3", "key": "OPS-3"}],
        "errors": [{"status": 400, "failedElementNumber": 1,
                    "elementErrors": {"errorMessages": [], "errors": {"duedate": "Error parsing date"}}}]})
    results = tracker().create_many([fields(action_id=f"a/{n}") for n in range(3)])
    assert [(r.issue.key if r.issue else None, r.error) for r in results] == [
        ("OPS-1", None), (None, "duedate: Error parsing date"), ("OPS-3", None)]


def test_non_json_answer_is_a_tracker_error(mocked: responses.RequestsMock) -> None:
    mocked.post(f"{REST}/search/jql", body="<html>proxy login</html>", status=200)
    with pytest.raises(TrackerError, match="not JSON"):
        tracker().list_issues(label="actiontrack", updated_since=None)


def test_close_sends_the_resolution_the_screen_allows(mocked: responses.RequestsMock) -> None:
    screen = {"resolution": {"allowedValues": [{"name": "Fixed"}, {"name": "Duplicate"}]}}
    mocked.get(f"{REST}/issue/10042/transitions", json={"transitions": [transition("5", "Resolve", fields=screen)]})
    mocked.post(f"{REST}/issue/10042/transitions", status=204)
    issue = payload.remote_issue(raw_issue(), CLOUD)

    tracker().close(issue, dropped=True)

    assert "expand=transitions.fields" in mocked.calls[1].request.url
    assert bodies(mocked, "issue/10042/transitions")[-1] == {
        "transition": {"id": "5"}, "fields": {"resolution": {"name": "Duplicate"}}}


def test_no_closing_transition_is_explained(mocked: responses.RequestsMock) -> None:
    mocked.get(f"{REST}/issue/10042/transitions", json={"transitions": [transition("11", "Reopen", "new")]})
    with pytest.raises(TrackerError, match="Reopen"):
        tracker().close(payload.remote_issue(raw_issue(), CLOUD), dropped=False)


def test_configuration_is_checked_before_any_request() -> None:
    with pytest.raises(ConfigError, match="JIRA_EMAIL"):
        JiraTracker(SETTINGS, token="t", email=None)
    with pytest.raises(ConfigError):
        JiraTracker(SETTINGS.model_copy(update={"project": None}), token="t", email="e")


def test_repr_and_base_url_carry_no_credentials() -> None:
    settings = SETTINGS.model_copy(update={"url": "https://me:pw@acme.atlassian.net/"})
    shown = JiraTracker(settings, token="t0ken", email="me@acme.com")
    assert shown.base_url == "https://acme.atlassian.net"
    assert "t0ken" not in repr(shown) and "pw" not in repr(shown)
