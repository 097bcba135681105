"""Read postmortems from Markdown and TOML files into the domain model.

``read_paths`` never raises for bad input: an unreadable file, broken front matter or
a bad date becomes a Finding with the file and line, and every other file and
action is still read.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from actiontrack import catalog, identity
from actiontrack.dates import DateError, parse_date
from actiontrack.model import Finding, Postmortem, ReadResult
from actiontrack.reader.build import RawAction, build_actions
from actiontrack.reader.markdown import MarkdownDoc, parse_markdown, parse_meta_date
from actiontrack.textcodec import decode

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
PLAIN_SUFFIXES = (".txt", ".text")
SUFFIXES = (*MARKDOWN_SUFFIXES, *PLAIN_SUFFIXES, ".toml")
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".actiontrack"}
_NOT_POSTMORTEMS = {"actiontrack.toml", "pyproject.toml", "readme.md", "changelog.md", "license.md"}

__all__ = ["discover", "read_file", "read_paths", "read_text", "text_digest"]


def discover(paths: Iterable[Path], exclude: Sequence[str] = ()) -> Iterator[tuple[Path, bool]]:
    """Files to read: (path, named explicitly). Directories are walked in sorted order;
    `exclude` globs (matched against the path below the folder, and the file name) skip
    files found by the walk, never a file named on the command line. A subfolder that
    cannot be listed is yielded as if named, so read_file reports it instead of the walk
    skipping it in silence."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path, exclude)
        else:
            yield path, True


def _walk(root: Path, exclude: Sequence[str]) -> Iterator[tuple[Path, bool]]:
    found: list[tuple[Path, bool]] = []
    unreadable: list[OSError] = []
    for folder, subfolders, names in os.walk(root, onerror=unreadable.append):
        subfolders[:] = [d for d in subfolders if d not in _SKIP_DIRS]
        base = Path(folder)
        for name in names:
            child = base / name
            relative = child.relative_to(root)
            if (
                child.suffix.lower() in SUFFIXES
                and name.lower() not in _NOT_POSTMORTEMS
                and child.is_file()
                and not (exclude and _excluded(relative, exclude))
            ):
                found.append((child, False))
    found += [(Path(error.filename), True) for error in unreadable if error.filename is not None]
    yield from sorted(found)


def _excluded(relative: Path, patterns: Sequence[str]) -> bool:
    from fnmatch import fnmatch

    posix = relative.as_posix()
    return any(fnmatch(posix, pattern) or fnmatch(relative.name, pattern) for pattern in patterns)


def read_paths(paths: Iterable[Path], exclude: Sequence[str] = ()) -> list[ReadResult]:
    """Read every postmortem under `paths`; files that are clearly not postmortems are skipped."""
    results = [read_file(path, explicit=explicit) for path, explicit in discover(paths, exclude)]
    kept = [r for r in results if r.postmortem is not None or r.findings]
    return _check_unique_ids(kept)


def read_file(path: Path, *, explicit: bool = True) -> ReadResult:
    """Read one file. With explicit=False a file that is not a postmortem gives no result.

    Only regular files are read: a FIFO or a device named on the command line would
    block the run for ever (or never end), so it is refused as unreadable.
    """
    refused = _not_a_regular_file(path)
    if refused is not None:
        return _unreadable(path, refused)
    try:
        text = decode(path.read_bytes()).text
    except FileNotFoundError:
        return _unreadable(path, "no such file")
    except IsADirectoryError:
        return _unreadable(path, "is a directory")
    except UnicodeDecodeError as exc:
        return _unreadable(path, f"not text in UTF-8, UTF-16, Shift_JIS or EUC-JP (byte {exc.start}): "
                                 "save it as UTF-8")
    except OSError as exc:
        return _unreadable(path, exc.strerror or str(exc))
    return read_text(path, text, explicit=explicit)


def read_text(path: Path, text: str, *, explicit: bool = True) -> ReadResult:
    """Read a postmortem from its text; `path` names it and its suffix picks the format."""
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return _from_toml(path, text, explicit)
    return _from_markdown(path, text, explicit, plain=suffix in PLAIN_SUFFIXES)


def text_digest(text: str) -> str:
    """A fingerprint of a file's text, for write-back to know it is unchanged since it was
    read (zlib, not hashlib: importing OpenSSL would cost every lint a few ms)."""
    import zlib

    data = text.encode("utf-8", "surrogatepass")
    return f"{len(data)}:{zlib.crc32(data):08x}:{zlib.adler32(data):08x}"


def _not_a_regular_file(path: Path) -> str | None:
    """Why `path` must not be read (a folder that cannot be listed, a FIFO, a device), or None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # read_bytes says why
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        try:
            os.listdir(path)
        except OSError as exc:
            return f"cannot list folder: {exc.strerror or exc}"
        return "is a directory"
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"{kind}, not a regular file: refused (reading it could block for ever)"


def _unreadable(path: Path, reason: str) -> ReadResult:
    return ReadResult(path, None, (catalog.UNREADABLE_FILE.finding(path, 1, f"cannot read file: {reason}"),))


def _from_markdown(path: Path, text: str, explicit: bool, *, plain: bool = False) -> ReadResult:
    doc = parse_markdown(path, text, plain=plain)
    if not explicit and not _looks_like_postmortem(doc):
        return ReadResult(path, None, tuple(doc.findings))
    meta = doc.meta
    title = _text(meta.get("title")) or doc.h1 or path.stem
    date_value = meta.get("date") or doc.date_in_name
    return _assemble(
        path, meta, title, parse_meta_date(date_value), doc.raws, doc.findings,
        has_action_section=doc.has_action_section, date_line=doc.meta_lines.get("date", 1), text=text,
    )


def _looks_like_postmortem(doc: MarkdownDoc) -> bool:
    return doc.has_action_section or bool(doc.meta.get("id")) or doc.looks_like_postmortem or (
        doc.has_front_matter and "title" in doc.meta and "date" in doc.meta
    )


def _from_toml(path: Path, text: str, explicit: bool) -> ReadResult:
    from actiontrack.reader.tomlfile import parse_toml  # with tomllib: only for TOML files

    doc = parse_toml(path, text)
    if not doc.is_postmortem and not explicit:
        return ReadResult(path, None, ())
    if not doc.is_postmortem and not doc.findings:
        return ReadResult(path, None, (catalog.INVALID_TOML.finding(
            path, 1, "not a postmortem: expected a title and [[actions]] tables"),))
    if not doc.meta and doc.findings and not doc.raws:
        return ReadResult(path, None, tuple(doc.findings))
    title = _text(doc.meta.get("title")) or path.stem
    return _assemble(
        path, doc.meta, title, parse_meta_date(doc.meta.get("date")), doc.raws, doc.findings,
        has_action_section=doc.has_actions_key, date_line=1, text=text,
    )


def _assemble(
    path: Path,
    meta: dict[str, object],
    title: str,
    date_value: dt.date | str | None,
    raws: list[RawAction],
    findings: list[Finding],
    *,
    has_action_section: bool,
    date_line: int,
    text: str,
) -> ReadResult:
    explicit_id = _text(meta.get("id"))
    pm_id = explicit_id or identity.postmortem_id_from_path(path)
    date = _postmortem_date(path, date_value, date_line, pm_id, findings)
    built = build_actions(pm_id, path, raws, date)
    postmortem = Postmortem(
        id=pm_id,
        path=path,
        title=title,
        date=date,
        severity=_text(meta.get("severity")),
        url=_text(meta.get("url")),
        tracker=_text(meta.get("tracker")),
        project=_text(meta.get("project")) or _text(meta.get("repo")),
        authors=_strings(meta.get("authors")),
        actions=tuple(built.actions),
        has_action_section=has_action_section,
        explicit_id=explicit_id is not None,
        metadata=meta,
        digest=text_digest(text),
    )
    return ReadResult(path, postmortem, tuple(findings + built.findings))


def _postmortem_date(
    path: Path, value: dt.date | str | None, line: int, pm_id: str, findings: list[Finding]
) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateError as exc:
        findings.append(catalog.INVALID_DATE.finding(
            path, line, f"postmortem date: {exc}", postmortem_id=pm_id))
        return None


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return ()


def _check_unique_ids(results: list[ReadResult]) -> list[ReadResult]:
    """Two files with one postmortem id would overwrite each other's issues: report it."""
    first: dict[str, Path] = {}
    checked = []
    for result in results:
        pm = result.postmortem
        if pm is None:
            checked.append(result)
            continue
        if pm.id in first:
            finding = catalog.DUPLICATE_POSTMORTEM_ID.finding(
                result.path, 1, f"postmortem id {pm.id!r} is also used by {first[pm.id]}",
                postmortem_id=pm.id)
            result = ReadResult(result.path, pm, (*result.findings, finding))
        else:
            first[pm.id] = result.path
        checked.append(result)
    return checked
