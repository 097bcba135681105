"""One Confluence page as a postmortem: read through the one reader, located, written back.

`read_page` renders the storage format (render.py) and reads the rendition with
`reader.read_text`, so a page yields the same Postmortem and findings a Markdown file
would. The Postmortem's origin is the `Page`: it names places by the page's own words
("障害の記録 › 再発防止策 › row 2") with a link, and writes issue keys back into the
storage text at the anchors' mapped offsets (a Jira issue macro for Jira, a link
otherwise) and ticks tasks whose issue is done.

Write-back follows sync/writeback.py's rules: every edit is checked by reading the edited
page again (same action id, owner, due date, title, now with the key); nothing else in
the storage text changes; the update names the version that was read, so a person's edit
since then (Confluence's 409) refuses that page with a message and loses nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from actiontrack import catalog
from actiontrack.model import Action, Finding, Postmortem, ReadResult
from actiontrack.sources.confluence.render import Names, Rendition, render
from actiontrack.sources.confluence.storage import Node, StorageError, escape, parse

if TYPE_CHECKING:
    from actiontrack.sync.writeback import WriteBack

PLACEHOLDERS = frozenset({"", "-", "—", "–", "TBD", "n/a", "未定"})
Edit = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class PageData:
    """A page as the API gave it: enough to read it and to update it."""

    id: str
    title: str
    version: int
    storage: str
    url: str
    space: str = ""


class PageConflict(Exception):
    """The page changed since it was read (HTTP 409): `current` is its version now, if known."""

    def __init__(self, current: int | None = None) -> None:
        super().__init__(current)
        self.current = current


class PageGone(Exception):
    """The page no longer exists (deleted or moved to the trash)."""


class PageRefused(Exception):
    """Confluence refused the new storage text (HTTP 400): the reason, in its words."""


class PageStore(Protocol):
    """What write-back needs from a Confluence client."""

    def update_page(self, page: PageData, storage: str) -> int:
        """Store `storage` as version page.version + 1; the new version. Raises PageConflict,
        PageGone, PageRefused; AmbiguousWriteError when no answer came."""
        ...

    def fetch_page(self, page_id: str) -> PageData | None:
        """The page as it is now (None when gone), for checking what an unanswered update did."""
        ...


@dataclass(frozen=True, slots=True)
class Linking:
    """How keys go into pages: the Jira macro's server (learned or configured)."""

    jira_server: tuple[str, str] | None = None  # (server name, serverId)
    cloud: bool = False  # a Cloud site: mentions are Atlassian accounts, shared with its Jira


def page_path(page_id: str) -> Path:
    """The name a page goes by wherever files have a path (store rows, messages): confluence:ID."""
    return Path(f"confluence:{page_id}")


def read_page(data: PageData, *, names: Names | None = None, store: PageStore | None = None,
              linking: Linking | None = None, explicit: bool = True, root: Node | None = None) -> ReadResult:
    """A page as a postmortem, or a finding naming the page when its storage text is broken."""
    try:
        rendition = render(root if root is not None else parse(data.storage), data.title, names)
    except StorageError as exc:
        return ReadResult(page_path(data.id), None, (broken(data, exc),))
    page = Page(data, rendition, dict(names or {}), store, linking or Linking())
    return page.read(explicit=explicit)


def broken(data: PageData, exc: StorageError) -> Finding:
    """The finding for a page whose storage text does not parse: it names the page, never a traceback."""
    finding = catalog.UNREADABLE_FILE.finding(
        page_path(data.id), 1, f"cannot read the page's storage format: {exc}",
        fix="Open the page in Confluence and save it again (the editor repairs it), or fix it "
            "through the API; nothing was read from it.")
    return finding._replace(place=f"{data.title} (storage format line {exc.line})", link=data.url)


_MISSING = "cannot read Confluence page "


def missing(page_id: str, why: str) -> Finding:
    """The finding for a page that was named but cannot be read."""
    finding = catalog.UNREADABLE_FILE.finding(
        page_path(page_id), 1, f"{_MISSING}{page_id}: {why}",
        fix="Check the page id or URL, and that the account in [sources.confluence] may view the page.")
    return finding._replace(place=f"confluence:{page_id}")


def is_missing(finding: Finding) -> bool:
    """Whether a finding is missing()'s: a named page the API did not find (deleted, or never
    there), which sync asks about again, unlike a page that was read and did not parse."""
    return finding.code == catalog.UNREADABLE_FILE.code and finding.message.startswith(_MISSING)


class Page:
    """The origin of a postmortem read from a Confluence page (model.Origin)."""

    kind = "confluence"

    def __init__(self, data: PageData, rendition: Rendition, names: dict[str, str], store: PageStore | None,
                 linking: Linking) -> None:
        self.data = data
        self.rendition = rendition
        self.names = names
        self.store = store
        self.linking = linking
        self.link = data.url
        self.path = page_path(data.id)

    def __repr__(self) -> str:
        return f"Page(id={self.data.id!r}, version={self.data.version})"

    def read(self, *, explicit: bool = True) -> ReadResult:
        from actiontrack.reader import read_text

        result = read_text(self.path, self.rendition.text, explicit=explicit)
        findings = tuple(self.locate(f) for f in result.findings)
        pm = result.postmortem
        if pm is None:
            return ReadResult(self.path, None, findings)
        pm = dataclasses.replace(pm, url=self.data.url, origin=self)
        return ReadResult(self.path, pm, findings)

    # -- model.Origin --------------------------------------------------------------------------

    def describe(self, line: int) -> str:
        place = self.rendition.place(line)
        parts = [self.data.title]
        if place.section and place.section != self.data.title:
            parts.append(place.section)
        if place.detail:
            parts.append(place.detail)
        return " › ".join(parts)

    def account(self, owner: str, tracker: str, tracker_url: str) -> str | None:
        """A mentioned person's Atlassian account id, for Jira Cloud on the same site: no
        [owners] entry needed for people the page mentions."""
        from urllib.parse import urlsplit

        if tracker != "jira" or not self.linking.cloud:
            return None
        if urlsplit(tracker_url).netloc.lower() != urlsplit(self.data.url).netloc.lower():
            return None
        mentioned = {name: key for key, name in self.names.items() if key in self.rendition.people}
        return mentioned.get(owner.lstrip("@"))

    def locate(self, finding: Finding) -> Finding:
        if finding.place is not None:
            return finding
        return finding._replace(place=self.describe(finding.line), link=self.link)

    def write_back(self, postmortem: Postmortem, links: Mapping[str, object]) -> WriteBack:
        from actiontrack.reader.edits import apply
        from actiontrack.sync.writeback import WriteBack, plan_keys

        result = WriteBack(self.path)
        planned = plan_keys(
            postmortem.actions, links, self.rendition.text, self._reading, self.data.storage,
            tick=lambda action, link: [edit] if (edit := self._tick(action, link)) is not None else [],
            candidates=self._candidates, where=lambda action: self.describe(action.line), suffix=f" ({self.link})")
        result.changed, result.refused = planned.changed, planned.refused
        if not planned.edits:
            return result
        self._store(apply(self.data.storage, planned.edits), result)
        return result

    # -- planning ------------------------------------------------------------------------------

    def _candidates(self, action: Action, link: object, ref: str) -> list[Edit]:
        anchor = action.anchor
        assert anchor is not None
        content = self._content(link, ref)
        if anchor.shape == "row":
            return self._row_candidates(action, content)
        if anchor.shape in ("item", "plain"):
            at = self.rendition.storage_after(anchor.insert_at)
            return [(at, at, f" {content}"), (at, at, f", {content}")]
        return []

    def _row_candidates(self, action: Action, content: str) -> list[Edit]:
        anchor = action.anchor
        assert anchor is not None
        out: list[Edit] = []
        columns = list(anchor.columns)
        if "ticket" in columns:
            cell = self.rendition.cell(anchor.start, columns.index("ticket"))
            if cell is not None and self.rendition.text[cell.start : cell.end].strip() in PLACEHOLDERS:
                out += self._fill(cell.start, cell.end, cell.insert_at, cell.empty_p, content)
        if "title" in columns:
            cell = self.rendition.cell(anchor.start, columns.index("title"))
            if cell is not None and cell.end > cell.start:
                at = self.rendition.storage_after(cell.end)
                out.append((at, at, f" {content}"))
        return out

    def _fill(self, start: int, end: int, insert_at: int, empty_p: tuple[int, int] | None, content: str) -> list[Edit]:
        if empty_p is not None:
            return [(empty_p[0], empty_p[1], f"<p>{content}</p>")]
        if end > start:  # a placeholder ("TBD", "-"): replace its characters
            segments = [s for s in self.rendition.segments if s.start >= start and s.end <= end]
            if segments and all(s.exact for s in segments):
                return [(segments[0].stor_start, segments[-1].stor_end, content)]
            return []
        return [(insert_at, insert_at, content)] if insert_at >= 0 else []

    def _content(self, link: object, ref: str) -> str:
        """A Jira issue macro for a Jira key, a link for anything else."""
        if getattr(link, "tracker", None) == "jira" and "://" not in ref:
            server = self.linking.jira_server or (self.rendition.jira_servers[0] if self.rendition.jira_servers
                                                  else None)
            params = "".join(f'<ac:parameter ac:name="{name}">{escape(value)}</ac:parameter>'
                             for name, value in (("server", server[0]), ("serverId", server[1]))) if server else ""
            return (f'<ac:structured-macro ac:name="jira" ac:schema-version="1">{params}'
                    f'<ac:parameter ac:name="key">{escape(ref)}</ac:parameter></ac:structured-macro>')
        url = getattr(link, "url", None) or ref
        return f'<a href="{escape(url)}">{escape(ref)}</a>'

    def _tick(self, action: Action, link: object) -> Edit | None:
        anchor = action.anchor
        if getattr(link, "state", None) != "done" or action.done or anchor is None or anchor.checkbox_at is None:
            return None
        span = self.rendition.checkboxes.get(anchor.checkbox_at)
        if span is None or self.data.storage[span[0] : span[1]] != "incomplete":
            return None
        return (span[0], span[1], "complete")

    def _reading(self, storage: str) -> Sequence[Action]:
        """reader.edits' reading of an edited page: its actions as the page would read."""
        pm = self.reread(storage)
        return pm.actions if pm is not None else ()

    def reread(self, storage: str) -> Postmortem | None:
        """The postmortem an edited storage text reads as (None when it no longer parses)."""
        from actiontrack.reader import read_text

        try:
            rendition = render(parse(storage), self.data.title, self.names)
        except StorageError:
            return None
        return read_text(self.path, rendition.text).postmortem

    # -- storing -------------------------------------------------------------------------------

    def _store(self, storage: str, result: WriteBack) -> None:
        from actiontrack.errors import AmbiguousWriteError, TrackerError

        where = f"{self.data.title} ({self.link})"
        if self.store is None:
            result.refused.append(f"{where}: no connection to Confluence; nothing written")
            result.changed = 0
            return
        try:
            self.store.update_page(self.data, storage)
            return
        except PageConflict as conflict:
            now = f", now {conflict.current}" if conflict.current else ""
            message = (f"{where}: edited in Confluence since it was read (version {self.data.version}{now}); "
                       "nothing written, nothing lost: run sync again to add the keys")
        except PageGone:
            message = f"{where}: the page was deleted since it was read; nothing written"
        except PageRefused as refused:
            message = f"{where}: Confluence refused the edited page ({refused}); nothing written"
        except AmbiguousWriteError:
            lost = self._after_lost_answer(storage, where)
            if lost is None:
                return
            message = lost
        except TrackerError as error:
            message = f"{where}: the update failed ({error.message}); nothing written"
        result.refused.append(message)
        result.changed = 0

    def _after_lost_answer(self, storage: str, where: str) -> str | None:
        """No answer to the update: read the page to learn whether it was applied (never resend blindly)."""
        assert self.store is not None
        try:
            now = self.store.fetch_page(self.data.id)
        except Exception:  # a second failure: say what is known
            now = None
        if now is not None and now.version == self.data.version + 1 and self._same_reading(now.storage, storage):
            return None
        return (f"{where}: no answer to the update, and the page does not show it; nothing lost: "
                "run sync again to add the keys")

    def _same_reading(self, stored: str, sent: str) -> bool:
        """Confluence rewrites storage on save (macro ids, empty elements): compare what it reads as."""
        mine, theirs = self.reread(sent), self.reread(stored)
        if mine is None or theirs is None:
            return False
        return [(a.id, a.ticket, a.done) for a in mine.actions] == [(a.id, a.ticket, a.done) for a in theirs.actions]
