"""Open the configured tracker. Only its module is imported (bugwarrior's registry)."""

from __future__ import annotations

from actiontrack.config import Config
from actiontrack.errors import ConfigError
from actiontrack.trackers.base import Tracker
from actiontrack.trackers.retry import RetryPolicy

NAMES = ("jira", "github")


def open_tracker(name: str, config: Config, *, target: str | None = None) -> Tracker:
    """A tracker for `name`, aimed at `target` (Jira project / GitHub repo) or the config's."""
    retry = RetryPolicy(budget_seconds=config.sync.max_retry_seconds)
    if name == "jira":
        return _jira(config, target, retry)
    if name == "github":
        return _github(config, target, retry)
    raise ConfigError(f"unknown tracker {name!r} (expected one of {', '.join(NAMES)})",
                      path=config.path, key="tracker.default")


def _jira(config: Config, target: str | None, retry: RetryPolicy) -> Tracker:
    from actiontrack.trackers.jira import JiraTracker

    settings = config.jira.model_copy(update={"project": target}) if target else config.jira
    if not settings.url:
        raise ConfigError("no Jira URL configured", path=config.path, key="jira.url")
    if not settings.project:
        raise ConfigError("no Jira project configured", path=config.path, key="jira.project",
                          hint="Set [jira] project, or `project:` in the postmortem's front matter.")
    token = config.secret(settings.token_env, "jira.token_env")
    email = config.secret(settings.email_env, "jira.email_env") if settings.auth == "cloud" else None
    return JiraTracker(settings, token=token, email=email, retry=retry)


def _github(config: Config, target: str | None, retry: RetryPolicy) -> Tracker:
    from actiontrack.trackers.github import GitHubTracker

    settings = config.github.model_copy(update={"repo": target}) if target else config.github
    if not settings.repo:
        raise ConfigError("no GitHub repository configured", path=config.path, key="github.repo",
                          hint="Set [github] repo = \"owner/name\", or `project:` in the front matter.")
    token = config.secret(settings.token_env, "github.token_env")
    return GitHubTracker(settings, token=token, retry=retry, write_interval=settings.write_interval_seconds)
