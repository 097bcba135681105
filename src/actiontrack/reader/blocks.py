"""Markdown block structure, as CommonMark 0.31 and GitHub's tables define it.

One pass over the lines, in the parsing strategy the spec's appendix describes (and
commonmark.js implements): each line first continues the open containers it can (block
quotes, list items), then may open new blocks, then its text goes to the innermost block
that takes lines (a paragraph, with lazy continuation; code; HTML; a table).

Only block structure is read: inline Markdown (emphasis, links) is left to the callers,
which need the words, not HTML. Every block keeps where it came from (line numbers and
character offsets into the text), so that write-back can edit exactly the bytes of an
action. Link reference definitions are read as paragraph text (no postmortem needs them).

Why our own: markdown-it-py's block pass alone costs more per action than lint's whole
budget (bench/throughput.py), and its import a third of the start-up budget. The tests
hold this module to the spec's own examples and to markdown-it-py on generated input.

Linear in the input: no regular expression here can backtrack over more than one line
(the HTML tag pattern is possessive), no line is rescanned, nesting is iterative and
capped at MAX_DEPTH (deeper markers are read as text, and reported by the caller).
"""

from __future__ import annotations

import itertools
import re
from enum import IntEnum
from typing import NamedTuple

from actiontrack.lazyre import lazy_regex

__all__ = ["MAX_DEPTH", "Block", "Kind", "Line", "parse_blocks"]

MAX_DEPTH = 64  # open containers at once; deeper list markers or '>' are paragraph text
_CODE_INDENT = 4


class Kind(IntEnum):
    DOCUMENT = 0
    QUOTE = 1
    LIST = 2
    ITEM = 3
    PARAGRAPH = 4
    HEADING = 5
    CODE = 6
    HTML = 7
    BREAK = 8  # thematic break
    TABLE = 9


_CONTAINERS = frozenset((Kind.DOCUMENT, Kind.QUOTE, Kind.ITEM))
_ACCEPTS_LINES = frozenset((Kind.PARAGRAPH, Kind.CODE, Kind.HTML, Kind.TABLE))
_LEAVES_TAKING_LINES = frozenset((Kind.CODE, Kind.HTML))
_CONSUMED = 3  # a block start that took the whole line (heading, break, fence, delimiter row)


def _can_contain(parent: Kind, child: Kind) -> bool:
    if parent is Kind.LIST:
        return child is Kind.ITEM
    return parent in _CONTAINERS and child is not Kind.ITEM


class Line(NamedTuple):
    """One line of a leaf block's content: its index in the text's lines, the offset (into
    the whole text) where the block's content starts on it, and the columns of indentation
    the line had inside its containers."""

    number: int
    start: int
    indent: int = 0


class Block:
    """A node of the block tree.

    The attributes every block needs are slots, set in __init__; the ones only some kinds
    use (heading level, list marker, fence) are class defaults, set per instance when they
    apply: tens of thousands of blocks are made a second, and each assignment costs.
    """

    __slots__ = ("__dict__", "children", "closed", "depth", "first", "kind", "last", "lines", "parent")

    level = 0  # heading level
    setext = False
    text = ""  # ATX heading text (setext headings keep their lines)
    info = ""  # fenced code info string
    fence_char = ""
    fence_length = 0
    fence_indent = 0
    html_type = 0
    ordered = False  # list / item
    bullet = ""  # "-", "*", "+" for bullets; "." or ")" for ordered
    start = 1  # first number of an ordered list
    marker_offset = 0  # columns of indentation before an item's marker
    marker_start = 0  # text offset of the marker
    padding = 0  # marker width plus spaces after it, in columns
    content_offset = -1  # text offset where an item's content starts on its first line
    deepest = 0  # on the document: the deepest nesting reached (MAX_DEPTH - 1 means capped)

    def __init__(self, kind: Kind, parent: Block | None, first: int) -> None:
        self.kind = kind
        self.parent = parent
        self.children: list[Block] = []
        self.first = first  # 0-based index of the first line
        self.last = first  # 0-based index of the last line (inclusive)
        self.closed = False
        self.depth: int = parent.depth + 1 if parent is not None else 0
        self.lines: list[Line] = []  # leaf content lines

    def __repr__(self) -> str:
        return f"<{self.kind.name} {self.first + 1}-{self.last + 1}>"

    def walk(self) -> list[Block]:
        """This block and every block below it, in document order (iteratively)."""
        out: list[Block] = []
        stack = [self]
        while stack:
            block = stack.pop()
            out.append(block)
            stack.extend(reversed(block.children))
        return out

    def content(self, text: str, line_ends: list[int]) -> str:
        """A leaf's text: its lines, each from its content start, joined with newlines."""
        return "\n".join(text[line.start : line_ends[line.number]] for line in self.lines)


# --- leaf starts that regexes do best (each anchored, each within one line) -------------

_ATX = lazy_regex(r"#{1,6}(?:[ \t]+|$)")
_FENCE = lazy_regex(r"`{3,}+(?!.*`)|~{3,}+")
_CLOSING_FENCE = lazy_regex(r"(?:`{3,}|~{3,})(?=[ \t]*$)")
_SETEXT = lazy_regex(r"(?:=+|-+)[ \t]*$")
_ORDERED = lazy_regex(r"(\d{1,9})([.)])")
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    "dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[123456]|head|"
    "header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|"
    "param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_ATTRIBUTE = (
    r"(?:\s++[a-zA-Z_:][a-zA-Z0-9:._-]*+"
    r"(?:\s*+=\s*+(?:[^\"'=<>`\x00-\x20]++|'[^']*+'|\"[^\"]*+\"))?+)"
)
_HTML_OPEN = (
    lazy_regex(r"<(?:script|pre|textarea|style)(?:\s|>|$)", re.I),
    lazy_regex(r"<!--"),
    lazy_regex(r"<[?]"),
    lazy_regex(r"<![A-Za-z]"),
    lazy_regex(r"<!\[CDATA\["),
    lazy_regex(r"</?(?:" + _BLOCK_TAGS + r")(?:\s|/?>|$)", re.I),
    lazy_regex(r"(?:<[A-Za-z][A-Za-z0-9-]*+" + _ATTRIBUTE + r"*+\s*+/?>|</[A-Za-z][A-Za-z0-9-]*+\s*+>)\s*+$"),
)
_HTML_CLOSE = (
    lazy_regex(r"</(?:script|pre|textarea|style)>", re.I),
    lazy_regex(r"-->"),
    lazy_regex(r"\?>"),
    lazy_regex(r">"),
    lazy_regex(r"\]\]>"),
)
_MAYBE_SPECIAL = frozenset("#`~*+_=<>-0123456789")


def _is_break(rest: str) -> bool:
    """A thematic break: three or more of one of - _ *, with only spaces or tabs between."""
    char = rest[0]
    if char not in "-_*":
        return False
    count = 0
    for c in rest:
        if c == char:
            count += 1
        elif c not in " \t":
            return False
    return count >= 3


def _atx_text(rest: str) -> str:
    """A heading's text without its optional closing sequence of '#'s (linear)."""
    text = rest.strip(" \t")
    if not text.endswith("#"):
        return text
    bare = text.rstrip("#")
    if not bare:
        return ""
    if bare[-1] in " \t":
        return bare.rstrip(" \t")
    return text


_UNESCAPED_PIPE = lazy_regex(r"(?<!\\)\|")


def cell_bounds(row: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's content in a table row, stripped, as GitHub splits a row:
    on pipes not escaped by a backslash, the outer pipes optional."""
    pipes = [m.start() for m in _UNESCAPED_PIPE.finditer(row)] if "\\" in row else _pipes(row)
    if not pipes:
        stripped = row.strip(" \t")
        start = len(row) - len(row.lstrip(" \t"))
        return [(start, start + len(stripped))]
    edges = [-1, *pipes, len(row)]
    bounds = []
    for left, right in itertools.pairwise(edges):
        start, end = left + 1, right
        while start < end and row[start] in " \t":
            start += 1
        while end > start and row[end - 1] in " \t":
            end -= 1
        bounds.append((start, end))
    if len(bounds) > 1 and bounds[0][0] == bounds[0][1] and row[: pipes[0]].strip() == "":
        bounds.pop(0)  # before a leading pipe
    if len(bounds) > 1 and bounds[-1][0] == bounds[-1][1] and row[pipes[-1] + 1 :].strip() == "":
        bounds.pop()  # after a trailing pipe
    return bounds


def _pipes(row: str) -> list[int]:
    found = []
    position = row.find("|")
    while position >= 0:
        found.append(position)
        position = row.find("|", position + 1)
    return found


def split_cells(row: str) -> list[str]:
    """A table row's cells as GitHub splits them; cell text is stripped and keeps its escapes."""
    if "|" not in row:
        return [row.strip()]
    return [row[start:end] for start, end in cell_bounds(row)]


def _delimiter_columns(row: str) -> int:
    """How many columns a table delimiter row ('| :-- | --: |') declares; 0 if it is none.

    As markdown-it reads GitHub's rule: at least two characters, and not '- …', which
    would be a list item.
    """
    stripped = row.strip(" \t")
    if len(stripped) < 2 or stripped[0] not in "|-:" or stripped[1] not in "|-: \t" or (
        stripped[0] == "-" and stripped[1] in " \t"
    ) or stripped.strip("|-: \t"):
        return 0
    parts = stripped.split("|")
    count = 0
    for index, part in enumerate(parts):
        cell = part.strip(" \t")
        if not cell:
            if index in (0, len(parts) - 1):
                continue
            return 0
        body = cell[1:] if cell[0] == ":" else cell
        body = body[:-1] if body.endswith(":") else body
        if not body or body.strip("-"):
            return 0
        count += 1
    return count


def _header_columns(row: str) -> int:
    if "|" not in row:
        return 0
    cells = split_cells(row)
    return len(cells)


class _Parser:
    """State of one parse: the line being read and where we are in it."""

    def __init__(self, text: str, line_starts: list[int], line_ends: list[int], first_line: int,
                 fast: bool = True) -> None:
        self.fast = fast
        self.text = text
        self.starts = line_starts
        self.ends = line_ends
        self.doc = Block(Kind.DOCUMENT, None, first_line)
        self.tip = self.doc
        self.line = ""
        self.index = 0
        self.base = 0  # text offset of the current line
        self.offset = 0  # position in the current line
        self.column = 0
        self.next_nonspace = 0
        self.next_nonspace_column = 0
        self.indent = 0
        self.indented = False
        self.blank = False
        self.partial_tab = False
        self.tabs = False
        self.all_closed = True
        self.deepest = 0
        self.last_matched: Block = self.doc
        self.old_tip = self.doc

    # --- position in the line (tabs count to the next multiple of four columns) ---------

    def find_next_nonspace(self) -> None:
        line = self.line
        i, cols = self.offset, self.column
        length = len(line)
        if i < length and line[i] not in " \t":  # the common case: no indentation here
            self.blank = False
            self.next_nonspace, self.next_nonspace_column = i, cols
            self.indent = 0
            self.indented = False
            return
        if not self.tabs:  # spaces only: count them at C speed, however many there are
            rest = line[i:]
            spaces = len(rest) - len(rest.lstrip(" "))
            i, cols = i + spaces, cols + spaces
        while i < length:
            c = line[i]
            if c == " ":
                i += 1
                cols += 1
            elif c == "\t":
                i += 1
                cols += 4 - (cols % 4)
            else:
                break
        self.blank = i >= length
        self.next_nonspace = i
        self.next_nonspace_column = cols
        self.indent = cols - self.column
        self.indented = self.indent >= _CODE_INDENT

    def advance_next_nonspace(self) -> None:
        self.offset = self.next_nonspace
        self.column = self.next_nonspace_column
        self.partial_tab = False

    def advance_offset(self, count: int, columns: bool) -> None:
        if not self.tabs:
            step = min(count, len(self.line) - self.offset)
            self.offset += step
            self.column += step
            self.partial_tab = False
            return
        line = self.line
        length = len(line)
        while count > 0 and self.offset < length:
            if line[self.offset] == "\t":
                to_tab = 4 - (self.column % 4)
                if columns:
                    self.partial_tab = to_tab > count
                    step = min(to_tab, count)
                    self.column += step
                    self.offset += 0 if self.partial_tab else 1
                    count -= step
                else:
                    self.partial_tab = False
                    self.column += to_tab
                    self.offset += 1
                    count -= 1
            else:
                self.partial_tab = False
                self.offset += 1
                self.column += 1
                count -= 1

    # --- the tree -----------------------------------------------------------------------

    def add_child(self, kind: Kind) -> Block:
        while not _can_contain(self.tip.kind, kind):
            self.finalize(self.tip, self.index - 1)
        block = Block(kind, self.tip, self.index)
        self.tip.children.append(block)
        self.tip = block
        if block.depth > self.deepest:
            self.deepest = block.depth
        return block

    def finalize(self, block: Block, last: int) -> None:
        block.closed = True
        block.last = max(block.first, last)
        if block.kind is Kind.CODE and not block.fence_char:
            while block.lines and self.text[block.lines[-1].start : self.ends[block.lines[-1].number]].strip() == "":
                block.lines.pop()
            if block.lines:
                block.last = block.lines[-1].number
        elif block.kind is Kind.PARAGRAPH and block.lines:
            block.last = block.lines[-1].number
        assert block.parent is not None
        self.tip = block.parent

    def close_unmatched(self) -> None:
        if not self.all_closed:
            while self.old_tip is not self.last_matched:
                parent = self.old_tip.parent
                assert parent is not None
                self.finalize(self.old_tip, self.index - 1)
                self.old_tip = parent
            self.all_closed = True

    def add_line(self) -> None:
        start = self.base + self.offset
        if self.partial_tab:
            self.offset += 1  # the rest of the tab is spaces of the content: we keep the tab
        self.tip.lines.append(Line(self.index, start, self.indent))
        self.tip.last = self.index

    # --- one line -----------------------------------------------------------------------

    def incorporate(self, index: int) -> None:
        self.index = index
        self.base = self.starts[index]
        self.line = line = self.text[self.base : self.ends[index]]
        if self.fast and self.fast_path(line):
            return
        self.tabs = "\t" in line
        self.offset = self.column = 0
        self.blank = self.partial_tab = False
        container = self.doc
        self.old_tip = self.tip
        while container.children and not container.children[-1].closed:
            container = container.children[-1]
            self.find_next_nonspace()
            result = self.continues(container)
            if result == 2:
                return
            if result == 1:
                assert container.parent is not None
                container = container.parent
                break
        self.all_closed = container is self.old_tip
        self.last_matched = container
        matched_leaf = container.kind in _LEAVES_TAKING_LINES  # a paragraph or table may yet be interrupted
        while not matched_leaf:
            self.find_next_nonspace()
            if not self.indented and (self.blank or (
                (char := self.line[self.next_nonspace]) not in _MAYBE_SPECIAL
                and not (char in "|:" and container.kind is Kind.PARAGRAPH)  # a delimiter row
            )):
                self.advance_next_nonspace()
                break
            started = self.block_start(container)
            if started == 0:
                self.advance_next_nonspace()
                break
            if started == _CONSUMED:
                return
            container = self.tip
            if started == 2:
                matched_leaf = True
        if not self.all_closed and not self.blank and self.tip.kind is Kind.PARAGRAPH:
            self.add_line()  # lazy continuation
            return
        self.close_unmatched()
        kind = container.kind
        if kind in _ACCEPTS_LINES:
            if kind is Kind.TABLE and self.blank:
                return
            self.add_line()
            if kind is Kind.HTML and 1 <= container.html_type <= 5 and _HTML_CLOSE[container.html_type - 1].search(
                self.line, self.offset
            ):
                self.finalize(container, index)
        elif self.offset < len(self.line) and not self.blank:
            self.add_child(Kind.PARAGRAPH)
            self.advance_next_nonspace()
            self.add_line()

    def fast_path(self, line: str) -> bool:
        """The lines most postmortems are made of, taken without the general machinery when
        the outcome is certain: another row of a top-level table, another line of a
        top-level paragraph, another item of a top-level "- " list. Each case is exactly
        what the general path would do (the CommonMark tests run both)."""
        tip = self.tip
        first = line[:1]
        if not first or first in " \t":
            return False
        parent = tip.parent
        if parent is self.doc:
            if tip.kind is Kind.TABLE and first == "|" and line.strip():
                tip.lines.append(Line(self.index, self.base, 0))
                tip.last = self.index
                return True
            if tip.kind is Kind.PARAGRAPH and first not in _MAYBE_SPECIAL and first not in "|:" and line.strip():
                tip.lines.append(Line(self.index, self.base, 0))
                tip.last = self.index
                return True
            return False
        if (tip.kind is Kind.PARAGRAPH and parent is not None and parent.kind is Kind.ITEM
                and first in "-*+" and line[1:2] == " " and line[2:3] not in ("", " ", "\t")
                and line[2] not in _MAYBE_SPECIAL  # "- ```", "- 1. x", "- # x" open blocks inside the item
                and parent.bullet == first and parent.marker_offset == 0 and parent.parent is not None
                and parent.parent.parent is self.doc and "\t" not in line):
            item_list = parent.parent
            self.finalize(tip, self.index - 1)
            self.finalize(parent, self.index - 1)
            item = Block(Kind.ITEM, item_list, self.index)
            item_list.children.append(item)
            item.bullet, item.marker_start, item.padding = first, self.base, 2
            item.content_offset = self.base + 2
            paragraph = Block(Kind.PARAGRAPH, item, self.index)
            item.children.append(paragraph)
            paragraph.lines.append(Line(self.index, self.base + 2, 0))
            self.tip = paragraph
            return True
        return False

    def continues(self, block: Block) -> int:
        """0: the line continues `block`; 1: it does not; 2: it ended it (a closing fence)."""
        kind = block.kind
        if kind is Kind.PARAGRAPH:
            return 1 if self.blank else 0
        if kind is Kind.ITEM:
            if self.blank:
                if not block.children:
                    return 1
                self.advance_next_nonspace()
            elif self.indent >= block.marker_offset + block.padding:
                self.advance_offset(block.marker_offset + block.padding, True)
            else:
                return 1
            return 0
        if kind is Kind.LIST:
            return 0
        if kind is Kind.QUOTE:
            if not self.indented and not self.blank and self.line[self.next_nonspace] == ">":
                self.advance_next_nonspace()
                self.advance_offset(1, False)
                if self.line[self.offset : self.offset + 1] in (" ", "\t"):
                    self.advance_offset(1, True)
                return 0
            return 1
        if kind is Kind.CODE:
            return self.code_continues(block)
        if kind is Kind.HTML:
            return 1 if self.blank and block.html_type in (6, 7) else 0
        if kind is Kind.TABLE:
            return 1 if self.blank else 0
        return 1  # headings and thematic breaks are one line

    def code_continues(self, block: Block) -> int:
        line = self.line
        if block.fence_char:
            if self.indent <= 3 and not self.blank and line[self.next_nonspace] == block.fence_char:
                match = _CLOSING_FENCE.match(line, self.next_nonspace)
                if match and match.end() - match.start() >= block.fence_length:
                    self.finalize(block, self.index)
                    return 2
            remaining = block.fence_indent
            while remaining > 0 and line[self.offset : self.offset + 1] in (" ", "\t"):
                self.advance_offset(1, True)
                remaining -= 1
            return 0
        if self.indent >= _CODE_INDENT:
            self.advance_offset(_CODE_INDENT, True)
        elif self.blank:
            self.advance_next_nonspace()
        else:
            return 1
        return 0

    def block_start(self, container: Block) -> int:
        """Try each block start at the current position: 0 none, 1 a container, 2 a leaf."""
        line, pos = self.line, self.next_nonspace
        char = line[pos] if pos < len(line) else ""
        if self.indented:
            if self.tip.kind is not Kind.PARAGRAPH and not self.blank:
                self.advance_offset(_CODE_INDENT, True)
                self.close_unmatched()
                self.add_child(Kind.CODE)
                return 2
            return 0
        if char == ">":
            if container.depth >= MAX_DEPTH:
                return 0
            self.advance_next_nonspace()
            self.advance_offset(1, False)
            if line[self.offset : self.offset + 1] in (" ", "\t"):
                self.advance_offset(1, True)
            self.close_unmatched()
            self.add_child(Kind.QUOTE)
            return 1
        if char == "#" and (match := _ATX.match(line, pos)):
            self.advance_next_nonspace()
            self.advance_offset(match.end() - pos, False)
            self.close_unmatched()
            block = self.add_child(Kind.HEADING)
            block.level = len(match.group(0).strip())
            block.text = _atx_text(line[self.offset :])
            block.lines.append(Line(self.index, self.base + self.offset))
            return _CONSUMED
        if char in "`~" and (match := _FENCE.match(line, pos)):
            self.close_unmatched()
            block = self.add_child(Kind.CODE)
            block.fence_char = char
            block.fence_length = match.end() - pos
            block.fence_indent = self.indent
            block.info = line[match.end() :].strip()
            return _CONSUMED
        if char == "<":
            started = self.html_start(container, line, pos)
            if started:
                return started
        if container.kind is Kind.PARAGRAPH:
            started = self.table_start(container) or self.setext(container)
            if started:
                return started
        if char in "-_*" and _is_break(line[pos:]):
            self.close_unmatched()
            self.add_child(Kind.BREAK)
            return _CONSUMED
        return self.list_item(container)

    def html_start(self, container: Block, line: str, pos: int) -> int:
        for html_type, pattern in enumerate(_HTML_OPEN, start=1):
            if not pattern.match(line, pos):
                continue
            if html_type == 7 and (
                container.kind in (Kind.PARAGRAPH, Kind.TABLE)
                or (not self.all_closed and not self.blank and self.tip.kind is Kind.PARAGRAPH)
            ):
                return 0
            self.close_unmatched()
            block = self.add_child(Kind.HTML)
            block.html_type = html_type
            return 2
        return 0

    def table_start(self, paragraph: Block) -> int:
        """A delimiter row under a paragraph line with as many cells: that line is a table's
        header row (the paragraph keeps the lines above it)."""
        if "-" not in self.line:
            return 0
        columns = _delimiter_columns(self.line[self.offset :])
        if not columns:
            return 0
        header = paragraph.lines[-1]
        header_text = self.text[header.start : self.ends[header.number]]
        if header.indent >= _CODE_INDENT or _header_columns(header_text) != columns:
            return 0
        paragraph.lines.pop()
        parent = paragraph.parent
        assert parent is not None
        if not paragraph.lines:
            parent.children.pop()
        else:
            paragraph.closed = True
            paragraph.last = paragraph.lines[-1].number
        self.tip = parent
        table = Block(Kind.TABLE, parent, header.number)
        parent.children.append(table)
        self.tip = table
        table.lines.append(header)
        self.add_line()
        return _CONSUMED

    def setext(self, paragraph: Block) -> int:
        if self.line[self.next_nonspace] not in "=-" or not _SETEXT.match(self.line, self.next_nonspace):
            return 0
        self.close_unmatched()
        paragraph.kind = Kind.HEADING
        paragraph.setext = True
        paragraph.level = 1 if self.line[self.next_nonspace] == "=" else 2
        paragraph.last = self.index
        self.finalize(paragraph, self.index)
        return _CONSUMED

    def list_item(self, container: Block) -> int:
        if self.indent >= 4 or self.blank or container.depth >= MAX_DEPTH - 1:
            return 0
        line, pos = self.line, self.next_nonspace
        char = line[pos]
        ordered, start, delimiter = False, 1, ""
        if char in "-*+":
            width = 1
        elif char.isdigit() and (match := _ORDERED.match(line, pos)):
            if container.kind is Kind.PARAGRAPH and match.group(1) != "1":
                return 0
            ordered, start, delimiter = True, int(match.group(1)), match.group(2)
            width = match.end() - pos
        else:
            return 0
        after = line[pos + width : pos + width + 1]
        if after not in ("", " ", "\t"):
            return 0
        if container.kind is Kind.PARAGRAPH and not line[pos + width :].strip(" \t"):
            return 0
        marker_offset = self.indent
        marker_start = self.base + pos
        self.advance_next_nonspace()
        self.advance_offset(width, True)
        spaces_col, spaces_offset = self.column, self.offset
        if not self.tabs and after == " " and line[pos + width + 1 : pos + width + 2] not in ("", " "):
            self.offset += 1  # "- item": one space, then the content (the common case)
            self.column += 1
            return self.add_item(ordered, start, delimiter or char, marker_offset, marker_start, width + 1)
        while True:
            self.advance_offset(1, True)
            nxt = line[self.offset : self.offset + 1]
            if not (self.column - spaces_col < 5 and nxt in (" ", "\t") and nxt):
                break
        blank_item = self.offset >= len(line)
        spaces = self.column - spaces_col
        if spaces >= 5 or spaces < 1 or blank_item:
            padding = width + 1
            self.column, self.offset = spaces_col, spaces_offset
            self.partial_tab = False
            if line[self.offset : self.offset + 1] in (" ", "\t"):
                self.advance_offset(1, True)
        else:
            padding = width + spaces
        return self.add_item(ordered, start, delimiter or char, marker_offset, marker_start, padding)

    def add_item(self, ordered: bool, start: int, bullet: str, marker_offset: int, marker_start: int,
                 padding: int) -> int:
        self.close_unmatched()
        if self.tip.kind is not Kind.LIST or self.tip.ordered != ordered or self.tip.bullet != bullet:
            parent_list = self.add_child(Kind.LIST)
            parent_list.ordered, parent_list.bullet, parent_list.start = ordered, bullet, start
        item = self.add_child(Kind.ITEM)
        item.ordered, item.bullet, item.start = ordered, bullet, start
        item.marker_offset, item.marker_start, item.padding = marker_offset, marker_start, padding
        item.content_offset = self.base + self.offset
        return 1

    def finish(self, last_index: int) -> Block:
        while self.tip is not self.doc:
            self.finalize(self.tip, last_index)
        self.doc.last = max(self.doc.first, last_index)
        self.doc.closed = True
        self.doc.deepest = self.deepest
        return self.doc


_LINE_BREAK = lazy_regex(r"\r\n?|\n")


def line_bounds(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of every line (ends exclude the line break: \\n, \\r\\n or \\r)."""
    starts: list[int] = []
    ends: list[int] = []
    if "\r" in text:
        position = 0
        for match in _LINE_BREAK.finditer(text):
            starts.append(position)
            ends.append(match.start())
            position = match.end()
        if position < len(text):
            starts.append(position)
            ends.append(len(text))
        return starts, ends
    position = 0
    length = len(text)
    find = text.find
    while position < length:
        newline = find("\n", position)
        if newline < 0:
            newline = length
        starts.append(position)
        ends.append(newline)
        position = newline + 1
    return starts, ends


def parse_blocks(
    text: str, line_starts: list[int], line_ends: list[int], first_line: int = 0, *, fast: bool = True
) -> Block:
    """The block tree of `text` from line `first_line` on (after front matter).

    `line_starts`/`line_ends` come from `line_bounds(text)`; a NUL in the text is read as
    a character like any other. `fast=False` turns off the shortcuts for common lines (the
    tests compare both).
    """
    parser = _Parser(text, line_starts, line_ends, first_line, fast)
    count = len(line_starts)
    for index in range(first_line, count):
        parser.incorporate(index)
    return parser.finish(count - 1)


def parse_paragraphs(text: str, line_starts: list[int], line_ends: list[int], first_line: int = 0) -> Block:
    """A plain-text document's blocks: each run of non-blank lines is one paragraph."""
    doc = Block(Kind.DOCUMENT, None, first_line)
    paragraph: Block | None = None
    for index in range(first_line, len(line_starts)):
        start, end = line_starts[index], line_ends[index]
        line = text[start:end]
        content = line.lstrip(" \t\u3000")
        if not content.strip():
            paragraph = None
            continue
        if paragraph is None:
            paragraph = Block(Kind.PARAGRAPH, doc, index)
            paragraph.closed = True
            doc.children.append(paragraph)
        paragraph.lines.append(Line(index, start + len(line) - len(content)))
        paragraph.last = index
    doc.last = max(first_line, len(line_starts) - 1)
    doc.closed = True
    return doc
