"""`actiontrack doctor`: compare the store with a tracker, say what is wrong, fix what can be.

A sync keeps store and tracker in step, but people and second machines can leave them
apart: an issue deleted by hand, two issues for one action (two stores that synced at
the same time, a person who copied an issue), a link to an issue that names another
action. The doctor reads everything the target holds (`list_issues(deep=True)` and an
existence check of every link), then `diagnose` — a pure function — lists findings:

* deleted: a linked issue no longer exists. Fix: forget the link; the next sync
  creates a new issue.
* duplicate: several issues carry one action's marker. Fix: close the others as
  duplicates, keeping the oldest (the one every machine's doctor keeps), and link it.
* stale link: the linked issue's markers name another action. Fix: link the issue that
  carries this action's marker, else rewrite the linked issue's markers to this action.
* unlinked: an issue carries the marker of an action the store has no link for. Fix:
  link it.
* orphan: a linked action left its file and its issue is open. Not fixed here:
  `sync --close-orphans` closes it.
* unknown: an issue's marker names no action the store knows. Not fixed: sync the
  folder that has its postmortem.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from actiontrack.config import Config
from actiontrack.store import Store
from actiontrack.store.tables import ActionRow, LinkRow
from actiontrack.sync import plan as P
from actiontrack.sync.tracking import is_tracking_id
from actiontrack.trackers.base import Change, IssueRef, RemoteIssue, Tracker
from actiontrack.trackers.registry import display_key

FIXABLE = ("deleted", "duplicate", "stale link", "unlinked")


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # one of the table above
    action_id: str | None
    key: str | None  # the issue concerned (the kept one, for duplicates)
    message: str
    fix: str | None = None  # what --fix would do; None when it does nothing
    issue: RemoteIssue | None = None
    others: tuple[RemoteIssue, ...] = ()  # duplicates to close

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "action": self.action_id, "key": self.key, "message": self.message,
                "fix": self.fix, "others": [i.key for i in self.others]}


@dataclass(slots=True)
class Examination:
    tracker: str
    target: str
    findings: list[Finding] = field(default_factory=list)
    issues: int = 0  # how many of our issues the target holds
    links: int = 0
    fixed: list[str] = field(default_factory=list)


def diagnose(links: Mapping[str, LinkRow], actions: Mapping[str, ActionRow], remote: Sequence[RemoteIssue],
             gone: Iterable[str], *, display: Callable[[str], str] = str) -> list[Finding]:
    """Findings for one target, from its links, the store's actions and every issue it holds."""
    gone = set(gone)
    chosen, duplicates = P.pick_by_marker(remote, links)
    by_key = {issue.key: issue for issue in remote}
    findings: list[Finding] = []
    for op in duplicates:
        assert isinstance(op, P.Duplicate)
        others = ", ".join(display(i.key) for i in op.others)
        findings.append(Finding(
            "duplicate", op.action_id, op.keep.key,
            f"{op.action_id} has {len(op.others) + 1} issues: {display(op.keep.key)} and {others}",
            f"close {others} as {'a duplicate' if len(op.others) == 1 else 'duplicates'} of "
            f"{display(op.keep.key)}", op.keep, op.others))
    for action_id, link in sorted(links.items()):
        findings += _about_link(action_id, link, actions.get(action_id), by_key, chosen, gone, display)
    linked = {link.key for link in links.values() if link.key}
    for action_id, issue in sorted(chosen.items()):
        if issue.key in linked or (action_id in links and links[action_id].key):
            continue
        if action_id in actions:
            findings.append(Finding("unlinked", action_id, issue.key,
                                    f"{display(issue.key)} carries the marker of {action_id}, which has no link",
                                    f"link {action_id} to {display(issue.key)}", issue))
        elif not is_tracking_id(action_id):
            findings.append(Finding("unknown", action_id, issue.key,
                                    f"{display(issue.key)} names {action_id}, which no postmortem in the store has"))
    return findings


def _about_link(action_id: str, link: LinkRow, action: ActionRow | None, by_key: Mapping[str, RemoteIssue],
                chosen: Mapping[str, RemoteIssue], gone: set[str], display: Callable[[str], str]) -> list[Finding]:
    if not link.key:
        return []
    key = display(link.key)
    if link.remote_id in gone:
        return [Finding("deleted", action_id, link.key, f"{key} ({action_id}) no longer exists",
                        f"forget the link of {action_id}; the next sync creates a new issue")]
    issue = by_key.get(link.key)
    mine = chosen.get(action_id)
    if issue is not None and issue.action_id not in (None, action_id):
        fix = (f"link {action_id} to {display(mine.key)}, which carries its marker" if mine is not None
               else f"rewrite the markers of {key} to name {action_id}")
        return [Finding("stale link", action_id, link.key, f"{key} is linked to {action_id} but names "
                        f"{issue.action_id}", fix, mine or issue)]
    if mine is not None and mine.key != link.key and (issue is None or issue.action_id is None):
        return [Finding("stale link", action_id, link.key, f"{key} is linked to {action_id} but carries no "
                        f"marker; {display(mine.key)} does", f"link {action_id} to {display(mine.key)}", mine)]
    if action is not None and action.removed_at is not None and link.state == "open":
        return [Finding("orphan", action_id, link.key, f"{action_id} left its file; {key} is still open",
                        None)]
    return []


class Doctor:
    """Examine one target (and fix it). Construct with an open store and tracker."""

    def __init__(self, store: Store, tracker: Tracker, config: Config,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.store, self.tracker, self.config, self.clock = store, tracker, config, clock
        self.label = config.sync.base_label

    def examine(self) -> Examination:
        links = self.store.links(self.tracker.name, self.tracker.target)
        actions = {row.id: row for row in self.store.actions()}
        remote = self.tracker.list_issues(label=self.label, updated_since=None, known={*links, *actions},
                                          deep=True)
        listed = {issue.key for issue in remote}
        refs = [IssueRef(link.action_id, link.key, link.remote_id) for link in links.values()
                if link.key and link.remote_id and link.key not in listed]
        verified = self.tracker.verify(refs, label=self.label, turn=None) if refs else None
        remote = [*remote, *(verified.found if verified else ())]
        exam = Examination(self.tracker.name, self.tracker.target, issues=len(remote), links=len(links))
        exam.findings = diagnose(links, actions, remote, verified.gone if verified else (),
                                 display=self._display)
        return exam

    def _display(self, key: str) -> str:
        return display_key(self.tracker.name, key) or key

    def fix(self, exam: Examination, *, confirm: Callable[[str, Sequence[Finding]], bool]) -> list[str]:
        """Apply the fixes the user confirms, kind by kind; returns what was done."""
        done: list[str] = []
        with self.store.sync_lock(wait=0):
            for kind in FIXABLE:
                chosen = [f for f in exam.findings if f.kind == kind]
                if chosen and confirm(kind, chosen):
                    for finding in chosen:
                        done.append(self._fix_one(finding))
        exam.fixed = done
        return done

    def _fix_one(self, finding: Finding) -> str:
        assert finding.action_id is not None
        if finding.kind == "deleted":
            self.store.delete_link(finding.action_id)
            return f"forgot the link of {finding.action_id} to deleted {self._display(finding.key or '')}"
        assert finding.issue is not None
        if finding.kind == "duplicate":
            for other in finding.others:
                self.tracker.close_as_duplicate(other, original=finding.issue, label=self.label)
            self._link(finding.action_id, finding.issue)
            closed = ", ".join(self._display(o.key) for o in finding.others)
            return f"closed {closed} as duplicate(s) of {self._display(finding.issue.key)}"
        if finding.kind == "stale link" and finding.issue.action_id != finding.action_id:
            self.tracker.update(finding.issue, Change(action_id=finding.action_id, restore_markers=True,
                                                      fields=("markers",)))
            return f"rewrote the markers of {self._display(finding.issue.key)} to name {finding.action_id}"
        self._link(finding.action_id, finding.issue)
        return f"linked {finding.action_id} to {self._display(finding.issue.key)}"

    def _link(self, action_id: str, issue: RemoteIssue) -> None:
        """Point the action's link at `issue`; a link already there keeps its bases."""
        current = self.store.link(action_id)
        if current is not None and current.key == issue.key:
            return
        base = P.adopted_base(issue, functools.partial(self.tracker.is_managed_label, base_label=self.label))
        now = self.clock()
        link = LinkRow(action_id=action_id, tracker=self.tracker.name, target=self.tracker.target,
                       key=issue.key, remote_id=issue.remote_id, url=issue.url, state=issue.state,
                       state_changed_at=now, done_at=issue.done_at, remote_due=issue.due,
                       remote_updated=issue.updated, created_at=now, synced_at=now,
                       base_title=base.tracker.title, base_body_hash=base.tracker.body,
                       base_labels=list(base.tracker.labels or ()), base_assignee=base.tracker.assignee,
                       base_due=base.tracker.due, base_priority=base.tracker.priority)
        self.store.save_link(link)
