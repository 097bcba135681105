"""What Jira is without a connection: the [jira] settings, how its issues read, how keys show.

Light to import (no `jira` client): reports and the CLI use it to show keys and name a
dropped issue; the engine renders issue bodies through JiraTracker, which calls here.

* Bodies are wiki markup (REST v2 takes a plain string on Cloud and Data Center alike),
  ending in the marker line `actiontrack-id: …` as a small footer.
* Labels: the base label, `phase:…` / `category:…` when the author wrote them, and the
  marker label `at-<12 hex>`, because labels are exact-match searchable in JQL while
  description text search is fuzzy. Priority is Jira's own field, not a label.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from actiontrack.errors import ConfigError
from actiontrack.trackers import limits
from actiontrack.trackers.base import IssueContent, Rendered, TrackerSettings, TrackingContent
from actiontrack.trackers.markers import body_marker, marker_label

if TYPE_CHECKING:
    from actiontrack.trackers.base import Tracker
    from actiontrack.trackers.retry import RetryPolicy

_MARKER_LABEL = re.compile(r"^at-[0-9a-f]{12}$")


class JiraSettings(TrackerSettings):
    """[jira]: one site and project (front matter `project:` may name another)."""

    url: str | None = None
    project: str | None = None
    issue_type: str = "Task"
    auth: Literal["cloud", "pat"] = "cloud"
    email_env: str = "JIRA_EMAIL"
    token_env: str = "JIRA_API_TOKEN"
    priorities: dict[str, str] = Field(
        default_factory=lambda: {"P0": "Highest", "P1": "High", "P2": "Medium", "P3": "Low", "P4": "Lowest"}
    )
    done_resolutions_dropped: tuple[str, ...] = ("Won't Do", "Won't Fix", "Duplicate", "Cannot Reproduce")
    # [sync] group = "parent": the postmortem's issue type, and how an action's issue names
    # it. Unset: the `parent` field on Cloud (team- and company-managed projects); on Data
    # Center the Epic Link field, and the Epic Name field set on the epic, found by their
    # Jira Software schema (one GET /field).
    parent_issue_type: str = "Epic"
    parent_field: str | None = None  # "parent", or a custom field id such as customfield_10014
    epic_name_field: str | None = None  # e.g. customfield_10011


class JiraKind:
    name: ClassVar[str] = "jira"
    settings_model: ClassVar[type[TrackerSettings]] = JiraSettings
    target_key: ClassVar[str] = "project"
    url_key: ClassVar[str] = "jira.url"  # named when the tracker cannot be reached
    dropped_wording: ClassVar[str] = "resolved as won't do"

    def display_key(self, key: str) -> str:
        return key

    def reference(self, key: str, url: str | None) -> str:
        """The key: Jira links it wherever it is written (Confluence, Slack, other issues)."""
        return key

    def open(self, settings: TrackerSettings, *, config_path: Path | None,
             secret: Callable[[str, str], str], retry: RetryPolicy) -> Tracker:
        from actiontrack.trackers.jira import JiraTracker

        assert isinstance(settings, JiraSettings)
        if not settings.url:
            raise ConfigError("no Jira URL configured", path=config_path, key="jira.url")
        if not settings.project:
            raise ConfigError("no Jira project configured", path=config_path, key="jira.project",
                              hint="Set [jira] project, or `project:` in the postmortem's front matter.")
        token = secret(settings.token_env, "jira.token_env")
        email = secret(settings.email_env, "jira.email_env") if settings.auth == "cloud" else None
        return JiraTracker(settings, token=token, email=email, retry=retry)


KIND = JiraKind()


def render(content: IssueContent) -> Rendered:
    """An action's issue: its words, a footer with the postmortem and the facts, the marker."""
    postmortem = _postmortem(content.postmortem_title, content.postmortem_link, content.link_is_url)
    footer = ["", "----", f"*Postmortem:* {postmortem}",
              " | ".join(f"*{name}:* {value}" for name, value in content.facts),
              "", body_marker(content.action_id, html_comment=False)]
    words = limits.fit_words(content.text, "\n".join(["", *footer]), limits.JIRA_TEXT, measure=limits.java_length)
    lines = [words, *footer]
    labels = {content.base_label, marker_label(content.action_id)}
    if content.phase:
        labels.add(f"phase:{content.phase}")
    if content.category:
        labels.add(f"category:{content.category}")
    return Rendered("\n".join(lines), tuple(sorted(labels)))


def render_tracking(content: TrackingContent) -> Rendered:
    """A bulleted list of keys, which Jira links, with each action's title and state."""
    children = content.children
    closed = sum(1 for child in children if child.state.closed)
    where = _postmortem(content.postmortem_title, content.postmortem_link, content.link_is_url)
    lines = [f"Actions from the postmortem {where} ({closed} of {len(children)} closed):", ""]
    rows = [f"* {child.key} — {child.title} ({child.state.value})" for child in children]
    lines += limits.fit_rows(rows, "\n".join([*lines, "", body_marker(content.tracking_id, html_comment=False)]),
                             limits.JIRA_TEXT, measure=limits.java_length, more="* … and {n} more")
    lines += ["", body_marker(content.tracking_id, html_comment=False)]
    return Rendered("\n".join(lines), (content.base_label, "postmortem", marker_label(content.tracking_id)))


def is_managed_label(label: str, base_label: str) -> bool:
    return label == base_label or label.startswith(("phase:", "category:")) or bool(_MARKER_LABEL.match(label))


def _postmortem(title: str, link: str, is_url: bool) -> str:
    return f"[{title}|{link}]" if is_url else f"{title} ({link})"
