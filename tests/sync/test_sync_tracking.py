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


# --- [sync] group = "parent": an Epic per postmortem, each action's issue under it --------------


def epic_and_children(env: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    issues = env.sb.jira.issues("OPS")
    (epic,) = [i for i in issues if i["issuetype"] == "Epic"]
    return epic, [i for i in issues if i is not epic]


def test_jira_parent_grouping_on_cloud_puts_each_action_under_its_postmortems_epic(tracker_env: Any) -> None:
    env = tracker_env("jira", sync={"group": "parent"})
    write_pm(env.folder, *ACTIONS)
    env.sync()
    epic, children = epic_and_children(env)
    assert epic["summary"] == "Postmortem: Outage" and "postmortem" in epic["labels"]
    assert len(children) == 3 and all(c["parent"] == epic["key"] and c["issuetype"] == "Task" for c in children)
    assert all(c["key"] in epic["description"] for c in children)  # the epic lists its actions
    assert env.sb.count("jira", "POST", "/rest/api/2/issue/bulk") == 2  # the epic, then its actions
    assert env.sb.count("jira", "PUT", "/rest/api/2/issue/{issueIdOrKey}") == 1  # the epic's list, once

    writes = env.writes()
    env.sync()
    assert env.writes() == writes  # nothing changed, nothing written

    write_pm(env.folder, *ACTIONS, "Add a dashboard for queue depth per consumer — owner: sato, due: 2024-06-30")
    env.sync()
    epic, children = epic_and_children(env)  # still one epic: a later action joins it
    assert len(children) == 4 and all(c["parent"] == epic["key"] for c in children)

    for child in children:
        env.sb.jira.transition(child["key"], "Done")
    env.sb.advance_time(5)
    env.sync()
    assert env.sb.jira.issue(epic["key"])["statusCategory"] == "done"  # closed with its last action


def test_jira_parent_grouping_gives_each_postmortem_its_own_epic(tracker_env: Any) -> None:
    env = tracker_env("jira", sync={"group": "parent"})
    write_pm(env.folder, *ACTIONS[:2])
    other = env.folder / "2024-06-01-other.md"
    other.write_text("---\nid: PM-OTHER\ntitle: Other\ndate: 2024-06-01\n---\n# Other\n## Action items\n"
                     f"- [ ] {ACTIONS[2]}\n", encoding="utf-8")
    env.sync()
    issues = env.sb.jira.issues("OPS")
    epics = {i["summary"]: i["key"] for i in issues if i["issuetype"] == "Epic"}
    assert set(epics) == {"Postmortem: Outage", "Postmortem: Other"}
    parents = sorted(i["parent"] for i in issues if i["issuetype"] == "Task")
    assert parents == sorted([epics["Postmortem: Outage"]] * 2 + [epics["Postmortem: Other"]])


def test_jira_parent_grouping_survives_a_lost_store(tracker_env: Any) -> None:
    env = tracker_env("jira", sync={"group": "parent"})
    write_pm(env.folder, *ACTIONS)
    env.sync()
    Path(env.store_url.removeprefix("sqlite:///")).unlink()
    result = env.sync().results[0]
    assert result.counts["create"] == 0 and result.counts["adopt"] == 3
    assert len(env.sb.jira.issues("OPS")) == 4  # never a second epic


def test_jira_parent_grouping_on_data_center_uses_epic_link_and_epic_name(tracker_env: Any) -> None:
    env = tracker_env("jira", sync={"group": "parent"}, jira_deployment="Server")
    write_pm(env.folder, *ACTIONS)
    env.sync()
    epic, children = epic_and_children(env)
    assert epic["epic_name"] == "Postmortem: Outage"  # Data Center refuses an epic without one
    assert all(c["epic_link"] == epic["key"] and c["parent"] is None for c in children)
    assert env.sb.count("jira", "GET", "/rest/api/2/field") == 1  # the fields are found by schema, once


def test_a_parent_jira_refuses_still_leaves_every_action_an_issue(tracker_env: Any) -> None:
    """An issue type that cannot be a parent (a Task under a Task): the actions are created
    without a parent, with a warning, rather than not at all."""
    env = tracker_env("jira", sync={"group": "parent"})
    jira = env.config.tracker_settings("jira").model_copy(update={"parent_issue_type": "Task"})
    env.config = env.config.model_copy(update={"trackers": {**env.config.trackers, "jira": jira}})
    write_pm(env.folder, *ACTIONS)
    result = env.sync().results[0]
    issues = env.sb.jira.issues("OPS")
    assert len(issues) == 4 and not result.errors
    assert all(i["parent"] is None for i in issues)
    assert len(result.warnings) == 3 and all("created without parent" in w for w in result.warnings)


def test_group_parent_on_gitlab_gets_the_tracking_issue(tracker_env: Any) -> None:
    env = tracker_env("gitlab", sync={"group": "parent"})
    write_pm(env.folder, *ACTIONS)
    env.sync()
    issues = env.issues()
    (tracking,) = [i for i in issues if i["title"] == "Postmortem: Outage"]
    assert all(f"- [ ] #{i['iid']}" in tracking["body"] for i in issues if i is not tracking)
