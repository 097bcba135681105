"""What GitLab is without a connection: the [gitlab] settings, how its issues read, how keys show.

Light to import (no python-gitlab): reports and the CLI use it to show `#12` and name a
dropped issue; the engine renders issue bodies through GitLabTracker, which calls here.

* Bodies are Markdown (trackers/markdown_issue.py) with the marker in an HTML comment,
  which GitLab does not render. The due date is GitLab's own `due_date`, not a body line.
* Labels: the base label and, when the author wrote them, `phase:…` / `category:…` —
  or `phase::…` / `category::…` with `scoped_labels = true` (scoped labels are exclusive
  per key on Premium and Ultimate, plain labels elsewhere). The priority is a label
  (`priority:P1` / `priority::P1`) or, with `priority = "weight"`, the issue's weight.
* GitLab has no "won't do" close: a closed issue is dropped when it carries one of
  `dropped_labels`, or when the note its closer wrote with the close says one of
  `dropped_phrases`; otherwise it is done.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field, field_validator

from actiontrack.errors import ConfigError
from actiontrack.trackers import limits, markdown_issue
from actiontrack.trackers.base import IssueContent, Rendered, TrackerSettings, TrackingContent

if TYPE_CHECKING:
    from actiontrack.trackers.base import Tracker
    from actiontrack.trackers.retry import RetryPolicy

MANAGED_PREFIXES = ("phase:", "category:", "priority:")  # also matches the scoped "phase::"


class GitLabSettings(TrackerSettings):
    """[gitlab]: one project on gitlab.com or a self-managed instance."""

    url: str = "https://gitlab.com"  # self-managed: https://gitlab.example.com (or …/gitlab)
    project: str | None = None  # "group/subgroup/service" or the numeric project id
    token_env: str = "GITLAB_TOKEN"  # a personal, project or group access token (scope: api)
    scoped_labels: bool = False  # phase::… / category::… / priority::… instead of phase:…
    priority: Literal["label", "weight"] = "label"  # weight needs Premium or Ultimate
    weights: dict[str, int] = Field(default_factory=lambda: {"P0": 4, "P1": 3, "P2": 2, "P3": 1, "P4": 0})
    milestone: str | None = None  # title of an existing milestone every new issue goes into
    dropped_labels: tuple[str, ...] = ("won't do", "wontfix", "duplicate")
    dropped_phrases: tuple[str, ...] = ("won't do", "wont do", "won't fix", "wontfix", "not planned",
                                        "duplicate", "対応しない", "見送り")
    # GitLab.com allows 200 issue creations a minute per user and project (self-managed: the
    # admin's "Issues Rate Limits", off by default). Creates are paced below it; 0 = no pacing.
    creates_per_minute: int = Field(default=200, ge=0)

    @field_validator("project")
    @classmethod
    def _project(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip("/") or value != value.strip()):
            raise ValueError("write the project's path (group/subgroup/name) or its numeric id")
        return value.strip("/") if value else value

    def label(self, key: str, value: str) -> str:
        """`phase:detection`, or `phase::detection` with scoped labels."""
        return f"{key}{'::' if self.scoped_labels else ':'}{value}"


class GitLabKind:
    name: ClassVar[str] = "gitlab"
    settings_model: ClassVar[type[TrackerSettings]] = GitLabSettings
    target_key: ClassVar[str] = "project"
    url_key: ClassVar[str] = "gitlab.url"  # named when the tracker cannot be reached
    dropped_wording: ClassVar[str] = "closed as won't do"

    def display_key(self, key: str) -> str:
        return f"#{key}"

    def reference(self, key: str, url: str | None) -> str:
        """The issue's URL: a bare `#12` in a postmortem file names no project."""
        return url or f"#{key}"

    def open(self, settings: TrackerSettings, *, config_path: Path | None,
             secret: Callable[[str, str], str], retry: RetryPolicy) -> Tracker:
        from actiontrack.trackers.gitlab import GitLabTracker

        assert isinstance(settings, GitLabSettings)
        if not settings.project:
            raise ConfigError("no GitLab project configured", path=config_path, key="gitlab.project",
                              hint='Set [gitlab] project = "group/subgroup/name" (or its numeric id), '
                                   "or `project:` in the postmortem's front matter.")
        token = secret(settings.token_env, "gitlab.token_env")
        return GitLabTracker(settings, token=token, retry=retry)


KIND = GitLabKind()


def render(content: IssueContent, settings: GitLabSettings) -> Rendered:
    labels = {content.base_label}
    if content.phase:
        labels.add(settings.label("phase", content.phase))
    if content.category:
        labels.add(settings.label("category", content.category))
    if content.priority and settings.priority == "label":
        labels.add(settings.label("priority", content.priority))
    return Rendered(markdown_issue.body(content, limit=limits.GITLAB_DESCRIPTION), tuple(sorted(labels)))


def render_tracking(content: TrackingContent) -> Rendered:
    """A task list of `#12` references, which GitLab links and ticks as the issues close."""
    body = markdown_issue.tracking_body(content, limit=limits.GITLAB_DESCRIPTION)
    return Rendered(body, (content.base_label, "postmortem"))


def is_managed_label(label: str, base_label: str) -> bool:
    return label == base_label or label.startswith(MANAGED_PREFIXES)
