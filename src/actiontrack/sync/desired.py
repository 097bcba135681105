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
from actiontrack.model import Action, Category, Phase, Postmortem, TagSource
from actiontrack.trackers.base import IssueContent, IssueFields, Tracker
from actiontrack.urls import strip_optional

TITLE_LIMIT = 250
PRIORITIES = ("P0", "P1", "P2", "P3", "P4")


@dataclass(frozen=True, slots=True)
class Rendered:
    fields: IssueFields
    unmapped_owner: str | None  # an owner with no account in [owners] for this tracker


def render(action: Action, pm: Postmortem, tags: Classified, *, tracker: Tracker, config: Config) -> Rendered:
    """The issue for an action on `tracker`: what to say here, how to say it there."""
    account = config.account(action.owner, tracker.name) if action.owner else None
    if account is None and action.owner and pm.origin is not None:  # a page's mention may name the account
        account = pm.origin.account(action.owner, tracker.name, tracker.base_url)
    unmapped = action.owner if action.owner and not account else None
    issue = tracker.render(content(action, pm, tags, base_label=config.sync.base_label,
                                   base_url=config.links.postmortem_base_url))
    fields = IssueFields(
        action_id=action.id,
        postmortem_id=pm.id,
        title=_title(action.title),
        body=issue.body,
        labels=issue.labels,
        assignee=account,
        due=action.due,
        priority=action.priority if action.priority in PRIORITIES else None,
    )
    return Rendered(fields, unmapped)


def content(action: Action, pm: Postmortem, tags: Classified, *, base_label: str,
            base_url: str | None = None) -> IssueContent:
    """What the issue says, in no tracker's markup; only tags the author wrote become labels."""
    phase, category = _describe(tags)
    url = postmortem_url(pm.path, pm.url, base_url)
    facts = (("Phase", phase), ("Category", category), ("Priority", action.priority or "not set"),
             ("Owner", action.owner or "not set"))
    return IssueContent(
        action_id=action.id,
        text=action.text,
        postmortem_title=pm.title,
        postmortem_link=strip_optional(url) or display_path(pm.path),
        link_is_url=url is not None,
        facts=facts,
        base_label=base_label,
        phase=_explicit(tags.phase.value, tags.phase.source),
        category=_explicit(tags.category.value, tags.category.source),
        priority=action.priority if action.priority in PRIORITIES else None,
        due=action.due,
    )


def _title(title: str) -> str:
    single = " ".join(title.split())
    return single if len(single) <= TITLE_LIMIT else single[: TITLE_LIMIT - 1].rstrip() + "…"


def _explicit(value: Phase | Category | None, source: TagSource) -> str | None:
    return value.value if value is not None and source is TagSource.EXPLICIT else None


def _describe(tags: Classified) -> tuple[str, str]:
    def one(value: object, source: TagSource) -> str:
        if value is None:
            return "not set"
        text = getattr(value, "value", str(value))
        return f"{text} (suggested)" if source is TagSource.SUGGESTED else str(text)

    return one(tags.phase.value, tags.phase.source), one(tags.category.value, tags.category.source)


def body_hash(body: str) -> str:
    """Bodies are compared by hash: the store keeps the hash, not the text.

    Line endings and trailing spaces are normalised first, because trackers return the
    body a little differently from how it was sent.
    """
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").strip().split("\n")]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
