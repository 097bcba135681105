"""Identity that survives people and second machines (issue 11, cases 1-7 and 10).

Every case runs against the emulator through the real jira and PyGithub clients, for
both trackers where the case applies, and every end-to-end sync is run twice with the
second run writing nothing.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from sync_support import (
    actions,
    assert_one_issue_each,
    body_of,
    delete,
    drop_store,
    edit_title,
    ident,
    marked,
    rewrite_body,
    strip_labels,
    twice,
    write_pm,
)

from actiontrack.errors import UsageError
from actiontrack.reports.overdue import build_overdue
from actiontrack.status import status_rows
from actiontrack.sync import SyncOptions, sync_paths

ODD_IDS = ["GH SPACE", "障害 #3: 'db' \"quoted\"", "ops:2024#7 <b>--></b>"]


def ids_of(env: Any) -> set[str]:
    with env.store() as store:
        return {row.id for row in store.actions(removed=False)}


# -- case 1: an issue deleted in the tracker -------------------------------------------------


def test_a_deleted_issue_is_noticed_reported_and_recreated(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, "PM-DEL", actions(3))
    twice(env)
    victim = env.issues()[1]
    delete(env, victim)
    env.sb.advance_time(10)

    noticed = env.sync().results[0]
    assert noticed.counts["deleted upstream"] == 1 and noticed.counts["create"] == 0
    from actiontrack.sync.plan import listing

    (row,) = listing(noticed.plan, noticed.rekeys)
    assert row["change"] == "deleted upstream" and "new issue on the next sync" in str(row["note"])
    title = victim[env.title_key()]
    assert {r["title"][:40]: r["state"] for r in status_rows(env.store_url)}[title[:40]] == "unsynced"

    recreated = twice(env)[0]
    assert recreated.counts["create"] == 1
    assert_one_issue_each(env, ids_of(env))


def test_full_resync_notices_every_deleted_issue(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, "PM-FULL", actions(4))
    env.sync()
    for issue in env.issues()[:2]:
        delete(env, issue)
    env.sb.advance_time(10)
    result = env.sync(full=True).results[0]
    assert result.counts["deleted upstream"] == 2 and result.counts["unchanged"] == 2
    twice(env)
    assert_one_issue_each(env, ids_of(env))


def test_deletions_are_found_within_a_bounded_number_of_runs(tracker_env: Any, monkeypatch: pytest.MonkeyPatch,
                                                            tracker_name: str) -> None:
    """With more links than one check covers, each run checks the next share: every
    deletion is noticed within ceil(links / share) runs, at a constant cost per run plus
    a few requests per deletion found (Jira halves a refused id search: 2·log2(share) + 1)."""
    from actiontrack.trackers import github, gitlab, jira

    monkeypatch.setattr(jira, "VERIFY_SLICE", 4)
    monkeypatch.setattr(github, "PER_PAGE", 4)
    monkeypatch.setattr(gitlab, "PER_PAGE", 4)
    env = tracker_env(tracker_name)
    write_pm(env.folder, "PM-ROT", actions(12))
    env.sync()
    env.sb.advance_time(600)
    env.sync()  # the run after a create re-reads what it made once: it was updated since
    doomed = [env.issues()[i] for i in (0, 5, 11)]
    for issue in doomed:
        delete(env, issue)
    noticed = 0
    base, per_deletion = (3, 2 * 2 + 1) if tracker_name == "jira" else (3, 1)
    for _ in range(3):
        env.sb.advance_time(600)  # past the listing's overlap margin: a delta of nothing
        env.sb.reset_counts()
        counts = env.sync().results[0].counts
        found = counts["deleted upstream"]
        if not counts["create"]:  # (a run that re-creates the last run's deletion costs more)
            assert len(env.sb.requests(tracker=tracker_name)) <= base + found * per_deletion
        noticed += found
    assert noticed == 3


# -- case 2: ids that need quoting --------------------------------------------------------------


@pytest.mark.parametrize("pm_id", ODD_IDS)
def test_odd_ids_survive_a_lost_answer_and_a_lost_store(tracker_env: Any, tracker_name: str, pm_id: str) -> None:
    fault = {"jira": "jira:POST:/rest/api/2/issue/bulk=timeout-after-commit:close@#1",
             "github": "github:POST:/repos/*/issues=timeout-after-commit:close@#1",
             "gitlab": "gitlab:POST:/api/v4/projects/*/issues=timeout-after-commit:close@#1"}[tracker_name]
    env = tracker_env(tracker_name, faults=fault)
    write_pm(env.folder, pm_id, actions(2))
    twice(env)
    wanted = ids_of(env)
    assert all(a.startswith(pm_id + ":") for a in wanted)
    assert set(marked(env)) == wanted  # every marker reads back whole
    drop_store(env)
    adopted = twice(env)[0]
    assert adopted.counts["adopt"] == 2 and adopted.counts["create"] == 0
    assert_one_issue_each(env, wanted)


def test_an_old_bare_marker_with_a_space_is_still_found(tracker_env: Any, tracker_name: str) -> None:
    """Releases before quoting wrote `actiontrack-id: GH SPACE:…` whole: existing users'
    issues must still be adopted, not duplicated."""
    env = tracker_env(tracker_name)
    write_pm(env.folder, "GH SPACE", actions(1))
    env.sync()
    (issue,) = env.issues()
    (action_id,) = ids_of(env)
    old = body_of(env, issue).replace(f'"{action_id}"', action_id)
    assert f"actiontrack-id: {action_id}" in old
    rewrite_body(env, issue, old)
    if tracker_name == "jira":
        env.sb.jira.set_property(issue["key"], "actiontrack", None)  # an issue from before properties
    drop_store(env)
    assert twice(env)[0].counts["adopt"] == 1
    assert_one_issue_each(env, {action_id})


# -- case 3: store lost after people removed labels or rewrote bodies --------------------------


def test_lost_store_after_people_stripped_labels_and_rewrote_bodies(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, "PM-PEOPLE", actions(4))
    env.sync()
    issues = env.issues()
    strip_labels(env, issues[0])
    rewrite_body(env, issues[1])
    strip_labels(env, issues[2])
    rewrite_body(env, issues[2], "Rewritten, and the labels are gone too." if tracker_name == "jira"
                 else body_of(env, issues[2]))  # GitHub and GitLab have one per-action marker: keep it
    drop_store(env)
    env.sb.advance_time(10)
    result = twice(env)[0]
    assert result.counts["create"] == 0 and result.counts["adopt"] == 4
    assert len(env.issues()) == 4
    assert_one_issue_each(env, ids_of(env))
    for issue in env.issues():  # the markers people removed are back, for the next lost store
        assert markers_present(env, issue)


def markers_present(env: Any, issue: dict[str, Any]) -> bool:
    from actiontrack.trackers import markers

    if env.tracker == "jira":
        return "actiontrack" in issue["labels"] and any(markers.is_marker_label(lb) for lb in issue["labels"])
    return "actiontrack" in issue["labels"] and markers.action_id_in(issue["body"]) is not None  # GitHub, GitLab


def test_a_linked_issue_that_lost_its_label_keeps_reporting_its_status(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, "PM-LABEL", actions(2))
    env.sync()
    first = env.issues()[0]
    strip_labels(env, first)
    env.close(first["key"] if tracker_name == "jira" else first["number"])
    env.sb.advance_time(10)
    result = env.sync().results[0]  # Jira lists it by its body marker; GitHub reads it on its check
    assert result.counts["done upstream"] == 1
    twice(env)
    assert markers_present(env, env.issues()[0])


# -- case 4: two stores against one tracker ---------------------------------------------------


def test_two_stores_taking_turns_make_one_issue_per_action(tracker_env: Any, tracker_name: str,
                                                           tmp_path: Path) -> None:
    """A CI cache and a laptop: each store syncs in turn, with files the other had not seen."""
    ci = tracker_env(tracker_name)
    laptop_url = f"sqlite:///{tmp_path / 'laptop.db'}"
    laptop = type(ci)(ci.sb, ci.folder, laptop_url, ci.tracker, ci.config.model_copy(
        update={"store": ci.config.store.model_copy(update={"url": laptop_url})}))
    write_pm(ci.folder, "PM-A", actions(5), name="a.md")
    twice(ci)
    write_pm(ci.folder, "PM-B", actions(5, "disk"), name="b.md")  # the laptop sees B first …
    twice(laptop)
    ci.sb.advance_time(3600)  # … and CI's watermark is an hour past B's issues
    write_pm(ci.folder, "PM-A", [*actions(5), "Page the on-call when the queue stalls — owner: ikki"], name="a.md")
    twice(laptop)
    twice(ci)
    assert len(ci.issues()) == 11
    assert_one_issue_each(ci, ids_of(ci))
    assert_one_issue_each(laptop, ids_of(laptop))


def test_two_stores_syncing_at_once_converge_to_one_issue_each(tracker_env: Any, tracker_name: str,
                                                               tmp_path: Path) -> None:
    """Truly at once, no lock can be shared: whatever duplicates the race makes are reported
    by the next sync and closed by `doctor --fix`, which leaves one issue per action."""
    from actiontrack.store import Store
    from actiontrack.sync.doctor import Doctor
    from actiontrack.trackers.registry import open_tracker

    first = tracker_env(tracker_name, latency_ms=15)
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    second = type(first)(first.sb, first.folder, other_url, first.tracker, first.config.model_copy(
        update={"store": first.config.store.model_copy(update={"url": other_url})}))
    write_pm(first.folder, "PM-RACE", actions(8))
    for env in (first, second):  # created first: alembic's upgrade is not thread-safe in one process
        Store.open(env.store_url).close()
    failures: list[BaseException] = []

    def run(env: Any) -> None:
        try:
            env.sync()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run, args=(env,)) for env in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    first.sb.set_latency(0)
    first.sb.advance_time(60)
    reports = [env.sync(full=True).results[0] for env in (first, second)]
    extra = len(first.issues()) - 8
    assert all(r.counts["duplicates"] == extra for r in reports)
    for env in (first, second):
        with Store.open(env.store_url) as store:
            doctor = Doctor(store, open_tracker(env.tracker, env.config, target=None), env.config)
            doctor.fix(doctor.examine(), confirm=lambda kind, found: True)
        env.sb.advance_time(60)
        twice(env)
        assert_one_issue_each(env, ids_of(env))


# -- case 5: --resolve tracker lasts -----------------------------------------------------------


def set_due(env: Any, issue: dict[str, Any], due: str) -> None:
    if env.tracker == "jira":
        env.sb.jira.set_fields(issue["key"], duedate=due)
    else:
        edit_title(env, issue)


def test_resolve_tracker_lasts_across_runs(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    lines = actions(2)
    path = write_pm(env.folder, "PM-RESOLVE", lines)
    env.sync()
    issue = env.issues()[0]
    set_due(env, issue, "2024-09-30")
    edited = [lines[0].replace("due: 2024-06-01", "due: 2024-07-15").replace("Alert", "Alert the on-call"),
              lines[1]]
    write_pm(env.folder, "PM-RESOLVE", edited, name=path.name)
    env.sb.advance_time(10)
    assert env.sync().results[0].counts["conflicts"] == 1
    resolved = env.sync(resolve="tracker").results[0]
    assert resolved.counts["conflicts"] == 0 and resolved.counts["update"] == 0
    kept = env.issues()[0]
    twice(env)  # the plain syncs after it push nothing back
    assert env.issues()[0] == kept
    if tracker_name == "jira":
        row = next(r for r in status_rows(env.store_url) if r["id"].endswith(ident_suffix(env, kept)))
        assert row["due"] == "2024-09-30"  # store and tracker agree
    # A later edit of the file is a new change, and is pushed.
    write_pm(env.folder, "PM-RESOLVE", [edited[0].replace("2024-07-15", "2024-08-01"), lines[1]], name=path.name)
    env.sb.advance_time(10)
    later = env.sync().results[0]
    assert later.counts["conflicts"] == 0 and later.counts["update"] == 1


def ident_suffix(env: Any, issue: dict[str, Any]) -> str:
    with env.store() as store:
        return next(a for a, link in store.links().items() if link.key == str(ident(env, issue)))


def test_a_default_resolution_per_target_in_config(tracker_env: Any) -> None:
    env = tracker_env("jira", sync={"resolve": {"jira:OPS": "tracker"}})
    lines = actions(1)
    path = write_pm(env.folder, "PM-CFG", lines)
    env.sync()
    env.sb.jira.set_fields(env.issues()[0]["key"], duedate="2024-12-24")
    write_pm(env.folder, "PM-CFG", [lines[0].replace("2024-06-01", "2024-06-20")], name=path.name)
    env.sb.advance_time(10)
    result = twice(env)[0]
    assert result.counts["conflicts"] == 0 and env.issues()[0]["duedate"] == "2024-12-24"


# -- case 6: the dry run is the plan ------------------------------------------------------------


def test_dry_run_after_a_rewording_shows_the_rekey_and_status_keeps_no_orphan(tracker_env: Any,
                                                                               tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    lines = actions(3)
    path = write_pm(env.folder, "PM-REWORD", lines)
    env.sync()
    reworded = [lines[0], lines[1].replace("Alert when queue 1", "Alert the on-call when queue 1"), lines[2]]
    write_pm(env.folder, "PM-REWORD", reworded, name=path.name)
    writes = env.writes()

    planned = env.sync(dry_run=True).results[0]
    assert env.writes() == writes
    assert planned.counts["create"] == 0 and planned.counts["orphaned"] == 0 and planned.counts["update"] == 1
    from actiontrack.sync.plan import listing

    (row,) = listing(planned.plan, planned.rekeys)
    assert row["change"] == "update" and "title" in row["fields"]  # type: ignore[operator]
    assert str(row["note"]).startswith("reworded, keeps ")

    applied = twice(env)[0]
    assert {k: v for k, v in applied.counts.items() if v} == {k: v for k, v in planned.counts.items() if v}
    titles = [r["title"] for r in status_rows(env.store_url)]
    assert len(titles) == 3 and not any(t.startswith("Alert when queue 1 ") for t in titles)
    assert {r["state"] for r in status_rows(env.store_url)} == {"open"}
    assert_one_issue_each(env, ids_of(env))


def test_dry_run_json_lists_every_action(tracker_env: Any, tracker_name: str) -> None:
    import json
    import subprocess
    import sys

    env = tracker_env(tracker_name)
    write_pm(env.folder, "PM-JSON", actions(2))
    config = env.write_config()
    out = subprocess.run([sys.executable, "-m", "actiontrack", "--config", str(config), "sync", str(env.folder),
                          "--dry-run", "--format", "json"], capture_output=True, text=True, timeout=60, check=True)
    (target,) = json.loads(out.stdout)["targets"]
    assert [row["change"] for row in target["actions"]] == ["create", "create"]
    text = subprocess.run([sys.executable, "-m", "actiontrack", "--config", str(config), "sync", str(env.folder),
                           "--dry-run", "-v"], capture_output=True, text=True, timeout=60, check=True)
    assert text.stdout.count("  create ") == 2 and env.issues() == []


# -- case 7: a postmortem file that disappeared --------------------------------------------------


def test_a_deleted_postmortem_file_orphans_its_actions(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, "PM-STAYS", actions(1), name="stays.md")
    gone = write_pm(env.folder, "PM-GOES", actions(2, "disk"), name="goes.md")
    env.sync()
    gone.unlink()
    planned = env.sync(dry_run=True).results[0]
    assert planned.counts["orphaned"] == 2 and planned.plan.vanished_files
    result = twice(env)[0]
    assert result.counts["orphaned"] == 2 and str(gone) in result.plan.vanished_files
    states = {r["postmortem"]: r["state"] for r in status_rows(env.store_url)}
    assert states == {"PM-STAYS": "open", "PM-GOES": "orphaned"}
    with env.store() as store:
        report = build_overdue(store, as_of=dt.date(2025, 1, 1), slo_days={}, record=False)
    assert {i.postmortem_id for i in report.overdue} == {"PM-STAYS"}  # the file's gone: no more chasing
    open_issues = [i for i in env.issues() if env.is_open(i)]
    assert len(open_issues) == 3  # nothing closed without --close-orphans
    env.sync(close_orphans=True)
    assert {r["postmortem"]: r["state"] for r in status_rows(env.store_url)}["PM-GOES"] == "dropped"


def test_an_unreadable_file_is_not_a_vanished_one(tracker_env: Any) -> None:
    env = tracker_env("jira")
    path = write_pm(env.folder, "PM-BROKEN", actions(1))
    env.sync()
    path.write_bytes(b"\xff\x00\xfe not text")  # no encoding we read (\xff\xfe alone opens UTF-16)
    report = env.sync()
    assert report.skipped_files == [path]
    assert all(r.counts["orphaned"] == 0 and not r.plan.vanished_files for r in report.results)
    assert [r["state"] for r in status_rows(env.store_url)] == ["open"]


# -- case 10: --tracker does not override a postmortem's own tracker ------------------------------


def test_tracker_option_refuses_postmortems_that_name_another(tracker_env: Any) -> None:
    env = tracker_env("jira")
    write_pm(env.folder, "PM-GH", actions(2), extra="tracker: github\n")
    write_pm(env.folder, "PM-ANY", actions(1, "disk"))
    with pytest.raises(UsageError, match="name another tracker") as refused:
        env.sync()
    assert "tracker: github" in refused.value.message and "--force-tracker" in str(refused.value.hint)
    assert env.sb.jira.issues() == [] and env.sb.github.issues() == []
    plain = sync_paths([env.folder], env.config, options=SyncOptions(), factory=env.make_tracker)
    assert {r.tracker: r.counts["create"] for r in plain.results} == {"github": 2, "jira": 1}
    forced = sync_paths([env.folder], env.config, tracker="jira", force_tracker=True,
                        options=SyncOptions(), factory=env.make_tracker)
    # Forced, the GitHub postmortem's actions are already linked there: skipped, not duplicated.
    jira = next(r for r in forced.results if r.tracker == "jira")
    assert jira.counts["create"] == 0 and len(jira.plan.skipped) == 2
    assert len(env.sb.jira.issues()) == 1 and len(env.sb.github.issues("acme/ops")) == 2


def test_tracker_option_sends_postmortems_without_a_tracker(tracker_env: Any) -> None:
    env = tracker_env("github")
    write_pm(env.folder, "PM-PLAIN", actions(2))
    assert twice(env)[0].counts["create"] == 2
    assert env.sb.jira.issues() == [] and len(env.sb.github.issues("acme/ops")) == 2


def test_jira_search_lag_hides_no_issue_and_deletes_none(tracker_env: Any) -> None:
    """Jira's search is eventually consistent: an issue too new to be indexed must not be
    taken for deleted by the existence check, nor created twice by the check before a create."""
    env = tracker_env("jira", search_lag_ms=20_000, sync={"search_lag_seconds": 30})
    write_pm(env.folder, "PM-LAG", actions(3))
    env.sync()
    again = env.sync().results[0]  # seconds later: the index does not show them yet
    assert again.counts["deleted upstream"] == 0 and again.counts["create"] == 0
    env.sb.advance_time(60)
    later = env.sync().results[0]
    assert later.counts["deleted upstream"] == 0 and later.verified == 3
    assert_one_issue_each(env, ids_of(env))
