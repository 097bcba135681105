"""Jira issue endpoints driven by the real `jira` client (and raw requests for edge bodies)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from jira import JIRA, JIRAError

from actiontrack.sandbox import Sandbox

TASK = {"project": {"key": "PM"}, "issuetype": {"id": "10002"}}


def fields(**extra: Any) -> dict[str, Any]:
    return {**TASK, "summary": "Add alert on replication lag", **extra}


def test_constructor_reads_server_info_and_detects_cloud(sandbox: Sandbox, jira: JIRA) -> None:
    assert jira.deploymentType == "Cloud"
    assert sandbox.count("jira", "GET", "/rest/api/2/serverInfo") == 1
    assert jira.myself()["accountId"]


def test_create_issue_returns_thin_body_and_prefetch_gets_it(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields=fields(labels=["pm-sync"], duedate="2025-12-01",
                                            priority={"name": "High"}))
    assert issue.key == "PM-1"
    assert issue.fields.status.statusCategory.key == "new"
    assert issue.fields.priority.name == "High"
    assert issue.fields.duedate == "2025-12-01"
    assert sandbox.count("jira", "GET", "/rest/api/2/issue/{issueIdOrKey}") == 1
    thin = jira.create_issue(fields=fields(), prefetch=False)
    assert thin.raw == {"id": thin.id, "key": "PM-2", "self": f"{sandbox.jira_url}/rest/api/2/issue/{thin.id}"}


def test_project_key_string_costs_a_project_lookup(sandbox: Sandbox, jira: JIRA) -> None:
    jira.create_issue(project="PM", issuetype="Task", summary="x", prefetch=False)
    assert sandbox.count("jira", "GET", "/rest/api/2/project/{projectIdOrKey}") == 2


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"summary": "two\nlines"}, "summary", "newline"),
        ({"labels": ["has space"]}, "labels", "contains spaces"),
        ({"duedate": "2025-13-01"}, "duedate", "Error parsing date string: 2025-13-01"),
        ({"duedate": "2025-1-01"}, "duedate", "Error parsing date string"),
        ({"duedate": "2025-12-01T00:00:00"}, "duedate", "Error parsing date string"),
        ({"customfield_10010": "x"}, "customfield_10010", "cannot be set. It is not on the"),
        ({"priority": {"name": "Urgent"}}, "priority", "priority"),
        ({"assignee": {"name": "dana"}}, "assignee", "accountId"),
    ],
)
def test_create_rejects_invalid_fields_with_jira_error_body(
    sandbox: Sandbox, extra: dict[str, Any], field: str, message: str
) -> None:
    resp = requests.post(f"{sandbox.jira_url}/rest/api/2/issue", json={"fields": fields(**extra)},
                         auth=sandbox.jira_basic_auth, timeout=5)
    assert resp.status_code == 400
    body = resp.json()
    assert body["errorMessages"] == []
    assert message in body["errors"][field]


def test_summary_is_required(sandbox: Sandbox, jira: JIRA) -> None:
    with pytest.raises(JIRAError) as err:
        jira.create_issue(fields=TASK)
    assert err.value.status_code == 400
    assert "You must specify a summary of the issue." in err.value.text


def test_bulk_create_partial_failure_maps_by_index(sandbox: Sandbox, jira: JIRA) -> None:
    items = [fields(summary="a"), fields(summary="b", duedate="2025-13-01"), fields(summary="c")]
    result = jira.create_issues(items, prefetch=False)
    assert [r["status"] for r in result] == ["Success", "Error", "Success"]
    assert result[1]["error"] == {"duedate": "Error parsing date string: 2025-13-01"}
    assert [r["issue"].key for r in result if r["issue"]] == ["PM-1", "PM-2"]
    raw = requests.post(f"{sandbox.jira_url}/rest/api/2/issue/bulk", auth=sandbox.jira_basic_auth,
                        json={"issueUpdates": [{"fields": f} for f in items]}, timeout=5)
    assert raw.status_code == 201
    assert raw.json()["errors"][0]["failedElementNumber"] == 1
    assert raw.json()["errors"][0]["elementErrors"]["errorMessages"] == []


def test_bulk_create_all_failed_is_400_and_client_still_parses(sandbox: Sandbox,
                                                               jira: JIRA) -> None:
    result = jira.create_issues([{**TASK}, {**TASK, "summary": "x\ny"}], prefetch=False)
    assert [r["status"] for r in result] == ["Error", "Error"]
    raw = requests.post(f"{sandbox.jira_url}/rest/api/2/issue/bulk", auth=sandbox.jira_basic_auth,
                        json={"issueUpdates": [{"fields": TASK}]}, timeout=5)
    assert raw.status_code == 400
    assert raw.json()["issues"] == []
    assert sandbox.jira.issues() == []


def test_bulk_create_over_50_rejected_without_creating(sandbox: Sandbox, jira: JIRA) -> None:
    updates = [{"fields": fields(summary=f"s{i}")} for i in range(51)]
    resp = requests.post(f"{sandbox.jira_url}/rest/api/2/issue/bulk", timeout=5,
                         auth=sandbox.jira_basic_auth, json={"issueUpdates": updates})
    assert resp.status_code == 400
    assert "50" in resp.json()["errorMessages"][0]
    # jira's create_issues does not chunk and expects per-element errors: a request-level
    # 400 surfaces as KeyError('issues'), so callers must chunk to 50 themselves.
    with pytest.raises(KeyError):
        jira.create_issues([u["fields"] for u in updates], prefetch=False)
    assert sandbox.jira.issues() == []
    ok = jira.create_issues([fields(summary=f"s{i}") for i in range(50)], prefetch=False)
    assert len(ok) == 50


def test_bulk_elements_can_carry_properties(sandbox: Sandbox, jira: JIRA) -> None:
    element = {"fields": fields(),
               "properties": [{"key": "pmsync", "value": {"itemId": "7f3c9a"}}]}
    raw = requests.post(f"{sandbox.jira_url}/rest/api/2/issue/bulk", auth=sandbox.jira_basic_auth,
                        json={"issueUpdates": [element]}, timeout=5)
    key = raw.json()["issues"][0]["key"]
    assert jira.issue_property(key, "pmsync").value.itemId == "7f3c9a"


def test_edit_issue_puts_then_reloads(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields=fields(labels=["a"]))
    sandbox.reset_counts()
    issue.update(fields={"summary": "New", "labels": ["a", "b"], "duedate": "2026-01-31",
                         "priority": {"id": "1"}, "description": "h3. text"})
    assert sandbox.count("jira", "PUT") == 1
    assert sandbox.count("jira", "GET") == 1  # jira re-GETs the issue after every update
    assert issue.fields.summary == "New"
    assert issue.fields.labels == ["a", "b"]
    assert issue.fields.priority.name == "Highest"
    issue.update(update={"labels": [{"add": "c"}, {"remove": "a"}]})
    assert issue.fields.labels == ["b", "c"]
    issue.update(fields={"duedate": None})
    assert issue.fields.duedate is None


def test_edit_rejects_unknown_and_project_fields(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields=fields(), prefetch=False)
    with pytest.raises(JIRAError) as err:
        issue.update(fields={"environment": "prod"})
    assert "Field 'environment' cannot be set" in err.value.text
    with pytest.raises(JIRAError):
        issue.update(fields={"summary": ""})


def test_assignee_cloud_account_id(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields=fields(assignee={"accountId": "5b10ac8d82e05b22cc7d4ef5"}))
    assert issue.fields.assignee.displayName == "Dana Ops"
    assert not hasattr(issue.fields.assignee, "name")


def test_assignee_dc_name(sandbox_dc: Sandbox, jira_dc: JIRA) -> None:
    issue = jira_dc.create_issue(fields=fields(assignee={"name": "dana"}))
    assert issue.fields.assignee.name == "dana"
    assert issue.fields.assignee.key == "JIRAUSER10100"
    with pytest.raises(JIRAError) as err:
        jira_dc.create_issue(fields=fields(assignee={"accountId": "x"}))
    assert err.value.status_code == 400


def test_priorities_and_fields_metadata(jira: JIRA) -> None:
    assert [p.name for p in jira.priorities()] == ["Highest", "High", "Medium", "Low", "Lowest"]
    names = {f["id"]: f["clauseNames"] for f in jira.fields()}
    assert "labels" in names["labels"]


def test_properties_roundtrip_and_404(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields=fields(), prefetch=False)
    resp = jira.add_issue_property(issue.key, "pmsync", {"hash": "c0ffee"})
    assert resp.status_code == 201
    assert jira.add_issue_property(issue.key, "pmsync", {"hash": "beef"}).status_code == 200
    assert jira.issue_property(issue.key, "pmsync").value.hash == "beef"
    with pytest.raises(JIRAError) as err:
        jira.issue_property(issue.key, "nope")
    assert err.value.status_code == 404


def test_remote_link_upserts_by_global_id(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields=fields(), prefetch=False)
    url = f"{sandbox.jira_url}/rest/api/2/issue/{issue.key}/remotelink"
    link = {"globalId": "pm:2025-11-03:1", "object": {"url": "https://wiki/pm", "title": "PM"}}
    first = requests.post(url, json=link, auth=sandbox.jira_basic_auth, timeout=5)
    link["object"]["title"] = "Postmortem"
    second = requests.post(url, json=link, auth=sandbox.jira_basic_auth, timeout=5)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    links = jira.remote_links(issue.key)
    assert len(links) == 1
    assert links[0].object.title == "Postmortem"


def test_get_missing_issue_and_delete(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields=fields(), prefetch=False)
    issue.delete()
    with pytest.raises(JIRAError) as err:
        jira.issue(issue.key)
    assert err.value.status_code == 404
    assert "Issue does not exist" in err.value.text


def test_v3_description_is_adf(sandbox: Sandbox) -> None:
    auth = sandbox.jira_basic_auth
    bad = requests.post(f"{sandbox.jira_url}/rest/api/3/issue", auth=auth, timeout=5,
                        json={"fields": fields(description="plain")})
    assert bad.status_code == 400
    assert "Atlassian Document" in bad.json()["errors"]["description"]
    created = requests.post(f"{sandbox.jira_url}/rest/api/2/issue", auth=auth, timeout=5,
                            json={"fields": fields(description="line one")}).json()
    v3 = requests.get(f"{sandbox.jira_url}/rest/api/3/issue/{created['key']}", auth=auth,
                      timeout=5).json()
    assert v3["fields"]["description"]["type"] == "doc"


def test_wrong_credentials_401(sandbox: Sandbox, make_jira: Any) -> None:
    with pytest.raises(JIRAError) as err:
        make_jira(sandbox, basic_auth=("demo@example.com", "wrong")).myself()
    assert err.value.status_code == 401
    assert "wrong" not in err.value.text
    anon = requests.get(f"{sandbox.jira_url}/rest/api/2/myself", timeout=5)
    assert anon.status_code == 401
    assert anon.json()["errorMessages"]
    bearer = requests.get(f"{sandbox.jira_url}/rest/api/2/myself", timeout=5,
                          headers={"Authorization": f"Bearer {sandbox.jira_token}"})
    assert bearer.status_code == 401  # Cloud does not take PATs as bearer tokens


def test_dc_pat_bearer_and_basic_password(sandbox_dc: Sandbox, jira_dc: JIRA,
                                          make_jira: Any) -> None:
    assert jira_dc.deploymentType == "Server"
    assert jira_dc.myself()["name"] == "demo"
    basic = make_jira(sandbox_dc, basic_auth=sandbox_dc.jira_basic_auth)
    assert basic.myself()["key"] == "JIRAUSER10000"
    with pytest.raises(JIRAError) as err:
        make_jira(sandbox_dc, basic_auth=("demo", sandbox_dc.jira_token)).myself()
    assert err.value.status_code == 401  # a PAT is not a basic-auth password on DC


EPIC = {"project": {"key": "PM"}, "issuetype": {"name": "Epic"}}


def test_cloud_parent_puts_a_task_under_an_epic_and_refuses_the_wrong_level(sandbox: Sandbox, jira: JIRA) -> None:
    epic = jira.create_issue(fields={**EPIC, "summary": "Postmortem: outage"})
    child = jira.create_issue(fields=fields(parent={"key": epic.key}))
    assert child.fields.parent.key == epic.key and child.fields.parent.fields.issuetype.name == "Epic"
    assert jira.issue(epic.key).fields.issuetype.hierarchyLevel == 1
    with pytest.raises(JIRAError) as wrong:
        jira.create_issue(fields=fields(parent={"key": child.key}))  # a Task cannot parent a Task
    assert "appropriate hierarchy" in wrong.value.text
    with pytest.raises(JIRAError) as missing:
        jira.create_issue(fields=fields(parent={"key": "PM-999"}))
    assert "Could not find issue" in missing.value.text
    other = jira.create_issue(fields=fields())
    other.update(fields={"parent": {"key": epic.key}})  # edits may set it too
    assert jira.issue(other.key).fields.parent.key == epic.key


def test_data_center_epics_need_a_name_and_link_by_epic_link(sandbox_dc: Sandbox, jira_dc: JIRA) -> None:
    by_schema = {f["schema"].get("custom"): f["id"] for f in jira_dc.fields() if f.get("custom")}
    link, name = by_schema["com.pyxis.greenhopper.jira:gh-epic-link"], by_schema["com.pyxis.greenhopper.jira:gh-epic-label"]
    with pytest.raises(JIRAError) as unnamed:
        jira_dc.create_issue(fields={**EPIC, "summary": "Postmortem: outage"})
    assert "Epic Name is required" in unnamed.value.text
    epic = jira_dc.create_issue(fields={**EPIC, "summary": "Postmortem: outage", name: "outage"})
    child = jira_dc.create_issue(fields=fields(**{link: epic.key}))
    assert sandbox_dc.jira.issue(child.key)["epic_link"] == epic.key
    with pytest.raises(JIRAError) as no_parent:
        jira_dc.create_issue(fields=fields(parent={"key": epic.key}))
    assert "cannot be set" in no_parent.value.text
    with pytest.raises(JIRAError) as not_epic:
        jira_dc.create_issue(fields=fields(**{link: child.key}))
    assert "not an epic" in not_epic.value.text


def test_a_moved_issue_has_a_new_key_the_same_id_and_its_old_key_still_resolves(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields={**TASK, "project": {"key": "OPS"}, "summary": "moved"}, prefetch=False)
    moved = sandbox.jira.move(issue.key, "PM")
    assert moved["key"] == "PM-1" and moved["id"] == issue.id
    assert jira.issue("OPS-1").key == "PM-1"  # Jira answers an old key with the issue as it is now
    assert [i.key for i in jira.search_issues("project = OPS", maxResults=False)] == []
    assert [i.key for i in jira.search_issues(f"id = {issue.id}", maxResults=False)] == ["PM-1"]
    sandbox.jira.delete("PM-1")
    with pytest.raises(JIRAError):
        jira.issue("OPS-1")
