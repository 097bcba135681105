"""The subset of CQL the emulator answers: what a postmortem source asks of Confluence.

Fields: space, label, type, id, title, lastmodified (also lastModified), created; operators
= != ~ IN, NOT IN, > >= < <=; AND, OR, NOT and parentheses; ORDER BY field [ASC|DESC].
Dates: "yyyy-MM-dd", "yyyy/MM/dd", "yyyy-MM-dd HH:mm" (the API user's time zone: UTC
here) and now("-4w") with y, M, w, d, h, m. Anything else is Confluence's 400
"Could not parse cql".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<op>!=|>=|<=|=|>|<|~|!~|\(|\)|,)|(?P<word>[\w.\-:]+))')
_UNITS = {"y": 365 * 86400, "M": 30 * 86400, "w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}
_FIELDS = {"space", "label", "type", "id", "title", "lastmodified", "created", "content"}


class CqlError(ValueError):
    """Confluence's answer to CQL it cannot parse."""


@dataclass(frozen=True, slots=True)
class Doc:
    """What a query can see of one page."""

    id: int
    space: str
    title: str
    labels: frozenset[str]
    last_modified: float
    created: float
    type: str = "page"


Predicate = Callable[[Doc], bool]


@dataclass(frozen=True, slots=True)
class Query:
    match: Predicate
    order: list[tuple[str, bool]]  # (field, descending)


def parse(text: str, now: float) -> Query:
    tokens = _tokens(text)
    parser = _Parser(tokens, now)
    match = parser.expression()
    order = parser.order_by()
    if parser.pos != len(tokens):
        raise CqlError(f"Could not parse cql : {text}")
    return Query(match, order)


def sort(docs: list[Doc], order: list[tuple[str, bool]]) -> list[Doc]:
    out = sorted(docs, key=lambda d: d.id)
    for name, descending in reversed(order):
        out.sort(key=lambda d, n=name: _value(d, n), reverse=descending)  # type: ignore[misc]
    return out


def _value(doc: Doc, name: str) -> float | str:
    if name == "lastmodified":
        return doc.last_modified
    if name == "created":
        return doc.created
    if name == "title":
        return doc.title.lower()
    return doc.id


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        found = _TOKEN.match(text, pos)
        if found is None or found.end() == pos:
            raise CqlError(f"Could not parse cql : {text}")
        out.append(found.group().strip())
        pos = found.end()
    return out


class _Parser:
    def __init__(self, tokens: list[str], now: float) -> None:
        self.tokens = tokens
        self.pos = 0
        self.now = now

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise CqlError("Could not parse cql : unexpected end of query")
        self.pos += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token.lower() == word:
            self.pos += 1
            return True
        return False

    def expression(self) -> Predicate:
        left = self.term()
        while self.keyword("or"):
            right = self.term()
            left = (lambda a, b: lambda d: a(d) or b(d))(left, right)
        return left

    def term(self) -> Predicate:
        left = self.factor()
        while self.peek() is not None and self.peek().lower() == "and":  # type: ignore[union-attr]
            self.pos += 1
            right = self.factor()
            left = (lambda a, b: lambda d: a(d) and b(d))(left, right)
        return left

    def factor(self) -> Predicate:
        if self.keyword("not"):
            inner = self.factor()
            return lambda d: not inner(d)
        if self.peek() == "(":
            self.take()
            inner = self.expression()
            if self.take() != ")":
                raise CqlError("Could not parse cql : expected )")
            return inner
        return self.clause()

    def clause(self) -> Predicate:
        name = self.take().lower()
        if name not in _FIELDS:
            raise CqlError(f"Could not parse cql : unknown field {name}")
        op = self.take().lower()
        if op == "not":
            if not self.keyword("in"):
                raise CqlError("Could not parse cql : expected IN after NOT")
            values = self.values()
            return lambda d: not _matches_any(d, name, values)
        if op == "in":
            values = self.values()
            return lambda d: _matches_any(d, name, values)
        if op not in ("=", "!=", "~", "!~", ">", ">=", "<", "<="):
            raise CqlError(f"Could not parse cql : unknown operator {op}")
        value = self.value()
        if name in ("lastmodified", "created"):
            moment = self.moment(value)
            return _compare(name, op, moment)
        return _text(name, op, value)

    def values(self) -> list[str]:
        if self.take() != "(":
            raise CqlError("Could not parse cql : expected (")
        out = [self.value()]
        while self.peek() == ",":
            self.take()
            out.append(self.value())
        if self.take() != ")":
            raise CqlError("Could not parse cql : expected )")
        return out

    def value(self) -> str:
        token = self.take()
        if token.lower() in ("now", "startofday") and self.peek() == "(":
            self.take()
            arg = ""
            if self.peek() != ")":
                arg = _unquote(self.take())
            self.take()
            return f"{token.lower()}({arg})"
        return _unquote(token)

    def moment(self, value: str) -> float:
        if value.startswith("now("):
            return self.now + _offset(value[4:-1])
        if value.startswith("startofday("):
            day = dt.datetime.fromtimestamp(self.now, dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
            return day.timestamp() + _offset(value[11:-1])
        for pattern in ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
            try:
                return dt.datetime.strptime(value, pattern).replace(tzinfo=dt.UTC).timestamp()
            except ValueError:
                continue
        raise CqlError(f"Could not parse cql : {value!r} is not a date")

    def order_by(self) -> list[tuple[str, bool]]:
        if not self.keyword("order"):
            return []
        if not self.keyword("by"):
            raise CqlError("Could not parse cql : expected BY")
        order = []
        while True:
            name = self.take().lower()
            if name not in _FIELDS:
                raise CqlError(f"Could not parse cql : cannot order by {name}")
            descending = False
            if self.keyword("desc"):
                descending = True
            else:
                self.keyword("asc")
            order.append((name, descending))
            if self.peek() != ",":
                return order
            self.take()


def _unquote(token: str) -> str:
    if token.startswith('"') and token.endswith('"') and len(token) >= 2:
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return token


def _offset(text: str) -> float:
    if not text:
        return 0.0
    found = re.fullmatch(r"([+-]?)(\d+)([yMwdhm])", text.strip())
    if found is None:
        raise CqlError(f"Could not parse cql : bad time offset {text!r}")
    sign = -1 if found.group(1) == "-" else 1
    return sign * int(found.group(2)) * _UNITS[found.group(3)]


def _field(doc: Doc, name: str) -> list[str]:
    if name == "space":
        return [doc.space]
    if name == "label":
        return list(doc.labels)
    if name == "type":
        return [doc.type]
    if name in ("id", "content"):
        return [str(doc.id)]
    return [doc.title]


def _matches_any(doc: Doc, name: str, values: list[str]) -> bool:
    present = _field(doc, name)
    return any(_equal(name, have, want) for have in present for want in values)


def _equal(name: str, have: str, want: str) -> bool:
    return have.lower() == want.lower() if name in ("label", "space", "type") else have == want


def _text(name: str, op: str, value: str) -> Predicate:
    if op in ("=", "!="):
        positive = op == "="
        return lambda d: _matches_any(d, name, [value]) == positive
    if op in ("~", "!~"):
        words = value.lower().split()
        positive = op == "~"
        return lambda d: all(w in " ".join(_field(d, name)).lower() for w in words) == positive
    raise CqlError(f"Could not parse cql : {op} does not apply to {name}")


def _compare(name: str, op: str, moment: float) -> Predicate:
    def value(doc: Doc) -> float:
        return doc.last_modified if name == "lastmodified" else doc.created

    # minute precision, as Confluence documents for lastmodified
    ops: dict[str, Callable[[float], bool]] = {
        "=": lambda v: int(v // 60) == int(moment // 60), "!=": lambda v: int(v // 60) != int(moment // 60),
        ">": lambda v: v > moment, ">=": lambda v: v >= moment, "<": lambda v: v < moment, "<=": lambda v: v <= moment,
    }
    if op not in ops:
        raise CqlError(f"Could not parse cql : {op} does not apply to {name}")
    check = ops[op]
    return lambda d: check(value(d))
