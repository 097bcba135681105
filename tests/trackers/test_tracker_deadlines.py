"""Time limits and fail-fast, through the real clients (trackers/http.py via the registry).

A trickling server holds no request past its total deadline, nor a run past its own; a
tracker that cannot be reached at all, or says the project or repository does not exist,
fails at once naming the config key to fix; a tracker that answered before and then
refuses a connection is retried as before.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from actiontrack.config import Config, parse_config
from actiontrack.configfile import RawConfig
from actiontrack.errors import ConfigError, RateLimitedError, TrackerError, WrongTargetError
from actiontrack.sandbox import Sandbox
from actiontrack.trackers.http import RunDeadlineExceeded, UnreachableError
from actiontrack.trackers.registry import open_tracker
from fixtures_trickle import Trickler

LABEL = "actiontrack"


def config_for(tmp_path: Path, *, jira_url: str, github_url: str, repo: str = "acme/ops",
               project: str = "OPS", **sync: Any) -> Config:
    data = {
        "sync": {"search_lag_seconds": 0, **sync},
        "jira": {"url": jira_url, "project": project, "auth": "cloud", "email_env": "AT_DL_EMAIL",
                 "token_env": "AT_DL_TOKEN"},
        "github": {"repo": repo, "base_url": github_url, "token_env": "AT_DL_GH", "write_interval_seconds": 0},
    }
    return parse_config(RawConfig(data, tmp_path / "actiontrack.toml"))


@pytest.fixture(autouse=True)
def tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AT_DL_EMAIL", "pm-bot@example.com")
    monkeypatch.setenv("AT_DL_TOKEN", "jira-token-for-tests")
    monkeypatch.setenv("AT_DL_GH", "ghp_testtokenfortests")


def tracker_at(name: str, config: Config, sleeps: list[float] | None = None, attempts: int = 2) -> Any:
    tracker = open_tracker(name, config)
    tracker._retry.sleep = (sleeps if sleeps is not None else []).append
    tracker._retry.max_attempts = attempts
    return tracker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.timeout(40)  # without a total deadline each request would take minutes
@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "status-line"])
@pytest.mark.parametrize("name", ["jira", "github"])
def test_a_trickling_tracker_is_cut_off_at_the_total_deadline(
        tmp_path: Path, trickler: Trickler, name: str, headers_too: bool) -> None:
    trickler.headers_too = headers_too
    config = config_for(tmp_path, jira_url=trickler.url, github_url=trickler.url, request_timeout_seconds=1.5)
    tracker = tracker_at(name, config)

    with pytest.raises(RateLimitedError) as caught:
        tracker.list_issues(label=LABEL, updated_since=None)

    assert "total deadline" in caught.value.message
    assert "gave up after 2 attempts" in caught.value.message  # a read: retried once, then stopped
    assert trickler.connections == 2


@pytest.mark.timeout(40)
@pytest.mark.parametrize("name", ["jira", "github"])
def test_the_run_deadline_stops_a_run_that_would_go_on(tmp_path: Path, trickler: Trickler, name: str) -> None:
    config = config_for(tmp_path, jira_url=trickler.url, github_url=trickler.url,
                        request_timeout_seconds=600, run_timeout_seconds=2)
    tracker = tracker_at(name, config, attempts=8)

    with pytest.raises(RunDeadlineExceeded) as caught:
        tracker.list_issues(label=LABEL, updated_since=None)

    assert "run_timeout_seconds" in caught.value.message
    assert caught.value.hint and "run the same command again" in caught.value.hint


@pytest.mark.parametrize("name", ["jira", "github"])
@pytest.mark.parametrize("where", ["refused", "unknown-host"])
def test_an_unreachable_tracker_fails_at_once_naming_the_key(tmp_path: Path, name: str, where: str) -> None:
    url = f"http://127.0.0.1:{free_port()}" if where == "refused" else "http://tracker-that-does-not-exist.invalid"
    sleeps: list[float] = []
    tracker = tracker_at(name, config_for(tmp_path, jira_url=url, github_url=url), sleeps, attempts=8)

    with pytest.raises(UnreachableError) as caught:
        tracker.list_issues(label=LABEL, updated_since=None)

    assert sleeps == []  # no silent retries
    key = "jira.url" if name == "jira" else "github.base_url"
    assert caught.value.hint and key in caught.value.hint and str(tmp_path / "actiontrack.toml") in caught.value.hint
    assert "again later" not in (caught.value.hint + caught.value.message)
    assert ("refused" if where == "refused" else "does not resolve") in caught.value.message
    assert caught.value.exit_code == 2


def test_a_tracker_that_answered_before_is_retried_when_it_refuses(
        tmp_path: Path, sandbox_factory: Any, monkeypatch: Any) -> None:
    """An outage in the middle of a run is transient: the fail-fast is for typos only."""
    sb: Sandbox = sandbox_factory()
    monkeypatch.setenv("AT_DL_GH", sb.github_token)
    config = config_for(tmp_path, jira_url=sb.jira_url, github_url=sb.github_url)
    sleeps: list[float] = []
    tracker = tracker_at("github", config, sleeps, attempts=3)
    tracker.list_issues(label=LABEL, updated_since=None)
    sb.stop()
    tracker._gh.close()  # drop the kept-alive connection: the next request must connect anew

    with pytest.raises(RateLimitedError, match="could not connect"):
        tracker.list_issues(label=LABEL, updated_since=None)
    assert len(sleeps) == 2


def test_a_wrong_github_repository_names_github_repo(tmp_path: Path, sandbox: Sandbox, monkeypatch: Any) -> None:
    monkeypatch.setenv("AT_DL_GH", sandbox.github_token)
    config = config_for(tmp_path, jira_url=sandbox.jira_url, github_url=sandbox.github_url, repo="acme/typo")
    sleeps: list[float] = []

    with pytest.raises(WrongTargetError) as caught:
        tracker_at("github", config, sleeps).list_issues(label=LABEL, updated_since=None)

    assert caught.value.key == "github.repo" and "'acme/typo'" in caught.value.message
    assert caught.value.hint and "github.repo" in caught.value.hint and "AT_DL_GH" in caught.value.hint
    assert sleeps == []


def test_a_wrong_jira_project_names_jira_project(tmp_path: Path, sandbox: Sandbox, monkeypatch: Any) -> None:
    monkeypatch.setenv("AT_DL_EMAIL", sandbox.jira_basic_auth[0])
    monkeypatch.setenv("AT_DL_TOKEN", sandbox.jira_basic_auth[1])
    config = config_for(tmp_path, jira_url=sandbox.jira_url, github_url=sandbox.github_url, project="NOPE")

    with pytest.raises(WrongTargetError) as caught:
        tracker_at("jira", config).list_issues(label=LABEL, updated_since=None)

    assert caught.value.key == "jira.project" and "'NOPE'" in caught.value.message


def test_a_jira_url_without_the_rest_api_names_jira_url(tmp_path: Path, sandbox: Sandbox, monkeypatch: Any) -> None:
    monkeypatch.setenv("AT_DL_EMAIL", sandbox.jira_basic_auth[0])
    monkeypatch.setenv("AT_DL_TOKEN", sandbox.jira_basic_auth[1])
    config = config_for(tmp_path, jira_url=sandbox.jira_url + "/wrong-context", github_url=sandbox.github_url)

    with pytest.raises(WrongTargetError) as caught:
        tracker_at("jira", config).list_issues(label=LABEL, updated_since=None)

    assert caught.value.key == "jira.url"


@pytest.mark.parametrize("name", ["jira", "github"])
def test_the_example_values_of_init_are_refused_before_any_request(tmp_path: Path, name: str) -> None:
    from importlib.resources import files

    template = files("actiontrack").joinpath("data/config.example.toml").read_text(encoding="utf-8")
    path = tmp_path / "actiontrack.toml"
    path.write_text(template, encoding="utf-8")
    from actiontrack.config import load_config

    with pytest.raises(ConfigError) as caught:
        open_tracker(name, load_config(path))

    key = "jira.url" if name == "jira" else "github.repo"
    assert key in caught.value.message and "example" in caught.value.message


def test_credentials_in_the_url_never_reach_an_error(tmp_path: Path) -> None:
    url = f"http://bot:pa55-w0rd-x@127.0.0.1:{free_port()}/?token=tok-in-query"
    tracker = tracker_at("jira", config_for(tmp_path, jira_url=url, github_url=url))

    with pytest.raises(TrackerError) as caught:
        tracker.list_issues(label=LABEL, updated_since=None)

    text = f"{caught.value.message} {caught.value.hint} {caught.value.url}"
    assert "pa55-w0rd-x" not in text and "tok-in-query" not in text and "bot:" not in text
