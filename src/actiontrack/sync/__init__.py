"""Sync postmortem actions to trackers: the library entry point behind `actiontrack sync`.

`sync_paths` reads the postmortems, groups them by tracker and target (front matter
`tracker:`/`project:` or the config's default), and runs one Engine per target.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from actiontrack import catalog, judge
from actiontrack.config import Config
from actiontrack.errors import ConfigError
from actiontrack.lint import LintReport, lint_paths
from actiontrack.model import Postmortem
from actiontrack.store import Store
from actiontrack.sync.engine import Engine, PlanHook, Progress, SyncOptions, SyncResult
from actiontrack.trackers.base import Tracker
from actiontrack.trackers.registry import NAMES, open_tracker

if TYPE_CHECKING:
    from actiontrack.sources.confluence.source import PageSpec

__all__ = ["SyncOptions", "SyncReport", "SyncResult", "sync_paths"]

TrackerFactory = Callable[[str, Config, str | None], Tracker]


@dataclass(slots=True)
class SyncReport:
    results: list[SyncResult] = field(default_factory=list)
    lint: LintReport | None = None
    skipped_files: list[Path] = field(default_factory=list)  # unreadable: nothing synced from them


def group_by_target(postmortems: Iterable[Postmortem], config: Config, override: str | None) -> dict[
        tuple[str, str | None], list[Postmortem]]:
    """(tracker, target or None for the config's) → postmortems that go there."""
    groups: dict[tuple[str, str | None], list[Postmortem]] = defaultdict(list)
    for pm in postmortems:
        name = (override or pm.tracker or config.tracker.default).lower()
        if name not in NAMES:
            raise ConfigError(f"{pm.path}: tracker {pm.tracker!r} is not one of {', '.join(NAMES)}")
        target = pm.project if (pm.project and (override is None or override == pm.tracker)) else None
        groups[(name, target)].append(pm)
    return dict(groups)


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
    options: SyncOptions | None = None,
    progress: Progress | None = None,
    on_plan: PlanHook | None = None,
    store: Store | None = None,
    factory: TrackerFactory | None = None,
    sleep: Callable[[float], None] = time.sleep,
    pages: Sequence[PageSpec] = (),
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
    groups = sorted(group_by_target(postmortems, config, tracker).items(),
                    key=lambda item: (item[0][0], item[0][1] or ""))
    # Trackers first: a missing URL or token is reported before the store is created.
    trackers = [(make(name, config, target), group) for (name, target), group in groups]
    own_store = store is None
    opened = store or Store.open(_store_url(config.store.url, dry_run=bool(options and options.dry_run)))
    try:
        for target_tracker, group in trackers:
            engine = Engine(opened, target_tracker, config, options=options or SyncOptions(),
                            progress=progress, on_plan=on_plan, sleep=sleep)
            report.results.append(engine.run(group, lint.tags, vague))
    finally:
        if own_store:
            opened.close()
    return report
