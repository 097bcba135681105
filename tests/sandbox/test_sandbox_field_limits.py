"""The services' documented size limits, which the emulator enforces as strictly as they do:
Jira counts UTF-16 code units (Java strings), GitHub counts characters, and both refuse
with the error body their clients parse (Jira's errors map, GitHub's 422 errors[])."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from github import GithubException
from jira import JIRA, JIRAError

from actiontrack.sandbox import Sandbox

TASK = {"project": {"key": "PM"}, "issuetype": {"id": "10002"}}


def jira_create(sb: Sandbox, **fields: Any) -> requests.Response:
    return requests.post(f"{sb.jira_url}/rest/api/2/issue", json={"fields": {**TASK, **fields}},
                         auth=sb.jira_basic_auth, timeout=5)


def test_jira_summary_counts_an_emoji_as_two(sandbox: Sandbox) -> None:
    """128 emoji are 256 Java chars: Jira refuses what Python's len calls 128."""
    refused = jira_create(sandbox, summary="🔥" * 128)
    assert refused.status_code == 400
    assert "less than 255" in refused.json()["errors"]["summary"]
    assert jira_create(sandbox, summary="🔥" * 127 + "x").status_code == 201
    assert jira_create(sandbox, summary="障" * 255).status_code == 201  # one unit each


def test_jira_description_over_32767_is_refused_on_create_and_edit(jira: JIRA, sandbox: Sandbox) -> None:
    refused = jira_create(sandbox, summary="s", description="x" * 32768)
    assert refused.status_code == 400
    assert "exceeds the allowed limit of 32,767" in refused.json()["errors"]["description"]
    issue = jira.create_issue(fields={**TASK, "summary": "s", "description": "😀" * 16383}, prefetch=False)
    with pytest.raises(JIRAError) as err:
        issue.update(fields={"description": "😀" * 16384})
    assert err.value.status_code == 400 and "32,767" in err.value.text
    assert sandbox.jira.issue(issue.key)["description"] == "😀" * 16383


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"title": "t" * 257}, "title", "title is too long (maximum is 256 characters)"),
        ({"title": "t", "body": "b" * 65537}, "body", "body is too long (maximum is 65536 characters)"),
        ({"title": "t", "labels": ["l" * 51]}, "name", "name is too long (maximum is 50 characters)"),
    ],
)
def test_github_length_limits_answer_422_naming_the_field(sandbox: Sandbox, payload: dict[str, Any],
                                                          field: str, message: str) -> None:
    resp = requests.post(f"{sandbox.github_url}/repos/acme/ops/issues", json=payload,
                         headers={"Authorization": f"token {sandbox.github_token}"}, timeout=5)
    assert resp.status_code == 422
    assert resp.json()["errors"] == [{"resource": "Label" if field == "name" else "Issue", "code": "custom",
                                      "field": field, "message": message}]
    assert sandbox.github.issues("acme/ops") == []


def test_github_limits_count_characters_not_bytes(gh_repo: Any) -> None:
    issue = gh_repo.create_issue("障" * 256, body="😀" * 65536, labels=["障害" * 25])
    assert len(issue.title) == 256 and len(issue.body) == 65536
    with pytest.raises(GithubException) as err:
        issue.edit(body=issue.body + "!")
    assert err.value.status == 422 and err.value.data["errors"][0]["field"] == "body"
    with pytest.raises(GithubException):
        gh_repo.create_label("x" * 51, "ededed")


def test_github_can_drop_a_non_collaborator_silently(sandbox_factory: Any, make_github: Any) -> None:
    """A token without push access: GitHub leaves the assignee out and answers 201."""
    sb = sandbox_factory(github_unassignable="drop")
    repo = make_github(sb).get_repo("acme/ops")
    issue = repo.create_issue("t", assignees=["stranger", "dana"])
    assert [u.login for u in issue.assignees] == ["dana"]
    issue.edit(assignees=["stranger"])
    assert issue.assignees == [] and sb.github.issues("acme/ops")[0]["assignees"] == []
