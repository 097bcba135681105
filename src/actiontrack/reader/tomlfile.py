"""Read a TOML postmortem: top-level metadata and ``[[actions]]`` tables.

tomllib gives no line numbers, so the lines of each ``[[actions]]`` table and of its
keys are found by a light scan of the text; messages can then point at them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from actiontrack import catalog
from actiontrack.model import Finding
from actiontrack.reader.build import RawAction

_ACTIONS_HEADER = re.compile(r"[ \t]*\[\[\s*actions\s*\]\]")
_ANY_HEADER = re.compile(r"[ \t]*\[")
_KEY_LINE = re.compile(r"[ \t]*(?:\"(?P<quoted>[^\"]+)\"|'(?P<literal>[^']+)'|(?P<key>[A-Za-z0-9_\-]+))\s*=")
_ERROR_LINE = re.compile(r"at line (\d+)")

_ACTION_KEYS = {
    "id": "id", "title": "title", "action": "title", "summary": "title",
    "description": "text", "details": "text", "text": "text",
    "owner": "owner", "assignee": "owner", "due": "due", "deadline": "due", "due_date": "due",
    "phase": "phase", "category": "category", "type": "category", "priority": "priority",
    "status": "status", "done": "done", "ticket": "ticket", "issue": "ticket", "tags": "tags",
    "labels": "tags",
    "noqa": "noqa",
    # Japanese keys, as the Markdown reader accepts them in columns and inline fields
    "対応内容": "title", "タイトル": "title", "内容": "text", "詳細": "text", "担当": "owner",
    "担当者": "owner", "期限": "due", "期日": "due", "フェーズ": "phase", "分類": "category",
    "カテゴリ": "category", "優先度": "priority", "状況": "status", "状態": "status", "完了": "done",
    "チケット": "ticket", "タグ": "tags",
}


@dataclass(slots=True)
class TomlDoc:
    meta: dict[str, object] = field(default_factory=dict)
    raws: list[RawAction] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    is_postmortem: bool = False
    has_actions_key: bool = False


def parse_toml(path: Path, text: str) -> TomlDoc:
    import tomllib  # only TOML postmortems pay for the parser's start-up

    doc = TomlDoc()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _ERROR_LINE.search(str(exc))
        doc.findings.append(catalog.INVALID_TOML.finding(
            path, int(line.group(1)) if line else 1, f"not valid TOML: {exc}"))
        doc.is_postmortem = True
        return doc
    doc.is_postmortem = any(key in data for key in ("actions", "title", "id"))
    doc.meta = {k.lower(): v for k, v in data.items() if k != "actions"}
    actions = data.get("actions")
    if actions is None:
        return doc
    doc.has_actions_key = True
    lines = text.split("\n")
    keys = _key_lines(lines)
    if not isinstance(actions, list):
        doc.findings.append(catalog.INVALID_TOML.finding(
            path, _line_of_key(keys, "actions"), "'actions' must be an array of tables: [[actions]]"))
        return doc
    spans = _action_spans(lines, keys, len(actions))
    for index, entry in enumerate(actions):
        start, end = spans[index]
        raw = _raw_action(path, keys, entry, start, end, doc.findings)
        if raw is not None:
            doc.raws.append(raw)
    return doc


def _action_spans(lines: list[str], keys: list[tuple[int, str]], count: int) -> list[tuple[int, int]]:
    """(first line, last line) of each [[actions]] table; inline arrays get the 'actions =' line."""
    starts = [n for n, line in enumerate(lines, start=1) if _ACTIONS_HEADER.match(line)]
    total = len(lines)
    if len(starts) != count:
        line = _line_of_key(keys, "actions")
        # "actions = [" with one inline table a line: each action points at its own line.
        # (An inline table cannot span lines, so its line is the whole action.)
        inline = [n for n in range(line + 1, total + 1) if lines[n - 1].lstrip().startswith("{")]
        if not starts and lines[line - 1].rstrip().endswith("[") and len(inline) == count:
            return [(n, n) for n in inline]
        return [(line, line)] * count
    headers = [n for n, line in enumerate(lines, start=1) if _ANY_HEADER.match(line)]
    spans = []
    for start in starts:
        following = [h for h in headers if h > start]
        spans.append((start, (following[0] - 1) if following else total))
    return spans


def _key_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(line, key) of every `key =` line, in order: computed once per file."""
    return [(number, match.group("key") or match.group("quoted") or match.group("literal"))
            for number, line in enumerate(lines, start=1)
            if (match := _KEY_LINE.match(line))]


def _line_of_key(keys: list[tuple[int, str]], key: str, start: int = 1, end: int | None = None) -> int:
    for line, name in keys:
        if name == key and line >= start and (end is None or line <= end):
            return line
    return start


def _raw_action(
    path: Path, keys: list[tuple[int, str]], entry: object, start: int, end: int, findings: list[Finding]
) -> RawAction | None:
    if not isinstance(entry, dict):
        findings.append(catalog.INVALID_TOML.finding(path, start, "each action must be a table"))
        return None
    values: dict[str, object] = {}
    written: dict[str, str] = {}
    for key, value in entry.items():
        name = _ACTION_KEYS.get(key.lower())
        if name is None:
            findings.append(catalog.UNKNOWN_FIELD.finding(
                path, _line_of_key(keys, key, start, end), f"unknown action key {key!r}",
                postmortem_id=None))
            continue
        values[name] = value
        written[name] = key
    title = values.get("title")
    if not isinstance(title, str) or not title.strip():
        findings.append(catalog.INVALID_VALUE.finding(
            path, start, "an action needs a title: title = \"what will be done\""))
        return None
    raw = RawAction(title=title.strip(), line=start, end_line=end)
    lines = {name: _line_of_key(keys, key, start, end) for name, key in written.items()}
    _apply_values(raw, values, path, lines, findings)
    return raw


def _apply_values(
    raw: RawAction,
    values: dict[str, object],
    path: Path,
    lines: dict[str, int],
    findings: list[Finding],
) -> None:
    def text_value(name: str) -> str | None:
        value = values.get(name)
        if value is None:
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        findings.append(catalog.INVALID_VALUE.finding(
            path, lines.get(name, raw.line), f"{name} must be text, not {type(value).__name__}"))
        return None

    raw.text = f"{raw.title}\n{values['text']}" if isinstance(values.get("text"), str) else raw.title
    raw.owner, raw.phase, raw.category = text_value("owner"), text_value("phase"), text_value("category")
    raw.priority, raw.status, raw.ticket = text_value("priority"), text_value("status"), text_value("ticket")
    raw.key = text_value("id")
    due = values.get("due")
    if isinstance(due, dt.datetime):
        due = due.date()
    if due is not None:
        raw.due = due if isinstance(due, (dt.date, str)) else str(due)
        raw.due_line = lines.get("due")
    raw.done = values.get("done") is True
    tags = values.get("tags")
    raw.tags = [str(t) for t in tags] if isinstance(tags, list) else []
    noqa = values.get("noqa")
    if noqa is not None:
        items = noqa if isinstance(noqa, list) else ([] if noqa is True else [noqa])
        raw.noqa = frozenset(str(code) for code in items)

