"""Jira search: Cloud enhanced /search/jql (cursor, lag, reconcile), DC classic /search, JQL."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from jira import JIRA, JIRAError

from actiontrack.sandbox import Sandbox

TASK = {"project": {"key": "PM"}, "issuetype": {"id": "10002"}}


def seed(jira: JIRA, count: int, **extra: Any) -> list[str]:
    keys: list[str] = []
    for start in range(0, count, 50):
        batch = [{**TASK, "summary": f"item {n}", **extra}
                 for n in range(start, min(start + 50, count))]
        keys += [r["issue"].key for r in jira.create_issues(batch, prefetch=False)]
    return keys


def test_search_issues_on_cloud_follows_next_page_token(sandbox: Sandbox, jira: JIRA) -> None:
    seed(jira, 230, labels=["pm-sync"])
    sandbox.reset_counts()
    found = jira.search_issues('project = PM AND labels = "pm-sync"', maxResults=0,
                               fields="summary,labels")
    assert len(found) == 230
    assert len({i.key for i in found}) == 230
    assert sandbox.count("jira", "GET", "/rest/api/2/search/jql") == 3  # pages of 100
    assert sandbox.count("jira", "GET", "/rest/api/2/field") == 1
    assert sandbox.count("jira", endpoint="/rest/api/2/search") == 0


def test_default_max_results_fetches_one_page_only(sandbox: Sandbox, jira: JIRA) -> None:
    seed(jira, 60)
    page = jira.search_issues("project = PM", fields="summary")
    assert len(page) == 50


def test_enhanced_search_page_and_token(sandbox: Sandbox, jira: JIRA) -> None:
    seed(jira, 5)
    first = jira.enhanced_search_issues("project = PM ORDER BY key DESC", maxResults=2,
                                        fields="summary")
    assert [i.key for i in first] == ["PM-5", "PM-4"]
    assert first.nextPageToken
    second = jira.enhanced_search_issues("project = PM ORDER BY key DESC", maxResults=2,
                                         fields="summary", nextPageToken=first.nextPageToken)
    assert [i.key for i in second] == ["PM-3", "PM-2"]
    posted = jira.enhanced_search_issues("project = PM", maxResults=0, fields="summary",
                                         use_post=True)
    assert len(posted) == 5


def test_enhanced_response_shape_no_total_default_fields_id(sandbox: Sandbox,
                                                            jira: JIRA) -> None:
    seed(jira, 3)
    url = f"{sandbox.jira_url}/rest/api/3/search/jql"
    body = requests.get(url, params={"jql": "project = PM", "maxResults": 2},
                        auth=sandbox.jira_basic_auth, timeout=5).json()
    assert set(body) == {"issues", "nextPageToken", "isLast"}
    assert body["issues"][0] == {"id": "10001"}
    assert body["isLast"] is False
    last = requests.get(url, params={"jql": "project = PM", "maxResults": 2,
                                     "nextPageToken": body["nextPageToken"]},
                        auth=sandbox.jira_basic_auth, timeout=5).json()
    assert last["isLast"] is True
    assert "nextPageToken" not in last
    assert "total" not in last


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"jql": "order by key"}, "Unbounded JQL queries are not allowed here"),
        ({"jql": ""}, "Unbounded JQL"),
        ({"jql": "project = PM", "maxResults": 5001}, "between 1 and 5,000"),
        ({"jql": "project = PM", "nextPageToken": "garbage"}, "token"),
        ({"jql": "project = NOPE"}, "The value 'NOPE' does not exist for the field 'project'."),
        ({"jql": "foo = bar"}, "Field 'foo' does not exist"),
        ({"jql": "key in (PM-99)"}, "An issue with key 'PM-99' does not exist"),
        ({"jql": "project = PM AND (labels = a"}, "Error in the JQL Query"),
        ({"jql": "updated >= '2025-13-45'"}, "is invalid"),
    ],
)
def test_search_jql_rejects_bad_requests(sandbox: Sandbox, params: dict[str, Any],
                                         message: str) -> None:
    resp = requests.get(f"{sandbox.jira_url}/rest/api/2/search/jql", params=params,
                        auth=sandbox.jira_basic_auth, timeout=5)
    assert resp.status_code == 400
    assert message in resp.json()["errorMessages"][0]


def test_jql_subset(sandbox: Sandbox, jira: JIRA) -> None:
    a, b, c, d = seed(jira, 4)
    jira.issue(a).update(fields={"labels": ["pm-sync", "pm-item-1"]})
    jira.issue(b).update(fields={"labels": ["pm-sync", "pm-item-2"], "priority": {"name": "High"}})
    jira.transition_issue(b, "31")
    jira.transition_issue(c, "21")

    def keys(query: str) -> list[str]:
        return [i.key for i in jira.search_issues(query, maxResults=0, fields="summary")]

    assert keys("project = PM AND labels = pm-sync") == [a, b]
    assert keys('labels in ("pm-item-2", "pm-item-9")') == [b]
    assert keys(f"key in ({a}, {d}) ORDER BY key DESC") == [d, a]
    assert keys("id in (10003)") == [c]
    assert keys("project = PM AND statusCategory = Done") == [b]
    assert keys("project = PM AND statusCategory != Done") == [a, c, d]
    assert keys('project = PM AND status = "In Progress"') == [c]
    assert keys("labels != pm-item-1") == [b]  # Jira: != never matches empty fields
    assert keys("project = PM AND labels is EMPTY") == [c, d]
    assert keys(f"(key = {a} OR key = {c}) AND project = PM") == [a, c]
    assert keys("project = PM AND NOT statusCategory = new") == [b, c]
    assert keys("project = PM AND priority = High") == [b]
    assert keys("project = PM ORDER BY priority DESC, key DESC")[0] == b
    assert keys("project = PM AND updated >= -15m") == [a, b, c, d]
    assert keys('project = PM AND updated >= "2000-01-01 00:00"') == [a, b, c, d]
    assert keys('project = PM AND updated < "2000/01/01"') == []
    assert keys('project = PM AND summary ~ "item 2"') == [c]
    sandbox.advance_time(3600)
    assert keys("project = PM AND updated >= -15m") == []


def test_search_lag_hides_recent_writes_until_reconciled(sandbox_factory: Any,
                                                        make_jira: Any) -> None:
    sb = sandbox_factory(search_lag_ms=60_000)
    jira = make_jira(sb)
    old = jira.create_issue(fields={**TASK, "summary": "old"}, prefetch=False)
    sb.advance_time(120)
    new = jira.create_issue(fields={**TASK, "summary": "new"}, prefetch=False)
    jira.issue(old.key).update(fields={"summary": "old edited"})
    found = jira.enhanced_search_issues("project = PM", maxResults=0, fields="summary")
    assert [(i.key, i.fields.summary) for i in found] == [(old.key, "old")]  # stale + missing
    both = jira.enhanced_search_issues("project = PM", maxResults=0, fields="summary",
                                       reconcileIssues=[int(old.id), int(new.id)])
    assert [(i.key, i.fields.summary) for i in both] == [(old.key, "old edited"),
                                                         (new.key, "new")]
    sb.advance_time(61)
    assert len(jira.enhanced_search_issues("project = PM", maxResults=0)) == 2


def test_reconcile_limits(sandbox: Sandbox, jira: JIRA) -> None:
    with pytest.raises(JIRAError) as err:
        jira.enhanced_search_issues("project = PM", reconcileIssues=list(range(51)))
    assert err.value.status_code == 400


def test_properties_returned_in_search(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields={**TASK, "summary": "x"}, prefetch=False)
    jira.add_issue_property(issue.key, "pmsync", {"itemId": "7f3c9a"})
    raw = jira.enhanced_search_issues("project = PM", fields="summary", properties="pmsync",
                                      json_result=True)
    assert raw["issues"][0]["properties"] == {"pmsync": {"itemId": "7f3c9a"}}


def test_cloud_old_search_is_gone(sandbox: Sandbox, make_jira: Any) -> None:
    for version in ("2", "3", "latest"):
        resp = requests.get(f"{sandbox.jira_url}/rest/api/{version}/search",
                            params={"jql": "project = PM"}, auth=sandbox.jira_basic_auth,
                            timeout=5)
        assert resp.status_code == 410
        assert "CHANGE-2046" in resp.json()["errorMessages"][0]
    blind = make_jira(sandbox, get_server_info=False)  # never learns it is Cloud
    with pytest.raises(JIRAError) as err:
        blind.search_issues("project = PM")
    assert err.value.status_code == 410


def test_dc_classic_search_pages_with_start_at(sandbox_dc: Sandbox, jira_dc: JIRA) -> None:
    seed(jira_dc, 120)
    sandbox_dc.reset_counts()
    found = jira_dc.search_issues("project = PM", maxResults=0, fields="summary")
    assert len(found) == 120
    assert found.total == 120
    assert sandbox_dc.count("jira", "GET", "/rest/api/2/search") == 2
    page = jira_dc.search_issues("project = PM ORDER BY key", startAt=100, maxResults=50)
    assert [i.key for i in page][:2] == ["PM-101", "PM-102"]
    assert jira_dc.enhanced_search_issues("project = PM") is None  # client refuses on DC
    resp = requests.get(f"{sandbox_dc.jira_url}/rest/api/2/search/jql",
                        params={"jql": "project = PM"}, timeout=5,
                        headers={"Authorization": f"Bearer {sandbox_dc.jira_token}"})
    assert resp.status_code == 404


def test_dc_classic_search_response_shape(sandbox_dc: Sandbox, jira_dc: JIRA) -> None:
    seed(jira_dc, 3)
    body = jira_dc.search_issues("project = PM", maxResults=2, json_result=True)
    assert (body["startAt"], body["maxResults"], body["total"]) == (0, 2, 3)
    assert "summary" in body["issues"][0]["fields"]
