"""Confluence's storage format (XHTML with `ac:`/`ri:` elements) parsed into a small tree
whose every node knows where it sits in the storage text.

Expat (the standard library's XML parser) rather than regular expressions or an HTML
parser: storage is XML, Confluence refuses a page that is not well-formed, and expat says
so with a line and column; every event carries its byte offset, so each node gets exact
character offsets into the text (write-back edits exactly there). The fragment is wrapped
in one root element; the HTML named entities Confluence writes (`&nbsp;`, `&rsquo;` …)
are declared in a DTD built from the ones the page uses. Namespace processing stays off:
`ac:task` is simply an element called "ac:task", which is all the reader needs.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from xml.parsers import expat

_ROOT = "at-root"
_OPEN = f"<{_ROOT}>".encode()
_CLOSE = f"</{_ROOT}>".encode()
_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")  # names of entity references, for the DTD only
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
MAX_DEPTH = 200


class StorageError(ValueError):
    """The storage text is not well-formed XML; `line` and `column` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.reason = message
        self.line = line
        self.column = column


@dataclass(slots=True)
class Text:
    """Character data; `exact` when its characters stand one for one in the storage text
    (not an entity or character reference)."""

    value: str
    start: int
    end: int
    exact: bool


@dataclass(slots=True)
class Node:
    """An element: its start tag spans [start, open_end), its end tag [close_start, end)
    (an empty-element tag `<p/>` has close_start == end == open_end)."""

    tag: str
    attrs: dict[str, str]
    start: int
    open_end: int = -1
    close_start: int = -1
    end: int = -1
    children: list[Node | Text] = field(default_factory=list)

    @property
    def empty_tag(self) -> bool:
        return self.close_start == self.end

    def elements(self, tag: str | None = None) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and (tag is None or c.tag == tag)]

    def first(self, tag: str) -> Node | None:
        return next((c for c in self.children if isinstance(c, Node) and c.tag == tag), None)

    def text(self) -> str:
        """All character data below this node, as it reads."""
        return "".join(c.value if isinstance(c, Text) else c.text() for c in self.children)

    def parameter(self, name: str) -> str | None:
        """A macro's `<ac:parameter ac:name="…">` value."""
        for child in self.elements("ac:parameter"):
            if child.attrs.get("ac:name") == name:
                return child.text().strip()
        return None


def parse(storage: str) -> Node:
    """The storage text as a tree under one root node; StorageError when it is not well-formed."""
    data = storage.encode("utf-8", "surrogatepass")
    return _Builder(storage, data).run()


class _Builder:
    """Expat handlers that build the tree; each event's span ends where the next one starts."""

    def __init__(self, storage: str, data: bytes) -> None:
        self.storage = storage
        self.data = data
        self.ascii = len(data) == len(storage)
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = False
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.pending: tuple[str, Node | Text] | None = None  # the event whose end is the next start
        self._byte, self._char = 0, 0  # last converted offset (events come in order)
        self._declare_entities()
        p = self.parser
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.chars
        p.CommentHandler = lambda _text: self.mark()
        p.ProcessingInstructionHandler = lambda _target, _data: self.mark()
        p.StartCdataSectionHandler = self.mark
        p.EndCdataSectionHandler = self.mark

    def _declare_entities(self) -> None:
        found = {m.group(1).decode(): m.start() for m in reversed(list(_ENTITY.finditer(self.data)))}
        names = set(found) - _XML_ENTITIES
        unknown = sorted((found[n], n) for n in names if n not in _known_entities())
        if unknown:  # Confluence refuses them; expat would skip them quietly behind a DTD
            byte, name = unknown[0]
            raise self.error(f"not well-formed XML: undefined entity &{name};", self._char_at(byte))
        if not names:
            return
        dtd = _dtd(frozenset(names))
        p = self.parser
        p.UseForeignDTD(True)
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_ALWAYS)

        def external(context: str, _base: str | None, _system: str | None, _public: str | None) -> int:
            sub = p.ExternalEntityParserCreate(context)
            sub.Parse(dtd, True)
            return 1

        p.ExternalEntityRefHandler = external

    def run(self) -> Node:
        try:
            self.parser.Parse(_OPEN + self.data + _CLOSE, True)
        except StorageError:
            raise
        except expat.ExpatError as exc:
            at = self._char_at(self.parser.ErrorByteIndex - len(_OPEN))
            reason = f"not well-formed XML: {expat.errors.messages[exc.code]}"
            open_tags = [n.tag for n in self.stack if n.tag != _ROOT]
            if at >= len(self.storage) and open_tags:
                reason = f"not well-formed XML: the text ends before <{open_tags[-1]}> is closed"
            raise self.error(reason, at) from None
        self.close_pending(len(self.storage))
        assert self.root is not None
        return self.root

    # -- offsets -----------------------------------------------------------------------------

    def error(self, reason: str, at: int) -> StorageError:
        line = self.storage.count("\n", 0, at) + 1
        return StorageError(reason, line, at - (self.storage.rfind("\n", 0, at) + 1) + 1)

    def _char_at(self, byte: int) -> int:
        """A byte offset into the storage as a character offset (errors point past the end too)."""
        byte = min(max(byte, 0), len(self.data))
        return len(self.data[:byte].decode("utf-8", "ignore"))

    def here(self) -> int:
        """The current event's offset as a character index into the storage text."""
        byte = self.parser.CurrentByteIndex - len(_OPEN)
        byte = min(max(byte, 0), len(self.data))
        if self.ascii:
            return byte
        if byte < self._byte:  # never happens with in-order events; stay correct anyway
            self._byte, self._char = 0, 0
        self._char += len(self.data[self._byte : byte].decode("utf-8", "surrogatepass"))
        self._byte = byte
        return self._char

    def close_pending(self, at: int) -> None:
        if self.pending is None:
            return
        kind, item = self.pending
        self.pending = None
        if isinstance(item, Text):
            item.end = at
            item.exact = self.storage[item.start : at] == item.value
        elif kind == "open":
            item.open_end = at
        else:
            item.end = at

    def mark(self) -> None:
        self.close_pending(self.here())

    # -- handlers ------------------------------------------------------------------------------

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        at = self.here()
        self.close_pending(at)
        if len(self.stack) > MAX_DEPTH:  # rendering recurses per level: bound it, as the reader does
            raise self.error(f"elements nested deeper than {MAX_DEPTH} levels", at)
        node = Node(tag, attrs, start=max(at, 0))
        if self.stack:
            self.stack[-1].children.append(node)
        elif tag == _ROOT:
            node.start = node.open_end = 0
            self.root = node
        self.stack.append(node)
        if tag != _ROOT:
            self.pending = ("open", node)

    def end(self, _tag: str) -> None:
        at = self.here()
        self.close_pending(at)
        node = self.stack.pop()
        node.close_start = at
        if node.tag == _ROOT:
            node.close_start = node.end = len(self.storage)
            return
        self.pending = ("close", node)

    def chars(self, text: str) -> None:
        at = self.here()
        self.close_pending(at)
        item = Text(text, at, at, False)
        if self.stack:
            self.stack[-1].children.append(item)
        self.pending = ("text", item)


@functools.cache
def _known_entities() -> frozenset[str]:
    from html.entities import html5

    return frozenset(name[:-1] for name in html5 if name.endswith(";"))


@functools.lru_cache(maxsize=64)
def _dtd(names: frozenset[str]) -> bytes:
    """Entity declarations for the HTML names a page uses; unknown names stay undeclared,
    so expat reports them (Confluence would refuse them too)."""
    from html.entities import html5

    parts = []
    for name in sorted(names):
        value = html5.get(f"{name};")
        if value is not None:
            parts.append(f'<!ENTITY {name} "{"".join(f"&#{ord(c)};" for c in value)}">')
    return "".join(parts).encode()


def escape(text: str) -> str:
    """Text as storage character data or an attribute value."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
