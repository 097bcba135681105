"""Confluence pages as postmortems: storage format → the reader's Markdown, and back.

storage.py parses the storage format, render.py renders it for the reader with a map
back, page.py reads and writes back one page, client.py speaks the REST API, cache.py
remembers pages between runs, source.py picks the pages. `open_source` builds them from
the config; only this path imports `requests`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actiontrack.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from actiontrack.config import Config
    from actiontrack.sources.confluence.source import ConfluenceSource, PageSpec

EXAMPLE_URL = "https://example.atlassian.net/wiki"


def open_source(config: Config, pages: Sequence[PageSpec], *, full: bool = False,
                keep: bool = True) -> ConfluenceSource:
    """The source of [sources.confluence]: credentials from the environment, the trackers' guard
    and retry rules, the page cache beside the store."""
    from actiontrack.logs import register_secret
    from actiontrack.sources.confluence.cache import PageCache
    from actiontrack.sources.confluence.client import NAME, ConfluenceClient
    from actiontrack.sources.confluence.settings import KEY
    from actiontrack.sources.confluence.source import ConfluenceSource
    from actiontrack.trackers.registry import retry_policy
    from actiontrack.urls import password_of, strip_credentials

    settings = config.sources.confluence
    if settings is None or not settings.url:
        raise ConfigError("no Confluence site is configured", path=config.path, key=f"{KEY}.url",
                          hint="Add [sources.confluence] with url, auth, email_env, token_env and space/label "
                               "(see config.example.toml).")
    if settings.url.rstrip("/") == EXAMPLE_URL:
        raise ConfigError(f"{EXAMPLE_URL!r} is the example `actiontrack init` wrote, not a real one",
                          path=config.path, key=f"{KEY}.url", hint="Set it to your own site first.")
    secret = password_of(settings.url)
    if secret:
        register_secret(secret)
    token = config.secret(settings.token_env, f"{KEY}.token_env")
    email = config.secret(settings.email_env, f"{KEY}.email_env") if settings.is_cloud else None
    client = ConfluenceClient(settings, token=token, email=email,
                              retry=retry_policy(config, tracker=NAME, key=f"{KEY}.url"))
    cache = PageCache.open(settings.cache, strip_credentials(settings.url.rstrip("/")), settings.selector() or "",
                           read_only=not keep)
    return ConfluenceSource(settings, client, cache, pages, full=full)
