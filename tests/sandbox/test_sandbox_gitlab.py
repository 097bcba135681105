"""The GitLab side of the sandbox, driven by the real python-gitlab client (and raw HTTP where
the client hides what GitLab sends): every endpoint actiontrack uses, as strictly as the API."""

from __future__ import annotations

import time
from typing import Any

import gitlab
import pytest
import requests

from actiontrack.sandbox import Sandbox

PROJECT = "acme/platform/ops"


def api(sb: Sandbox, path: str) -> str:
    return f"{sb.gitlab_url}/api/v4{path}"


def auth(sb: Sandbox) -> dict[str, str]:
    return {"PRIVATE-TOKEN": sb.gitlab_token}


@pytest.fixture
def gl(sandbox: Sandbox, make_gitlab: Any) -> Any:
    return make_gitlab(sandbox)


@pytest.fixture
def project(gl: Any) -> Any:
    return gl.projects.get(PROJECT)


def test_project_by_path_or_id_and_the_unencoded_path_is_not_found(sandbox: Sandbox, gl: Any) -> None:
    by_path = gl.projects.get(PROJECT)
    assert by_path.path_with_namespace == PROJECT
    assert gl.projects.get(by_path.id).path_with_namespace == PROJECT
    # a path must be URL-encoded: /projects/acme/platform/ops is no route at all
    raw = requests.get(api(sandbox, f"/projects/{PROJECT}"), headers=auth(sandbox), timeout=5)
    assert raw.status_code == 404 and raw.json() == {"error": "404 Not Found"}
    with pytest.raises(gitlab.GitlabGetError) as missing:
        gl.projects.get("acme/nothing-here")
    assert missing.value.response_code == 404 and "Project Not Found" in str(missing.value)


def test_tokens_private_token_bearer_missing_and_wrong(sandbox: Sandbox, make_gitlab: Any) -> None:
    assert make_gitlab(sandbox).http_get("/user")["username"] == "pm-bot"
    bearer = requests.get(api(sandbox, "/user"), headers={"Authorization": f"Bearer {sandbox.gitlab_token}"},
                          timeout=5)
    assert bearer.status_code == 200
    anonymous = requests.get(api(sandbox, f"/projects/{PROJECT.replace('/', '%2F')}"), timeout=5)
    assert anonymous.status_code == 404  # a private project is invisible, not forbidden
    assert requests.get(api(sandbox, "/user"), timeout=5).status_code == 401
    with pytest.raises(gitlab.GitlabAuthenticationError):
        make_gitlab(sandbox, private_token="glpat-wrong").http_get("/user")


def test_create_issue_fields_and_labels_made_on_the_fly(sandbox: Sandbox, project: Any, gl: Any) -> None:
    dana = gl.users.list(username="dana")[0]
    issue = project.issues.create({"title": "Alert on lag", "description": "body", "labels": ["actiontrack",
                                   "phase:post-release"], "assignee_ids": [dana.id], "due_date": "2025-04-01"})
    assert (issue.iid, issue.state, issue.due_date) == (1, "opened", "2025-04-01")
    assert issue.labels == ["actiontrack", "phase:post-release"]
    assert [a["username"] for a in issue.assignees] == ["dana"] and issue.references["short"] == "#1"
    assert issue.web_url.endswith(f"/{PROJECT}/-/issues/1")
    assert "weight" not in issue.attributes  # a Free-tier issue has no weight
    names = [label.name for label in project.labels.list(get_all=True)]
    assert "phase:post-release" in names and "actiontrack" in names


@pytest.mark.parametrize(("payload", "status", "body"), [
    ({}, 400, {"error": "title is missing"}),
    ({"title": "  "}, 400, {"message": {"title": ["can't be blank"]}}),
    ({"title": "x" * 256}, 400, {"message": {"title": ["is too long (maximum is 255 characters)"]}}),
    ({"title": "x", "due_date": "2025/04/01"}, 400, {"error": "due_date is invalid"}),
    ({"title": "x", "assignee_ids": ["dana"]}, 400, {"error": "assignee_ids is invalid"}),
    ({"title": "x", "weight": -1}, 400, {"error": "weight does not have a valid value"}),
])
def test_create_validation(sandbox: Sandbox, payload: dict[str, Any], status: int, body: Any) -> None:
    answer = requests.post(api(sandbox, "/projects/278964/issues"), json=payload, headers=auth(sandbox), timeout=5)
    assert (answer.status_code, answer.json()) == (status, body)
    assert sandbox.gitlab.issues() == []  # nothing half-made


def test_validation_surfaces_in_python_gitlab(project: Any) -> None:
    with pytest.raises(gitlab.GitlabCreateError) as err:
        project.issues.create({"title": ""})
    assert err.value.response_code == 400 and "can't be blank" in str(err.value)


def test_unknown_and_non_member_assignees_are_dropped_silently(sandbox: Sandbox, project: Any, gl: Any) -> None:
    outsider = gl.users.list(username="outsider")[0]
    issue = project.issues.create({"title": "x", "assignee_ids": [999999, outsider.id]})
    assert issue.assignees == []


def test_edit_adds_and_removes_labels_closes_and_clears(sandbox: Sandbox, project: Any) -> None:
    issue = project.issues.create({"title": "x", "labels": "actiontrack,team-a", "due_date": "2025-01-01"})
    updated = sandbox.gitlab.issue(issue.iid)["updated_at"]
    sandbox.advance_time(2)
    project.issues.update(issue.iid, {"add_labels": "phase:development", "remove_labels": "team-a",
                                      "due_date": None, "state_event": "close"})
    got = project.issues.get(issue.iid)
    assert got.labels == ["actiontrack", "phase:development"] and got.due_date is None
    assert got.state == "closed" and got.attributes["closed_by"]["username"] == "pm-bot" and got.updated_at > updated
    with pytest.raises(gitlab.GitlabUpdateError) as err:
        project.issues.update(issue.iid, {"state_event": "shut"})
    assert "state_event does not have a valid value" in str(err.value)
    empty = requests.put(api(sandbox, f"/projects/278964/issues/{issue.iid}"), json={"confidential_x": 1},
                         headers=auth(sandbox), timeout=5)
    assert empty.status_code == 400 and "at least one parameter must be provided" in empty.json()["error"]


def test_an_edit_that_changes_nothing_keeps_updated_at(sandbox: Sandbox, project: Any) -> None:
    issue = project.issues.create({"title": "x", "labels": "a"})
    before = sandbox.gitlab.issue(issue.iid)["updated_at"]
    sandbox.advance_time(5)
    project.issues.update(issue.iid, {"add_labels": "a", "title": "x"})
    assert sandbox.gitlab.issue(issue.iid)["updated_at"] == before


def test_scoped_labels_are_exclusive_only_on_a_paid_tier(sandbox_factory: Any, make_gitlab: Any) -> None:
    for tier, expected in (("free", ["phase::a", "phase::b"]), ("premium", ["phase::b"])):
        sb = sandbox_factory(gitlab_tier=tier)
        issue = make_gitlab(sb).projects.get(PROJECT).issues.create({"title": "x", "labels": "phase::a"})
        requests.put(api(sb, f"/projects/278964/issues/{issue.iid}"), json={"add_labels": "phase::b"},
                     headers=auth(sb), timeout=5).raise_for_status()
        assert sb.gitlab.issue(issue.iid)["labels"] == expected


def test_weight_is_kept_on_premium_and_ignored_on_free(sandbox_factory: Any, make_gitlab: Any) -> None:
    for tier, expected in (("free", None), ("premium", 3)):
        sb = sandbox_factory(gitlab_tier=tier)
        issue = make_gitlab(sb).projects.get(PROJECT).issues.create({"title": "x", "weight": 3})
        assert sb.gitlab.issue(issue.iid)["weight"] == expected
        assert issue.attributes.get("weight") == expected


def test_list_filters_state_labels_and_updated_after(sandbox: Sandbox, project: Any) -> None:
    first = project.issues.create({"title": "a", "labels": "actiontrack,x"})
    project.issues.create({"title": "b", "labels": "actiontrack"})
    project.issues.create({"title": "c", "labels": "other"})
    project.issues.update(first.iid, {"state_event": "close"})
    both = project.issues.list(labels="actiontrack,x", state="all", get_all=True)
    assert [i.title for i in both] == ["a"]
    assert [i.title for i in project.issues.list(labels="actiontrack", state="opened", get_all=True)] == ["b"]
    sandbox.advance_time(60)
    mark = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 59))
    project.issues.update(first.iid, {"title": "a2"})
    changed = project.issues.list(updated_after=mark, get_all=True)
    assert [i.title for i in changed] == ["a2"]
    with pytest.raises(gitlab.GitlabListError) as bad:
        project.issues.list(state="open", get_all=True)  # GitLab says "opened"
    assert "state does not have a valid value" in str(bad.value)
    with pytest.raises(gitlab.GitlabListError):
        project.issues.list(updated_after="yesterday", get_all=True)


def test_offset_pagination_headers_and_link(sandbox: Sandbox, project: Any) -> None:
    for n in range(5):
        project.issues.create({"title": f"i{n}"})
    answer = requests.get(api(sandbox, "/projects/278964/issues"), params={"per_page": 2, "page": 2},
                          headers=auth(sandbox), timeout=5)
    headers = answer.headers
    assert (headers["X-Page"], headers["X-Per-Page"], headers["X-Total"], headers["X-Total-Pages"]) == \
        ("2", "2", "5", "3")
    assert (headers["X-Next-Page"], headers["X-Prev-Page"]) == ("3", "1")
    assert set(answer.links) == {"prev", "next", "first", "last"}
    listed = project.issues.list(per_page=2, iterator=True)
    assert len(listed) == 5 and [i.title for i in listed] == ["i4", "i3", "i2", "i1", "i0"]
    capped = requests.get(api(sandbox, "/projects/278964/issues"), params={"per_page": 500},
                          headers=auth(sandbox), timeout=5)
    assert capped.headers["X-Per-Page"] == "100"


def test_keyset_pagination_follows_a_cursor_and_sends_no_totals(sandbox: Sandbox, make_gitlab: Any) -> None:
    gl = make_gitlab(sandbox, pagination="keyset", order_by="created_at", per_page=2)
    project = gl.projects.get(PROJECT)
    for n in range(5):
        project.issues.create({"title": f"k{n}"})
    walked = [i.title for i in project.issues.list(sort="asc", iterator=True)]
    assert walked == ["k0", "k1", "k2", "k3", "k4"]
    pages = sandbox.requests("gitlab", "GET", "/api/v4/projects/*/issues")
    assert len(pages) == 3 and all("pagination=keyset" in r.query for r in pages)
    assert "cursor=" in pages[1].query
    first = requests.get(api(sandbox, "/projects/278964/issues"), headers=auth(sandbox), timeout=5,
                         params={"pagination": "keyset", "order_by": "created_at", "per_page": 2, "sort": "asc"})
    assert "X-Total" not in first.headers and set(first.links) == {"next"}
    # an order keyset cannot serve falls back to offset pagination, as GitLab does
    popular = requests.get(api(sandbox, "/projects/278964/issues"), headers=auth(sandbox), timeout=5,
                           params={"pagination": "keyset", "order_by": "popularity", "per_page": 2})
    assert popular.headers["X-Total"] == "5"


def test_notes_list_newest_first_and_quick_actions_close(sandbox: Sandbox, project: Any) -> None:
    issue = project.issues.create({"title": "x"})
    issue.notes.create({"body": "Won't do: the service is retired\n/close"})
    got = project.issues.get(issue.iid)
    assert got.state == "closed"
    notes = got.notes.list(sort="desc", order_by="created_at", get_all=True)
    assert notes[0].system and notes[0].body == "closed"
    assert notes[1].body == "Won't do: the service is retired" and not notes[1].system
    dup = project.issues.create({"title": "y"})
    dup.notes.create({"body": "/duplicate #1"})
    bodies = [n.body for n in project.issues.get(dup.iid).notes.list(get_all=True)]
    assert "marked this issue as a duplicate of #1" in bodies


def test_users_by_username_and_milestones_by_title(sandbox: Sandbox, gl: Any, project: Any) -> None:
    assert [u.username for u in gl.users.list(username="DANA")] == ["dana"]
    assert gl.users.list(username="nobody") == []
    milestone = sandbox.gitlab.add_milestone("Reliability Q3")
    assert [m.id for m in project.milestones.list(title="Reliability Q3")] == [milestone]
    issue = project.issues.create({"title": "x", "milestone_id": milestone})
    assert issue.milestone["title"] == "Reliability Q3"


def test_rate_limit_headers_on_every_answer_and_the_throttle(sandbox_factory: Any) -> None:
    sb = sandbox_factory(gitlab_api_per_minute=3)
    url, headers = api(sb, "/user"), auth(sb)
    answers = [requests.get(url, headers=headers, timeout=5) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    first = answers[0].headers
    assert (first["RateLimit-Name"], first["RateLimit-Limit"], first["RateLimit-Remaining"]) == \
        ("throttle_authenticated_api", "3", "2")
    assert int(first["RateLimit-Reset"]) % 60 == 0  # periods start on the minute
    throttled = answers[3]
    assert throttled.text == "Retry later\n" and int(throttled.headers["Retry-After"]) >= 1
    assert throttled.headers["RateLimit-ResetTime"].endswith("GMT")
    sb.advance_time(61)
    assert requests.get(url, headers=headers, timeout=5).status_code == 200


def test_issue_creation_limit_answers_429_without_headers(sandbox_factory: Any) -> None:
    sb = sandbox_factory(gitlab_issue_creates_per_minute=2)
    url = api(sb, "/projects/acme%2Fplatform%2Fops/issues")
    codes = [requests.post(url, json={"title": f"t{n}"}, headers=auth(sb), timeout=5) for n in range(3)]
    assert [c.status_code for c in codes] == [201, 201, 429]
    refused = codes[2]
    assert refused.json() == {"message": {"error": "This endpoint has been requested too many times. Try again later."}}
    assert "Retry-After" not in refused.headers  # an application limit: not in the headers
    assert refused.headers["RateLimit-Remaining"] != "0"  # the headers show only Rack::Attack's limit
    other = requests.post(api(sb, "/projects/278964/issues"), json={"title": "t"}, headers=auth(sb), timeout=5)
    assert other.status_code == 429  # the same project by id shares the limit
    assert len(sb.gitlab.issues()) == 2


def test_python_gitlab_obeys_retry_after_and_repeats_the_post(sandbox_factory: Any, make_gitlab: Any) -> None:
    """obey_rate_limit (on by default) sleeps Retry-After and sends the POST again."""
    sb = sandbox_factory(faults="gitlab:POST:/api/v4/projects/*/issues=429:0@#1")
    make_gitlab(sb).projects.get(PROJECT, lazy=True).issues.create({"title": "once"})
    assert sb.count("gitlab", "POST") == 2 and len(sb.gitlab.issues()) == 1


def test_python_gitlab_transient_retry_duplicates_a_create_whose_answer_was_lost(
        sandbox_factory: Any, make_gitlab: Any) -> None:
    sb = sandbox_factory(faults="gitlab:POST:/api/v4/projects/*/issues=timeout-after-commit:close@#1")
    gl = make_gitlab(sb, retry_transient_errors=True)
    gl.projects.get(PROJECT, lazy=True).issues.create({"title": "only once?"})
    # retry_transient_errors repeats POSTs after a dropped connection: the committed create is sent again
    assert [i["title"] for i in sb.gitlab.issues()] == ["only once?", "only once?"]


def test_faults_in_gitlab_shapes(sandbox_factory: Any) -> None:
    sb = sandbox_factory(faults="gitlab:GET:/api/v4/user=502@#1,gitlab:GET:/api/v4/user=500@#2")
    first = requests.get(api(sb, "/user"), headers=auth(sb), timeout=5)
    assert first.status_code == 502 and "text/html" in first.headers["Content-Type"]
    second = requests.get(api(sb, "/user"), headers=auth(sb), timeout=5)
    assert second.status_code == 500 and second.json()["message"].startswith("500")


def test_person_changes_from_the_python_api(sandbox: Sandbox, project: Any) -> None:
    issue = project.issues.create({"title": "x", "labels": "actiontrack"})
    sandbox.gitlab.close_issue(issue.iid, note="Won't do", by="lee")
    got = project.issues.get(issue.iid)
    assert got.attributes["closed_by"]["username"] == "lee" and got.state == "closed"
    sandbox.gitlab.reopen_issue(issue.iid)
    sandbox.gitlab.edit_issue(issue.iid, due_date="2030-01-31", assignees=["dana"])
    again = project.issues.get(issue.iid)
    assert again.state == "opened" and again.due_date == "2030-01-31" and again.assignee["username"] == "dana"
    sandbox.gitlab.delete_issue(issue.iid)
    with pytest.raises(gitlab.GitlabGetError):
        project.issues.get(issue.iid)
