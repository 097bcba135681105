"""Inline fields written after an action: "— owner: @daiwa, due: 2020-10-02 #detection".

Fields are *trailing*: the action's words come first, then a run of ``key: value``
pairs, ``@handles``, ``#tags``, issue keys or URLs, optionally in brackets or after a
dash. Requiring the run to reach the end of the line keeps "Fix the issue: the
connector hangs" or "(`set $upstream api.local:8080`)" in the title, where they belong.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from actiontrack.dates import DATE_IN_TEXT
from actiontrack.lazyre import lazy_regex
from actiontrack.taxonomy import is_status_word, normalise, parse_category, parse_phase, parse_priority

#: Column or key names, by the field they fill. Keys are matched after taxonomy.normalise.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": (
        "action", "actions", "action item", "actionitem", "item", "task", "todo", "title",
        "summary", "description", "what", "measure", "countermeasure", "対応内容", "対応", "内容",
        "アクション", "アクションアイテム", "対策", "対策内容", "項目", "タスク", "やること", "施策", "変更内容",
        "修正内容", "改善内容", "change", "what changed",
    ),
    "owner": (
        "owner", "owners", "assignee", "assignees", "assigned", "assigned to", "responsible", "who", "dri",
        "担当", "担当者", "責任者", "オーナー", "対応者", "実施者",
    ),
    "due": (
        "due", "due date", "deadline", "target date", "eta", "by when", "期限", "期日", "締切",
        "締め切り", "対応期限", "完了予定", "完了予定日", "予定日", "目標日",
    ),
    "phase": ("phase", "stage", "フェーズ", "段階", "工程"),
    "category": ("category", "分類", "カテゴリ", "カテゴリー", "区分", "対策区分", "対応区分"),
    # "Type" columns hold a team's own kinds ("Process", "Tooling", "mitigate"): kept as the
    # action's kind, read as a category only when the value names one.
    "kind": ("type", "kind", "種別", "種類", "action type", "タイプ"),
    "team": (
        "team", "owning team", "owner team", "responsible team", "squad", "担当チーム", "担当部署",
        "担当部門", "チーム", "部署", "担当課", "担当部",
    ),
    "priority": ("priority", "prio", "pri", "優先度", "優先順位", "重要度"),
    "status": ("status", "state", "状況", "状態", "ステータス", "進捗", "対応状況"),
    "ticket": (
        "ticket", "issue", "bug", "jira", "link", "tracking", "jira ticket", "jira issue", "issue link",
        "ticket link", "tracking issue", "github issue", "チケット", "課題", "リンク",
    ),
    "id": ("id", "action id"),
}
COLUMN_FIELDS: dict[str, str] = {
    normalise(name): fieldname for fieldname, names in FIELD_NAMES.items() for name in names
}
_INLINE_KEYS = sorted(
    (name for fieldname, names in FIELD_NAMES.items() if fieldname != "title" for name in names),
    key=len,
    reverse=True,
)
_KEY = r"(?P<key>" + "|".join(re.escape(k) for k in _INLINE_KEYS) + r")\s*[:：]\s*"
# owner/repo#12 on GitHub; group/subgroup/project#12 on GitLab. Possessive: no backtracking.
_TICKET = (
    r"(?:https?://[^\s)）]{1,2048}|\b[A-Z][A-Z0-9_]{1,30}-\d{1,9}\b|(?<![\w#])#\d{1,9}\b"
    r"|\b[\w.-]{1,100}+(?:/[\w.-]{1,100}+){1,6}+#\d{1,9}\b)"
)

_KEY_AT = lazy_regex(_KEY, re.I)
_MD_LINK = lazy_regex(r"\[(?P<text>[^\]]{1,80})\]\((?P<url>[^)\s]{1,2048})\)")
_TICKET_AT = lazy_regex(_TICKET)
_TAG_AT = lazy_regex(r"#(?P<tag>\w[\w\-+/]{0,60})")
_HANDLE_AT = lazy_regex(r"@(?P<handle>[\w][\w.\-]{0,60})")
_PRIORITY_AT = lazy_regex(r"\b(?P<prio>P[0-4])\b")
# "@ivan, due 2024-03-15", "@nakano 〆切 10/17": a date after an anchor; after a word that names it
# the deadline, a month and day without a year too (read against the postmortem's date, as 「7月末」 is;
# a bare "@nakano 10/3" on a ticked task may be the day it was done, so it is left alone)
_BARE_DUE = lazy_regex(r"(?:(?:due|by)\s{1,3})?(?P<date>" + DATE_IN_TEXT.pattern + ")"
                       r"|(?:due|by|〆切り?|締め?切り?|期限)\s{0,3}(?P<md>(?<![\d/])(?:1[0-2]|0?[1-9])/"
                       r"(?:3[01]|[12]\d|0?[1-9])(?![\d/]))", re.I)
_SKIP = lazy_regex(r"[\s,、，;；|/()（）\[\]【】{}·]{1,200}|[—–]{1,10}|-{1,2}(?=\s)")
_VALUE_END = lazy_regex(r"\s*(?:[,、，;；|)）\]】·]|$)")
# A value ends where the next field starts: a key, or a URL, handle, tag or issue key after a
# space ("owner: @lena https://…/issues/5" is an owner and a ticket).
# Found as a run of spaces, then what follows it: ``\s+(?=…)`` searched tried every position of a
# run and every split of it (cubic in a run of spaces inside a value's window).
_SPACES = lazy_regex(r"\s+")
_NEXT_KEY_AHEAD = lazy_regex(_KEY + r"|https?://|@\w|#\w|[A-Z][A-Z0-9_]{1,30}-\d", re.I)
# A key we do not know, written like one ("duedate:", "categroy:"): read as a field when it
# is close to a known one, so one typo does not turn the whole run into title words.
_UNKNOWN_KEY_AT = lazy_regex(
    r"(?P<key>[A-Za-z][A-Za-z_-]{1,19}(?: [A-Za-z][A-Za-z_-]{1,19})?|[^\W\d_a-zA-Z]{2,8})\s*[:：]\s*")
_WINDOW = 256  # a field value is never longer: searches for its end look no further
# Where a trailing run may begin: a known key before a colon, a #tag, an @handle, an
# issue key or URL, or P0-P4. One regex alternating every key name costs tens of µs per
# line to scan, so candidates are found by cheap characters and keys are tried only in
# the few token starts just before each colon.
# Where a run may start: a key's colon, a #tag or #123, a handle, a URL, an issue key, a
# priority. Every branch opens on one of a few characters, which the lookahead lets the regex
# engine scan for; "path#12" is found at its "#" (_anchors steps back to the path).
_CANDIDATES = r"[:：]|#[^\s#]|@\w|https?://|[A-Z][A-Z0-9_]+-\d|P[0-4]\b"
_CANDIDATE = lazy_regex(r"(?=[:：#@hA-Z])(?:" + _CANDIDATES + ")")
_CANDIDATE_OR_NAMES = lazy_regex(r"(?=[:：#@hA-Z\[])(?:" + _CANDIDATES + r"|\[[A-Za-z][a-z])")  # text with a "["
_MAYBE_FIELDS = lazy_regex(r"[:：#@]|-\d|http|P[0-4]")
_MAYBE_NAMES = lazy_regex(r"\[[A-Za-z][a-z]")
_BOUNDARY = frozenset(" \t\u3000(（[【—–|,、，;；·")
_UP_TO_LAST_CUT = lazy_regex(r".*[(（\[【—–|,、，;；·]", re.S)
_OPENERS = frozenset(" \t\u3000(（[【—–|-·")
_TITLE_TAIL = " \t\u3000—–|:：,、(（[【-·"  # what separates the words from their fields
ISSUE_KEY = lazy_regex(r"^(?:" + _TICKET + r")$")
_KEY_NAMES = {
    normalise(name): fieldname for fieldname, names in FIELD_NAMES.items() if fieldname != "title" for name in names
}
_KEY_LOWER = {
    name.lower(): fieldname for fieldname, names in FIELD_NAMES.items() if fieldname != "title" for name in names
}


_KEY_SPELLING = {
    normalise(name): name for fieldname, names in FIELD_NAMES.items() if fieldname != "title" for name in names
}


@functools.lru_cache(maxsize=512)
def suggest_key(name: str) -> str | None:
    """The known field name a misspelt key most likely meant ("categroy" → "category")."""
    written = normalise(name)
    if len(written) < 4 or written in _KEY_NAMES:
        return None
    import difflib  # only a misspelt key pays for it

    candidates = [key for key in _KEY_NAMES if abs(len(key) - len(written)) <= 2 and len(key) >= 4]
    close = difflib.get_close_matches(written, candidates, n=1, cutoff=0.8)
    return _KEY_SPELLING[close[0]] if close else None


@dataclass(slots=True)
class Fields:
    """Values found in a trailing field run, as written (validated later)."""

    values: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)
    tickets: list[str] = field(default_factory=list)
    priority: str | None = None
    unknown: list[tuple[str, str, str]] = field(default_factory=list)  # (key, value, the key meant)


def split_fields(text: str) -> tuple[str, Fields]:
    """(the action's words, the trailing fields). Without a trailing run: (text, empty)."""
    if "—" in text or "–" in text:
        signed = _dash_signature(text)
        if signed is not None:
            return signed
    if not _MAYBE_FIELDS.search(text) and not ("[" in text and _MAYBE_NAMES.search(text)):
        signed = _paren_signature(text) if text[-1:] in ")）" else None
        return signed or (text.strip(), Fields())
    failed: set[int] = set()  # token starts from which no run reaches the end: tried once
    for pos in _anchors(text):
        start = pos
        while start and text[start - 1] in _OPENERS:
            start -= 1
        if not _plausible_start(text, pos):
            continue
        parsed = _parse_run_at(text, start, failed)
        if parsed is None:
            continue
        title = text[:start].rstrip(_TITLE_TAIL).strip()
        if title or parsed.values:
            return title, parsed
    if text[-1:] in ")）" and (signed := _paren_signature(text)) is not None:
        return signed  # no run found: "… (Alice, 2025-04-18)" has no key, handle or tag
    return text.strip(), Fields()


# "… fails the build — Priya (due 2025-03-01)", "… — Tom Baker": a name signed after a dash,
# as English write-ups do, optionally followed by fields in brackets. Only capitalised words
# count, so "— Safari only" stays in the title; Japanese names cannot be told from words
# ("— 監視強化"), and Japanese write-ups say 担当: anyway.
_DASH_SIGNATURE = lazy_regex(
    r"\s[—–]\s{0,3}(?P<name>[A-Z][\w.'’-]{0,40}(?:\s[A-Z][\w.'’-]{0,40}){0,2})"
    r"(?:\s{0,3}[—–,]\s{0,3}(?i:due\s+)?(?P<date>(?i:" + DATE_IN_TEXT.pattern + r")))?"  # "— Alice — 2025-04-25"
    r"\s*(?:[(（](?P<inner>[^()（）]{0,200})[)）])?\s*$"
)
# "… (Alice, 2025-04-18)": a capitalised name and a date in the closing brackets.
_PAREN_SIGNATURE = lazy_regex(
    r"[(（](?P<name>[A-Z][a-z][\w.'’-]{0,40}(?:\s[A-Z][\w.'’-]{0,40}){0,2})\s*[,、，]\s*(?i:due\s+)?"
    r"(?P<date>(?i:" + DATE_IN_TEXT.pattern + r"))\s*[)）]\s*$"
)


def _dash_signature(text: str) -> tuple[str, Fields] | None:
    match = _DASH_SIGNATURE.search(text)
    if match is None:
        return None
    inner = match.group("inner")
    fields = parse_run(inner) if inner and inner.strip() else Fields()
    if fields is None:
        return None
    if "owner" not in fields.values and not fields.handles:
        fields.values["owner"] = match.group("name")
    if match.group("date"):
        fields.values.setdefault("due", match.group("date"))
    title = text[: match.start()].rstrip(_TITLE_TAIL).strip()
    return (title, fields) if title else None


def _paren_signature(text: str) -> tuple[str, Fields] | None:
    opener = max(text.rfind("("), text.rfind("（"))
    if opener < 1 or not text[opener - 1].isspace() or not text[opener + 1 : opener + 2].isupper():
        return None
    match = _PAREN_SIGNATURE.match(text, opener)
    if match is None or parse_phase(match.group("name")) or parse_category(match.group("name")):
        return None
    title = text[:opener].rstrip(_TITLE_TAIL).strip()
    fields = Fields(values={"owner": match.group("name"), "due": match.group("date")})
    return (title, fields) if title else None


def _anchors(text: str) -> Iterator[int]:
    """Candidate starts of a trailing run, left to right, each at a token boundary.

    A generator: the first candidate whose remainder parses wins, so the field names
    after it are never looked up.
    """
    last = -1
    scanned = 0  # text[:scanned] has been looked at for the start of the word a path sits in
    word = 0  # where the word at `scanned` starts: just after the last space or boundary before it
    taken = 0  # where the last candidate ended: a path's last character inside it starts none
    for match in (_CANDIDATE_OR_NAMES if "[" in text else _CANDIDATE).finditer(text):
        pos = match.start()
        path = False
        if text[pos] == "#" and pos and text[pos + 1 : pos + 2].isdecimal():
            before = text[pos - 1]
            if before == "#":
                continue  # "##1" is neither a tag nor an issue
            if before.isalnum() or before == "_":
                if pos - 1 < taken:
                    continue  # "@ann#2": the path's last character belongs to the handle
                pos, path = pos - 1, True
        taken = match.end()
        if text[pos] in ":：":
            start = _key_before(text, pos)
        elif path:  # a repository issue: the run starts at its path
            # One pass left to right finds each path's word start: walking back from every '#'
            # of 'a#a#a#…' cost up to 720 characters a candidate.
            for index in range(max(scanned, pos - 721), pos):
                if text[index].isspace() or text[index] in _BOUNDARY:
                    word = index + 1
            scanned = pos
            # a path longer than 720 characters is no ticket
            start = word if pos - word <= 720 and (word == 0 or text[word - 1] in _BOUNDARY) else None
        elif text[pos - 2 : pos] == "](" and text[pos] == "h":
            start = None  # "… to [Grafana](https://…)": a link in the words, not a ticket
        else:
            start = pos if pos == 0 or text[pos - 1] in _BOUNDARY else None
        if start is not None and start > last:
            last = start
            yield start


def _key_before(text: str, colon: int) -> int | None:
    """The start of a known field name (one or two words) that ends at `colon`."""
    window_start = max(0, colon - 24)
    head = text[window_start:colon].rstrip()
    before_cut = _UP_TO_LAST_CUT.match(head)
    words = head[before_cut.end() if before_cut else 0 :].split()
    for count in (2, 1):
        if len(words) < count:
            continue
        candidate = " ".join(words[-count:])
        if _field_for(candidate) is not None or suggest_key(candidate) is not None:
            start = head.rfind(words[-count], 0, len(head) - len(words[-1]) if count == 2 else len(head))
            pos = window_start + start
            return pos if pos == 0 or text[pos - 1] in _BOUNDARY else None
    return None


def _field_for(name: str) -> str | None:
    """The field a key names, case- and width-insensitively."""
    return _KEY_LOWER.get(name.lower()) or _KEY_NAMES.get(normalise(name))


def _plausible_start(text: str, pos: int) -> bool:
    """A run may not start with an unknown #tag: "posts to #db-alerts" is prose."""
    tag = _TAG_AT.match(text, pos)
    if tag is None or tag.group("tag").isdigit():
        return True  # not a tag, or "#123": an issue
    name = tag.group("tag")
    return bool(parse_phase(name) or parse_category(name) or parse_priority(name))


# "… [Alice] (2025-02-14)", "[Alice, Bob]": names in square brackets, each a capitalised
# word or two with a lower-case letter, so "[WIP]", "[OPS-12]" or "[P1]" are not owners.
_NAME = r"[A-Z][a-z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}"
_BRACKET_NAMES = lazy_regex(r"\[(?P<names>" + _NAME + r"(?:\s*,\s*" + _NAME + r")*)\](?!\()")  # not a link


_BRACKET_TAG = lazy_regex(r"\[(?P<tag>[A-Za-z][\w-]{1,30}|[^\W\d\s]{1,12})\](?!\()")


def _bracket_names(segment: str, pos: int, fields: Fields) -> int | None:
    """"[Alice]", "[Alice, Bob]": owners in brackets; "[repair]", "[検知]": a bracketed tag."""
    tag = _BRACKET_TAG.match(segment, pos)
    if tag is not None and (parse_phase(tag.group("tag")) or parse_category(tag.group("tag"))):
        fields.tags.append(tag.group("tag"))
        return tag.end()
    match = _BRACKET_NAMES.match(segment, pos)
    if match is None:
        return None
    names = match.group("names")
    if is_status_word(names) or parse_phase(names) or parse_category(names) or parse_priority(names):
        return None  # "[Done]", "[Detection]", "[High]" say something else
    fields.values.setdefault("owner", names)
    return match.end()


def parse_run(segment: str) -> Fields | None:
    """Parse a segment made only of fields, tags, handles and tickets; None if it is not."""
    return _parse_run_at(segment, 0, set())


def _parse_run_at(text: str, pos: int, failed: set[int]) -> Fields | None:
    """Parse text[pos:] as a run. `failed` holds token starts already known not to reach the
    end of the text: a run that reaches one fails at once, and every token start it passed
    is added, so trying many anchors of one line costs one pass over it."""
    fields = Fields()
    end = len(text)
    brackets = "[" in text
    visited: list[int] = []
    while pos < end:
        skip = _SKIP.match(text, pos)
        if skip and skip.end() > pos:
            if brackets and (bracket := text.find("[", pos, skip.end())) >= 0 and (
                named := _bracket_names(text, bracket, fields)
            ) is not None:
                pos = named
                continue
            pos = skip.end()
            continue
        if pos in failed:
            failed.update(visited)
            return None
        visited.append(pos)
        new_pos = _parse_token(text, pos, fields)
        if new_pos is None:
            failed.update(visited)
            return None
        pos = new_pos
    if not (fields.values or fields.tags or fields.handles or fields.tickets or fields.priority or fields.unknown):
        return None
    return fields


def _parse_token(segment: str, pos: int, fields: Fields) -> int | None:
    """Read one token of a run at `pos`; dispatch on its first character, the hot path."""
    first = segment[pos]
    if first == "#":
        ticket = _TICKET_AT.match(segment, pos)  # "#123" is an issue, "#detection" a tag
        if ticket:
            fields.tickets.append(ticket.group(0))
            return ticket.end()
        tag = _TAG_AT.match(segment, pos)
        if tag:
            fields.tags.append(tag.group("tag"))
            return tag.end()
        return None
    if first == "@":
        handle = _HANDLE_AT.match(segment, pos)
        if handle and (pos == 0 or segment[pos - 1].isspace() or segment[pos - 1] in "(（[【,、"):
            fields.handles.append(handle.group("handle"))
            return handle.end()
        return None
    window = segment[pos : pos + 24]
    if ":" in window or "：" in window:
        key = _KEY_AT.match(segment, pos)
        if key:
            return _parse_value(segment, _field_for(key.group("key")) or "title", key.end(), fields)
        other = _UNKNOWN_KEY_AT.match(segment, pos)
        if other:
            written = other.group("key")
            if (known := _field_for(written)) is not None:  # "Due-Date:", "DUE_DATE:"
                return _parse_value(segment, known, other.end(), fields)
            if (meant := suggest_key(written)) is not None:
                return _parse_unknown(segment, other, meant, fields)
    for pattern in (_TICKET_AT, _PRIORITY_AT, _BARE_DUE):
        match = pattern.match(segment, pos)
        if match is None:
            continue
        if pattern is _TICKET_AT:
            fields.tickets.append(match.group(0))
        elif pattern is _PRIORITY_AT:
            fields.priority = match.group("prio")
        else:  # "— @ivan, 2024-03-08" or "@ivan, due 2024-03-15": only ever after an anchor
            fields.values.setdefault("due", match.group("date") or match.group("md"))
        return match.end()
    # "… · Assignee: Sam · Completed", "（担当：田中、完了）": a bare status word, only ever
    # after an anchor, as the bare due date above.
    stop = _VALUE_END.search(segment, pos, pos + _WINDOW)
    word = segment[pos : stop.start() if stop else min(len(segment), pos + _WINDOW)]
    if word and is_status_word(word):
        fields.values.setdefault("status", word)
        return pos + len(word)
    return None


def _next_key(segment: str, start: int, stop: int) -> int:
    """Where the next field starts between `start` and `stop`: at the run of spaces before a
    key, URL, handle, tag or issue key; `stop` when there is none."""
    for run in _SPACES.finditer(segment, start, stop):
        if _NEXT_KEY_AHEAD.match(segment, run.end(), stop):
            return run.start()
    return stop


def _value_end(segment: str, start: int) -> int | None:
    """Where a key's value ends: at a separator, the next key or the end; None when the value
    would run on for more than a window (then it is words, not a field)."""
    limit = min(len(segment), start + _WINDOW)
    stop = _VALUE_END.search(segment, start, limit)
    if stop is None and limit < len(segment):
        return None
    stop_at = stop.start() if stop else limit
    value_end = _next_key(segment, start, stop_at)
    for opener, closer in (("（", "）"), ("(", ")")):
        # "担当：山田（SRE）": the bracket closes the value's own aside, not the field run.
        if segment.startswith(closer, value_end) and (
            segment.count(opener, start, value_end) > segment.count(closer, start, value_end)
        ):
            value_end += 1
    return value_end


def _parse_value(segment: str, name: str, start: int, fields: Fields) -> int | None:
    if name == "due":
        date = DATE_IN_TEXT.match(segment, start)
        if date:
            fields.values.setdefault(name, date.group(0))
            return date.end()
    if segment.startswith("[", start) and (link := _MD_LINK.match(segment, start)):
        # "Owner: [Lucia Gomez](mailto:lucia@…)": a Google Docs person chip, a linked key.
        value = link.group("url") if name == "ticket" else link.group("text")
        if name == "ticket" and not ISSUE_KEY.match(value):
            return None
        fields.values.setdefault(name, value)
        return link.end()
    value_end = _value_end(segment, start)
    if value_end is None:
        return None
    value = segment[start:value_end].strip()
    if not value:
        return None
    if name == "ticket" and not ISSUE_KEY.match(value):
        return None
    fields.values.setdefault(name, value)
    return value_end


def _parse_unknown(segment: str, key: re.Match[str], meant: str, fields: Fields) -> int | None:
    """A misspelt key ("duedate: 2024-07-01"): kept aside with the name it meant, for the
    unknown-field warning; its value fills nothing, the fields around it still count."""
    value_end = _value_end(segment, key.end())
    if value_end is None:
        return None
    value = segment[key.end():value_end].strip()
    if not value:
        return None
    fields.unknown.append((key.group("key"), value, meant))
    return value_end


def apply_tags(fields: Fields) -> None:
    """Turn #tags that name a phase, category or priority into those fields."""
    rest = []
    for tag in fields.tags:
        if "phase" not in fields.values and parse_phase(tag):
            fields.values["phase"] = tag
        elif "category" not in fields.values and parse_category(tag):
            fields.values["category"] = tag
        elif fields.priority is None and "priority" not in fields.values and parse_priority(tag):
            fields.priority = tag
        else:
            rest.append(tag)
    fields.tags = rest
