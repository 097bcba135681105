"""The Store: actiontrack's persistent state, usable on its own from Python.

One object per open database. Every write method commits before it returns: the sync
engine relies on a saved link or create intent surviving a crash one line later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from actiontrack.errors import StoreError
from actiontrack.gcpause import cycle_collector_paused
from actiontrack.model import Action, IssueState, Postmortem, TagSource
from actiontrack.store import integrity, queries
from actiontrack.store.engine import (
    BEGIN_MODE,
    create_store_engine,
    mask_url,
    parse_url,
    scrub,
    sqlite_path,
)
from actiontrack.store.lock import ThreadLock, advisory_lock, file_lock
from actiontrack.store.migrations import upgrade
from actiontrack.store.tables import (
    ActionRow,
    JournalRow,
    LinkRow,
    PostmortemRow,
    SnapshotRow,
    SyncRunRow,
    WatermarkRow,
)
from actiontrack.store.values import ActionTags, ReportRow, SnapshotEntry
from actiontrack.urls import has_credentials, strip_credentials, strip_optional

DEFAULT_URL = "sqlite:///.actiontrack/store.db"
integrity.install()  # a NULL where a value is required is reported, not used


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    """actiontrack's state in SQLite or PostgreSQL. Open with ``Store.open(url)``."""

    def __init__(self, url: URL, engine: Engine, schema_version: str | None) -> None:
        self._url = url
        self._engine = engine
        self._writer = engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"})
        self._schema_version = schema_version
        self._thread_lock = ThreadLock()

    # -- opening and closing -------------------------------------------------------

    @classmethod
    def open(cls, url: str = DEFAULT_URL) -> Store:
        """Open (creating it and its directories if needed) and apply pending migrations."""
        parsed = parse_url(url)
        try:
            engine = create_store_engine(parsed)
        except OSError as exc:
            raise StoreError(
                f"cannot create the store {mask_url(str(parsed))}: {exc.strerror or exc}"
            ) from exc
        try:
            version = upgrade(engine)
        except OSError as exc:
            engine.dispose()
            raise StoreError(f"cannot upgrade the store {mask_url(str(parsed))}: {exc.strerror or exc}"
                             f"{_at(exc)}") from None
        except SQLAlchemyError as exc:
            engine.dispose()
            reason = _reason(exc, parsed)
            if _disk_full(reason, sqlite_path(parsed)):
                raise StoreError(f"cannot open the store {mask_url(str(parsed))}: the disk is full "
                                 f"({reason})", hint=DISK_FULL_HINT) from None
            raise StoreError(f"cannot open the store {mask_url(str(parsed))}: {reason}") from None
        except StoreError as exc:
            engine.dispose()
            raise StoreError(f"{mask_url(str(parsed))}: {exc.message}", hint=exc.hint) from None
        return cls(parsed, engine, version)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def url_for_display(self) -> str:
        """The URL with any password replaced by ***, for messages and `status`."""
        return self._url.render_as_string(hide_password=True)

    @property
    def schema_version(self) -> str | None:
        """The alembic revision the store is at ("0005"…)."""
        return self._schema_version

    @property
    def backend(self) -> str:
        """"sqlite" or "postgresql"."""
        return self._url.get_backend_name()

    @property
    def path(self) -> Path | None:
        """The database file of a SQLite store, else None."""
        return sqlite_path(self._url)

    # -- transactions --------------------------------------------------------------

    @contextmanager
    def session(self, *, write: bool = False, what: str | None = None) -> Iterator[Session]:
        """A session that commits on success and rolls back on error.

        ``write=True`` takes SQLite's write lock at BEGIN, so a read-then-write cannot
        fail halfway because another process wrote in between.
        """
        with Session(self._writer if write else self._engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except SQLAlchemyError as exc:
                session.rollback()
                raise self._failed(exc, what) from exc
            except (ValueError, TypeError) as exc:
                session.rollback()
                raise self._damaged(exc, what) from None

    @contextmanager
    def _reading(self, what: str) -> Iterator[sa.Connection]:
        """A plain connection for bulk reads, with the same errors as `session`."""
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self._failed(exc, what) from exc
        except (ValueError, TypeError) as exc:
            raise self._damaged(exc, what) from None

    def _failed(self, exc: SQLAlchemyError, what: str | None) -> StoreError:
        """A database error as a StoreError naming the store and what was being done."""
        reason = _reason(exc, self._url)
        doing = f" while {what}" if what else ""
        if _disk_full(reason, self.path):
            return StoreError(f"store {self.url_for_display}: the disk is full{doing} ({reason})",
                              hint=DISK_FULL_HINT)
        return StoreError(f"store {self.url_for_display}: {reason}{doing}")

    def _damaged(self, exc: Exception, what: str | None) -> Exception:
        """A value the typed columns cannot read: name the cell, or re-raise a real bug."""
        from actiontrack.store.integrity import find_bad_cell

        try:
            cell = find_bad_cell(self._engine)
        except SQLAlchemyError:
            cell = None
        if cell is None:
            return exc  # not the data: a programming error, shown as such
        doing = f" while {what}" if what else ""
        return StoreError(
            f"store {self.url_for_display} holds a value it cannot read{doing}: {cell.describe()}",
            hint="Correct or delete that row (e.g. with sqlite3 or psql), or restore the store from "
                 "a backup; nothing was changed.")

    def _write(self, what: str | None = None) -> AbstractContextManager[Session]:
        return self.session(write=True, what=what)

    # -- postmortems and actions ---------------------------------------------------

    def save_postmortem(
        self,
        pm: Postmortem,
        *,
        seen_at: dt.datetime,
        vague_ids: Iterable[str] = (),
        tags: Mapping[str, ActionTags] | None = None,
    ) -> None:
        """Upsert a postmortem and its actions as just read; mark missing actions removed."""
        self.save_postmortems([pm], seen_at=seen_at, vague_ids=vague_ids, tags=tags)

    def save_postmortems(
        self,
        pms: Iterable[Postmortem],
        *,
        seen_at: dt.datetime,
        vague_ids: Iterable[str] = (),
        tags: Mapping[str, ActionTags] | None = None,
    ) -> None:
        """``save_postmortem`` for many files in one transaction (one fsync, not thousands).

        ``tags`` maps action id → effective tags; an action without an entry keeps what
        its file says (source "explicit" if set, else "unknown"). ``vague_ids`` are the
        actions the vague-action rule flagged.
        """
        vague = frozenset(vague_ids)
        with self._write("saving postmortems and actions (tables postmortems, actions)") as session:
            for pm in pms:
                _upsert_postmortem(session, pm, seen_at)
                _sync_actions(session, pm, seen_at, vague, tags or {})

    def mark_postmortem_removed(self, postmortem_id: str, *, seen_at: dt.datetime) -> int:
        """The file is gone: every action of it is orphaned. Returns how many changed."""
        with self._write(f"marking the actions of {postmortem_id} removed (table actions)") as session:
            rows = session.exec(
                select(ActionRow)
                .where(ActionRow.postmortem_id == postmortem_id)
                .where(col(ActionRow.removed_at).is_(None))
            ).all()
            for row in rows:
                row.removed_at = seen_at
                session.add(row)
            return len(rows)

    def forget_action(self, action_id: str) -> None:
        """Drop an action's row: a reworded action lives on under its new id (the journal
        keeps the old one), so status and reports must not show the old title as orphaned."""
        with self._write() as session:
            session.execute(sa.delete(ActionRow).where(col(ActionRow.id) == action_id))

    def postmortems(self) -> list[PostmortemRow]:
        with self.session() as session:
            return list(session.exec(select(PostmortemRow).order_by(col(PostmortemRow.id))))

    def postmortem(self, postmortem_id: str) -> PostmortemRow | None:
        with self.session() as session:
            return session.get(PostmortemRow, postmortem_id)

    def actions(
        self,
        *,
        postmortem_id: str | None = None,
        ids: Iterable[str] | None = None,
        removed: bool | None = None,
    ) -> list[ActionRow]:
        """Actions in file order. ``removed``: None all, True only orphaned, False only present."""
        query = select(ActionRow)
        if postmortem_id is not None:
            query = query.where(ActionRow.postmortem_id == postmortem_id)
        if ids is not None:
            query = query.where(col(ActionRow.id).in_(list(ids)))
        if removed is not None:
            removed_at = col(ActionRow.removed_at)
            query = query.where(removed_at.is_not(None) if removed else removed_at.is_(None))
        query = query.order_by(col(ActionRow.postmortem_id), col(ActionRow.position))
        with self.session() as session:
            return list(session.exec(query))

    def action(self, action_id: str) -> ActionRow | None:
        with self.session() as session:
            return session.get(ActionRow, action_id)

    # -- links ---------------------------------------------------------------------

    def links(self, tracker: str | None = None, target: str | None = None) -> dict[str, LinkRow]:
        """Links by action id, optionally of one tracker and target."""
        query = select(LinkRow)
        if tracker is not None:
            query = query.where(LinkRow.tracker == tracker)
        if target is not None:
            query = query.where(LinkRow.target == target)
        with self.session() as session:
            return {link.action_id: link for link in session.exec(query)}

    def link(self, action_id: str) -> LinkRow | None:
        with self.session() as session:
            return session.get(LinkRow, action_id)

    def save_link(self, link: LinkRow) -> None:
        """Insert or update one link and commit at once (the caller's object stays detached)."""
        self.save_links([link])

    def save_links(self, links: Iterable[LinkRow]) -> None:
        """Insert or update several links in one transaction: all of them, or none."""
        links = [link.model_copy(update={"url": strip_credentials(link.url)})
                 if link.url and has_credentials(link.url) else link for link in links]
        with self._write("saving tracker links (table links)") as session:
            _upsert_links(session, links)

    def delete_link(self, action_id: str) -> None:
        with self._write(f"deleting the link of action {action_id} (table links)") as session:
            session.execute(sa.delete(LinkRow).where(col(LinkRow.action_id) == action_id))

    def record_create_intent(
        self, action_id: str, *, tracker: str, target: str, at: dt.datetime | None = None
    ) -> None:
        """Save a key-less link BEFORE sending a create, so a crash after it can be found."""
        self.record_create_intents([action_id], tracker=tracker, target=target, at=at)

    def record_create_intents(
        self, action_ids: Sequence[str], *, tracker: str, target: str, at: dt.datetime | None = None
    ) -> None:
        """``record_create_intent`` for a whole batch in one transaction (one fsync, not 500).
        A key-less intent left by an earlier run is replaced whole; a linked action is refused."""
        stamp = at or _now()
        with self._write(f"saving create intents for {len(action_ids)} actions (table links)") as session:
            stored = _rows_by_id(session, LinkRow, LinkRow.action_id, action_ids)
            for action_id in action_ids:
                existing = stored.get(action_id)
                if existing is not None and existing.key is not None:
                    raise StoreError(
                        f"action {action_id} is already linked to {existing.tracker} "
                        f"{existing.target} {existing.key}"
                    )
            blank = dict.fromkeys(_link_columns(), None)
            _upsert_link_rows(session, [
                {**blank, "action_id": action_id, "tracker": tracker, "target": target,
                 "state": IssueState.OPEN, "intent_at": stamp}
                for action_id in action_ids
            ])

    def pending_creates(
        self, tracker: str | None = None, target: str | None = None
    ) -> list[LinkRow]:
        """Create intents with no issue key yet: the create may or may not have happened."""
        return sorted(
            (link for link in self.links(tracker, target).values() if link.key is None),
            key=lambda link: link.action_id,
        )

    # -- watermarks ----------------------------------------------------------------

    def watermark(self, tracker: str, target: str) -> str | None:
        """The tracker's 'updated' value up to which statuses were pulled, if any."""
        with self.session() as session:
            row = session.get(WatermarkRow, (tracker, target))
            return row.value if row else None

    def set_watermark(
        self, tracker: str, target: str, value: str, *, at: dt.datetime | None = None
    ) -> None:
        row = WatermarkRow(tracker=tracker, target=target, value=value, updated_at=at or _now())
        with self._write(f"saving the watermark of {tracker} {target} (table watermarks)") as session:
            session.merge(row)

    # -- sync runs and the journal -------------------------------------------------

    def begin_run(
        self, tracker: str, target: str, *, dry_run: bool = False, at: dt.datetime | None = None
    ) -> int:
        """Record a run as "running" and return its id."""
        run = SyncRunRow(tracker=tracker, target=target, dry_run=dry_run,
                         started_at=at or _now(), status="running")
        with self._write("recording the start of a sync run (table sync_runs)") as session:
            session.add(run)
            session.flush()
            assert run.id is not None
            return run.id

    def journal(
        self,
        run_id: int,
        action_id: str | None,
        op: str,
        detail: Mapping[str, Any] | None = None,
        *,
        at: dt.datetime | None = None,
    ) -> None:
        """Record one thing a run did ("create", "update", "pull", "conflict", ...)."""
        self.journal_many(run_id, [(action_id, op, detail)], at=at)

    def journal_many(
        self,
        run_id: int,
        entries: Iterable[tuple[str | None, str, Mapping[str, Any] | None]],
        *,
        at: dt.datetime | None = None,
    ) -> None:
        """Several journal entries (action id, op, detail) in one transaction."""
        stamp = at or _now()
        with self._write("writing the journal (table journal)") as session:
            for action_id, op, detail in entries:
                session.add(JournalRow(run_id=run_id, action_id=action_id, op=op,
                                       detail=dict(detail) if detail else None, at=stamp))

    def finish_run(
        self,
        run_id: int,
        status: str,
        counts: Mapping[str, int] | None = None,
        error: str | None = None,
        *,
        at: dt.datetime | None = None,
    ) -> None:
        """Close a run as "ok", "failed" or "interrupted", with its totals."""
        with self._write(f"recording the end of sync run {run_id} (table sync_runs)") as session:
            run = session.get(SyncRunRow, run_id)
            if run is None:
                raise StoreError(f"no sync run {run_id} in {self.url_for_display}")
            run.status, run.error, run.finished_at = status, error, at or _now()
            run.counts = dict(counts) if counts is not None else None
            session.add(run)

    def close_abandoned_runs(self, *, at: dt.datetime | None = None) -> list[int]:
        """Mark runs still "running" as "interrupted". Call it while holding sync_lock."""
        with self._write("closing abandoned sync runs (table sync_runs)") as session:
            runs = session.exec(select(SyncRunRow).where(SyncRunRow.status == "running")).all()
            for run in runs:
                run.status, run.finished_at = "interrupted", at or _now()
                session.add(run)
            return [run.id for run in runs if run.id is not None]

    def runs(
        self, tracker: str | None = None, target: str | None = None, *, limit: int = 20
    ) -> list[SyncRunRow]:
        """The latest runs, newest first."""
        query = select(SyncRunRow)
        if tracker is not None:
            query = query.where(SyncRunRow.tracker == tracker)
        if target is not None:
            query = query.where(SyncRunRow.target == target)
        query = query.order_by(col(SyncRunRow.id).desc()).limit(limit)
        with self.session() as session:
            return list(session.exec(query))

    def run_count(self, tracker: str, target: str) -> int:
        """How many runs this target has had: turns the rotating deleted-issue check."""
        query = sa.select(sa.func.count()).select_from(SyncRunRow).where(
            col(SyncRunRow.tracker) == tracker, col(SyncRunRow.target) == target)
        with self.session() as session:
            return int(session.execute(query).scalar() or 0)

    def journal_entries(self, run_id: int) -> list[JournalRow]:
        query = select(JournalRow).where(JournalRow.run_id == run_id).order_by(col(JournalRow.id))
        with self.session() as session:
            return list(session.exec(query))

    # -- reports and snapshots -----------------------------------------------------

    def report_rows(self, *, include_removed: bool = True) -> list[ReportRow]:
        """Every action with its link state and effective due date (see queries.STATE)."""
        with cycle_collector_paused(), self._reading("reading actions and links for a report") as conn:
            rows = conn.execute(queries.report_query(include_removed=include_removed)).all()
            if any(row[0] is None or row[2] is None for row in rows):  # id, title: NULL is damage
                raise self._damaged(ValueError("NULL in a required column"), "reading actions for a report")
            return [ReportRow._make(row) for row in rows]

    def count_by(
        self, *dimensions: str, include_removed: bool = False
    ) -> dict[tuple[Any, ...], int]:
        """Action counts grouped by any of queries.DIMENSIONS, computed in the database."""
        query = queries.count_query(dimensions, include_removed=include_removed)
        with self._reading("counting actions") as conn:
            rows = conn.execute(query).all()
        return {tuple(row[:-1]): int(row[-1]) for row in rows}

    def take_snapshot(
        self,
        as_of: dt.date,
        entries: Iterable[SnapshotEntry],
        *,
        taken_at: dt.datetime | None = None,
    ) -> int:
        """Store the report's view on ``as_of``, replacing an earlier one of the same date."""
        stamp = {"as_of": as_of, "taken_at": taken_at or _now()}
        rows = [{**entry._asdict(), **stamp} for entry in entries]
        with self._write(f"saving the snapshot of {as_of} (table snapshots)") as session:
            table = queries.snapshots_t
            session.execute(sa.delete(table).where(table.c.as_of == as_of))
            if rows:
                session.execute(sa.insert(table), rows)
        return len(rows)

    def snapshot(self, as_of: dt.date) -> list[SnapshotEntry]:
        with cycle_collector_paused(), self._reading(f"reading the snapshot of {as_of}") as conn:
            rows = conn.execute(queries.snapshot_query(as_of)).all()
            return [SnapshotEntry._make(row) for row in rows]

    def previous_snapshot_date(self, before: dt.date) -> dt.date | None:
        """The latest snapshot date strictly before ``before`` (last week's, usually)."""
        query = sa.select(sa.func.max(SnapshotRow.as_of)).where(col(SnapshotRow.as_of) < before)
        with self.session() as session:
            value = session.execute(query).scalar()
            return value if isinstance(value, dt.date) else None

    # -- the sync lock -------------------------------------------------------------

    @contextmanager
    def sync_lock(self, *, wait: float = 0) -> Iterator[None]:
        """Hold the store's sync lock; raise LockedError if not free within ``wait`` s."""
        path = self.path
        if self.backend == "postgresql":
            lock = advisory_lock(self._engine, self.url_for_display, wait=wait)
        elif path is not None:
            lock = file_lock(path, wait=wait)
        else:
            lock = self._thread_lock.hold(wait=wait)
        with lock:
            yield


def _disk_full(reason: str, path: Path | None) -> bool:
    """SQLite says "database or disk is full", or only "disk I/O error" when the WAL's shared
    memory file cannot grow: then the free space of the store's disk decides."""
    lowered = reason.lower()
    if "disk is full" in lowered or "no space left" in lowered or "disk full" in lowered:
        return True
    if "disk i/o error" not in lowered or path is None:
        return False
    try:
        usage = os.statvfs(path.parent)
    except OSError:
        return False
    return usage.f_bavail * usage.f_frsize < 256 * 1024


DISK_FULL_HINT = ("Free some space and run the same command again: the transaction was rolled back, "
                  "so nothing was half-written.")


def _at(exc: OSError) -> str:
    return f" ({exc.filename})" if exc.filename else ""


def _reason(exc: SQLAlchemyError, url: URL) -> str:
    """The driver's own words (first line), never the password."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return scrub(text[0] if text else type(exc).__name__, url)


def _link_columns() -> list[str]:
    return [column.name for column in LinkRow.__table__.columns]  # type: ignore[attr-defined]


def _upsert_links(session: Session, links: Sequence[LinkRow]) -> None:
    """Insert or replace whole link rows: see `_upsert_link_rows`."""
    names = _link_columns()
    _upsert_link_rows(session, [{name: getattr(link, name) for name in names} for link in links])


def _upsert_link_rows(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert or replace whole link rows in one statement (INSERT … ON CONFLICT DO UPDATE):
    a merge per link reads each row back first and copies it attribute by attribute, which
    was most of a 500-action first sync's time. The last of two rows for one action wins."""
    unique = list({row["action_id"]: row for row in rows}.values())
    if not unique:
        return
    from sqlalchemy.dialects import postgresql, sqlite

    table = LinkRow.__table__  # type: ignore[attr-defined]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.action_id],
        set_={column.name: statement.excluded[column.name] for column in table.columns if column.name != "action_id"},
    )
    session.execute(statement, unique)


_IN_CHUNK = 500  # ids per IN (...): far below SQLite's and PostgreSQL's parameter limits


def _rows_by_id(session: Session, table: Any, key: Any, ids: Sequence[str]) -> dict[str, Any]:
    """The stored rows of `table` whose `key` column is one of `ids`, by that key."""
    found: dict[str, Any] = {}
    wanted = list(dict.fromkeys(ids))
    for start in range(0, len(wanted), _IN_CHUNK):
        for row in session.exec(select(table).where(col(key).in_(wanted[start:start + _IN_CHUNK]))):
            found[getattr(row, key.key)] = row
    return found


def _upsert_postmortem(session: Session, pm: Postmortem, seen_at: dt.datetime) -> None:
    row = session.get(PostmortemRow, pm.id)
    values = {
        "path": str(pm.path), "title": pm.title, "date": pm.date, "severity": pm.severity,
        "url": strip_optional(pm.url), "tracker": pm.tracker, "project": pm.project, "last_seen_at": seen_at,
    }
    if row is None:
        row = PostmortemRow(id=pm.id, path=str(pm.path), title=pm.title,
                            first_seen_at=seen_at, last_seen_at=seen_at)
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()  # actions reference it


def _sync_actions(
    session: Session,
    pm: Postmortem,
    seen_at: dt.datetime,
    vague: frozenset[str],
    tags: Mapping[str, ActionTags],
) -> None:
    """Upsert pm's actions; orphan stored ones no longer in the file, revive returning ones."""
    stored = {
        row.id: row
        for row in session.exec(select(ActionRow).where(ActionRow.postmortem_id == pm.id))
    }
    # An action may have moved here from another file: its row is looked up by id, in one
    # SELECT for the file's new ids rather than one per action.
    stored.update(_rows_by_id(session, ActionRow, ActionRow.id,
                              [action.id for action in pm.actions if action.id not in stored]))
    for action in pm.actions:
        values = _action_values(action, tags.get(action.id), action.id in vague)
        row = stored.get(action.id)
        if row is None:
            row = ActionRow(id=action.id, first_seen_at=seen_at, **values)
            stored[action.id] = row
        for name, value in values.items():
            setattr(row, name, value)
        row.last_seen_at, row.removed_at = seen_at, None
        session.add(row)
    present = {action.id for action in pm.actions}
    for row in stored.values():
        if row.id not in present and row.removed_at is None:
            row.removed_at = seen_at
            session.add(row)


def _action_values(action: Action, tags: ActionTags | None, vague: bool) -> dict[str, Any]:
    tags = tags or _file_tags(action)
    return {
        "postmortem_id": action.postmortem_id, "position": action.position,
        "title": action.title, "text": action.text or action.title,
        "owner": action.owner, "due": action.due, "priority": action.priority,
        "phase": tags.phase.value if tags.phase else None,
        "category": tags.category.value if tags.category else None,
        "phase_source": tags.phase_source.value, "category_source": tags.category_source.value,
        "vague": vague, "done_in_file": action.done, "content_hash": content_hash(action),
    }


def _file_tags(action: Action) -> ActionTags:
    """Tags as written in the file, when the caller passed no suggestions."""
    return ActionTags(
        phase=action.phase,
        phase_source=TagSource.EXPLICIT if action.phase else TagSource.UNKNOWN,
        category=action.category,
        category_source=TagSource.EXPLICIT if action.category else TagSource.UNKNOWN,
    )


def content_hash(action: Action) -> str:
    """A digest of what the author wrote for an action: changes iff the file's action did."""
    fields: Sequence[object] = (
        action.title, action.text, action.owner, action.due.isoformat() if action.due else None,
        action.phase.value if action.phase else action.raw_phase,
        action.category.value if action.category else action.raw_category,
        action.priority, action.done, action.status,
    )
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()
