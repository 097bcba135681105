"""The sync lock: one sync per store at a time, and a clear word about who holds it.

SQLite stores lock a file beside the database (an OS lock, released if the process
dies). PostgreSQL stores take a session advisory lock on a dedicated connection, which
the server releases if that connection drops, so a crashed sync never wedges the team.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlalchemy as sa
from filelock import FileLock, Timeout
from sqlalchemy import Connection, Engine

from actiontrack.errors import LockedError, StoreError

POLL_S = 0.1
# A fixed advisory-lock key for syncs ("actrsync"); advisory locks are per database.
PG_SYNC_LOCK = 0x61637472_73796E63
_PG_HOLDER = sa.text(
    "SELECT a.pid, a.application_name, a.client_addr, a.backend_start "
    "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid = :classid AND l.objid = :objid AND l.objsubid = 1"
)


def holder_label() -> str:
    """Who we are, as other processes will see us: 'pid 123 on host'."""
    return f"pid {os.getpid()} on {socket.gethostname()}"


@contextmanager
def file_lock(db_path: Path, *, wait: float) -> Iterator[None]:
    """Hold ``<db>.lock``; record the holder in ``<db>.lock.holder`` for the error message."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    info_path = db_path.with_name(db_path.name + ".lock.holder")
    lock = FileLock(lock_path, is_singleton=False)
    try:
        lock.acquire(timeout=max(wait, 0.0), poll_interval=POLL_S)
    except Timeout:
        raise _locked(f"the store {db_path}", _read_holder(info_path), wait) from None
    except OSError as exc:
        raise _unwritable(lock_path, exc) from None
    try:
        try:
            _write_holder(info_path)
        except OSError as exc:
            with suppress(OSError):
                info_path.unlink()  # no half-written holder file is left for the next run to read
            raise _unwritable(info_path, exc) from None
        yield
    finally:
        with suppress(OSError):
            info_path.unlink()
        lock.release()


def _unwritable(path: Path, exc: OSError) -> StoreError:
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    why = "no space left on the device" if full else (exc.strerror or str(exc))
    return StoreError(
        f"cannot take the sync lock: writing {path} failed: {why}",
        hint=("Free some space and run the same command again; nothing was synced or changed."
              if full else "Check that the store's folder is writable; nothing was synced or changed."))


def _write_holder(info_path: Path) -> None:
    since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    info_path.write_text(json.dumps({"holder": holder_label(), "since": since}))


def _read_holder(info_path: Path) -> str | None:
    try:
        data = json.loads(info_path.read_text())
        return f"{data['holder']} since {data['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextmanager
def advisory_lock(engine: Engine, where: str, *, wait: float) -> Iterator[None]:
    """Hold a PostgreSQL session advisory lock on a connection kept for the duration."""
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        deadline = time.monotonic() + max(wait, 0.0)
        while not _try_lock(conn):
            if time.monotonic() >= deadline:
                raise _locked(f"the store {where}", _pg_holder(conn), wait)
            time.sleep(POLL_S)
        try:
            yield
        finally:
            conn.execute(sa.select(sa.func.pg_advisory_unlock(PG_SYNC_LOCK)))


def _try_lock(conn: Connection) -> bool:
    return bool(conn.execute(sa.select(sa.func.pg_try_advisory_lock(PG_SYNC_LOCK))).scalar())


def _pg_holder(conn: Connection) -> str | None:
    """The holding backend as pg_stat_activity shows it (application_name names the host)."""
    params = {"classid": PG_SYNC_LOCK >> 32, "objid": PG_SYNC_LOCK & 0xFFFFFFFF}
    row = conn.execute(_PG_HOLDER, params).first()
    if row is None:
        return None
    who = row.application_name or f"server process {row.pid}"
    origin = f" from {row.client_addr}" if row.client_addr else ""
    since = row.backend_start.isoformat(timespec="seconds") if row.backend_start else "?"
    return f"{who}{origin} (connected since {since})"


def _locked(where: str, holder: str | None, wait: float) -> LockedError:
    by = f" by {holder}" if holder else " by another process"
    waited = f" after waiting {wait:g}s" if wait > 0 else ""
    return LockedError(
        f"another sync is running: {where} is locked{by}{waited}",
        hint="wait for that sync to finish, or retry with a longer --wait",
    )


class ThreadLock:
    """In-memory stores live in one process: a plain lock is enough."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, *, wait: float) -> Iterator[None]:
        acquired = self._lock.acquire(timeout=wait) if wait > 0 else self._lock.acquire(False)
        if not acquired:
            raise _locked("the in-memory store", None, wait)
        try:
            yield
        finally:
            self._lock.release()
