"""A JQL subset: enough for a sync tool's lookups and deltas, with Jira's error messages.

Supported: clauses on project, key/issuekey/issue, id, labels, status, statusCategory,
priority, issuetype/type, assignee/reporter, resolution, summary/description/text (~),
created/updated/duedate/resolutiondate (absolute "yyyy-MM-dd[ HH:mm]" or "yyyy/MM/dd",
relative -15m/-2h/-1d/-1w, now(), startOfDay()); operators = != > >= < <= ~ !~ IN, NOT IN,
IS [NOT] EMPTY; AND, OR, NOT, parentheses; ORDER BY field [ASC|DESC], ...
Times are read in the API user's time zone, which the sandbox sets to UTC.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from actiontrack.sandbox.jira_model import (
    CATEGORIES,
    ISSUE_TYPES,
    PRIORITIES,
    RESOLUTIONS,
    STATUSES,
    User,
)


class JqlError(ValueError):
    """The query is invalid; the message is Jira's errorMessages entry."""


# -- tokens ----------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>!=|>=|<=|!~|=|>|<|~)
      | (?P<punct>[(),])
      | (?P<word>[^\s,()=!<>~"']+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """A lexical token; `kind` is str, op, punct or word."""

    kind: str
    text: str
    pos: int


def tokenize(jql: str) -> list[Token]:
    """Split a JQL string into tokens."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(jql):
        if jql[pos:].strip() == "":
            break
        match = _TOKEN_RE.match(jql, pos)
        if match is None or match.end() == pos:
            raise JqlError(f"Error in the JQL Query: The character '{jql[pos]}' is a reserved "
                           f"JQL character. (line 1, character {pos + 1})")
        kind = match.lastgroup or "word"
        text = match.group(kind)
        if kind == "str":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        tokens.append(Token(kind, text, match.start(kind) + 1))
        pos = match.end()
    return tokens


# -- AST -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A literal, function call (`func=True`) or EMPTY."""

    text: str
    quoted: bool = False
    func: bool = False
    empty: bool = False


@dataclass(frozen=True)
class Clause:
    """field OP value(s)."""

    field: str
    op: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class BoolOp:
    """AND / OR over children, or NOT over one child."""

    op: str
    children: tuple[Node, ...]


Node = Clause | BoolOp


@dataclass(frozen=True)
class Query:
    """A parsed query: optional restriction plus ORDER BY terms."""

    where: Node | None
    order_by: tuple[tuple[str, bool], ...]  # (field, descending)


class _Parser:
    def __init__(self, jql: str) -> None:
        self.tokens = tokenize(jql)
        self.i = 0

    def peek_word(self, *words: str) -> bool:
        tok = self.tokens[self.i] if self.i < len(self.tokens) else None
        return tok is not None and tok.kind == "word" and tok.text.upper() in words

    def peek(self, kind: str, text: str | None = None) -> bool:
        tok = self.tokens[self.i] if self.i < len(self.tokens) else None
        return tok is not None and tok.kind == kind and (text is None or tok.text == text)

    def take(self) -> Token:
        if self.i >= len(self.tokens):
            raise JqlError("Error in the JQL Query: Expecting either a value, list or function "
                           "but got end of query.")
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Query:
        where = None
        if self.i < len(self.tokens) and not self.peek_word("ORDER"):
            where = self.or_expr()
        order = self.order_by()
        if self.i < len(self.tokens):
            tok = self.tokens[self.i]
            raise JqlError(f"Error in the JQL Query: Expecting either 'OR' or 'AND' but got "
                           f"'{tok.text}'. (line 1, character {tok.pos})")
        return Query(where, order)

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.peek_word("OR"):
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else BoolOp("OR", tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.not_expr()]
        while self.peek_word("AND"):
            self.take()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else BoolOp("AND", tuple(parts))

    def not_expr(self) -> Node:
        if self.peek_word("NOT") or self.peek("op", "!"):
            self.take()
            return BoolOp("NOT", (self.not_expr(),))
        if self.peek("punct", "("):
            self.take()
            node = self.or_expr()
            if not self.peek("punct", ")"):
                raise JqlError("Error in the JQL Query: Expecting ')' before the end of the query.")
            self.take()
            return node
        return self.clause()

    def clause(self) -> Clause:
        tok = self.take()
        if tok.kind not in ("word", "str"):
            raise JqlError(f"Error in the JQL Query: Expecting a field name but got "
                           f"'{tok.text}'. (line 1, character {tok.pos})")
        op = self.operator()
        if op in ("IN", "NOT IN"):
            return Clause(tok.text, op, self.value_list())
        return Clause(tok.text, op, (self.value(),))

    def operator(self) -> str:
        tok = self.take()
        if tok.kind == "op":
            return tok.text
        word = tok.text.upper()
        if word == "IN":
            return "IN"
        if word == "IS":
            if self.peek_word("NOT"):
                self.take()
                return "IS NOT"
            return "IS"
        if word == "NOT" and self.peek_word("IN"):
            self.take()
            return "NOT IN"
        raise JqlError(f"Error in the JQL Query: Expecting operator but got '{tok.text}'. "
                       f"(line 1, character {tok.pos})")

    def value(self) -> Value:
        tok = self.take()
        if tok.kind == "str":
            return Value(tok.text, quoted=True)
        if tok.kind != "word":
            raise JqlError(f"Error in the JQL Query: Expecting either a value, list or function "
                           f"but got '{tok.text}'. (line 1, character {tok.pos})")
        if tok.text.upper() in ("EMPTY", "NULL"):
            return Value(tok.text, empty=True)
        if self.peek("punct", "("):
            self.take()
            while not self.peek("punct", ")"):
                self.take()
            self.take()
            return Value(tok.text, func=True)
        return Value(tok.text)

    def value_list(self) -> tuple[Value, ...]:
        if not self.peek("punct", "("):
            return (self.value(),)
        self.take()
        values = [self.value()]
        while self.peek("punct", ","):
            self.take()
            values.append(self.value())
        if not self.peek("punct", ")"):
            raise JqlError("Error in the JQL Query: Expecting ',' or ')' in the list.")
        self.take()
        return tuple(values)

    def order_by(self) -> tuple[tuple[str, bool], ...]:
        if not self.peek_word("ORDER"):
            return ()
        self.take()
        if not self.peek_word("BY"):
            raise JqlError("Error in the JQL Query: Expecting 'by' after 'order'.")
        self.take()
        terms = [self.sort_term()]
        while self.peek("punct", ","):
            self.take()
            terms.append(self.sort_term())
        return tuple(terms)

    def sort_term(self) -> tuple[str, bool]:
        name = self.take().text
        descending = False
        if self.peek_word("ASC", "DESC"):
            descending = self.take().text.upper() == "DESC"
        return name, descending


def parse(jql: str) -> Query:
    """Parse a JQL string."""
    return _Parser(jql).parse()


# -- evaluation ------------------------------------------------------------------------------

Snapshot = dict[str, Any]
Predicate = Callable[[Snapshot], bool]

FIELD_ALIASES = {
    "issuekey": "key",
    "issue": "key",
    "type": "issuetype",
    "due": "duedate",
    "resolved": "resolutiondate",
    "statuscategory": "statusCategory",
}
DATE_FIELDS = ("created", "updated", "duedate", "resolutiondate")
_REL_RE = re.compile(r"^([+-]?)(\d+)([wdhm])$")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}


@dataclass
class JqlContext:
    """Instance data the evaluator needs."""

    now: float
    projects: dict[str, str]
    users: dict[str, User]
    api_user: str
    cloud: bool
    key_exists: Callable[[str], bool]
    key_of_id: Callable[[str], str | None] = lambda _id: None  # a live issue's key by numeric id


def _not_found(value: str, field: str) -> JqlError:
    return JqlError(f"The value '{value}' does not exist for the field '{field}'.")


def _lookup(value: Value, field: str, table: dict[str, str]) -> str:
    """Resolve a name or id against an id -> name table (case-insensitive names)."""
    for item_id, name in table.items():
        if value.text == item_id or value.text.lower() == name.lower():
            return item_id
    raise _not_found(value.text, field)


def parse_time(value: Value, ctx: JqlContext, field: str) -> float:
    """A JQL date/time literal as epoch seconds (UTC)."""
    text = value.text.strip()
    if value.func:
        name = text.lower()
        now = datetime.fromtimestamp(ctx.now, tz=UTC)
        if name == "now":
            return ctx.now
        if name == "startofday":
            return now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        raise JqlError(f"Unable to find JQL function '{text}()'.")
    rel = _REL_RE.match(text.replace(" ", ""))
    if rel:
        sign = -1 if rel.group(1) == "-" else 1
        delta = timedelta(**{_UNITS[rel.group(3)]: int(rel.group(2))})
        return ctx.now + sign * delta.total_seconds()
    for fmt in ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    raise JqlError(
        f"Date value '{text}' for field '{field}' is invalid. Valid formats include: "
        "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period "
        "format e.g. '-5d', '4w 2d'."
    )


def _field_time(snap: Snapshot, field: str) -> float | None:
    raw = snap["fields"].get(field)
    if raw is None:
        return None
    if field == "duedate":
        return datetime.fromisoformat(str(raw)).replace(tzinfo=UTC).timestamp()
    return float(raw)


def _compare(op: str, left: Any, right: Any) -> bool:
    return bool(
        {
            "=": left == right,
            "!=": left != right,
            ">": left > right,
            ">=": left >= right,
            "<": left < right,
            "<=": left <= right,
        }[op]
    )


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^\w]+", text.lower()) if w}


class _Compiler:
    def __init__(self, ctx: JqlContext) -> None:
        self.ctx = ctx

    def node(self, node: Node) -> Predicate:
        if isinstance(node, BoolOp):
            parts = [self.node(c) for c in node.children]
            if node.op == "AND":
                return lambda s: all(p(s) for p in parts)
            if node.op == "OR":
                return lambda s: any(p(s) for p in parts)
            return lambda s: not parts[0](s)
        return self.clause(node)

    def clause(self, clause: Clause) -> Predicate:
        field = FIELD_ALIASES.get(clause.field.lower(), clause.field.lower())
        if field == "statuscategory":
            field = "statusCategory"
        if field in DATE_FIELDS:
            return self.date_clause(field, clause)
        if field in ("summary", "description", "text"):
            return self.text_clause(field, clause)
        getter = self.getter(field, clause.field)
        return self.set_clause(field, clause, getter)

    def getter(self, field: str, original: str) -> Callable[[Value], str]:
        """Maps a JQL value to the internal value the field stores."""
        table: dict[str, Callable[[Value], str]] = {
            "project": self.project_value,
            "key": self.key_value,
            "id": self.id_value,
            "labels": lambda v: v.text,
            "status": lambda v: _lookup(v, "status", {k: s.name for k, s in STATUSES.items()}),
            "statusCategory": self.category_value,
            "priority": lambda v: _lookup(v, "priority", {k: p[0] for k, p in PRIORITIES.items()}),
            "issuetype": lambda v: _lookup(v, "issuetype", {k: t[0] for k, t in ISSUE_TYPES.items()}),
            "resolution": lambda v: _lookup(v, "resolution", RESOLUTIONS),
            "assignee": lambda v: self.user_value(v, "assignee"),
            "reporter": lambda v: self.user_value(v, "reporter"),
        }
        if field not in table:
            raise JqlError(f"Field '{original}' does not exist or you do not have permission to "
                           "view it.")
        return table[field]

    def project_value(self, value: Value) -> str:
        for key, pid in self.ctx.projects.items():
            if value.text.upper() == key or value.text == pid or value.text == f"{key} project":
                return key
        raise _not_found(value.text, "project")

    def key_value(self, value: Value) -> str:
        if value.text.isdigit():  # `issue in (10001)`: Jira takes ids where it takes keys
            key_of_id = self.ctx.key_of_id(value.text)
            if key_of_id is None:
                raise JqlError(f"An issue with key '{value.text}' does not exist for field 'key'.")
            return key_of_id
        key = value.text.upper()
        if not self.ctx.key_exists(key):
            raise JqlError(f"An issue with key '{value.text}' does not exist for field 'key'.")
        return key

    def id_value(self, value: Value) -> str:
        """Like keys, ids of issues that do not exist (deleted ones) make the query a 400."""
        if not value.text.isdigit() or self.ctx.key_of_id(value.text) is None:
            raise JqlError(f"An issue with key '{value.text}' does not exist for field 'id'.")
        return value.text

    def category_value(self, value: Value) -> str:
        for cat in CATEGORIES.values():
            if value.text.lower() in (cat.key, cat.name.lower(), str(cat.id)):
                return cat.key
        raise _not_found(value.text, "statusCategory")

    def user_value(self, value: Value, field: str) -> str:
        if value.func and value.text.lower() == "currentuser":
            return self.ctx.api_user
        for user in self.ctx.users.values():
            ids = (user.account_id,) if self.ctx.cloud else (user.name, user.key)
            if value.text in ids:
                return user.name
        raise _not_found(value.text, field)

    def current(self, field: str, snap: Snapshot) -> list[str]:
        """The issue's value(s) for a field, in internal form."""
        fields = snap["fields"]
        if field == "key":
            return [snap["key"]]
        if field == "id":
            return [str(snap["id"])]
        if field == "project":
            return [fields["project"]]
        if field == "labels":
            return list(fields["labels"])
        if field == "statusCategory":
            return [STATUSES[fields["status"]].category]
        value = fields.get(field)
        return [] if value is None else [str(value)]

    def set_clause(self, field: str, clause: Clause, getter: Callable[[Value], str]) -> Predicate:
        op = clause.op
        if op in ("IS", "IS NOT"):
            if not clause.values[0].empty:
                raise JqlError("Error in the JQL Query: Expecting 'EMPTY' after 'is'.")
            want_empty = op == "IS"
            return lambda s: (not self.current(field, s)) == want_empty
        if op not in ("=", "!=", "IN", "NOT IN"):
            raise JqlError(f"The operator '{op}' is not supported by the '{clause.field}' field.")
        if any(v.empty for v in clause.values):
            empty_ok = op in ("=", "IN")
            return lambda s: (not self.current(field, s)) == empty_ok
        wanted = {getter(v) for v in clause.values}
        positive = op in ("=", "IN")
        if positive:
            return lambda s: bool(wanted & set(self.current(field, s)))
        # Jira: negative clauses never match issues where the field is empty.
        return lambda s: bool(self.current(field, s)) and not wanted & set(self.current(field, s))

    def date_clause(self, field: str, clause: Clause) -> Predicate:
        if clause.op in ("IS", "IS NOT"):
            want_empty = clause.op == "IS"
            return lambda s: (_field_time(s, field) is None) == want_empty
        if clause.op in ("IN", "NOT IN", "~", "!~"):
            raise JqlError(f"The operator '{clause.op}' is not supported by the '{clause.field}' "
                           "field.")
        moment = parse_time(clause.values[0], self.ctx, clause.field)
        if field == "duedate":
            moment = datetime.fromtimestamp(moment, tz=UTC).replace(
                hour=0, minute=0, second=0, microsecond=0
            ).timestamp()

        def pred(snap: Snapshot) -> bool:
            value = _field_time(snap, field)
            if value is None:
                return False
            if field != "duedate":
                value = value - value % 60  # JQL compares at minute precision
            return _compare(clause.op, value, moment)

        return pred

    def text_clause(self, field: str, clause: Clause) -> Predicate:
        if clause.op not in ("~", "!~"):
            raise JqlError(f"The operator '{clause.op}' is not supported by the '{clause.field}' "
                           "field.")
        terms = _words(clause.values[0].text)
        names = ("summary", "description") if field == "text" else (field,)

        def pred(snap: Snapshot) -> bool:
            text = " ".join(str(snap["fields"].get(n) or "") for n in names)
            found = terms <= _words(text)
            return found if clause.op == "~" else not found

        return pred


SORT_FIELDS = ("key", "id", "created", "updated", "duedate", "priority", "summary", "status",
               "resolutiondate", "assignee", "project", "issuetype")


def compile_query(query: Query, ctx: JqlContext) -> Predicate:
    """A predicate over issue snapshots (raises JqlError on unknown fields/values)."""
    if query.where is None:
        return lambda s: True
    return _Compiler(ctx).node(query.where)


def _sort_key(field: str, snap: Snapshot) -> tuple[int, Any]:
    fields = snap["fields"]
    if field == "key":
        project, _, number = snap["key"].partition("-")
        return (0, (project, int(number)))
    if field == "id":
        return (0, snap["id"])
    if field == "priority":
        return (0, -int(fields["priority"]))  # ascending = lowest first, as in Jira
    if field == "status":
        return (0, STATUSES[fields["status"]].name)
    value = fields.get(field)
    return (1, "") if value is None else (0, value)


def sort_snapshots(snaps: list[Snapshot], order_by: tuple[tuple[str, bool], ...]) -> list[Snapshot]:
    """Apply ORDER BY (stable, last key first); without one, order by id ascending."""
    out = sorted(snaps, key=lambda s: s["id"])
    for name, descending in reversed(order_by):
        field = FIELD_ALIASES.get(name.lower(), name.lower())
        if field not in SORT_FIELDS:
            raise JqlError(f"Field '{name}' does not exist or you do not have permission to "
                           "view it.")
        present = [s for s in out if _sort_key(field, s)[0] == 0]
        missing = [s for s in out if _sort_key(field, s)[0] == 1]
        present.sort(key=lambda s: _sort_key(field, s)[1], reverse=descending)
        out = present + missing  # empty values last in both directions
    return out
