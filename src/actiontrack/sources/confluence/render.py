"""A page's storage tree rendered as the Markdown the reader already reads, with a map back.

One reader for every source: headings stay headings, lists and task lists become `- `
and `- [ ]`/`- [x]` items, tables become pipe tables, a user mention `@Name`, a Jira issue
macro its key, a `<time>` its ISO date, a status lozenge its title. While writing, every
piece of the rendition records the storage span it came from (`Segment`), so the
reader's anchors (offsets into the rendition) translate into exact places in the storage
text for write-back, and its line numbers into "section / row" places for findings.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from actiontrack.sources.confluence.storage import Node, Text

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BODY_MACROS = frozenset({  # macros whose rich-text body is ordinary page content
    "info", "note", "tip", "warning", "panel", "expand", "details", "excerpt", "section", "column",
    "ui-expand", "collapse", "page-properties", "status-report", "div", "center",
})
_CODE_MACROS = frozenset({"code", "noformat"})
_INLINE_CLOSERS = frozenset({"strong", "b", "em", "i", "u", "span", "sup", "sub", "font", "small", "big",
                             "ac:inline-comment-marker"})
_SKIP = frozenset({"ac:parameter", "ac:task-id", "ac:task-uuid", "ac:placeholder", "colgroup", "col",
                   "ac:image", "ac:adf-attribute", "ac:adf-content", "ac:task-status"})
_EMOTICONS = {"tick": "✅", "cross": "❌", "warning": "⚠️", "information": "ℹ️", "plus": "➕", "minus": "➖"}
_STRUCK = frozenset({"s", "del", "strike"})


@dataclass(frozen=True, slots=True)
class Segment:
    """Rendition [start, end) came from storage [stor_start, stor_end); `exact` when the
    characters correspond one for one."""

    start: int
    end: int
    stor_start: int
    stor_end: int
    exact: bool


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: where its content sits in the rendition, and where new content goes
    in the storage (`insert_at`), or the empty `<p/>` to replace (`empty_p`)."""

    start: int
    end: int
    insert_at: int
    empty_p: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """What a rendition line is, in a reader's words: its section and, say, 'row 2'."""

    section: str
    detail: str = ""


@dataclass(slots=True)
class Rendition:
    text: str
    segments: list[Segment]
    checkboxes: dict[int, tuple[int, int]]  # rendition offset of a task's mark → storage span of its status
    rows: dict[int, list[Cell]]  # rendition offset of a table row → its cells
    places: list[Place]  # per rendition line (0-based)
    closers: dict[int, int]  # storage offset of an inline end tag → the offset after it
    jira_servers: list[tuple[str, str]] = field(default_factory=list)  # (server, serverId) seen in Jira macros
    people: set[str] = field(default_factory=set)  # the keys (account ids) of the people mentioned
    _starts: list[int] = field(default_factory=list)

    def place(self, line: int) -> Place:
        """The place of a 1-based rendition line."""
        if not self.places:
            return Place("")
        return self.places[min(max(line - 1, 0), len(self.places) - 1)]

    def storage_after(self, offset: int) -> int:
        """Where in the storage text content goes that the rendition would show at `offset`:
        right after what precedes it there, past the end tags of inline formatting."""
        if not self._starts:
            self._starts = [s.start for s in self.segments]
        index = bisect.bisect_left(self._starts, offset) - 1
        while index >= 0 and self.segments[index].end == self.segments[index].start:
            index -= 1  # zero-width marks carry no content
        if index < 0:
            return 0
        seg = self.segments[index]
        at = seg.stor_start + (offset - seg.start) if seg.exact and offset < seg.end else seg.stor_end
        while at in self.closers:
            at = self.closers[at]
        return at

    def cell(self, row_start: int, index: int) -> Cell | None:
        cells = self.rows.get(row_start)
        return cells[index] if cells is not None and 0 <= index < len(cells) else None


Names = Mapping[str, str]  # user key / account id → display name


def render(root: Node, title: str, names: Names | None = None) -> Rendition:
    """The Markdown rendition of a page: its title as the first heading, then its body."""
    out = _Writer(names or {})
    out.heading(1, [_Piece(title, -1, -1, False)], None)
    out.section = ""  # what precedes the first heading of the body is the page itself
    out.blocks(root.children)
    return out.finish()


@dataclass(slots=True)
class _Piece:
    """Inline text on its way into the rendition, with its storage span (-1: none)."""

    text: str
    start: int
    end: int
    exact: bool


class _Writer:
    def __init__(self, names: Names) -> None:
        self.names = names
        self.parts: list[str] = []
        self.pos = 0
        self.segments: list[Segment] = []
        self.checkboxes: dict[int, tuple[int, int]] = {}
        self.rows: dict[int, list[Cell]] = {}
        self.places: list[Place] = []
        self.closers: dict[int, int] = {}
        self.jira_servers: list[tuple[str, str]] = []
        self.people: set[str] = set()
        self.prefix = ""  # written at the start of each line (list indentation, "> ")
        self.at_line_start = True
        self.section = ""
        self.detail = ""
        self.blank_pending = False
        self.tables_in_section = 0
        self.in_cell = False

    # -- low level -----------------------------------------------------------------------------

    def finish(self) -> Rendition:
        if not self.at_line_start:
            self.newline()
        return Rendition("".join(self.parts), self.segments, self.checkboxes, self.rows, self.places,
                         self.closers, self.jira_servers, self.people)

    def write(self, text: str, start: int = -1, end: int = -1, exact: bool = False) -> None:
        if not text:
            return
        if self.at_line_start:
            self.begin_line()
        if start >= 0:
            self.segments.append(Segment(self.pos, self.pos + len(text), start, end, exact))
        self.parts.append(text)
        self.pos += len(text)

    def begin_line(self) -> None:
        if self.blank_pending and self.places:
            self.parts.append(self.prefix.rstrip() + "\n")
            self.pos += len(self.prefix.rstrip()) + 1
            self.places.append(Place(self.section, ""))
        self.blank_pending = False
        self.at_line_start = False
        self.places.append(Place(self.section, self.detail))
        self.parts.append(self.prefix)
        self.pos += len(self.prefix)

    def newline(self) -> None:
        if self.at_line_start:
            self.begin_line()
        self.parts.append("\n")
        self.pos += 1
        self.at_line_start = True

    def end_block(self) -> None:
        if not self.at_line_start:
            self.newline()
        self.blank_pending = True

    def pieces(self, pieces: Iterable[_Piece]) -> None:
        for piece in pieces:
            self.write(piece.text, piece.start, piece.end, piece.exact)

    # -- blocks -------------------------------------------------------------------------------

    def blocks(self, children: list[Node | Text]) -> None:
        run: list[Node | Text] = []
        for child in children:
            if isinstance(child, Node) and _is_block(child):
                self.paragraph(run)
                run = []
                self.block(child)
            else:
                run.append(child)
        self.paragraph(run)

    def block(self, node: Node) -> None:
        tag = node.tag
        if tag in _HEADINGS:
            self.heading(_HEADINGS[tag], self.inline(node.children), node)
        elif tag == "p":
            self.paragraph(node.children, node)
        elif tag in ("ul", "ol"):
            self.bullets(node)
        elif tag == "ac:task-list":
            self.tasks(node)
        elif tag == "table":
            self.table(node)
        elif tag == "hr":
            self.end_block()
            self.write("---")
            self.end_block()
        elif tag == "pre":
            self.code(node.text())
        elif tag == "blockquote":
            self.quoted(node)
        elif tag == "ac:structured-macro":
            self.macro_block(node)
        elif tag == "ac:adf-extension":
            fallback = _find(node, "ac:adf-fallback")
            if fallback is not None:
                self.blocks(fallback.children)
        elif tag not in _SKIP:
            self.blocks(node.children)

    def heading(self, level: int, pieces: list[_Piece], node: Node | None) -> None:
        pieces = _collapse(pieces)
        if not pieces:
            return
        self.end_block()
        self.section = "".join(p.text for p in pieces).strip()
        self.detail = ""
        self.tables_in_section = 0
        self.write("#" * level + " ")
        self.pieces(pieces)
        self.end_block()

    def paragraph(self, children: list[Node | Text], node: Node | None = None) -> None:
        lines = _split_lines(self.inline(children))
        lines = [line for line in (_collapse(line) for line in lines) if line]
        if not lines:
            return
        self.end_block()
        for line in lines:
            self.pieces(line)
            self.newline()
        self.blank_pending = True

    def code(self, text: str) -> None:
        self.end_block()
        fence = "````" if "```" in text else "```"
        self.write(fence)
        self.newline()
        for line in text.strip("\n").split("\n"):
            self.write(line)
            self.newline()
        self.write(fence)
        self.end_block()

    def quoted(self, node: Node) -> None:
        self.end_block()
        saved = self.prefix
        self.prefix = saved + "> "
        self.blocks(node.children)
        self.prefix = saved
        self.end_block()

    def macro_block(self, node: Node) -> None:
        name = node.attrs.get("ac:name", "")
        if name in _CODE_MACROS:
            body = node.first("ac:plain-text-body")
            self.code(body.text() if body is not None else "")
            return
        body = node.first("ac:rich-text-body")
        if body is not None:
            self.blocks(body.children)
        else:  # an inline macro standing alone (a status, a Jira key): a paragraph of its own
            self.paragraph([node])

    def bullets(self, node: Node) -> None:
        self.end_block()
        ordered = node.tag == "ol"
        number = _int(node.attrs.get("start"), 1)
        saved_detail = self.detail
        for index, item in enumerate(node.elements("li")):
            marker = f"{number + index}. " if ordered else "- "
            self.detail = _join_detail(saved_detail, f"item {index + 1}")
            self.item(marker, item.children, first=index == 0)
        self.detail = saved_detail
        self.end_block()

    def tasks(self, node: Node) -> None:
        self.end_block()
        saved_detail = self.detail
        for index, task in enumerate(node.elements("ac:task")):
            status = task.first("ac:task-status")
            body = task.first("ac:task-body")
            done = status is not None and status.text().strip() == "complete"
            self.detail = _join_detail(saved_detail, f"task {index + 1}")
            span = _text_span(status) if status is not None else None
            self.item("- [", body.children if body is not None else [], first=index == 0,
                      mark=("x" if done else " ", span))
        self.detail = saved_detail
        self.end_block()

    def item(self, marker: str, children: list[Node | Text], *, first: bool,
             mark: tuple[str, tuple[int, int] | None] | None = None) -> None:
        """One list item or task: its first paragraph on the marker's line, the rest indented."""
        if not self.at_line_start:
            self.newline()
        if not first:
            self.blank_pending = False
        lead, rest = _first_paragraph(children)
        self.write(marker)
        width = len(marker)
        if mark is not None:
            symbol, span = mark
            if span is not None:
                self.checkboxes[self.pos] = span
            self.write(symbol)
            self.write("] ")
            width = 2
        lines = [line for line in (_collapse(line) for line in _split_lines(self.inline(lead))) if line]
        saved = self.prefix
        self.prefix = saved + " " * width
        for number, line in enumerate(lines):
            if number:
                self.newline()
            self.pieces(line)
        self.newline()
        if rest:
            self.blocks(rest)
            if not self.at_line_start:
                self.newline()
            self.blank_pending = False
        self.prefix = saved

    # -- tables -------------------------------------------------------------------------------

    def table(self, node: Node) -> None:
        rows = _rows(node)
        if not rows:
            return
        self.end_block()
        self.tables_in_section += 1
        grid = _grid(rows)
        width = max(len(cells) for cells in grid)
        saved_detail = self.detail
        for number, cells in enumerate(grid):
            if number == 0:
                self.detail = _join_detail(saved_detail, self._table_name("header row"))
            else:
                self.detail = _join_detail(saved_detail, self._table_name(f"row {number}"))
            self.row(cells + [None] * (width - len(cells)))
            if number == 0:
                self.write("|" + " --- |" * width)
                self.newline()
        self.detail = saved_detail
        self.end_block()

    def _table_name(self, what: str) -> str:
        return what if self.tables_in_section == 1 else f"table {self.tables_in_section}, {what}"

    def row(self, cells: list[Node | None]) -> None:
        if not self.at_line_start:
            self.newline()
        self.blank_pending = False
        self.begin_line()
        row_start = self.pos  # where the reader's row anchor starts: its first pipe
        recorded: list[Cell] = []
        self.write("|")
        for cell in cells:
            self.write(" ")
            start = self.pos
            if cell is not None:
                self.in_cell = True
                pieces = _escape_pipes(_collapse(self.inline(_descend(cell.children))))
                self.in_cell = False
                self.pieces(pieces)
            recorded.append(self._cell(start, self.pos, cell))
            self.write(" |")
        self.rows[row_start] = recorded
        self.newline()

    def _cell(self, start: int, end: int, cell: Node | None) -> Cell:
        if cell is None:
            return Cell(start, end, -1)
        block = cell.elements()[-1] if cell.elements() and not cell.text().strip() else None
        if block is not None and block.tag == "p" and block.empty_tag:
            return Cell(start, end, block.start, (block.start, block.end))
        if block is not None and block.tag == "p":
            return Cell(start, end, block.close_start)
        return Cell(start, end, cell.close_start)

    # -- inline -------------------------------------------------------------------------------

    def inline(self, children: Iterable[Node | Text]) -> list[_Piece]:
        out: list[_Piece] = []
        for child in children:
            if isinstance(child, Text):
                out.append(_Piece(child.value, child.start, child.end, child.exact))
            else:
                out += self.inline_node(child)
        return out

    def inline_node(self, node: Node) -> list[_Piece]:
        tag = node.tag
        if tag in _INLINE_CLOSERS and node.close_start < node.end:
            self.closers[node.close_start] = node.end
        if tag == "br":
            return [_Piece("\n", node.start, node.end, False)]
        if tag == "time":
            return [_Piece(node.attrs.get("datetime", "").strip() or node.text(), node.start, node.end, False)]
        if tag == "ac:link":
            return self.link(node)
        if tag == "a":
            return self.anchor(node)
        if tag == "ac:structured-macro":
            return self.macro_inline(node)
        if tag == "ac:emoticon":
            symbol = _EMOTICONS.get(node.attrs.get("ac:name", ""), "")
            fallback = node.attrs.get("ac:emoji-fallback", "")
            symbol = symbol or (fallback if fallback and not fallback.startswith(":") else "")
            return [_Piece(symbol, node.start, node.end, False)] if symbol else []
        if tag in _STRUCK:
            return _wrap("~~", self.inline(node.children), node)
        if tag == "code":
            return _wrap("`", self.inline(node.children), node)
        if tag in _SKIP or tag.startswith("ri:"):
            return []
        return self.inline(node.children)

    def link(self, node: Node) -> list[_Piece]:
        body = node.first("ac:plain-text-link-body") or node.first("ac:link-body")
        label = body.text().strip() if body is not None else ""
        user = node.first("ri:user")
        if user is not None:
            name = label or self._user_name(user)
            return [_Piece(f"@{name}" if name else "", node.start, node.end, False)]
        page = node.first("ri:page") or node.first("ri:blog-post")
        if page is not None:
            return [_Piece(label or page.attrs.get("ri:content-title", ""), node.start, node.end, False)]
        attachment = node.first("ri:attachment")
        if attachment is not None:
            return [_Piece(label or attachment.attrs.get("ri:filename", ""), node.start, node.end, False)]
        return [_Piece(label, node.start, node.end, False)] if label else []

    def _user_name(self, user: Node) -> str:
        for key in ("ri:account-id", "ri:userkey", "ri:username"):
            value = user.attrs.get(key)
            if value:
                self.people.add(value)
                return self.names.get(value) or user.attrs.get("ri:username") or value
        return ""

    def anchor(self, node: Node) -> list[_Piece]:
        href = node.attrs.get("href", "").strip()
        inner = self.inline(node.children)
        label = "".join(p.text for p in inner).strip()
        if not href or href.startswith("#"):
            return inner
        if not label or label == href:
            return [_Piece(href, node.start, node.end, False)]
        return [_Piece("[", node.start, node.open_end, False), *inner,
                _Piece(f"]({href})", node.close_start, node.end, False)]

    def macro_inline(self, node: Node) -> list[_Piece]:
        name = node.attrs.get("ac:name", "")
        if name == "jira":
            server, server_id = node.parameter("server"), node.parameter("serverId")
            if server and server_id and (server, server_id) not in self.jira_servers:
                self.jira_servers.append((server, server_id))
            key = node.parameter("key")
            return [_Piece(key, node.start, node.end, False)] if key else []
        if name == "status":  # a lozenge: a Status cell's value, or a bracketed note in running text
            title = node.parameter("title") or ""
            text = title if self.in_cell else f"[{title}]"
            return [_Piece(text, node.start, node.end, False)] if title else []
        body = node.first("ac:rich-text-body")
        if body is not None:
            return self.inline(_descend(body.children))
        return []


# -- helpers -----------------------------------------------------------------------------------


def _is_block(node: Node) -> bool:
    tag = node.tag
    if tag in _HEADINGS or tag in ("p", "ul", "ol", "table", "hr", "pre", "blockquote", "div", "ac:task-list",
                                   "ac:layout", "ac:layout-section", "ac:layout-cell", "ac:adf-extension",
                                   "tbody", "thead", "tr", "section"):
        return True
    if tag == "ac:structured-macro":
        name = node.attrs.get("ac:name", "")
        return name in _CODE_MACROS or name in _BODY_MACROS or (
            node.first("ac:rich-text-body") is not None and name not in ("status", "jira"))
    return False


def _find(node: Node, tag: str) -> Node | None:
    for child in node.elements():
        if child.tag == tag:
            return child
        found = _find(child, tag)
        if found is not None:
            return found
    return None


def _descend(children: list[Node | Text]) -> list[Node | Text]:
    """Inline content of nested blocks (inside a table cell): blocks flattened to their children."""
    out: list[Node | Text] = []
    for child in children:
        if isinstance(child, Node) and (_is_block(child) or child.tag in ("li", "ac:task")) and (
                child.tag != "ac:structured-macro"):
            out += _descend(child.children)
            out.append(Text(" ", -1, -1, False))
        else:
            out.append(child)
    return out


def _first_paragraph(children: list[Node | Text]) -> tuple[list[Node | Text], list[Node | Text]]:
    """An item's first paragraph (leading inline content, or its first <p>) and the rest."""
    lead: list[Node | Text] = []
    for index, child in enumerate(children):
        if isinstance(child, Node) and _is_block(child):
            if child.tag == "p" and not any(isinstance(c, Text) and c.value.strip() for c in lead) and not any(
                    isinstance(c, Node) for c in lead):
                return child.children, children[index + 1 :]
            return lead, children[index:]
        lead.append(child)
    return lead, []


def _split_lines(pieces: list[_Piece]) -> list[list[_Piece]]:
    lines: list[list[_Piece]] = [[]]
    for piece in pieces:
        if piece.text == "\n" and not piece.exact:
            lines.append([])
        else:
            lines[-1].append(piece)
    return lines


def _collapse(pieces: list[_Piece]) -> list[_Piece]:
    """HTML whitespace: runs become one space, none at the ends; a no-break space reads as a space."""
    out: list[_Piece] = []
    space_before = True  # drop leading whitespace
    for piece in pieces:
        text = piece.text.translate(_SPACES)
        if piece.exact and piece.start >= 0:
            out += _collapse_exact(text, piece, space_before)
        elif not text.strip():
            if text and not space_before:
                out.append(_Piece(" ", piece.start, piece.end, False))
        else:
            out.append(_Piece(" ".join(text.split()), piece.start, piece.end, False))
        space_before = not out or out[-1].text == " "
    while out and out[-1].text == " ":
        out.pop()
    return out


_SPACES = str.maketrans({"\u00a0": " ", "\n": " ", "\t": " ", "\r": " "})


def _collapse_exact(text: str, piece: _Piece, space_before: bool) -> list[_Piece]:
    """Split an exact piece at whitespace runs that collapse; single spaces stay exact."""
    out: list[_Piece] = []
    index, length = 0, len(text)
    while index < length:
        if text[index] == " ":
            run_end = index
            while run_end < length and text[run_end] == " ":
                run_end += 1
            if not space_before:
                exact = run_end - index == 1 and piece.text[index] == " "
                out.append(_Piece(" ", piece.start + index, piece.start + run_end, exact))
            space_before = True
            index = run_end
            continue
        run_end = text.find(" ", index)
        run_end = length if run_end < 0 else run_end
        out.append(_Piece(text[index:run_end], piece.start + index, piece.start + run_end, True))
        space_before = False
        index = run_end
    return out


def _escape_pipes(pieces: list[_Piece]) -> list[_Piece]:
    out: list[_Piece] = []
    for piece in pieces:
        if "|" not in piece.text:
            out.append(piece)
            continue
        for number, part in enumerate(piece.text.split("|")):
            if number:
                out.append(_Piece("\\|", piece.start, piece.end, False))
            if part:
                out.append(_Piece(part, piece.start, piece.end, False))
    return out


def _wrap(mark: str, inner: list[_Piece], node: Node) -> list[_Piece]:
    inner = _collapse(inner)
    if not inner:
        return []
    return [_Piece(mark, node.start, node.open_end, False), *inner, _Piece(mark, node.close_start, node.end, False)]


def _rows(table: Node) -> list[list[Node]]:
    rows: list[list[Node]] = []
    for child in table.elements():
        if child.tag == "tr":
            rows.append([c for c in child.elements() if c.tag in ("td", "th")])
        elif child.tag in ("tbody", "thead", "tfoot"):
            rows += [[c for c in tr.elements() if c.tag in ("td", "th")] for tr in child.elements("tr")]
    return [row for row in rows if row]


def _grid(rows: list[list[Node]]) -> list[list[Node | None]]:
    """Rows with colspan and rowspan spelled out, so every column stays in its place."""
    grid: list[list[Node | None]] = []
    carried: dict[int, int] = {}  # column → rows still covered by a rowspan above
    for cells in rows:
        line: list[Node | None] = []
        queue = list(cells)
        column = 0
        while queue or any(col >= column for col in carried):
            if carried.get(column, 0) > 0:
                carried[column] -= 1
                if not carried[column]:
                    del carried[column]
                line.append(None)
                column += 1
                continue
            if not queue:
                break
            cell = queue.pop(0)
            span = _int(cell.attrs.get("colspan"), 1)
            down = _int(cell.attrs.get("rowspan"), 1)
            for extra in range(span):
                line.append(cell if extra == 0 else None)
                if down > 1:
                    carried[column] = down - 1
                column += 1
        grid.append(line)
    return grid


def _int(value: str | None, default: int) -> int:
    try:
        return max(int(value or default), 1)
    except ValueError:
        return default


def _text_span(node: Node) -> tuple[int, int] | None:
    texts = [c for c in node.children if isinstance(c, Text)]
    if len(texts) != 1 or not texts[0].exact:
        return None
    text = texts[0]
    leading = len(text.value) - len(text.value.lstrip())
    return text.start + leading, text.start + leading + len(text.value.strip())


def _join_detail(outer: str, inner: str) -> str:
    return f"{outer} › {inner}" if outer else inner



def mentions(root: Node) -> set[str]:
    """The people a page mentions, by the key its storage names them with (account id, user key)."""
    found: set[str] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if node.tag == "ri:user":
            key = node.attrs.get("ri:account-id") or node.attrs.get("ri:userkey")
            if key:
                found.add(key)
        todo += node.elements()
    return found
