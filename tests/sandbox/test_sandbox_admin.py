"""Admin endpoints: measurement, clock, latency and state control over HTTP (never counted)."""

from __future__ import annotations

from typing import Any

import requests

from actiontrack.sandbox import Sandbox

TASK = {"project": {"key": "PM"}, "issuetype": {"id": "10002"}, "summary": "x"}


def test_request_log_and_counters(sandbox: Sandbox, jira: Any, gh: Any) -> None:
    jira.create_issue(fields=TASK, prefetch=False)
    gh.get_repo("acme/ops").create_issue("t")
    admin = sandbox.admin_url
    counts = requests.get(f"{admin}/counts", timeout=5).json()
    assert counts["by_endpoint"]["jira POST /rest/api/2/issue"] == 1
    assert counts["by_endpoint"]["github POST /repos/{owner}/{repo}/issues"] == 1
    assert counts["by_method"]["jira GET"] == 1  # serverInfo; ids avoid project lookups
    assert counts["total"] == sandbox.counts()["total"] == 4
    log = requests.get(f"{admin}/requests", params={"tracker": "github", "method": "POST"},
                       timeout=5).json()
    assert [(r["path"], r["status"]) for r in log] == [("/repos/acme/ops/issues", 201)]
    assert {"tracker", "method", "path", "query", "status", "timestamp"} <= set(log[0])
    assert requests.post(f"{admin}/reset-counts", timeout=5).status_code == 204
    assert sandbox.counts()["total"] == 0
    assert requests.get(f"{admin}/", timeout=5).json()["endpoints"]
    assert sandbox.counts()["total"] == 0  # admin calls are never counted


def test_requests_record_query_and_filters(sandbox: Sandbox) -> None:
    requests.get(f"{sandbox.github_url}/repos/acme/ops/issues?state=all&per_page=5",
                 headers={"Authorization": f"token {sandbox.github_token}"}, timeout=5)
    record = sandbox.requests("github", "GET", "/repos/*/issues")[0]
    assert record.query == "state=all&per_page=5"
    assert sandbox.count(endpoint="/repos/{owner}/{repo}/*") == 1


def test_jira_state_over_admin(sandbox: Sandbox, jira: Any) -> None:
    key = jira.create_issue(fields=TASK, prefetch=False).key
    base = f"{sandbox.admin_url}/jira/issues"
    assert [i["key"] for i in requests.get(base, timeout=5).json()] == [key]
    moved = requests.post(f"{base}/{key}/transition", json={"to": "Won't Do"}, timeout=5).json()
    assert (moved["statusCategory"], moved["resolution"]) == ("done", "Won't Do")
    edited = requests.patch(f"{base}/{key}", json={"duedate": "2026-04-01", "labels": ["a"]},
                            timeout=5).json()
    assert (edited["duedate"], edited["labels"]) == ("2026-04-01", ["a"])
    bad = requests.patch(f"{base}/{key}", json={"labels": ["a b"]}, timeout=5)
    assert bad.status_code == 400
    assert requests.delete(f"{base}/{key}", timeout=5).status_code == 204
    assert requests.get(f"{base}/{key}", timeout=5).status_code == 400


def test_github_state_over_admin(sandbox: Sandbox, gh: Any) -> None:
    repo = gh.get_repo("acme/ops")
    number = repo.create_issue("t").number
    repo.create_milestone("due-2026-05-01")
    base = f"{sandbox.admin_url}/github/issues"
    closed = requests.post(f"{base}/{number}/close", json={"reason": "not_planned"},
                           timeout=5).json()
    assert (closed["state"], closed["state_reason"]) == ("closed", "not_planned")
    reopened = requests.post(f"{base}/{number}/reopen", timeout=5).json()
    assert reopened["state_reason"] == "reopened"
    edited = requests.patch(f"{base}/{number}", json={"milestone": "due-2026-05-01"},
                            timeout=5).json()
    assert edited["milestone_title"] == "due-2026-05-01"
    listed = requests.get(base, params={"include_pulls": "1"}, timeout=5).json()
    assert [i["is_pull_request"] for i in listed] == [True, True, False]
    assert requests.delete(f"{base}/{number}", timeout=5).status_code == 204
    assert repo.get_issues(state="all").totalCount == 2


def test_clock_and_latency_over_admin(sandbox_factory: Any) -> None:
    sb = sandbox_factory(github_rate_limit=1)
    auth = {"Authorization": f"token {sb.github_token}"}
    requests.get(f"{sb.github_url}/user", headers=auth, timeout=5)
    assert requests.get(f"{sb.github_url}/user", headers=auth, timeout=5).status_code == 403
    requests.post(f"{sb.admin_url}/clock/advance", json={"seconds": 3600}, timeout=5)
    assert requests.get(f"{sb.github_url}/user", headers=auth, timeout=5).status_code == 200
    assert requests.put(f"{sb.admin_url}/latency", json={"latency_ms": "1-2"},
                        timeout=5).status_code == 204
    assert requests.get(f"{sb.admin_url}/nope", timeout=5).status_code == 404
