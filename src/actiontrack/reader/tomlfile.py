"""Read a TOML postmortem: top-level metadata and ``[[actions]]`` tables.

tomllib gives no line numbers, so the lines of each ``[[actions]]`` table and of its
keys are found by a light scan of the text; messages can then point at them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from actiontrack import catalog
from actiontrack.lazyre import lazy_regex
from actiontrack.model import Anchor, Finding
from actiontrack.reader.build import RawAction
from actiontrack.reader.fields import COLUMN_FIELDS, suggest_key
from actiontrack.taxonomy import normalise

_ACTIONS_HEADER = lazy_regex(r"[ \t]*\[\[\s*actions\s*\]\]")
_ANY_HEADER = lazy_regex(r"[ \t]*\[")
_KEY_LINE = lazy_regex(r"[ \t]*(?:\"(?P<quoted>[^\"]+)\"|'(?P<literal>[^']+)'|(?P<key>[A-Za-z0-9_\-]+))\s*=")
_ERROR_LINE = lazy_regex(r"at line (\d+)")

# TOML-only keys; every other key comes from the field-name table the Markdown reader uses,
# so "担当者", "責任者" or "締切" mean the same in a TOML export as in a Markdown column.
_TOML_KEYS = {
    "id": "id", "title": "title", "action": "title", "summary": "title", "タイトル": "title",
    "description": "text", "details": "text", "text": "text", "内容": "text", "詳細": "text",
    "due_date": "due", "done": "done", "完了": "done", "tags": "tags", "labels": "tags", "タグ": "tags",
    "noqa": "noqa",
}


def _field_of(key: str) -> str | None:
    known = _TOML_KEYS.get(key.lower())
    if known is not None:
        return known
    name = COLUMN_FIELDS.get(normalise(key))
    return name if name in _FIELDS else None


_FIELDS = frozenset(("owner", "due", "phase", "category", "priority", "status", "ticket", "team", "kind", "title"))


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
    except RecursionError:
        doc.findings.append(catalog.INVALID_TOML.finding(
            path, 1, "not valid TOML for actiontrack: arrays or tables nested too deeply to read"))
        doc.is_postmortem = True
        return doc
    doc.is_postmortem = any(key in data for key in ("actions", "title", "id"))
    doc.meta = {k.lower(): v for k, v in data.items() if k != "actions"}
    actions = data.get("actions")
    if actions is None:
        return doc
    doc.has_actions_key = True
    layout = _Layout(text)
    if not isinstance(actions, list):
        doc.findings.append(catalog.INVALID_TOML.finding(
            path, layout.line_of_key("actions"), "'actions' must be an array of tables: [[actions]]"))
        return doc
    spans = layout.action_spans(len(actions))
    for index, entry in enumerate(actions):
        span = spans[index]
        raw = _raw_action(path, layout, entry, span, doc.findings)
        if raw is not None:
            doc.raws.append(raw)
    return doc


class _Span:
    """Where one action is in the file: its lines, its keys' lines, and where a key goes."""

    __slots__ = ("end", "insert_at", "keys", "shape", "start", "start_offset")

    def __init__(self, start: int, end: int, shape: str, start_offset: int, insert_at: int) -> None:
        self.start, self.end, self.shape = start, end, shape
        self.start_offset, self.insert_at = start_offset, insert_at
        self.keys: dict[str, int] = {}


class _Layout:
    """One pass over the text: the line of every header and `key =`, so each action and key
    can point at its line without rescanning the file (a file of N tables costs N, not N²)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.offsets: list[int] = []
        position = 0
        for line in self.lines:
            self.offsets.append(position)
            position += len(line) + 1
        self.headers: list[int] = []  # 1-based line numbers of every [table] / [[table]] header
        self.action_headers: list[int] = []
        self.keys: list[tuple[int, str]] = []
        for number, line in enumerate(self.lines, start=1):
            if _ANY_HEADER.match(line):
                self.headers.append(number)
                if _ACTIONS_HEADER.match(line):
                    self.action_headers.append(number)
            elif match := _KEY_LINE.match(line):
                self.keys.append((number, match.group("key") or match.group("quoted") or match.group("literal")))

    def line_of_key(self, key: str) -> int:
        return next((line for line, name in self.keys if name == key), 1)

    def action_spans(self, count: int) -> list[_Span]:
        if len(self.action_headers) == count:
            return self._table_spans()
        line = self.line_of_key("actions")
        # "actions = [" with one inline table a line: each action points at its own line.
        inline = [n for n in range(line + 1, len(self.lines) + 1) if self.lines[n - 1].lstrip().startswith("{")]
        if not self.action_headers and self.lines[line - 1].rstrip().endswith("[") and len(inline) == count:
            spans = []
            for n in inline:
                text = self.lines[n - 1]
                close = text.rfind("}")
                inner = len(text[:close].rstrip()) if close > 0 else -1  # after the last value, before " }"
                insert = self.offsets[n - 1] + inner if close > 0 else -1
                spans.append(_Span(n, n, "toml-inline", self.offsets[n - 1], insert))
            return spans
        return [_Span(line, line, "toml-inline", self.offsets[line - 1], -1) for _ in range(count)]

    def _table_spans(self) -> list[_Span]:
        spans: list[_Span] = []
        following = iter(self.headers)
        next_header = next(following, None)
        keys = iter(self.keys)
        key = next(keys, None)
        for start in self.action_headers:
            while next_header is not None and next_header <= start:
                next_header = next(following, None)
            end = (next_header - 1) if next_header is not None else len(self.lines)
            last = end
            while last > start and (not self.lines[last - 1].strip() or self.lines[last - 1].lstrip().startswith("#")):
                last -= 1
            span = _Span(start, end, "toml", self.offsets[start - 1],
                         self.offsets[last - 1] + len(self.lines[last - 1].rstrip("\r")))
            while key is not None and key[0] <= end:
                if key[0] > start:
                    span.keys.setdefault(key[1], key[0])
                key = next(keys, None)
            spans.append(span)
        return spans


def _raw_action(path: Path, layout: _Layout, entry: object, span: _Span, findings: list[Finding]) -> RawAction | None:
    start, end = span.start, span.end
    if not isinstance(entry, dict):
        findings.append(catalog.INVALID_TOML.finding(path, start, "each action must be a table"))
        return None
    values: dict[str, object] = {}
    written: dict[str, str] = {}
    for key, value in entry.items():
        name = _field_of(key)
        if name is None:
            meant = suggest_key(key)
            hint = f": did you mean {meant!r}?" if meant else ""
            findings.append(catalog.UNKNOWN_FIELD.finding(
                path, span.keys.get(key, start), f"unknown action key {key!r}{hint}", postmortem_id=None))
            continue
        values[name] = value
        written[name] = key
    title = values.get("title")
    if not isinstance(title, str) or not title.strip():
        findings.append(catalog.INVALID_VALUE.finding(
            path, start, "an action needs a title: title = \"what will be done\""))
        return None
    raw = RawAction(title=title.strip(), line=start, end_line=end)
    lines = {name: span.keys.get(key, start) for name, key in written.items()}
    _apply_values(raw, values, path, lines, findings)
    if span.insert_at >= 0:
        last = min(end, len(layout.lines))
        end_offset = layout.offsets[last - 1] + len(layout.lines[last - 1])
        raw.anchor = Anchor(span.shape, span.start_offset, end_offset, span.insert_at)
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
    raw.team, raw.kind = text_value("team"), text_value("kind")
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

