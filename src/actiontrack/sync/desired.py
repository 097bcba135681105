"""What an action's issue should say: title, body, labels, assignee, due date, priority.

The file owns these; the engine compares them with the last-synced values (the base)
to decide what to push. Everything here is deterministic, so an unchanged file renders
an unchanged issue and a re-sync writes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from actiontrack.classify import Classified
from actiontrack.config import Config
from actiontrack.links import display_path, postmortem_url
from actiontrack.model import Action, Postmortem, TagSource
from actiontrack.trackers.base import IssueFields
from actiontrack.trackers.markers import body_marker, marker_label

TITLE_LIMIT = 250
PRIORITIES = ("P0", "P1", "P2", "P3", "P4")


@dataclass(frozen=True, slots=True)
class Rendered:
    fields: IssueFields
    unmapped_owner: str | None  # an owner with no account in [owners] for this tracker


def render(action: Action, pm: Postmortem, tags: Classified, *, tracker: str, config: Config) -> Rendered:
    """The issue for an action on `tracker` ("jira" | "github")."""
    assignee, unmapped = _assignee(action.owner, tracker, config)
    priority = action.priority if action.priority in PRIORITIES else None
    fields = IssueFields(
        action_id=action.id,
        postmortem_id=pm.id,
        title=_title(action.title),
        body=_body(action, pm, tags, tracker=tracker, github_due=config.github.due == "body",
                   base_url=config.links.postmortem_base_url),
        labels=managed_labels(action, tags, tracker=tracker, base=config.sync.base_label),
        assignee=assignee,
        due=action.due,
        priority=priority,
    )
    return Rendered(fields, unmapped)


def _title(title: str) -> str:
    single = " ".join(title.split())
    return single if len(single) <= TITLE_LIMIT else single[: TITLE_LIMIT - 1].rstrip() + "…"


def managed_labels(action: Action, tags: Classified, *, tracker: str, base: str) -> tuple[str, ...]:
    """Labels actiontrack owns on an issue; people may add others, which are kept."""
    labels = {base}
    if tags.phase.value is not None and tags.phase.source is TagSource.EXPLICIT:
        labels.add(f"phase:{tags.phase.value.value}")
    if tags.category.value is not None and tags.category.source is TagSource.EXPLICIT:
        labels.add(f"category:{tags.category.value.value}")
    if tracker == "jira":
        labels.add(marker_label(action.id))
    elif action.priority in PRIORITIES:
        labels.add(f"priority:{action.priority}")
    return tuple(sorted(labels))


def is_managed_label(label: str, base: str) -> bool:
    return label == base or label.startswith(("phase:", "category:", "priority:", "at-"))


def _assignee(owner: str | None, tracker: str, config: Config) -> tuple[str | None, str | None]:
    if not owner:
        return None, None
    accounts = config.owners.get(owner) or config.owners.get(owner.lower())
    account = getattr(accounts, tracker, None) if accounts else None
    return (account, None) if account else (None, owner)


def _describe(tags: Classified) -> tuple[str, str]:
    def one(value: object, source: TagSource) -> str:
        if value is None:
            return "not set"
        text = getattr(value, "value", str(value))
        return f"{text} (suggested)" if source is TagSource.SUGGESTED else str(text)

    return one(tags.phase.value, tags.phase.source), one(tags.category.value, tags.category.source)


def _body(action: Action, pm: Postmortem, tags: Classified, *, tracker: str, github_due: bool,
          base_url: str | None = None) -> str:
    phase, category = _describe(tags)
    url = postmortem_url(pm.path, pm.url, base_url)
    link = url or display_path(pm.path)
    facts = [
        ("Phase", phase), ("Category", category), ("Priority", action.priority or "not set"),
        ("Owner", action.owner or "not set"),
    ]
    if tracker == "github" and github_due:
        facts.append(("Due", action.due.isoformat() if action.due else "not set"))
    if tracker == "jira":
        postmortem = f"[{pm.title}|{link}]" if url else f"{pm.title} ({link})"
        lines = [action.text, "", "----", f"*Postmortem:* {postmortem}"]
        lines += [" | ".join(f"*{name}:* {value}" for name, value in facts)]
        lines += ["", body_marker(action.id, html_comment=False)]
    else:
        postmortem = f"[{pm.title}]({link})" if url else f"{pm.title} (`{link}`)"
        lines = [action.text, "", "---", f"**Postmortem:** {postmortem}"]
        lines += [" · ".join(f"**{name}:** {value}" for name, value in facts)]
        lines += ["", body_marker(action.id, html_comment=True)]
    return "\n".join(lines)


def body_hash(body: str) -> str:
    """Bodies are compared by hash: the store keeps the hash, not the text.

    Line endings and trailing spaces are normalised first, because trackers return the
    body a little differently from how it was sent.
    """
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").strip().split("\n")]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]

