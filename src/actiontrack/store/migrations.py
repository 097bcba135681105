"""Schema migrations through alembic: the store upgrades itself when it is opened.

The revisions live in the package (actiontrack/store/schema/versions), so no alembic.ini
is needed at run time. Policy (docs/store.md): revisions are append-only; a released one
is never edited. Each runs in its own transaction together with the update of
``alembic_version``, so a step either happened completely and is recorded, or not at all.
One process upgrades at a time (a PostgreSQL advisory lock; a lock file beside a SQLite
store), and a store already at head costs one query.

Stores written before alembic (release 0.1: our own ``schema_migrations`` table, versions
1–3) are stamped with the matching revision and upgraded from there; revision 0004 then
records version 4 in that table so that those releases refuse the newer store.

Developers: ``python -m actiontrack.store.migrations revision -m "add reminders"
--autogenerate`` (against a scratch SQLite store) writes a new revision file; the test
suite runs ``alembic check`` so that tables.py and the revisions cannot drift apart.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from actiontrack.errors import StoreError
from actiontrack.store.engine import sqlite_path

# The revision each version of the pre-alembic schema_migrations table corresponds to.
LEGACY_REVISIONS: Mapping[int, tuple[str, str]] = {
    1: ("initial_schema", "0001"),
    2: ("add_snapshots", "0002"),
    3: ("add_report_indexes", "0003"),
}
_PG_MIGRATION_LOCK = 0x61637472_6D696772  # "actrmigr": one migrating process per database


@contextmanager
def _script_location() -> Iterator[Path]:
    with as_file(files("actiontrack.store").joinpath("schema")) as path:
        yield Path(path)


def alembic_config(connection: Connection | None = None, *, location: Path | None = None) -> AlembicConfig:
    """An alembic Config without a file: the packaged scripts, and our connection if given."""
    config = AlembicConfig()
    with _script_location() as default:
        config.set_main_option("script_location", str(location or default))
    config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the packaged schema has no revisions"
    return head


def configure_context(context: Any) -> None:
    """What env.py does: migrations on our connection, one transaction per revision."""
    from sqlmodel import SQLModel

    import actiontrack.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

    connection = context.config.attributes.get("connection")
    if connection is None:
        raise StoreError("alembic was run without a store connection",
                         hint="use actiontrack.store.migrations (it passes the store's connection)")
    context.configure(connection=connection, target_metadata=SQLModel.metadata,
                      transaction_per_migration=True, compare_type=True,
                      render_as_batch=connection.dialect.name == "sqlite")
    context.run_migrations()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, *, target: str = "head") -> str | None:
    """Bring the store to ``target`` (default: the newest revision); return its revision.

    Refuses a store that is newer than this code or whose history differs from it.
    """
    script = script_directory()
    head = script.get_current_head()
    if target == "head" and current_revision(engine) == head:
        return head
    with _migration_lock(engine), engine.connect() as conn:
        _adopt_legacy_history(conn, script)
        current = MigrationContext.configure(conn).get_current_revision()
        _check_known(current, script)
        if current != (head if target == "head" else target):
            conn.commit()  # alembic opens its own transaction per revision
            command.upgrade(alembic_config(conn), target)
        conn.commit()
        return MigrationContext.configure(conn).get_current_revision()


def _check_known(current: str | None, script: ScriptDirectory) -> None:
    if current is None:
        return
    try:
        script.get_revision(current)
    except Exception:  # alembic raises several types for an unknown revision
        raise StoreError(
            f"the store is at schema revision {current!r}, which this actiontrack does not know "
            f"(it knows up to {script.get_current_head()!r})",
            hint="upgrade actiontrack: the store was written by a newer release",
        ) from None


def _adopt_legacy_history(conn: Connection, script: ScriptDirectory) -> None:
    """A store of release 0.1 (schema_migrations, no alembic_version): stamp its revision."""
    inspector = sa.inspect(conn)
    if inspector.has_table("alembic_version") or not inspector.has_table("schema_migrations"):
        return
    rows = conn.execute(sa.text("SELECT version, name FROM schema_migrations")).all()
    done = {int(version): str(name) for version, name in rows}
    if not done:
        return
    newest = max(done)
    for version, name in done.items():
        expected = LEGACY_REVISIONS.get(version)
        if expected is None:
            raise StoreError(
                f"the store is at schema version {newest}, newer than this actiontrack "
                f"(which knows up to version {max(LEGACY_REVISIONS)})",
                hint="upgrade actiontrack; the store was written by a newer release",
            )
        if expected[0] != name:
            raise StoreError(
                f"the store's migration {version} is {name!r}, this actiontrack expects {expected[0]!r}",
                hint="the store was written by a different build of actiontrack",
            )
    if set(done) != set(range(1, newest + 1)):
        raise StoreError(f"the store's migration history has gaps: {sorted(done)}",
                         hint="the store was written by a different build of actiontrack")
    conn.commit()
    command.stamp(alembic_config(conn), LEGACY_REVISIONS[newest][1])
    conn.commit()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """One migrating process at a time; the others wait, then find the store at head."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(sa.select(sa.func.pg_advisory_lock(_PG_MIGRATION_LOCK)))
            try:
                yield
            finally:
                conn.execute(sa.select(sa.func.pg_advisory_unlock(_PG_MIGRATION_LOCK)))
        return
    path = sqlite_path(engine.url)
    if path is None:
        with nullcontext():
            yield
        return
    from filelock import FileLock

    with FileLock(path.with_name(path.name + ".migrate.lock"), is_singleton=False):
        yield


def main(argv: list[str]) -> int:
    """`python -m actiontrack.store.migrations revision -m MSG [--autogenerate] [--store URL]`,
    `… check [--store URL]`: the alembic commands a developer needs, on a store of choice."""
    import argparse

    from actiontrack.store.engine import create_store_engine, parse_url

    parser = argparse.ArgumentParser(prog="python -m actiontrack.store.migrations")
    parser.add_argument("command", choices=("revision", "check", "upgrade", "current"))
    parser.add_argument("-m", "--message", default="change")
    parser.add_argument("--autogenerate", action="store_true")
    parser.add_argument("--store", default="sqlite:///.actiontrack/dev-schema.db")
    args = parser.parse_args(argv)
    engine = create_store_engine(parse_url(args.store))
    try:
        if args.command in ("revision", "check"):
            upgrade(engine)
        with engine.connect() as conn:
            config = alembic_config(conn, location=Path(__file__).with_name("schema"))
            if args.command == "revision":
                number = len(list(script_directory().walk_revisions())) + 1
                command.revision(config, message=args.message, autogenerate=args.autogenerate,
                                 rev_id=f"{number:04d}")
            elif args.command == "check":
                command.check(config)
            elif args.command == "upgrade":
                upgrade(engine)
            print(current_revision(engine))
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
