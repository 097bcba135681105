"""Test-side control of the emulated Confluence: pages created, edited and deleted as a person
would in the editor (never counted as API requests, never faulted)."""

from __future__ import annotations

from typing import Any

from actiontrack.sandbox.confluence_state import ConfluenceStore, Page
from actiontrack.sandbox.control import ControlError


class ConfluenceControl:
    def __init__(self, store: ConfluenceStore) -> None:
        self._store = store

    def _page(self, page_id: str) -> Page:
        try:
            return self._store.pages[int(page_id)]
        except (KeyError, ValueError):
            raise ControlError(f"no Confluence page {page_id}") from None

    def view(self, page: Page) -> dict[str, Any]:
        version = page.current
        return {"id": str(page.id), "space": page.space, "title": version.title, "version": version.number,
                "storage": version.storage, "labels": sorted(page.labels), "status": page.status,
                "author": version.author, "message": version.message}

    def create_page(self, space: str, title: str, storage: str, *, labels: tuple[str, ...] = (),
                    author: str = "dana") -> str:
        """A new page (version 1); its id."""
        if space not in self._store.spaces:
            self._store.add_space(space)
        return str(self._store.create(space, title, storage, labels, author).id)

    def edit_page(self, page_id: str, *, storage: str | None = None, title: str | None = None,
                  author: str = "dana") -> int:
        """A person's edit: a new version; its number."""
        return self._store.edit(self._page(page_id).id, storage=storage, title=title, author=author).number

    def delete_page(self, page_id: str) -> None:
        """Move the page to the trash: the API no longer finds it."""
        self._store.trash(self._page(page_id).id)

    def label(self, page_id: str, *labels: str, remove: bool = False) -> None:
        """Labels change without a new version (as in Confluence)."""
        with self._store.lock:
            page = self._page(page_id)
            if remove:
                page.labels -= set(labels)
            else:
                page.labels |= set(labels)

    def page(self, page_id: str) -> dict[str, Any]:
        with self._store.lock:
            return self.view(self._page(page_id))

    def pages(self, space: str | None = None) -> list[dict[str, Any]]:
        with self._store.lock:
            return [self.view(p) for p in self._store.pages.values() if space is None or p.space == space]
