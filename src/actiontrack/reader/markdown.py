"""Read a Markdown postmortem: front matter, the action sections, tables and lists.

Real postmortems are written by people in many shapes, so the reader is liberal:
any heading level, any of the usual section names in English and Japanese, actions
as a table (column names vary) or as a (task, numbered, nested) list with trailing
inline fields. Sub-headings or parent bullets that name a phase or category
("### Detection", "- 開発時:") tag the actions below them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from actiontrack import catalog
from actiontrack.dates import DATE_IN_TEXT
from actiontrack.model import Category, Finding, Phase
from actiontrack.reader.build import RawAction
from actiontrack.reader.fields import (
    COLUMN_FIELDS,
    ISSUE_KEY,
    Fields,
    apply_tags,
    parse_run,
    split_fields,
)
from actiontrack.reader.frontmatter import NotSimple, parse_simple
from actiontrack.taxonomy import is_done_status, is_placeholder, normalise, parse_category, parse_phase

_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
# Japanese bullets (・■□●○◆◇, ①…, ⑴, （１）) are often written without a space after them, and
# indented with full-width spaces.
_ITEM = re.compile(
    r"^(?P<indent>[ \t\u3000]*)(?:(?:[-*+•]|\d{1,3}[.)])[ \t\u3000]+"
    r"|(?:[・■□●○◆◇▪①-⑳⑴-⒇]|\d{1,3}[．）]|[(（]\d{1,2}[)）])[ \t\u3000]*)"
    r"(?P<rest>.*)$"
)
# A line that is only 【…】 is a heading in plain-text Japanese reports ("【再発防止策】").
_BRACKET_HEADING = re.compile(r"^[ \t\u3000]*【(?P<text>[^】]{1,40})】[ \t\u3000]*$")
BRACKET_LEVEL = 7  # below every Markdown heading: "【開発時】" inside "## 再発防止策" is a sub-heading
_LEAD_TICKET = re.compile(
    r"^(?:\[(?P<linked>[A-Z][A-Z0-9_]+-\d+|#\d+)\](?:\([^)\s]+\))?|(?P<bare>[A-Z][A-Z0-9_]+-\d{2,})(?=[:：]))"
    r"[\s:：—–-]*"
)
_BOLD_KEY = re.compile(r"(\*\*|__)([^*_\n]{1,40}?)(?:\s*([:：])\s*\1|\1\s*([:：]))")
_TRAILING_STATUS = re.compile(r"(?:\*\*|__)(?P<status>[^*_\d\-]{1,20})(?:\*\*|__)\s*$")
_STRUCK = re.compile(r"^~~[^~]+~~\s*(?:[(（][^)）]{0,30}[)）])?\W*$")
_DONE_LABEL = re.compile(r"[(（\[【](?P<label>[^)）\]】]{1,12})[)）\]】]\s*$")
_CHECKBOX = re.compile(r"^\[(?P<mark>[ xX✓✔])\][ \t]*")
_TABLE_DELIM = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.S)
_NOQA = re.compile(r"^\s*(?:actiontrack\s*:\s*)?noqa(?:\s*:\s*(?P<codes>.*?))?\s*$", re.I | re.S)
_EXPLICIT_ID = re.compile(r"^\s*(?:actiontrack\s*:\s*)?id\s*[:=]\s*(?P<id>[\w.\-]+)\s*$", re.I)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)")
_BODY_META = re.compile(
    r"^\s*(?:[-*]\s*|(?P<row>\|)\s*)?(?:\*\*)?(?P<key>date|incident date|severity|sev|id|url|link|"
    r"title|tracker|project|日付|発生日|発生日時|重大度|深刻度|影響度|件名)(?:\*\*)?\s*"
    r"(?(row)\||[:：])\s*(?:\*\*)?\s*(?P<value>.+?)\s*\|?\s*$",
    re.I,
)
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")

_ACTION_HEADINGS = tuple(
    normalise(word)
    for word in (
        "action item", "action items", "actions", "action plan", "follow-up", "follow up",
        "followups", "remediation", "remediations", "prevention", "preventive", "preventative",
        "corrective action", "corrective and preventive", "next steps", "todo", "to-do",
        "countermeasure", "mitigations and prevention", "improvement", "do differently",
        "we'll do", "we will do", "going forward", "what's next", "next actions", "future work",
        "再発防止", "防止策", "対応策", "恒久対応", "恒久対策", "アクションアイテム", "アクション",
        "今後の対応", "今後の対策", "対策", "改善策", "改善項目", "改善アクション", "やること",
    )
)
_NOT_ACTION_HEADINGS = tuple(
    normalise(word) for word in (
        "timeline", "タイムライン", "経緯", "時系列", "what went well", "よかった", "actions taken",
        "対応履歴", "対応経過",
    )
)
_POSTMORTEM_HINTS = re.compile(
    r"postmortem|post-mortem|incident|outage|root cause|impact|timeline|retrospective|"
    r"ポストモーテム|障害|インシデント|振り返り|原因|影響|タイムライン",
    re.I,
)


def is_action_heading(text: str) -> bool:
    """Whether a heading opens a section of actions ("Action items", "再発防止策" …)."""
    key = normalise(text)
    if any(word in key for word in _NOT_ACTION_HEADINGS):
        return False
    return any(word in key for word in _ACTION_HEADINGS)


@dataclass(slots=True)
class MarkdownDoc:
    """What the Markdown reader found; turned into a Postmortem by reader.__init__."""

    meta: dict[str, object] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    h1: str | None = None
    raws: list[RawAction] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    has_front_matter: bool = False
    has_action_section: bool = False
    looks_like_postmortem: bool = False
    date_in_name: str | None = None


def parse_markdown(path: Path, text: str) -> MarkdownDoc:
    lines = text.splitlines()
    doc = MarkdownDoc()
    body_start = _front_matter(path, lines, doc)
    _scan_body(lines, body_start, doc)
    # The file name's date, else one in the title ("# 2024-04-17: Registry 500s",
    # "# 【障害報告】ログイン不可（2025/06/18）").
    name_date = _DATE_IN_NAME.search(path.name)
    title_date = DATE_IN_TEXT.search(doc.h1) if doc.h1 and name_date is None else None
    doc.date_in_name = name_date.group(1) if name_date else (title_date.group(0) if title_date else None)
    return doc


# --- front matter ------------------------------------------------------------------------


def _front_matter(path: Path, lines: list[str], doc: MarkdownDoc) -> int:
    """Parse YAML front matter; returns the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        return 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        doc.findings.append(catalog.INVALID_FRONT_MATTER.finding(
            path, 1, "front matter opened with '---' is never closed"))
        return 0
    doc.has_front_matter = True
    block = "\n".join(lines[1:end])
    meta = _load_yaml(path, block, doc)
    if meta is not None:
        doc.meta = meta
        for offset, line in enumerate(lines[1:end], start=2):
            key = line.split(":", 1)[0].strip().lower()
            if key and not line.startswith((" ", "\t", "-")):
                doc.meta_lines.setdefault(key, offset)
    return end + 1


def _load_yaml(path: Path, block: str, doc: MarkdownDoc) -> dict[str, object] | None:
    try:
        return {key.lower(): value for key, value in parse_simple(block).items()}
    except NotSimple:
        pass
    import yaml  # only rich front matter pays for it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(block, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        doc.findings.append(catalog.INVALID_FRONT_MATTER.finding(
            path, line, f"front matter is not valid YAML: {problem}"))
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        doc.findings.append(catalog.INVALID_FRONT_MATTER.finding(
            path, 2, f"front matter must be 'key: value' lines, not a {type(data).__name__}"))
        return None
    return {str(key).lower(): value for key, value in data.items()}


# --- body ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Section:
    level: int
    start: int  # index of the first line after the heading
    end: int  # index one past the last line


def _scan_body(lines: list[str], start: int, doc: MarkdownDoc) -> None:
    headings = list(_headings(lines, start))
    for level, text, _ in headings:
        if level == 1 and doc.h1 is None:
            doc.h1 = _clean_inline(text)
        if _POSTMORTEM_HINTS.search(text):
            doc.looks_like_postmortem = True
    first_section = len(lines)
    sections: list[_Section] = []
    for position, (level, text, index) in enumerate(headings):
        if not is_action_heading(text):
            continue
        if any(s.start <= index < s.end for s in sections):
            continue  # a sub-heading of a section already taken ("### Prevention" under "## Actions")
        end = next((i for lv, t, i in headings[position + 1 :] if lv <= level
                    and not (level == BRACKET_LEVEL and _defaults_from_label(t))), len(lines))
        sections.append(_Section(level, index + 1, end))
        first_section = min(first_section, index)
    _body_meta(lines, start, first_section, doc)
    for section in sections:
        doc.has_action_section = True
        doc.raws.extend(_read_section(lines, section, headings))


def _headings(lines: list[str], start: int) -> Iterator[tuple[int, str, int]]:
    """(level, text, index) of each heading outside code fences and HTML comments; a
    line that is only 【…】 is a heading of level BRACKET_LEVEL."""
    fence: str | None = None
    comment = False
    for index in range(start, len(lines)):
        line = lines[index]
        if comment or "<!--" in line:
            comment = _in_comment(line, comment)
            if comment or line.lstrip().startswith("<!--"):
                continue
        opened = _FENCE.match(line) if ("`" in line or "~" in line) else None
        if opened:
            marker = opened.group("fence")
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is None and line.lstrip().startswith("#"):
            match = _HEADING.match(line)
            if match:
                yield len(match.group("hashes")), match.group("text"), index
        elif fence is None and "【" in line[:4]:
            bracket = _BRACKET_HEADING.match(line)
            if bracket:
                yield BRACKET_LEVEL, bracket.group("text"), index
        elif fence is None and line.lstrip(" \t\u3000")[:1] in _MARK_HEADINGS:
            text = line.lstrip(" \t\u3000")[1:].strip(" \t\u3000")
            if _is_marked_section(text):
                yield BRACKET_LEVEL, text, index


_MARK_HEADINGS = "■◆●□◇▼▶◎"
_SECTION_WORDS = frozenset(normalise(word) for word in (
    "概要", "原因", "根本原因", "影響", "影響範囲", "発生日時", "発生日", "経緯", "時系列", "対応", "対応内容",
    "暫定対応", "振り返り", "背景", "検知", "復旧", "備考", "参考", "関連", "事象", "現象", "詳細",
))


def _is_marked_section(text: str) -> bool:
    """"■再発防止策" or "■原因" is a section title in plain-text reports; "■証明書を更新する"
    is an item, and stays one."""
    if not text or len(text) > 20:
        return False
    return normalise(text) in _SECTION_WORDS or is_action_heading(text)


def _in_comment(line: str, inside: bool) -> bool:
    """Whether an HTML comment is still open at the end of `line`."""
    position = 0
    while True:
        if inside:
            close = line.find("-->", position)
            if close < 0:
                return True
            inside, position = False, close + 3
        else:
            opened = line.find("<!--", position)
            if opened < 0:
                return False
            inside, position = True, opened + 4


def _body_meta(lines: list[str], start: int, stop: int, doc: MarkdownDoc) -> None:
    """'Date: 2020-09-29' lines (or '| Date | … |' rows) before the actions, for documents
    without front matter.

    A date followed by more ("2024年6月3日（月）10:15〜11:20", "2024-03-19 · Severity: …")
    keeps only the date. A table row counts only outside a header, so the header of a
    "| Date | Event |" timeline is not read as the postmortem's date.
    """
    end = min(stop, start + 60)
    for index in range(start, end):
        match = _BODY_META.match(lines[index])
        if not match:
            continue
        key = _META_KEYS.get(match.group("key").lower(), match.group("key").lower())
        if match.group("row") and index + 1 < len(lines) and _TABLE_DELIM.match(lines[index + 1]) and not (
            # Confluence exports a key/value table with its first pair as the header row:
            # "| **Incident date** | 12 Feb 2025 |" is the date, "| Date | Event |" is not.
            key == "date" and DATE_IN_TEXT.match(_clean_inline(match.group("value")))
        ):
            continue
        if key not in doc.meta:
            value = _clean_inline(match.group("value"))
            if key == "date":
                leading = DATE_IN_TEXT.match(value)
                value = leading.group(0) if leading else value
            doc.meta[key] = value
            doc.meta_lines[key] = index + 1


_META_KEYS = {
    "incident date": "date", "日付": "date", "発生日": "date", "発生日時": "date", "sev": "severity",
    "重大度": "severity", "深刻度": "severity", "影響度": "severity", "link": "url", "件名": "title",
}


# --- inside an action section ---------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    indent: int
    line: int  # 1-based
    end_line: int
    text: str
    done: bool
    children: list[_Item] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Defaults:
    phase: Phase | None = None
    category: Category | None = None
    done: bool = False  # under "### 暫定対応（実施済み）": what was already done


def _read_section(
    lines: list[str], section: _Section, headings: list[tuple[int, str, int]]
) -> list[RawAction]:
    raws: list[RawAction] = []
    defaults = _Defaults()
    # In a 【再発防止策】 section, 【開発時】 or 【検知】 lines are its sub-headings.
    sub_headings = {
        i: text for lv, text, i in headings if lv > section.level or lv == BRACKET_LEVEL}
    index = section.start
    fence: str | None = None
    comment = False
    items: list[_Item] = []
    while index < section.end:
        line = lines[index]
        if (comment or "<!--" in line) and not fence:
            # A commented-out block ("<!-- removed: - [ ] … -->") holds no actions; a
            # comment closed on its own line ("… <!-- noqa: AT101 -->") is read as before.
            was, comment = comment, _in_comment(line, comment)
            if was or comment:
                index += 1
                continue
        opened = _FENCE.match(line) if ("`" in line or "~" in line) else None
        if opened or fence:
            if opened:
                marker = opened.group("fence")[0] * 3
                fence = None if fence and opened.group("fence").startswith(fence) else (fence or marker)
            index += 1
            continue
        if index in sub_headings:
            raws += _flush(items, defaults)
            defaults = _defaults_from_label(sub_headings[index]) or _Defaults()
            defaults.done = _says_done(sub_headings[index])
            index += 1
            continue
        if "|" in line and index + 1 < section.end and _is_table_start(line, lines[index + 1]):
            raws += _flush(items, defaults)
            index = _read_table(lines, index, section.end, defaults, raws)
            continue
        index = _read_list_line(lines, index, items)
    raws += _flush(items, defaults)
    return raws


def _is_table_start(header: str, delimiter: str) -> bool:
    """A header row and its delimiter row; without a leading pipe ("a | b" over "--- | ---")
    the delimiter row must have a pipe too, so a '---' rule under prose is not a table."""
    if not _TABLE_DELIM.match(delimiter):
        return False
    return header.lstrip().startswith("|") or "|" in delimiter


def _says_done(label: str) -> bool:
    """A sub-heading such as "暫定対応（実施済み）" or "Completed": its actions are done.

    Only a bracketed note or a one-word label counts: "Resolved alerts to add" is not done.
    """
    text = _clean_inline(label).strip()
    bracket = _DONE_LABEL.search(text)
    if bracket:
        return is_done_status(bracket.group("label"))
    return not any(c.isspace() for c in text) and is_done_status(text)


def _read_list_line(lines: list[str], index: int, items: list[_Item]) -> int:
    """Add one line to the list being read: a new item, a continuation, or nothing."""
    line = lines[index]
    match = _ITEM.match(line)
    if match:
        rest = match.group("rest")
        box = _CHECKBOX.match(rest)
        done = bool(box and box.group("mark") != " ")
        text = rest[box.end():] if box else rest
        indent = len(match.group("indent").expandtabs(4).replace("\u3000", "  "))
        item = _Item(indent, index + 1, index + 1, text, done)
        parent = _open_parent(items, indent)
        (parent.children if parent else items).append(item)
    elif line.strip() and items and (line[:1] in " \t\u3000" or _last_open(items).end_line == index):
        last = _last_open(items)
        last.details.append(line.strip())
        last.end_line = index + 1
    return index + 1


def _open_parent(items: list[_Item], indent: int) -> _Item | None:
    """The deepest open item whose indent is less than `indent` (its new child's parent)."""
    parent = None
    level = items
    while level and level[-1].indent < indent:
        parent = level[-1]
        level = parent.children
    return parent


def _last_open(items: list[_Item]) -> _Item:
    item = items[-1]
    while item.children:
        item = item.children[-1]
    return item


def _flush(items: list[_Item], defaults: _Defaults) -> list[RawAction]:
    raws: list[RawAction] = []
    for item in items:
        raws += _item_actions(item, defaults)
    items.clear()
    return raws


def _item_actions(item: _Item, defaults: _Defaults) -> list[RawAction]:
    group = _defaults_from_label(item.text) if item.children else None
    if group is not None:
        merged = _Defaults(
            group.phase or defaults.phase, group.category or defaults.category, defaults.done)
        return [raw for child in item.children for raw in _item_actions(child, merged)]
    raw = _raw_from_text(item.text, item.line, item.done, defaults)
    if raw is None:
        return []
    wrapped = True  # the item's own lines, until one of them ends the title or holds fields
    for detail in item.details:
        wrapped = _absorb_detail(raw, detail, wrapped)
    for detail in _descendant_texts(item, own=False):
        _absorb_detail(raw, detail, False)
    raw.end_line = _end_line(item)
    return [raw]


def _descendant_texts(item: _Item, own: bool = True) -> Iterator[str]:
    if own:
        yield from item.details
    for child in item.children:
        yield child.text
        yield from _descendant_texts(child)


def _end_line(item: _Item) -> int:
    return max([item.end_line, *(_end_line(child) for child in item.children)])


def _absorb_detail(raw: RawAction, detail: str, wrapped: bool) -> bool:
    """A continuation line or sub-bullet: fields fill what is missing, prose joins the text.

    With ``wrapped``, a line that carries on a sentence the title left open ("… reported
    by the" / "proxy is above 2 seconds …") is the rest of the title, as a hard-wrapped
    item reads. Returns whether the next line may still carry on the title.
    """
    body, noqa, key = _comments(detail)
    body = _unbold_keys(_unescape(body))
    fields = parse_run(body)
    joined = False
    if fields is None:
        title, fields = split_fields(body)
        if title:
            title = _clean_inline(title)
            if wrapped and title[:1].islower() and len(raw.title) >= 40 and raw.title[-1:] not in _SENTENCE_END:
                raw.title = f"{raw.title} {title}"
                raw.text = raw.title if raw.text == raw.title[: len(raw.text)] else f"{raw.text} {title}"
                joined = not fields.values and not fields.handles
            else:
                raw.text = f"{raw.text}\n{title}"
    _fill(raw, fields)
    if noqa is not None:
        raw.noqa = noqa if raw.noqa is None else raw.noqa | noqa
    raw.key = raw.key or key
    return joined


_SENTENCE_END = frozenset(".。!?！？)）:：")


def _defaults_from_label(text: str) -> _Defaults | None:
    """A heading or parent bullet that names a phase or category ("Detection:", "開発時")."""
    label = _clean_inline(_comments(text)[0]).rstrip(":：").strip()
    label = re.sub(r"(の?(対策|対応|施策)|actions?|measures?)$", "", label, flags=re.I).strip()
    if not label or len(label) > 40:
        return None
    phase, category = parse_phase(label), parse_category(label)
    if phase is None and category is None:
        return None
    return _Defaults(phase, category)


def _raw_from_text(text: str, line: int, done: bool, defaults: _Defaults) -> RawAction | None:
    body, noqa, key = _comments(text)
    if "\\" in body:
        body = _unescape(body)
    body, lead_ticket = _lead_ticket(_unbold_keys(body))
    body, lead_priority = _lead_priority(body)
    lead_status = False
    if body[:1] in _MARK_INITIALS or body[:1] in _LABEL_INITIALS:
        body, lead_status = _lead_status(body)
    lead_tags: list[str] = []
    if body[:1] == "#":
        body, lead_tags = _lead_tags(body)
    title, fields = split_fields(body)
    if lead_tags:
        fields.tags = lead_tags + fields.tags
    if title.startswith("~~") and _STRUCK.match(title):
        return None  # struck through: the team dropped it, it is no longer an action
    title = _clean_inline(title)
    if not title:
        return None
    raw = RawAction(
        title=title, line=line, end_line=line, text=title, done=done or defaults.done, noqa=noqa, key=key)
    raw.default_phase, raw.default_category = defaults.phase, defaults.category
    _fill(raw, fields)
    raw.ticket = raw.ticket or lead_ticket
    raw.priority = raw.priority or lead_priority
    raw.done = raw.done or lead_status
    return raw


# Notion and Markdown task boards open an item with its status as an emoji: "✅ Roll back …"
# is done, "🚧 Alert …" is under way. The emoji is not part of the title.
_DONE_MARKS = ("✅", "✔️", "✔", "☑️", "☑")
_OPEN_MARKS = ("🚧", "⏳", "🔲", "⬜", "🔜", "🏗️", "🏗")
# "Follow-up: Add …", "Action item: …", "TODO: …": the list's own label, not the title.
_LEAD_LABEL = re.compile(r"(?:follow[- ]?up|action(?: item)?|todo|to-do)\s*[:：]\s+", re.I)
_MARK_INITIALS = frozenset(mark[0] for mark in _DONE_MARKS + _OPEN_MARKS)
_LABEL_INITIALS = frozenset("FfAaTt")
_LEAD_TAGS = re.compile(r"(?:#[^\W\d][\w\-+/]*[ \t]+)+")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")


def _lead_status(text: str) -> tuple[str, bool]:
    """(the text without a leading status emoji or list label, whether it says done)."""
    done = False
    if text[:1] in _MARK_INITIALS:
        for marks, says_done in ((_DONE_MARKS, True), (_OPEN_MARKS, False)):
            mark = next((m for m in marks if text.startswith(m)), None)
            if mark is not None and len(text) > len(mark) + 1:
                text, done = text[len(mark):].lstrip(), says_done
                break
    if text[:1] in _LABEL_INITIALS:
        label = _LEAD_LABEL.match(text)
        if label is not None and label.end() < len(text):
            text = text[label.end():]
    return text, done


def _lead_tags(text: str) -> tuple[str, list[str]]:
    """"#detect #post-release Log …": phase and category tags opening the item."""
    if not text.startswith("#"):
        return text, []
    match = _LEAD_TAGS.match(text)
    if match is None or match.end() == len(text):
        return text, []
    tags = match.group(0).split()
    names = [tag[1:] for tag in tags]
    if not all(parse_phase(n) or parse_category(n) for n in names):
        return text, []  # "#db-alerts posts …" or "#123 …" is not a tag run
    return text[match.end():], names


def _unescape(text: str) -> str:
    """Backslash escapes from exports (Google Docs writes "\\- Owner:", "\\[x\\]")."""
    return _ESCAPED.sub(r"\1", text) if "\\" in text else text


_LEAD_PRIORITY = re.compile(r"(?:\*\*|__)?[\[(（【](?P<p>P[0-4])[\])）】](?:\*\*|__)?[:：]?\s+|(?P<q>P[0-4])[:：]\s+")


def _lead_priority(text: str) -> tuple[str, str | None]:
    """"**[P1]** Alert …" or "P2: Add …": a priority opening the item, not the title's first word."""
    if "P" not in text[:8]:
        return text, None
    match = _LEAD_PRIORITY.match(text)
    if match is None or match.end() == len(text):
        return text, None
    return text[match.end():], match.group("p") or match.group("q")


def _unbold_keys(text: str) -> str:
    """'**Owner:** @a' or '**Due**: 2024-07-01' → 'Owner: @a': bold labels are still keys."""
    if "**" not in text and "__" not in text:
        return text
    return _BOLD_KEY.sub(lambda m: f"{m.group(2)}{m.group(3) or m.group(4)} ", text)


def _lead_ticket(text: str) -> tuple[str, str | None]:
    """An issue key opening the item ("[PAY-2210](…) Set …", "OPS-12: Add …"): the ticket,
    not the first words of the title."""
    if not text[:1].isupper() and not text.startswith("["):
        return text, None
    match = _LEAD_TICKET.match(text)
    if match is None or match.end() == len(text):
        return text, None
    return text[match.end():], match.group("linked") or match.group("bare")


_FIELD_ATTRS = ("owner", "phase", "category", "priority", "status", "ticket")


def _fill(raw: RawAction, fields: Fields) -> None:
    """Copy fields into the action where it has none yet (the first value written wins)."""
    apply_tags(fields)
    for name, written in fields.values.items():
        value = _value(written)
        if value is None:
            continue
        if name == "due":
            if raw.due is None:
                raw.due, raw.due_line = value, raw.line
        elif name == "id":
            raw.key = raw.key or value
        elif name in _FIELD_ATTRS and getattr(raw, name) is None:
            setattr(raw, name, value)
    if raw.owner is None and fields.handles:
        raw.owner = fields.handles[0]
    if raw.priority is None and fields.priority:
        raw.priority = fields.priority
    if raw.ticket is None and fields.tickets:
        raw.ticket = fields.tickets[0]
    if fields.tags:
        raw.tags += fields.tags


def _value(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = _clean_inline(value)
    if "\u3000" in cleaned:
        cleaned = cleaned.replace("\u3000", " ").strip()  # "システム課　渡辺"
    return None if is_placeholder(cleaned) else cleaned


def _comments(text: str) -> tuple[str, frozenset[str] | None, str | None]:
    """Strip HTML comments; return (text, noqa codes, explicit id) found in them."""
    if "<!--" not in text:
        return text, None, None
    noqa: frozenset[str] | None = None
    key: str | None = None
    for match in _COMMENT.finditer(text):
        body = match.group("body")
        marker = _NOQA.match(body)
        if marker:
            codes = marker.group("codes") or ""
            noqa = frozenset(c.strip() for c in re.split(r"[,\s]+", codes) if c.strip())
        explicit = _EXPLICIT_ID.match(body)
        if explicit:
            key = explicit.group("id")
    return _COMMENT.sub("", text).strip(), noqa, key


def _clean_inline(text: str) -> str:
    """Drop emphasis markers and link targets; keep the words."""
    if "*" in text or "__" in text:
        text = _EMPHASIS.sub(r"\2", text)
    if "](" in text:
        text = _LINK.sub(lambda m: m.group("text"), text)
    return text.strip()


# --- tables --------------------------------------------------------------------------------


def table_columns(lines: list[str], row_index: int) -> dict[int, str] | None:
    """The column → field map of the table a row belongs to (for write-back), if any."""
    index = row_index
    while index > 0 and "|" in lines[index - 1] and not _TABLE_DELIM.match(lines[index]):
        index -= 1
    if index == 0 or not _TABLE_DELIM.match(lines[index]):
        return None
    return _columns(_cells(lines[index - 1]))


def _cells(line: str) -> list[str]:
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(stripped)]


def _columns(header: list[str]) -> dict[int, str]:
    """Map column index → field, from the header's words ("担当者" → owner)."""
    mapping: dict[int, str] = {}
    for index, name in enumerate(header):
        fieldname = COLUMN_FIELDS.get(normalise(_clean_inline(name)))
        if fieldname and fieldname not in mapping.values():
            mapping[index] = fieldname
    if "title" not in mapping.values():
        for index, name in enumerate(header):
            if index not in mapping and normalise(name) not in ("", "#", "no", "no.", "番号", "項番"):
                mapping[index] = "title"
                break
    return mapping


def _read_table(
    lines: list[str], index: int, end: int, defaults: _Defaults, raws: list[RawAction]
) -> int:
    columns = _columns(_cells(lines[index]))
    row = index + 2
    while row < end and "|" in lines[row] and lines[row].strip():
        cells = _cells(lines[row])
        raw = _raw_from_row(cells, columns, row + 1, defaults)
        if raw is not None:
            raws.append(raw)
        row += 1
    return row


def _raw_from_row(
    cells: list[str], columns: dict[int, str], line: int, defaults: _Defaults
) -> RawAction | None:
    values = {name: cells[i] for i, name in columns.items() if i < len(cells)}
    title_cell = values.pop("title", "")
    raw = _raw_from_text(title_cell.replace("<br>", " "), line, False, defaults)
    if raw is None:
        return None
    fields = Fields(values={k: v for k, v in values.items() if v and not v.isspace()})  # _fill drops "TBD"
    ticket = fields.values.get("ticket")
    if ticket is not None and _value(ticket) is None:
        fields.values.pop("ticket")
        ticket = None
    if ticket is not None and "status" not in fields.values:
        # The Google SRE template's Bug column: "Bug 5554823 **DONE**", "n/a **TODO**".
        status = _TRAILING_STATUS.search(ticket)
        if status:
            fields.values["status"] = status.group("status").strip()
            ticket = ticket[: status.start()].strip()
            fields.values["ticket"] = ticket
            if _value(ticket) is None:
                fields.values.pop("ticket")
                ticket = None
    if ticket is not None:
        link = _LINK.search(ticket)
        fields.values["ticket"] = link.group("url") if link else _clean_inline(ticket)
        if not ISSUE_KEY.match(fields.values["ticket"].strip()):
            fields.values.pop("ticket")
    _fill(raw, fields)
    return raw


def parse_meta_date(value: object) -> dt.date | str | None:
    """A front-matter date stays a date; anything else is text to parse later."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return str(value) if value is not None else None
