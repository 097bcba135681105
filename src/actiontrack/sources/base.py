"""The source interface: one place postmortems are read from, yielding the reader's results.

Files (the reader), Confluence pages (confluence/), and whatever comes later (Notion or
Google Docs exports) all hand lint and sync the same ReadResults; a postmortem that is no
local file carries its origin (model.Origin) for locating findings and writing back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from actiontrack.model import ReadResult


class Source(Protocol):
    """Read once per run; close releases what reading held (a connection, a cache)."""

    @property
    def name(self) -> str: ...

    def read(self) -> list[ReadResult]:
        """Every postmortem this source names, as the reader reads it; bad input is findings."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class FileSource:
    """Files and folders, through the reader."""

    paths: Sequence[Path]
    exclude: Sequence[str] = ()
    name: str = "files"

    def read(self) -> list[ReadResult]:
        from actiontrack.reader import read_paths

        return read_paths(self.paths, self.exclude) if self.paths else []

    def close(self) -> None:
        """Nothing held."""
