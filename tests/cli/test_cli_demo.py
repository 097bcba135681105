"""`actiontrack demo`, the README's two-command promise, for the default trackers and for GitLab."""

from __future__ import annotations

import subprocess
import sys


def demo(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "actiontrack", "demo", *args], capture_output=True,
                            text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_demo_syncs_to_jira_and_github_where_each_postmortem_says() -> None:
    out = demo()
    assert "github acme/ops: create 5; jira OPS: create 8" in out
    assert "done upstream 1, dropped upstream 1" in out and "dropped   OPS-2" in out


def test_demo_with_gitlab_sends_everything_there_and_reads_a_wont_do_close() -> None:
    out = demo("--tracker", "gitlab")
    assert "GitLab at http://" in out and "gitlab acme/platform/ops: create 13" in out
    assert "unchanged 11, done upstream 1, dropped upstream 1" in out
    assert "dropped   #2" in out and "2030-01-31" in out and "OPS-" not in out
