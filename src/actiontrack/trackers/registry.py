"""The trackers actiontrack knows, by name (bugwarrior's registry).

Importing this module imports no tracker: `kind(name)` imports that tracker's light
module (settings, rendering, vocabulary), and only `open_tracker` imports its client
library. The rest of actiontrack names trackers only through here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

from actiontrack.errors import ConfigError

if TYPE_CHECKING:
    from actiontrack.config import Config
    from actiontrack.trackers.base import Tracker, TrackerKind

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
    """A tracker for `name`, aimed at `target` (a postmortem's `project:`) or the config's."""
    from actiontrack.trackers.retry import RetryPolicy

    tracker_kind = kind(name)
    settings = config.tracker_settings(name)
    if target:
        settings = settings.model_copy(update={tracker_kind.target_key: target})
    retry = RetryPolicy(budget_seconds=config.sync.max_retry_seconds)
    return tracker_kind.open(settings, config_path=config.path, secret=config.secret, retry=retry)
