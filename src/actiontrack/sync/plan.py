"""The sync decision table: pure functions from (file, store, tracker) to a plan.

One commented branch per situation, each yielding a small operation, as in
vdirsyncer. The engine prints the plan, then applies it; a dry run prints the same plan
and stops. Nothing here does I/O.

Three-way rule, per field: the file owns wording, tags, owner, due date and priority;
the tracker owns status. The store keeps two bases from the last sync: the tracker's
value (`base_*`) and, where it was different, the file's (`file_base`):
  file == file base                 → nothing to push; a person's change stands and
                                      becomes the tracker base (a moved due date is
                                      pulled into the store)
  file changed, tracker == file     → already the same: just record the new bases
  file changed, tracker == its base → push the file's value
  file changed, tracker changed     → conflict: reported, left alone unless resolved;
                                      --resolve file pushes, --resolve tracker keeps
                                      theirs and records the file's value as seen, so
                                      the decision lasts until the file changes again
A field the file leaves empty (no owner, no priority) is not managed: people may set it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from actiontrack.identity import Known, match_renamed
from actiontrack.model import IssueState
from actiontrack.store.tables import ActionRow, LinkRow
from actiontrack.sync.desired import body_hash
from actiontrack.trackers.base import Change, IssueFields, RemoteIssue

Resolve = Literal["file", "tracker"] | None
Managed = Callable[[str], bool]  # whether actiontrack owns a label (the tracker's rule)
FIELDS = ("title", "body", "labels", "assignee", "due", "priority")
PEOPLE_FIELDS = ("assignee", "priority")  # left to people when the file leaves them empty


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
    """The tracker's side of the base."""
    labels = tuple(sorted(link.base_labels)) if link.base_labels is not None else None
    return Snapshot(link.base_title, link.base_body_hash, labels, link.base_assignee,
                    link.base_due, link.base_priority)


def file_side(link: LinkRow) -> Snapshot:
    """The file's side of the base: the tracker's, except where `file_base` says otherwise."""
    base = of_link(link)
    overrides = link.file_base or {}
    return Snapshot(**{name: _from_json(name, overrides[name]) if name in overrides else base.get(name)  # type: ignore[arg-type]
                       for name in FIELDS})


def file_base_json(file: Snapshot, tracker: Snapshot) -> dict[str, Any] | None:
    """What to store in `links.file_base`: the fields where the two bases differ."""
    diff = {name: _to_json(file.get(name)) for name in FIELDS if file.get(name) != tracker.get(name)}
    return diff or None


def _to_json(value: object) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _from_json(name: str, value: Any) -> object:
    if value is None:
        return None
    if name == "due":
        return dt.date.fromisoformat(str(value))
    if name == "labels":
        return tuple(sorted(str(v) for v in value))
    return str(value)


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
    ticket: str | None = None  # the issue key or URL written beside the action (--write-back)


# --- operations -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Create:
    desired: Desired


@dataclass(frozen=True, slots=True)
class Adopt:
    """An issue with this action's marker exists but the store does not know it."""

    desired: Desired
    issue: RemoteIssue
    by: str = "marker"  # "title": our label, no marker, this exact title; "ticket": the file names it


@dataclass(frozen=True, slots=True)
class Bases:
    """Both sides' base values to record after an operation (file_base: see LinkRow)."""

    tracker: Snapshot
    file: Snapshot


@dataclass(frozen=True, slots=True)
class Update:
    desired: Desired
    link: LinkRow
    issue: RemoteIssue | None
    change: Change
    new_base: Bases
    rekeyed_from: str | None = None  # the old id the issue's markers still name


@dataclass(frozen=True, slots=True)
class Record:
    """Store-only: new base values (converged fields) and/or the tracker's status and due date."""

    link: LinkRow
    issue: RemoteIssue | None
    new_base: Bases | None


@dataclass(frozen=True, slots=True)
class Conflict:
    desired: Desired
    link: LinkRow
    fields: tuple[str, ...]
    file_values: Mapping[str, object]
    tracker_values: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Orphan:
    """The action disappeared from its file (or its file disappeared); the issue stays
    unless --close-orphans."""

    link: LinkRow
    issue: RemoteIssue | None
    close: bool
    why: str = "removed from its file"


@dataclass(frozen=True, slots=True)
class Rekey:
    """A reworded action (new id) takes over the link of the action it used to be."""

    old_id: str
    new_id: str
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Gone:
    """The linked issue no longer exists (a person deleted it): the action becomes unsynced
    and gets a new issue on the next sync."""

    link: LinkRow


@dataclass(frozen=True, slots=True)
class Duplicate:
    """More than one issue carries this action's marker; `keep` is the one used."""

    action_id: str
    keep: RemoteIssue
    others: tuple[RemoteIssue, ...]


@dataclass(frozen=True, slots=True)
class Stale:
    """The linked issue's marker names another action (a person copied a body, or the
    store and tracker disagree): left alone and reported for `actiontrack doctor`."""

    link: LinkRow
    issue: RemoteIssue


@dataclass(frozen=True, slots=True)
class AlsoMarked:
    """Another issue carries the marker of this linked action (a second store's create, a
    person's copy, or the linked issue lost its marker): reported for `actiontrack doctor`,
    which can read both and tell which to keep."""

    link: LinkRow
    issue: RemoteIssue


Op = Create | Adopt | Update | Record | Conflict | Orphan | Rekey | Gone | Duplicate | Stale | AlsoMarked


@dataclass(slots=True)
class Plan:
    ops: list[Op] = field(default_factory=list)
    unchanged: int = 0
    unmapped_owners: set[str] = field(default_factory=set)
    skipped: dict[str, str] = field(default_factory=dict)  # action id → why it was left out
    vanished_files: list[str] = field(default_factory=list)  # postmortems whose file is gone

    def of(self, kind: type) -> list[Op]:
        return [op for op in self.ops if isinstance(op, kind)]

    def counts(self, links: Mapping[str, LinkRow]) -> dict[str, int]:
        records = [op for op in self.ops if isinstance(op, (Record, Update))]
        return {
            "create": len(self.of(Create)),
            "adopt": len(self.of(Adopt)),
            "update": len(self.of(Update)),
            "unchanged": self.unchanged,
            "done upstream": sum(1 for op in records if _became(op, IssueState.DONE)),
            "dropped upstream": sum(1 for op in records if _became(op, IssueState.DROPPED)),
            "reopened upstream": sum(1 for op in records if _became(op, IssueState.OPEN)),
            "deleted upstream": len(self.of(Gone)),
            "orphaned": len(self.of(Orphan)),
            "conflicts": len(self.of(Conflict)),
            "duplicates": len(self.of(Duplicate)) + len(self.of(AlsoMarked)),
        }


def state_moved(op: Op) -> bool:
    """A store-only record that carries a new tracker state (done, dropped, reopened)."""
    return isinstance(op, Record) and op.issue is not None and op.issue.state != op.link.state


def _became(op: Record | Update, state: IssueState) -> bool:
    issue = op.issue
    return issue is not None and issue.state == state and op.link.state != state


# --- what the engine gathered, and the whole decision ------------------------------------------


@dataclass(frozen=True, slots=True)
class Situation:
    """Both sides as the engine read them, for `decide` (the engine's only input to planning)."""

    desired: Mapping[str, Desired]
    links: Mapping[str, LinkRow]  # this target's links, rekeys already applied (see `with_rekeys`)
    remote: Sequence[RemoteIssue]  # issues listed this run (and read while verifying)
    base_label: str
    managed: Managed  # the tracker's rule for the labels actiontrack owns
    resolve: Resolve = None
    close_orphans: bool = False
    gone: frozenset[str] = frozenset()  # remote ids of linked issues that no longer exist
    orphaned: Mapping[str, str] = field(default_factory=dict)  # linked action id → why it left
    rekeys: Mapping[str, str] = field(default_factory=dict)  # new id → old id
    recovered: Mapping[str, RemoteIssue] = field(default_factory=dict)  # pending creates found
    skipped: Mapping[str, str] = field(default_factory=dict)  # action id → why it is left out


def decide(situation: Situation) -> Plan:
    """The plan for one target: one decision per action, then orphans and duplicates."""
    s = situation
    plan = Plan(skipped=dict(s.skipped))
    chosen, duplicates = pick_by_marker(s.remote, s.links)
    plan.ops += [Rekey(old, new, s.links[new].key) for new, old in s.rekeys.items() if new in s.links]
    by_key = {issue.key: issue for issue in s.remote}
    # An issue a person moved (another Jira project) has a new key and the same id.
    by_id = {issue.remote_id: issue for issue in s.remote if issue.remote_id != issue.key}
    linked_keys = {link.key: link.action_id for link in s.links.values() if link.key}
    unlinked = [a for a, link in ((a, s.links.get(a)) for a in s.desired)
                if (link is None or link.key is None) and a not in s.skipped]
    by_title = match_by_title(s.remote, {a: s.desired[a] for a in unlinked}, linked_keys, s.base_label)
    by_ticket = match_by_ticket(s.remote, {a: s.desired[a] for a in unlinked}, linked_keys)
    for action_id, want in s.desired.items():
        if want.unmapped_owner:
            plan.unmapped_owners.add(want.unmapped_owner)
        if action_id in s.skipped:
            continue
        link = s.links.get(action_id)
        if link is None or link.key is None:
            # No issue known: adopt one that carries the action's marker, else create.
            found = (s.recovered.get(action_id) or chosen.get(action_id) or by_ticket.get(action_id)
                     or by_title.get(action_id))
            taken = linked_keys.get(found.key) if found is not None else None
            if found is not None and taken is not None and taken != action_id:
                plan.skipped[action_id] = (f"issue {found.key} carries its marker but is linked to {taken}; "
                                           "run `actiontrack doctor`")
                continue
            by = next((how for how, source in (("marker", chosen), ("ticket", by_ticket), ("title", by_title))
                       if found is not None and source.get(action_id) is found), "marker")
            plan.ops.append(Adopt(want, found, by) if found is not None else Create(want))
            continue
        if link.remote_id in s.gone:
            # Linked, but the issue was deleted: forget it; the next sync creates a new one.
            plan.ops.append(Gone(link))
            continue
        issue = by_key.get(link.key) or (by_id.get(link.remote_id) if link.remote_id else None)
        old_id = s.rekeys.get(action_id)
        kept = _kept_original(issue, chosen.get(action_id), linked_keys, action_id)
        if kept is not None:
            # Another store's doctor closed our issue as a copy of `kept`: follow it.
            plan.ops.append(Adopt(want, kept, "duplicate"))
            continue
        if issue is not None and issue.action_id not in (None, action_id, old_id):
            if issue.action_id in s.links or issue.action_id in s.desired:
                # Linked to an issue that names another action: do not write to it.
                plan.ops.append(Stale(link, issue))
                continue
            # Its markers name an id no action and no link has: a rekey whose push was cut
            # short (the store moved on first). Finish it: push the markers of this id.
            old_id = issue.action_id
        marked = chosen.get(action_id)
        if marked is not None and marked.key != link.key and issue is None:
            plan.ops.append(AlsoMarked(link, marked))
        ops = decide_linked(want, link, issue, managed=s.managed, resolve=s.resolve, rekeyed_from=old_id)
        plan.ops += ops
        if not any(isinstance(op, (Update, Conflict)) or state_moved(op) for op in ops):
            plan.unchanged += 1
    plan.ops += _orphans(s, by_key)
    plan.ops += duplicates
    return plan


def _kept_original(issue: RemoteIssue | None, marked: RemoteIssue | None, linked_keys: Mapping[str, str],
                   action_id: str) -> RemoteIssue | None:
    """The issue to follow when the linked one was closed as a duplicate of it (its markers
    stripped, the doctor's note naming it) and it carries this action's marker."""
    if issue is None or marked is None or issue.action_id is not None or issue.state is IssueState.OPEN:
        return None
    if marked.key == issue.key or linked_keys.get(marked.key, action_id) != action_id:
        return None
    return marked if issue.duplicate_of == marked.key else None


def _orphans(s: Situation, by_key: Mapping[str, RemoteIssue]) -> list[Op]:
    """Orphans, and the deleted issues of links that belong to no action of this run
    (a postmortem's tracking issue, an action that left its file)."""
    ops: list[Op] = []
    for action_id, link in s.links.items():
        if action_id in s.desired or not link.key:
            continue
        if link.remote_id in s.gone:
            ops.append(Gone(link))  # nothing left to close
        elif action_id in s.orphaned:
            ops.append(Orphan(link, by_key.get(link.key), s.close_orphans, s.orphaned[action_id]))
    return ops


def pick_by_marker(remote: Iterable[RemoteIssue], links: Mapping[str, LinkRow]) -> tuple[
        dict[str, RemoteIssue], list[Op]]:
    """The issue each action's marker points to. Of several, the oldest: every store picks
    the same one whatever it links (two machines that raced each linked the issue it made,
    and a keeper chosen by link would have each close the other's, leaving none). The
    others are reported as duplicates, except one linked to another action (that link is
    stale, reported on its own: closing the issue would take it from that action)."""
    groups: dict[str, list[RemoteIssue]] = defaultdict(list)
    for issue in remote:
        if issue.action_id and issue.key not in {i.key for i in groups[issue.action_id]}:
            groups[issue.action_id].append(issue)
    owner = {link.key: link.action_id for link in links.values() if link.key}
    chosen: dict[str, RemoteIssue] = {}
    duplicates: list[Op] = []
    for action_id, issues in groups.items():
        issues.sort(key=lambda i: (owner.get(i.key, action_id) != action_id, i.age))
        if owner.get(issues[0].key, action_id) != action_id:
            continue  # every issue naming it belongs to another action
        chosen[action_id] = issues[0]
        others = tuple(i for i in issues[1:] if owner.get(i.key, action_id) == action_id)
        if others:
            duplicates.append(Duplicate(action_id, issues[0], others))
    return chosen, duplicates


def match_by_title(remote: Iterable[RemoteIssue], unlinked: Mapping[str, Desired],
                   linked_keys: Mapping[str, str], base_label: str) -> dict[str, RemoteIssue]:
    """The last resort of adoption: an issue with our label but no marker left (a person
    rewrote the body) whose exact title belongs to exactly one unlinked action, and that
    action's title to exactly that one issue. Anything ambiguous is created, not guessed."""
    unmarked: dict[str, list[RemoteIssue]] = defaultdict(list)
    for issue in remote:
        if issue.action_id is None and issue.key not in linked_keys and base_label in issue.labels:
            unmarked[issue.title].append(issue)
    titles: dict[str, list[str]] = defaultdict(list)
    for action_id, want in unlinked.items():
        titles[want.fields.title].append(action_id)
    return {ids[0]: unmarked[title][0] for title, ids in titles.items()
            if len(ids) == 1 and len(unmarked.get(title, ())) == 1}


def ticket_form(ticket: str) -> str:
    """A written key or URL as compared: `OPS-12`, `#12`, `https://…/issues/12/` alike."""
    return ticket.strip().rstrip("/").casefold()


def ticket_forms(key: str | None, url: str | None) -> tuple[str, ...]:
    """Every way a file may name this issue (the key, `#key`, its URL)."""
    if not key:
        return ()
    return tuple(f for f in (key.casefold(), f"#{key}".casefold(), ticket_form(url or "")) if f)


def by_ticket_form(issues: Iterable[RemoteIssue]) -> dict[str, list[RemoteIssue]]:
    """Issues indexed by every form a file may name them with, so looking up is linear."""
    index: dict[str, list[RemoteIssue]] = defaultdict(list)
    for issue in issues:
        for form in set(ticket_forms(issue.key, issue.url)):
            index[form].append(issue)
    return index


def match_by_ticket(remote: Iterable[RemoteIssue], unlinked: Mapping[str, Desired],
                    linked_keys: Mapping[str, str]) -> dict[str, RemoteIssue]:
    """An issue the file names beside the action (what --write-back wrote), when no marker
    found it: a person stripped every marker. Never one linked to, or marked as, another
    action."""
    index = by_ticket_form(i for i in remote if i.key not in linked_keys)
    out: dict[str, RemoteIssue] = {}
    for action_id, want in unlinked.items():
        if not want.ticket:
            continue
        hits = [i for i in index.get(ticket_form(want.ticket), ()) if i.action_id in (None, action_id)]
        if len({i.key for i in hits}) == 1:
            out[action_id] = hits[0]
    return out


def decide_linked(
    desired: Desired, link: LinkRow, issue: RemoteIssue | None, *, managed: Managed, resolve: Resolve,
    rekeyed_from: str | None = None,
) -> list[Op]:
    """An action already linked to an issue (issue is None when the tracker did not list it
    this run: unchanged since the last sync, so the tracker still has its base values).

    A reworded action (`rekeyed_from` its old id) always pushes body and labels: they
    carry the markers, which must name the new id."""
    local, tracker_base, file_was = of_fields(desired.fields), of_link(link), file_side(link)
    remote = of_remote(issue, managed) if issue is not None else tracker_base
    push: dict[str, object] = {}
    conflicts: list[str] = []
    new_tracker = {name: tracker_base.get(name) for name in FIELDS}
    new_file = {name: file_was.get(name) for name in FIELDS}
    for name in FIELDS:
        mine, theirs = local.get(name), remote.get(name)
        if mine == file_was.get(name) or (mine is None and name in PEOPLE_FIELDS):
            new_file[name], new_tracker[name] = mine, theirs  # the file did not change it
        elif theirs == mine:
            new_file[name] = new_tracker[name] = mine  # both sides already agree
        elif theirs == tracker_base.get(name) or resolve == "file" or (
                rekeyed_from is not None and name in ("body", "labels")):
            push[name] = mine  # only the file changed it (or the file wins)
            new_file[name] = new_tracker[name] = mine
        elif resolve == "tracker":
            new_file[name], new_tracker[name] = mine, theirs  # theirs stands, and stays
        else:
            conflicts.append(name)
    restore = _markers_missing(issue)
    if restore:
        had = new_tracker["labels"]
        new_tracker["labels"] = tuple(sorted({*(had if isinstance(had, tuple) else ()), *restore}))
    ops: list[Op] = []
    if conflicts:
        ops.append(Conflict(desired, link, tuple(conflicts),
                            {n: local.get(n) for n in conflicts}, {n: remote.get(n) for n in conflicts}))
    bases = Bases(Snapshot(**new_tracker), Snapshot(**new_file))  # type: ignore[arg-type]
    moved = bases != Bases(tracker_base, file_was)
    if push or restore is not None:
        change = replace(_change(push, desired.fields, remote, restore), action_id=link.action_id)
        target = issue if issue is None or issue.action_id else replace(issue, action_id=link.action_id)
        ops.append(Update(desired, link, target, change, bases, rekeyed_from))
    elif moved or _status_moved(link, issue):
        ops.append(Record(link, issue, bases if moved else None))
    return ops


def _markers_missing(issue: RemoteIssue | None) -> tuple[str, ...] | None:
    """None when the issue's markers are all there (or it was not listed); else the identity
    labels the tracker says to put back (possibly none: only its body marker is missing)."""
    if issue is None or not issue.missing_markers:
        return None
    return issue.missing_labels


def _status_moved(link: LinkRow, issue: RemoteIssue | None) -> bool:
    if issue is None:
        return False
    return (issue.state, issue.due, issue.updated, issue.key) != (
        link.state, link.remote_due, link.remote_updated, link.key)


def _change(push: Mapping[str, object], fields: IssueFields, remote: Snapshot,
            restore: Sequence[str] | None = None) -> Change:
    """The change to send; `restore` (not None) also puts back the identity markers."""
    wanted = set(fields.labels)
    had = set(remote.labels or ())
    adding = set(wanted - had) if "labels" in push else set()
    return Change(
        title=fields.title if "title" in push else None,
        body=fields.body if "body" in push else None,
        labels_add=tuple(sorted(adding | set(restore or ()))),
        labels_remove=tuple(sorted(had - wanted)) if "labels" in push else (),
        assignee=fields.assignee if "assignee" in push else None,
        clear_assignee="assignee" in push and fields.assignee is None,
        due=fields.due if "due" in push else None,
        clear_due="due" in push and fields.due is None,
        priority=fields.priority if "priority" in push else None,
        restore_markers=restore is not None,
        fields=tuple(sorted(push)) + (("markers",) if restore is not None else ()),
    )


def decide_unlinked(desired: Desired, found: RemoteIssue | None) -> Op:
    """An action the store has no issue for: adopt an issue carrying its marker, else create."""
    return Adopt(desired, found) if found is not None else Create(desired)


def base_of(fields: IssueFields, sent: IssueFields | None = None) -> Bases:
    """The bases after creating an issue: the tracker has what was sent (an optional field
    it refused was left out), the file had what it asked for."""
    return Bases(of_fields(sent or fields), of_fields(fields))


def adopted_base(issue: RemoteIssue, managed: Managed) -> Bases:
    """After a lost store the tracker's values become the base: the file's edits are then pushed."""
    theirs = of_remote(issue, managed)
    return Bases(theirs, theirs)


def order_creates(ops: Sequence[Op]) -> list[Create]:
    """Creates in file order, so issue numbers follow the postmortem."""
    creates = [op for op in ops if isinstance(op, Create)]
    return sorted(creates, key=lambda op: (op.desired.fields.postmortem_id, op.desired.position))


# --- rewording ------------------------------------------------------------------------------


def plan_rekeys(current: Mapping[str, Sequence[tuple[Known, bool]]], stored: Iterable[ActionRow],
                links: Mapping[str, LinkRow], left: Set[str] = frozenset(), *,
                out: Set[str] = frozenset(), tickets: Mapping[str, str] | None = None) -> dict[str, str]:
    """Reworded or moved actions: {new id: old id}.

    `current` maps a postmortem id to its actions as read now, each with whether its id
    was written by the author. An old action counts when it has a linked issue and left
    its postmortem; a new one when it has no issue yet. First the moves: an action in
    `left` (it left a postmortem of this run, or its file went, in this very run) whose
    key reappears, unchanged and unique, in another postmortem (the postmortem's id was
    changed, its id-less file renamed, the action pasted into another file). Then the
    rewordings, within each postmortem (identity.match_renamed); an action whose id the
    author wrote is never paired by its words: its id says who it is. Before both, an
    action whose written-back key (`tickets`) is the issue of an action that is `out` of
    its file (now or earlier) takes it, whatever its words and place.
    """
    rows = [row for row in stored if row.id in links and links[row.id].key]
    appeared = {a.id: (pm_id, a, explicit) for pm_id, acts in current.items() for a, explicit in acts
                if a.id not in links or not links[a.id].key}
    pairs = _by_ticket(rows, appeared, links, out, tickets or {})
    taken = set(pairs.values())
    pairs.update({new: old for new, old in _moves([r for r in rows if r.id not in taken], appeared, left).items()
                  if new not in pairs})
    paired_old = set(pairs.values())
    by_pm: dict[str, list[Known]] = defaultdict(list)
    for row in rows:
        if row.id not in paired_old:
            by_pm[row.postmortem_id].append(Known(row.id, row.title, row.position, row.owner))
    for pm_id, acts in current.items():
        now = {a.id for a, _ in acts}
        vanished = [k for k in by_pm.get(pm_id, ()) if k.id not in now]
        new = [a for a, explicit in acts if not explicit and a.id in appeared and a.id not in pairs]
        if vanished and new:
            pairs.update(match_renamed(vanished, new))
    return pairs


def _by_ticket(rows: Sequence[ActionRow], appeared: Mapping[str, tuple[str, Known, bool]],
               links: Mapping[str, LinkRow], out: Set[str], tickets: Mapping[str, str]) -> dict[str, str]:
    """New actions whose written-back key names exactly one issue linked to an action
    that left its file."""
    index: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.id in out:
            for form in ticket_forms(links[row.id].key, links[row.id].url):
                index[form].append(row.id)
    pairs: dict[str, str] = {}
    used: set[str] = set()
    for action_id in appeared:
        ticket = tickets.get(action_id)
        olds = sorted(set(index.get(ticket_form(ticket), ()))) if ticket else []
        if len(olds) == 1 and olds[0] not in used:
            pairs[action_id] = olds[0]
            used.add(olds[0])
    return pairs


def _moves(rows: Sequence[ActionRow], appeared: Mapping[str, tuple[str, Known, bool]],
           left: Set[str]) -> dict[str, str]:
    """Actions that left one postmortem and appear, with the same key, in another: only
    when the key names exactly one of each, so two generic titles are never swapped."""
    def key(action_id: str, pm_id: str) -> str | None:
        prefix = pm_id + ":"
        return action_id[len(prefix):] if action_id.startswith(prefix) else None

    old: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        k = key(row.id, row.postmortem_id)
        if row.id in left and k:
            old[k].append(row.id)
    new: dict[str, list[str]] = defaultdict(list)
    for action_id, (pm_id, _, _) in appeared.items():
        k = key(action_id, pm_id)
        if k and k in old:
            new[k].append(action_id)
    return {ids[0]: old[k][0] for k, ids in new.items() if len(ids) == 1 and len(old[k]) == 1}


def with_rekeys(links: Mapping[str, LinkRow], rekeys: Mapping[str, str]) -> dict[str, LinkRow]:
    """The links as they will be once the reworded actions took over their old issues."""
    moved = dict(links)
    for new_id, old_id in rekeys.items():
        link = moved.pop(old_id)
        moved[new_id] = LinkRow(**{**link.model_dump(), "action_id": new_id})
    return moved


# --- the per-action listing -----------------------------------------------------------------


def listing(plan: Plan, rekeys: Mapping[str, str], *, display: Callable[[str], str] = str) -> list[
        dict[str, object]]:
    """One row per action the plan does something to: what `sync -v` and `--format json` show.

    `display` turns an issue key into how people write it (the tracker kind's display_key).
    """

    def key(value: str | None) -> str | None:
        return display(value) if value else None

    rows: list[dict[str, object]] = []
    for op in plan.ops:
        row = _row(op, key)
        if row is None:
            continue
        action = str(row["action"])
        if action in rekeys and row["change"] == "update":
            row["note"] = f"reworded, keeps {row['key']}; was {rekeys[action]}"
        rows.append(row)
    rows += [{"action": a, "change": "skip", "key": None, "fields": [], "note": why}
             for a, why in sorted(plan.skipped.items())]
    return rows


def _row(op: Op, key: Any) -> dict[str, object] | None:
    def row(action: str, change: str, issue_key: str | None, fields: Sequence[str] = (),
            note: str | None = None) -> dict[str, object]:
        return {"action": action, "change": change, "key": key(issue_key), "fields": list(fields), "note": note}

    if isinstance(op, Create):
        return row(op.desired.fields.action_id, "create", None)
    if isinstance(op, Adopt):
        found = {"title": "found by its title: its marker was gone",
                 "ticket": "found by the key written beside it: its markers were gone",
                 "duplicate": "its issue was closed as a duplicate of this one"}.get(op.by, "found by its marker")
        return row(op.desired.fields.action_id, "adopt", op.issue.key, note=found)
    if isinstance(op, Update):
        fields = [f for f in op.change.fields if f != "markers"]
        restored = "identity markers put back" if op.change.restore_markers else None
        return row(op.desired.fields.action_id, "update", op.link.key, fields, restored)
    if isinstance(op, Conflict):
        return row(op.desired.fields.action_id, "conflict", op.link.key, op.fields,
                   "changed in the file and in the tracker; use --resolve file|tracker")
    if isinstance(op, Orphan):
        what = "closed" if op.close and op.link.state == "open" else "left open (use --close-orphans)"
        return row(op.link.action_id, "orphan", op.link.key, note=f"{op.why}; issue {what}")
    if isinstance(op, Gone):
        return row(op.link.action_id, "deleted upstream", op.link.key,
                   note="the issue no longer exists; the action gets a new issue on the next sync")
    if isinstance(op, Duplicate):
        others = ", ".join(str(key(i.key)) for i in op.others)
        return row(op.action_id, "duplicate", op.keep.key,
                   note=f"also {others}: run `actiontrack doctor --fix` to close them as duplicates")
    if isinstance(op, Stale):
        return row(op.link.action_id, "stale link", op.link.key,
                   note=f"its issue names {op.issue.action_id}; run `actiontrack doctor`")
    if isinstance(op, AlsoMarked):
        return row(op.link.action_id, "duplicate", op.link.key,
                   note=f"{key(op.issue.key)} carries its marker too: run `actiontrack doctor`")
    if isinstance(op, Record) and state_moved(op) and op.issue is not None:
        return row(op.link.action_id, f"{op.issue.state} upstream", op.link.key)
    return None
