"""Find the cell that broke a read: a bad date, bad JSON, a NULL where a value is required.

A store edited by hand, restored from a bad copy or written by another tool can hold values
the typed columns cannot read back; SQLAlchemy then raises a bare ValueError deep in a
query. When that happens the store scans its tables with plain SQL (no type conversion),
names the first bad cell — file, table, column, the action it belongs to — and the CLI
prints that instead of a traceback. The scan runs only after a failure.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

_ACTION_COLUMNS = {"actions": "id", "links": "action_id", "journal": "action_id", "snapshots": "action_id"}


@dataclass(frozen=True, slots=True)
class BadCell:
    table: str
    column: str
    row: str  # the row's key, e.g. "action_id='a-12'"
    action_id: str | None
    value: str
    problem: str

    def describe(self) -> str:
        where = f"table {self.table}, column {self.column}, row {self.row}"
        if self.action_id:
            where += f" (action {self.action_id})"
        return f"{where}: {self.problem}"


def find_bad_cell(engine: Engine) -> BadCell | None:
    """The first cell the typed tables cannot read, or None when every cell is readable."""
    from sqlmodel import SQLModel

    import actiontrack.store.tables  # noqa: F401  (registers the tables)

    present = set(sa.inspect(engine).get_table_names())
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in present:
                continue
            found = _scan(conn, table)
            if found is not None:
                return found
    return None


def _scan(conn: sa.Connection, table: sa.Table) -> BadCell | None:
    keys = [c.name for c in table.primary_key.columns]
    checked = [c for c in table.columns if _checker(c) is not None or not c.nullable]
    if not checked:
        return None
    names = ", ".join(_quote(n) for n in dict.fromkeys([*keys, *(c.name for c in checked)]))
    action_column = _ACTION_COLUMNS.get(table.name)
    extra = f", {_quote(action_column)}" if action_column and action_column not in keys else ""
    rows = conn.exec_driver_sql(f"SELECT {names}{extra} FROM {_quote(table.name)}")
    for row in rows.mappings():
        for column in checked:
            problem = _problem(column, row[column.name])
            if problem is not None:
                action = row.get(action_column) if action_column else None
                return BadCell(table.name, column.name, ", ".join(f"{k}={row[k]!r}" for k in keys),
                               str(action) if action is not None else None, repr(row[column.name]), problem)
    return None


def _problem(column: sa.Column[Any], value: Any) -> str | None:
    if value is None:
        return None if column.nullable else "empty (NULL) where a value is required"
    check = _checker(column)
    return check(value) if check is not None else None


def _checker(column: sa.Column[Any]) -> Any:
    kind = column.type
    impl = getattr(kind, "impl", kind)
    if isinstance(impl, sa.JSON):
        return _json
    if isinstance(impl, sa.DateTime):
        return _datetime
    if isinstance(impl, sa.Date):
        return _date
    return None


def _date(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return None
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return f"{str(value)[:40]!r} is not a date (YYYY-MM-DD)"
    return None


def _datetime(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return None
    try:
        dt.datetime.fromisoformat(str(value))
    except ValueError:
        return f"{str(value)[:40]!r} is not a timestamp"
    return None


def _json(value: Any) -> str | None:
    if not isinstance(value, str | bytes):
        return None  # PostgreSQL's driver already parsed it
    try:
        json.loads(value)
    except ValueError:
        return f"{str(value)[:40]!r} is not valid JSON"
    return None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _required_columns(table: sa.Table) -> tuple[str, ...]:
    cached = _REQUIRED.get(table.name)
    if cached is None:
        cached = tuple(c.key for c in table.columns if not c.nullable and not c.primary_key)
        _REQUIRED[table.name] = cached
    return cached


_REQUIRED: dict[str, tuple[str, ...]] = {}


def refuse_missing_values(target: Any, _context: Any) -> None:
    """ORM load hook: a row with NULL in a required column is damage, not a value to use."""
    table = getattr(target, "__table__", None)
    if table is None:
        return
    for name in _required_columns(table):
        if getattr(target, name, None) is None:
            raise ValueError(f"NULL in {table.name}.{name}")


def install() -> None:
    """Check every row the ORM loads (idempotent)."""
    from sqlalchemy import event
    from sqlmodel import SQLModel

    if not event.contains(SQLModel, "load", refuse_missing_values):
        event.listen(SQLModel, "load", refuse_missing_values, propagate=True)
