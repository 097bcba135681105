"""The small interface every tracker implements, and the values that cross it.

The sync engine (actiontrack.sync) speaks only this interface, so a third tracker
(Linear, GitLab) is one new module here plus a name in `registry`. Like
vdirsyncer's storages, the engine always calls the batch method (`create_many`);
a tracker that cannot batch loops inside it.

Tracker modules raise only actiontrack.errors types. They never put a token in an
exception, a log line or a return value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

State = Literal["open", "done", "dropped"]


@dataclass(frozen=True, slots=True)
class IssueFields:
    """What actiontrack wants an issue to say, rendered from one action.

    `labels` are only the labels actiontrack manages (base, phase:, category:,
    priority:, marker); a tracker merges them with labels people added.
    `assignee` is already the tracker account (Jira accountId/username, GitHub login).
    """

    action_id: str
    postmortem_id: str
    title: str
    body: str
    labels: tuple[str, ...]
    assignee: str | None = None
    due: dt.date | None = None
    priority: str | None = None  # P0..P4; each tracker maps it to its own vocabulary


@dataclass(frozen=True, slots=True)
class RemoteIssue:
    """An issue as the tracker has it now."""

    key: str  # what people type: "OPS-12", or the GitHub issue number as text
    remote_id: str  # the tracker's stable internal id (Jira id, GitHub issue number)
    url: str  # the page a person opens
    action_id: str | None  # from the issue's marker; None when the issue is not ours
    title: str
    body: str
    labels: tuple[str, ...]
    assignee: str | None
    due: dt.date | None
    priority: str | None  # P0..P4 when it maps back, else the tracker's name
    state: State
    done_at: dt.datetime | None = None
    updated: str | None = None  # the server's own timestamp, for watermarks and logs
    status_name: str | None = None  # "In Review", "closed" …: what a person sees
    # Identity markers actiontrack puts on its issues that this one lacks (a person removed
    # a label or rewrote the body), in the tracker's own words ("label actiontrack",
    # "body marker"); `Change.restore_markers` puts them back.
    missing_markers: tuple[str, ...] = ()

    @property
    def age(self) -> int:
        """Orders issues by creation: the older of two duplicates is kept."""
        return int(self.remote_id) if self.remote_id.isdigit() else 0


@dataclass(frozen=True, slots=True)
class IssueRef:
    """A linked issue as the store knows it: enough to ask whether it still exists."""

    action_id: str
    key: str
    remote_id: str


@dataclass(frozen=True, slots=True)
class Verification:
    """What one existence check found (the listing by `updated` cannot see deletions)."""

    checked: int  # how many of the refs this check covered
    gone: frozenset[str] = frozenset()  # remote ids of issues that no longer exist
    found: tuple[RemoteIssue, ...] = ()  # issues read in full on the way (e.g. one that lost its label)


@dataclass(frozen=True, slots=True)
class Created:
    """Outcome of one create within a batch: an issue, or an error for that action only."""

    action_id: str
    issue: RemoteIssue | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """Fields to push to one issue; None means leave the field alone."""

    title: str | None = None
    body: str | None = None
    labels_add: tuple[str, ...] = ()
    labels_remove: tuple[str, ...] = ()
    assignee: str | None = None
    clear_assignee: bool = False
    due: dt.date | None = None
    clear_due: bool = False
    priority: str | None = None
    restore_markers: bool = False  # put back the issue's missing identity markers
    # The action the issue belongs to. When the issue's markers name another (the action
    # was reworded and got a new id), the tracker rewrites every marker to name this one.
    action_id: str | None = None
    fields: tuple[str, ...] = field(default=())  # names of the fields changed, for the journal


class Tracker(Protocol):
    """One tracker instance and target (a Jira project or a GitHub repository)."""

    name: str  # "jira" | "github"
    target: str  # "OPS" | "owner/repo"
    base_url: str  # for messages; never carries credentials

    def check_auth(self) -> str:
        """Who we are (an account name); raises AuthenticationError with what to check."""
        ...

    def list_issues(
        self,
        *,
        label: str,
        updated_since: dt.datetime | None,
        look_for: Sequence[str] = (),
        known: Collection[str] = (),
        deep: bool = False,
    ) -> list[RemoteIssue]:
        """Our issues updated at or after `updated_since` (all of them when None).

        "Ours": carrying `label`, or one of the markers (markers.py) the tracker can search.
        Whatever their labels and age, the issues of the actions in `look_for` are included:
        this is the check before a create, so it must cost no request of its own when the
        tracker can fold it into the listing. `known` names every action the engine knows,
        so an issue whose only remaining marker is a hash (Jira's label) can be named.
        `deep` (for `actiontrack doctor`) reads everything the target holds.
        Each issue's `action_id` comes from the strongest marker it still has.
        """
        ...

    def verify(self, refs: Sequence[IssueRef], *, label: str, turn: int | None) -> Verification:
        """Which linked issues no longer exist.

        `turn` None: check every ref. Otherwise check this turn's share of them, at a cost
        that does not grow with len(refs) (one or two requests), so that consecutive turns
        cover them all: the deleted-issue check of a no-op re-sync.
        """
        ...

    def find_by_action_ids(self, action_ids: Sequence[str], *, label: str) -> dict[str, RemoteIssue]:
        """Issues whose marker names one of `action_ids`: the look before a create is retried."""
        ...

    def create_many(self, items: Sequence[IssueFields]) -> list[Created]:
        """Create issues, as few requests as the tracker allows; one result per item, in order.

        Raises AmbiguousWriteError when a request may have been applied but no answer came:
        the engine then looks for the markers before it tries again.
        """
        ...

    def update(self, issue: RemoteIssue, change: Change) -> None:
        """Apply a change to one issue."""
        ...

    def close(self, issue: RemoteIssue, *, dropped: bool) -> None:
        """Close an issue (done, or dropped: 'won't do' / 'not planned'); for --close-orphans."""
        ...

    def close_as_duplicate(self, issue: RemoteIssue, *, original: RemoteIssue, label: str) -> None:
        """Close `issue` as a duplicate of `original` and strip its identity markers, so no
        listing names the action twice again (`actiontrack doctor --fix`)."""
        ...
