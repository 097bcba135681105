"""The plain-text layer: what a line means when the document is not (only) Markdown.

Japanese notices and plain-text reports mark structure with glyphs Markdown does not know:
`【再発防止策】` and `■原因` lines are section titles, `３．再発防止策` a numbered one, and
`・`, `■`, `①`, `（１）`, `1.` without a space open items, often indented with full-width
spaces. CommonMark reads such lines as one paragraph; this layer splits a paragraph's
lines into headings, items (nested by indentation and by numbering level) and prose.
It runs on a paragraph's lines only, so code, tables and real lists are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actiontrack.lazyre import lazy_regex
from actiontrack.reader.sections import heading_role
from actiontrack.taxonomy import normalise

__all__ = ["BRACKET_LEVEL", "PlainHeading", "PlainItem", "PlainLine", "PlainText", "labels_section", "split_lines"]

BRACKET_LEVEL = 7
_MAX_NESTING = 32  # below every Markdown heading: "【開発時】" inside "## 再発防止策" is a sub-heading


@dataclass(slots=True)
class PlainLine:
    number: int  # 0-based line number in the document
    start: int  # text offset where the line's content (after indentation) starts
    end: int  # text offset of the line's end
    text: str  # the content, without indentation


@dataclass(slots=True)
class PlainHeading:
    line: PlainLine
    text: str
    level: int = BRACKET_LEVEL


@dataclass(slots=True)
class PlainItem:
    """A ・ / （１） / 1. line and the lines that carry it on; nested items below it."""

    line: PlainLine
    text: str  # the words after the bullet
    marker_start: int  # text offset of the bullet
    family: int  # numbering level: a lower number holds items of a higher one
    indent: int  # columns of indentation before the bullet
    measure: bool = False  # the bullet names it a measure (「対策１：」): an action wherever it stands
    details: list[PlainLine] = field(default_factory=list)
    children: list[PlainItem] = field(default_factory=list)


@dataclass(slots=True)
class PlainText:
    lines: list[PlainLine]


PlainUnit = PlainHeading | PlainItem | PlainText

_BRACKET_HEADING = lazy_regex(r"【(?P<text>[^】]{1,40})】[ \t\u3000]*$")
_MARK_HEADINGS = "■◆●□◇▼▶◎"
_MEASURE = lazy_regex(r"(?:対策|施策|改善策|再発防止策|アクション)[ \t\u3000]?[0-9０-９]{1,2}[:：][ \t\u3000]*")
# Bullets, with the numbering level each one usually takes in a notice: 1. > （１） > ① > ・
_BULLETS = (
    # "#." is reStructuredText's auto-numbered item (reports kept as .rst or .txt)
    (lazy_regex(r"(?:第[0-9０-９]{1,2}[章節]|[0-9０-９]{1,2}[.．](?![0-9０-９]))[ \t\u3000]*|#\.[ \t]+"), 0),
    # 「対策１：…」「施策2:」: a measure numbered by its name, each line one measure
    (_MEASURE, 0),
    (lazy_regex(r"[(（][0-9０-９]{1,2}[)）][ \t\u3000]*|[0-9０-９]{1,2}[)）][ \t\u3000]*|[⑴-⒇][ \t\u3000]*"), 1),
    # "ア　…", "イ　…": the katakana a notice numbers with under （１）, a space after it
    (lazy_regex(r"[①-⑳❶-❿][ \t\u3000]*|[(（][a-zａ-ｚアイウエオカキクケコ][)）][ \t\u3000]*"
                r"|[アイウエオカキクケコサシスセソ][ \t\u3000]+"), 2),
    (lazy_regex(r"[・■□●○◆◇▪▫•◦‣➢➤►▶▷✓✔☑☐][ \t\u3000]*|[-*+][ \t]+"), 3),
)
_BULLET_START = frozenset("0123456789０１２３４５６７８９(（①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽"
                          "❶❷❸❹❺❻❼❽❾❿第・■□●○◆◇▪▫•◦‣➢➤►▶▷✓✔☑☐-*+#アイウエオカキクケコサシスセソ対施改再")
# "４　今後の対策": a number and a space over a section, as a notice numbers its sections
_NUMBERED_TITLE = lazy_regex(r"[0-9０-９]{1,2}[ \t\u3000]+")
_TIME = lazy_regex(r"(?:\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?\s*)?\d{1,2}[:：時]\d{2}")
# Words that name a section of a plain-text report ("■原因", "２．影響範囲").
_SECTION_WORDS = frozenset(normalise(word) for word in (
    "概要", "原因", "根本原因", "影響", "影響範囲", "発生日時", "発生日", "経緯", "時系列", "対応", "対応内容",
    "暫定対応", "振り返り", "背景", "検知", "復旧", "備考", "参考", "関連", "事象", "現象", "詳細", "お問い合わせ",
    "お問い合わせ先", "発生事象", "障害内容", "障害概要", "復旧日時", "対象", "対象者", "被害状況", "今後について",
))


def _indent(raw: str) -> int:
    columns = 0
    for char in raw:
        if char == " ":
            columns += 1
        elif char == "\t":
            columns += 4 - columns % 4
        elif char == "\u3000":
            columns += 2
        else:
            break
    return columns


def is_section_title(text: str) -> bool:
    """"再発防止策" or "原因" is a section title in a plain-text report; "証明書を更新する" is not."""
    if not text or len(text) > 24:
        return False
    key = normalise(text.rstrip(":："))
    if key in _SECTION_WORDS:
        return True
    role = heading_role(text)
    return role.actions or role.never or role.done


def labels_section(words: str) -> bool:
    """"Future", "Remedied", "再発防止策", "Timeline": a line holding only a section's name and
    a colon is that section's heading."""
    return is_section_title(words)  # "Short term:" under "Future:" is no section: it keeps its items


def _heading(text: str) -> str | None:
    """The title a plain-text heading line gives, or None."""
    if text.startswith("【"):
        bracket = _BRACKET_HEADING.match(text)
        if bracket:
            return bracket.group("text")
    if text[0] in _MARK_HEADINGS:
        title = text[1:].strip(" \t\u3000■◆●□◇▼▶◎")
        return title if is_section_title(title) else None
    return None


def _bullet(text: str) -> tuple[int, int] | None:
    """(the bullet's width, its numbering level) when the line opens a plain-text item."""
    if text[0] not in _BULLET_START:
        return None
    for pattern, family in _BULLETS:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return match.end(), family
    return None


# A line of one punctuation mark under (and over) a title: reStructuredText's and plain-text
# mail's headings ("Resolution" over "----------", "Changes" over "^^^^^^^", 再発防止策 between
# two lines of ━ or ＝).
_UNDERLINE_MARKS = "=-~^#*+\"'`:._━＝─－"
_UNDERLINE_MARKS_SET = frozenset(_UNDERLINE_MARKS)
_ATX = lazy_regex(r"(#{1,6})[ \t]+(?P<text>\S.*?)[ \t#]*$")
_LONGEST_TITLE = 80


def _underline(text: str) -> str | None:
    """The mark of a line made of one punctuation mark repeated (at least 3 times), or None."""
    if len(text) < 3 or text[0] not in _UNDERLINE_MARKS or text.strip(text[0]):
        return None
    return text[0]


def _titled(lines: list[PlainLine], i: int) -> tuple[str, str, int] | None:
    """(title, style, lines used) when lines[i] opens an underlined (or over- and underlined) title."""
    content = lines[i].text
    over = _underline(content)
    if over is not None and i + 2 < len(lines) and lines[i + 2].text == content:
        title = lines[i + 1].text.strip()
        if title and len(title) <= _LONGEST_TITLE and _underline(title) is None:
            return title, "over" + over, 3
    if over is None and i + 1 < len(lines) and len(content) <= _LONGEST_TITLE and _bullet(content) is None:
        under = _underline(lines[i + 1].text)
        if under is not None and 2 * len(lines[i + 1].text) >= len(content):
            return content.strip(), under, 2
    return None


def _level(styles: dict[str, int] | None, style: str) -> int:
    if styles is None:
        return BRACKET_LEVEL
    return styles.setdefault(style, min(len(styles) + 1, 6))


def split_lines(lines: list[PlainLine], raw_starts: list[int], text: str,
                styles: dict[str, int] | None = None) -> list[PlainUnit]:
    """Split a paragraph's lines into plain-text headings, items and prose.

    `raw_starts[i]` is where line i's indentation begins (so nesting can be read from it).
    `styles` maps each underline style met so far in the document to its level, in order of
    first use, as reStructuredText does; a caller that passes the same dict for every
    paragraph gets sub-headings nested under headings. Without it (a Markdown document, whose
    own headings hold the paragraph) every underlined title is a sub-heading, as 【】 ones are.
    A paragraph with no plain-text structure comes back as one PlainText.
    """
    units: list[PlainUnit] = []
    open_items: list[PlainItem] = []  # the chain of items the next line may belong to
    prose: list[PlainLine] = []
    skip = 0
    for index, (line, raw_start) in enumerate(zip(lines, raw_starts, strict=True)):
        if skip:
            skip -= 1
            continue
        content = line.text
        if not content:
            continue
        if content[0] in _UNDERLINE_MARKS:
            titled = _titled(lines, index)
            atx = _ATX.match(content) if titled is None and content[0] == "#" else None
            if titled is not None or atx is not None:
                _flush_prose(units, prose)
                open_items.clear()
                if titled is not None:
                    name, style, used = titled
                    units.append(PlainHeading(lines[index + used - 2], name, _level(styles, style)))
                    skip = used - 1
                else:
                    assert atx is not None
                    level = len(atx.group(1)) if styles is not None else BRACKET_LEVEL
                    units.append(PlainHeading(line, atx.group("text"), level))
                continue
        elif index + 1 < len(lines) and lines[index + 1].text[:1] in _UNDERLINE_MARKS_SET and (
                titled := _titled(lines, index)) is not None:
            _flush_prose(units, prose)
            open_items.clear()
            name, style, used = titled
            units.append(PlainHeading(line, name, _level(styles, style)))
            skip = used - 1
            continue
        title = _heading(content) if content[0] in "【■◆●□◇▼▶◎" else None
        numbered = _bullet(content)
        if title is None and numbered is not None and numbered[1] == 0:
            words = content[numbered[0]:].strip()
            title = words if is_section_title(words) else None  # "３．再発防止策"
        elif title is None and numbered is None and content[0] in "0123456789０１２３４５６７８９":
            spaced = _NUMBERED_TITLE.match(content)
            words = content[spaced.end():].strip() if spaced else ""
            title = words if words and is_section_title(words) else None  # "４　今後の対策"
        elif title is None and numbered is None and content[-1] in ":：" and len(content) <= 25:
            words = content[:-1].strip()
            title = words if words and labels_section(words) else None  # "Future:" over its items
        if title is not None:
            _flush_prose(units, prose)
            open_items.clear()
            units.append(PlainHeading(line, title))
            continue
        indent = _indent(text[raw_start : line.start])
        if numbered is not None and not _TIME.match(content):
            _flush_prose(units, prose)
            width, family = numbered
            item = PlainItem(line, content[width:].strip(), line.start, family, indent,
                             measure=content[0] in "対施改再ア" and _MEASURE.match(content) is not None)
            _place(units, open_items, item)
            continue
        if open_items and (indent > open_items[-1].indent or (not prose and _carries_on(open_items[-1]))):
            open_items[-1].details.append(line)
            continue
        open_items.clear()
        prose.append(line)
    _flush_prose(units, prose)
    return units


def _carries_on(item: PlainItem) -> bool:
    """A line right after an item whose words have not ended carries on its sentence."""
    last = item.details[-1].text if item.details else item.text
    return bool(last) and last[-1] not in "。.!?！？)）」"


def _place(units: list[PlainUnit], open_items: list[PlainItem], item: PlainItem) -> None:
    """Nest `item` under the open item it belongs to: one indented deeper, or at the same
    indentation with a deeper numbering level ("・" under "（１）システム面")."""
    while open_items:
        parent = open_items[-1]
        if len(open_items) >= _MAX_NESTING:
            open_items.pop()  # deeper than anyone writes: a sibling, not a child (reading stays iterative)
            continue
        if parent.indent < item.indent or (parent.indent == item.indent and parent.family < item.family):
            parent.children.append(item)
            open_items.append(item)
            return
        open_items.pop()
    units.append(item)
    open_items.append(item)


def _flush_prose(units: list[PlainUnit], prose: list[PlainLine]) -> None:
    if prose:
        units.append(PlainText(list(prose)))
        prose.clear()


def has_structure(lines: list[PlainLine]) -> bool:
    """Whether a paragraph may need this layer: a line opens with a bullet or a mark, or is an
    underline (a prose line that opens with a quote or a colon is no reason to look further)."""
    return any(line.text[:1] in _STRUCTURE_START or _underline(line.text) is not None for line in lines if line.text)


_STRUCTURE_START = frozenset(_BULLET_START | frozenset("【■◆●□◇▼▶◎"))
