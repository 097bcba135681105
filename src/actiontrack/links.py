"""Where a postmortem can be opened: the one place issue bodies, reports and Slack ask.

A postmortem's own `url` (front matter) wins. Otherwise `[links] postmortem_base_url`
(a repository's blob URL, e.g. "https://github.com/acme/ops/blob/main/") plus the file's
path as the repository sees it makes the link. Without either there is no link, only
the path.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import quote


@functools.lru_cache(maxsize=256)
def _repo_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def display_path(path: Path | str) -> str:
    """A postmortem's path as the repository sees it, the same from any working directory."""
    path = Path(path)
    absolute = path.resolve()
    root = _repo_root(absolute.parent)
    return absolute.relative_to(root).as_posix() if root else path.as_posix()


def postmortem_url(path: Path | str, url: str | None, base_url: str | None) -> str | None:
    """The postmortem's link: its own http(s) url, else base_url + its repository path, else None."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    if not base_url:
        return None
    return base_url.rstrip("/") + "/" + quote(display_path(path).lstrip("/"))
