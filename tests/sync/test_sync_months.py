"""What a team does to its postmortems and issues over months, through the real clients
against the emulator and a real SQLite store: every scenario ends with one live issue per
action, the store linked to it, and a re-run that writes nothing."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Any

from sync_support import actions, assert_one_issue_each, body_of, delete, drop_store, ident, live, twice, write_pm

from actiontrack.status import status_rows
from actiontrack.trackers import markers


def ids_of(env: Any) -> set[str]:
    with env.store() as store:
        return {row.id for row in store.actions(removed=False)}


# -- the document changes between syncs ------------------------------------------------------


def test_a_changed_postmortem_id_keeps_every_issue(tracker_env: Any, tracker_name: str) -> None:
    """Someone gives the postmortem its proper id after the first sync: its actions are the
    same actions, so they keep their issues (and their markers name the new ids)."""
    env = tracker_env(tracker_name)
    path = write_pm(env.folder, "draft-outage", actions(3), name="outage.md")
    twice(env)
    keys = sorted(str(ident(env, i)) for i in env.issues())
    path.write_text(path.read_text(encoding="utf-8").replace('id: "draft-outage"', 'id: "PM-2024-007"'),
                    encoding="utf-8")
    env.sb.advance_time(10)
    result = twice(env)[0]
    assert result.counts["create"] == 0, result.counts
    assert sorted(str(ident(env, i)) for i in env.issues()) == keys
    assert all(a.startswith("PM-2024-007:") for a in ids_of(env))
    assert_one_issue_each(env, ids_of(env))


def test_a_renamed_file_without_an_id_keeps_every_issue(tracker_env: Any, tracker_name: str) -> None:
    """A postmortem without a front-matter id takes its id from the file name: renaming the
    file (a typo fixed, a date added) must not open a second issue per action."""
    env = tracker_env(tracker_name)
    text = ("# Outage\n## Action items\n"
            + "".join(f"- [ ] {line}\n" for line in actions(3)))
    old = env.folder / "cdc-stall.md"
    old.write_text(text, encoding="utf-8")
    twice(env)
    old.rename(env.folder / "2024-06-30-cdc-connector-stall.md")
    env.sb.advance_time(10)
    result = twice(env)[0]
    assert result.counts["create"] == 0, result.counts
    assert len(env.issues()) == 3
    assert_one_issue_each(env, ids_of(env))


def test_an_action_moved_to_another_postmortem_keeps_its_issue(tracker_env: Any, tracker_name: str) -> None:
    """An action cut from one postmortem and pasted into the follow-up one is the same
    work: it keeps its issue rather than leaving an orphan and a twin."""
    env = tracker_env(tracker_name)
    lines = actions(3)
    write_pm(env.folder, "PM-A", lines, name="a.md")
    write_pm(env.folder, "PM-B", ["Document the cutover plan — owner: sato, due: 2024-07-01"], name="b.md")
    twice(env)
    moved = lines[2]
    write_pm(env.folder, "PM-A", lines[:2], name="a.md")
    write_pm(env.folder, "PM-B", ["Document the cutover plan — owner: sato, due: 2024-07-01", moved], name="b.md")
    env.sb.advance_time(10)
    result = twice(env)
    assert sum(r.counts["create"] for r in result) == 0, [r.counts for r in result]
    assert len(env.issues()) == 4
    assert all(env.is_open(i) for i in env.issues())
    assert_one_issue_each(env, ids_of(env))


# -- a second machine and an old store -------------------------------------------------------


def test_an_old_store_after_others_moved_on(tracker_env: Any, tracker_name: str) -> None:
    """A laptop's store from weeks ago syncs after CI rekeyed, closed and recreated issues:
    it must converge on what the tracker holds, not undo it or add twins."""
    env = tracker_env(tracker_name)
    lines = actions(4)
    path = write_pm(env.folder, "PM-OLD", lines, name="old.md")
    twice(env)
    store_file = Path(env.store_url.removeprefix("sqlite:///"))
    old_copy = store_file.with_name("weeks-ago.db")
    shutil.copy(store_file, old_copy)

    lines[0] = lines[0].replace("Alert when queue 0 depth exceeds", "Page when queue 0 depth stays above")
    del lines[3]
    lines.append("Add a dashboard for consumer lag — owner: sato, due: 2024-08-01")
    write_pm(env.folder, "PM-OLD", lines, name=path.name)
    env.sb.advance_time(3600)
    twice(env, close_orphans=True)
    wanted = ids_of(env)

    env.sb.advance_time(14 * 86400)
    store_file.unlink()  # the laptop's copy from before all that
    shutil.copy(old_copy, store_file)
    result = twice(env)
    assert sum(r.counts["create"] for r in result) == 0, [r.counts for r in result]
    assert ids_of(env) == wanted
    assert len(live(env)) == 5  # four still in the file, one closed as dropped
    assert_one_issue_each_open(env, wanted)


def assert_one_issue_each_open(env: Any, wanted: set[str]) -> None:
    """One open issue per action in the file, each linked to it; the orphan stays closed."""
    open_by_action: dict[str, int] = {}
    for issue in live(env):
        if env.is_open(issue):
            named = str(markers.action_id_of_property((issue.get("properties") or {}).get(markers.PROPERTY_KEY))
                        or markers.action_id_in(body_of(env, issue)))
            open_by_action[named] = open_by_action.get(named, 0) + 1
    assert open_by_action == dict.fromkeys(wanted, 1)
    with env.store() as store:
        links = store.links()
    keys = {str(ident(env, i)): env.is_open(i) for i in live(env)}
    assert all(keys[links[a].key] for a in wanted)


# -- owners in every shape, through write-back ----------------------------------------------

OWNER_DOC = (
    "---\nid: PM-OWNERS\ntitle: Owners\ndate: 2024-05-01\n---\n# Outage\n## Action items\n"
    "- [ ] Add an alert on queue depth — owner: @dana, due: 2024-06-01\n"
    "- [ ] Write the failover runbook — owner: dana, due: 2024-06-02\n"
    "- [ ] Rotate the replica certificates — owner: Dana Ops <dana@example.com>, due: 2024-06-03\n"
    "- [ ] Load test the router @dana due 2024-06-05\n"
    "- [ ] Load test the gateway — owner: team-sre, due: 2024-06-04\n"
    "\n## Follow-ups\n| Action | Owner | Due |\n|---|---|---|\n"
    "| Shard the queue by tenant | @lee | 2024-06-06 |\n"
)


def assignees(env: Any) -> dict[str, str | None]:
    """Issue title → the account it is assigned to."""
    out: dict[str, str | None] = {}
    for issue in env.issues():
        if env.tracker == "jira":
            who = issue.get("assignee")
            out[issue["summary"]] = (who or {}).get("accountId") if isinstance(who, dict) else who
        else:
            logins = issue.get("assignees") or []
            out[issue["title"]] = logins[0] if logins else None
    return out


def test_owners_in_every_shape_survive_write_back_and_agree_everywhere(
        tracker_env: Any, tracker_name: str) -> None:
    """`@dana`, `dana`, `Dana Ops <dana@example.com>`, a trailing `@dana`, a team and a table
    cell: after a write-back and two more syncs the file's owners are as written, every issue
    of Dana's is assigned to her account, and `status --owner dana` lists exactly hers."""
    import json

    from typer.testing import CliRunner

    from actiontrack.cli import app
    from actiontrack.reader import read_file
    from fixtures_sync import sandbox_config, to_toml

    env = tracker_env(tracker_name)
    data = sandbox_config(env.sb, env.store_url, tracker=tracker_name)
    data["owners"] = {"dana": {"jira": "5b10ac8d82e05b22cc7d4ef5", "github": "dana", "gitlab": "dana"},
                      "lee": {"jira": "5b10ac8d82e05b22cc7d4ef6", "github": "lee", "gitlab": "lee"}}
    config = env.folder.parent / "owners.toml"
    config.write_text(to_toml(data), encoding="utf-8")
    path = env.folder / "pm.md"
    path.write_text(OWNER_DOC, encoding="utf-8")
    before = [(a.title, a.owner, a.due) for a in read_file(path).postmortem.actions]  # type: ignore[union-attr]

    def cli(*args: str) -> Any:
        result = CliRunner().invoke(app, ["--config", str(config), *args])
        assert result.exit_code == 0, result.output
        return result

    cli("sync", str(env.folder), "--write-back")
    env.sb.advance_time(5)
    cli("sync", str(env.folder), "--write-back")
    after = read_file(path).postmortem
    assert after is not None
    assert [(a.title, a.owner, a.due) for a in after.actions] == before
    assert all(a.ticket for a in after.actions)
    writes = env.writes()
    env.sb.advance_time(5)
    cli("sync", str(env.folder))
    assert env.writes() == writes  # nothing to push after the write-back
    account, lee = "dana", "lee"  # (the emulator shows Jira's assignee by user name)
    assert assignees(env) == {
        "Add an alert on queue depth": account, "Write the failover runbook": account,
        "Rotate the replica certificates": account, "Load test the router": account,
        "Load test the gateway": None, "Shard the queue by tenant": lee}
    mine = json.loads(cli("status", "--owner", "dana", "--format", "json").output)
    rows = mine if isinstance(mine, list) else mine["actions"]
    assert sorted(r["title"] for r in rows) == sorted(
        ["Add an alert on queue depth", "Write the failover runbook", "Rotate the replica certificates",
         "Load test the router"])
    assert {r["state"] for r in rows} == {"open"}


# -- the issue key written back anchors the action ------------------------------------------


def _sync_cli(env: Any, *extra: str) -> Any:
    from typer.testing import CliRunner

    from actiontrack.cli import app

    result = CliRunner().invoke(app, ["--config", str(env.write_config()), "sync", str(env.folder),
                                      "--tracker", env.tracker, *extra])
    assert result.exit_code == 0, result.output
    return result


def assert_rerun_is_a_no_op(env: Any, *flags: str) -> None:
    """Another sync writes nothing to the tracker, and every action still has exactly one issue."""
    writes = env.writes()
    env.sb.advance_time(5)
    _sync_cli(env, *flags)
    assert env.writes() == writes
    assert_one_issue_each(env, ids_of(env))


def test_a_rewritten_action_keeps_the_issue_its_written_back_key_names(
        tracker_env: Any, tracker_name: str) -> None:
    """After --write-back put `OPS-2` (or the issue URL) beside an action, a person rewrites
    the action in other words and moves it to the end of the list: the key beside it says
    which issue it is, so that issue is updated, no second one made, nothing orphaned."""
    env = tracker_env(tracker_name)
    path = write_pm(env.folder, "PM-TICKET", actions(3), name="t.md")
    _sync_cli(env, "--write-back")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    items = [i for i, line in enumerate(lines) if line.startswith("- [ ]")]
    first = lines[items[0]]
    ticket = first.split("#detection", 1)[1].strip()
    assert ticket, first
    reworded = f"- [ ] Page the on-call engineer about backlog growth — owner: sato {ticket}"
    del lines[items[0]]
    lines.insert(items[-1], reworded)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env.sb.advance_time(10)
    _sync_cli(env, "--close-orphans")
    assert len(env.issues()) == 3 and all(env.is_open(i) for i in env.issues())
    titles = sorted(i[env.title_key()] for i in env.issues())
    assert "Page the on-call engineer about backlog growth" in titles
    assert_rerun_is_a_no_op(env)


def test_a_fresh_store_adopts_an_issue_stripped_of_every_marker_by_its_written_back_key(
        tracker_env: Any) -> None:
    """GitHub's worst case: a person removed the label, rewrote the body (the hidden marker
    with it) and retitled the issue. A second machine with a fresh store cannot know it by
    any marker, but the file says `…/issues/N` beside the action: that issue is adopted and
    its markers put back, not a twin created."""
    env = tracker_env("github")
    write_pm(env.folder, "PM-BARE", actions(2), name="b.md")
    _sync_cli(env, "--write-back")
    victim = min(env.issues(), key=lambda i: i["number"])
    env.sb.github.edit_issue(victim["number"], labels=[], body="We'll handle this in Q3.",
                             title="Backlog alerting (Q3)")
    drop_store(env)
    env.sb.advance_time(10)
    env.sb.set_faults("github:GET:/repos/*/issues/*=429:30@#1")  # the read by number is rate limited once
    _sync_cli(env)
    env.sb.clear_faults()
    assert any(r.status == 429 for r in env.sb.requests(tracker="github"))
    assert len(env.issues()) == 2
    again = {i["number"]: i for i in env.issues()}[victim["number"]]
    assert "actiontrack" in again["labels"] and markers.action_id_in(again["body"])
    assert again["title"] == victim["title"]  # a store that never saw the edit adopts with the file's fields
    assert_rerun_is_a_no_op(env)


# -- people close, reopen and move issues ----------------------------------------------------


def test_close_reopen_and_move_in_the_tracker_reach_the_store_and_the_file(
        tracker_env: Any, tracker_name: str) -> None:
    """Done in the tracker ticks the box (--write-back); reopened, the store says open again
    and the box is unticked, so the file does not claim done work that is open; an issue
    moved to another open status stays open; won't do is dropped."""
    env = tracker_env(tracker_name)
    path = write_pm(env.folder, "PM-LIFE", actions(2), name="life.md")
    _sync_cli(env, "--write-back")
    first = min(env.issues(), key=lambda i: int(str(ident(env, i)).split("-")[-1]))
    key = ident(env, first)

    def state() -> str:
        (row,) = [r for r in status_rows(env.store_url) if r["title"] == first[env.title_key()]]
        return str(row["state"])

    def box() -> str:
        line = next(x for x in path.read_text(encoding="utf-8").splitlines() if "queue 0 " in x)
        return line[:5]

    env.close(key)
    env.sb.advance_time(10)
    _sync_cli(env, "--write-back")
    assert (state(), box()) == ("done", "- [x]")
    env.reopen(key)
    env.sb.advance_time(10)
    _sync_cli(env, "--write-back")
    assert state() == "open"
    assert box() == "- [ ]"
    if tracker_name == "jira":
        env.sb.jira.transition(key, "In Progress")
        env.sb.advance_time(10)
        _sync_cli(env, "--write-back")
        assert (state(), box()) == ("open", "- [ ]")
    assert all(env.is_open(i) for i in env.issues())  # the sync closed nothing on its own
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "queue 0 " in x)
    path.write_text(text.replace(line, line.replace("- [ ]", "- [x]", 1)), encoding="utf-8")
    env.sb.advance_time(10)
    _sync_cli(env, "--write-back")
    assert box() == "- [x]"  # a person's own tick is theirs: only a reopen seen by this sync unticks
    env.close(key, dropped=True)
    env.sb.advance_time(10)
    _sync_cli(env, "--write-back")
    assert state() == "dropped"
    assert_rerun_is_a_no_op(env, "--write-back")


# -- two machines, one of which cleans up ---------------------------------------------------


def test_a_machine_whose_copies_another_closed_as_duplicates_follows_the_kept_issues(
        tracker_env: Any, tmp_path: Path) -> None:
    """A laptop with a fresh store syncs while Jira's search still hides CI's new issues, so
    it makes its own. CI's `doctor --fix` closes the laptop's copies as duplicates. The
    laptop then only syncs: it must move to the kept issues, not keep reporting closed
    duplicates as its actions' issues (status "dropped" for open work)."""
    from actiontrack.store import Store
    from actiontrack.sync.doctor import Doctor
    from actiontrack.trackers.registry import open_tracker

    ci = tracker_env("jira", search_lag_ms=30_000)
    laptop_url = f"sqlite:///{tmp_path / 'laptop.db'}"
    laptop = type(ci)(ci.sb, ci.folder, laptop_url, ci.tracker, ci.config.model_copy(
        update={"store": ci.config.store.model_copy(update={"url": laptop_url})}))
    write_pm(ci.folder, "PM-LAG", actions(3))
    ci.sync()
    ci.sb.advance_time(5)
    laptop.sync()
    assert len(ci.issues()) == 6  # the race the search lag allows
    ci.sb.advance_time(120)
    with Store.open(ci.store_url) as store:
        doctor = Doctor(store, open_tracker("jira", ci.config, target=None), ci.config)
        doctor.fix(doctor.examine(), confirm=lambda kind, found: True)
    assert len(live(ci)) == 3
    for env in (laptop, ci):
        env.sb.advance_time(120)
        twice(env)
        assert_one_issue_each(env, ids_of(env))
        assert {r["state"] for r in status_rows(env.store_url)} == {"open"}


def test_an_old_store_linked_to_an_issue_deleted_and_recreated_since_moves_to_the_new_one(
        tracker_env: Any, tracker_name: str) -> None:
    """CI noticed a person's deletion and made a new issue; a laptop's weeks-old store still
    links the deleted one. Its next syncs must end on the new issue without making a third."""
    env = tracker_env(tracker_name)
    write_pm(env.folder, "PM-RECREATE", actions(6))
    twice(env)
    store_file = Path(env.store_url.removeprefix("sqlite:///"))
    old_copy = store_file.with_name("laptop.db")
    shutil.copy(store_file, old_copy)
    victim = min(env.issues(), key=lambda i: int(str(ident(env, i)).split("-")[-1]))
    delete(env, victim)
    env.sb.advance_time(60)
    env.sync(full=True)
    env.sb.advance_time(60)
    twice(env)
    assert len(env.issues()) == 6
    store_file.unlink()
    shutil.copy(old_copy, store_file)
    env.sb.advance_time(3600)
    env.sync()
    env.sb.advance_time(60)
    twice(env)
    assert len(env.issues()) == 6
    assert_one_issue_each(env, ids_of(env))


def test_an_action_put_back_after_its_orphan_was_closed_is_named_in_a_warning(
        tracker_env: Any, tracker_name: str) -> None:
    """An action deleted from the file (its issue closed by --close-orphans) is put back: no
    tracker module reopens an issue, so the sync says which action and issue, once, rather
    than let status show the returned work as dropped without a word; nothing is duplicated."""
    env = tracker_env(tracker_name)
    lines = actions(2)
    path = write_pm(env.folder, "PM-UNDO", lines, name="undo.md")
    twice(env)
    write_pm(env.folder, "PM-UNDO", lines[:1], name=path.name)
    env.sb.advance_time(10)
    env.sync(close_orphans=True)
    closed = [i for i in env.issues() if not env.is_open(i)]
    assert len(closed) == 1
    write_pm(env.folder, "PM-UNDO", lines, name=path.name)
    env.sb.advance_time(10)
    back = env.sync().results[0]
    (warning,) = back.warnings
    assert f"issue {ident(env, closed[0])} was closed" in warning and "PM-UNDO:" in warning
    assert back.counts["create"] == 0
    env.sb.advance_time(10)
    assert env.sync().results[0].warnings == []  # said once, when it came back
    assert len(env.issues()) == 2
    assert_one_issue_each(env, ids_of(env))


# -- faults in the middle of a rewording -----------------------------------------------------


def test_a_rewording_whose_push_failed_is_finished_by_the_next_run(tracker_env: Any, tracker_name: str) -> None:
    """The store takes the new id before the issue's markers are rewritten; when that push
    fails (the tracker down for the rest of the run), the next run must still treat the
    issue as this action's, push the markers, and make no second issue."""
    from actiontrack.errors import ActionTrackError

    env = tracker_env(tracker_name)
    lines = actions(2)
    path = write_pm(env.folder, "PM-HALF", lines, name="half.md")
    twice(env)
    lines[0] = lines[0].replace("Alert when queue 0 depth exceeds", "Alert the on-call when queue 0 depth exceeds")
    write_pm(env.folder, "PM-HALF", lines, name=path.name)
    env.sb.advance_time(10)
    method = {"jira": "PUT", "github": "PATCH", "gitlab": "PUT"}[tracker_name]
    env.sb.set_faults(f"{tracker_name}:{method}:*=503@1+")
    with contextlib.suppress(ActionTrackError):  # giving up on a tracker that stays down is fine
        env.sync()
    env.sb.clear_faults()
    env.sb.advance_time(600)
    result = twice(env)[0]
    assert result.counts["create"] == 0, result.counts
    assert len(env.issues()) == 2
    assert_one_issue_each(env, ids_of(env))
    assert any("Alert the on-call" in i[env.title_key()] for i in env.issues())


def test_an_old_store_after_another_machine_changed_the_postmortem_id(tracker_env: Any, tracker_name: str) -> None:
    """CI synced the postmortem under its new id (its issues now name the new ids); a laptop
    whose store still knows the old id syncs the same file: it follows, orphaning nothing."""
    env = tracker_env(tracker_name)
    path = write_pm(env.folder, "draft", actions(3), name="incident.md")
    twice(env)
    store_file = Path(env.store_url.removeprefix("sqlite:///"))
    old_copy = store_file.with_name("laptop.db")
    shutil.copy(store_file, old_copy)
    path.write_text(path.read_text(encoding="utf-8").replace('id: "draft"', 'id: "PM-2024-031"'), encoding="utf-8")
    env.sb.advance_time(60)
    twice(env)
    store_file.unlink()
    shutil.copy(old_copy, store_file)
    env.sb.advance_time(3600)
    result = twice(env)[0]
    assert result.counts["create"] == 0 and result.counts["orphaned"] == 0, result.counts
    assert all(env.is_open(i) for i in env.issues()) and len(env.issues()) == 3
    assert all(a.startswith("PM-2024-031:") for a in ids_of(env))
    assert_one_issue_each(env, ids_of(env))


def test_an_issue_a_person_moved_to_another_jira_project_is_followed_not_recreated(tracker_env: Any) -> None:
    """A person moves an action's issue to the project of the team that owns the work: new
    key, same id. The next syncs (and a fresh store) keep that issue, under its new key."""
    env = tracker_env("jira")
    lines = actions(3)
    path = write_pm(env.folder, "PM-MOVE", lines, name="move.md")
    twice(env)
    moved = env.sb.jira.move("OPS-2", "PM")
    env.sb.advance_time(60)
    lines[1] = lines[1].replace("Alert when queue 1", "Page when queue 1")
    write_pm(env.folder, "PM-MOVE", lines, name=path.name)
    result = twice(env)[0]
    assert result.counts["create"] == 0, result.counts
    everywhere = env.sb.jira.issues()
    assert len(everywhere) == 3 and [i["key"] for i in everywhere] == ["OPS-1", moved["key"], "OPS-3"]
    assert env.sb.jira.issue(moved["key"])["summary"].startswith("Page when queue 1")
    with env.store() as store:
        assert sorted(link.key for link in store.links().values()) == ["OPS-1", "OPS-3", moved["key"]]
    drop_store(env)  # a second machine, from nothing
    env.sb.advance_time(60)
    again = twice(env)[0]
    assert again.counts["create"] == 0, again.counts
    assert len(env.sb.jira.issues()) == 3


def test_an_issue_a_person_transferred_to_another_repository_is_followed_not_recreated(tracker_env: Any) -> None:
    """GitHub answers the old number with 301 to the new repository (every verb). The
    action keeps that issue: its changes go there, no twin is made in the old repository,
    and no other issue of the old repository is touched by mistake (the number there may be
    an unrelated issue's)."""
    env = tracker_env("github", github_repos=("acme/ops", "acme/other"))
    lines = actions(3)
    path = write_pm(env.folder, "PM-XFER", lines, name="xfer.md")
    twice(env)
    before = {i["number"]: i["title"] for i in env.issues()}
    moved = env.sb.github.transfer_issue(4, "acme/other")  # lands as acme/other#3: ops#3 is ours too
    env.sb.advance_time(60)
    lines[1] = lines[1].replace("Alert when queue 1", "Page when queue 1")
    write_pm(env.folder, "PM-XFER", lines, name=path.name)
    result = twice(env)[0]
    assert result.counts["create"] == 0, result.counts
    assert {i["number"]: i["title"] for i in env.issues()} == {n: t for n, t in before.items() if n != 4}
    there = env.sb.github.issue(moved["number"], repo="acme/other")
    assert there["title"].startswith("Page when queue 1"), there["title"]
    with env.store() as store:
        links = {link.key: link for link in store.links().values()}
    assert sorted(links) == ["3", "4", "5"]
    for key in ("3", "5"):  # the untouched issues' records are theirs, not the moved one's
        assert links[key].base_title == before[int(key)] and "/acme/ops/" in str(links[key].url), links[key]
    env.sb.advance_time(3600)
    env.sync(full=True)
    assert {i["number"]: i["title"] for i in env.issues()} == {n: t for n, t in before.items() if n != 4}
    with env.store() as store:
        assert store.links()[links["3"].action_id].base_title == before[3]
