"""Tokens come from the environment and appear nowhere: not in output, logs, the store or errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fixtures_sync import GITHUB_TOKEN_ENV, GITLAB_TOKEN_ENV, JIRA_EMAIL_ENV, JIRA_TOKEN_ENV

ACTION = "- [ ] Alert when lag exceeds 60 s for 5 minutes — owner: ikki, due: 2024-06-01 #post-release #detection\n"
WRONG = "wr0ng-T0ken-that-must-never-leak-123456"


def run(env: Any, config: Path, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "actiontrack", "-vv", "--config", str(config), "sync", str(env.folder),
         "--tracker", env.tracker],
        capture_output=True, text=True, env={**os.environ, **extra_env}, timeout=120,
    )


def store_bytes(env: Any) -> bytes:
    path = Path(env.store_url.removeprefix("sqlite:///"))
    return path.read_bytes() if path.exists() else b""


VARIABLES = {"jira": JIRA_TOKEN_ENV, "github": GITHUB_TOKEN_ENV, "gitlab": GITLAB_TOKEN_ENV}


@pytest.mark.parametrize("tracker", ["jira", "github", "gitlab"])
def test_auth_failure_with_debug_logging_never_shows_the_token(tracker_env: Any, tracker: str) -> None:
    env = tracker_env(tracker)
    (env.folder / "pm.md").write_text("# Outage\n## Action items\n" + ACTION, encoding="utf-8")
    variable = VARIABLES[tracker]
    result = run(env, env.write_config(), {variable: WRONG})
    assert result.returncode != 0
    everything = result.stdout + result.stderr
    assert WRONG not in everything and WRONG.encode() not in store_bytes(env)
    assert "DEBUG" in result.stderr  # debug logging really was on
    message = next(line for line in result.stderr.splitlines() if line.startswith("actiontrack: error"))
    base = {"jira": env.sb.jira_url, "github": env.sb.github_url, "gitlab": env.sb.gitlab_url}[tracker]
    assert tracker in message and base in message and variable in everything


def test_successful_debug_run_leaves_no_token_anywhere(tracker_env: Any) -> None:
    env = tracker_env("jira")
    (env.folder / "pm.md").write_text("# Outage\n## Action items\n" + ACTION, encoding="utf-8")
    token = os.environ[JIRA_TOKEN_ENV]
    result = run(env, env.write_config(), {})
    assert result.returncode == 0, result.stderr
    assert token not in result.stdout + result.stderr
    assert token.encode() not in store_bytes(env)
    assert os.environ[JIRA_EMAIL_ENV]  # the e-mail is not a secret, but the token is


@pytest.mark.parametrize("tracker", ["github", "gitlab"])
def test_missing_token_variable_is_a_config_error_naming_the_key(tracker_env: Any, tracker: str) -> None:
    env = tracker_env(tracker)
    (env.folder / "pm.md").write_text("# Outage\n## Action items\n" + ACTION, encoding="utf-8")
    result = run(env, env.write_config(), {VARIABLES[tracker]: ""})
    assert result.returncode == 2
    assert VARIABLES[tracker] in result.stderr and f"{tracker}.token_env" in result.stderr


def test_successful_gitlab_debug_run_leaves_no_token_anywhere(tracker_env: Any) -> None:
    env = tracker_env("gitlab")
    (env.folder / "pm.md").write_text("# Outage\n## Action items\n" + ACTION, encoding="utf-8")
    token = os.environ[GITLAB_TOKEN_ENV]
    result = run(env, env.write_config(), {})
    assert result.returncode == 0, result.stderr
    assert "DEBUG" in result.stderr and token not in result.stdout + result.stderr
    assert token.encode() not in store_bytes(env)
