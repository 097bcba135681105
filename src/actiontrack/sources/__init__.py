"""Where postmortems are read from: files (the reader), and Confluence pages.

Every source yields the same document model (ReadResult / Postmortem / Finding), so lint,
tag, sync and reports never ask where a postmortem came from. A postmortem that is not a
local file carries its `origin` (model.Origin): it names places in its own words and
writes issue keys back into the source.

On the command line a target is a file or folder, `confluence:` (the configured pages),
`confluence:12345`, or a page URL; any mix in one run. Only a run that names a page
imports an HTTP client: this module is as light as the reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from actiontrack.config import Config
    from actiontrack.configfile import LintSettings
    from actiontrack.lint import LintReport
    from actiontrack.model import ReadResult
    from actiontrack.sources.confluence.source import ConfluenceSource, PageSpec

PREFIX = "confluence:"

__all__ = ["PREFIX", "is_page", "lint_targets", "page_spec", "read_targets", "split_targets"]


def is_page(arg: str) -> bool:
    """`confluence:…` or an http(s) URL: a page, not a file."""
    return arg.startswith(PREFIX) or arg.startswith(("https://", "http://"))


def page_spec(arg: str) -> PageSpec:
    from actiontrack.errors import UsageError
    from actiontrack.sources.confluence.source import PageSpec

    if arg.startswith(PREFIX):
        rest = arg[len(PREFIX):].strip()
        if not rest:
            return PageSpec(arg)
        if rest.isdigit():
            return PageSpec(arg, page_id=rest)
        if is_page(rest):
            return PageSpec(arg, url=rest)
        raise UsageError(f"{arg}: expected confluence: (the configured pages), confluence:PAGE-ID or a page URL")
    return PageSpec(arg, url=arg)


def split_targets(args: Sequence[str]) -> tuple[list[Path], list[PageSpec]]:
    """Files and folders, and pages, as the command line named them (in order)."""
    paths = [Path(a) for a in args if not is_page(a)]
    pages = [page_spec(a) for a in args if is_page(a)]
    return paths, pages


ConfigLoader = Callable[[], "Config"]


def read_targets(paths: Sequence[Path], pages: Sequence[PageSpec], *, exclude: Sequence[str] = (),
                 config: ConfigLoader | None = None, full: bool = False, keep: bool = True) -> list[ReadResult]:
    """Read every file under `paths` and every named page; bad input is findings, never a crash.
    `keep=False` (a dry run) leaves the page cache as it was."""
    from actiontrack.sources.base import FileSource, Source

    sources: list[Source] = [FileSource(paths, exclude)]
    if pages:
        if config is None:
            from actiontrack.errors import UsageError

            raise UsageError("reading Confluence pages needs the config's [sources.confluence]")
        sources.append(open_confluence(config(), pages, full=full, keep=keep))
    results: list[ReadResult] = []
    try:
        for source in sources:
            results += source.read()
    finally:
        for source in sources:
            source.close()
    return results


def lint_targets(paths: Sequence[Path], pages: Sequence[PageSpec], settings: LintSettings | None = None, *,
                 config: ConfigLoader | None = None, full: bool = False, keep: bool = True) -> LintReport:
    """`lint_paths` for files and pages together."""
    from actiontrack.lint import lint, lint_paths

    if not pages:
        return lint_paths(paths, settings)
    from actiontrack.gcpause import cycle_collector_paused

    exclude = settings.exclude if settings else ()
    with cycle_collector_paused():
        return lint(read_targets(paths, pages, exclude=exclude, config=config, full=full, keep=keep), settings)


def open_confluence(config: Config, pages: Sequence[PageSpec], *, full: bool = False,
                    keep: bool = True) -> ConfluenceSource:
    from actiontrack.sources.confluence import open_source

    return open_source(config, pages, full=full, keep=keep)
