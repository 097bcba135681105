"""End to end, for each tracker: the samples → sync → a person works in the tracker → sync.

Every sync runs against the emulator through the real jira / PyGithub clients; every
second run is checked to write nothing (STYLE.md: "every end-to-end sync run twice").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from actiontrack.status import status_rows

SAMPLE_ACTIONS = 25


def by_title(env: Any) -> dict[str, dict[str, Any]]:
    return {issue[env.title_key()]: issue for issue in env.issues()}


def number(env: Any, title: str) -> Any:
    issue = by_title(env)[title]
    return issue["key"] if env.tracker == "jira" else issue["number"]


def close(env: Any, title: str, *, dropped: bool = False) -> None:
    env.close(number(env, title), dropped=dropped)


def reopen(env: Any, title: str) -> None:
    env.reopen(number(env, title))


def states(env: Any) -> dict[str, str]:
    return {row["title"]: str(row["state"]) for row in status_rows(env.store_url)}


def test_samples_sync_and_come_back(tracker_env: Any, tracker_name: str, samples_dir: Path) -> None:
    env = tracker_env(tracker_name, files=samples_dir)
    first = env.sync().results[0]
    assert first.counts["create"] == SAMPLE_ACTIONS and not first.errors
    assert len(env.issues()) == SAMPLE_ACTIONS
    ticked = "Put the upstream in a variable so nginx re-resolves it (set $upstream api.local:8080)"
    assert states(env)[ticked] == "done"  # done in the file before it had an issue: closed as completed

    writes = env.writes()
    second = env.sync().results[0]
    assert second.counts["create"] == 0 and second.counts["update"] == 0
    assert second.counts["unchanged"] == SAMPLE_ACTIONS
    assert env.writes() == writes, "a re-sync of an unchanged folder must write nothing"

    alert = "Alert when connector replication lag exceeds 60 seconds for 5 minutes"
    runbook = "Write a runbook for replaying the connector backlog, and rehearse it once in staging"
    careful = "Be more careful when reviewing connector configuration changes"
    close(env, alert)
    close(env, careful, dropped=True)
    close(env, runbook)
    reopen(env, runbook)
    env.sb.advance_time(5)
    third = env.sync().results[0]
    assert third.counts["done upstream"] == 1 and third.counts["dropped upstream"] == 1
    assert third.counts["create"] == 0 and len(env.issues()) == SAMPLE_ACTIONS
    got = states(env)
    assert got[alert] == "done" and got[careful] == "dropped" and got[runbook] == "open"
    done_rows = status_rows(env.store_url, state="done")
    assert sorted(r["title"] for r in done_rows) == sorted([alert, ticked]) and all(r["done_at"] for r in done_rows)


def test_a_due_date_moved_in_the_tracker_is_pulled(tracker_env: Any, samples_dir: Path) -> None:
    env = tracker_env("jira", files=samples_dir)
    env.sync()
    title = "Alert when connector replication lag exceeds 60 seconds for 5 minutes"
    env.sb.jira.set_fields(number(env, title), duedate="2023-08-01")
    env.sb.advance_time(5)
    result = env.sync().results[0]
    assert result.counts["update"] == 0 and result.counts["conflicts"] == 0
    row = next(r for r in status_rows(env.store_url) if r["title"] == title)
    assert row["due"] == "2023-08-01"  # the tracker's date wins in the store; the file still says 07-14


def write_pm(folder: Path, *lines: str) -> Path:
    path = folder / "2024-05-01-outage.md"
    items = "\n".join(f"- [ ] {line}" for line in lines)
    path.write_text(f"---\nid: PM-E2E\ntitle: Outage\ndate: 2024-05-01\n---\n# Outage\n## Action items\n{items}\n",
                    encoding="utf-8")
    return path


ACTIONS = [
    "Alert when queue depth exceeds 10k for 5 minutes — owner: ikki, due: 2024-06-01 #post-release #detection",
    "Add a CI test that fails when the pool exceeds 20 connections — owner: sato, due: 2024-06-10 #development #recurrence",
    "Write the failover runbook and rehearse it in staging — owner: ikki, due: 2024-06-20 #post-release #recovery",
]


def test_edit_reword_and_reorder_update_issues_never_duplicate(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, *ACTIONS)
    env.sync()
    assert len(env.issues()) == 3
    edited = [
        ACTIONS[2].replace("Write the failover runbook", "Write the region failover runbook"),  # reworded
        ACTIONS[0].replace("due: 2024-06-01", "due: 2024-06-08"),  # re-dated
        ACTIONS[1],  # moved
    ]
    write_pm(env.folder, *edited)
    result = env.sync().results[0]
    assert result.counts["create"] == 0 and result.counts["update"] == 2, result.counts
    titles = sorted(by_title(env))
    assert len(titles) == 3 and "Write the region failover runbook and rehearse it in staging" in titles
    again = env.sync().results[0]
    assert again.counts["update"] == 0 and again.counts["create"] == 0


def test_conflict_is_reported_and_left_until_resolved(tracker_env: Any) -> None:
    env = tracker_env("jira")
    write_pm(env.folder, *ACTIONS)
    env.sync()
    key = number(env, "Alert when queue depth exceeds 10k for 5 minutes")
    env.sb.jira.set_fields(key, duedate="2024-07-01")  # a person moves it …
    write_pm(env.folder, ACTIONS[0].replace("2024-06-01", "2024-06-15"), *ACTIONS[1:])  # … and the file too
    env.sb.advance_time(5)
    result = env.sync().results[0]
    assert result.counts["conflicts"] == 1 and result.counts["update"] == 0
    assert env.sb.jira.issue(key)["duedate"] == "2024-07-01"  # left alone
    resolved = env.sync(resolve="file").results[0]
    assert resolved.counts["conflicts"] == 0 and resolved.counts["update"] == 1
    assert env.sb.jira.issue(key)["duedate"] == "2024-06-15"


def test_orphans_are_reported_and_closed_only_when_asked(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, *ACTIONS)
    env.sync()
    write_pm(env.folder, *ACTIONS[:2])
    result = env.sync().results[0]
    assert result.counts["orphaned"] == 1
    assert states(env)["Write the failover runbook and rehearse it in staging"] == "orphaned"
    open_before = [i for i in env.issues() if env.is_open(i)]
    assert len(open_before) == 3  # nothing closed without --close-orphans
    env.sync(close_orphans=True)
    assert states(env)["Write the failover runbook and rehearse it in staging"] == "dropped"


def test_dry_run_changes_nothing_anywhere(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, *ACTIONS)
    result = env.sync(dry_run=True).results[0]
    assert result.counts["create"] == 3 and not result.applied
    assert env.writes() == 0 and env.issues() == []
    assert not Path(env.store_url.removeprefix("sqlite:///")).exists()  # not even the store is created


def test_store_deleted_then_rerun_adopts_instead_of_duplicating(tracker_env: Any, tracker_name: str, tmp_path: Path) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, *ACTIONS)
    env.sync()
    Path(env.store_url.removeprefix("sqlite:///")).unlink()
    result = env.sync().results[0]
    assert result.counts["adopt"] == 3 and result.counts["create"] == 0
    assert len(env.issues()) == 3
    assert len(status_rows(env.store_url, state="open")) == 3


def test_unmapped_owner_is_reported_not_fatal(tracker_env: Any) -> None:
    env = tracker_env("jira")
    write_pm(env.folder, ACTIONS[0].replace("owner: ikki", "owner: nobody-mapped"))
    result = env.sync().results[0]
    assert result.plan.unmapped_owners == {"nobody-mapped"} and result.counts["create"] == 1
    assert env.issues()[0]["assignee"] is None


def test_issue_fields_follow_the_action(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, ACTIONS[0])
    env.sync()
    (issue,) = env.issues()
    labels = set(issue["labels"])
    assert {"actiontrack", "phase:post-release", "category:detection"} <= labels
    body = issue["description"] if tracker_name == "jira" else issue["body"]
    assert "actiontrack-id: PM-E2E:" in body and "Outage" in body
    if tracker_name == "jira":
        assert issue["duedate"] == "2024-06-01"
    elif tracker_name == "gitlab":  # a real due date, the assignee found by username
        assert issue["due_date"] == "2024-06-01" and issue["assignees"] == ["dana"]
    else:
        assert issue["milestone_title"] == "due-2024-06-01" and issue["assignees"] == ["dana"]


def test_postgres_store_end_to_end(tracker_env: Any, postgres_url: str, samples_dir: Path) -> None:
    """The same flow with a shared PostgreSQL store instead of a SQLite file."""
    env = tracker_env("jira", store_url=postgres_url, files=samples_dir)
    assert env.sync().results[0].counts["create"] == SAMPLE_ACTIONS
    assert env.sync().results[0].counts["unchanged"] == SAMPLE_ACTIONS
    assert len(status_rows(postgres_url)) == SAMPLE_ACTIONS


def test_moving_a_postmortem_to_another_tracker_makes_no_second_issue(tracker_env: Any) -> None:
    from actiontrack.sync import SyncOptions, sync_paths

    env = tracker_env("jira")
    path = write_pm(env.folder, ACTIONS[0])
    env.sync()
    path.write_text(path.read_text(encoding="utf-8").replace("id: PM-E2E", "id: PM-E2E\ntracker: github"),
                    encoding="utf-8")
    report = sync_paths([env.folder], env.config, options=SyncOptions(), factory=env.make_tracker)
    (result,) = report.results
    assert result.tracker == "github" and result.counts["create"] == 0
    assert "already linked to jira OPS OPS-1" in next(iter(result.plan.skipped.values()))
    assert env.sb.github.issues("acme/ops") == []


def test_an_optional_field_the_tracker_refuses_does_not_cost_the_issue(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    env.config = env.config.model_copy(update={"owners": {"ikki": {tracker_name: "no-such-account"}}})
    write_pm(env.folder, ACTIONS[0], ACTIONS[1])
    result = env.sync().results[0]
    assert len(env.issues()) == 2 and not result.errors
    assert len(result.warnings) == 1 and "created without assignee" in result.warnings[0]
    again = env.sync().results[0]  # the refused assignee is not retried as if it were new
    assert again.counts["create"] == 0


def test_an_edit_and_a_close_in_the_same_run_both_land(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, *ACTIONS)
    env.sync()
    close(env, "Alert when queue depth exceeds 10k for 5 minutes")
    write_pm(env.folder, ACTIONS[0].replace("10k", "20k"), *ACTIONS[1:])
    env.sb.advance_time(5)
    result = env.sync().results[0]
    assert result.counts["update"] == 1
    assert states(env)["Alert when queue depth exceeds 20k for 5 minutes"] == "done"
    assert "Alert when queue depth exceeds 20k for 5 minutes" in by_title(env)


def test_jira_data_center_with_a_personal_access_token(tracker_env: Any, samples_dir: Path) -> None:
    """Data Center: bearer PAT, classic /search with startAt, usernames for assignees."""
    env = tracker_env("jira", files=samples_dir, jira_deployment="Server")
    assert env.config.tracker_settings("jira").auth == "pat"
    first = env.sync().results[0]
    assert first.counts["create"] == SAMPLE_ACTIONS and not first.errors
    close(env, "Alert when connector replication lag exceeds 60 seconds for 5 minutes")
    env.sb.advance_time(5)
    env.sb.reset_counts()
    again = env.sync().results[0]
    assert again.counts["done upstream"] == 1 and again.counts["create"] == 0
    assert env.writes() == 0, [(r.method, r.path) for r in env.sb.requests(tracker="jira")]
    assert env.sb.count("jira", None, "*/search/jql*") == 0  # Data Center has no enhanced search
