"""Confluence's state in the emulator: spaces, pages with versions and labels, people.

Every change is a new version with the emulator's time; deleting moves a page to the
trash. Search sees each page as it was `search_lag_s` ago (CQL search is an index).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from actiontrack.sandbox.clock import Clock


@dataclass(slots=True)
class Version:
    number: int
    storage: str
    title: str
    at: float
    author: str
    message: str = ""


@dataclass(slots=True)
class Page:
    id: int
    space: str
    versions: list[Version]
    labels: set[str] = field(default_factory=set)
    status: str = "current"  # current | trashed

    @property
    def current(self) -> Version:
        return self.versions[-1]

    def as_of(self, moment: float) -> Version | None:
        """The version search sees at `moment` (None: created after it)."""
        seen = [v for v in self.versions if v.at <= moment]
        return seen[-1] if seen else None


@dataclass(frozen=True, slots=True)
class Person:
    account_id: str  # Cloud
    user_key: str  # Data Center
    username: str
    display_name: str


DEFAULT_PEOPLE = (
    Person("5b10ac8d82e05b22cc7d4ef5", "8a7f808a8c0e0001", "dana", "Dana Ops"),
    Person("5b10ac8d82e05b22cc7d4ef6", "8a7f808a8c0e0002", "lee", "Lee Chen"),
    Person("5b10ac8d82e05b22cc7d4ef7", "8a7f808a8c0e0003", "tanaka", "田中 花子"),
)


class ConfluenceStore:
    """All pages of the emulated site, guarded by one lock."""

    def __init__(self, clock: Clock, spaces: tuple[str, ...], people: tuple[Person, ...] = DEFAULT_PEOPLE,
                 search_lag_s: float = 0.0, api_user: str = "demo") -> None:
        self.clock = clock
        self.lock = threading.RLock()
        self.spaces: dict[str, int] = {key: 98000 + n for n, key in enumerate(spaces, start=1)}
        self.pages: dict[int, Page] = {}
        self.people = {p.account_id: p for p in people}
        self.search_lag_s = search_lag_s
        self.api_user = api_user
        self._next_id = 65537

    def add_space(self, key: str) -> None:
        with self.lock:
            self.spaces.setdefault(key, 98000 + len(self.spaces) + 1)

    def create(self, space: str, title: str, storage: str, labels: tuple[str, ...] = (), author: str = "dana") -> Page:
        with self.lock:
            if space not in self.spaces:
                raise KeyError(f"no space {space}")
            page = Page(self._next_id, space, [Version(1, storage, title, self.clock.now(), author)], set(labels))
            self.pages[page.id] = page
            self._next_id += 1
            return page

    def edit(self, page_id: int, *, storage: str | None = None, title: str | None = None,
             author: str = "dana", message: str = "") -> Version:
        with self.lock:
            page = self.pages[page_id]
            last = page.current
            version = Version(last.number + 1, last.storage if storage is None else storage,
                              last.title if title is None else title, self.clock.now(), author, message)
            page.versions.append(version)
            return version

    def find(self, page_id: int | str) -> Page | None:
        try:
            number = int(page_id)
        except (TypeError, ValueError):
            return None
        page = self.pages.get(number)
        return page if page is not None and page.status == "current" else None

    def trash(self, page_id: int) -> None:
        with self.lock:
            self.pages[page_id].status = "trashed"

    def searchable(self) -> list[tuple[Page, Version]]:
        """Current pages as the search index has them (lagging by search_lag_s)."""
        moment = self.clock.now() - self.search_lag_s
        out = []
        for page in self.pages.values():
            if page.status != "current":
                continue
            version = page.as_of(moment) if self.search_lag_s else page.current
            if version is not None:
                out.append((page, version))
        return out

    def person(self, key: str) -> Person | None:
        found = self.people.get(key)
        if found is not None:
            return found
        return next((p for p in self.people.values() if key in (p.user_key, p.username)), None)
