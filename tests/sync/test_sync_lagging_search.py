"""Jira's enhanced search is eventually consistent: right after a write, JQL shows the issue
as it was (or not at all). Runs seconds apart, as CI does on every push, must not read the
stale copy as a person's edit, lose the file's change, or make a twin."""

from __future__ import annotations

from typing import Any

from sync_support import actions, assert_one_issue_each, twice, write_pm

LAG = {"search_lag_ms": 20_000, "sync": {"search_lag_seconds": 30}}


def ids(env: Any) -> set[str]:
    with env.store() as store:
        return {row.id for row in store.actions(removed=False)}


def titles(env: Any) -> list[str]:
    return sorted(i["summary"] for i in env.issues())


def test_runs_seconds_apart_while_search_lags_write_each_change_once(tracker_env: Any) -> None:
    env = tracker_env("jira", **LAG)
    lines = actions(3)
    path = write_pm(env.folder, "PM-LAG", lines, name="lag.md")
    env.sync()
    env.sb.advance_time(2)
    again = env.sync().results[0]  # the index has not seen the creates yet
    assert again.counts["create"] == 0 and len(env.issues()) == 3

    lines[0] = lines[0].replace("Alert when queue 0", "Page when queue 0")
    write_pm(env.folder, "PM-LAG", lines, name=path.name)
    env.sb.advance_time(2)
    env.sync()
    writes = env.writes()
    for step in (2, 5, 40, 600):  # before, during and after the index catches up
        env.sb.advance_time(step)
        result = env.sync().results[0]
        assert env.writes() == writes, (step, result.counts)
        assert result.counts["conflicts"] == 0, (step, result.counts)
    assert any(t.startswith("Page when queue 0") for t in titles(env))
    with env.store() as store:
        base = {link.base_title for link in store.links().values()}
    assert any(t and t.startswith("Page when queue 0") for t in base), base  # the base is what Jira holds
    assert_one_issue_each(env, ids(env))


def test_a_person_edit_right_after_our_write_is_not_lost_to_the_stale_index(tracker_env: Any) -> None:
    """Sync pushes a due date; a person changes the summary a moment later; the next runs,
    while the index still shows older copies, keep the person's title and the file's date."""
    env = tracker_env("jira", **LAG)
    lines = actions(2)
    write_pm(env.folder, "PM-LAG2", lines, name="lag2.md")
    twice(env)
    env.sb.advance_time(120)
    lines[1] = lines[1].replace("due: 2024-06-02", "due: 2024-07-15")
    write_pm(env.folder, "PM-LAG2", lines, name="lag2.md")
    env.sync()
    (issue,) = [i for i in env.issues() if i["duedate"] == "2024-07-15"]
    env.sb.advance_time(1)
    env.sb.jira.set_fields(issue["key"], summary="Alert on queue depth (owned by the SRE rota)")
    for step in (3, 10, 60, 600):
        env.sb.advance_time(step)
        env.sync()
    now = env.sb.jira.issue(issue["key"])
    assert now["summary"] == "Alert on queue depth (owned by the SRE rota)"
    assert now["duedate"] == "2024-07-15"
    assert_one_issue_each(env, ids(env))
