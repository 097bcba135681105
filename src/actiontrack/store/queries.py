"""Core queries for reports: one pass over actions joined with links, no ORM objects.

Reports over 100,000 actions must finish within a second; Core rows fetched at once into
NamedTuples, and GROUP BY in the database, keep them inside that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from actiontrack.errors import StoreError
from actiontrack.model import IssueState
from actiontrack.store.tables import ActionRow, LinkRow, SnapshotRow
from actiontrack.store.values import ORPHANED, UNSYNCED, SnapshotEntry

actions_t = cast(sa.Table, sa.inspect(ActionRow).local_table)
links_t = cast(sa.Table, sa.inspect(LinkRow).local_table)
snapshots_t = cast(sa.Table, sa.inspect(SnapshotRow).local_table)

# The report state of an action, in order of precedence: a closed issue is done or
# dropped even if the action later left its file; an action gone from its file with an
# open (or no) issue is orphaned; an issue that exists is open; anything else (no link,
# or a create still pending) is unsynced. A plain string: not every report state is an IssueState.
STATE = sa.type_coerce(sa.case(
    (links_t.c.state.in_([IssueState.DONE, IssueState.DROPPED]), links_t.c.state),
    (actions_t.c.removed_at.is_not(None), sa.literal(ORPHANED)),
    (links_t.c.key.is_not(None), sa.literal(IssueState.OPEN.value)),
    else_=sa.literal(UNSYNCED),
), sa.String).label("state")
EFFECTIVE_DUE = sa.func.coalesce(links_t.c.remote_due, actions_t.c.due).label("due")



class unindexed(FunctionElement[Any]):
    """A column SQLite must not walk an index for.

    Without statistics SQLite groups and sorts by walking an index (ix_actions_owner ...),
    fetching each row in random order: 3-4x slower than scanning the table and sorting
    when a report reads every row. ``+column`` (a no-op) stops that; PostgreSQL plans
    from statistics and gets the bare column.
    """

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column: sa.ColumnElement[Any]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _bare(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(unindexed, "sqlite")
def _unary_plus(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


DIMENSIONS: dict[str, Any] = {
    "state": STATE,
    "due": EFFECTIVE_DUE,
    **{
        name: unindexed(actions_t.c[name])
        for name in (
            "phase", "category", "phase_source", "category_source",
            "owner", "priority", "postmortem_id", "vague",
        )
    },
}

_JOINED = actions_t.outerjoin(links_t, links_t.c.action_id == actions_t.c.id)


def report_query(*, include_removed: bool) -> sa.Select[Any]:
    """Every action with its link, in file order."""
    query = sa.select(
        actions_t.c.id, actions_t.c.postmortem_id, actions_t.c.title, actions_t.c.owner,
        EFFECTIVE_DUE, actions_t.c.phase, actions_t.c.category, actions_t.c.phase_source,
        actions_t.c.category_source, actions_t.c.priority, actions_t.c.vague, STATE,
        links_t.c.key, links_t.c.url, links_t.c.done_at,
    ).select_from(_JOINED)
    if not include_removed:
        query = query.where(actions_t.c.removed_at.is_(None))
    return query.order_by(actions_t.c.postmortem_id, actions_t.c.position)


def count_query(dimensions: Sequence[str], *, include_removed: bool) -> sa.Select[Any]:
    """``SELECT dims..., count(*) GROUP BY dims`` over actions joined with links."""
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown or not dimensions:
        raise StoreError(
            f"cannot count actions by {', '.join(unknown) or 'nothing'}",
            hint=f"group by any of: {', '.join(DIMENSIONS)}",
        )
    columns = [DIMENSIONS[d] for d in dimensions]
    query = sa.select(*columns, sa.func.count()).select_from(_JOINED)
    if not include_removed:
        query = query.where(actions_t.c.removed_at.is_(None))
    return query.group_by(*columns)


SNAPSHOT_FIELDS = SnapshotEntry._fields


def snapshot_query(as_of: Any) -> sa.Select[Any]:
    columns = [snapshots_t.c[name] for name in SNAPSHOT_FIELDS]
    return sa.select(*columns).where(snapshots_t.c.as_of == as_of).order_by(snapshots_t.c.id)
