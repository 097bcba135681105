"""Fewest requests, counted by the emulator: bulk creates, paged pulls, free no-op re-syncs."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest


def write_many(folder: Path, count: int, per_file: int = 50) -> None:
    for start in range(0, count, per_file):
        lines = [
            f"- [ ] Add check {n} that fails when queue {n} exceeds {n} items"
            f" — owner: ikki, due: 2024-06-{n % 28 + 1:02d} #development #recurrence"
            for n in range(start, min(count, start + per_file))
        ]
        text = f"---\nid: PM-{start}\ntitle: Load {start}\ndate: 2024-05-01\n---\n# X\n## Action items\n"
        (folder / f"pm-{start:05d}.md").write_text(text + "\n".join(lines) + "\n", encoding="utf-8")


def test_jira_first_sync_bulk_creates_fifty_per_request(tracker_env: Any) -> None:
    env = tracker_env("jira")
    write_many(env.folder, 120)
    env.sync()
    sb = env.sb
    assert sb.count("jira", "POST", "/rest/api/2/issue/bulk") == 3
    assert sb.count("jira", "POST", "/rest/api/2/issue") == 0
    assert sb.count("jira", "GET", "/rest/api/*/issue/*") == 0, "no per-issue GETs"
    assert len(env.issues()) == 120


def test_jira_status_pull_pages_by_hundred(tracker_env: Any) -> None:
    env = tracker_env("jira")
    write_many(env.folder, 250)
    env.sync()
    for issue in env.issues()[:7]:
        env.sb.jira.transition(issue["key"], "Done")
    env.sb.reset_counts()
    result = env.sync(full=True).results[0]
    assert result.counts["done upstream"] == 7
    searches = env.sb.count("jira", None, "*/search*")
    assert searches <= math.ceil(250 / 100), env.sb.counts()["by_endpoint"]
    assert env.sb.count("jira", "GET", "/rest/api/*/issue/*") == 0


def test_github_reads_state_by_listing_with_since(tracker_env: Any) -> None:
    env = tracker_env("github")
    write_many(env.folder, 150)
    env.sync()
    env.sb.github.close_issue(env.issues()[0]["number"], "completed", repo="acme/ops")
    env.sb.reset_counts()
    env.sb.advance_time(60)
    result = env.sync().results[0]
    assert result.counts["done upstream"] == 1
    gets = env.sb.requests(tracker="github", method="GET")
    lists = [r for r in gets if "since=" in r.query]
    checks = [r for r in gets if "since=" not in r.query]  # the deleted-issue check's page (and its bound)
    assert lists and all("/issues" in r.path and "per_page=100" in r.query for r in lists)
    assert len(checks) <= 2 and all("/issues" in r.path and "page=" in r.query for r in checks)
    assert not any(r.path.rstrip("/").split("/")[-1].isdigit() for r in gets), "no per-issue GETs"


@pytest.mark.slow
def test_noop_resync_of_a_thousand_actions(tracker_env: Any, tracker_name: str) -> None:
    overrides = {"github_secondary_per_minute": None, "github_secondary_per_hour": None}
    env = tracker_env(tracker_name, **(overrides if tracker_name == "github" else {}))
    write_many(env.folder, 1000)
    first = env.sync().results[0]
    assert first.counts["create"] == 1000 and not first.errors
    env.sb.reset_counts()
    env.sb.advance_time(60)
    again = env.sync().results[0]
    assert again.counts["unchanged"] == 1000
    requests = env.sb.requests(tracker=tracker_name)
    assert len(requests) <= 12, [(r.method, r.path) for r in requests]
    assert env.writes() == 0


def test_jira_first_sync_of_500_stays_at_the_request_floor(tracker_env: Any) -> None:
    """serverInfo, one listing that is also the check before every create, ten bulk creates."""
    env = tracker_env("jira")
    write_many(env.folder, 500)
    result = env.sync().results[0]
    assert result.counts["create"] == 500 and not result.errors
    calls = [(r.method, r.endpoint) for r in env.sb.requests(tracker="jira")]
    assert len(calls) == 12, calls
    assert calls.count(("POST", "/rest/api/2/issue/bulk")) == 10
    assert calls.count(("POST", "/rest/api/2/search/jql")) == 1


def test_the_check_before_a_create_costs_github_no_request_per_action(tracker_env: Any) -> None:
    env = tracker_env("github")
    write_many(env.folder, 30)
    env.sync()
    env.sb.advance_time(600)
    write_many(env.folder, 60)  # 30 more actions
    env.sb.reset_counts()
    result = env.sync().results[0]
    assert result.counts["create"] == 30 and result.counts["unchanged"] == 30
    gets = env.sb.requests(tracker="github", method="GET")
    assert len(gets) <= 4, [(r.path, r.query) for r in gets]  # one listing page, one check page, labels, milestones


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_noop_resync_of_ten_thousand_actions_makes_at_most_five_requests(tracker_env: Any, tracker_name: str) -> None:
    """The deleted-issue check included: a rotating share of the links per run."""
    overrides = {"github_secondary_per_minute": None, "github_secondary_per_hour": None,
                 "github_rate_limit": 100_000}
    env = tracker_env(tracker_name, **(overrides if tracker_name == "github" else {}))
    write_many(env.folder, 10_000, per_file=100)
    assert env.sync().results[0].counts["create"] == 10_000
    env.sb.advance_time(600)
    env.sync()  # the run after a create re-reads what it made once: it was updated since
    env.sb.advance_time(600)
    env.sb.reset_counts()
    again = env.sync().results[0]
    assert again.counts["unchanged"] == 10_000 and again.verified > 0  # (each run checks another share)
    requests = env.sb.requests(tracker=tracker_name)
    assert len(requests) <= 5, [(r.method, r.path, r.query) for r in requests]
    assert env.writes() == 0


def test_gitlab_first_sync_is_one_post_per_action_paced_under_the_creation_limit(tracker_env: Any) -> None:
    """No bulk create on GitLab: the floor is one POST per action plus the reads, and the
    pacing keeps GitLab.com's 200 creations a minute from ever answering 429."""
    env = tracker_env("gitlab")
    write_many(env.folder, 450)
    result = env.sync().results[0]
    assert result.counts["create"] == 450 and not result.errors
    sb = env.sb
    assert sb.count("gitlab", "POST", "/api/v4/projects/{id}/issues") == 450
    assert sb.count("gitlab", "GET", "/api/v4/users") == 1  # one lookup per owner, not per issue
    # the check before every create, on a store's first run: the labelled issues, and the
    # token user's own (a person may have taken the label off), who that user is costing one
    assert sb.count("gitlab", "GET", "/api/v4/projects/{id}/issues") == 2
    assert sb.count("gitlab", "GET", "/api/v4/user") == 1
    assert sb.counts()["total"] == 454
    assert not [r for r in sb.requests(tracker="gitlab") if r.status == 429]
    assert sum(1 for s in env.sleeps if s > 1) == 2  # two waits for the next minute's window


def test_gitlab_reads_state_by_listing_with_updated_after(tracker_env: Any) -> None:
    env = tracker_env("gitlab")
    write_many(env.folder, 150)
    env.sync()
    env.sb.gitlab.close_issue(env.issues()[0]["iid"], by="pm-bot")
    env.sb.reset_counts()
    env.sb.advance_time(60)
    result = env.sync().results[0]
    assert result.counts["done upstream"] == 1
    reads = env.sb.requests(tracker="gitlab", method="GET")
    lists = [r for r in reads if r.path.endswith("/issues") and "iids" not in r.query]
    assert all("updated_after=" in r.query and "pagination=keyset" in r.query and "per_page=100" in r.query
               for r in lists)
    assert len(lists) == 2  # 150 changed in the window: two keyset pages, no per-issue GETs
    checks = [r for r in reads if "iids" in r.query]
    assert len(checks) == 1 and checks[0].query.count("iids") == 100  # this run's share of the deleted-issue check
    # who closed it? once per run, to tell actiontrack's own closes from people's
    assert [r.path for r in reads if r not in lists and r not in checks] == ["/api/v4/user"]


def test_gitlab_a_close_by_someone_else_costs_one_notes_read(tracker_env: Any) -> None:
    env = tracker_env("gitlab")
    write_many(env.folder, 3)
    env.sync()
    first, second, _ = (issue["iid"] for issue in env.issues())
    env.sb.gitlab.close_issue(first, note="Won't do: replaced by the new alerting")
    env.sb.gitlab.close_issue(second, label="wontfix")
    env.sb.reset_counts()
    env.sb.advance_time(60)
    result = env.sync().results[0]
    assert result.counts["dropped upstream"] == 2
    notes = env.sb.requests(tracker="gitlab", method="GET", path="*/notes")
    assert [r.path.split("/")[-2] for r in notes] == [str(first)]  # the label told the other one
    assert env.sb.count("gitlab", "GET", "/api/v4/user") == 1
