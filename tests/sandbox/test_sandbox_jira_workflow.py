"""Jira transitions through the real client, plus UI-style changes from the Python API."""

from __future__ import annotations

import pytest
from jira import JIRA, JIRAError

from actiontrack.sandbox import Sandbox

TASK = {"project": {"key": "PM"}, "issuetype": {"id": "10002"}, "summary": "Add alert"}


def test_transitions_list_excludes_current_status(jira: JIRA) -> None:
    issue = jira.create_issue(fields=TASK, prefetch=False)
    listed = jira.transitions(issue)
    assert [(t["id"], t["name"]) for t in listed] == [
        ("21", "In Progress"), ("31", "Done"), ("41", "Won't Do")]
    assert listed[1]["to"]["statusCategory"] == {
        "self": listed[1]["to"]["statusCategory"]["self"], "id": 3, "key": "done",
        "colorName": "green", "name": "Done"}


def test_transition_by_name_costs_extra_lookup(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields=TASK, prefetch=False)
    sandbox.reset_counts()
    jira.transition_issue(issue, "In Progress")
    assert sandbox.count("jira", "GET", "/rest/api/2/issue/{issueIdOrKey}/transitions") == 1
    jira.transition_issue(issue, "31")
    assert sandbox.count("jira", "GET") == 1
    done = jira.issue(issue.key)
    assert done.fields.status.statusCategory.key == "done"
    assert done.fields.resolution.name == "Done"
    assert done.fields.resolutiondate


def test_wont_do_is_done_category_with_wont_do_resolution(jira: JIRA) -> None:
    issue = jira.create_issue(fields=TASK, prefetch=False)
    jira.transition_issue(issue, "41")
    dropped = jira.issue(issue.key)
    assert dropped.fields.status.statusCategory.key == "done"
    assert dropped.fields.resolution.name == "Won't Do"
    jira.transition_issue(issue, "11")
    reopened = jira.issue(issue.key)
    assert reopened.fields.resolution is None
    assert reopened.fields.status.name == "To Do"


def test_transition_with_resolution_field_and_invalid_ids(jira: JIRA) -> None:
    issue = jira.create_issue(fields=TASK, prefetch=False)
    jira.transition_issue(issue, "31", fields={"resolution": {"name": "Duplicate"}})
    assert jira.issue(issue.key).fields.resolution.name == "Duplicate"
    with pytest.raises(JIRAError) as err:
        jira.transition_issue(issue, "31")  # already Done: not offered
    assert "is not valid for this issue" in err.value.text
    with pytest.raises(JIRAError) as err:
        jira.transition_issue(issue, "21", fields={"resolution": {"name": "Done"}})
    assert "cannot be set" in err.value.text


def test_ui_changes_from_python_api(sandbox: Sandbox, jira: JIRA) -> None:
    issue = jira.create_issue(fields=TASK, prefetch=False)
    view = sandbox.jira.transition(issue.key, "Won't Do")
    assert (view["statusCategory"], view["resolution"]) == ("done", "Won't Do")
    sandbox.jira.transition(issue.key, "done")
    assert jira.issue(issue.key).fields.status.name == "Done"
    sandbox.jira.set_fields(issue.key, duedate="2026-02-01", labels=["x"], assignee="lee",
                            priority="Low")
    fresh = jira.issue(issue.key)
    assert (fresh.fields.duedate, fresh.fields.labels, fresh.fields.priority.name) == (
        "2026-02-01", ["x"], "Low")
    assert fresh.fields.assignee.displayName == "Lee Chen"
    sandbox.jira.delete(issue.key)
    assert sandbox.jira.issues() == []
    assert sandbox.count("jira", "DELETE") == 0  # control calls are not API requests
