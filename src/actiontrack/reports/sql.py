"""Core queries the reports run through ``Store.session()``: filters and GROUP BY in the database.

Reports over 100,000 actions must finish within a second, so counts, shares and
time-to-close histograms are aggregated in SQL; only the rows a report lists
(late, soon due, undated, unowned, dropped) come back one by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from actiontrack.model import IssueState
from actiontrack.reports.slo import DEFAULT_SLO
from actiontrack.store.queries import EFFECTIVE_DUE, STATE, actions_t, links_t, snapshots_t, unindexed
from actiontrack.store.tables import PostmortemRow
from actiontrack.store.values import UNSYNCED

postmortems_t = cast(sa.Table, sa.inspect(PostmortemRow).local_table)

JOINED = actions_t.join(postmortems_t, postmortems_t.c.id == actions_t.c.postmortem_id).outerjoin(
    links_t, links_t.c.action_id == actions_t.c.id
)
NOT_CLOSED = (IssueState.OPEN.value, UNSYNCED)
PRESENT = actions_t.c.removed_at.is_(None)


class days_between(FunctionElement[int]):
    """Whole days from a date to a timestamp's date, spelt per dialect."""

    inherit_cache = True
    name = "days_between"
    type = sa.Integer()


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday(date({end})) - julianday({start}) AS INTEGER)"


@compiles(days_between)
def _days_postgres(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({end} AS DATE) - {start})"


class year_month(FunctionElement[str]):
    """'YYYY-MM' of a date column, spelt per dialect."""

    inherit_cache = True
    name = "year_month"
    type = sa.String()


@compiles(year_month, "sqlite")
def _month_sqlite(element: year_month, compiler: SQLCompiler, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


@compiles(year_month)
def _month_postgres(element: year_month, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


def owned_by(wanted: str) -> sa.ColumnElement[bool]:
    """`--owner lena` as `status --owner` reads it (identity.owner_aliases): `lena`, `Lena`,
    and `Lena Ortiz <lena@example.com>` by her name, her address or its local part."""
    query = wanted.strip().lstrip("@").casefold()
    literal = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    owner = sa.func.lower(actions_t.c.owner)
    return sa.or_(
        actions_t.c.owner == wanted.strip().lstrip("@"),
        owner == query,
        owner.like(f"%<{literal}>", escape="\\"),
        owner.like(f"{literal} <%>", escape="\\"),
        owner.like(f'"{literal}" <%>', escape="\\"),
        owner.like(f"%<{literal}@%>", escape="\\"),
    )


@dataclass(frozen=True, slots=True)
class Filters:
    """What a report is narrowed to; None means no restriction."""

    owner: str | None = None
    team: str | None = None  # the tracker project or repository the actions are filed in
    severity: str | None = None
    postmortem: str | None = None
    since: dt.date | None = None  # postmortem date, inclusive
    until: dt.date | None = None  # postmortem date, inclusive
    within: str | None = None  # the PATH a report was restricted to, for display; its ids below
    postmortem_ids: tuple[str, ...] | None = None  # only these postmortems (None: any)

    def where(self) -> list[sa.ColumnElement[bool]]:
        """SQL conditions for these filters (all must hold)."""
        conditions: list[sa.ColumnElement[bool]] = [PRESENT]
        if self.owner:
            conditions.append(owned_by(self.owner))
        if self.team:
            conditions.append(sa.func.coalesce(links_t.c.target, postmortems_t.c.project) == self.team)
        if self.severity:
            conditions.append(sa.func.upper(postmortems_t.c.severity) == self.severity.upper())
        if self.postmortem:
            conditions.append(actions_t.c.postmortem_id == self.postmortem)
        if self.since:
            conditions.append(postmortems_t.c.date >= self.since)
        if self.until:
            conditions.append(postmortems_t.c.date <= self.until)
        if self.postmortem_ids is not None:
            conditions.append(actions_t.c.postmortem_id.in_(self.postmortem_ids))
        return conditions

    def described(self) -> dict[str, str]:
        return {name: str(value) for name, value in (
            ("owner", self.owner), ("team", self.team), ("severity", self.severity),
            ("postmortem", self.postmortem), ("since", self.since), ("until", self.until),
            ("path", self.within),
        ) if value}


def postmortems_under(session: Any, paths: Sequence[Path]) -> tuple[str, ...]:
    """Ids of the stored postmortems whose file is one of `paths` or below one of them.

    Paths are stored as sync read them (relative to where it ran); both sides are resolved
    against the current folder, as sync itself would.
    """
    roots = [p.resolve() for p in paths]
    rows = session.execute(sa.select(postmortems_t.c.id, postmortems_t.c.path)).all()
    return tuple(sorted(
        pm_id for pm_id, stored in rows
        if any(Path(stored).resolve() == root or root in Path(stored).resolve().parents for root in roots)
    ))


def _slo_arms(slo_days: Mapping[str, int]) -> list[tuple[sa.ColumnElement[bool], int]]:
    """(condition on the action's priority, SLO days): one per named priority, then the default SLO
    for an action with no priority or one the table does not name."""
    named = {p: n for p, n in slo_days.items() if p != DEFAULT_SLO}
    arms: list[tuple[sa.ColumnElement[bool], int]] = [(actions_t.c.priority == p, n) for p, n in named.items()]
    if DEFAULT_SLO in slo_days:
        other = sa.or_(actions_t.c.priority.is_(None), actions_t.c.priority.not_in(list(named))) if named else sa.true()
        arms.append((other, slo_days[DEFAULT_SLO]))
    return arms


def past_slo_by_date(as_of: dt.date, slo_days: Mapping[str, int]) -> sa.ColumnElement[bool]:
    """The postmortem is older than its action's priority allows on ``as_of``."""
    arms = [sa.and_(condition, postmortems_t.c.date < as_of - dt.timedelta(days=days))
            for condition, days in _slo_arms(slo_days)]
    return sa.or_(*arms) if arms else sa.false()


def overdue_condition(as_of: dt.date, slo_days: Mapping[str, int]) -> sa.ColumnElement[bool]:
    """Not closed, and late by its due date, or by its SLO date when it has no due date."""
    late = sa.or_(
        as_of > EFFECTIVE_DUE,
        sa.and_(EFFECTIVE_DUE.is_(None), past_slo_by_date(as_of, slo_days)),
    )
    return sa.and_(STATE.in_(NOT_CLOSED), late)


def flag(condition: sa.ColumnElement[bool], name: str) -> sa.Label[int]:
    """A 0/1 column, so flags can be grouped and summed on both backends."""
    return sa.case((condition, 1), else_=0).label(name)


def attention_query(filters: Filters) -> sa.Select[Any]:
    """Every present action not closed, and every dropped one: what the overdue report looks at."""
    return (
        sa.select(
            actions_t.c.id, actions_t.c.title, actions_t.c.owner, EFFECTIVE_DUE, actions_t.c.priority,
            actions_t.c.postmortem_id, postmortems_t.c.title.label("pm_title"), postmortems_t.c.date.label("pm_date"),
            postmortems_t.c.severity, links_t.c.tracker, links_t.c.key, links_t.c.url, STATE,
            postmortems_t.c.path.label("pm_path"), postmortems_t.c.url.label("pm_url"),
        )
        .select_from(JOINED)
        .where(*filters.where(), STATE.in_((*NOT_CLOSED, IssueState.DROPPED)))
        .order_by(actions_t.c.postmortem_id, actions_t.c.position)
    )


def days_late(as_of: dt.date, slo_days: Mapping[str, int]) -> sa.ColumnElement[int]:
    """Days past the due date, or past the SLO date when there is none; 0 when not late."""
    day = sa.literal(as_of, sa.Date())
    by_slo = [(condition, days_between(postmortems_t.c.date, day) - n) for condition, n in _slo_arms(slo_days)]
    late = sa.case((EFFECTIVE_DUE.is_not(None), days_between(EFFECTIVE_DUE, day)), *by_slo, else_=0)
    return sa.case((overdue_condition(as_of, slo_days), late), else_=0)


def snapshot_insert(as_of: dt.date, slo_days: Mapping[str, int], taken_at: dt.datetime) -> Any:
    """INSERT ... SELECT of every present open action's state on ``as_of``: the week's snapshot, in one statement.

    Unfiltered on purpose: a report narrowed to one owner must not narrow next week's comparison.
    """
    late = days_late(as_of, slo_days)
    stamp = taken_at.astimezone(dt.UTC)
    columns = ["taken_at", "as_of", "action_id", "postmortem_id", "state", "due", "owner", "priority", "overdue",
               "days_overdue"]
    select = (
        sa.select(
            sa.literal(stamp, snapshots_t.c.taken_at.type), sa.literal(as_of, sa.Date()), actions_t.c.id,
            actions_t.c.postmortem_id, STATE, EFFECTIVE_DUE, actions_t.c.owner, actions_t.c.priority,
            sa.case((late > 0, sa.true()), else_=sa.false()), late,
        )
        .select_from(JOINED)
        .where(PRESENT, STATE.in_(NOT_CLOSED))
    )
    return snapshots_t.insert().from_select(columns, select)


def previously_overdue_query(previous: dt.date) -> Any:
    return sa.select(snapshots_t.c.action_id).where(snapshots_t.c.as_of == previous, snapshots_t.c.overdue.is_(True))


def closed_since_query(previous: dt.date, filters: Filters) -> sa.Select[Any]:
    """Actions open in the ``previous`` snapshot and done or dropped now."""
    return (
        sa.select(
            actions_t.c.id, actions_t.c.title, actions_t.c.owner, actions_t.c.postmortem_id,
            links_t.c.tracker, links_t.c.key, links_t.c.url, STATE, snapshots_t.c.overdue,
        )
        .select_from(JOINED.join(snapshots_t, snapshots_t.c.action_id == actions_t.c.id))
        .where(
            snapshots_t.c.as_of == previous,
            snapshots_t.c.state.in_(NOT_CLOSED),
            STATE.in_((IssueState.DONE, IssueState.DROPPED)),
            *filters.where(),
        )
        .order_by(actions_t.c.postmortem_id, actions_t.c.position)
    )


def last_pulled_query() -> sa.Select[Any]:
    """When each tracker target last finished a real sync."""
    from actiontrack.store.tables import SyncRunRow

    runs = cast(sa.Table, sa.inspect(SyncRunRow).local_table)
    return (
        sa.select(runs.c.tracker, runs.c.target, sa.func.max(runs.c.finished_at))
        .where(runs.c.status == "ok", runs.c.dry_run.is_(False))
        .group_by(runs.c.tracker, runs.c.target)
        .order_by(runs.c.tracker, runs.c.target)
    )


def _counts(as_of: dt.date, slo_days: Mapping[str, int]) -> list[Any]:
    """count, done, dropped, overdue, vague, open past SLO: conditional sums over one scan."""
    return [
        sa.func.count(),
        sa.func.sum(flag(STATE == IssueState.DONE, "done")),
        sa.func.sum(flag(STATE == IssueState.DROPPED, "dropped")),
        sa.func.sum(flag(overdue_condition(as_of, slo_days), "overdue")),
        sa.func.sum(flag(actions_t.c.vague.is_(True), "vague")),
        sa.func.sum(flag(sa.and_(STATE.in_(NOT_CLOSED), past_slo_by_date(as_of, slo_days)), "past")),
    ]


def matrix_query(filters: Filters, as_of: dt.date, slo_days: Mapping[str, int]) -> Any:
    """Per phase × category: the counts of ``_counts``."""
    keys = [unindexed(actions_t.c.phase), unindexed(actions_t.c.category)]
    return sa.select(*keys, *_counts(as_of, slo_days)).select_from(JOINED).where(*filters.where()).group_by(*keys)


def per_postmortem_query(filters: Filters, as_of: dt.date, slo_days: Mapping[str, int],
                         phases: Sequence[str], categories: Sequence[str]) -> Any:
    """Per postmortem: the counts of ``_counts``, then actions per phase and per category (gaps are zeros)."""
    per_tag = [sa.func.sum(flag(actions_t.c.phase == p, f"p{i}")) for i, p in enumerate(phases)] + [
        sa.func.sum(flag(actions_t.c.category == c, f"c{i}")) for i, c in enumerate(categories)]
    keys = [unindexed(actions_t.c.postmortem_id)]
    return (
        sa.select(*keys, sa.func.max(postmortems_t.c.title), sa.func.max(postmortems_t.c.date),
                  *_counts(as_of, slo_days), *per_tag)
        .select_from(JOINED)
        .where(*filters.where())
        .group_by(*keys)
    )


def close_histogram_query(filters: Filters) -> sa.Select[Any]:
    """(month, priority, days from postmortem to done) → count, for medians and SLO shares."""
    days = days_between(postmortems_t.c.date, links_t.c.done_at).label("days")
    month = year_month(postmortems_t.c.date).label("month")
    columns = [month, actions_t.c.priority, days]
    return (
        sa.select(*columns, sa.func.count())
        .select_from(JOINED)
        .where(*filters.where(), STATE == IssueState.DONE, links_t.c.done_at.is_not(None),
               postmortems_t.c.date.is_not(None))
        .group_by(*columns)
    )


TEAM = sa.func.coalesce(links_t.c.target, postmortems_t.c.project)  # where the action is filed, else its postmortem's


def team_query(filters: Filters, as_of: dt.date, slo_days: Mapping[str, int]) -> Any:
    """Per team (the tracker project or repository): the counts of ``_counts``."""
    key = TEAM.label("team")
    return sa.select(key, *_counts(as_of, slo_days)).select_from(JOINED).where(*filters.where()).group_by(key)


def cell_actions_query(filters: Filters, as_of: dt.date, slo_days: Mapping[str, int]) -> Any:
    """Every action with its phase, category and state: what each heatmap cell links to."""
    return (
        sa.select(actions_t.c.phase, actions_t.c.category, actions_t.c.id, actions_t.c.title,
                  actions_t.c.postmortem_id, STATE, flag(overdue_condition(as_of, slo_days), "overdue"))
        .select_from(JOINED)
        .where(*filters.where())
        .order_by(actions_t.c.postmortem_id, actions_t.c.position)
    )
