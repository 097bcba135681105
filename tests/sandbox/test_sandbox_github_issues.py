"""GitHub issues, labels, milestones through the real PyGithub client (and raw requests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import requests
from github import Auth, BadCredentialsException, GithubException, UnknownObjectException

from actiontrack.sandbox import Sandbox


def headers(sb: Sandbox) -> dict[str, str]:
    return {"Authorization": f"token {sb.github_token}", "Accept": "application/vnd.github+json"}


def test_user_and_repo(sandbox: Sandbox, gh: Any) -> None:
    assert gh.get_user().login == "pm-bot"
    repo = gh.get_repo("acme/ops")
    assert repo.full_name == "acme/ops"
    assert sandbox.count("github", "GET", "/repos/{owner}/{repo}") == 1
    with pytest.raises(UnknownObjectException) as err:
        gh.get_repo("acme/nope")
    assert err.value.data["message"] == "Not Found"
    assert "documentation_url" in err.value.data


def test_lazy_get_repo_costs_nothing(sandbox: Sandbox, make_github: Any) -> None:
    repo = make_github(sandbox, lazy=True).get_repo("acme/ops")
    repo.create_issue("lazy")
    assert sandbox.count("github", "GET") == 0


def test_create_issue_201_location_and_fields(sandbox: Sandbox, gh_repo: Any) -> None:
    ms = gh_repo.create_milestone("due-2025-12-01", due_on=dt.date(2025, 12, 1))
    issue = gh_repo.create_issue("Add alert", body="<!-- pm-sync:v1 id=1 -->",
                                 labels=["pm-sync", "detection"], assignees=["dana"],
                                 milestone=ms)
    assert issue.number == 3  # PRs #1 and #2 are seeded
    assert [lb.name for lb in issue.labels] == ["pm-sync", "detection"]
    assert issue.assignees[0].login == "dana"
    assert issue.milestone.title == "due-2025-12-01"
    raw = requests.post(f"{sandbox.github_url}/repos/acme/ops/issues", json={"title": "t"},
                        headers=headers(sandbox), timeout=5)
    assert raw.status_code == 201
    assert raw.headers["Location"] == f"{sandbox.github_url}/repos/acme/ops/issues/4"


@pytest.mark.parametrize(
    ("payload", "status", "fragment"),
    [
        ({"body": "no title"}, 422, "\"title\" wasn't supplied"),
        ({"title": "x", "priority": "high"}, 422, "\"priority\" is not a permitted key"),
        ({"title": ""}, 422, "Validation Failed"),
        ({"title": "x", "milestone": 99}, 422, "Validation Failed"),
        ({"title": "x", "assignees": ["stranger"]}, 422, "Validation Failed"),
    ],
)
def test_create_validation(sandbox: Sandbox, payload: dict[str, Any], status: int,
                           fragment: str) -> None:
    resp = requests.post(f"{sandbox.github_url}/repos/acme/ops/issues", json=payload,
                         headers=headers(sandbox), timeout=5)
    assert resp.status_code == status
    assert fragment in resp.json()["message"]
    assert resp.json()["documentation_url"].startswith("https://docs.github.com/")


def test_422_surfaces_in_pygithub(gh_repo: Any) -> None:
    with pytest.raises(GithubException) as err:
        gh_repo.create_issue("x", assignees=["stranger"])
    assert err.value.status == 422
    assert err.value.data["errors"][0]["field"] == "assignees"


def test_edit_replaces_labels_and_closes_with_reason(gh_repo: Any) -> None:
    issue = gh_repo.create_issue("t", labels=["a", "b"])
    issue.edit(labels=["c"], body="new body", title="t2")
    assert [lb.name for lb in issue.labels] == ["c"]
    issue.edit(state="closed", state_reason="not_planned")
    assert (issue.state, issue.state_reason) == ("closed", "not_planned")
    assert issue.closed_at is not None
    issue.edit(state="open")
    assert (issue.state, issue.state_reason, issue.closed_at) == ("open", "reopened", None)
    issue.edit(state="closed")
    assert issue.state_reason == "completed"
    ms = gh_repo.create_milestone("m1")
    issue.edit(milestone=ms)
    assert issue.milestone.number == ms.number
    issue.edit(milestone=None)
    assert issue.milestone is None
    with pytest.raises(GithubException) as err:
        issue.edit(state="done")
    assert err.value.status == 422


def test_list_paginates_with_link_header_and_mixes_prs(sandbox_factory: Any,
                                                      make_github: Any) -> None:
    sandbox = sandbox_factory(github_secondary_per_minute=None, github_secondary_per_hour=None)
    gh_repo = make_github(sandbox).get_repo("acme/ops")
    for n in range(3, 253):
        requests.post(f"{sandbox.github_url}/repos/acme/ops/issues", json={"title": f"i{n}"},
                      headers=headers(sandbox), timeout=5)
    sandbox.reset_counts()
    items = list(gh_repo.get_issues(state="all"))
    assert len(items) == 252
    assert sandbox.count("github", "GET", "/repos/{owner}/{repo}/issues") == 1
    assert sandbox.count("github", "GET", "/repositories/{repo_id}/issues") == 2
    assert sum(1 for i in items if i.pull_request is not None) == 2
    assert [i.number for i in items[:2]] == [252, 251]  # created desc by default
    small = make_github(sandbox, per_page=500).get_repo("acme/ops")
    first = requests.get(f"{sandbox.github_url}/repos/acme/ops/issues",
                         params={"per_page": 500, "page": 2}, headers=headers(sandbox), timeout=5)
    assert len(first.json()) == 100  # per_page capped at 100
    links = first.headers["Link"]
    for rel in ("prev", "next", "last", "first"):
        assert f'rel="{rel}"' in links
    assert small.get_issues().totalCount >= 0


def test_list_filters(sandbox: Sandbox, gh_repo: Any) -> None:
    a = gh_repo.create_issue("a", labels=["pm-sync", "x"])
    gh_repo.create_issue("b", labels=["pm-sync"])
    c = gh_repo.create_issue("c", labels=["x"])
    c.edit(state="closed")
    assert [i.number for i in gh_repo.get_issues(labels=["pm-sync", "x"])] == [a.number]
    assert [i.number for i in gh_repo.get_issues(state="closed", labels=["x"])] == [c.number]
    sandbox.advance_time(10)
    a.edit(body="touched")
    since = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    assert [i.number for i in gh_repo.get_issues(state="all", since=since)] == [a.number]
    asc = gh_repo.get_issues(state="all", sort="updated", direction="asc")
    assert asc[0].number == 1


def test_conditional_requests(sandbox: Sandbox, gh: Any, gh_repo: Any) -> None:
    issue = gh_repo.get_issue(gh_repo.create_issue("x").number)
    remaining = int(sandbox.requests("github")[-1].status or 0) and gh.rate_limiting[0]
    assert issue.update() is False  # 304 via If-None-Match
    assert gh.rate_limiting[0] == remaining  # 304 did not count
    issue.edit(body="changed")
    url = f"{sandbox.github_url}/repos/acme/ops/issues/{issue.number}"
    first = requests.get(url, headers=headers(sandbox), timeout=5)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = requests.get(url, headers={**headers(sandbox), "If-None-Match": etag}, timeout=5)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["x-ratelimit-remaining"] == first.headers["x-ratelimit-remaining"]
    listing = requests.get(f"{sandbox.github_url}/repos/acme/ops/issues", timeout=5,
                           headers={**headers(sandbox), "If-None-Match": "*"})
    assert listing.status_code == 304


def test_labels_and_milestones(gh_repo: Any) -> None:
    gh_repo.create_label("pm-sync", "ededed", description="synced")
    with pytest.raises(GithubException) as err:
        gh_repo.create_label("PM-SYNC", "000000")
    assert err.value.status == 422
    assert err.value.data["errors"][0]["code"] == "already_exists"
    assert "pm-sync" in [lb.name for lb in gh_repo.get_labels()]
    assert gh_repo.get_label("pm-sync").description == "synced"
    with pytest.raises(UnknownObjectException):
        gh_repo.get_label("missing")
    ms = gh_repo.create_milestone("due-2026-01-15", due_on=dt.date(2026, 1, 15))
    assert ms.due_on.date() == dt.date(2026, 1, 15)
    with pytest.raises(GithubException) as err:
        gh_repo.create_milestone("due-2026-01-15")
    assert err.value.data["errors"][0]["code"] == "already_exists"
    ms.edit("due-2026-01-15", state="closed")
    assert [m.title for m in gh_repo.get_milestones()] == []
    assert [m.title for m in gh_repo.get_milestones(state="all")] == ["due-2026-01-15"]


def test_bad_credentials_and_missing_auth(sandbox: Sandbox, make_github: Any) -> None:
    bad = make_github(sandbox, auth=Auth.Token("ghp_wrong"))
    with pytest.raises(BadCredentialsException) as err:
        bad.get_repo("acme/ops")
    assert err.value.status == 401
    assert "ghp_wrong" not in str(err.value.data)
    anon = requests.get(f"{sandbox.github_url}/repos/acme/ops", timeout=5)
    assert anon.status_code == 404  # private repositories look absent without a token
    assert requests.get(f"{sandbox.github_url}/user", timeout=5).status_code == 401


def test_deleted_issue_is_gone(sandbox: Sandbox, gh_repo: Any) -> None:
    number = gh_repo.create_issue("x").number
    sandbox.github.delete_issue(number)
    with pytest.raises(GithubException) as err:
        gh_repo.get_issue(number)
    assert err.value.status == 410
    assert number not in [i.number for i in gh_repo.get_issues(state="all")]


def test_enterprise_prefix(sandbox: Sandbox, make_github: Any) -> None:
    ghe = make_github(sandbox, base_url=sandbox.ghe_url)
    repo = ghe.get_repo("acme/ops")
    issue = repo.create_issue("on GHE")
    assert issue.url.startswith(sandbox.ghe_url)
    assert len(list(repo.get_issues(state="all"))) == 3
    assert sandbox.requests("github", "POST")[-1].path == "/repos/acme/ops/issues"


def test_ui_changes_from_python_api(sandbox: Sandbox, gh_repo: Any) -> None:
    issue = gh_repo.create_issue("x")
    gh_repo.create_milestone("due-2026-03-01")
    sandbox.github.close_issue(issue.number, "not_planned")
    assert gh_repo.get_issue(issue.number).state_reason == "not_planned"
    sandbox.github.reopen_issue(issue.number)
    sandbox.github.edit_issue(issue.number, milestone="due-2026-03-01", labels=["later"])
    fresh = gh_repo.get_issue(issue.number)
    assert (fresh.state, fresh.milestone.title, [lb.name for lb in fresh.labels]) == (
        "open", "due-2026-03-01", ["later"])
    assert [i["number"] for i in sandbox.github.issues()] == [issue.number]
    assert len(sandbox.github.issues(include_pulls=True)) == 3


def test_a_transferred_issue_answers_301_to_its_new_home_and_pygithub_follows(sandbox_factory: Any,
                                                                            make_github: Any) -> None:
    sb = sandbox_factory(github_repos=("acme/ops", "acme/other"))
    repo = make_github(sb).get_repo("acme/ops")
    issue = repo.create_issue("moving", body="b", labels=["x"], assignees=["dana"])
    moved = sb.github.transfer_issue(issue.number, "acme/other")
    raw = requests.get(f"{sb.github_url}/repos/acme/ops/issues/{issue.number}", headers=headers(sb),
                       timeout=5, allow_redirects=False)
    assert raw.status_code == 301 and raw.headers["Location"].endswith(f"/issues/{moved['number']}")
    followed = repo.get_issue(issue.number)
    assert followed.repository_url.endswith("/repos/acme/other") and followed.number == moved["number"]
    assert [lb.name for lb in followed.labels] == ["x"] and followed.assignees[0].login == "dana"
    assert all(i.title != "moving" for i in repo.get_issues(state="all"))  # gone from the old list
    repo.requester.requestJsonAndCheck("PATCH", f"{repo.url}/issues/{issue.number}", input={"title": "edited"})
    assert sb.github.issue(moved["number"], repo="acme/other")["title"] == "edited"  # PATCH follows too
