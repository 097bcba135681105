"""The sync engine: read, plan, then apply, with every step safe to repeat.

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
from actiontrack.identity import Known, match_renamed
from actiontrack.model import IssueState, Postmortem
from actiontrack.store import Store
from actiontrack.store.tables import LinkRow
from actiontrack.store.values import ActionTags
from actiontrack.sync import plan as P
from actiontrack.sync.desired import body_hash, render
from actiontrack.sync.tracking import all_closed, has_linked_actions, tracking_fields
from actiontrack.trackers.base import Change, Created, IssueFields, RemoteIssue, Tracker

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

    # --- the run -------------------------------------------------------------------------

    def run(self, postmortems: Sequence[Postmortem], tags: Mapping[str, Classified],
            vague_ids: Iterable[str] = ()) -> SyncResult:
        if self.options.dry_run:
            return self._plan_only(postmortems, tags)
        with self.store.sync_lock(wait=self.options.lock_wait):
            self.store.close_abandoned_runs()
            started = self.clock()
            self.store.save_postmortems(postmortems, seen_at=started, vague_ids=vague_ids,
                                        tags=_action_tags(tags))
            run_id = self.store.begin_run(self.name, self.target, at=started)
            try:
                result = self._sync(postmortems, tags, run_id, started)
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

    def _plan_only(self, postmortems: Sequence[Postmortem], tags: Mapping[str, Classified]) -> SyncResult:
        desired = self._desired(postmortems, tags)
        links = self.store.links(self.name, self.target)
        remote = self._list(links, full=False)
        plan = self._plan(postmortems, desired, links, remote, dict(self._by_marker(remote)))
        return SyncResult(self.name, self.target, plan, plan.counts(links), applied=False)

    def _sync(self, postmortems: Sequence[Postmortem], tags: Mapping[str, Classified],
              run_id: int, started: dt.datetime) -> SyncResult:
        desired = self._desired(postmortems, tags)
        links = self.store.links(self.name, self.target)
        self._rekey_renamed(postmortems, links, run_id)
        links = self.store.links(self.name, self.target)
        remote = self._list(links, full=self.options.full)
        by_marker = dict(self._by_marker(remote))
        by_marker.update(self._recover_pending(links, by_marker))
        links = self.store.links(self.name, self.target)
        plan = self._plan(postmortems, desired, links, remote, by_marker)
        counts = plan.counts(links)
        result = SyncResult(self.name, self.target, plan, counts, applied=True)
        if self.on_plan is not None:
            self.on_plan(result)
        parents = self.config.sync.group == "parent" and self.tracker.groups_by_parent
        if parents:
            self._give_parents(plan, postmortems, by_marker, run_id)
        self._apply(plan, run_id, result)
        if self.config.sync.group != "none":
            self._sync_tracking(postmortems, by_marker, run_id, parent=parents)
        # Per-action errors (a field the tracker refused) do not make the listing less
        # complete, so the watermark moves on; an exception never reaches this line.
        self.store.set_watermark(self.name, self.target, started.isoformat())
        return result

    # --- reading both sides -------------------------------------------------------------

    def _desired(self, postmortems: Sequence[Postmortem], tags: Mapping[str, Classified]) -> dict[str, P.Desired]:
        desired: dict[str, P.Desired] = {}
        for pm in postmortems:
            for action in pm.actions:
                rendered = render(action, pm, tags[action.id], tracker=self.tracker, config=self.config)
                desired[action.id] = P.Desired(rendered.fields, action.position, action.owner,
                                               rendered.unmapped_owner, action.done)
        return desired

    def _list(self, links: Mapping[str, LinkRow], *, full: bool) -> list[RemoteIssue]:
        """Issues changed since the last run (all of ours on the first run or with --full)."""
        watermark = self.store.watermark(self.name, self.target)
        since = None
        if watermark and not full and links:
            lag = dt.timedelta(seconds=self.config.sync.search_lag_seconds)
            since = dt.datetime.fromisoformat(watermark) - lag - CLOCK_SKEW
        return self.tracker.list_issues(label=self.base_label, updated_since=since)

    @staticmethod
    def _by_marker(remote: Iterable[RemoteIssue]) -> Iterable[tuple[str, RemoteIssue]]:
        for issue in remote:
            if issue.action_id:
                yield issue.action_id, issue

    def _rekey_renamed(self, postmortems: Sequence[Postmortem], links: Mapping[str, LinkRow],
                       run_id: int) -> None:
        """A reworded action gets a new id: hand it the link of the action it replaced."""
        stored = {row.id: row for row in self.store.actions(ids=list(links))}
        for pm in postmortems:
            current = {a.id for a in pm.actions}
            vanished = [Known(row.id, row.title, row.position, row.owner)
                        for row in stored.values()
                        if row.postmortem_id == pm.id and row.id not in current and row.id in links]
            appeared = [Known(a.id, a.title, a.position, a.owner) for a in pm.actions
                        if a.id not in links and not a.explicit_id]
            if not vanished or not appeared:
                continue
            for new_id, old_id in match_renamed(vanished, appeared).items():
                link = links[old_id]
                self.store.delete_link(old_id)
                self.store.save_link(_copy(link, action_id=new_id))
                self.store.journal(run_id, new_id, "rekey", {"from": old_id})
                log.info("%s was reworded; it keeps issue %s (was %s)", new_id, link.key, old_id)

    def _recover_pending(self, links: Mapping[str, LinkRow],
                         found: Mapping[str, RemoteIssue]) -> dict[str, RemoteIssue]:
        """Intents without keys: look for their markers before anything is created again."""
        pending = [link for link in links.values() if link.key is None and link.action_id not in found]
        if not pending:
            return {}
        ids = [link.action_id for link in pending]
        recovered = self.tracker.find_by_action_ids(ids, label=self.base_label)
        missing = [link for link in pending if link.action_id not in recovered]
        wait = self._lag_left(missing)
        if wait > 0:
            log.info("waiting %.0f s for the tracker's search to catch up before re-creating", wait)
            self.sleep(wait)
            recovered.update(self.tracker.find_by_action_ids(
                [link.action_id for link in missing], label=self.base_label))
        return recovered

    def _lag_left(self, pending: Sequence[LinkRow]) -> float:
        if not pending or self.tracker.listing_is_consistent:
            return 0.0
        lag = self.config.sync.search_lag_seconds
        newest = max((link.intent_at for link in pending if link.intent_at), default=None)
        if newest is None:
            return 0.0
        return max(0.0, lag - (self.clock() - newest).total_seconds())

    # --- planning -----------------------------------------------------------------------

    def _plan(self, postmortems: Sequence[Postmortem], desired: Mapping[str, P.Desired],
              links: Mapping[str, LinkRow], remote: Sequence[RemoteIssue],
              by_marker: Mapping[str, RemoteIssue]) -> P.Plan:
        plan = P.Plan()
        by_key = {issue.key: issue for issue in remote}
        elsewhere = self._linked_elsewhere(desired)
        for action_id, want in desired.items():
            if want.unmapped_owner:
                plan.unmapped_owners.add(want.unmapped_owner)
            if action_id in elsewhere:
                plan.skipped[action_id] = elsewhere[action_id]
                continue
            link = links.get(action_id)
            if link is None or link.key is None:
                plan.ops.append(P.decide_unlinked(want, by_marker.get(action_id)))
                continue
            ops = P.decide_linked(want, link, by_key.get(link.key), managed=self.managed,
                                  resolve=self.options.resolve)
            plan.ops += ops
            if not any(isinstance(op, (P.Update, P.Conflict)) or P.state_moved(op) for op in ops):
                plan.unchanged += 1
        in_run = {pm.id for pm in postmortems}
        stored = {row.id: row for row in self.store.actions(ids=[i for i in links if i not in desired])}
        for action_id, link in links.items():
            row = stored.get(action_id)
            if action_id not in desired and link.key and row is not None and row.postmortem_id in in_run:
                plan.ops.append(P.Orphan(link, by_key.get(link.key), self.options.close_orphans))
        return plan

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
            if isinstance(op, P.Adopt):
                self._adopt(op, run_id)
            elif isinstance(op, P.Record):
                self._record(op.link, op.issue, op.new_base)
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

    def _tick(self, stage: str, done: int, total: int) -> None:
        self._stages[stage] = (done, total)
        if self.progress is not None:
            self.progress(stage, done, total)

    def _adopt(self, op: P.Adopt, run_id: int) -> None:
        base = P.adopted_base(op.issue, self.managed)
        self.store.save_link(self._link_for(op.desired.fields, op.issue, base))
        self.store.journal(run_id, op.desired.fields.action_id, "adopt", {"key": op.issue.key})
        follow = P.decide_linked(op.desired, self._link_for(op.desired.fields, op.issue, base), op.issue,
                                 managed=self.managed, resolve="file")
        for extra in follow:
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
                self._save_created([(by_id[c.action_id], c) for c in made], done_in_file, run_id, result)
                raise
            self._save_created(outcomes, done_in_file, run_id, result)
            done += len(batch)
            self._tick("create", done, len(items))

    def _save_created(self, outcomes: Sequence[tuple[IssueFields, Created]], done_in_file: set[str],
                      run_id: int, result: SyncResult) -> None:
        """Links of one batch in one transaction (a crash before it leaves intents that the
        next run resolves by marker), then the journal, then any closing of done actions."""
        links = {f.action_id: self._link_for(f, o.issue, P.base_of(f)) for f, o in outcomes if o.issue is not None}
        self.store.save_links(links.values())
        journal: list[tuple[str | None, str, Mapping[str, Any] | None]] = []
        for fields, outcome in outcomes:
            if outcome.issue is not None:
                journal.append((fields.action_id, "create", {"key": outcome.issue.key}))
                result.created[fields.action_id] = outcome.issue.key
            else:
                self.store.delete_link(fields.action_id)  # nothing was created: no intent to keep
                result.errors.append(f"{fields.action_id}: {outcome.error}")
                journal.append((fields.action_id, "error", {"error": outcome.error}))
        self.store.journal_many(run_id, journal)
        for fields, outcome in outcomes:
            if (outcome.issue is not None and fields.action_id in done_in_file
                    and outcome.issue.state == IssueState.OPEN):
                self._close_done_in_file(links[fields.action_id], outcome.issue, run_id)

    def _create_batch(self, batch: Sequence[IssueFields], result: SyncResult) -> list[tuple[IssueFields, Created]]:
        """Create a batch; an item refused only for an optional field (a due date the screen
        does not have, an unknown assignee or priority) is created again without it, with a
        warning, so the action still gets its issue."""
        outcomes = self._create_or_resolve(batch)
        by_id = {f.action_id: f for f in batch}
        done: list[tuple[IssueFields, Created]] = []
        retry: list[IssueFields] = []
        for outcome in outcomes:
            fields = by_id[outcome.action_id]
            dropped = set(outcome.refused) if outcome.issue is None else set()
            if dropped:
                retry.append(_without(fields, dropped))
                result.warnings.append(f"{fields.action_id}: created without {', '.join(sorted(dropped))} "
                                       f"({outcome.error})")
            else:
                done.append((fields, outcome))
        if retry:
            # The base records what the file asked for, not what was accepted: the refused
            # field is then not pushed again on every run, only when the file or [owners] changes.
            done += [(by_id[o.action_id], o) for o in self._create_or_resolve(retry)]
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
        issue = op.issue or _issue_from_link(op.link)
        action_id = op.desired.fields.action_id
        try:
            self.tracker.update(issue, op.change)
        except (AuthenticationError, RateLimitedError, AmbiguousWriteError):
            raise
        except TrackerError as error:  # this issue refused this change; the others go on
            if result is not None:
                result.errors.append(f"{action_id} ({op.link.key}): {error.message}")
            self.store.journal(run_id, action_id, "error", {"error": error.message})
            return
        changes = _base_columns(op.new_base)
        if op.issue is not None:  # the tracker's state may have moved in the same run
            changes |= _status_columns(op.link, op.issue, self.clock())
        self.store.save_link(_copy(op.link, synced_at=self.clock(), **changes))
        self.store.journal(run_id, action_id, "update", {"fields": list(op.change.fields)})

    def _record(self, link: LinkRow, issue: RemoteIssue | None, base: P.Snapshot | None) -> None:
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

    def _link_for(self, fields: IssueFields, issue: RemoteIssue, base: P.Snapshot) -> LinkRow:
        now = self.clock()
        link = LinkRow(
            action_id=fields.action_id, tracker=self.name, target=self.target, key=issue.key,
            remote_id=issue.remote_id, url=issue.url, state=issue.state, state_changed_at=now,
            done_at=issue.done_at, remote_due=issue.due, remote_updated=issue.updated,
            created_at=now, synced_at=now,
        )
        return _copy(link, **_base_columns(base))


def _without(fields: IssueFields, dropped: Set[str]) -> IssueFields:
    return dataclasses.replace(
        fields,
        due=None if "due" in dropped else fields.due,
        priority=None if "priority" in dropped else fields.priority,
        assignee=None if "assignee" in dropped else fields.assignee,
        parent=None if "parent" in dropped else fields.parent,
    )


def _base_columns(base: P.Snapshot | None) -> dict[str, object]:
    if base is None:
        return {}
    return {
        "base_title": base.title, "base_body_hash": base.body,
        "base_labels": list(base.labels) if base.labels is not None else None,
        "base_assignee": base.assignee, "base_due": base.due, "base_priority": base.priority,
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
    }


def _copy(link: LinkRow, **changes: object) -> LinkRow:
    data = link.model_dump()
    data.update(changes)
    return LinkRow(**data)


def _issue_from_link(link: LinkRow) -> RemoteIssue:
    """Enough of an issue to address it when the tracker did not list it this run."""
    return RemoteIssue(
        key=link.key or "", remote_id=link.remote_id or link.key or "", url=link.url or "",
        action_id=link.action_id, title=link.base_title or "", body="",
        labels=tuple(link.base_labels or ()), assignee=link.base_assignee, due=link.base_due,
        priority=link.base_priority, state=IssueState(link.state),
    )


def _action_tags(tags: Mapping[str, Classified]) -> dict[str, ActionTags]:
    return {
        action_id: ActionTags(found.phase.value, found.phase.source, found.category.value, found.category.source)
        for action_id, found in tags.items()
    }
