"""The weekly overdue report: what is late, what is about to be, and what changed since last week.

Built from the store as last synced (statuses and due dates are the tracker's). Each run
records a snapshot of its as-of date, so "since last week" compares with what the report
really showed then, not with a recomputation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlalchemy as sa

from actiontrack.links import postmortem_url
from actiontrack.model import IssueState
from actiontrack.reports import sql
from actiontrack.reports.slo import effective_due, slo_date
from actiontrack.store import Store
from actiontrack.store.queries import snapshots_t
from actiontrack.store.values import UNSYNCED
from actiontrack.trackers.registry import display_key, known

SOON_DAYS = 7
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1–7 days", 1, 7), ("8–30 days", 8, 30), ("31–90 days", 31, 90), ("over 90 days", 91, None),
)


class Item(NamedTuple):
    """One action the team lead may have to chase."""

    action_id: str
    title: str
    owner: str | None
    due: dt.date | None  # the tracker's or file's due date, else the SLO date
    due_derived: bool  # due is the SLO date: nobody set one
    days_overdue: int  # 0 when not late
    priority: str | None
    postmortem_id: str
    postmortem_title: str
    severity: str | None
    tracker: str | None
    key: str | None
    url: str | None
    state: str  # open | unsynced | dropped
    past_slo: bool  # older than its priority's SLO allows, whatever its due date says
    postmortem_path: str = ""  # the file, as sync read it
    postmortem_url: str | None = None  # its link (links.postmortem_url), when there is one

    @property
    def status(self) -> str:
        """The state as the tracker would name it, so nobody reads "closed" as done."""
        if self.state == IssueState.DROPPED:
            kind = known(self.tracker)
            return kind.dropped_wording if kind is not None else "dropped"
        return "not in a tracker yet" if self.state == UNSYNCED else "open"

    @property
    def display_key(self) -> str | None:
        return display_key(self.tracker, self.key)

    @property
    def age_bucket(self) -> str | None:
        return age_bucket(self.days_overdue)


class Closed(NamedTuple):
    """An action that was open at the last report and is done or dropped now."""

    action_id: str
    title: str
    owner: str | None
    postmortem_id: str
    tracker: str | None
    key: str | None
    url: str | None
    state: str  # done | dropped
    was_overdue: bool

    @property
    def display_key(self) -> str | None:
        return display_key(self.tracker, self.key)


@dataclass(frozen=True, slots=True)
class WeekChange:
    """Week over week, against the previous snapshot."""

    previous: dt.date
    newly_overdue: tuple[Item, ...]
    still_overdue: tuple[Item, ...]
    closed: tuple[Closed, ...]


@dataclass(frozen=True, slots=True)
class OverdueReport:
    """Everything the weekly report shows; renderers only format it."""

    as_of: dt.date
    last_pulled: tuple[tuple[str, str, dt.datetime | None], ...]
    filters: Mapping[str, str]
    overdue: tuple[Item, ...]
    due_soon: tuple[Item, ...]
    no_due: tuple[Item, ...]
    no_owner: tuple[Item, ...]
    dropped: tuple[Item, ...]
    open_count: int
    change: WeekChange | None
    buckets: Mapping[str, int] = field(default_factory=dict)

    def by_owner(self) -> list[tuple[str, Sequence[Item]]]:
        """Overdue items per owner, the most-late owner first."""
        return _grouped(self.overdue, lambda item: item.owner or "(no owner)")

    def by_postmortem(self) -> list[tuple[str, Sequence[Item]]]:
        return _grouped(self.overdue, lambda item: item.postmortem_id)

    def all_items(self) -> list[tuple[Item, list[str]]]:
        """Each listed item once, with the sections it belongs to (for JSON and CSV)."""
        sections: dict[str, list[str]] = defaultdict(list)
        seen: dict[str, Item] = {}
        for name, items in self.sections():
            for item in items:
                sections[item.action_id].append(name)
                seen.setdefault(item.action_id, item)
        return [(item, sections[action_id]) for action_id, item in seen.items()]

    def sections(self) -> list[tuple[str, tuple[Item, ...]]]:
        return [("overdue", self.overdue), ("due-soon", self.due_soon), ("no-due-date", self.no_due),
                ("no-owner", self.no_owner), ("dropped", self.dropped)]

    def changes(self) -> dict[str, str]:
        """Action id → 'newly-overdue' or 'still-overdue', when last week is known."""
        if self.change is None:
            return {}
        marks = {item.action_id: "still-overdue" for item in self.change.still_overdue}
        marks.update((item.action_id, "newly-overdue") for item in self.change.newly_overdue)
        return marks


def _grouped(items: Sequence[Item], key: Any) -> list[tuple[str, Sequence[Item]]]:
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return sorted(groups.items(), key=lambda g: (-max(i.days_overdue for i in g[1]), g[0]))


def age_bucket(days_overdue: int) -> str | None:
    for label, low, high in BUCKETS:
        if days_overdue >= low and (high is None or days_overdue <= high):
            return label
    return None


def build_overdue(
    store: Store,
    *,
    as_of: dt.date,
    slo_days: Mapping[str, int],
    filters: sql.Filters | None = None,
    record: bool = True,
    base_url: str | None = None,
) -> OverdueReport:
    """Compute the report from the store; with ``record`` keep this run's snapshot for next week."""
    filters = filters or sql.Filters()
    items = attention_items(store, as_of=as_of, slo_days=slo_days, filters=filters, base_url=base_url)
    with store.session() as session:
        pulled = tuple((str(t), str(g), w) for t, g, w in session.execute(sql.last_pulled_query()).all())
    previous = store.previous_snapshot_date(as_of)
    change = _change(store, previous, items, filters) if previous else None
    if record:
        record_snapshot(store, as_of, slo_days)
    return _assemble(as_of, pulled, filters, items, change)


def attention_items(store: Store, *, as_of: dt.date, slo_days: Mapping[str, int], filters: sql.Filters,
                    base_url: str | None = None) -> list[Item]:
    """Every present action not closed, and every dropped one, with its effective due date and lateness."""
    with store.session() as session:
        rows = session.execute(sql.attention_query(filters)).all()
        if any(row[0] is None or row[1] is None for row in rows):  # id, title: NULL is damage
            raise ValueError("NULL in a required column")  # the store names the cell
        return [_item(row, as_of, slo_days, base_url) for row in rows]


def record_snapshot(store: Store, as_of: dt.date, slo_days: Mapping[str, int]) -> None:
    """Keep every open action's state on ``as_of`` (replacing that day's earlier snapshot), computed in SQL.

    The same rows ``Store.take_snapshot`` would write, without 20,000 round trips through Python.
    """
    table = snapshots_t
    with store.session(write=True) as session:
        session.execute(sa.delete(table).where(table.c.as_of == as_of))
        session.execute(sql.snapshot_insert(as_of, slo_days, dt.datetime.now(dt.UTC)))


def _item(row: Any, as_of: dt.date, slo_days: Mapping[str, int], base_url: str | None = None) -> Item:
    (action_id, title, owner, due, priority, pm_id, pm_title, pm_date, severity, tracker, key, url, state,
     pm_path, pm_url) = row
    when, derived = effective_due(due, pm_date, priority, slo_days)
    late = (as_of - when).days if when is not None and when < as_of and state != IssueState.DROPPED else 0
    limit = slo_date(pm_date, priority, slo_days)
    return Item(action_id, title, owner, when, derived, late, priority, pm_id, pm_title, severity,
                tracker, key, url, state, limit is not None and limit < as_of and state != IssueState.DROPPED,
                pm_path, postmortem_url(pm_path, pm_url, base_url))


def _change(store: Store, previous: dt.date, items: Sequence[Item], filters: sql.Filters) -> WeekChange:
    late = [item for item in items if item.days_overdue > 0]
    with store.session() as session:
        before = set(session.execute(sql.previously_overdue_query(previous)).scalars())
        closed = [Closed._make((*row[:-1], bool(row[-1])))
                  for row in session.execute(sql.closed_since_query(previous, filters)).all()]
    return WeekChange(
        previous=previous,
        newly_overdue=tuple(i for i in late if i.action_id not in before),
        still_overdue=tuple(i for i in late if i.action_id in before),
        closed=tuple(closed),
    )


def _assemble(as_of: dt.date, pulled: tuple[tuple[str, str, dt.datetime | None], ...], filters: sql.Filters,
              items: list[Item], change: WeekChange | None) -> OverdueReport:
    live = [i for i in items if i.state != IssueState.DROPPED]
    overdue = sorted((i for i in live if i.days_overdue > 0), key=lambda i: (-i.days_overdue, i.action_id))
    soon_end = as_of + dt.timedelta(days=SOON_DAYS)
    buckets = {label: 0 for label, _, _ in BUCKETS}
    for item in overdue:
        buckets[age_bucket(item.days_overdue) or ""] += 1
    return OverdueReport(
        as_of=as_of, last_pulled=pulled, filters=filters.described(), overdue=tuple(overdue),
        due_soon=tuple(sorted((i for i in live if i.due and as_of <= i.due < soon_end and not i.due_derived),
                              key=lambda i: (i.due or as_of, i.action_id))),
        no_due=tuple(i for i in live if i.due is None or i.due_derived),
        no_owner=tuple(i for i in live if not i.owner),
        dropped=tuple(i for i in items if i.state == IssueState.DROPPED),
        open_count=len(live), change=change, buckets=buckets,
    )
