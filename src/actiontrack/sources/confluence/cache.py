"""The pages as last read, so a re-run asks Confluence only for what changed since.

A cache, not the store: everything in it can be read again from Confluence, so losing it
costs one full read and never a wrong result, and `lint` can use it without opening the
sync store. SQLite from the standard library (no ORM on this path). One file per config,
keyed by site and selection: a different site or CQL starts afresh.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from actiontrack.sources.confluence.page import PageData

_SCHEMA = """
create table if not exists pages (
    site text not null, id text not null, version integer not null, title text not null,
    url text not null, space text not null, storage text not null, last_modified text not null,
    primary key (site, id));
create table if not exists people (site text not null, key text not null, name text not null,
    primary key (site, key));
create table if not exists state (site text not null, key text not null, value text not null,
    primary key (site, key));
"""


class PageCache:
    """Pages of one selection on one site, the people they mention, and the last read's time."""

    def __init__(self, path: Path | None, site: str, selector: str, *, read_only: bool = False) -> None:
        self.site = site
        self.selector = selector
        self.read_only = read_only  # a dry run reads what is cached and changes nothing
        self._db = self._connect(path)
        if self.get("selector") != selector:  # another selection: what was cached says nothing of it
            if read_only:
                self._db.close()
                self._db = self._connect(None)
            self._reset()

    @staticmethod
    def _connect(path: Path | None) -> sqlite3.Connection:
        db = sqlite3.connect(":memory:" if path is None else str(path), isolation_level=None)
        db.executescript(_SCHEMA)
        return db

    def _reset(self) -> None:
        for table in ("pages", "state"):
            self._db.execute(f"delete from {table} where site = ?", (self.site,))
        self._db.execute("insert or replace into state values (?, ?, ?)", (self.site, "selector", self.selector))

    @classmethod
    def open(cls, path: str, site: str, selector: str, *, read_only: bool = False) -> PageCache:
        if not path or (read_only and not Path(path).exists()):
            return cls(None, site, selector)
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            return cls(target, site, selector, read_only=read_only)
        except (OSError, sqlite3.DatabaseError):  # unwritable or damaged: read everything, cache nothing
            return cls(None, site, selector)

    def close(self) -> None:
        self._db.close()

    # -- state -----------------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        row = self._db.execute("select value from state where site = ? and key = ?", (self.site, key)).fetchone()
        return str(row[0]) if row else None

    def put(self, key: str, value: str) -> None:
        if self.read_only:
            return
        self._db.execute("insert or replace into state values (?, ?, ?)", (self.site, key, value))

    # -- pages -----------------------------------------------------------------------------------

    def pages(self) -> dict[str, tuple[PageData, str]]:
        """Every cached page: id → (page, its last-modified time as the search gave it)."""
        rows = self._db.execute(
            "select id, version, title, url, space, storage, last_modified from pages where site = ?", (self.site,))
        return {row[0]: (PageData(row[0], row[2], int(row[1]), row[5], row[3], row[4]), row[6]) for row in rows}

    def save(self, pages: Iterable[tuple[PageData, str]]) -> None:
        if self.read_only:
            return
        with self._db:
            self._db.executemany(
                "insert or replace into pages values (?, ?, ?, ?, ?, ?, ?, ?)",
                [(self.site, p.id, p.version, p.title, p.url, p.space, p.storage, modified) for p, modified in pages])

    def forget(self, ids: Iterable[str]) -> None:
        if self.read_only:
            return
        with self._db:
            self._db.executemany("delete from pages where site = ? and id = ?", [(self.site, i) for i in ids])

    # -- people ----------------------------------------------------------------------------------

    def names(self) -> dict[str, str]:
        rows = self._db.execute("select key, name from people where site = ?", (self.site,))
        return {str(k): str(v) for k, v in rows}

    def save_names(self, names: dict[str, str]) -> None:
        if self.read_only:
            return
        with self._db:
            self._db.executemany("insert or replace into people values (?, ?, ?)",
                                 [(self.site, k, v) for k, v in names.items()])
