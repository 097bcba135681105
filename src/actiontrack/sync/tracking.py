"""`[sync] group`: one issue per postmortem that lists its actions' issues.

A manager opens one link per incident and sees every action with its state. The
tracker renders the list in its own terms (a task list of issue references that ticks
as they close, or a list of keys with their states). The list is re-rendered on every
sync and pushed only when it changed.

With `group = "parent"`, on a tracker that has parents (Jira: an Epic), the issue is the
postmortem's *parent*: made before its actions' issues, which are created under it. It
has its own id (`…::parent`), so switching between the two never reuses one for the other.
"""

from __future__ import annotations

from collections.abc import Mapping

from actiontrack.links import display_path
from actiontrack.model import IssueState, Postmortem
from actiontrack.store.tables import LinkRow
from actiontrack.trackers.base import IssueFields, TrackedChild, Tracker, TrackingContent
from actiontrack.urls import strip_optional

SUFFIX, PARENT_SUFFIX = "::tracking", "::parent"


def tracking_id(postmortem_id: str, *, parent: bool = False) -> str:
    """The id a postmortem's tracking (or parent) issue is stored and marked under."""
    return postmortem_id + (PARENT_SUFFIX if parent else SUFFIX)


def is_tracking_id(action_id: str) -> bool:
    return action_id.endswith((SUFFIX, PARENT_SUFFIX))


def tracking_fields(
    pm: Postmortem, links: Mapping[str, LinkRow], *, tracker: Tracker, base_label: str, parent: bool = False
) -> IssueFields | None:
    """The tracking issue for `pm`, or None while none of its actions has an issue yet (a
    parent issue is wanted before they exist: it is made first, with an empty list)."""
    children = tuple(TrackedChild(link.key, action.title, IssueState(link.state))
                     for action in pm.actions
                     if (link := links.get(action.id)) is not None and link.key)
    if not children and not parent:
        return None
    rendered = tracker.render_tracking(TrackingContent(
        tracking_id=tracking_id(pm.id, parent=parent), postmortem_title=pm.title,
        postmortem_link=strip_optional(pm.url) or display_path(pm.path), link_is_url=bool(pm.url),
        base_label=base_label, children=children,
    ))
    return IssueFields(
        action_id=tracking_id(pm.id, parent=parent),
        postmortem_id=pm.id,
        title=f"Postmortem: {pm.title}"[:250],
        body=rendered.body,
        labels=rendered.labels,
        is_parent=parent,
    )


def has_linked_actions(pm: Postmortem, links: Mapping[str, LinkRow]) -> bool:
    return any((link := links.get(action.id)) is not None and link.key for action in pm.actions)


def all_closed(pm: Postmortem, links: Mapping[str, LinkRow]) -> bool:
    states = [IssueState(links[a.id].state) for a in pm.actions if a.id in links and links[a.id].key]
    return bool(states) and all(state.closed for state in states)
