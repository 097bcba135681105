"""The trackers actiontrack knows, by name (bugwarrior's registry).

Importing this module imports no tracker: `kind(name)` imports that tracker's light
module (settings, rendering, vocabulary), and only `open_tracker` imports its client
library. The rest of actiontrack names trackers only through here.
"""

from __future__ import annotations

import functools
import importlib
import tomllib
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from actiontrack.errors import ConfigError

if TYPE_CHECKING:
    from actiontrack.config import Config
    from actiontrack.trackers.base import Tracker, TrackerKind
    from actiontrack.trackers.retry import RetryPolicy

# name → the module holding its TrackerKind as KIND; the first is the default tracker.
_MODULES = {
    "jira": "actiontrack.trackers.jira_kind",
    "github": "actiontrack.trackers.github_kind",
    "gitlab": "actiontrack.trackers.gitlab_kind",
}
NAMES = tuple(_MODULES)


def kind(name: str) -> TrackerKind:
    """The tracker called `name`; ConfigError for a name no module provides."""
    module = _MODULES.get(name)
    if module is None:
        raise ConfigError(f"unknown tracker {name!r} (expected one of {', '.join(NAMES)})",
                          key="tracker.default")
    return cast("TrackerKind", importlib.import_module(module).KIND)


def known(name: str | None) -> TrackerKind | None:
    """`kind(name)`, or None for no name or one this version does not know (an old store row)."""
    return kind(name) if name in _MODULES else None


def display_key(tracker: str | None, key: str | None) -> str | None:
    """A key as people write it on that tracker ('OPS-12', '#12'); as stored when unknown."""
    found = known(tracker)
    return found.display_key(key) if found is not None and key else key


def open_tracker(name: str, config: Config, *, target: str | None = None) -> Tracker:
    """A tracker for `name`, aimed at `target` (a postmortem's `project:`) or the config's.

    Values still as `actiontrack init` wrote them are refused before any request; a password
    inside the tracker's URL is masked in logs like a token; the tracker's RetryPolicy carries
    the Guard of trackers/http.py (total deadlines, fail-fast naming the URL's key).
    """
    tracker_kind = kind(name)
    settings = config.tracker_settings(name)
    if target:
        settings = settings.model_copy(update={tracker_kind.target_key: target})
    defaults = {key: info.default for key, info in tracker_kind.settings_model.model_fields.items()}
    _refuse_examples(config, name, settings.model_dump(), defaults)
    _register_url_secrets(settings.model_dump())
    retry = retry_policy(config, tracker=name, key=getattr(tracker_kind, "url_key", f"{name}.url"))
    return tracker_kind.open(settings, config_path=config.path, secret=config.secret, retry=retry)


def retry_policy(config: Config, *, tracker: str, key: str) -> RetryPolicy:
    """The retry policy and guard every tracker module gets (GitLab's too)."""
    from actiontrack.trackers.http import Guard, RunDeadline
    from actiontrack.trackers.retry import RetryPolicy

    guard = Guard(tracker=tracker, config_key=key, config_path=str(config.path) if config.path else None,
                  request_seconds=config.sync.request_timeout_seconds,
                  run=RunDeadline(config.sync.run_timeout_seconds or None))
    return RetryPolicy(budget_seconds=config.sync.max_retry_seconds, guard=guard)


_EXAMPLE_KEYS = ("url", "base_url", "repo")  # marked "# example" in the template; project: too common


def _refuse_examples(config: Config, section: str, values: Mapping[str, object],
                     defaults: Mapping[str, object]) -> None:
    """A value the template shows is refused, unless it is also the default (api.github.com,
    gitlab.com): those are real places, not placeholders."""
    from actiontrack.urls import strip_credentials

    template = _example_values().get(section, {})
    for name in _EXAMPLE_KEYS:
        example = template.get(name) if isinstance(template, Mapping) else None
        if example is None or values.get(name) != example or example == defaults.get(name):
            continue
        raise ConfigError(
            f"{strip_credentials(str(example))!r} is the example `actiontrack init` wrote, not a real one",
            path=config.path, key=f"{section}.{name}",
            hint=f"Set [{section}] {name} to your own before syncing.")


def _register_url_secrets(values: Mapping[str, object]) -> None:
    """A password or token inside a URL setting is masked in every log line like a token."""
    from actiontrack.logs import register_secret
    from actiontrack.urls import password_of

    for value in values.values():
        if isinstance(value, str) and "://" in value:
            secret = password_of(value)
            if secret:
                register_secret(secret)


@functools.cache
def _example_values() -> Mapping[str, object]:
    """The placeholder values `actiontrack init` writes, read from the template itself."""
    from importlib.resources import files

    text = files("actiontrack").joinpath("data/config.example.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
