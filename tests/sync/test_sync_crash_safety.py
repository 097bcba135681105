"""Crash safety: kills at every request boundary, injected faults, lag, concurrent runs.

The killed process is the real CLI (`python -m actiontrack sync`) in a subprocess. The
emulator kills it from its request hook: after the request was served and its state
committed, before the response is sent — the worst moment for a create.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from actiontrack.errors import ActionTrackError, LockedError, RateLimitedError

N_ACTIONS = 50


def write_actions(folder: Path, count: int = N_ACTIONS) -> None:
    dues = ["2024-06-03", "2024-06-10", "2024-06-17", "2024-06-24", "2024-07-01"]
    lines = [
        f"- [ ] Add a CI check number {n} that fails when queue {n} exceeds {n * 10} items"
        f" — owner: {'ikki' if n % 2 else 'sato'}, due: {dues[n % 5]} #development #recurrence"
        for n in range(count)
    ]
    text = "---\nid: PM-CRASH\ntitle: Crash test\ndate: 2024-05-01\n---\n# Crash\n## Action items\n"
    (folder / "crash.md").write_text(text + "\n".join(lines) + "\n", encoding="utf-8")


def assert_exactly_once(env: Any, count: int = N_ACTIONS) -> None:
    titles = Counter(issue[env.title_key()] for issue in env.issues())
    assert len(titles) == count and set(titles.values()) == {1}, titles.most_common(3)
    with env.store() as store:
        links = store.links()
    assert len(links) == count and all(link.key for link in links.values())


def run_cli(env: Any, config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "actiontrack", "--config", str(config), "sync", str(env.folder),
         "--tracker", env.tracker],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ),
    )


def requests_of_a_full_sync(tracker_env: Any, tracker: str) -> int:
    env = tracker_env(tracker)
    write_actions(env.folder)
    process = run_cli(env, env.write_config())
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    assert_exactly_once(env)
    return len(env.sb.requests(tracker=tracker))


class KillAt:
    """Kill a process when the emulator has served its Nth request (before answering it)."""

    def __init__(self, boundary: int) -> None:
        self.boundary, self.seen, self.pid = boundary, 0, 0
        self.lock = threading.Lock()

    def __call__(self, record: Any) -> None:
        with self.lock:
            self.seen += 1
            if self.seen == self.boundary and self.pid:
                os.kill(self.pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.timeout(900)  # dozens of real CLI runs, each killed and rerun: minutes on a busy machine
def test_sigkill_at_every_request_boundary_then_rerun(tracker_env: Any, tracker_name: str) -> None:
    total = requests_of_a_full_sync(tracker_env, tracker_name)
    assert total >= 3
    for boundary in range(1, total + 1):
        env = tracker_env(tracker_name)
        write_actions(env.folder)
        killer = KillAt(boundary)
        env.sb.on_request(killer)
        process = run_cli(env, env.write_config())
        killer.pid = process.pid
        process.communicate(timeout=120)
        assert process.returncode == -signal.SIGKILL, f"boundary {boundary} of {total} was never reached"
        env.sb.on_request(None)
        env.sync()  # the re-run, in process
        assert_exactly_once(env)


def assert_one_epic_over_everything(env: Any, count: int) -> None:
    issues = env.sb.jira.issues("OPS")
    epics = [i for i in issues if i["issuetype"] == "Epic"]
    children = [i for i in issues if i["issuetype"] != "Epic"]
    assert len(epics) == 1, [e["key"] for e in epics]
    assert len(children) == count and all(c["parent"] == epics[0]["key"] for c in children)
    assert len({c["summary"] for c in children}) == count  # no action twice
    with env.store() as store:
        links = store.links()
    assert len(links) == count + 1 and all(link.key for link in links.values())  # the epic's link too


@pytest.mark.slow
def test_sigkill_at_every_boundary_with_parent_grouping_makes_one_epic(tracker_env: Any) -> None:
    """The epic is made first (intent, then create) and its actions under it: a kill between
    any two requests never leaves a second epic or an action without its parent."""
    def fresh() -> Any:
        env = tracker_env("jira", sync={"group": "parent"})
        write_actions(env.folder, 5)
        return env

    env = fresh()
    process = run_cli(env, env.write_config())
    assert process.wait(timeout=120) == 0
    assert_one_epic_over_everything(env, 5)
    total = len(env.sb.requests(tracker="jira"))
    for boundary in range(1, total + 1):
        env = fresh()
        killer = KillAt(boundary)
        env.sb.on_request(killer)
        process = run_cli(env, env.write_config())
        killer.pid = process.pid
        process.communicate(timeout=120)
        assert process.returncode == -signal.SIGKILL, f"boundary {boundary} of {total} was never reached"
        env.sb.on_request(None)
        env.sync()  # the re-run, in process
        assert_one_epic_over_everything(env, 5)


FAULTS = {
    "jira": "jira:*:*=429@0.1,jira:*:*=503@0.05,jira:POST:/rest/api/2/issue/bulk=timeout-after-commit:close@0.2",
    "github": "github:*:*=429@0.05,github:*:*=502@0.05,github:GET:*=secondary@0.05,"
              "github:POST:/repos/*/issues=timeout-after-commit:close@0.2",
    "gitlab": "gitlab:*:*=429@0.05,gitlab:*:*=502@0.05,gitlab:GET:*=503@0.05,"
              "gitlab:POST:/api/v4/projects/*/issues=timeout-after-commit:close@0.2,"
              "gitlab:PUT:/api/v4/projects/*/issues/*=timeout-after-commit:close@0.1",
}


def test_twenty_percent_faults_still_make_each_issue_once(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name, faults=FAULTS[tracker_name], seed=7)
    write_actions(env.folder)
    failures = []
    for _attempt in range(15):
        try:
            report = env.sync()
        except ActionTrackError as error:  # a run may stop cleanly; the next one resumes
            failures.append(error.message)
            continue
        if not report.results[0].errors:
            break
    env.sb.clear_faults()
    env.sync()
    assert_exactly_once(env)
    assert env.sb.counts()["total"] > N_ACTIONS // 50


def test_search_lag_is_waited_out_before_recreating(tracker_env: Any) -> None:
    """Jira's search lags behind writes: an unanswered bulk create must not be re-sent blindly."""
    env = tracker_env("jira", search_lag_ms=20_000, sync={"search_lag_seconds": 30},
                      faults="jira:POST:/rest/api/2/issue/bulk=timeout-after-commit:close@#1")
    write_actions(env.folder, 10)
    env.sync()
    assert env.sb.count("jira", "POST", "/rest/api/2/issue/bulk") == 1
    assert any(s >= 20 for s in env.sleeps), env.sleeps
    assert_exactly_once(env, 10)


def test_two_syncs_at_once_make_no_duplicates(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name, latency_ms=20)
    write_actions(env.folder, 20)
    first_is_talking = threading.Event()
    env.sb.on_request(lambda record: first_is_talking.set())
    outcomes: list[str] = []

    def first_run() -> None:
        env.sync(lock_wait=0)
        outcomes.append("ran")

    thread = threading.Thread(target=first_run)
    thread.start()
    assert first_is_talking.wait(30), "the first sync never reached the tracker"
    with pytest.raises(LockedError) as second:
        env.sync(lock_wait=0)
    thread.join(timeout=120)
    assert outcomes == ["ran"]
    assert "pid" in second.value.message and "sync" in second.value.message
    assert_exactly_once(env, 20)


def test_a_batch_stopped_by_the_hourly_write_cap_keeps_what_it_made(tracker_env: Any) -> None:
    from actiontrack.trackers.github import GitHubTracker

    env = tracker_env("github")
    write_actions(env.folder, 10)

    def capped(name: str, config: Any, target: str | None) -> Any:
        tracker = GitHubTracker(config.tracker_settings("github"), token=env.sb.github_token, write_interval=0.001,
                                writes_per_hour=6)
        return tracker

    env.make_tracker = capped  # type: ignore[method-assign]
    with pytest.raises(RateLimitedError):
        env.sync()
    made = len(env.issues())
    assert 0 < made < 10
    with env.store() as store:
        linked = [link for link in store.links().values() if link.key]
    assert len(linked) == made  # every issue that exists is already recorded
