"""Store URLs and engines: which database, shown without its password, set up for safety.

SQLite gets real transactions (pysqlite's default runs DDL outside any transaction, which
would make a failed migration leave half a schema), WAL so reports can read during a
sync, and a busy timeout so a second writer waits instead of failing at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from actiontrack.errors import StoreError
from actiontrack.store.lock import holder_label

BUSY_TIMEOUT_S = 30.0
BEGIN_MODE = "actiontrack_begin"  # execution option: "IMMEDIATE" takes SQLite's write lock up front
_USERINFO = re.compile(r"\S*@")  # unparseable: hide everything up to the last "@"
_POSTGRES_DRIVERS = {"postgresql", "postgres", "postgresql+psycopg"}


def mask_url(raw: str) -> str:
    """A URL safe to show: the password replaced, even when the URL does not parse."""
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _USERINFO.sub("***@", raw)


def scrub(message: str, url: URL) -> str:
    """Remove the URL's password from a driver message, in case a driver ever echoes it."""
    return message.replace(url.password, "***") if url.password else message


def parse_url(raw: str) -> URL:
    """The normalised URL: psycopg 3 for PostgreSQL, absolute paths for SQLite files."""
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(
            f"not a store URL: {mask_url(raw)}",
            hint="use sqlite:///path/to/store.db or postgresql+psycopg://user@host:5432/db",
        ) from exc
    if url.drivername in _POSTGRES_DRIVERS:
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in {"sqlite", "sqlite+pysqlite"}:
        return _absolute_sqlite(url)
    raise StoreError(
        f"unsupported store database {url.drivername!r} in {mask_url(raw)}",
        hint="the store supports sqlite:/// files and postgresql+psycopg:// servers",
    )


def is_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def sqlite_path(url: URL) -> Path | None:
    """The database file of a SQLite URL, None for in-memory and PostgreSQL stores."""
    if url.get_backend_name() != "sqlite" or is_memory(url):
        return None
    return Path(str(url.database))


def _absolute_sqlite(url: URL) -> URL:
    """Resolve against the cwd now, so a later chdir cannot move the store."""
    if is_memory(url):
        return url.set(drivername="sqlite")
    return url.set(drivername="sqlite", database=str(Path(str(url.database)).resolve()))


def create_store_engine(url: URL) -> Engine:
    """An engine for the store; for SQLite creates the file's parent directories."""
    if url.get_backend_name() != "sqlite":
        # The application name lets a blocked sync say who holds the lock (lock.py).
        name = f"actiontrack {holder_label()}"[:63]
        return create_engine(url, pool_pre_ping=True, connect_args={"application_name": name})
    path = sqlite_path(url)
    if path is None:
        engine = create_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
    _use_real_sqlite_transactions(engine, wal=path is not None)
    return engine


def _use_real_sqlite_transactions(engine: Engine, *, wal: bool) -> None:
    """SQLAlchemy's documented recipe: let SQLAlchemy, not pysqlite, emit BEGIN."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if wal:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(BEGIN_MODE, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")
