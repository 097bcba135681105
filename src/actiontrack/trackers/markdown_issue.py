"""Markdown issue bodies, shared by the trackers that render Markdown (GitHub, GitLab).

The body is the action's words, a rule, the postmortem and the facts, and the marker
hidden in an HTML comment (both render Markdown and hide comments). Tracking issues are
task lists of issue references, which both trackers render with each issue's title.
"""

from __future__ import annotations

from actiontrack.model import IssueState
from actiontrack.trackers import limits
from actiontrack.trackers.base import IssueContent, TrackingContent
from actiontrack.trackers.markers import body_marker


def body(content: IssueContent, *, limit: int, facts: tuple[tuple[str, str], ...] | None = None) -> str:
    """An action's issue body; `facts` replaces the content's (a tracker adding a Due line).
    Words too long for the tracker's `limit` are cut; the footer and marker never are."""
    shown = content.facts if facts is None else facts
    footer = ["", "---", f"**Postmortem:** {postmortem(content)}",
              " · ".join(f"**{name}:** {value}" for name, value in shown),
              "", body_marker(content.action_id, html_comment=True)]
    return "\n".join([limits.fit_words(content.text, "\n".join(["", *footer]), limit), *footer])


def postmortem(content: IssueContent | TrackingContent) -> str:
    title, link = content.postmortem_title, content.postmortem_link
    return f"[{title}]({link})" if content.link_is_url else f"{title} (`{link}`)"


def tracking_body(content: TrackingContent, *, limit: int, reference: str = "#") -> str:
    """`- [x] #12` per action; dropped ones say so, since a tick alone reads as done."""
    children = content.children
    closed = sum(1 for child in children if child.state.closed)
    lines = [f"Actions from the postmortem {postmortem(content)} ({closed} of {len(children)} closed):", ""]
    rows = [f"- [{'x' if child.state.closed else ' '}] {reference}{child.key}"
            f"{' (dropped)' if child.state is IssueState.DROPPED else ''}" for child in children]
    marker = body_marker(content.tracking_id, html_comment=True)
    lines += limits.fit_rows(rows, "\n".join([*lines, "", marker]), limit, more="- … and {n} more")
    lines += ["", marker]
    return "\n".join(lines)
