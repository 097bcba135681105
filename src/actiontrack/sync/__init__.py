"""Sync postmortem actions to trackers: the library entry point behind `actiontrack sync`.

`sync_paths` reads the postmortems, groups them by tracker and target (front matter
`tracker:`/`project:`, else `--tracker`, else the config's default), finds stored
postmortems whose file is gone, and runs one Engine per target.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from actiontrack import catalog, judge
from actiontrack.config import Config
from actiontrack.errors import ConfigError, UsageError
from actiontrack.lint import LintReport, lint_paths
from actiontrack.model import Postmortem
from actiontrack.sources import is_page
from actiontrack.store import Store
from actiontrack.sync.engine import Engine, PlanHook, Progress, SyncOptions, SyncResult
from actiontrack.trackers.base import Tracker
from actiontrack.trackers.registry import NAMES, kind, open_tracker

if TYPE_CHECKING:
    from actiontrack.sources.confluence.source import PageSpec

__all__ = ["SyncOptions", "SyncReport", "SyncResult", "sync_paths"]

TrackerFactory = Callable[[str, Config, str | None], Tracker]


@dataclass(slots=True)
class SyncReport:
    results: list[SyncResult] = field(default_factory=list)
    lint: LintReport | None = None
    skipped_files: list[Path] = field(default_factory=list)  # unreadable: nothing synced from them
    warnings: list[str] = field(default_factory=list)  # about the run as a whole (pages out of the selection)


def group_by_target(postmortems: Iterable[Postmortem], config: Config, override: str | None, *,
                    force: bool = False) -> dict[tuple[str, str | None], list[Postmortem]]:
    """(tracker, target or None for the config's) → postmortems that go there.

    `override` (--tracker) applies to postmortems that name no tracker; sending one whose
    front matter names another tracker would open a second issue for each of its actions,
    so it is refused unless `force` (--force-tracker).
    """
    groups: dict[tuple[str, str | None], list[Postmortem]] = defaultdict(list)
    refused: list[Postmortem] = []
    for pm in postmortems:
        own = pm.tracker.lower() if pm.tracker else None
        if override and own and own != override and not force:
            refused.append(pm)
            continue
        name = ((override if force else None) or own or override or config.tracker.default).lower()
        if name not in NAMES:
            raise ConfigError(f"{pm.path}: tracker {pm.tracker!r} is not one of {', '.join(NAMES)}")
        target = pm.project if (pm.project and (own or config.tracker.default) == name) else None
        groups[(name, target)].append(pm)
    if refused:
        raise _refused(refused, override or "")
    return dict(groups)


def _refused(postmortems: Sequence[Postmortem], override: str) -> UsageError:
    named = ", ".join(f"{pm.path} (tracker: {pm.tracker})" for pm in postmortems[:5])
    more = f" and {len(postmortems) - 5} more" if len(postmortems) > 5 else ""
    return UsageError(
        f"--tracker {override} would send postmortems that name another tracker there too: {named}{more}",
        hint="Sync them without --tracker (each goes to its own tracker), or pass --force-tracker "
             "to send them to this one anyway (their actions then get issues there).")


def vanished_postmortems(store: Store, paths: Sequence[Path], read: Iterable[Postmortem],
                         unreadable: Iterable[Path]) -> dict[str, str]:
    """Stored postmortems (with linked actions) whose file under `paths` is gone, id → path.

    A file that exists but could not be read is not gone; one outside `paths` was not
    looked at; a file whose id changed left its old id behind. A Confluence page is no file
    (`confluence:ID` would resolve inside the current folder and never exist): it is never
    taken for gone here, so a run over files cannot orphan a page's issues."""
    seen = {pm.id for pm in read}
    scopes = [path.resolve() for path in paths]
    skipped = {path.resolve() for path in unreadable}
    reread = {pm.path.resolve() for pm in read}
    candidates: dict[str, str] = {}
    for row in store.postmortems():
        if row.id in seen or is_page(row.path):
            continue
        path = Path(row.path).resolve()
        inside = any(path == scope or scope in path.parents for scope in scopes)
        if inside and path not in skipped and (not path.exists() or path in reread):
            candidates[row.id] = row.path
    if not candidates:
        return {}
    links = store.links()
    return {pm_id: path for pm_id, path in candidates.items()
            if any(row.id in links for row in store.actions(postmortem_id=pm_id))}


def vanished_pages(store: Store, pages: Sequence[PageSpec], read: set[str], config: Config
                   ) -> tuple[dict[str, str], list[str]]:
    """Stored Confluence postmortems (with linked actions) this run named but did not read:
    (those whose page was deleted, id → `confluence:ID`; a warning for each that still
    exists but left the configured pages).

    Only a deletion, which the page API states, orphans a page's actions. A page that the
    selection's search no longer lists may have lost its label, or the search may lag an
    edit: orphaning on that (and closing, with --close-orphans) could close issues of a
    page that is still the team's postmortem, so it is said, and left alone."""
    from urllib.parse import urlsplit

    from actiontrack.sources import PREFIX, open_confluence

    selection = any(spec.selection for spec in pages)
    named = {spec.page_id for spec in pages if spec.page_id}
    settings = config.sources.confluence
    site = urlsplit(settings.url).hostname if settings is not None and settings.url else None
    candidates: dict[str, str] = {}  # page id → postmortem id
    for row in store.postmortems():
        if not row.path.startswith(PREFIX) or row.path in read:
            continue
        page_id = row.path[len(PREFIX):]
        if not (selection or page_id in named):
            continue
        if row.url and site and urlsplit(row.url).hostname != site:
            continue  # a page of another site this store also syncs
        candidates[page_id] = row.id
    if not candidates:
        return {}, []
    links = store.links()
    linked = {row.postmortem_id for row in store.actions(ids=list(links))}
    candidates = {page_id: pm_id for page_id, pm_id in candidates.items() if pm_id in linked}
    if not candidates:
        return {}, []
    source = open_confluence(config, pages, keep=False)
    try:
        deleted = source.deleted(sorted(candidates))
    finally:
        source.close()
    strayed = [f"{PREFIX}{page_id} is no longer among the configured pages (its label or space changed?): its "
               "actions' issues are left as they are; sync it by id to keep them, or delete the page to "
               "orphan them" for page_id in sorted(candidates) if page_id not in deleted and page_id not in named]
    return {candidates[page_id]: f"{PREFIX}{page_id}" for page_id in deleted}, strayed


def _store_url(url: str, *, dry_run: bool) -> str:
    """A dry run must change nothing, not even create the store: plan against an empty one."""
    if dry_run:
        from actiontrack.store.engine import parse_url, sqlite_path

        path = sqlite_path(parse_url(url))
        if path is not None and not path.exists():
            return "sqlite://"
    return url


def sync_paths(
    paths: Sequence[Path],
    config: Config,
    *,
    tracker: str | None = None,
    force_tracker: bool = False,
    options: SyncOptions | None = None,
    progress: Progress | None = None,
    on_plan: PlanHook | None = None,
    store: Store | None = None,
    factory: TrackerFactory | None = None,
    sleep: Callable[[float], None] = time.sleep,
    pages: Sequence[PageSpec] = (),
    clock: Callable[[], dt.datetime] | None = None,
) -> SyncReport:
    """Sync every postmortem under `paths` and every named Confluence page. Files and pages
    that could not be read are skipped."""
    from actiontrack.sources import lint_targets

    lint = lint_targets(paths, pages, config.lint, config=lambda: config, full=bool(options and options.full),
                        keep=not (options and options.dry_run)) if pages else lint_paths(paths, config.lint)
    unreadable = {f.path for f in lint.findings if f.code in (catalog.UNREADABLE_FILE.code, catalog.INVALID_TOML.code)}
    postmortems = [pm for pm in lint.postmortems if pm.path not in unreadable]
    # From the detector, not from lint's findings: a team's [lint] ignore or a noqa must not
    # change what the coverage review counts as vague.
    vague = {a.id for pm in postmortems for a in pm.actions if judge.vague(a) is not None}
    report = SyncReport(lint=lint, skipped_files=sorted(unreadable))
    make = factory or (lambda name, cfg, target: open_tracker(name, cfg, target=target))
    groups = group_by_target(postmortems, config, tracker, force=force_tracker)
    # Trackers first: a missing URL or token is reported before the store is created.
    trackers = {key: make(key[0], config, key[1]) for key in groups}
    own_store = store is None
    opened = store or Store.open(_store_url(config.store.url, dry_run=bool(options and options.dry_run)))
    try:
        vanished = vanished_postmortems(opened, paths, postmortems, unreadable)
        if pages:
            from actiontrack.sources.confluence.page import is_missing

            # A named page the API did not find is asked again below: deleted, or never there.
            read = {str(pm.path) for pm in lint.postmortems} | {
                str(f.path) for f in lint.findings if not is_missing(f)}
            deleted, strayed = vanished_pages(opened, pages, read, config)
            vanished.update(deleted)
            report.warnings += strayed
        by_target = _vanished_by_target(opened, vanished, trackers, config)
        for key in by_target:
            if key not in trackers:
                trackers[key] = make(key[0], config, key[1])
        for key in sorted(trackers, key=lambda k: (k[0], k[1] or "")):
            engine = Engine(opened, trackers[key], config, options=options or SyncOptions(),
                            progress=progress, on_plan=on_plan, sleep=sleep, **({"clock": clock} if clock else {}))
            report.results.append(engine.run(groups.get(key, []), lint.tags, vague,
                                             vanished=by_target.get(key, {})))
    finally:
        if own_store:
            opened.close()
    return report


def _vanished_by_target(store: Store, vanished: Mapping[str, str], trackers: Mapping[
        tuple[str, str | None], Tracker], config: Config) -> dict[tuple[str, str | None], dict[str, str]]:
    """Which engine orphans each vanished postmortem: the one of its actions' links."""
    if not vanished:
        return {}
    by_target: dict[tuple[str, str | None], dict[str, str]] = defaultdict(dict)
    links = store.links()
    defaults = {name: getattr(config.tracker_settings(name), kind(name).target_key, None)
                for name in {link.tracker for link in links.values()} if name in NAMES}
    for row in store.actions(ids=list(links)):
        if row.postmortem_id not in vanished:
            continue
        link = links[row.id]
        known = next((k for k, t in trackers.items() if (t.name, t.target) == (link.tracker, link.target)), None)
        key = known or (link.tracker, None if defaults.get(link.tracker) == link.target else link.target)
        by_target[key][row.postmortem_id] = vanished[row.postmortem_id]
    return dict(by_target)
