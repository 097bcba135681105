"""Rate limits: GitHub primary (counts down, resets), secondary (pace, concurrency), Jira burst."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests
from github import RateLimitExceededException
from jira import JIRAError


def gh_headers(sb: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {sb.github_token}"}


def test_primary_limit_counts_down_and_resets(sandbox_factory: Any, make_github: Any) -> None:
    sb = sandbox_factory(github_rate_limit=3, github_rate_window_s=60)
    seen = []
    for _ in range(3):
        resp = requests.get(f"{sb.github_url}/user", headers=gh_headers(sb), timeout=5)
        seen.append((resp.status_code, resp.headers["x-ratelimit-remaining"],
                     resp.headers["x-ratelimit-used"]))
    assert seen == [(200, "2", "1"), (200, "1", "2"), (200, "0", "3")]
    blocked = requests.get(f"{sb.github_url}/user", headers=gh_headers(sb), timeout=5)
    assert blocked.status_code == 403
    assert blocked.json()["message"].startswith("API rate limit exceeded")
    assert blocked.headers["x-ratelimit-remaining"] == "0"
    assert blocked.headers["x-ratelimit-resource"] == "core"
    reset = int(blocked.headers["x-ratelimit-reset"])
    gh = make_github(sb)
    with pytest.raises(RateLimitExceededException):
        gh.get_repo("acme/ops")
    free = requests.get(f"{sb.github_url}/rate_limit", headers=gh_headers(sb), timeout=5)
    assert free.status_code == 200
    assert free.json()["resources"]["core"]["remaining"] == 0
    sb.advance_time(61)
    assert gh.get_repo("acme/ops").full_name == "acme/ops"
    assert gh.rate_limiting == (2, 3)
    assert gh.rate_limiting_resettime > reset


def test_rate_limit_headers_on_every_response(sandbox: Any) -> None:
    for url in (f"{sandbox.github_url}/repos/acme/ops", f"{sandbox.github_url}/nope"):
        resp = requests.get(url, headers=gh_headers(sandbox), timeout=5)
        for name in ("limit", "remaining", "reset", "used", "resource"):
            assert f"x-ratelimit-{name}" in resp.headers


def test_secondary_limit_on_content_creation(sandbox_factory: Any, make_github: Any) -> None:
    sb = sandbox_factory(github_secondary_per_minute=2)
    repo = make_github(sb).get_repo("acme/ops")
    repo.create_issue("one")
    repo.create_issue("two")
    with pytest.raises(RateLimitExceededException) as err:
        repo.create_issue("three")
    assert err.value.status == 403
    assert err.value.data["message"].startswith("You have exceeded a secondary rate limit")
    raw = requests.post(f"{sb.github_url}/repos/acme/ops/issues", json={"title": "x"},
                        headers=gh_headers(sb), timeout=5)
    assert raw.headers["retry-after"] == "60"
    assert int(raw.headers["x-ratelimit-remaining"]) > 0  # not the primary limit
    assert repo.get_issue(1).number == 1  # reads are not content creation
    sb.advance_time(60)
    assert repo.create_issue("four").title == "four"
    assert [i["title"] for i in sb.github.issues()] == ["one", "two", "four"]


def test_secondary_limit_status_configurable(sandbox_factory: Any) -> None:
    sb = sandbox_factory(github_secondary_per_minute=0, github_secondary_status=429,
                         github_secondary_retry_after=None)
    raw = requests.post(f"{sb.github_url}/repos/acme/ops/issues", json={"title": "x"},
                        headers=gh_headers(sb), timeout=5)
    assert raw.status_code == 429
    assert "retry-after" not in raw.headers


def test_concurrent_request_limit(sandbox_factory: Any) -> None:
    sb = sandbox_factory(github_max_concurrent=1, faults="github:GET:/user=delay:400")
    slow: dict[str, int] = {}

    def call() -> None:
        slow["status"] = requests.get(f"{sb.github_url}/user", headers=gh_headers(sb),
                                      timeout=5).status_code

    worker = threading.Thread(target=call)
    worker.start()
    threading.Event().wait(0.15)
    second = requests.get(f"{sb.github_url}/repos/acme/ops", headers=gh_headers(sb), timeout=5)
    worker.join()
    assert slow["status"] == 200
    assert second.status_code == 403
    assert "secondary rate limit" in second.json()["message"]


def test_jira_burst_limit(sandbox_factory: Any, make_jira: Any) -> None:
    sb = sandbox_factory(jira_burst_limit=2, jira_burst_window_s=10)
    jira = make_jira(sb)  # serverInfo: 1st GET of that endpoint
    jira.myself()
    jira.myself()
    with pytest.raises(JIRAError) as err:
        jira.myself()
    assert err.value.status_code == 429
    resp = requests.get(f"{sb.jira_url}/rest/api/2/myself", auth=sb.jira_basic_auth, timeout=5)
    assert resp.status_code == 429
    assert int(resp.headers["Retry-After"]) >= 1
    assert resp.headers["RateLimit-Reason"] == "jira-burst-based"
    assert resp.headers["X-RateLimit-Remaining"] == "0"
    assert resp.headers["X-RateLimit-Reset"].endswith("Z")
    assert jira.server_info()["deploymentType"] == "Cloud"  # other endpoints have own budget
    sb.advance_time(10)
    assert jira.myself()["accountId"]
