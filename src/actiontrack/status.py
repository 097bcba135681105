"""Actions with their tracker state as of the last sync, for `actiontrack status`."""

from __future__ import annotations

from actiontrack.identity import owner_aliases
from actiontrack.model import IssueState
from actiontrack.store import Store
from actiontrack.store.values import ORPHANED, UNSYNCED
from actiontrack.trackers.registry import display_key


def _owned_by(written: str | None, wanted: str) -> bool:
    """`--owner lena` matches `@lena`, `lena` and `Lena Ortiz <lena@example.com>`."""
    if not written:
        return False
    query = wanted.strip().lstrip("@").casefold()
    return any(name.casefold() == query for name in owner_aliases(written))


STATES = (*(state.value for state in IssueState), ORPHANED, UNSYNCED)  # what --state accepts


def status_rows(
    store_url: str,
    *,
    owner: str | None = None,
    postmortem: str | None = None,
    state: str | None = None,
) -> list[dict[str, object]]:
    """One dict per action: id, title, postmortem, tracker, key (and as people write it), url,
    state, owner, due."""
    with Store.open(store_url) as store:
        links = store.links()
        rows = store.report_rows(include_removed=True)
    out: list[dict[str, object]] = []
    for row in rows:
        if (owner and not _owned_by(row.owner, owner)) or (postmortem and row.postmortem_id != postmortem):
            continue
        if state and row.state != state:
            continue
        link = links.get(row.action_id)
        out.append({
            "id": row.action_id,
            "title": row.title,
            "postmortem": row.postmortem_id,
            "tracker": link.tracker if link else None,
            "key": row.key,
            "display_key": display_key(link.tracker if link else None, row.key),
            "url": row.url,
            "state": row.state,
            "owner": row.owner,
            "due": row.due.isoformat() if row.due else None,
            "priority": row.priority,
            "done_at": row.done_at.isoformat() if row.done_at else None,
        })
    return out
