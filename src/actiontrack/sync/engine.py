"""The sync engine: read, plan, then apply, with every step safe to repeat.

A dry run gathers both sides the same way and runs the same decision (sync/plan.py
`decide`), then stops: the dry run is the plan.

Crash safety comes from ordering, not from hope:
1. a create *intent* is saved in the store before a create is sent;
2. after a create, the link is saved before anything else happens;
3. a run that finds intents without keys looks for the issues' markers first, waiting
   out the tracker's search lag when its listing is not read-after-write consistent,
   and creates only what is really missing.
So a process killed between any two requests, or a create whose answer was lost,
never leads to a second issue. The store's sync lock keeps two runs apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from actiontrack.classify import Classified
from actiontrack.config import Config
from actiontrack.errors import (
    ActionTrackError,
    AmbiguousWriteError,
    AuthenticationError,
    RateLimitedError,
    StoreError,
    SyncInterrupted,
    TrackerError,
)
from actiontrack.identity import Known
from actiontrack.model import IssueState, Postmortem
from actiontrack.sources import PREFIX as PAGE_PREFIX
from actiontrack.store import Store
from actiontrack.store.tables import ActionRow, LinkRow
from actiontrack.store.values import ActionTags
from actiontrack.sync import plan as P
from actiontrack.sync.desired import body_hash, render
from actiontrack.sync.tracking import all_closed, has_linked_actions, tracking_fields
from actiontrack.trackers.base import (
    Change,
    Created,
    IssueFields,
    IssueRef,
    RefusedFields,
    RemoteIssue,
    Tracker,
    Verification,
)

log = logging.getLogger("actiontrack.sync")
CLOCK_SKEW = dt.timedelta(minutes=5)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class SyncOptions:
    dry_run: bool = False
    close_orphans: bool = False
    resolve: P.Resolve = None
    full: bool = False  # list every issue instead of those updated since the last run
    lock_wait: float = 0.0


@dataclass(slots=True)
class SyncResult:
    tracker: str
    target: str
    plan: P.Plan
    counts: dict[str, int]
    applied: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)  # action id → issue key
    rekeys: dict[str, str] = field(default_factory=dict)  # new action id → old, for the listing
    verified: int = 0  # linked issues whose existence this run checked


Progress = Callable[[str, int, int], None]  # (stage, done, total)
PlanHook = Callable[["SyncResult"], None]  # shown before anything is applied


@dataclass(slots=True)
class Target:
    """The postmortems that go to one tracker target, with their rendered issues."""

    tracker: Tracker
    postmortems: list[Postmortem]
    desired: dict[str, P.Desired]


class Engine:
    """Sync one tracker target. Construct with an open store and tracker; call `run`."""

    def __init__(
        self,
        store: Store,
        tracker: Tracker,
        config: Config,
        *,
        options: SyncOptions | None = None,
        progress: Progress | None = None,
        on_plan: PlanHook | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self.store, self.tracker, self.config = store, tracker, config
        self.options = options or SyncOptions()
        self.progress, self.sleep, self.clock = progress, sleep, clock
        self.on_plan = on_plan
        self.base_label = config.sync.base_label
        self.name, self.target = tracker.name, tracker.target
        self._stages: dict[str, tuple[int, int]] = {}  # stage → (done, total), for an interrupted run
        self.managed = functools.partial(tracker.is_managed_label, base_label=self.base_label)
        self.resolve = self.options.resolve or config.sync.resolution_for(self.name, self.target)
        self._verified = 0  # links the last gather checked for deletion
        self._returning: set[str] = set()  # actions back in their file after they had left it

    # --- the run -------------------------------------------------------------------------

    def run(self, postmortems: Sequence[Postmortem], tags: Mapping[str, Classified],
            vague_ids: Iterable[str] = (), *, vanished: Mapping[str, str] | None = None) -> SyncResult:
        """Sync `postmortems`; `vanished` (postmortem id → path) are stored postmortems whose
        file is gone: their actions are orphaned."""
        gone_files = dict(vanished or {})
        if self.options.dry_run:
            return self._plan_only(postmortems, tags, gone_files)
        with self.store.sync_lock(wait=self.options.lock_wait):
            self.store.close_abandoned_runs()
            started = self.clock()
            present = {action.id for pm in postmortems for action in pm.actions}
            self._returning = {row.id for row in self.store.actions(removed=True)} & present
            self.store.save_postmortems(postmortems, seen_at=started, vague_ids=vague_ids,
                                        tags=_action_tags(tags))
            for pm_id in gone_files:
                self.store.mark_postmortem_removed(pm_id, seen_at=started)
            run_id = self.store.begin_run(self.name, self.target, at=started)
            try:
                result = self._sync(postmortems, tags, gone_files, run_id, started)
            except KeyboardInterrupt:
                self._finish_failed(run_id, "interrupted", "interrupted (Ctrl-C)")
                raise SyncInterrupted(f"{self.name} {self.target}: interrupted", done=self._done_so_far()) from None
            except ActionTrackError as error:
                self._finish_failed(run_id, "failed", error.message)
                error.done = error.done or self._done_so_far()
                raise
            except BaseException as error:
                self._finish_failed(run_id, "failed", str(error))
                raise
            self.store.finish_run(run_id, "ok" if not result.errors else "failed", result.counts,
                                  "; ".join(result.errors)[:500] or None)
            return result

    def _finish_failed(self, run_id: int, status: str, error: str) -> None:
        """Record how the run ended; a store that cannot take even that (a full disk) must not
        hide the error that stopped the run, and the next run closes this one as abandoned."""
        try:
            self.store.finish_run(run_id, status, error=error[:500])
        except StoreError as also:
            log.warning("could not record the end of the run: %s", also.message)

    def _done_so_far(self) -> str | None:
        """'12 of 25 created, 0 of 3 updated': what a stopped run had done, stage by stage."""
        if not self._stages:
            return None
        words = {"create": "created", "update": "updated"}
        parts = [f"{done} of {total} {words.get(stage, stage)}" for stage, (done, total) in self._stages.items()]
        return f"{self.name} {self.target}: {', '.join(parts)}; everything done is saved: run again to resume"

    def _plan_only(self, postmortems: Sequence[Postmortem], tags: Mapping[str, Classified],
                   vanished: Mapping[str, str]) -> SyncResult:
        desired = self._desired(postmortems, tags)
        situation, links = self._gather(postmortems, desired, vanished, started=self.clock(), turn=self.store.run_count(
            self.name, self.target) + 1, wait=False)
        plan = P.decide(situation)
        plan.vanished_files = sorted(vanished.values())
        return SyncResult(self.name, self.target, plan, plan.counts(links), applied=False,
                          rekeys=dict(situation.rekeys), verified=self._verified)

    def _sync(self, postmortems: Sequence[Postmortem], tags: Mapping[str, Classified],
              vanished: Mapping[str, str], run_id: int, started: dt.datetime) -> SyncResult:
        desired = self._desired(postmortems, tags)
        situation, links = self._gather(postmortems, desired, vanished, started=started,
                                        turn=self.store.run_count(self.name, self.target), wait=True)
        plan = P.decide(situation)
        plan.vanished_files = sorted(vanished.values())
        result = SyncResult(self.name, self.target, plan, plan.counts(links), applied=True,
                            rekeys=dict(situation.rekeys), verified=self._verified)
        result.warnings += self._came_back(links)
        if self.on_plan is not None:
            self.on_plan(result)
        grouped = self.config.sync.group != "none"
        chosen = P.pick_by_marker(situation.remote, situation.links)[0] if grouped else {}
        parents = self.config.sync.group == "parent" and self.tracker.groups_by_parent
        if parents:
            self._give_parents(plan, postmortems, chosen, run_id)
        self._apply(plan, run_id, result)
        if grouped:
            self._sync_tracking(postmortems, chosen, run_id, parent=parents)
        # Per-action errors (a field the tracker refused) do not make the listing less
        # complete, so the watermark moves on; an exception never reaches this line.
        self.store.set_watermark(self.name, self.target, started.isoformat())
        return result

    def _came_back(self, links: Mapping[str, LinkRow]) -> list[str]:
        """Actions put back in their file whose issue was closed as dropped while they were
        gone (--close-orphans, or a person): no tracker here reopens an issue, so say so."""
        return [f"{a} is back in its file, but its issue {links[a].key} was closed as won't do while it was "
                "gone; reopen the issue if the work is still to do" for a in sorted(self._returning)
                if a in links and links[a].key and links[a].state == IssueState.DROPPED]

    # --- reading both sides -------------------------------------------------------------

    def _gather(self, postmortems: Sequence[Postmortem], desired: Mapping[str, P.Desired],
                vanished: Mapping[str, str], *, turn: int, wait: bool,
                started: dt.datetime) -> tuple[P.Situation, dict[str, LinkRow]]:
        """Everything `plan.decide` needs, read without writing anything."""
        stored_links = self.store.links(self.name, self.target)
        # Only actions that left their file can be reworded or orphaned: read just those rows.
        rows = {row.id: row for row in self.store.actions(ids=[a for a in stored_links if a not in desired])}
        out = set(self._orphaned(stored_links, desired, rows, postmortems, vanished))
        left = {a for a in out if _left_since(rows[a], started)}
        tickets = {a: want.ticket for a, want in desired.items() if want.ticket}
        rekeys = P.plan_rekeys(_current(postmortems), rows.values(), stored_links, left, out=out, tickets=tickets)
        links = P.with_rekeys(stored_links, rekeys)
        skipped = self._linked_elsewhere(desired)
        look_for = [a for a in desired if a not in skipped and (a not in links or links[a].key is None)]
        remote = self.tracker.list_issues(
            label=self.base_label, updated_since=self._since(links), look_for=look_for,
            known={*desired, *links})
        verification = self._verify(links, remote, turn)
        remote = [*remote, *verification.found]
        remote += self._read_written_back(desired, links, remote)
        remote += self._read_twinned(links, remote)
        chosen, _ = P.pick_by_marker(remote, links)
        recovered = self._recover_pending(links, chosen) if wait else {}
        situation = P.Situation(
            desired=desired, links=links, remote=remote, base_label=self.base_label, managed=self.managed,
            resolve=self.resolve, close_orphans=self.options.close_orphans,
            gone=verification.gone, orphaned=self._orphaned(links, desired, rows, postmortems, vanished),
            rekeys=rekeys, recovered=recovered, skipped=skipped)
        return situation, links

    def _desired(self, postmortems: Sequence[Postmortem], tags: Mapping[str, Classified]) -> dict[str, P.Desired]:
        desired: dict[str, P.Desired] = {}
        for pm in postmortems:
            for action in pm.actions:
                rendered = render(action, pm, tags[action.id], tracker=self.tracker, config=self.config)
                desired[action.id] = P.Desired(rendered.fields, action.position, action.owner,
                                               rendered.unmapped_owner, action.done, action.ticket)
        return desired

    def _since(self, links: Mapping[str, LinkRow]) -> dt.datetime | None:
        """Changed since the last run (minus the search lag and clock skew), or everything on
        the first run of a store, with --full, or when nothing is linked yet."""
        watermark = self.store.watermark(self.name, self.target)
        if not watermark or self.options.full or not any(link.key for link in links.values()):
            return None
        lag = dt.timedelta(seconds=self.config.sync.search_lag_seconds)
        return dt.datetime.fromisoformat(watermark) - lag - CLOCK_SKEW

    def _verify(self, links: Mapping[str, LinkRow], remote: Sequence[RemoteIssue], turn: int) -> Verification:
        """The deleted-issue check. A listing by `updated` cannot see deletions, so each run
        checks one turn's share of the linked issues (--full: every one not listed). Issues
        younger than the search lag are skipped: the index may not show them yet."""
        self._verified = 0
        lag = 0 if self.tracker.listing_is_consistent else self.config.sync.search_lag_seconds
        settled = self.clock() - dt.timedelta(seconds=lag)
        refs = [IssueRef(link.action_id, link.key, link.remote_id) for link in links.values()
                if link.key and link.remote_id and (link.created_at is None or link.created_at <= settled)]
        if self.options.full:
            listed = {issue.key for issue in remote}
            refs = [ref for ref in refs if ref.key not in listed]
        if not refs:
            return Verification(checked=0)
        found = self.tracker.verify(refs, label=self.base_label, turn=None if self.options.full else turn)
        self._verified = found.checked
        return found

    def _read_twinned(self, links: Mapping[str, LinkRow], remote: Sequence[RemoteIssue]) -> list[RemoteIssue]:
        """Linked issues the listing did not show while another issue carries their action's
        marker: read them (one search or request per hundred), so the plan can tell a copy
        another store's doctor closed (follow the kept one) from a plain duplicate."""
        chosen = P.pick_by_marker(remote, links)[0]
        listed = {issue.key for issue in remote}
        refs = [IssueRef(a, link.key, link.remote_id) for a, link in links.items()
                if link.key and link.remote_id and a in chosen and chosen[a].key != link.key
                and link.key not in listed]
        if not refs:
            return []
        return list(self.tracker.verify(refs, label=self.base_label, turn=None).found)

    def _read_written_back(self, desired: Mapping[str, P.Desired], links: Mapping[str, LinkRow],
                           remote: Sequence[RemoteIssue]) -> list[RemoteIssue]:
        """The issues that unlinked actions name beside them (`…/issues/12`, what --write-back
        wrote) when no marker and no listing found them: a person stripped every marker, so
        only the file still says which issue it is (plan.match_by_ticket checks the URL).
        Numbered trackers only (`…/issues/N`, `#N`): a key like OPS-12 is not an id a search takes."""
        chosen = P.pick_by_marker(remote, links)[0]
        listed = P.by_ticket_form(remote)
        refs = []
        for action_id, want in desired.items():
            number = _issue_number(want.ticket)
            if number is None or action_id in chosen or (action_id in links and links[action_id].key):
                continue
            if want.ticket and P.ticket_form(want.ticket) not in listed:
                refs.append(IssueRef(action_id, number, number))
        if not refs:
            return []
        return list(self.tracker.verify(refs, label=self.base_label, turn=None).found)

    def _orphaned(self, links: Mapping[str, LinkRow], desired: Mapping[str, P.Desired],
                  rows: Mapping[str, ActionRow], postmortems: Sequence[Postmortem],
                  vanished: Mapping[str, str]) -> dict[str, str]:
        """Linked actions that left a postmortem of this run, or whose file is gone."""
        in_run = {pm.id for pm in postmortems}
        out: dict[str, str] = {}
        for action_id in links:
            row = rows.get(action_id)
            if action_id in desired or row is None:
                continue
            if row.postmortem_id in in_run:
                out[action_id] = "removed from its file"
            elif row.postmortem_id in vanished:
                where = vanished[row.postmortem_id]
                out[action_id] = (f"its page {where} was deleted" if where.startswith(PAGE_PREFIX)
                                  else f"its postmortem file {where} is gone")
        return out

    def _recover_pending(self, links: Mapping[str, LinkRow],
                         found: Mapping[str, RemoteIssue]) -> dict[str, RemoteIssue]:
        """Intents without keys: look for their markers before anything is created again."""
        pending = [link for link in links.values() if link.key is None and link.action_id not in found]
        if not pending:
            return {}
        recovered: dict[str, RemoteIssue] = {}
        wait = self._lag_left(pending)
        if wait > 0:
            # The listing already looked; Jira's index may not show a create this recent.
            log.info("waiting %.0f s for the tracker's search to catch up before re-creating", wait)
            self.sleep(wait)
            recovered.update(self.tracker.find_by_action_ids(
                [link.action_id for link in pending], label=self.base_label))
        return recovered

    def _lag_left(self, pending: Sequence[LinkRow]) -> float:
        if not pending or self.tracker.listing_is_consistent:
            return 0.0
        lag = self.config.sync.search_lag_seconds
        newest = max((link.intent_at for link in pending if link.intent_at), default=None)
        if newest is None:
            return 0.0
        return max(0.0, lag - (self.clock() - newest).total_seconds())

    # --- tracking issues ----------------------------------------------------------------

    def _give_parents(self, plan: P.Plan, postmortems: Sequence[Postmortem],
                      by_marker: Mapping[str, RemoteIssue], run_id: int) -> None:
        """`[sync] group = "parent"`: a postmortem's parent issue exists before its actions'
        issues are created, and each of those creates names it (no edit afterwards)."""
        creating = {op.desired.fields.postmortem_id for op in plan.ops if isinstance(op, P.Create)}
        links = self.store.links(self.name, self.target)
        keys: dict[str, str] = {}
        for pm in postmortems:
            fields = tracking_fields(pm, links, tracker=self.tracker, base_label=self.base_label, parent=True)
            if pm.id not in creating or fields is None:
                continue
            link = links.get(fields.action_id)
            if link is None or link.key is None:
                link = self._create_tracking(fields, by_marker.get(fields.action_id), run_id)
            if link is not None and link.key:
                keys[pm.id] = link.key
        plan.ops = [
            P.Create(dataclasses.replace(op.desired, fields=dataclasses.replace(
                op.desired.fields, parent=keys[op.desired.fields.postmortem_id])))
            if isinstance(op, P.Create) and op.desired.fields.postmortem_id in keys else op
            for op in plan.ops
        ]

    def _sync_tracking(self, postmortems: Sequence[Postmortem], by_marker: Mapping[str, RemoteIssue],
                       run_id: int, *, parent: bool = False) -> None:
        """One issue per postmortem listing its actions' issues, kept in step (sync/tracking.py)."""
        links = self.store.links(self.name, self.target)
        for pm in postmortems:
            fields = tracking_fields(pm, links, tracker=self.tracker, base_label=self.base_label, parent=parent)
            if fields is None or not has_linked_actions(pm, links):
                continue
            link = links.get(fields.action_id)
            if link is None or link.key is None:
                link = self._create_tracking(fields, by_marker.get(fields.action_id), run_id)
                if link is None:
                    continue
            if link.base_body_hash != body_hash(fields.body):
                self.tracker.update(_issue_from_link(link), Change(body=fields.body, fields=("body",)))
                link = _copy(link, base_body_hash=body_hash(fields.body), synced_at=self.clock())
                self.store.save_link(link)
                self.store.journal(run_id, fields.action_id, "update", {"fields": ["body"]})
            if link.state == IssueState.OPEN and all_closed(pm, links):
                self.tracker.close(_issue_from_link(link), dropped=False)
                self.store.save_link(_copy(link, state=IssueState.DONE, state_changed_at=self.clock()))

    def _create_tracking(self, fields: IssueFields, found: RemoteIssue | None, run_id: int) -> LinkRow | None:
        if found is None:
            self.store.record_create_intent(fields.action_id, tracker=self.name, target=self.target,
                                            at=self.clock())
            try:
                (outcome,) = self.tracker.create_many([fields])
            except AmbiguousWriteError:
                (outcome,) = self._resolve_ambiguous([fields])
            if outcome.issue is None:
                self.store.delete_link(fields.action_id)
                self.store.journal(run_id, fields.action_id, "error", {"error": outcome.error})
                return None
            found = outcome.issue
            base = P.base_of(fields)
        else:
            base = P.adopted_base(found, self.managed)
        link = self._link_for(fields, found, base)
        self.store.save_link(link)
        self.store.journal(run_id, fields.action_id, "create", {"key": found.key, "tracking": True})
        return link

    def _linked_elsewhere(self, desired: Mapping[str, P.Desired]) -> dict[str, str]:
        """Actions whose issue lives in another tracker or target: moving issues is not done
        silently (a second issue would be a duplicate), so they are skipped and named."""
        return {
            action_id: f"already linked to {link.tracker} {link.target} {link.key}; "
                       "moving an action to another tracker is not supported"
            for action_id, link in self.store.links().items()
            if action_id in desired and link.key and (link.tracker, link.target) != (self.name, self.target)
        }

    # --- applying -----------------------------------------------------------------------

    def _apply(self, plan: P.Plan, run_id: int, result: SyncResult) -> None:
        for op in plan.ops:
            if isinstance(op, P.Rekey):
                self._rekey(op, run_id)
        for op in plan.ops:
            if isinstance(op, P.Adopt):
                self._adopt(op, run_id)
            elif isinstance(op, P.Record):
                self._record(op.link, op.issue, op.new_base)
            elif isinstance(op, P.Gone):
                self._forget_gone(op, run_id)
        self._create(P.order_creates(plan.ops), run_id, result)
        updates = plan.of(P.Update)
        if updates:
            self._tick("update", 0, len(updates))
        for done, op in enumerate(updates, start=1):
            assert isinstance(op, P.Update)
            self._update(op, run_id, result)
            self._tick("update", done, len(updates))
        for op in plan.ops:
            if isinstance(op, P.Conflict):
                self.store.journal(run_id, op.desired.fields.action_id, "conflict",
                                   {"fields": list(op.fields)})
            elif isinstance(op, P.Orphan):
                self._orphan(op, run_id)
            elif isinstance(op, P.Duplicate):
                self.store.journal(run_id, op.action_id, "duplicate",
                                   {"key": op.keep.key, "others": [i.key for i in op.others]})

    def _tick(self, stage: str, done: int, total: int) -> None:
        self._stages[stage] = (done, total)
        if self.progress is not None:
            self.progress(stage, done, total)

    def _rekey(self, op: P.Rekey, run_id: int) -> None:
        """The reworded action takes the old link; the old action's row goes (no orphan left)."""
        link = self.store.link(op.old_id)
        if link is not None:
            self.store.delete_link(op.old_id)
            self.store.save_link(_copy(link, action_id=op.new_id))
        self.store.forget_action(op.old_id)
        self.store.journal(run_id, op.new_id, "rekey", {"from": op.old_id, "key": op.key})
        log.info("%s was reworded; it keeps issue %s (was %s)", op.new_id, op.key, op.old_id)

    def _forget_gone(self, op: P.Gone, run_id: int) -> None:
        """The issue was deleted in the tracker: the action is unsynced until the next run
        (the plan says so: P.listing, and the CLI's "deleted" line)."""
        self.store.delete_link(op.link.action_id)
        self.store.journal(run_id, op.link.action_id, "gone", {"key": op.link.key})

    def _adopt(self, op: P.Adopt, run_id: int) -> None:
        base = P.adopted_base(op.issue, self.managed)
        link = self._link_for(op.desired.fields, op.issue, base)
        self.store.save_link(link)
        self.store.journal(run_id, op.desired.fields.action_id, "adopt", {"key": op.issue.key, "by": op.by})
        issue = op.issue if op.issue.action_id else dataclasses.replace(
            op.issue, action_id=op.desired.fields.action_id)
        for extra in P.decide_linked(op.desired, link, issue, managed=self.managed, resolve="file"):
            if isinstance(extra, P.Update):
                self._update(extra, run_id, None)

    def _create(self, creates: Sequence[P.Create], run_id: int, result: SyncResult) -> None:
        if not creates:
            return
        items = [op.desired.fields for op in creates]
        done_in_file = {op.desired.fields.action_id for op in creates if op.desired.done_in_file}
        self.store.record_create_intents([f.action_id for f in items], tracker=self.name, target=self.target,
                                         at=self.clock())
        done = 0
        self._tick("create", 0, len(items))
        remaining = list(items)
        while remaining:
            size = getattr(self.tracker, "create_batch_size", 50)  # one request per batch: progress per request
            batch, remaining = remaining[:size], remaining[size:]
            try:
                outcomes = self._create_batch(batch, result)
            except RateLimitedError as stopped:
                made = [c for c in stopped.created if isinstance(c, Created)]
                by_id = {f.action_id: f for f in batch}
                self._save_created([(by_id[c.action_id], by_id[c.action_id], c) for c in made],
                                   done_in_file, run_id, result)
                raise
            self._save_created(outcomes, done_in_file, run_id, result)
            done += len(batch)
            self._tick("create", done, len(items))

    def _save_created(self, outcomes: Sequence[tuple[IssueFields, IssueFields, Created]], done_in_file: set[str],
                      run_id: int, result: SyncResult) -> None:
        """Links of one batch in one transaction (a crash before it leaves intents that the
        next run resolves by marker), then the journal, then any closing of done actions.
        Each outcome is (what the file asked for, what was sent, what came back)."""
        links = {f.action_id: self._link_for(f, o.issue, P.base_of(f, sent))
                 for f, sent, o in outcomes if o.issue is not None}
        self.store.save_links(links.values())
        journal: list[tuple[str | None, str, Mapping[str, Any] | None]] = []
        for fields, _, outcome in outcomes:
            if outcome.issue is not None:
                journal.append((fields.action_id, "create", {"key": outcome.issue.key}))
                result.created[fields.action_id] = outcome.issue.key
            else:
                self.store.delete_link(fields.action_id)  # nothing was created: no intent to keep
                result.errors.append(f"{fields.action_id}: {outcome.error}")
                journal.append((fields.action_id, "error", {"error": outcome.error}))
        self.store.journal_many(run_id, journal)
        for fields, _, outcome in outcomes:
            if (outcome.issue is not None and fields.action_id in done_in_file
                    and outcome.issue.state == IssueState.OPEN):
                self._close_done_in_file(links[fields.action_id], outcome.issue, run_id)

    def _create_batch(self, batch: Sequence[IssueFields],
                      result: SyncResult) -> list[tuple[IssueFields, IssueFields, Created]]:
        """Create a batch; an item refused only for an optional field (a due date the screen
        does not have, an unknown assignee or priority) is created again without it, with a
        warning, so the action still gets its issue."""
        outcomes = self._create_or_resolve(batch)
        by_id = {f.action_id: f for f in batch}
        done: list[tuple[IssueFields, IssueFields, Created]] = []
        retry: dict[str, IssueFields] = {}
        for outcome in outcomes:
            fields = by_id[outcome.action_id]
            dropped = set(outcome.refused) if outcome.issue is None else set()
            if dropped:
                retry[fields.action_id] = _without(fields, dropped)
                result.warnings.append(f"{fields.action_id}: created without {', '.join(sorted(dropped))} "
                                       f"({outcome.error})")
            else:
                done.append((fields, fields, outcome))
        if retry:
            # The file's side of the base records what the file asked for, the tracker's what
            # was accepted: the refused field is then not pushed again on every run, only when
            # the file or [owners] changes.
            done += [(by_id[o.action_id], retry[o.action_id], o)
                     for o in self._create_or_resolve(list(retry.values()))]
        return done

    def _create_or_resolve(self, batch: Sequence[IssueFields]) -> list[Created]:
        try:
            return self.tracker.create_many(batch)
        except AmbiguousWriteError:
            return self._resolve_ambiguous(batch)

    def _close_done_in_file(self, link: LinkRow, issue: RemoteIssue, run_id: int) -> None:
        """An action already done when first synced gets its issue closed as completed, so
        the tracker and the reports agree with the file from the start."""
        self.tracker.close(issue, dropped=False)
        now = self.clock()
        self.store.save_link(_copy(link, state=IssueState.DONE, state_changed_at=now, done_at=now))
        self.store.journal(run_id, link.action_id, "close", {"key": link.key, "reason": "done in the file"})

    def _resolve_ambiguous(self, batch: Sequence[IssueFields]) -> list[Created]:
        """Creates whose answer was lost: find what was made, create only the rest.

        Repeats while each round makes progress; a tracker that keeps failing the same way
        stops the run cleanly (the intents stay, and the next run starts by looking).
        """
        outcomes: list[Created] = []
        missing = list(batch)
        fruitless = 0
        while missing:
            links = self.store.links(self.name, self.target)
            wait = self._lag_left([links[f.action_id] for f in missing if f.action_id in links])
            if wait > 0:
                self.sleep(wait)
            found = self.tracker.find_by_action_ids([f.action_id for f in missing], label=self.base_label)
            outcomes += [Created(f.action_id, issue=found[f.action_id]) for f in missing if f.action_id in found]
            missing = [f for f in missing if f.action_id not in found]
            if not missing:
                break
            try:
                outcomes += self.tracker.create_many(missing)
                break
            except AmbiguousWriteError:
                fruitless = 0 if found else fruitless + 1
                if fruitless >= 3:
                    raise
        return outcomes

    def _update(self, op: P.Update, run_id: int, result: SyncResult | None) -> None:
        issue = op.issue or _issue_from_link(op.link, action_id=op.rekeyed_from)
        action_id = op.desired.fields.action_id
        new_base = op.new_base
        try:
            try:
                self.tracker.update(issue, op.change)
            except RefusedFields as refused:
                # Only optional fields were refused (an owner the tracker does not know): the
                # rest of the change still lands, and the base records the file's ask beside
                # the tracker's value, so the refusal is not pushed again until either moves.
                self.tracker.update(issue, _change_without(op.change, refused.refused))
                new_base = _refused_base(op.new_base, op.link, refused.refused)
                if result is not None:
                    result.warnings.append(f"{action_id} ({op.link.key}): updated without "
                                           f"{', '.join(sorted(refused.refused))} ({refused.message})")
        except (AuthenticationError, RateLimitedError, AmbiguousWriteError):
            raise
        except TrackerError as error:  # this issue refused this change; the others go on
            if result is not None:
                result.errors.append(f"{action_id} ({op.link.key}): {error.message}")
            self.store.journal(run_id, action_id, "error", {"error": error.message})
            return
        changes = _base_columns(new_base)
        if op.issue is not None:  # the tracker's state may have moved in the same run
            changes |= _status_columns(op.link, op.issue, self.clock())
        self.store.save_link(_copy(op.link, synced_at=self.clock(), **changes))
        self.store.journal(run_id, action_id, "update", {"fields": list(op.change.fields)})

    def _record(self, link: LinkRow, issue: RemoteIssue | None, base: P.Bases | None) -> None:
        changes: dict[str, object] = _base_columns(base) if base else {}
        if issue is not None:
            changes |= _status_columns(link, issue, self.clock())
        self.store.save_link(_copy(link, **changes))

    def _orphan(self, op: P.Orphan, run_id: int) -> None:
        self.store.journal(run_id, op.link.action_id, "orphan", {"key": op.link.key, "close": op.close})
        if not op.close or op.link.state != IssueState.OPEN:
            return
        issue = op.issue or _issue_from_link(op.link)
        self.tracker.close(issue, dropped=True)
        self.store.save_link(_copy(op.link, state=IssueState.DROPPED, state_changed_at=self.clock()))

    def _link_for(self, fields: IssueFields, issue: RemoteIssue, base: P.Bases) -> LinkRow:
        now = self.clock()
        link = LinkRow(
            action_id=fields.action_id, tracker=self.name, target=self.target, key=issue.key,
            remote_id=issue.remote_id, url=issue.url, state=issue.state, state_changed_at=now,
            done_at=issue.done_at, remote_due=issue.due, remote_updated=issue.updated,
            created_at=now, synced_at=now,
        )
        for column, value in _base_columns(base).items():  # not a second row to build: 500 per batch
            setattr(link, column, value)
        return link


def _left_since(row: ActionRow, started: dt.datetime) -> bool:
    """Left its file in this run: marked now (a dry run has not marked it yet)."""
    removed = row.removed_at
    return removed is None or removed >= started


def _issue_number(ticket: str | None) -> str | None:
    """12 from `https://…/issues/12` or `#12`."""
    match = re.search(r"(?:/issues/|^#)(\d+)/?$", (ticket or "").strip())
    return match[1] if match else None


def _current(postmortems: Sequence[Postmortem]) -> dict[str, list[tuple[Known, bool]]]:
    """Each postmortem's actions as read now, with whether the author wrote the id."""
    return {pm.id: [(Known(a.id, a.title, a.position, a.owner), a.explicit_id) for a in pm.actions]
            for pm in postmortems}


def _change_without(change: Change, dropped: Set[str]) -> Change:
    return dataclasses.replace(
        change,
        due=None if "due" in dropped else change.due,
        clear_due=change.clear_due and "due" not in dropped,
        priority=None if "priority" in dropped else change.priority,
        assignee=None if "assignee" in dropped else change.assignee,
        clear_assignee=change.clear_assignee and "assignee" not in dropped,
        fields=tuple(name for name in change.fields if name not in dropped),
    )


def _refused_base(bases: P.Bases, link: LinkRow, dropped: Set[str]) -> P.Bases:
    """The tracker's side keeps its old value of each refused field; the file's side has the ask."""
    before = P.of_link(link)
    kept = {name: before.get(name) for name in ("due", "priority", "assignee") if name in dropped}
    return dataclasses.replace(bases, tracker=dataclasses.replace(bases.tracker, **kept))  # type: ignore[arg-type]


def _without(fields: IssueFields, dropped: Set[str]) -> IssueFields:
    return dataclasses.replace(
        fields,
        due=None if "due" in dropped else fields.due,
        priority=None if "priority" in dropped else fields.priority,
        assignee=None if "assignee" in dropped else fields.assignee,
        parent=None if "parent" in dropped else fields.parent,
    )


def _base_columns(bases: P.Bases | None) -> dict[str, object]:
    if bases is None:
        return {}
    base = bases.tracker
    return {
        "base_title": base.title, "base_body_hash": base.body,
        "base_labels": list(base.labels) if base.labels is not None else None,
        "base_assignee": base.assignee, "base_due": base.due, "base_priority": base.priority,
        "file_base": P.file_base_json(bases.file, base),
    }


def _status_columns(link: LinkRow, issue: RemoteIssue, now: dt.datetime) -> dict[str, object]:
    changed = issue.state != link.state
    return {
        "state": issue.state,
        "state_changed_at": now if changed else link.state_changed_at,
        "done_at": issue.done_at if issue.state == IssueState.DONE else None,
        "remote_due": issue.due,
        "remote_updated": issue.updated,
        "url": issue.url or link.url,
        "key": issue.key or link.key,  # a moved issue keeps its id and takes a new key
    }


def _copy(link: LinkRow, **changes: object) -> LinkRow:
    data = link.model_dump()
    data.update(changes)
    return LinkRow(**data)


def _issue_from_link(link: LinkRow, *, action_id: str | None = None) -> RemoteIssue:
    """Enough of an issue to address it when the tracker did not list it this run
    (`action_id`: the id its markers name, when not the link's: a reworded action)."""
    return RemoteIssue(
        key=link.key or "", remote_id=link.remote_id or link.key or "", url=link.url or "",
        action_id=action_id or link.action_id, title=link.base_title or "", body="",
        labels=tuple(link.base_labels or ()), assignee=link.base_assignee, due=link.base_due,
        priority=link.base_priority, state=IssueState(link.state),
    )


def _action_tags(tags: Mapping[str, Classified]) -> dict[str, ActionTags]:
    return {
        action_id: ActionTags(found.phase.value, found.phase.source, found.category.value, found.category.source)
        for action_id, found in tags.items()
    }
