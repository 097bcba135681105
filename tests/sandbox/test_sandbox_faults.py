"""Fault injection: grammar, deterministic triggers, network faults, latency, runtime changes."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from github import GithubException, GithubRetry
from jira import JIRAError

from actiontrack.sandbox import Sandbox
from actiontrack.sandbox.faults import FaultSpecError, parse_spec

TASK = {"project": {"key": "PM"}, "issuetype": {"id": "10002"}, "summary": "x"}


def gh_headers(sb: Sandbox) -> dict[str, str]:
    return {"Authorization": f"token {sb.github_token}"}


def test_spec_grammar_roundtrip() -> None:
    spec = ("jira:POST:/rest/api/2/issue/bulk=timeout-after-commit@0.2,"
            "github:*:*=429:5@#3;*:GET:/repos/*=drop@2+,jira:*:*=delay:50,"
            "github:PATCH:*=timeout-after-commit:close,github:*:*=secondary")
    rules = parse_spec(spec)
    assert [r.describe() for r in rules] == [
        "jira:POST:/rest/api/2/issue/bulk=timeout-after-commit@0.2",
        "github:*:*=429:5@#3", "*:GET:/repos/*=drop@2+", "jira:*:*=delay:50",
        "github:PATCH:*=timeout-after-commit:close", "github:*:*=secondary"]
    assert parse_spec("") == []


@pytest.mark.parametrize("bad", ["jira:GET=500", "linear:*:*=500", "jira:*:*=teapot",
                                 "jira:*:*=200", "jira:*:*=500@1.5", "jira:*:*=500@#0"])
def test_spec_errors(bad: str) -> None:
    with pytest.raises(FaultSpecError):
        parse_spec(bad)


def test_nth_and_from_k_triggers(sandbox_factory: Any) -> None:
    sb = sandbox_factory(faults="jira:GET:/rest/api/2/myself=500@#2,github:*:/user=503@3+")
    codes = [requests.get(f"{sb.jira_url}/rest/api/2/myself", auth=sb.jira_basic_auth,
                          timeout=5).status_code for _ in range(3)]
    assert codes == [200, 500, 200]
    codes = [requests.get(f"{sb.github_url}/user", headers=gh_headers(sb),
                          timeout=5).status_code for _ in range(5)]
    assert codes == [200, 200, 503, 503, 503]
    assert [r.fault for r in sb.requests("github")][1:3] == [None, "github:*:/user=503@3+"]


def test_probability_is_seeded(sandbox_factory: Any) -> None:
    runs = []
    for _ in range(2):
        sb = sandbox_factory(faults="github:GET:/user=500@0.5", seed=7)
        runs.append([requests.get(f"{sb.github_url}/user", headers=gh_headers(sb),
                                  timeout=5).status_code for _ in range(20)])
    assert runs[0] == runs[1]
    assert 0 < runs[0].count(500) < 20


def test_status_fault_bodies(sandbox_factory: Any) -> None:
    sb = sandbox_factory(faults="jira:*:*=429:7,github:GET:/user=429:3,"
                                "github:GET:/repos/*=secondary,github:POST:*=502")
    jira = requests.get(f"{sb.jira_url}/rest/api/2/myself", auth=sb.jira_basic_auth, timeout=5)
    assert (jira.status_code, jira.headers["Retry-After"]) == (429, "7")
    assert jira.headers["RateLimit-Reason"] == "jira-burst-based"
    user = requests.get(f"{sb.github_url}/user", headers=gh_headers(sb), timeout=5)
    assert (user.status_code, user.headers["retry-after"]) == (429, "3")
    repo = requests.get(f"{sb.github_url}/repos/acme/ops", headers=gh_headers(sb), timeout=5)
    assert repo.status_code == 403
    assert repo.json()["message"].startswith("You have exceeded a secondary rate limit")
    post = requests.post(f"{sb.github_url}/repos/acme/ops/issues", json={"title": "x"},
                         headers=gh_headers(sb), timeout=5)
    assert post.status_code == 502
    assert post.headers["Content-Type"] == "text/html"
    assert sb.github.issues() == []  # faulted before the write


def test_drop_closes_without_answer_and_commits_nothing(sandbox_factory: Any) -> None:
    sb = sandbox_factory(faults="github:POST:/repos/*/issues=drop")
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{sb.github_url}/repos/acme/ops/issues", json={"title": "x"},
                      headers=gh_headers(sb), timeout=5)
    assert sb.github.issues() == []
    assert sb.requests("github", "POST")[0].status is None


def test_timeout_after_commit_holds_until_client_gives_up(sandbox_factory: Any) -> None:
    sb = sandbox_factory(faults="jira:POST:/rest/api/2/issue=timeout-after-commit@#1")
    with pytest.raises(requests.ReadTimeout):
        requests.post(f"{sb.jira_url}/rest/api/2/issue", json={"fields": TASK},
                      auth=sb.jira_basic_auth, timeout=0.3)
    assert [i["key"] for i in sb.jira.issues()] == ["PM-1"]  # committed anyway
    again = requests.post(f"{sb.jira_url}/rest/api/2/issue", json={"fields": TASK},
                          auth=sb.jira_basic_auth, timeout=5)
    assert again.json()["key"] == "PM-2"


def test_timeout_after_commit_close_duplicates_with_pygithub_retry(
        sandbox_factory: Any, make_github: Any) -> None:
    sb = sandbox_factory(faults="github:POST:/repos/*/issues=timeout-after-commit:close@#1")
    gh = make_github(sb, retry=GithubRetry(total=2))
    gh.get_repo("acme/ops").create_issue("only once?")
    # PyGithub's default retry allows POST: the dropped-but-committed create is re-sent.
    assert [i["title"] for i in sb.github.issues()] == ["only once?", "only once?"]


def test_pygithub_retries_5xx_post_immediately(sandbox_factory: Any, make_github: Any) -> None:
    sb = sandbox_factory(faults="github:POST:/repos/*/issues=502@#1")
    gh = make_github(sb, retry=GithubRetry(total=2))
    started = time.monotonic()
    gh.get_repo("acme/ops").create_issue("x")
    assert time.monotonic() - started < 1.0
    assert sb.count("github", "POST") == 2
    assert len(sb.github.issues()) == 1


def test_pygithub_does_not_retry_patch(sandbox_factory: Any, make_github: Any) -> None:
    sb = sandbox_factory(faults="github:PATCH:*=502@#1")
    gh = make_github(sb, retry=GithubRetry(total=2))
    issue = gh.get_repo("acme/ops").create_issue("x")
    with pytest.raises(GithubException) as err:
        issue.edit(title="y")
    assert err.value.status == 502
    assert sb.count("github", "PATCH") == 1


def test_jira_retries_post_on_429(sandbox_factory: Any, make_jira: Any) -> None:
    sb = sandbox_factory(faults="jira:POST:/rest/api/2/issue=429:0@#1")
    jira = make_jira(sb, max_retries=1)
    jira.create_issue(fields=TASK, prefetch=False)  # ResilientSession retries POSTs too
    assert sb.count("jira", "POST") == 2
    assert len(sb.jira.issues()) == 1


def test_jira_no_retry_client_raises(sandbox_factory: Any, make_jira: Any) -> None:
    sb = sandbox_factory()
    jira = make_jira(sb)
    sb.set_faults("jira:*:*=503")
    with pytest.raises(JIRAError) as err:
        jira.myself()
    assert err.value.status_code == 503


def test_latency_fixed_and_range(sandbox_factory: Any) -> None:
    sb = sandbox_factory(latency_ms=120)
    started = time.monotonic()
    requests.get(f"{sb.jira_url}/rest/api/2/serverInfo", timeout=5)
    assert time.monotonic() - started >= 0.12
    sb.set_latency((0, 10))
    started = time.monotonic()
    requests.get(f"{sb.jira_url}/rest/api/2/serverInfo", timeout=5)
    assert time.monotonic() - started < 0.1


def test_faults_change_at_runtime(sandbox: Sandbox) -> None:
    url = f"{sandbox.github_url}/user"
    assert requests.get(url, headers=gh_headers(sandbox), timeout=5).status_code == 200
    sandbox.add_fault("github:GET:/user=500")
    assert requests.get(url, headers=gh_headers(sandbox), timeout=5).status_code == 500
    assert sandbox.faults()[0].seen == 1
    sandbox.clear_faults()
    assert requests.get(url, headers=gh_headers(sandbox), timeout=5).status_code == 200
    admin = f"{sandbox.admin_url}/faults"
    assert requests.put(admin, json={"spec": "github:*:/user=503"}, timeout=5).ok
    assert requests.get(url, headers=gh_headers(sandbox), timeout=5).status_code == 503
    assert requests.get(admin, timeout=5).json()[0]["rule"] == "github:*:/user=503"
    assert requests.post(admin, json={"spec": "jira:*:*=500"}, timeout=5).json()[1]["seen"] == 0
    assert requests.put(admin, json={"spec": "nonsense"}, timeout=5).status_code == 400
    assert requests.delete(admin, timeout=5).status_code == 204
    assert requests.get(url, headers=gh_headers(sandbox), timeout=5).status_code == 200
