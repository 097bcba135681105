"""One action from its words: a list item's lines, a table row's cells, a sentence of prose.

The block structure (blocks.py) says where an action is; this module says what it says:
its title, trailing fields (owner, due date, tags, tickets), a leading ticket, priority or
status mark, a bold label with a description, and what its continuation lines and
sub-bullets add. Inline Markdown is read only as far as the words need: emphasis markers
and link targets go, the words stay.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from actiontrack.dates import DATE_IN_TEXT
from actiontrack.lazyre import lazy_regex
from actiontrack.model import Category, Phase
from actiontrack.reader.build import RawAction
from actiontrack.reader.fields import (
    COLUMN_FIELDS,
    ISSUE_KEY,
    Fields,
    apply_tags,
    parse_run,
    split_fields,
)
from actiontrack.reader.prose import sentences
from actiontrack.taxonomy import (
    is_done_status,
    is_placeholder,
    is_status_word,
    normalise,
    parse_category,
    parse_phase,
    parse_priority,
)

__all__ = [
    "Defaults", "absorb_detail", "clean_inline", "columns_of", "comments", "lead_only", "raw_from_row", "raw_from_text",
]


@dataclass(slots=True)
class Defaults:
    """What the enclosing headings and labels say about the actions under them."""

    phase: Phase | None = None
    category: Category | None = None
    done: bool = False  # under "### 暫定対応（実施済み）": what was already done

    def merged(self, phase: Phase | None, category: Category | None, done: bool = False) -> Defaults:
        return Defaults(phase or self.phase, category or self.category, done or self.done)


# Bounded quantifiers throughout: a line of "[a](" or "**" repeated must not take quadratic time.
_LEAD_TICKET = lazy_regex(
    r"(?:\[(?P<linked>[A-Z][A-Z0-9_]{1,30}-\d{1,9}|#\d{1,9})(?:\s?\((?P<state>[^()\[\]\n]{1,16})\))?\]"
    r"(?:\([^)\s]{1,2048}\))?"
    # "[Done](…commit/f8fe09…): add a lab environment": a link whose words are only the item's state
    r"|\[(?P<state_only>[A-Za-z][A-Za-z ]{1,14})\]\([^)\s]{1,2048}\)(?=[:：])"
    r"|(?P<bare>[A-Z][A-Z0-9_]{1,30}-\d{2,9})(?=[:：]))"
    r"[\s:：—–-]*"
)
_BOLD_KEY = lazy_regex(r"(\*\*|__)([^*_\n]{1,40}?)(?:\s*([:：])\s*\1|\1\s*([:：]))")
# "**Add rate limits**: planned for Q3 as part of …": a bold label, then its description.
_BOLD_LABEL = lazy_regex(r"(\*\*|__)(?P<label>[^*_\n]{2,160}?)(?:[:：.。]\1|\1\s*[:：—–.。]|\1\s+[-–—])[ \t]*")
_TRAILING_STATUS = lazy_regex(r"(?:\*\*|__)(?P<status>[^*_\d\-]{1,20})(?:\*\*|__)\s*$")
_STRUCK = lazy_regex(r"~~[^~]{1,2000}~~\s*(?:[(（][^)）]{0,30}[)）])?\W*$")
_CHECKBOX = lazy_regex(r"\[(?P<mark>[ xX✓✔])\][ \t]*")
_NOQA = lazy_regex(r"\s*(?:actiontrack\s*:\s*)?noqa(?:\s*:\s*(?P<codes>.*?))?\s*$", re.I | re.S)
_EXPLICIT_ID = lazy_regex(r"\s*(?:actiontrack\s*:\s*)?id\s*[:=]\s*(?P<id>[\w.\-]+)\s*$", re.I)
_EMPHASIS = lazy_regex(r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1")
_LINK = lazy_regex(r"!?\[(?P<text>[^\]\n]{0,500})\]\((?P<url>[^)\s]{1,2048})(?:\s+\"[^\"\n]{0,200}\")?\)")
# A leading note of when ("(Longer-term)", "【短期】"): no words of the action's title.
_LEAD_HORIZON = lazy_regex(
    r"[(（\[【](?i:(?:short|shorter|mid|medium|long|longer|near)[- ]?term|immediate|optional|stretch|later|"
    r"短期|中期|長期|即時|即日)[)）\]】][ \t\u3000]*")
_HORIZON_INITIALS = frozenset("(（[【")
_REF_LINK = lazy_regex(r"\[(?P<text>[^\]\n]{1,500})\]\[[^\]\n]{0,100}\]")  # "[release process][rp]"
_CODE_HANDLE = lazy_regex(r"`(@[\w][\w.-]{0,60})`")
_CODE_SPAN = lazy_regex(r"(?P<ticks>`{1,3})(?P<code>[^`\n]{1,500}?)(?P=ticks)")
_AUTOLINK = lazy_regex(r"<(?P<url>https?://[^>\s]{1,2048})>")
# "… (see #123)", "… (tracked in OPS-12)", "…, see https://…": a reference after the words.
# The match starts only at a bracket or the word itself, and no run of spaces is given back:
# a leading [\s,;:—–-]* let every position of a long run of dashes or spaces start a match
# that scanned the run again (quadratic); the caller strips what comes before the word.
_TRAILING_REFERENCE = lazy_regex(
    r"(?:[(（]\s*+)?(?:see|ref|refs|tracked (?:in|by|as)|tracking|ticket|issue|pr|via|in|関連|参照|チケット)"
    r"\s*+[:：]?\s*+(?P<ref>(?:https?://[^\s)）]{1,2048}|[A-Z][A-Z0-9_]{1,30}-\d{1,9}|#\d{1,9}|"
    r"[\w.-]{1,100}(?:/[\w.-]{1,100}){1,6}#\d{1,9})(?:\s*+(?:,|and|&)\s*+(?:[A-Z][A-Z0-9_]{1,30}-\d{1,9}|#\d{1,9}))*)"
    r"\s*+[)）]?\s*+[.。]?\s*+$",
    re.I,
)
_BEFORE_REFERENCE = frozenset(",;:—–-(")
# What is left of "… (see OPS-12)" once the field reader has taken the key.
_REFERENCE_WORDS = lazy_regex(
    r"[(（]?\s*+(?:see(?: also)?|ref|refs|tracked (?:in|by|as)|tracking|ticket|issue|via|関連|参照)"
    r"\s*+[:：]?\s*+$", re.I)
_BEFORE_REFERENCE_WORDS = frozenset(",;:—–-")
_ESCAPED = lazy_regex(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_SENTENCE_END = frozenset(".。!?！？)）:：")

# Notion and Markdown task boards open an item with its status as an emoji: "✅ Roll back …"
# is done, "🚧 Alert …" is under way. The emoji is not part of the title.
_DONE_MARKS = ("✅", "✔️", "✔", "☑️", "☑")
_OPEN_MARKS = ("🚧", "⏳", "🔲", "⬜", "🔜", "🏗️", "🏗")
# "Follow-up: Add …", "Action item: …", "TODO: …": the list's own label, not the title.
_LEAD_LABEL = lazy_regex(r"(?:follow[- ]?up|action(?: item)?|todo|to-do)\s*[:：]\s+", re.I)
# "**DONE**: Alex added …", "**TODO** a prometheus exporter …", "3. **FIXING** …": a task
# board's status opening a line, bold or in capitals. Only a task's own states count: the
# "**Resolved** -" / "**Monitoring** -" of a status page narrate the incident, not a task.
# "(Done) Add …", "[In progress] …", "(Already planned) Set up …", "（対応中）手順書を…": the same
# states in brackets, which say nothing of the action's words.
_STATUS_LEAD = lazy_regex(
    r"(?:\*\*|__)(?P<bold>(?i:to ?do|to-do|done|doing|fixing|wip|in progress|not started)|完了|対応済み?|実施済み?|"
    r"対応中|実施中|未対応|未着手)[:：]?(?:\*\*|__)"
    r"|(?P<caps>TODO|TO-DO|DONE|DOING|FIXING|WIP)(?=[:：\s])"
    r"|[\[(（【](?P<bracket>(?i:to ?do|to-do|done|completed?|fixed|doing|wip|in progress|ongoing|not started|"
    r"(?:already )?planned|scheduled)|完了|対応済み?|実施済み?|対応中|実施中|未対応|未着手|検討中|予定)[\])）】](?!\()"
    # 「済: …」「未対応：…」 opening a line of a list written without bullets
    r"|(?P<colon>済|完了済み?|対応済み?|実施済み?|対応中|実施中|未対応|未着手|未完了|未実施)(?=[:：])")
_DONE_STATES = frozenset(("done", "completed", "complete", "fixed"))
_OPEN_STATES = frozenset(
    ("todo", "notstarted", "planned", "alreadyplanned", "scheduled", "未対応", "未着手", "未完了", "未実施", "検討中",
     "予定"))
_STATUS_LEAD_TAIL = lazy_regex(r"[ \t]*(?:[:：\-–—][ \t]*)?")
_STATUS_INITIALS = frozenset("*_TDFWtdfwin[(（【済完対実未")
_MARK_INITIALS = frozenset(mark[0] for mark in _DONE_MARKS + _OPEN_MARKS)
_LABEL_INITIALS = frozenset("FfAaTt")
_LEAD_TAGS = lazy_regex(r"(?:#[^\W\d][\w\-+/]{0,60}[ \t]+){1,20}")
_LEAD_PRIORITY = lazy_regex(
    r"(?:\*\*|__)?[\[(（【](?P<p>P[0-4]|high|medium|low|critical|urgent|高|中|低|最優先)[\])）】](?:\*\*|__)?[:：]?\s*"
    r"|(?P<q>P[0-4])[:：]\s+"
    r"|(?:\*\*|__)(?P<r>P[0-4]|HIGH|MEDIUM|LOW|CRITICAL|URGENT|High|Medium|Low|Critical|高|中|低)(?:\*\*|__)[:：]?\s+"
    # a bare level only in capitals: "HIGH: rotate …", never "High availability for …"
    r"|(?P<s>(?-i:HIGH|MEDIUM|LOW|CRITICAL))[:：]?\s+",
    re.I,
)
_LEAD_PRIORITY_CHARS = frozenset("P*_[(（【HMLCUhmlcu")
# "**AI-P1** Write …", "**A3**: …": the team's own id for the action, not its first words.
_LEAD_ID = lazy_regex(r"(?:\*\*|__)(?P<id>[A-Z]{1,6}(?:-[A-Z]{0,4})?-?\d{1,4}[a-z]?)(?:\*\*|__)[:：.]?\s+")
# "… (in progress)", "…（5/22 変更済み）", "…（2025年11月28日まで）": a status or date after the words.
_TRAILING_NOTE = lazy_regex(r"\s*[(（\[【](?P<note>[^()（）\[\]【】]{1,40})[)）\]】]\s*[。.]?\s*$")
_DUE_NOTE = lazy_regex(
    r"(?P<date>.+?)\s*(?:まで|までに|迄|予定|目処|目途|by)$|^(?:due|by|期限[:：]?)\s*(?P<date2>.+)$", re.I)


def comments(text: str) -> tuple[str, frozenset[str] | None, str | None]:
    """Strip HTML comments; return (text, noqa codes, explicit id) found in them.

    Scanned with ``str.find``: a lazy ``<!--(.*?)-->`` looks for the close from every
    opener, so a line of many unclosed openers cost the square of its length."""
    if "<!--" not in text:
        return text, None, None
    noqa: frozenset[str] | None = None
    key: str | None = None
    kept: list[str] = []
    position = 0
    while (opened := text.find("<!--", position)) != -1:
        kept.append(text[position:opened])
        closed = text.find("-->", opened + 4)
        if closed == -1:  # an unclosed comment hides the rest of the line
            position = len(text)
            break
        body = text[opened + 4 : closed]
        marker = _NOQA.match(body)
        if marker:
            codes = marker.group("codes") or ""
            noqa = frozenset(c.strip() for c in re.split(r"[,\s]+", codes) if c.strip())
        explicit = _EXPLICIT_ID.match(body)
        if explicit:
            key = explicit.group("id")
        position = closed + 3
    kept.append(text[position:])
    text = "".join(kept)
    if "<!--" in text:  # "<!<!-- x -->--": an opener the removal joined hides the rest too
        text = text[: text.index("<!--")]
    return text.strip(), noqa, key


def clean_inline(text: str) -> str:
    """Drop emphasis markers, code backticks and link targets; keep the words."""
    if "`" in text:
        text = _CODE_SPAN.sub(lambda m: m.group("code").strip() or m.group(0), text)
    if "*" in text or "__" in text:
        text = _EMPHASIS.sub(r"\2", text)
    if "]" in text:
        if "](" in text:
            text = _LINK.sub(lambda m: m.group("text"), text)
        if "][" in text:
            text = _REF_LINK.sub(lambda m: m.group("text"), text)
    if "<http" in text:
        text = _AUTOLINK.sub(lambda m: m.group("url"), text)
    return text.strip()


def unescape(text: str) -> str:
    """Backslash escapes from exports (Google Docs writes "\\- Owner:", "\\[x\\]")."""
    return _ESCAPED.sub(r"\1", text) if "\\" in text else text


def _unbold_keys(text: str) -> str:
    """'**Owner:** @a' or '**Due**: 2024-07-01' → 'Owner: @a': bold labels are still keys."""
    if "**" not in text and "__" not in text:
        return text
    return _BOLD_KEY.sub(lambda m: f"{m.group(2)}{m.group(3) or m.group(4)} ", text)


def _lead_status(text: str) -> tuple[str, bool]:
    """(the text without a leading status emoji or list label, whether it says done)."""
    done = False
    if text[:1] in _MARK_INITIALS:
        for marks, says_done in ((_DONE_MARKS, True), (_OPEN_MARKS, False)):
            mark = next((m for m in marks if text.startswith(m)), None)
            if mark is not None and len(text) > len(mark) + 1:
                text, done = text[len(mark):].lstrip(), says_done
                break
    if text[:1] in _LABEL_INITIALS and (":" in text[:16] or "：" in text[:16]):
        label = _LEAD_LABEL.match(text)
        if label is not None and label.end() < len(text):
            text = text[label.end():]
    return text, done


def status_lead(text: str) -> tuple[str, str | None]:
    """(the text after a leading task status, the status: "done", "in progress" or "open"),
    or (text, None) when the line does not open with one."""
    if text[:1] not in _STATUS_INITIALS:
        return text, None
    match = _STATUS_LEAD.match(text)
    if match is None:
        return text, None
    written = match.group("bold") or match.group("caps") or match.group("bracket") or match.group("colon")
    word = normalise(written).replace(
        "-", "").replace(" ", "")
    rest = _STATUS_LEAD_TAIL.match(text, match.end())
    end = rest.end() if rest is not None else match.end()
    if end >= len(text):
        return text, None
    status = ("done" if word in _DONE_STATES or word.startswith(("完了", "対応済", "実施済", "済")) else
              "open" if word in _OPEN_STATES else "in progress")
    return text[end:], status


def _lead_tags(text: str) -> tuple[str, list[str]]:
    """"#detect #post-release Log …": phase and category tags opening the item."""
    match = _LEAD_TAGS.match(text)
    if match is None or match.end() == len(text):
        return text, []
    names = [tag[1:] for tag in match.group(0).split()]
    if not all(parse_phase(n) or parse_category(n) for n in names):
        return text, []  # "#db-alerts posts …" or "#123 …" is not a tag run
    return text[match.end():], names


def _lead_priority(text: str) -> tuple[str, str | None]:
    """"**[P1]** Alert …", "P2: Add …", "**HIGH** Include …", "【高】…": a priority opening the
    item, not the title's first word."""
    if text[:1] not in _LEAD_PRIORITY_CHARS:
        return text, None
    match = _LEAD_PRIORITY.match(text)
    if match is None or match.end() == len(text):
        return text, None
    written = next(g for g in match.groups() if g)
    return text[match.end():], parse_priority(written) or written


def _lead_id(text: str) -> tuple[str, str | None]:
    if not text.startswith(("**", "__")):
        return text, None
    match = _LEAD_ID.match(text)
    if match is None or match.end() == len(text):
        return text, None
    return text[match.end():], match.group("id")


def _trailing_note(title: str) -> tuple[str, str | None, str | None, str | None]:
    """(the words, a status, a due date, an owning team) from a bracketed note closing the title."""
    if title[-1:] not in ")）]】.。":
        return title, None, None, None
    match = _TRAILING_NOTE.search(title)
    if match is None or match.start() == 0:
        return title, None, None, None
    note = match.group("note").strip()
    words = title[: match.start()].rstrip()
    due = _DUE_NOTE.match(note)
    if due is not None and DATE_IN_TEXT.search(due.group("date") or due.group("date2") or ""):
        return words, None, (due.group("date") or due.group("date2")).strip(), None
    if _says_done(note):
        return words, "done", None, None
    if is_status_word(note):
        return words, note, None, None
    if _TEAM.search(note) or _ACRONYM.match(note):
        return words, None, None, note  # "Add the alert (SRE)": the owning team
    dated = _DATED_STATUS.fullmatch(note)
    status = (dated.group("status") or dated.group("s2") or "").strip() if dated is not None else ""
    if status and (_says_done(status) or is_status_word(status)):
        # "(5/22 変更済み)", "(done 2024-03-02)": a status with the day it happened
        return words, "done" if _says_done(status) else status, None, None
    if _DATE_ONLY.fullmatch(note):
        return words, None, note, None  # "Ship the fix (2025-02-14)": a date after the words is when it is due
    return title, None, None, None


def _says_done(note: str) -> bool:
    """"完了", "Done ✅", "変更済み", "対応済": a note that the action was done."""
    return is_done_status(note) or note.rstrip("。.").endswith(("済み", "済", "完了", "完了済み"))


_DAY = r"(?:\d{4}[-/.年]\s*)?\d{1,2}[-/.月]\s*\d{1,2}日?"
_DATED_STATUS = lazy_regex(r"(?:" + _DAY + r")\s*(?P<status>[^\d\s].{0,14})|(?P<s2>[^\d\s].{0,14}?)\s*" + _DAY)
_DATE_ONLY = lazy_regex(_DAY + r"|" + DATE_IN_TEXT.pattern, re.I)


def lead_only(text: str) -> bool:
    """Whether a line is only the ticket or state that opens an item ("[GH-7](…):")."""
    stripped = text.strip()
    if not stripped.startswith("[") and not stripped[:1].isupper():
        return False
    match = _LEAD_TICKET.match(stripped)
    return match is not None and match.end() == len(stripped) and (
        match.group("state_only") is None or is_done_status(match.group("state_only")))


def _lead_ticket(text: str) -> tuple[str, str | None, bool]:
    """An issue key opening the item ("[PAY-2210](…) Set …", "OPS-12: Add …",
    "[GH-101 (Done)](…): create …"): the ticket, not the first words of the title, and
    whether the link's words say the item is done."""
    if not (text.startswith("[") or (text[:1].isupper() and "-" in text[:32])):
        return text, None, False
    match = _LEAD_TICKET.match(text)
    if match is None or match.end() == len(text):
        return text, None, False
    state = match.group("state") or match.group("state_only")
    if match.group("state_only") is not None and not is_done_status(state):
        return text, None, False  # "[Runbook](…): …" is a link's words, no state
    return text[match.end():], match.group("linked") or match.group("bare"), bool(state) and is_done_status(state)


def _bold_label(text: str) -> tuple[str, str | None, Defaults | None]:
    """"**Add rate limits**: planned for Q3 …" → ("Add rate limits", the description).

    A label that names a phase or category ("**Detection**: add …") tags the words after
    it instead; a label that is a field name ("**Owner:**") is left to the field reader.
    """
    if not text.startswith(("**", "__")):
        return text, None, None
    match = _BOLD_LABEL.match(text)
    if match is None or match.end() >= len(text):
        return text, None, None
    label = match.group("label").strip()
    rest = text[match.end():].strip()
    if COLUMN_FIELDS.get(normalise(label)) not in (None, "title"):
        return text, None, None
    phase, category = parse_phase(label), parse_category(label)
    if phase or category:
        return rest, None, Defaults(phase, category)
    if _AREA_LABEL.fullmatch(label) and len(rest.split()) >= 3:
        return rest, None, None  # "**API**: stop attaching tokens to …": one word names an area, the rest the action
    return label, rest, None


# A label of one word ("API", "Frontend", "Docs"): the part of the system, not the action's name.
_AREA_LABEL = lazy_regex(r"[A-Za-z][A-Za-z0-9.+-]{1,24}")


_ENDS_IN_REFERENCE = lazy_regex(r"(?:-\d{1,9}|#\d{1,9}|https?://\S{1,2048})[)）]?\s*[.。]?$")


def _without_reference_words(title: str) -> str:
    """"Add retries (see" once the field reader took the key: the words that pointed at it go,
    with the punctuation before them. Found from the words back, not by a pattern opening on
    a run of punctuation, which every position of a long run would start again."""
    match = _REFERENCE_WORDS.search(title)
    if match is None:
        return title
    return title[:_back_over(title, match.start(), _BEFORE_REFERENCE_WORDS)] + title[match.end():]


def _back_over(title: str, end: int, punctuation: frozenset[str]) -> int:
    """Where the words before ``end`` stop: walked back over spaces and ``punctuation``."""
    while end and (title[end - 1].isspace() or title[end - 1] in punctuation):
        end -= 1
    return end


def _trailing_reference(title: str) -> tuple[str, str | None]:
    """"Add retries to the uploader (see #123)" → the words, and the reference."""
    if title[-1:] not in "0123456789)）.。/" or not _ENDS_IN_REFERENCE.search(title[-2100:]):
        return title, None
    match = _TRAILING_REFERENCE.search(title)
    if match is None:
        return title, None
    end = _back_over(title, match.start(), _BEFORE_REFERENCE)
    if end == 0:
        return title, None
    return title[:end], match.group("ref").split(",")[0].split(" and ")[0].strip()


MAX_TEXT = 10_000  # characters of one line read for an action: a longer line is cut (and reported)


def raw_from_text(text: str, line: int, done: bool, defaults: Defaults) -> RawAction | None:
    """The action an item's first line (or a cell, or a sentence) writes; None when it is
    no action (struck through, or nothing but markup). Reading one line costs at most a
    constant: a line longer than MAX_TEXT is read up to there."""
    cut = len(text) > MAX_TEXT
    if cut:
        text = text[:MAX_TEXT]
    body, noqa, key = comments(text)
    if "\\" in body:
        body = unescape(body)
    if "`@" in body:
        body = _CODE_HANDLE.sub(r"\1", body)  # "`@dma`": a handle written as code is still a handle
    label_defaults = None
    description: str | None = None
    task_status = None
    if body[:1] in _STATUS_INITIALS:
        body, task_status = status_lead(body)
    if body[:2] in ("**", "__"):
        body, description, label_defaults = _bold_label(body)
    body, lead_priority = _lead_priority(body)
    lead_id = None
    if body[:2] in ("**", "__"):
        body, lead_id = _lead_id(body)
        if lead_priority is None and lead_id is not None:
            body, lead_priority = _lead_priority(body)
    body, lead_ticket, lead_status = _lead_ticket(_unbold_keys(body))
    if body[:1] in _MARK_INITIALS or body[:1] in _LABEL_INITIALS:
        body, marked = _lead_status(body)
        lead_status = lead_status or marked
    if body[:1] in _HORIZON_INITIALS:
        horizon = _LEAD_HORIZON.match(body)
        if horizon is not None and horizon.end() < len(body):
            body = body[horizon.end():]  # "(Longer-term) Mirror the artifacts": when, not what
    lead_tags: list[str] = []
    if body[:1] == "#":
        body, lead_tags = _lead_tags(body)
    if description is not None:
        words, fields = body, Fields()
        rest_words, fields = split_fields(description)
        description = clean_inline(rest_words) or None
    else:
        words, fields = split_fields(body)
    if lead_tags:
        fields.tags = lead_tags + fields.tags
    if words.startswith("~~") and _STRUCK.match(words):
        return None  # struck through: the team dropped it, it is no longer an action
    title = clean_inline(words)
    if fields.tickets or "ticket" in fields.values:
        title = _without_reference_words(title)
    title, reference = _trailing_reference(title)
    title, note_status, note_due, note_team = _trailing_note(title)
    if not title:
        return None
    if ". " in title or "? " in title:  # most titles are one sentence
        title, more = _first_sentence(title)
        if more:
            description = more if description is None else f"{more}\n{description}"
    if label_defaults is not None:
        defaults = defaults.merged(label_defaults.phase, label_defaults.category)
    raw = RawAction(
        title=title, line=line, end_line=line, text=title if description is None else f"{title}\n{description}",
        done=done or defaults.done, noqa=noqa, key=key or lead_id)
    raw.default_phase, raw.default_category = defaults.phase, defaults.category
    fill(raw, fields)
    raw.status = raw.status or note_status
    if note_team is not None and raw.owner is None:
        raw.owner = raw.team = note_team
    if raw.due is None and note_due is not None:
        raw.due, raw.due_line = note_due, line
    raw.ticket = raw.ticket or lead_ticket or reference
    raw.priority = raw.priority or lead_priority
    raw.done = raw.done or lead_status or task_status == "done"
    if task_status == "in progress":
        raw.status = raw.status or task_status
    raw.cut = cut
    return raw


_CJK_TEXT = lazy_regex(r"[\u3040-\u30ff\u3400-\u9fff]")


def _first_sentence(title: str) -> tuple[str, str]:
    """"Add a lag alert. It pages the on-call (we lacked one)": an English title is the
    first sentence, the ones after it describe it. (A Japanese item's sentences are read as
    its title together: 「…を追加。既存の…も修正」.) Most titles are one sentence: looked for first."""
    if ". " not in title and "? " not in title:
        return title, ""
    if not title.isascii() and _CJK_TEXT.search(title) is not None:
        return title, ""
    said = sentences(title)
    if len(said) < 2 or said[1].start < 8:
        return title, ""
    head = title[: said[1].start]
    if head.count('"') % 2 or head.count("(") != head.count(")"):
        return title, ""  # the stop is inside a quotation or a bracket: 'Stop writing "Failed. Saving …"'
    return title[: said[1].start].rstrip(), title[said[1].start :].strip()


def absorb_detail(raw: RawAction, detail: str, wrapped: bool, *, wide: bool = False) -> bool:
    """A continuation line or sub-bullet: fields fill what is missing, prose joins the text.

    With ``wrapped``, a line that carries on a sentence the title left open ("… reported
    by the" / "proxy is above 2 seconds …") is the rest of the title, as a hard-wrapped
    item reads. ``wide``: the line before, as written, ran to the width text is wrapped at
    (a link's address can take most of it), so a short title there was cut by the wrap.
    Returns whether the next line may still carry on the title.
    """
    body, noqa, key = comments(detail[:MAX_TEXT])
    body = _unbold_keys(unescape(body))
    fields = parse_run(body)
    joined = False
    if fields is None:
        words, fields = split_fields(body)
        if words:
            words = clean_inline(words)
            if wrapped and (_continues_title(raw.title, words) or (
                    wide and raw.title[-1:] not in _SENTENCE_END and (words[:1].islower() or (_MID_SENTENCE.search(
                        raw.title[-40:]) is not None and _LABEL_OPENS.match(words) is None)))):
                space = "" if _cjk(raw.title[-1]) and _cjk(words[0]) else " "  # Japanese wraps without one
                raw.title = f"{raw.title}{space}{words}".rstrip(" —–-·")
                raw.text = raw.title if raw.text == raw.title[: len(raw.text)] else f"{raw.text}{space}{words}"
                joined = not fields.values and not fields.handles
                title, more = _first_sentence(raw.title)
                if more:  # "… the changeset. Defining a process …": the title's sentence ended on this line
                    raw.title, joined = title, False
            else:
                raw.text = f"{raw.text}\n{words}"
    fill(raw, fields)
    if noqa is not None:
        raw.noqa = noqa if raw.noqa is None else raw.noqa | noqa
    raw.key = raw.key or key
    return joined


# A wide line that stops on a lower-case word or a comma stopped mid-sentence: "… for the drive): neither".
_MID_SENTENCE = lazy_regex(r"(?:[a-z]{2,}|,)$")
_LABEL_OPENS = lazy_regex(r"[A-Z][\w -]{0,24}[:：]")  # "Context: …", "Note: …": a line of its own


def _cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def _continues_title(title: str, words: str) -> bool:
    """Whether a wrapped line carries on the title's sentence: it starts in lower case (or
    the title is Japanese without a sentence end) and the title has not ended."""
    if not title or title[-1] in _SENTENCE_END:
        return False
    if words[:1].islower() and len(title) >= 40:
        return True
    return not title.isascii() and not words.isascii() and len(title) >= 20


_FIELD_ATTRS = ("owner", "phase", "category", "priority", "status", "ticket", "team", "kind")


def fill(raw: RawAction, fields: Fields) -> None:
    """Copy fields into the action where it has none yet (the first value written wins)."""
    apply_tags(fields)
    for name, written in fields.values.items():
        value = field_value(written)
        if value is None:
            continue
        if name == "due":
            if raw.due is None:
                raw.due, raw.due_line = value, raw.line
        elif name == "id":
            raw.key = raw.key or value
        elif name == "owner" and raw.owner is None:
            _owner(raw, value)
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
    if fields.unknown:
        raw.unknown += fields.unknown


# A team, not a person: "(SRE)", "Platform team", "インフラチーム", "情報システム部".
_TEAM = lazy_regex(r"^(?:[A-Za-z][A-Za-z0-9&/ -]{0,30} )?(?:team|squad|group|guild|ops|sre|oncall|on-call)$|"
                   r"(?:チーム|部|課|グループ|室|班)$", re.I)
_ACRONYM = lazy_regex(r"^[A-Z]{2,6}$")  # "SRE", "QA", "DBA": a team; "Kato" is a person


def _owner(raw: RawAction, value: str) -> None:
    """An owner as written, which is also the owning team when it names one ("SRE team",
    "(SRE)", "インフラチーム"); prose in an owner field is no owner at all."""
    kind = _owner_kind(value)
    if kind is None:
        return  # "The on-call engineer will look into it next week": not a name
    if kind:
        raw.team = raw.team or kind
    raw.owner = value


@functools.lru_cache(maxsize=2048)  # owners repeat across a team's postmortems: decide each once
def _owner_kind(value: str) -> str | None:
    """None: prose, no owner; "": a person; otherwise the team's name."""
    words = value.split()
    if len(words) > 5 or value.endswith((".", "。")) or any(len(w) > 40 for w in words):
        return None
    bare = value.strip("()（）")
    return bare if _TEAM.search(bare) or _ACRONYM.match(bare) else ""


def field_value(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = clean_inline(value)
    if "\u3000" in cleaned:
        cleaned = cleaned.replace("\u3000", " ").strip()  # "システム課　渡辺"
    return None if is_placeholder(cleaned) else cleaned


_TEAM_SUBJECT = lazy_regex(r"(?:[\w -]{1,30},\s*)?(?:we|our team|the team)(?:['’]re|['’]ll| are| will| plan| intend)\b",
                           re.I)
_TEAM_ADVISES = lazy_regex(r"(?:[\w -]{1,30},\s*)?we(?:'d| would)?\s+(?:strongly\s+)?(?:recommend|suggest|advise|"
                           r"encourage|ask|urge)\b", re.I)
_READER_ADVICE = lazy_regex(r"\b(?:[Yy]ou|YOU)(?:r|rs|rself)?\b|お客様|ご自身|皆様|皆さま|利用者の方")


def addresses_reader(title: str) -> bool:
    """Advice to the people reading a public report ("Add 2FA to your account now",
    「パスワードを変更してください」) is not the team's action."""
    if title.isascii():
        if not (("ou" in title or "OU" in title) and _READER_ADVICE.search(title) is not None):
            return False
        # "Longer term, we're planning to mirror your dependencies": the team's own work, for its users
        return _TEAM_SUBJECT.match(title) is None or _TEAM_ADVISES.match(title) is not None
    if title.endswith(("ください", "下さい", "ください。")):
        return True
    # 「お客様への…向上に取り組んでまいります」: the team's humble commitment toward its readers, no advice
    return _READER_ADVICE.search(title) is not None and not title.rstrip("。").endswith(_HUMBLE_COMMITMENT)


_HUMBLE_COMMITMENT = ("まいります", "参ります", "努めます")


def checkbox(text: str) -> tuple[str, bool | None, int]:
    """(the text after a task-list box, whether it is ticked (None: no box), the box's width)."""
    match = _CHECKBOX.match(text)
    if match is None:
        return text, None, 0
    return text[match.end():], match.group("mark") != " ", match.end()


# --- tables --------------------------------------------------------------------------------

_NOT_A_TITLE = frozenset(("", "#", "no", "no.", "番号", "項番", "順位"))
_TIME_COLUMNS = frozenset(normalise(word) for word in (
    "time", "timestamp", "time (utc)", "date", "when", "時刻", "日時", "時間", "日付"))


def columns_of(header: list[str]) -> dict[int, str]:
    """Map column index → field, from the header's words ("担当者" → owner). A table with a
    time column before any action column ("| Time | Event |") is a timeline: no title."""
    mapping: dict[int, str] = {}
    for index, name in enumerate(header):
        fieldname = COLUMN_FIELDS.get(normalise(clean_inline(name)))
        if fieldname and fieldname not in mapping.values():
            mapping[index] = fieldname
    if "title" not in mapping.values():
        for index, name in enumerate(header):
            key = normalise(clean_inline(name))
            if key in _TIME_COLUMNS:
                return {}
            if index not in mapping and key not in _NOT_A_TITLE:
                mapping[index] = "title"
                break
    return mapping


def raw_from_row(cells: list[str], columns: dict[int, str], line: int, defaults: Defaults) -> RawAction | None:
    values = {name: cells[i] for i, name in columns.items() if i < len(cells)}
    title_cell = values.pop("title", "")
    raw = raw_from_text(title_cell.replace("<br>", " ").replace("<br/>", " "), line, False, defaults)
    if raw is None:
        return None
    fields = Fields(values={k: v for k, v in values.items() if v and not v.isspace()})  # fill drops "TBD"
    _row_ticket(fields)
    fill(raw, fields)
    return raw


def _row_ticket(fields: Fields) -> None:
    ticket = fields.values.get("ticket")
    if ticket is not None and field_value(ticket) is None:
        fields.values.pop("ticket")
        ticket = None
    if ticket is not None and "status" not in fields.values:
        # The Google SRE template's Bug column: "Bug 5554823 **DONE**", "n/a **TODO**".
        status = _TRAILING_STATUS.search(ticket)
        if status:
            fields.values["status"] = status.group("status").strip()
            ticket = ticket[: status.start()].strip()
            fields.values["ticket"] = ticket
            if field_value(ticket) is None:
                fields.values.pop("ticket")
                ticket = None
    if ticket is not None:
        link = _LINK.search(ticket)
        fields.values["ticket"] = link.group("url") if link else clean_inline(ticket)
        if not ISSUE_KEY.match(fields.values["ticket"].strip()):
            fields.values.pop("ticket")
