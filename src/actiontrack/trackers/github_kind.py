"""What GitHub is without a connection: the [github] settings, how its issues read, how keys show.

Light to import (no PyGithub): reports and the CLI use it to show `#12` and name a
dropped issue; the engine renders issue bodies through GitHubTracker, which calls here.

* Bodies are Markdown (trackers/markdown_issue.py) with the marker in an HTML comment;
  with `due = "body"` the facts carry a Due line, which is where the due date lives.
* Labels: the base label, `phase:…` / `category:…` when the author wrote them, and
  `priority:P1`: GitHub issues have no priority field.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from actiontrack.errors import ConfigError
from actiontrack.trackers import limits, markdown_issue
from actiontrack.trackers.base import IssueContent, Rendered, TrackerSettings, TrackingContent

if TYPE_CHECKING:
    from actiontrack.trackers.base import Tracker
    from actiontrack.trackers.retry import RetryPolicy

MANAGED_PREFIXES = ("phase:", "category:", "priority:")


class GitHubSettings(TrackerSettings):
    """[github]: one repository on github.com or an Enterprise server."""

    repo: str | None = Field(default=None, pattern=r"^[\w.-]+/[\w.-]+$")
    base_url: str = "https://api.github.com"
    token_env: str = "GITHUB_TOKEN"
    due: Literal["milestone", "body"] = "milestone"
    # GitHub asks for at least 1 s between content-creating requests (secondary limits);
    # lower it only for an Enterprise server whose admins turned those limits off.
    write_interval_seconds: float = Field(default=1.0, ge=0)


class GitHubKind:
    name: ClassVar[str] = "github"
    settings_model: ClassVar[type[TrackerSettings]] = GitHubSettings
    target_key: ClassVar[str] = "repo"
    url_key: ClassVar[str] = "github.base_url"  # named when the tracker cannot be reached
    dropped_wording: ClassVar[str] = "closed as not planned"

    def display_key(self, key: str) -> str:
        return f"#{key}"

    def reference(self, key: str, url: str | None) -> str:
        """The issue's URL: a bare `#12` in a postmortem file names no repository."""
        return url or f"#{key}"

    def open(self, settings: TrackerSettings, *, config_path: Path | None,
             secret: Callable[[str, str], str], retry: RetryPolicy) -> Tracker:
        from actiontrack.trackers.github import GitHubTracker

        assert isinstance(settings, GitHubSettings)
        if not settings.repo:
            raise ConfigError("no GitHub repository configured", path=config_path, key="github.repo",
                              hint="Set [github] repo = \"owner/name\", or `project:` in the front matter.")
        token = secret(settings.token_env, "github.token_env")
        return GitHubTracker(settings, token=token, retry=retry, write_interval=settings.write_interval_seconds)


KIND = GitHubKind()


def render(content: IssueContent, settings: GitHubSettings) -> Rendered:
    facts = content.facts
    if settings.due == "body":
        facts = (*facts, ("Due", content.due.isoformat() if content.due else "not set"))
    labels = {content.base_label}
    if content.phase:
        labels.add(f"phase:{content.phase}")
    if content.category:
        labels.add(f"category:{content.category}")
    if content.priority:
        labels.add(f"priority:{content.priority}")
    return Rendered(markdown_issue.body(content, limit=limits.GITHUB_BODY, facts=facts), tuple(sorted(labels)))


def render_tracking(content: TrackingContent) -> Rendered:
    """A task list of `#12` references, which GitHub renders with titles and ticks as they close."""
    return Rendered(markdown_issue.tracking_body(content, limit=limits.GITHUB_BODY), (content.base_label, "postmortem"))


def is_managed_label(label: str, base_label: str) -> bool:
    return label == base_label or label.startswith(MANAGED_PREFIXES)
