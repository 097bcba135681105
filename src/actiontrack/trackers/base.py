"""The small interface every tracker implements, and the values that cross it.

Two halves, so that a report never loads a tracker's client library:
* `TrackerKind`: what a tracker *is*, without a connection: its settings model (the
  `[jira]` table), how its keys are shown and written back, what it calls a dropped
  issue, and how to open one. One light module per tracker (`jira_kind`, …).
* `Tracker`: one open connection to one target: reading, creating and changing issues,
  and rendering what an issue says (body, managed labels, marker) in its own markup.

The sync engine, reports and CLI speak only these, so a third tracker is one new
module pair plus a name in `registry`. Like vdirsyncer's storages, the engine always
calls the batch method (`create_many`); a tracker that cannot batch loops inside it.

Tracker modules raise only actiontrack.errors types. They never put a token in an
exception, a log line or a return value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from actiontrack.errors import ActionTrackError, TrackerError
from actiontrack.model import IssueState

if TYPE_CHECKING:
    from actiontrack.trackers.retry import RetryPolicy

OptionalField = Literal["due", "assignee", "priority", "parent"]  # fields an issue can be created without


class TrackerSettings(BaseModel):
    """Base of every tracker's settings table ([jira], [github] …), defined next to its tracker."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, slots=True)
class IssueContent:
    """What an action's issue must say, before any tracker's markup (sync/desired.py builds it).

    `phase` and `category` are set only when the author wrote them (a suggestion is shown
    in the body's facts but never becomes a label).
    """

    action_id: str
    text: str  # the action as the author wrote it
    postmortem_title: str
    postmortem_link: str  # the postmortem's URL, or its path in the repository
    link_is_url: bool
    facts: tuple[tuple[str, str], ...]  # ("Phase", "detection (suggested)"), ("Owner", "ikki") …
    base_label: str
    phase: str | None = None
    category: str | None = None
    priority: str | None = None  # P0..P4 only
    due: dt.date | None = None


@dataclass(frozen=True, slots=True)
class TrackedChild:
    """One action's issue as a tracking issue lists it."""

    key: str
    title: str
    state: IssueState


@dataclass(frozen=True, slots=True)
class TrackingContent:
    """What a postmortem's tracking issue must say (`[sync] group = "tracking-issue"`)."""

    tracking_id: str
    postmortem_title: str
    postmortem_link: str
    link_is_url: bool
    base_label: str
    children: tuple[TrackedChild, ...]


@dataclass(frozen=True, slots=True)
class Rendered:
    """An issue's body and the labels actiontrack manages on it, in one tracker's terms."""

    body: str
    labels: tuple[str, ...]


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
    parent: str | None = None  # key of the postmortem's parent issue ([sync] group = "parent")
    is_parent: bool = False  # this is a postmortem's parent issue (a Jira Epic)


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
    state: IssueState
    done_at: dt.datetime | None = None
    updated: str | None = None  # the server's own timestamp, for watermarks and logs
    status_name: str | None = None  # "In Review", "closed" …: what a person sees
    # Identity markers actiontrack puts on its issues that this one lacks (a person removed
    # a label or rewrote the body), in the tracker's own words ("label actiontrack",
    # "body marker"); `Change.restore_markers` puts them back.
    missing_markers: tuple[str, ...] = ()
    missing_labels: tuple[str, ...] = ()  # the identity labels among them, as labels to add

    @property
    def age(self) -> int:
        """Orders issues by creation: the older of two duplicates is kept."""
        return int(self.remote_id) if self.remote_id.isdigit() else 0

    @property
    def duplicate_of(self) -> str | None:
        """The key of the issue `actiontrack doctor` closed this one as a copy of, if it did."""
        from actiontrack.trackers.markers import duplicate_of

        return duplicate_of(self.body)


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


class RefusedFields(TrackerError):
    """An update refused only for optional fields (an assignee the tracker does not know, a
    due date the screen lacks): `Tracker.update` raises it so the engine can push the rest
    of the change without them, as a create is made again without them."""

    def __init__(self, error: TrackerError, refused: frozenset[OptionalField]) -> None:
        ActionTrackError.__init__(self, error.message, hint=error.hint)  # the message names tracker and URL already
        self.tracker, self.url, self.status = error.tracker, error.url, error.status
        self.refused = refused


def refusal(error: TrackerError, refused: frozenset[OptionalField]) -> TrackerError:
    """The error a refused request raises: RefusedFields when the tracker named only optional
    fields as its reasons (the engine then sends the rest without them), else the error itself."""
    return RefusedFields(error, refused) if refused else error


@dataclass(frozen=True, slots=True)
class Created:
    """Outcome of one create within a batch: an issue, or an error for that action only.

    `refused` names the optional fields the tracker gave as the only reasons it refused
    (an unknown assignee, a due date the screen lacks): the engine creates the issue again
    without them. Empty when a required field was refused too, or the reason is unknown.
    """

    action_id: str
    issue: RemoteIssue | None = None
    error: str | None = None
    refused: frozenset[OptionalField] = frozenset()


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


class TrackerKind(Protocol):
    """What one tracker is, without a connection; light to import (no client library)."""

    name: ClassVar[str]  # the registry name: [tracker] default, front matter `tracker:`
    settings_model: ClassVar[type[TrackerSettings]]
    target_key: ClassVar[str]  # the settings field a postmortem's `project:` replaces
    dropped_wording: ClassVar[str]  # "closed as not planned": a dropped issue in its own words

    def display_key(self, key: str) -> str:
        """How people write the key: 'OPS-12', '#12'."""
        ...

    def reference(self, key: str, url: str | None) -> str:
        """What `sync --write-back` puts in the file: unambiguous outside the tracker."""
        ...

    def open(self, settings: TrackerSettings, *, config_path: Path | None,
             secret: Callable[[str, str], str], retry: RetryPolicy) -> Tracker:
        """A live tracker. `secret(env_name, key)` reads a token from the environment;
        missing settings raise ConfigError naming the key and `config_path`."""
        ...


class Tracker(Protocol):
    """One tracker instance and target (a Jira project, a GitHub repository …)."""

    name: str  # the registry name
    target: str  # "OPS" | "owner/repo"
    base_url: str  # for messages; never carries credentials
    # True when a create shows in the listing at once (no search lag to wait out).
    listing_is_consistent: bool
    # True when `[sync] group = "parent"` is native (an issue can name a parent issue, as in
    # Jira's hierarchy); otherwise that setting gets a tracking issue instead.
    groups_by_parent: bool

    def render(self, content: IssueContent) -> Rendered:
        """The body (with the marker) and managed labels of an action's issue."""
        ...

    def render_tracking(self, content: TrackingContent) -> Rendered:
        """The body and labels of a postmortem's tracking issue."""
        ...

    def is_managed_label(self, label: str, base_label: str) -> bool:
        """Whether actiontrack owns this label (people's own labels are never removed)."""
        ...

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
        """Apply a change to one issue; RefusedFields when only optional fields were refused."""
        ...

    def close(self, issue: RemoteIssue, *, dropped: bool) -> None:
        """Close an issue (done, or dropped: 'won't do' / 'not planned'); for --close-orphans."""
        ...

    def close_as_duplicate(self, issue: RemoteIssue, *, original: RemoteIssue, label: str) -> None:
        """Close `issue` as a duplicate of `original` and strip its identity markers, so no
        listing names the action twice again (`actiontrack doctor --fix`)."""
        ...
