"""Progress per request, a bar on a terminal, plain lines elsewhere, notes once per run, and
what a stopped run (Ctrl-C, retries used up) had done — with the store left to resume from."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from actiontrack.errors import RateLimitedError
from actiontrack.sync import SyncOptions, sync_paths

LINE = "- [ ] Add an alert for replica lag number {n} above 60 s — owner: {owner}, due: 2024-06-01 #post-release #detection\n"


def write_actions(folder: Path, count: int, *, owner: str = "ikki") -> None:
    text = "---\nid: PM-PROG\ndate: 2024-05-01\n---\n# Outage\n## Action items\n"
    text += "".join(LINE.format(n=n, owner=owner if n % 2 else "ikki") for n in range(count))
    (folder / "pm.md").write_text(text, encoding="utf-8")


def cli_command(config: Path, folder: Path, tracker: str) -> list[str]:
    return [sys.executable, "-m", "actiontrack", "--config", str(config), "sync", str(folder), "--tracker", tracker]


@pytest.mark.parametrize(("tracker", "requests"), [("github", 25), ("jira", 1)])
def test_progress_advances_per_create_request(tracker_env: Any, tracker: str, requests: int) -> None:
    """GitHub creates one issue per request, so the bar moves 25 times; Jira's bulk once."""
    env = tracker_env(tracker)
    write_actions(env.folder, 25)
    ticks: list[tuple[str, int, int]] = []
    sync_paths([env.folder], env.config, tracker=tracker, options=SyncOptions(),
               factory=env.make_tracker, progress=lambda *tick: ticks.append(tick))
    creates = [done for stage, done, total in ticks if stage == "create" and total == 25]
    assert creates[0] == 0 and creates[-1] == 25
    assert len(creates) == requests + 1
    assert len(env.issues()) == 25


def test_plain_lines_when_not_a_terminal_and_notes_once(tracker_env: Any) -> None:
    env = tracker_env("github")
    write_actions(env.folder, 25, owner="nobody-mapped")
    done = subprocess.run(cli_command(env.write_config(), env.folder, "github"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "  create: 0/25" in done.stderr and "  create: 25/25" in done.stderr
    assert "\x1b[" not in done.stderr  # no terminal codes in a log
    notes = [line for line in done.stdout.splitlines() if line.startswith("note:")]
    assert notes == ["note: 1 owner has no account in [owners], so their issues are unassigned "
                     "(github: nobody-mapped)"]


def run_in_terminal(argv: list[str], timeout: float = 120) -> tuple[int, str]:
    """Run with stderr on a pseudo-terminal (as a person would), collecting what it draws."""
    master, slave = pty.openpty()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave, text=False,
                             env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(slave)
    drawn = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            drawn += chunk
        elif child.poll() is not None:
            break
    code = child.wait(timeout=10)
    os.close(master)
    return code, drawn.decode("utf-8", "replace")


def test_a_terminal_gets_a_progress_bar_on_a_run_longer_than_a_second(tracker_env: Any) -> None:
    env = tracker_env("github", latency_ms=80)
    write_actions(env.folder, 25)
    code, drawn = run_in_terminal(cli_command(env.write_config(), env.folder, "github"))
    assert code == 0, drawn
    assert "create" in drawn and "25/25" in drawn and "━" in drawn


def test_ctrl_c_says_what_was_done_and_the_next_run_resumes(tracker_env: Any) -> None:
    env = tracker_env("github", latency_ms=150)
    write_actions(env.folder, 25)
    config = env.write_config()
    child = subprocess.Popen(cli_command(config, env.folder, "github"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    for line in child.stderr:
        if "create: 0/25" in line:
            break
    time.sleep(1.5)
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)

    assert child.returncode == 130, stderr
    assert "Traceback" not in stderr
    made = len(env.issues())
    assert 0 < made < 25
    assert "done: github acme/ops: " in stderr and " of 25 created" in stderr
    assert "run again to resume" in stderr

    again = subprocess.run(cli_command(config, env.folder, "github"), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert len(env.issues()) == 25  # one issue per action: nothing lost, nothing twice


def test_retries_used_up_say_what_was_done(tracker_env: Any) -> None:
    env = tracker_env("github")
    write_actions(env.folder, 10)
    env.sb.add_fault("github:POST:/repos/*/issues=429:30@4+")
    with pytest.raises(RateLimitedError) as caught:
        env.sync()
    assert caught.value.done == ("github acme/ops: 3 of 10 created; everything done is saved: run again to resume")
    with env.store() as store:
        assert sum(1 for link in store.links().values() if link.key) == 3
