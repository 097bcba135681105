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


URL_PASSWORD, QUERY_TOKEN = "pa55-in-the-url-9876", "tok-in-a-query-5432"


class _Webhook:
    """A local stand-in for Slack's incoming webhook that keeps what it was sent."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.bodies: list[bytes] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                hook.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T0/B0/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_credentials_inside_urls_reach_no_sink(tracker_env: Any) -> None:
    """jira.url with user:password@ and a postmortem link with ?token=: neither is stored
    (links, postmortems), printed, logged (-vv), reported in any format, nor posted to Slack."""
    from fixtures_sync import sandbox_config, to_toml

    env = tracker_env("jira")
    (env.folder / "pm.md").write_text(
        "---\nid: PM-CRED\ndate: 2024-05-01\n"
        f"url: https://wiki.example.com/pm/7?token={QUERY_TOKEN}&page=2\n---\n"
        "# Outage\n## Action items\n" + ACTION, encoding="utf-8")
    data = sandbox_config(env.sb, env.store_url, tracker="jira")
    data["jira"]["url"] = env.sb.jira_url.replace("http://", f"http://pm-bot:{URL_PASSWORD}@")
    data["report"] = {"slack_webhook_env": "AT_TEST_SLACK"}
    config = env.folder.parent / "actiontrack.toml"
    config.write_text(to_toml(data), encoding="utf-8")
    hook = _Webhook()
    try:
        outputs = [run(env, config, {})]
        assert outputs[0].returncode == 0, outputs[0].stderr
        for args in (["status"], ["status", "--format", "json"],
                     *(["report", "overdue", "--as-of", "2024-07-01", "--format", f] for f in
                       ("table", "markdown", "json", "csv", "html")),
                     ["report", "coverage", "--format", "html"],
                     ["report", "overdue", "--as-of", "2024-07-01", "--post", "slack",
                      "--report-url", f"https://reports.example.com/?token={QUERY_TOKEN}"]):
            done = subprocess.run([sys.executable, "-m", "actiontrack", "-vv", "--config", str(config), *args],
                                  capture_output=True, text=True, timeout=120,
                                  env={**os.environ, "AT_TEST_SLACK": hook.url})
            assert done.returncode in (0, 1), done.stderr
            outputs.append(done)
    finally:
        hook.close()

    printed = "".join(o.stdout + o.stderr for o in outputs)
    assert "/browse/OPS-" in printed  # the issue links are there, clean
    bodies = " ".join(str(issue) for issue in env.issues())
    assert "https://wiki.example.com/pm/7?page=2" in bodies  # the postmortem link, clean, in the issue
    posted = b"".join(hook.bodies)
    assert b"/browse/OPS-" in posted
    for secret in (URL_PASSWORD, QUERY_TOKEN):
        assert secret not in printed and secret not in bodies
        assert secret.encode() not in store_bytes(env)
        assert secret.encode() not in posted
    with env.store() as store:
        assert all("@" not in (link.url or "") for link in store.links().values())
        postmortem = store.postmortem("PM-CRED")
        assert postmortem is not None and postmortem.url == "https://wiki.example.com/pm/7?page=2"
