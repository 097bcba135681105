"""Confluence as a source of postmortems: which pages, read incrementally, through the one reader.

`confluence:` reads the configured selection (space / label, or CQL); `confluence:12345`
or a page URL reads one page. A selection is read incrementally: one CQL search, newest
first, walks only the pages changed since the last read (their `lastmodified` against the
server's clock, widened by the search's lag), so an unchanged space of thousands of pages
costs one request; the search's total tells when a page left the selection (deleted, or
its label removed), and only then are all ids listed once. Changed bodies come 250 a
request (Cloud v2) or 50 (Data Center), people's names 100 a request.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from actiontrack.errors import ConfigError, UsageError
from actiontrack.model import ReadResult
from actiontrack.sources.confluence.cache import PageCache
from actiontrack.sources.confluence.client import ConfluenceClient
from actiontrack.sources.confluence.page import Linking, Page, PageData, broken, missing, page_path, read_page
from actiontrack.sources.confluence.render import mentions
from actiontrack.sources.confluence.settings import KEY, ConfluenceSettings
from actiontrack.sources.confluence.storage import Node, StorageError, parse

CLOCK_SKEW = 300.0  # seconds: our clock against the server's, when the window is computed
_PAGE_PATH = re.compile(r"/pages/(?:edit-v2/|edit/)?(\d+)(?:/|$)")
_DISPLAY_PATH = re.compile(r"/display/([^/]+)/([^/?#]+)")


@dataclass(frozen=True, slots=True)
class PageSpec:
    """What the command line named: the selection (`confluence:`), a page id, or a page URL."""

    text: str
    page_id: str | None = None
    url: str | None = None

    @property
    def selection(self) -> bool:
        return self.page_id is None and self.url is None


class ConfluenceSource:
    """Reads pages for one run; the pages it returns write back through the same client."""

    name = "confluence"

    def __init__(self, settings: ConfluenceSettings, client: ConfluenceClient, cache: PageCache,
                 specs: Sequence[PageSpec] = (), *, full: bool = False,
                 clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.specs = list(specs)
        self.client = client
        self.cache = cache
        self.full = full
        self.clock = clock
        jira, jira_id = settings.jira_server, settings.jira_server_id
        server = (jira, jira_id) if jira and jira_id else None
        self.linking = Linking(server, cloud=settings.is_cloud)

    def close(self) -> None:
        self.cache.close()

    def read(self) -> list[ReadResult]:
        """The named pages (sources.base.Source): the selection, ids and URLs, each page once."""
        specs = self.specs
        pages: dict[str, PageData] = {}
        results: list[ReadResult] = []
        explicit: set[str] = set()
        if any(spec.selection for spec in specs):
            pages.update(self._selection())
        for spec in specs:
            if spec.selection:
                continue
            page_id = spec.page_id or self._id_of(spec)
            if page_id is None:
                results.append(ReadResult(_spec_path(spec), None, (missing(spec.text, "no such page"),)))
                continue
            page = pages.get(page_id) or self.client.fetch_page(page_id)
            if page is None:
                results.append(ReadResult(_spec_path(spec), None, (missing(page_id, "no such page (deleted, "
                                                                              "or not visible to this account)"),)))
                continue
            pages[page_id] = page
            explicit.add(page_id)
        return results + self._read(list(pages.values()), explicit)

    # -- which pages ---------------------------------------------------------------------------

    def _selection(self) -> dict[str, PageData]:
        selector = self.settings.selector()
        if selector is None:
            raise ConfigError("`confluence:` reads the configured pages, but none are configured",
                              key=f"{KEY}.space", hint=f"Set {KEY}.space and {KEY}.label (or {KEY}.cql), "
                                                       "or name pages: confluence:12345 or a page URL.")
        started = self.clock()
        cached = self.cache.pages()
        last = self.cache.get("read_at")
        if self.full or last is None or not cached:
            search = self.client.search(selector)
            listed, gone = search.hits, set(cached) - {h.id for h in search.hits}
        else:
            window = started - float(last) + self.settings.search_lag_seconds + CLOCK_SKEW
            search = self.client.search(selector, newer_than=window)
            listed, gone = search.hits, set()
            known = set(cached) | {h.id for h in search.hits}
            if search.total is not None and search.total != len(known):
                everything = self.client.search(selector)
                listed, gone = everything.hits, known - {h.id for h in everything.hits}
        changed = [h for h in listed if h.id not in cached or cached[h.id][1] != h.last_modified]
        fetched = {p.id: p for p in self.client.pages([h.id for h in changed])} if changed else {}
        modified = {h.id: h.last_modified for h in listed}
        gone |= {h.id for h in changed if h.id not in fetched}  # listed, then deleted before it was read
        self.cache.save((page, modified[page.id]) for page in fetched.values())
        self.cache.forget(gone)
        self.cache.put("read_at", repr(started))
        current = {pid: page for pid, (page, _) in cached.items() if pid not in gone}
        current.update(fetched)
        return current

    def deleted(self, page_ids: Sequence[str]) -> set[str]:
        """Of these pages, the ones the page API says are gone (deleted, trashed, or hidden
        from this account): one request each, asked only for stored pages a run did not read."""
        return {page_id for page_id in page_ids if self.client.fetch_page(page_id) is None}

    def _id_of(self, spec: PageSpec) -> str | None:
        """A page URL's id: /pages/123/…, ?pageId=123, or /display/SPACE/Title looked up by title."""
        assert spec.url is not None
        parts = urlsplit(spec.url)
        site = urlsplit(self.client.base_url)
        if parts.netloc.lower() != site.netloc.lower():
            raise UsageError(f"{spec.url} is not on the configured Confluence site {site.netloc}",
                             hint=f"Check {KEY}.url, or name the page as confluence:ID.")
        found = _PAGE_PATH.search(parts.path)
        if found:
            return found.group(1)
        query = parse_qs(parts.query).get("pageId")
        if query and query[0].isdigit():
            return query[0]
        display = _DISPLAY_PATH.search(parts.path)
        if display:
            space, title = unquote(display.group(1)), unquote(display.group(2).replace("+", " "))
            hits = self.client.search(f'space = "{_quote(space)}" and title = "{_quote(title)}"').hits
            return hits[0].id if hits else None
        return None

    # -- reading -------------------------------------------------------------------------------

    def _read(self, pages: list[PageData], explicit: set[str]) -> list[ReadResult]:
        roots: dict[str, Node] = {}
        results: list[ReadResult] = []
        for page in sorted(pages, key=lambda p: (p.title, p.id)):
            try:
                roots[page.id] = parse(page.storage)
            except StorageError as exc:
                results.append(ReadResult(_path(page), None, (broken(page, exc),)))
        names = self._names(roots.values())
        selection_explicit = bool(self.settings.label or self.settings.cql)
        read: list[ReadResult] = []
        for page in sorted(pages, key=lambda p: (p.title, p.id)):
            if page.id in roots:
                read.append(read_page(page, names=names, store=self.client, linking=self.linking,
                                      explicit=selection_explicit or page.id in explicit, root=roots[page.id]))
        self._share_jira_server(read)
        return results + [r for r in read if r.postmortem is not None or r.findings]

    def _names(self, roots: Iterable[Node]) -> dict[str, str]:
        names = self.cache.names()
        wanted: set[str] = set()
        for root in roots:
            wanted |= mentions(root)
        missing_keys = sorted(wanted - set(names))
        if missing_keys:
            found = self.client.user_names(missing_keys)
            self.cache.save_names(found)
            names.update(found)
        return names

    def _share_jira_server(self, results: list[ReadResult]) -> None:
        """A page without a Jira macro of its own borrows the application link another page uses."""
        if self.linking.jira_server is not None:
            return
        origins = [r.postmortem.origin for r in results if r.postmortem is not None]
        pages = [o for o in origins if isinstance(o, Page)]
        learned = next((p.rendition.jira_servers[0] for p in pages if p.rendition.jira_servers), None)
        if learned is not None:
            for page in pages:
                page.linking = Linking(learned, cloud=self.linking.cloud)


def _path(page: PageData) -> Path:
    return page_path(page.id)


def _spec_path(spec: PageSpec) -> Path:
    return Path(f"confluence:{spec.page_id or spec.text}")


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


__all__ = ["ConfluenceSource", "PageSpec"]
