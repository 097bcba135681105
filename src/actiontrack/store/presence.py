"""Whether a store exists, without creating one.

`Store.open` creates the database and its schema, as `sync` needs. The read-only
commands (status, report, remind) must not: a misconfigured CI job that reports from an
empty store it just made would stay green for ever.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from actiontrack.errors import MissingStoreError, StoreError
from actiontrack.store.engine import create_store_engine, is_memory, mask_url, parse_url, scrub, sqlite_path

_HINT = "Check [store] url in the config, or sync first so there is something to show."


def require_store(url: str) -> None:
    """Raise MissingStoreError unless the store at `url` exists and has been set up by a sync."""
    parsed = parse_url(url)
    shown = mask_url(str(parsed))
    if is_memory(parsed):
        raise MissingStoreError(f"no store at {shown}: an in-memory store holds nothing between runs",
                                hint=_HINT)
    path = sqlite_path(parsed)
    if path is not None and not path.is_file():
        raise MissingStoreError(f"no store at {path}: run `actiontrack sync` first", hint=_HINT)
    engine = create_store_engine(parsed)
    try:
        with engine.connect() as connection:
            present = sa.inspect(connection).has_table("actions")
    except SQLAlchemyError as exc:
        lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        reason = scrub(lines[0] if lines else type(exc).__name__, parsed)
        raise StoreError(f"cannot open the store {shown}: {reason}") from None
    finally:
        engine.dispose()
    if not present:
        raise MissingStoreError(f"no store at {shown}: run `actiontrack sync` first", hint=_HINT)
