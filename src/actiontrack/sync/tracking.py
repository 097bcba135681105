"""`[sync] group = "tracking-issue"`: one issue per postmortem that lists its actions' issues.

A manager opens one link per incident and sees every action with its state. On GitHub
the body is a task list of issue references (`- [x] #12 …`), which GitHub renders with
each issue's title and state; on Jira a bulleted list of keys, which Jira links. The
list is re-rendered on every sync and pushed only when it changed, and it ticks as the
actions' issues close.
"""

from __future__ import annotations

from collections.abc import Mapping

from actiontrack.links import display_path
from actiontrack.model import Postmortem
from actiontrack.store.tables import LinkRow
from actiontrack.trackers.base import IssueFields
from actiontrack.trackers.markers import body_marker, marker_label

SUFFIX = "::tracking"


def tracking_id(postmortem_id: str) -> str:
    """The id a postmortem's tracking issue is stored and marked under."""
    return postmortem_id + SUFFIX


def is_tracking_id(action_id: str) -> bool:
    return action_id.endswith(SUFFIX)


def tracking_fields(
    pm: Postmortem, links: Mapping[str, LinkRow], *, tracker: str, base_label: str
) -> IssueFields | None:
    """The tracking issue for `pm`, or None while none of its actions has an issue yet."""
    children = [(action, links[action.id]) for action in pm.actions
                if action.id in links and links[action.id].key]
    if not children:
        return None
    link = pm.url or display_path(pm.path)
    done = sum(1 for _, child in children if child.state in ("done", "dropped"))
    if tracker == "github":
        lines = [f"Actions from the postmortem [{pm.title}]({link}) ({done} of {len(children)} closed):", ""]
        lines += [f"- [{'x' if child.state in ('done', 'dropped') else ' '}] #{child.key}"
                  f"{' (dropped)' if child.state == 'dropped' else ''}" for _, child in children]
    else:
        where = f"[{pm.title}|{link}]" if pm.url else f"{pm.title} ({link})"
        lines = [f"Actions from the postmortem {where} ({done} of {len(children)} closed):", ""]
        lines += [f"* {child.key} — {action.title} ({child.state})" for action, child in children]
    lines += ["", body_marker(tracking_id(pm.id), html_comment=tracker == "github")]
    return IssueFields(
        action_id=tracking_id(pm.id),
        postmortem_id=pm.id,
        title=f"Postmortem: {pm.title}"[:250],
        body="\n".join(lines),
        labels=(base_label, "postmortem", *((marker_label(tracking_id(pm.id)),) if tracker == "jira" else ())),
    )


def all_closed(pm: Postmortem, links: Mapping[str, LinkRow]) -> bool:
    states = [links[a.id].state for a in pm.actions if a.id in links and links[a.id].key]
    return bool(states) and all(state in ("done", "dropped") for state in states)
