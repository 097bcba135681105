"""How an issue says which action it belongs to: the identity lives inside the issue.

With the store lost, the engine still finds its issues by these markers and adopts
them instead of creating duplicates (vdirsyncer's test_missing_status).

* Every tracker: a line ``actiontrack-id: <action id>`` in the body. GitHub hides it in
  an HTML comment; Jira wiki markup shows it as a small footer.
* Jira also gets a label ``at-<12 hex>`` derived from the action id, because labels are
  exact-match searchable in JQL while description text search is fuzzy.
"""

from __future__ import annotations

import hashlib
import re

_BODY_MARKER = re.compile(r"actiontrack-id:\s*(?P<id>[^\s<>|\]]+)")


def marker_label(action_id: str) -> str:
    """A Jira-safe label (no spaces, short) that identifies one action."""
    return "at-" + hashlib.sha1(action_id.encode()).hexdigest()[:12]


def body_marker(action_id: str, *, html_comment: bool) -> str:
    line = f"actiontrack-id: {action_id}"
    return f"<!-- {line} -->" if html_comment else line


def action_id_in(body: str | None) -> str | None:
    """The action id a body's marker names, if any."""
    if not body:
        return None
    match = _BODY_MARKER.search(body)
    return match.group("id") if match else None
