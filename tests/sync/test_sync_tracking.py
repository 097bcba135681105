"""[sync] group = "tracking-issue": one issue per postmortem that ticks as its actions close."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_sync_end_to_end import ACTIONS, write_pm


def test_github_tracking_issue_ticks_as_actions_close(tracker_env: Any) -> None:
    env = tracker_env("github", sync={"group": "tracking-issue"})
    write_pm(env.folder, *ACTIONS)
    env.sync()
    issues = env.sb.github.issues("acme/ops")
    tracking = next(i for i in issues if i["title"] == "Postmortem: Outage")
    children = sorted(i["number"] for i in issues if i is not tracking)
    assert len(children) == 3
    assert [f"- [ ] #{n}" in tracking["body"] for n in children] == [True, True, True]

    writes = env.writes()
    env.sync()
    assert env.writes() == writes  # nothing changed, nothing written

    env.sb.github.close_issue(children[0], "completed", repo="acme/ops")
    env.sb.advance_time(5)
    env.sync()
    body = env.sb.github.issue(tracking["number"])["body"]
    assert f"- [x] #{children[0]}" in body and f"- [ ] #{children[1]}" in body and "1 of 3 closed" in body

    for number in children[1:]:
        env.sb.github.close_issue(number, "not_planned", repo="acme/ops")
    env.sb.advance_time(5)
    env.sync()
    assert env.sb.github.issue(tracking["number"])["state"] == "closed"
    assert len(env.sb.github.issues("acme/ops")) == 4  # never a second tracking issue


def test_jira_tracking_issue_lists_the_keys_and_survives_a_lost_store(tracker_env: Any) -> None:
    env = tracker_env("jira", sync={"group": "tracking-issue"})
    write_pm(env.folder, *ACTIONS)
    env.sync()
    issues = env.sb.jira.issues("OPS")
    tracking = next(i for i in issues if i["summary"] == "Postmortem: Outage")
    assert all(i["key"] in tracking["description"] for i in issues if i is not tracking)
    Path(env.store_url.removeprefix("sqlite:///")).unlink()
    env.sync()
    assert len(env.sb.jira.issues("OPS")) == 4


def test_gitlab_tracking_issue_ticks_says_dropped_and_survives_a_lost_store(tracker_env: Any) -> None:
    env = tracker_env("gitlab", sync={"group": "tracking-issue"})
    write_pm(env.folder, *ACTIONS)
    env.sync()
    issues = env.issues()
    tracking = next(i for i in issues if i["title"] == "Postmortem: Outage")
    children = sorted(i["iid"] for i in issues if i is not tracking)
    assert len(children) == 3 and all(f"- [ ] #{n}" in tracking["body"] for n in children)
    assert "postmortem" in tracking["labels"]

    writes = env.writes()
    env.sync()
    assert env.writes() == writes  # nothing changed, nothing written

    env.sb.gitlab.close_issue(children[0])
    env.sb.gitlab.close_issue(children[1], note="Won't do: the queue is being retired")
    env.sb.advance_time(5)
    env.sync()
    body = env.sb.gitlab.issue(tracking["iid"])["body"]
    assert f"- [x] #{children[0]}" in body and f"- [x] #{children[1]} (dropped)" in body
    assert f"- [ ] #{children[2]}" in body and "2 of 3 closed" in body

    Path(env.store_url.removeprefix("sqlite:///")).unlink()
    env.sb.gitlab.close_issue(children[2])
    env.sb.advance_time(5)
    env.sync()
    assert env.sb.gitlab.issue(tracking["iid"])["state"] == "closed"
    assert len(env.issues()) == 4  # never a second tracking issue
