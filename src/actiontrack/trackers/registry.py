"""Open the configured tracker. Only its module is imported (bugwarrior's registry).

Each tracker gets a RetryPolicy carrying a `Guard` (trackers/http.py): the total deadline of
every request, the run's deadline, and the config key to name when the tracker cannot be
reached. Values still as `actiontrack init` wrote them are refused before any request.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping

from actiontrack.config import Config
from actiontrack.errors import ConfigError
from actiontrack.trackers.base import Tracker
from actiontrack.trackers.http import Guard, RunDeadline
from actiontrack.trackers.retry import RetryPolicy
from actiontrack.urls import password_of, strip_credentials

NAMES = ("jira", "github")


def open_tracker(name: str, config: Config, *, target: str | None = None) -> Tracker:
    """A tracker for `name`, aimed at `target` (Jira project / GitHub repo) or the config's."""
    if name == "jira":
        return _jira(config, target)
    if name == "github":
        return _github(config, target)
    raise ConfigError(f"unknown tracker {name!r} (expected one of {', '.join(NAMES)})",
                      path=config.path, key="tracker.default")


def retry_policy(config: Config, *, tracker: str, key: str) -> RetryPolicy:
    """The retry policy and guard every tracker module uses (GitLab's too)."""
    guard = Guard(tracker=tracker, config_key=key, config_path=str(config.path) if config.path else None,
                  request_seconds=config.sync.request_timeout_seconds,
                  run=RunDeadline(config.sync.run_timeout_seconds or None))
    return RetryPolicy(budget_seconds=config.sync.max_retry_seconds, guard=guard)


def _jira(config: Config, target: str | None) -> Tracker:
    from actiontrack.trackers.jira import JiraTracker

    settings = config.jira.model_copy(update={"project": target}) if target else config.jira
    if not settings.url:
        raise ConfigError("no Jira URL configured", path=config.path, key="jira.url")
    if not settings.project:
        raise ConfigError("no Jira project configured", path=config.path, key="jira.project",
                          hint="Set [jira] project, or `project:` in the postmortem's front matter.")
    _refuse_example(config, "jira", "url", settings.url)
    _register_url_secret(settings.url)
    token = config.secret(settings.token_env, "jira.token_env")
    email = config.secret(settings.email_env, "jira.email_env") if settings.auth == "cloud" else None
    return JiraTracker(settings, token=token, email=email,
                       retry=retry_policy(config, tracker="jira", key="jira.url"))


def _github(config: Config, target: str | None) -> Tracker:
    from actiontrack.trackers.github import GitHubTracker

    settings = config.github.model_copy(update={"repo": target}) if target else config.github
    if not settings.repo:
        raise ConfigError("no GitHub repository configured", path=config.path, key="github.repo",
                          hint="Set [github] repo = \"owner/name\", or `project:` in the front matter.")
    _refuse_example(config, "github", "repo", settings.repo)
    _register_url_secret(settings.base_url)
    token = config.secret(settings.token_env, "github.token_env")
    return GitHubTracker(settings, token=token, write_interval=settings.write_interval_seconds,
                         retry=retry_policy(config, tracker="github", key="github.base_url"))


def _register_url_secret(url: str) -> None:
    """A password inside the URL is masked in every log line and message like a token."""
    from actiontrack.logs import register_secret

    secret = password_of(url)
    if secret:
        register_secret(secret)


@functools.cache
def _example_values() -> Mapping[str, Mapping[str, object]]:
    """The placeholder values `actiontrack init` writes (read from the template itself)."""
    from importlib.resources import files

    text = files("actiontrack").joinpath("data/config.example.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _refuse_example(config: Config, section: str, name: str, value: str) -> None:
    example = _example_values().get(section, {}).get(name)
    if value != example:
        return
    raise ConfigError(
        f"{strip_credentials(value)!r} is the example `actiontrack init` wrote, not a real "
        f"{'site' if name == 'url' else 'repository'}",
        path=config.path, key=f"{section}.{name}",
        hint=f"Set [{section}] {name} to your own "
             f"{'Jira site URL' if name == 'url' else 'repository as owner/name'} before syncing.")
