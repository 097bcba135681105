"""The managers' coverage review: which kinds of prevention get actions, done, late or vague.

Everything here is counted in the database (GROUP BY over actions × links × postmortems);
Python only arranges the counts into a phase × category matrix, per-postmortem gaps,
organisation figures and their trend by month or quarter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from actiontrack.model import Category, Phase
from actiontrack.reports import sql
from actiontrack.reports.slo import DEFAULT_SLO
from actiontrack.reports.stats import percentile, share
from actiontrack.store import Store

PHASES: tuple[str, ...] = tuple(p.value for p in Phase)
CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)
UNTAGGED = "untagged"


@dataclass(slots=True)
class Cell:
    """Counts for one phase × category cell (or any group of actions)."""

    actions: int = 0
    done: int = 0
    dropped: int = 0
    overdue: int = 0
    vague: int = 0
    past_slo: int = 0  # still open past the SLO date

    @property
    def done_share(self) -> float | None:
        return share(self.done, self.actions)

    def merge(self, other: Cell) -> None:
        self.actions += other.actions
        self.done += other.done
        self.dropped += other.dropped
        self.overdue += other.overdue
        self.vague += other.vague
        self.past_slo += other.past_slo


@dataclass(frozen=True, slots=True)
class PostmortemCoverage:
    """One postmortem's gaps: which categories and phases it has no action in."""

    postmortem_id: str
    title: str
    date: dt.date | None
    actions: int
    done: int
    dropped: int
    vague: int
    overdue: int
    missing_categories: tuple[str, ...]
    missing_phases: tuple[str, ...]

    @property
    def done_share(self) -> float | None:
        return share(self.done, self.actions)

    @property
    def vague_share(self) -> float | None:
        return share(self.vague, self.actions)


@dataclass(frozen=True, slots=True)
class CloseTime:
    """Days from postmortem to done for one priority, against its SLO."""

    priority: str
    closed: int
    median_days: float | None
    p90_days: float | None
    slo_days: int | None
    closed_late: int  # closed after the SLO period

    @property
    def within_slo_share(self) -> float | None:
        return share(self.closed - self.closed_late, self.closed) if self.slo_days is not None else None


@dataclass(frozen=True, slots=True)
class Period:
    """Organisation figures for the postmortems of one month or quarter."""

    label: str
    postmortems: int
    actions: int
    done: int
    overdue: int
    vague: int
    median_close_days: float | None

    @property
    def done_share(self) -> float | None:
        return share(self.done, self.actions)

    @property
    def overdue_share(self) -> float | None:
        return share(self.overdue, self.actions)

    @property
    def vague_share(self) -> float | None:
        return share(self.vague, self.actions)

    @property
    def actions_per_postmortem(self) -> float | None:
        return share(self.actions, self.postmortems)


class CellAction(NamedTuple):
    """One action a heatmap cell links to."""

    action_id: str
    title: str
    postmortem_id: str
    state: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """The whole review; renderers only format it."""

    as_of: dt.date
    since: dt.date | None
    until: dt.date | None
    period: str  # month | quarter
    matrix: Mapping[tuple[str, str], Cell]  # (phase or UNTAGGED, category or UNTAGGED) → counts
    total: Cell
    postmortems: tuple[PostmortemCoverage, ...]
    close_times: tuple[CloseTime, ...]
    trend: tuple[Period, ...]
    teams: tuple[tuple[str, Cell], ...] = ()  # per tracker project or repository, most actions first
    # (phase, category) → its actions; filled only when asked for (HTML and JSON link cells to them)
    cell_actions: Mapping[tuple[str, str], tuple[CellAction, ...]] = field(default_factory=dict)

    @property
    def phases(self) -> tuple[str, ...]:
        return PHASES + ((UNTAGGED,) if any(p == UNTAGGED and c.actions for (p, _), c in self.matrix.items()) else ())

    @property
    def categories(self) -> tuple[str, ...]:
        extra = any(k == UNTAGGED and c.actions for (_, k), c in self.matrix.items())
        return CATEGORIES + ((UNTAGGED,) if extra else ())

    def cell(self, phase: str, category: str) -> Cell:
        return self.matrix.get((phase, category), Cell())

    @property
    def postmortem_count(self) -> int:
        return len(self.postmortems)

    @property
    def actions_per_postmortem(self) -> float | None:
        return share(self.total.actions, len(self.postmortems))

    @property
    def window(self) -> str:
        """'2025-01-01 to 2025-03-31', 'since 2025-11-01', 'until …' or 'all postmortems'."""
        if self.since and self.until:
            return f"{self.since.isoformat()} to {self.until.isoformat()}"
        if self.since:
            return f"since {self.since.isoformat()}"
        return f"until {self.until.isoformat()}" if self.until else "all postmortems"

    def empty_cells(self) -> list[tuple[str, str]]:
        return [(p, c) for p in PHASES for c in CATEGORIES if not self.cell(p, c).actions]


def build_coverage(
    store: Store,
    *,
    as_of: dt.date,
    slo_days: Mapping[str, int],
    since: dt.date | None = None,
    until: dt.date | None = None,
    period: str = "month",
    drill_down: bool = False,
) -> CoverageReport:
    """Count everything the review shows in four GROUP BY queries, then arrange it; with
    ``drill_down`` also list each cell's actions (one more query, one row an action)."""
    filters = sql.Filters(since=since, until=until)
    with store.session() as session:
        matrix_rows = session.execute(sql.matrix_query(filters, as_of, slo_days)).all()
        pm_rows = session.execute(sql.per_postmortem_query(filters, as_of, slo_days, PHASES, CATEGORIES)).all()
        histogram = session.execute(sql.close_histogram_query(filters)).all()
        team_rows = session.execute(sql.team_query(filters, as_of, slo_days)).all()
        cells = _cell_actions(session.execute(sql.cell_actions_query(filters, as_of, slo_days))) if drill_down else {}
    matrix, total = _matrix(matrix_rows)
    postmortems = _postmortems(pm_rows)
    teams = sorted(((str(team or "(none)"), _cell(counts)) for team, *counts in team_rows),
                   key=lambda t: (-t[1].actions, t[0]))
    return CoverageReport(
        as_of=as_of, since=since, until=until, period=period, matrix=matrix, total=total,
        postmortems=postmortems, close_times=_close_times(histogram, slo_days),
        trend=_trend(postmortems, histogram, period), teams=tuple(teams), cell_actions=cells,
    )


def cell_key(phase: str | None, category: str | None) -> tuple[str, str]:
    """The matrix cell of a stored (phase, category): anything not a known value is untagged."""
    return (phase if phase in PHASES else UNTAGGED, category if category in CATEGORIES else UNTAGGED)


def _cell_actions(rows: Iterable[Any]) -> dict[tuple[str, str], tuple[CellAction, ...]]:
    cells: dict[tuple[str, str], list[CellAction]] = defaultdict(list)
    for phase, category, action_id, title, pm_id, state, overdue in rows:
        cells[cell_key(phase, category)].append(CellAction(action_id, title, pm_id, state, bool(overdue)))
    return {key: tuple(actions) for key, actions in cells.items()}


def _cell(counts: Sequence[Any]) -> Cell:
    actions, done, dropped, overdue, vague, past = (int(n or 0) for n in counts)
    return Cell(actions, done, dropped, overdue, vague, past)


def _matrix(rows: Iterable[Any]) -> tuple[dict[tuple[str, str], Cell], Cell]:
    cells: dict[tuple[str, str], Cell] = defaultdict(Cell)
    total = Cell()
    for phase, category, *counts in rows:
        key = cell_key(phase, category)
        for cell in (cells[key], total):
            cell.merge(_cell(counts))
    return dict(cells), total


def _postmortems(rows: Iterable[Any]) -> tuple[PostmortemCoverage, ...]:
    out = []
    for pm_id, title, date, *numbers in rows:
        counts, per_phase = _cell(numbers[:6]), numbers[6:6 + len(PHASES)]
        per_category = numbers[6 + len(PHASES):]
        out.append(PostmortemCoverage(
            pm_id, title, date, counts.actions, counts.done, counts.dropped, counts.vague, counts.overdue,
            tuple(c for c, n in zip(CATEGORIES, per_category, strict=True) if not n),
            tuple(p for p, n in zip(PHASES, per_phase, strict=True) if not n),
        ))
    return tuple(sorted(out, key=lambda pm: (pm.date or dt.date.min, pm.postmortem_id), reverse=True))


def _close_times(rows: Iterable[Any], slo_days: Mapping[str, int]) -> tuple[CloseTime, ...]:
    by_priority: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for _month, priority, days, count in rows:
        by_priority[priority or "none"][max(int(days), 0)] += int(count)
    out = []
    for priority in sorted(by_priority):
        histogram, limit = by_priority[priority], slo_days.get(priority, slo_days.get(DEFAULT_SLO))
        late = sum(n for days, n in histogram.items() if limit is not None and days > limit)
        out.append(CloseTime(priority, sum(histogram.values()), percentile(histogram, 0.5),
                             percentile(histogram, 0.9), limit, late))
    return tuple(out)


def period_of(month: str, period: str) -> str:
    """'2025-02' → itself, or '2025-Q1' by quarter."""
    if period != "quarter":
        return month
    year, number = month.split("-")
    return f"{year}-Q{(int(number) - 1) // 3 + 1}"


def _trend(postmortems: Iterable[PostmortemCoverage], histogram: Iterable[Any], period: str) -> tuple[Period, ...]:
    """Per month or quarter of the postmortem date, from the per-postmortem counts."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for pm in postmortems:
        if pm.date is not None:
            row = sums[period_of(pm.date.strftime("%Y-%m"), period)]
            for index, value in enumerate((1, pm.actions, pm.done, pm.overdue, pm.vague)):
                row[index] += value
    closes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for month, _priority, days, count in histogram:
        closes[period_of(month, period)][max(int(days), 0)] += int(count)
    return tuple(Period(label, values[0], values[1], values[2], values[3], values[4], percentile(closes[label], 0.5))
                 for label, values in sorted(sums.items()))
