"""Typed errors of the library. The CLI renders them in one place (cli.errors).

Every error carries what a user needs to fix it: a path and line, a config key,
or a tracker and URL. Nothing below the CLI prints or exits.
"""

from __future__ import annotations

from pathlib import Path


class ActionTrackError(Exception):
    """Base class: anything actiontrack reports to a user as an error."""

    exit_code = 1
    done: str | None = None  # what a stopped sync had done ("12 of 25 created …"), set by the engine

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class SyncInterrupted(ActionTrackError):
    """Ctrl-C during a sync: what was done is saved; the exit code is the shell's 130."""

    exit_code = 130

    def __init__(self, message: str, *, done: str | None = None) -> None:
        super().__init__(message, hint="Nothing is half-done: run the same command again to resume.")
        self.done = done


class UsageError(ActionTrackError):
    """The command line asked for something that cannot be done."""

    exit_code = 2


class ConfigError(ActionTrackError):
    """The configuration file is missing, unreadable or invalid."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        key: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        place = f"{path}:{line}" if path and line else str(path) if path else ""
        where = ": ".join(part for part in (place, key or "") if part)
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.path = path
        self.key = key
        self.line = line


class InputError(ActionTrackError):
    """A postmortem file could not be read at all (used where findings cannot be)."""

    def __init__(self, message: str, *, path: Path, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class FileWriteError(InputError):
    """A postmortem file could not be written back (read-only, hard-linked, disk full …);
    the file is unchanged."""


class TrackerError(ActionTrackError):
    """A tracker refused or failed a request. Never carries a token, nor a URL's credentials."""

    def __init__(
        self,
        message: str,
        *,
        tracker: str,
        url: str | None = None,
        status: int | None = None,
        hint: str | None = None,
    ) -> None:
        from actiontrack.urls import scrub_text, strip_optional

        url = strip_optional(url)
        where = f"{tracker} at {url}" if url else tracker
        super().__init__(scrub_text(f"{where}: {message}"), hint=scrub_text(hint) if hint else None)
        self.tracker = tracker
        self.url = url
        self.status = status


class WrongTargetError(TrackerError):
    """The tracker answered that the configured site, project or repository does not exist
    (or cannot be seen): a config value to fix, never worth a retry."""

    exit_code = 2

    def __init__(self, message: str, *, tracker: str, key: str, url: str | None = None,
                 status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, tracker=tracker, url=url, status=status,
                         hint=hint or f"Check {key} in the config.")
        self.key = key


class AuthenticationError(TrackerError):
    """The tracker rejected our credentials (401/403 on who-am-I)."""


class RateLimitedError(TrackerError):
    """Retries ran out while the tracker kept limiting us; the run can be resumed.

    `created` holds what a batch create had already made before it stopped (objects of
    actiontrack.trackers.base.Created), so the engine can record them at once.
    """

    created: tuple[object, ...] = ()  # replaced, never mutated: a class default is safe


class StoreError(ActionTrackError):
    """The store could not be opened, migrated or written."""


class LockedError(ActionTrackError):
    """Another sync holds the store's lock."""


class AmbiguousWriteError(TrackerError):
    """A write may or may not have been applied (timeout or dropped connection after sending).

    Never retried blindly: the engine looks for the issue's marker first.
    """


class MissingStoreError(StoreError):
    """A read-only command found no store: nothing was ever synced here (or the config points elsewhere)."""

    exit_code = 2
