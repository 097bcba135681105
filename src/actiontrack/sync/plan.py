"""The sync decision table: pure functions from (file, store, tracker) to a plan.

One commented branch per situation, each yielding a small operation, as in
vdirsyncer. The engine prints the plan, then applies it; nothing here does I/O.

Three-way rule, per field: the file owns wording, tags, owner, due date and priority;
the tracker owns status. With base = the value both sides had at the last sync:
  file == base                      → nothing to push (a tracker change is left alone;
                                      a moved due date is pulled into the store)
  file != base, tracker == base     → push the file's value
  file != base, tracker == file     → already the same: just record the new base
  file != base, tracker != base     → conflict: reported, left alone unless resolved
A field the file leaves empty (no owner, no priority) is not managed: people may set it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from actiontrack.model import IssueState
from actiontrack.store.tables import LinkRow
from actiontrack.sync.desired import body_hash
from actiontrack.trackers.base import Change, IssueFields, RemoteIssue

Resolve = Literal["file", "tracker"] | None
Managed = Callable[[str], bool]  # whether actiontrack owns a label (the tracker's rule)
FIELDS = ("title", "body", "labels", "assignee", "due", "priority")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One side's values of the managed fields, comparable across file, base and tracker."""

    title: str | None
    body: str | None  # a hash
    labels: tuple[str, ...] | None
    assignee: str | None
    due: dt.date | None
    priority: str | None

    def get(self, name: str) -> object:
        return getattr(self, name)


def of_fields(fields: IssueFields) -> Snapshot:
    return Snapshot(fields.title, body_hash(fields.body), tuple(sorted(fields.labels)),
                    fields.assignee, fields.due, fields.priority)


def of_link(link: LinkRow) -> Snapshot:
    labels = tuple(sorted(link.base_labels)) if link.base_labels is not None else None
    return Snapshot(link.base_title, link.base_body_hash, labels, link.base_assignee,
                    link.base_due, link.base_priority)


def of_remote(issue: RemoteIssue, managed: Managed) -> Snapshot:
    labels = tuple(sorted(label for label in issue.labels if managed(label)))
    return Snapshot(issue.title, body_hash(issue.body), labels, issue.assignee, issue.due, issue.priority)


@dataclass(frozen=True, slots=True)
class Desired:
    """An action as the file wants its issue."""

    fields: IssueFields
    position: int
    owner: str | None
    unmapped_owner: str | None = None
    done_in_file: bool = False  # ticked or marked done before it ever had an issue


# --- operations -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Create:
    desired: Desired


@dataclass(frozen=True, slots=True)
class Adopt:
    """An issue with this action's marker exists but the store does not know it."""

    desired: Desired
    issue: RemoteIssue


@dataclass(frozen=True, slots=True)
class Update:
    desired: Desired
    link: LinkRow
    issue: RemoteIssue | None
    change: Change
    new_base: Snapshot


@dataclass(frozen=True, slots=True)
class Record:
    """Store-only: new base values (converged fields) and/or the tracker's status and due date."""

    link: LinkRow
    issue: RemoteIssue | None
    new_base: Snapshot | None


@dataclass(frozen=True, slots=True)
class Conflict:
    desired: Desired
    link: LinkRow
    fields: tuple[str, ...]
    file_values: Mapping[str, object]
    tracker_values: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Orphan:
    """The action disappeared from its file; its issue stays unless --close-orphans."""

    link: LinkRow
    issue: RemoteIssue | None
    close: bool


@dataclass(frozen=True, slots=True)
class Rekey:
    """A reworded action (new id) takes over the link of the action it used to be."""

    old_id: str
    new_id: str


Op = Create | Adopt | Update | Record | Conflict | Orphan | Rekey


@dataclass(slots=True)
class Plan:
    ops: list[Op] = field(default_factory=list)
    unchanged: int = 0
    unmapped_owners: set[str] = field(default_factory=set)
    skipped: dict[str, str] = field(default_factory=dict)  # action id → why it was left out

    def of(self, kind: type) -> list[Op]:
        return [op for op in self.ops if isinstance(op, kind)]

    def counts(self, links: Mapping[str, LinkRow]) -> dict[str, int]:
        records = [op for op in self.ops if isinstance(op, (Record, Update))]
        return {
            "create": len(self.of(Create)),
            "adopt": len(self.of(Adopt)),
            "update": len(self.of(Update)),
            "unchanged": self.unchanged,
            "done upstream": sum(1 for op in records if _became(op, links, IssueState.DONE)),
            "dropped upstream": sum(1 for op in records if _became(op, links, IssueState.DROPPED)),
            "reopened upstream": sum(1 for op in records if _became(op, links, IssueState.OPEN)),
            "orphaned": len(self.of(Orphan)),
            "conflicts": len(self.of(Conflict)),
        }


def state_moved(op: Op) -> bool:
    """A store-only record that carries a new tracker state (done, dropped, reopened)."""
    return isinstance(op, Record) and op.issue is not None and op.issue.state != op.link.state


def _became(op: Record | Update, links: Mapping[str, LinkRow], state: IssueState) -> bool:
    issue = op.issue
    return issue is not None and issue.state == state and op.link.state != state


# --- deciding -------------------------------------------------------------------------------


def decide_linked(
    desired: Desired, link: LinkRow, issue: RemoteIssue | None, *, managed: Managed, resolve: Resolve
) -> list[Op]:
    """An action already linked to an issue (issue is None when the tracker did not list it
    this run: unchanged since the last sync, so the tracker still has the base values)."""
    local, base = of_fields(desired.fields), of_link(link)
    remote = of_remote(issue, managed) if issue is not None else base
    push: dict[str, object] = {}
    conflicts: list[str] = []
    new_base = {name: base.get(name) for name in FIELDS}
    for name in FIELDS:
        mine, theirs, was = local.get(name), remote.get(name), base.get(name)
        if mine == was or (mine is None and name in ("assignee", "priority")):
            continue  # the file did not change it (or leaves it to people)
        if theirs == mine:
            new_base[name] = mine  # both sides already agree
        elif theirs == was or resolve == "file":
            push[name] = mine
            new_base[name] = mine
        elif resolve == "tracker":
            new_base[name] = theirs
        else:
            conflicts.append(name)
    ops: list[Op] = []
    if conflicts:
        ops.append(Conflict(desired, link, tuple(conflicts),
                            {n: local.get(n) for n in conflicts}, {n: remote.get(n) for n in conflicts}))
    base_after = Snapshot(**new_base)  # type: ignore[arg-type]
    if push:
        ops.append(Update(desired, link, issue, _change(push, desired.fields, remote), base_after))
    elif base_after != base or _status_moved(link, issue):
        ops.append(Record(link, issue, base_after if base_after != base else None))
    return ops


def _status_moved(link: LinkRow, issue: RemoteIssue | None) -> bool:
    if issue is None:
        return False
    return (issue.state, issue.due, issue.updated, issue.key) != (
        link.state, link.remote_due, link.remote_updated, link.key)


def _change(push: Mapping[str, object], fields: IssueFields, remote: Snapshot) -> Change:
    wanted = set(fields.labels)
    had = set(remote.labels or ())
    return Change(
        title=fields.title if "title" in push else None,
        body=fields.body if "body" in push else None,
        labels_add=tuple(sorted(wanted - had)) if "labels" in push else (),
        labels_remove=tuple(sorted(had - wanted)) if "labels" in push else (),
        assignee=fields.assignee if "assignee" in push else None,
        clear_assignee="assignee" in push and fields.assignee is None,
        due=fields.due if "due" in push else None,
        clear_due="due" in push and fields.due is None,
        priority=fields.priority if "priority" in push else None,
        fields=tuple(sorted(push)),
    )


def decide_unlinked(desired: Desired, found: RemoteIssue | None) -> Op:
    """An action the store has no issue for: adopt an issue carrying its marker, else create."""
    return Adopt(desired, found) if found is not None else Create(desired)


def base_of(fields: IssueFields) -> Snapshot:
    """The base after creating an issue from `fields`: what we sent."""
    return of_fields(fields)


def adopted_base(issue: RemoteIssue, managed: Managed) -> Snapshot:
    """After a lost store the tracker's values become the base: the file's edits are then pushed."""
    return of_remote(issue, managed)


def order_creates(ops: Sequence[Op]) -> list[Create]:
    """Creates in file order, so issue numbers follow the postmortem."""
    creates = [op for op in ops if isinstance(op, Create)]
    return sorted(creates, key=lambda op: (op.desired.fields.postmortem_id, op.desired.position))
