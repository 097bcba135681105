"""Read a Markdown postmortem: front matter, then the actions of its action sections.

One structural pass (blocks.py: CommonMark and GitHub tables) says where headings, lists,
tables, code and prose are; sections.py says which headings open actions, close them or
tag them; plain.py reads the ■/【】/（１） structure of plain-text notices inside
paragraphs; items.py and prose.py turn each list item, table row, plain item and sentence
of commitment into an action, with its place in the text (an Anchor) for write-back.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from actiontrack import catalog
from actiontrack.dates import DATE_IN_TEXT
from actiontrack.lazyre import lazy_regex
from actiontrack.model import Anchor, Finding
from actiontrack.reader.blocks import (
    MAX_DEPTH,
    Block,
    Kind,
    Line,
    cell_bounds,
    line_bounds,
    parse_blocks,
    parse_paragraphs,
    split_cells,
)
from actiontrack.reader.build import RawAction
from actiontrack.reader.fields import parse_run, split_fields
from actiontrack.reader.frontmatter import NotSimple, parse_simple
from actiontrack.reader.items import (
    Defaults,
    absorb_detail,
    addresses_reader,
    checkbox,
    clean_inline,
    columns_of,
    comments,
    lead_only,
    raw_from_row,
    raw_from_text,
    status_lead,
)
from actiontrack.reader.plain import (
    BRACKET_LEVEL,
    PlainHeading,
    PlainItem,
    PlainLine,
    has_structure,
    labels_section,
    split_lines,
)
from actiontrack.reader.prose import (
    Sentence,
    commitments,
    imperative,
    ja_sentence,
    refers_back,
    rejected,
    sentences,
    tracks,
    under_way,
)
from actiontrack.reader.sections import (
    NEUTRAL,
    Role,
    action_label,
    defaults_from_label,
    heading_role,
    is_action_heading,
    is_follow_up,
    is_section_name,
    is_timeline_step,
    kpt_part,
    names_rejected,
)

__all__ = ["MarkdownDoc", "is_action_heading", "parse_markdown", "parse_meta_date", "read_body"]

_BODY_META = lazy_regex(
    r"\s*(?:[-*]\s*|(?P<row>\|)\s*)?(?:\*\*)?(?P<key>date|incident date|severity|sev|id|url|link|"
    r"title|tracker|project|日付|発生日|発生日時|重大度|深刻度|影響度|件名)(?:\*\*)?\s*"
    r"(?(row)\||[:：])",
    re.I,
)
_DATE_IN_NAME = lazy_regex(r"(\d{4}-\d{2}-\d{2})")
_POSTMORTEM_HINTS = lazy_regex(
    r"postmortem|post-mortem|incident|outage|root cause|impact|timeline|retrospective|"
    r"ポストモーテム|障害|インシデント|振り返り|原因|影響|タイムライン",
    re.I,
)
_TIMELINE_ITEM = lazy_regex(
    r"(?:\*\*|__)?(?:\d{4}[-/]\d{1,2}[-/]\d{1,2}[ T,]*)?\d{1,2}[:：]\d{2}\b")
_LABEL_END = (":", "：")
# A sentence of a response section that looks ahead: prose there narrates, so only an explicit
# "in the future" / "going forward" / 「今後」 makes a follow-up of it.
_FUTURE = lazy_regex(
    r"\b(?:in the future|going forwards?|from now on|next time|moving forwards?)\b|今後|次回以降|再発防止", re.I)
# The team's own commitment, framed as one in its first words: "In the future, we should …",
# 「今後は…」 (the sentence itself is then read as a commitment: "we should", 「…します」).
_FRAME_HINTS = lazy_regex(r"\b(?:in the future|going forwards?|moving forwards?|from now on|next time)\b|今後は|"
                          r"対策として|再発防止(?:策)?として|再発防止のため", re.I)
_FRAMED = lazy_regex(r"(?:in the future|going forwards?|moving forwards?|from now on|next time),? (?:we|i)\b|今後は|"
                     r"(?:対策|再発防止策?)として|再発防止のため", re.I)
# 「対策として、…を実装し、…ようにした」: a Japanese sentence that names itself the measure taken
_JA_FRAMED = lazy_regex(r"(?:対策|再発防止策?)として|再発防止のため")
# A sentence that goes on from the one before it: "Additionally, we will …", "We will also …", 「また、…」.
_GOES_ON = lazy_regex(r"(?:additionally|also|further(?:more)?|in addition|moreover|besides|finally|lastly)\b|"
                      r"(?:we|i)(?: will|['’]ll| are|['’]re)? also\b|また|さらに|加えて|あわせて|併せて",
                      re.I)
_READERS = lazy_regex(r"\b(?:you|your|users?|customers?|clients?|readers?|everyone)\b|お客様|利用者|ユーザー", re.I)
_NOTHING = frozenset(("none", "n/a", "na", "nothing", "no", "tbd", "-", "なし", "特になし", "無し"))
_WE = lazy_regex(r"\bwe\b", re.I)
_WE_OR_I = lazy_regex(r"\b(?:we|i)\b", re.I)  # a post written by one person commits as "I"
_WE_SUBJECT = lazy_regex(r"(?:we|we['’](?:ll|re|ve)|the team|our team)\s", re.I)  # a sentence, never a label
_PAST = lazy_regex(
    r"^(?:we|i)\s+(?:have\s+|had\s+)?(?:[a-z]+ed|put|made|built|wrote|set)\b|(?:しました|いたしました)$", re.I)
# A sentence that presents the list after it as the steps of a procedure ("we'll follow the
# steps", "the process detailed below", 「以下の手順で行う」): the items are its steps.
_PROCEDURE = lazy_regex(
    r"\b(?:follow(?:ing)? (?:the|these|this|those) (?:steps|process|procedure)|"
    r"(?:process|procedure|steps) (?:(?:is |are )?(?:detailed|described|outlined|listed|shown) )?below)\b|"
    r"以下の手順|次の手順|手順は以下", re.I)
# What names a list or table as the follow-ups, wherever it stands: "action items", "follow-up
# tasks", "next steps", 「再発防止策」 (not a bare "actions": "We took these actions:" is the response).
_FOLLOW_UP_NAMES = lazy_regex(
    r"(?:(?:follow[- ]?up |corrective |preventive |preventative |open |remaining )?action items?|"
    r"follow[- ]?up (?:items?|tasks?|actions?|work)|follow[- ]?ups|next steps|remediation (?:items|tasks)|"
    r"to-?dos?|再発防止策|今後の対策|今後の対応|残課題|アクションアイテム)\b", re.I)
# HTML inside Markdown: a one-line heading element, and a line that only opens or closes a
# block element (the paragraph text between them is prose). Anchored at the line's "<", bounded.
_HTML_HEADING = lazy_regex(r"<h(?P<level>[1-6])(?:\s[^<>]{0,200})?>(?P<text>[^\n]{0,300}?)</h(?P=level)>[ \t]*$",
                           re.I)
_HTML_OPEN = lazy_regex(r"</?(?:p|div|section|article|ul|ol|br|hr|blockquote)(?:\s[^<>]{0,200})?/?>[ \t]*", re.I)
_HTML_TAG = lazy_regex(r"<[^<>\n]{0,200}>")
# A sentence over a list that names it the legend of a classification ("Actions fall under three
# types. Types:", "Items should have assigned priority:"): definitions, not actions.
_LEGEND = lazy_regex(r"(?<!\bby )(?<!\bper )(?<!\border of )"
                     r"\b(?:types?|priorit(?:y|ies)|levels?|categor(?:y|ies)|severit(?:y|ies)|legend|definitions?)"
                     r"[:：]\s*$|(?:種別|優先度|分類|凡例|定義)(?:は以下の通り)?[:：]\s*$", re.I)
_REASONS = lazy_regex(r"\b(?:were|was|are|is) (?:all |mostly |largely )?(?:due to|caused by|because of)\b"
                      r"[^:.]{0,100}[:：]$|"
                      r"\b(?:because(?: of)?|since|as follows? for|for (?:these|the following) reasons|"
                      r"the reasons? (?:is|are|being|were|was))\s*[:：]$|(?:理由は(?:以下|次)[^。]{0,8}|なぜなら|"
                      r"以下の理由(?:から|で|により)[^。]{0,8})[:：]$", re.I)
_CHOICE = lazy_regex(r"\b(?:which (?:of|one)|whether (?:to|we)|(?:choose|decide|pick) (?:between|among|from))\b|"
                     r"どれを|いずれを|どちらを|どの(?:案|方法|方式)", re.I)
_CHECKLIST = lazy_regex(
    r"\b(?:check ?lists?|procedures?|steps|runbooks?|playbooks?|how to)\b|手順|チェックリスト", re.I)
# A title line: a few words, no full stop, colon or comma at its end (English up to eight words).
_TITLE_LINE = lazy_regex(r"(?:[A-Za-z][\w/'’()+-]*(?: [\w/'’()+.-]+){0,7}|[^\x00-\x7f。．、，：:!！?？]{2,30})"
                         r"(?<![.。．、，,：:;!！?？])")
_FULL_STOPS = (".", "。", "．", "!", "！")
_CONFIRMATION = lazy_regex(r"(?:I|I'm|I’m|I've|I’ve|My|This (?:is|was))\b|私は|確認しました")
_COURTESY = lazy_regex(r"\b(?:thanks?|thank you|apologi[sz]e|sorry)\b|ありがとう|お詫び|感謝", re.I)
_WERE = lazy_regex(r"\b(?:were|was|had)\b", re.I)
_TRAILING_NOTE = lazy_regex(r"\s*[(（][^()（）]{1,60}[)）]$")
_POINTER = lazy_regex(r"(?:see|refer to|tracked in|details in|link|tbd|to be (?:determined|decided|discussed|assigned|"
                      r"confirmed|added)|coming soon|pending|work in progress|wip)\b|.{0,60}\bwill be (?:added|listed|"
                      r"posted|filled in|tracked|shared)\b|未定|検討中|調整中|追って|後日", re.I)
# A paragraph over a list that says the list is for after the incident.
_AHEAD = lazy_regex(
    r"\b(?:in the future|going forwards?|from now on|moving forwards?|future (?:plans?|work|steps|changes)|"
    r"next steps|long[- ]term|to (?:avoid|prevent) (?:this|it|a repeat|recurrence|similar)|"
    r"(?:happening|happen) again)\b|今後|再発防止|再発を防", re.I)
# The byline of a post in a thread written out as text: "kim · comment · 2024-03-02",
# "**Comment by kim on 7 Sep 2016 13:21 UTC**". Anchored at the line's start, bounded.
_BYLINE = lazy_regex(r"(?:[\w.@-]{1,40} · (?:comment|description|review|reply|answer)(?: · [^\n]{0,40})?|"
                     r"(?:\*\*)?Comment by [^*\n]{1,60} on [^*\n\d]{0,30}\d{1,4}[^*\n]{0,30}(?:\*\*)?)\s*")
_BYLINE_INITIALS = frozenset("*C") | frozenset("abcdefghijklmnopqrstuvwxyzABDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@-")
# A status page's update posted while the incident ran, its state in front ("*Investigating* -
# We are investigating …", "**Update** - …", 「【調査中】…」): the response as it went, whose "we are
# investigating" and "this post will be updated" commit to nothing after it. ("Resolved" and
# "Postmortem" updates may name follow-ups: they are read.)
_LIVE_UPDATE = lazy_regex(
    r"(?:(?P<em>\*\*|__|\*|_)(?:investigating|identified|monitoring|update|updated|verifying|in progress)(?P=em)"
    r"|(?:investigating|identified|update|verifying)) ?[-–—] "
    r"|(?:【|\[|\*\*)?(?:調査中|対応中|監視中|原因調査中|続報|更新)(?:】|\]|\*\*)?\s*(?:[-–—:：]|(?<=】)|(?<=\]))",
    re.I)
_LIVE_INITIALS = frozenset("*_【[IiMmUuVv調対監原続更")
_WRAP_WIDTH = 64  # a first line this long, as written, may have been cut by a hard wrap
_CLOSING_PARAGRAPHS = 12  # how far back from the end a document without action section is read
_OPENING_PARAGRAPHS = 6  # how far from the start it is read for what prevents a recurrence
_UNDER = "under"  # a section whose sub-sections, not the section itself, hold items
_PROSE_LIMIT = 20_000  # characters of one paragraph read for commitments
_HEAD_LIMIT = 2_000  # characters of a paragraph read for its first sentence


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
    prose_fallback_line: int | None = None  # actions read from closing prose: where


def parse_markdown(path: Path, text: str, *, plain: bool = False) -> MarkdownDoc:
    """Read a postmortem's text; `plain` reads it as plain text (no Markdown blocks: every
    run of non-blank lines is a paragraph, for the plain-text layer to read)."""
    starts, ends = line_bounds(text)
    doc = MarkdownDoc()
    body_start = _front_matter(path, text, starts, ends, doc) if not plain else 0
    read_body(path, text, starts, ends, body_start, doc, plain=plain)
    # The file name's date, else one in the title ("# 2024-04-17: Registry 500s",
    # "# 【障害報告】ログイン不可（2025/06/18）").
    name_date = _DATE_IN_NAME.search(path.name)
    title_date = DATE_IN_TEXT.search(doc.h1) if doc.h1 and name_date is None else None
    doc.date_in_name = name_date.group(1) if name_date else (title_date.group(0) if title_date else None)
    return doc


# --- front matter ------------------------------------------------------------------------


def _front_matter(path: Path, text: str, starts: list[int], ends: list[int], doc: MarkdownDoc) -> int:
    """Parse YAML ('---') or TOML ('+++') front matter; returns the index of the first body line."""
    if not starts:
        return 0
    first = text[starts[0] : ends[0]].strip()
    if first not in ("---", "+++"):
        return 0
    closers = ("---", "...") if first == "---" else ("+++",)
    end = next((i for i in range(1, len(starts)) if text[starts[i] : ends[i]].strip() in closers), None)
    if end is None:
        if first == "---" and len(starts) > 1 and text[starts[1] : ends[1]].strip() == "":
            return 0  # a thematic break at the top, not front matter
        doc.findings.append(catalog.INVALID_FRONT_MATTER.finding(
            path, 1, f"front matter opened with '{first}' is never closed"))
        return 0
    doc.has_front_matter = True
    lines = [text[starts[i] : ends[i]] for i in range(1, end)]
    block = "\n".join(lines)
    meta = _load_yaml(path, block, doc) if first == "---" else _load_toml(path, block, doc)
    if meta is not None:
        doc.meta = meta
        for offset, line in enumerate(lines, start=2):
            key = re.split(r"[:=]", line, maxsplit=1)[0].strip().strip("\"'").lower()
            if key and not line.startswith((" ", "\t", "-", "[")):
                doc.meta_lines.setdefault(key, offset)
    return end + 1


def _load_toml(path: Path, block: str, doc: MarkdownDoc) -> dict[str, object] | None:
    import tomllib  # only TOML front matter (Hugo, Zola) pays for it

    try:
        data = tomllib.loads(block)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        doc.findings.append(catalog.INVALID_FRONT_MATTER.finding(
            path, 2, f"front matter is not valid TOML: {exc}"))
        return None
    return {str(key).lower(): value for key, value in data.items()}


@functools.cache
def _yaml_loader() -> type:
    """PyYAML's safe loader, except that a date-shaped value that is no date (2024-13-45) stays
    text: PyYAML raises ValueError there, and the date fields say what is wrong with it (AT004)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    class LenientDatesLoader(base):  # type: ignore[valid-type,misc]
        pass

    LenientDatesLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return LenientDatesLoader


def _load_yaml(path: Path, block: str, doc: MarkdownDoc) -> dict[str, object] | None:
    try:
        return {key.lower(): value for key, value in parse_simple(block).items()}
    except NotSimple:
        pass
    import yaml  # only rich front matter pays for it

    try:
        data = yaml.load(block, Loader=_yaml_loader())
    except RecursionError:
        doc.findings.append(catalog.INVALID_FRONT_MATTER.finding(
            path, 2, "front matter is nested too deeply to read"))
        return None
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


# The team's change made after the incident, said so: "We have since published a fix …".
_SINCE = lazy_regex(r"\b(?:we|i)(?:['’]ve| have) since\b", re.I)
# A sentence that adds work to what the one before it committed to: "We also need to create …",
# "We will also add …", "Additionally, we …".
_ALSO = lazy_regex(r"(?:we|i)(?:['’]ll|['’]ve| will| would| need to| must| should| have)? also\b"
                   r"|(?:additionally|in addition),? (?:we|i)\b", re.I)
# A sentence drawing the consequence of the one before ("We are therefore going to …", "Thus we
# will …"), and a sentence of need before it ("We need to ensure …").
_THEREFORE = lazy_regex(r"(?:(?:therefore|thus|hence|so),? (?:we|i)\b|(?:we|i)(?:['’]re|['’]ll| are| will| am|['’]m)? "
                        r"(?:therefore|thus|hence)\b)", re.I)
_NEED = lazy_regex(r"(?:we|i) (?:really |also )?(?:need|must|should|have) to\b", re.I)
_IMMEDIATE = lazy_regex(r"\W*(?:immediate|initial|short[- ]term mitigation)\b|\W*(?:即時|初動|緊急)", re.I)


class _Context:
    """The headings above the current block, and what they say together."""

    __slots__ = ("stack",)

    def __init__(self) -> None:
        self.stack: list[tuple[int, Role]] = []

    def enter(self, level: int, text: str) -> None:
        if level == BRACKET_LEVEL and self.in_actions() and self.stack and self.stack[-1][0] >= BRACKET_LEVEL:
            role = heading_role(text, inside_actions=True)
            if (role.phase or role.category) and not (role.actions or role.never):
                self.stack.append((self.stack[-1][0] + 1, role))  # "【開発時】" under "【再発防止策】" tags it
                return
        was_in_actions = self.in_actions()
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        role = heading_role(text, inside_actions=self.in_actions())
        if role.actions and self.soft_never() and _IMMEDIATE.match(text):
            role = Role(never=True, soft=True)  # "### Immediate actions" under "## Resolution": the response
        if level > 1 and is_timeline_step(text):
            role = Role(never=True, strict=True)  # "### 21:40 Add an alert": what was done at 21:40
        if was_in_actions and role.done and not (role.actions or role.never) and not self.in_actions():
            # "【再発防止策】 … 【完了済み】", "## Action items … ## Completed": a done section right
            # after the actions, at their level, holds the ones already done
            role = role._replace(actions=True)
        self.stack.append((level, role))

    def enter_role(self, level: int, role: Role) -> None:
        """A label standing for a heading whose role is known ("**Actions taken:**" in a lesson)."""
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, role))

    def in_lessons(self) -> bool:
        """Under a lessons-learned heading (and no action heading below it)."""
        for _, role in reversed(self.stack):
            if role.never or role.actions:
                return role.lesson
        return False

    def narrative(self) -> bool:
        """Under a heading that never holds actions (a timeline, an impact, a lesson)."""
        return any(role.never for _, role in self.stack)

    def responding(self) -> bool:
        """In an action section whose heading joins the response to it ("Resolution and next steps")."""
        for _, role in reversed(self.stack):
            if role.never or role.actions:
                return role.response
        return False

    def strict_never(self) -> bool:
        """Under a heading that never holds actions whatever they say (a timeline, alternatives)."""
        return any(role.strict for _, role in self.stack)

    def soft_never(self) -> bool:
        return bool(self.stack) and self.stack[-1][1].soft

    def in_actions(self) -> bool:
        for _, role in reversed(self.stack):
            if role.never:
                return False
            if role.actions:
                return True
        return False

    def defaults(self) -> Defaults:
        phase = category = None
        done = False
        for _, role in reversed(self.stack):
            phase = phase or role.phase
            category = category or role.category
            done = done or role.done
            if role.actions or role.never:
                break
        return Defaults(phase, category, done)


class _Reader:
    """One document's body: the text, its lines, and what has been read so far."""

    def __init__(self, path: Path, text: str, starts: list[int], ends: list[int], doc: MarkdownDoc) -> None:
        self.path, self.text, self.starts, self.ends, self.doc = path, text, starts, ends, doc
        self.context = _Context()
        # plain-text heading underlines, by first use (plain.py); None in Markdown, where they nest
        self.underline_styles: dict[str, int] | None = {}
        self.closing: list[list[PlainLine]] = []  # prose outside action sections, for the fallback
        # the last plain-text item read in an action section: (its indentation, its action, where
        # it ends), so that a deeper item one blank line after it, in a paragraph of its own as
        # reStructuredText writes nested lists, still nests under it
        self.last_plain: tuple[int, RawAction, int] | None = None
        self.closing_after: int | None = None  # the first of them after an action section
        self.outside_lists: list[Block] = []  # lists outside action sections, for the fallback
        self.narrative_lists: set[int] = set()  # those of them under a timeline, an impact …
        self.lesson_lists: set[int] = set()  # those of them under a lessons-learned heading
        self.apparatus_lists: list[Block] = []  # those under an appendix or supporting information
        self.ahead: dict[int, bool] = {}  # lists whose introducing paragraph looks ahead ("the future plans are:")
        self.heading_action: tuple[int, RawAction] | None = None  # "### 1) Add …" and its level
        # Prose of the current section, read once the section ends: beside a list of actions
        # it is framing ("Owners will update the tickets"), alone it is the actions.
        self.pending: list[tuple[list[PlainLine], Defaults]] = []
        self.section_items: bool | str = False  # True: items beside the prose; _UNDER: in sub-sections
        # The sections enclosing the current one, each with its prose and whether it (or a
        # sub-section) held items: "To prevent recurrence, designs must …" over sub-sections
        # of lists frames them, as it would beside a list of its own.
        self.level = 0
        self.unordered = False  # some action was read after one below it
        self.consumed: set[int] = set()  # sentences read as the action a list details
        self.outer: list[tuple[int, list[tuple[list[PlainLine], Defaults]], bool | str]] = []
        # A list ending in a bare action label ("- **Review actions**:") over the list after
        # it: that list holds the label's actions.
        self.label_list: Defaults | None = None
        self.one_label = False  # "**Action taken:**" over the paragraph that is that one action
        self.lesson_commitments: list[RawAction] = []  # a lesson's "we will …", for a document without actions
        self.headed_actions = False  # a heading (or a label standing for one) opened actions
        self.heading_words = ""  # the last Markdown heading's words
        self.seen_heading = False  # a Markdown heading was read (the first one at level 1 is the title)

    def line_text(self, index: int) -> str:
        return self.text[self.starts[index] : self.ends[index]]

    # --- the walk ---------------------------------------------------------------------------

    def read(self, root: Block) -> None:
        previous: Block | None = None
        for block in _top_level(root):
            kind = block.kind
            label_list, self.label_list = self.label_list, None
            one_label, self.one_label = self.one_label, False
            if one_label and kind is Kind.PARAGRAPH and self.heading_action is None:
                lines = [_plain_line(self.text, ln.number, ln.start, self.ends[ln.number]) for ln in block.lines]
                self.labelled_action(lines, lines[0].start, self.context.defaults())
            elif kind in (Kind.LIST, Kind.TABLE) and label_list is not None and not self.context.in_actions():
                self.doc.has_action_section = True  # "- **Action items**:" over the list or table after it
                if kind is Kind.LIST:
                    self.list_actions(block, label_list)
                else:
                    self.table(block, label_list)
            elif kind is Kind.HEADING:
                self.heading(block)
            elif kind is Kind.PARAGRAPH:
                self.paragraph(block)
            elif kind is Kind.HTML and block.html_type == 6 and block.lines:
                self.html(block)
            elif kind is Kind.LIST:
                if previous is not None and previous.kind is Kind.PARAGRAPH and previous.lines:
                    last = previous.lines[-1]
                    intro = self.text[previous.lines[0].start : self.ends[last.number]]
                    self.ahead[id(block)] = _AHEAD.search(intro[-400:]) is not None
                if self.heading_action is not None:
                    self.heading_action_list(block)
                elif self.context.in_actions():
                    self.doc.has_action_section = True
                    prose_over = previous if previous is not None and previous.kind is Kind.PARAGRAPH else None
                    if prose_over is not None and (self.names_actions(prose_over, role="never")
                                                   or self.gives_reasons(prose_over)):
                        pass  # "Alternatives here included:", "… not a priority because:" over its reasons
                    elif prose_over is None or not self.introduced(prose_over, block):
                        self.list_actions(block, self.context.defaults(),
                                          named=prose_over is not None and self.names_actions(prose_over))
                elif self.context.soft_never():
                    self.follow_up_items(block)
                elif not self.context.narrative() and self.task_list(block):
                    # "- [x] Fix … merged" under "## Solution"; an incident log's notes beside its boxes
                    # ("- Gaia missed blocks", "- [x] We replaced the Pi …") are no tasks
                    self.list_actions(block, self.context.defaults(), boxed=True)
                else:
                    self.labelled_items(block)
            elif kind is Kind.TABLE and not self.context.strict_never() and (kpt := self.kpt_columns(block)):
                self.doc.has_action_section = True  # "| Keep | Problem | Try |": its Try cells are the actions
                self.table(block, self.context.defaults(), kpt)
            elif kind is Kind.TABLE and (self.context.in_actions() or self.follow_up_table(block)):
                self.doc.has_action_section = True
                self.table(block, self.context.defaults())
            previous = block

    def html(self, block: Block) -> None:
        """A post written in HTML inside the Markdown (a blog's .html page, an export):
        its one-line ``<h2>…</h2>`` are headings and the text of its ``<p>`` paragraphs is
        prose, read as Markdown's are. One pass over the block's lines, each matched once."""
        text, ends = self.text, self.ends
        para: list[Line] = []
        for line in block.lines:
            start, end = line.start, ends[line.number]
            while start < end and text[start] in " \t":
                start += 1
            if start >= end:
                continue
            heading = _HTML_HEADING.match(text, start, end) if text[start] == "<" else None
            if heading is not None:
                self.html_paragraph(para)
                para = []
                synthetic = Block(Kind.HEADING, None, line.number)
                synthetic.level = int(heading.group("level"))
                synthetic.text = _HTML_TAG.sub("", heading.group("text")).strip()
                self.heading(synthetic)
                continue
            after = start
            while (opened := _HTML_OPEN.match(text, after, end)) is not None:
                after = opened.end()  # "</p><p>": each tag once
            if after == start:
                para.append(Line(line.number, start))  # a line of the paragraph's text
                continue
            self.html_paragraph(para)
            para = []
            if after < end and not text[after:end].isspace():
                para.append(Line(line.number, after))  # "<p>We will …" on the tag's line
        self.html_paragraph(para)

    def html_paragraph(self, lines: list[Line]) -> None:
        if lines:
            synthetic = Block(Kind.PARAGRAPH, None, lines[0].number)
            synthetic.lines = lines
            synthetic.last = lines[-1].number
            self.paragraph(synthetic)

    def task_list(self, block: Block) -> bool:
        """Every item a task ("- [ ] Add …", "- [x] Fix … deployed"): a to-do list, wherever a
        section of no kind holds it (a "Solution", a thread's last comment). Not under a
        "Deploy checklist" or 「手順」: the boxes of a procedure are its steps."""
        if _CHECKLIST.search(self.heading_words):
            return False
        tasks = 0
        for item in block.children:
            first = item.children[0] if item.children and item.children[0].kind is Kind.PARAGRAPH else None
            if first is None:
                return False
            line = first.lines[0]
            words, ticked, _ = checkbox(self.text[line.start : self.ends[line.number]])
            if ticked is not None and _CONFIRMATION.match(words):
                return False  # "- [x] I have searched the existing issues": a form's confirmations
            if ticked is not None:
                tasks += 1
            elif _own_commitment(words):
                return False  # a boxless item that commits too: no log of notes and tasks
        return tasks > 0

    def _boxed(self, item: Block) -> bool:
        first = item.children[0] if item.children and item.children[0].kind is Kind.PARAGRAPH else None
        if first is None:
            return False
        line = first.lines[0]
        return checkbox(self.text[line.start : self.ends[line.number]])[1] is not None

    def may_hold_follow_ups(self) -> bool:
        """Outside action sections, where a list or table named as follow-ups still is one:
        a section of no kind, a response or resolution, a lesson (never a timeline, an impact)."""
        return not self.context.narrative() or self.context.soft_never() or self.context.in_lessons()

    def follow_up_table(self, block: Block) -> bool:
        """A table whose header calls its rows the follow-ups ("| Action item | Owner |",
        "| 再発防止策 | 担当 |"), under a resolution or a section of no kind: its rows are actions."""
        if not self.may_hold_follow_ups():
            return False
        header = split_cells(self.text[block.lines[0].start : self.ends[block.lines[0].number]])
        names = [clean_inline(cell).strip() for cell in header]
        return any(_FOLLOW_UP_NAMES.fullmatch(name) for name in names)

    def introduced(self, paragraph: Block, block: Block) -> bool:
        """"We now have a bot that reports:" over a list of what it reports: the sentence is
        the action and the items its details. Over a list of commitments it only introduces
        them (False: the items are the actions)."""
        last = paragraph.lines[-1]
        text = self.text[paragraph.lines[0].start : self.ends[last.number]]
        colon = text.rstrip().endswith((":", "："))
        if not colon and not _PROCEDURE.search(text[-200:]) and not _CHOICE.search(text[-200:]):
            return False
        sentence = sentences(text)[-1]
        if colon and _LEGEND.search(sentence.text):
            self.section_items = True  # "… should have assigned priority:" over "- P0 - Critical for …"
            return True
        # "We are working out which of these approaches suit us." over "- scale up", "- caching":
        # the options being weighed, details of the one commitment to weigh them
        choosing = _CHOICE.search(sentence.text) is not None
        items = [self._first_text(item) for item in block.children]
        named = sum(1 for item in items if _own_commitment(item) or _bold_lead(item) or _team_will(item))
        if not items or (not choosing and named * 2 >= len(items)):
            return False  # "- **Domain enforcement:** check …", "- Next, we're going to …": named actions, not details
        procedure = not colon or choosing or _PROCEDURE.search(sentence.text) is not None
        words = sentence.text.rstrip(":：").strip()
        if not commitments(words + ".", in_action_section=True):
            if procedure:  # "… our new process detailed below": its steps, no actions of their own
                self.section_items = True
            return procedure
        start = paragraph.lines[0].start + sentence.start
        self.consumed.add(start)
        raw = raw_from_text(words, self._line_at([_plain_line(self.text, ln.number, ln.start, self.ends[ln.number])
                                                  for ln in paragraph.lines], start) + 1, False,
                            self.context.defaults())
        if raw is None:
            return False
        for item in items:
            absorb_detail(raw, item, False)
        raw.end_line = _last_line(block) + 1
        raw.anchor = Anchor("prose", start, self.ends[_last_line(block)], paragraph.lines[0].start + sentence.end)
        self.doc.raws.append(raw)
        self.section_items = True
        return True

    def end_section(self, level: int = 0) -> None:
        """Close the sections at `level` and deeper (all of them by default): their prose is
        read now that it is known whether items stood beside or under it."""
        while self.level >= level:
            sole = len(self.pending) == 1 and not self.section_items  # the section's only words
            commands = not self.section_items and self.commanding(self.pending)
            for lines, defaults in self.pending:
                titled = self.titled_paragraph(lines, defaults, sole=sole) if not self.section_items else None
                if titled is None and commands:
                    titled = self.command_paragraph(lines, defaults)
                # beside a list, prose frames it ("Owners will update the tickets"), but a change it
                # reports made ("The fix has already been deployed …") is a done follow-up still
                found = [titled] if titled is not None else self.prose_actions(
                    lines, in_action_section=not self.section_items, defaults=defaults, done_too=True)
                if found and self.doc.raws and self.doc.raws[-1].line > found[0].line:
                    self.unordered = True
                self.doc.raws.extend(found)
            items = bool(self.section_items)
            if not self.outer:
                self.level, self.pending, self.section_items = 0, [], False
                return
            self.level, self.pending, self.section_items = self.outer.pop()
            if items and not self.section_items:
                self.section_items = _UNDER

    def commanding(self, pending: list[tuple[list[PlainLine], Defaults]]) -> bool:
        """Whether an action section is written as paragraphs that each open with a command
        ("Improve our monitoring. This includes …" / "Establish a playbook - …"), as a list
        without bullets: two of them at least, with the usual verbs, and most paragraphs so."""
        if len(pending) < 2:
            return False
        known = loose = 0
        for lines, _ in pending:
            head = self._head_sentence(lines)
            if head is None:
                continue
            if imperative(head.text):
                known += 1
            elif imperative(head.text, loose=True):
                loose += 1
        return known >= 2 and (known + loose) * 2 > len(pending)

    def _head_sentence(self, lines: list[PlainLine]) -> Sentence | None:
        span = self.text[lines[0].start : lines[-1].end]
        if len(span) > _PROSE_LIMIT or not span.isascii():
            return None
        said = sentences(span[:_HEAD_LIMIT])
        return said[0] if said else None

    def command_paragraph(self, lines: list[PlainLine], defaults: Defaults) -> RawAction | None:
        """A paragraph of a `commanding` section that opens with a command: that command is
        one action and its other sentences ("We should know our roles", "The sync times will
        drop once …") are its reasons and details, not actions of their own."""
        head = self._head_sentence(lines)
        if head is None or not imperative(head.text, loose=True):
            return None
        start = lines[0].start
        raw = self._sentence_action(lines, start, self.text[start : lines[-1].end], defaults)
        if raw is not None and addresses_reader(raw.title):
            return None
        return raw

    def _sentence_action(self, lines: list[PlainLine], start: int, span: str, defaults: Defaults
                         ) -> RawAction | None:
        """The first sentence of `span` (at `start`) as one action, the rest its details."""
        said = sentences(span) if len(span) <= _PROSE_LIMIT else []
        if not said:
            return None
        head = said[0]
        line = self._line_at(lines, start + head.start)
        raw = raw_from_text(head.text.rstrip(":："), line + 1, defaults.done or head.done, defaults)
        if raw is None:
            return None
        for sentence in said[1:]:
            absorb_detail(raw, sentence.text, False)
        raw.end_line = lines[-1].number + 1
        raw.anchor = Anchor("prose", start + head.start, start + head.end, start + head.end,
                            column=start + head.start - self.starts[line] + 1)
        return raw

    def titled_paragraph(self, lines: list[PlainLine], defaults: Defaults, *, sole: bool = False) -> RawAction | None:
        """A paragraph of an action section whose first line is a short title with no full stop
        and the rest its description ("Copy files to local storage first" over "Avoid reading
        them from the share."), as plain-text reports write a list without bullets. `sole`:
        the section's only paragraph, where one such title line alone is its one action
        ("E2E tests for the signup flow (in progress)" under "Follow-ups")."""
        first = lines[0].text.strip()
        if sole and len(lines) == 1 and self._sole_title(first):
            raw = raw_from_text(first, lines[0].number + 1, False, defaults)
            if raw is None or addresses_reader(raw.title):
                return None
            raw.anchor = Anchor("plain", lines[0].start, lines[0].end, self._insert_point(lines[0]),
                                column=lines[0].start - self.starts[lines[0].number] + 1)
            return raw
        if len(lines) < 2 or not _TITLE_LINE.fullmatch(first) or not lines[-1].text.rstrip().endswith(_FULL_STOPS):
            return None
        if _COURTESY.search(first):
            return None  # "Thanks to everyone who helped" over a sentence: no title of an action
        second = lines[1].text.lstrip()
        if first.isascii() and not second[:1].isupper():
            return None  # a sentence wrapped after a few words goes on in lower case
        raw = raw_from_text(first, lines[0].number + 1, False, defaults)
        if raw is None or addresses_reader(raw.title):
            return None
        for line in lines[1:]:
            absorb_detail(raw, line.text, False)
        raw.end_line = lines[-1].number + 1
        raw.anchor = Anchor("plain", lines[0].start, lines[-1].end, self._insert_point(lines[0]),
                            column=lines[0].start - self.starts[lines[0].number] + 1)
        return raw

    @staticmethod
    def _sole_title(line: str) -> bool:
        """A line that names a piece of work as a list item would: a short title (a bracketed
        note after it aside), not "None", "TBD", a pointer elsewhere or a question."""
        if len(line) > 300:
            return False  # a title is a few words: a longer line is prose, read as prose
        words = clean_inline(line).strip()
        bracket = _TRAILING_NOTE.search(words)
        if bracket is not None:
            words = words[: bracket.start()].rstrip()
        lowered = words.lower().rstrip(".。")
        if lowered in _NOTHING or lowered.split(" ", 1)[0] in _NOTHING or _POINTER.match(words) or (
                heading_role(words).actions):
            return False  # "None at this time", "See the tracking issue", "Action items will be added later"
        if words.isascii():
            return len(words.split()) >= 3 and _TITLE_LINE.fullmatch(words) is not None and not _WE.search(words)
        return _TITLE_LINE.fullmatch(words) is not None and len(words) >= 5

    def open_section(self, level: int) -> None:
        """A heading at `level` starts a section inside the current one."""
        self.end_section(level)
        self.outer.append((self.level, self.pending, self.section_items))
        self.level, self.pending, self.section_items = level, [], False

    def heading(self, block: Block) -> None:
        self.end_section(block.level)
        written = self.heading_text(block)
        text = clean_inline(comments(written)[0])
        if block.level == 1 and self.doc.h1 is None:
            self.doc.h1 = text
        if _POSTMORTEM_HINTS.search(text):
            self.doc.looks_like_postmortem = True
        if self.heading_action is not None and block.level <= self.heading_action[0]:
            self.heading_action = None
        inside = self.context.in_actions()
        item = _heading_item(written) if inside and self.context.stack else None
        if item is not None and self.context.stack[-1][0] < block.level:
            raw = raw_from_text(item, block.first + 1, False, self.context.defaults())
            if raw is not None and not addresses_reader(raw.title):
                line = block.lines[0] if block.lines else None
                insert = self._insert_point(line) if line is not None else self.ends[block.first]
                raw.anchor = Anchor("heading", self.starts[block.first], self.ends[block.last], insert)
                self.doc.raws.append(raw)
                self.heading_action = (block.level, raw)
                return
        self.open_section(block.level)
        self.heading_words = text
        first_title = block.level == 1 and not self.seen_heading
        self.seen_heading = True
        self.context.enter(block.level, text)
        if first_title and self.context.stack and self.context.stack[-1][1].never and not is_section_name(text):
            # "# 対応記録 (Incident Records)", "# Timeline of the outage": the document's title names
            # the whole record, not a section of it that never holds actions
            self.context.stack[-1] = (1, NEUTRAL)
        self.headed_actions = self.headed_actions or self.context.in_actions()
        if self.context.in_actions():
            self.doc.has_action_section = True

    def heading_text(self, block: Block) -> str:
        if not block.setext:
            return block.text
        return " ".join(self.text[line.start : self.ends[line.number]].strip() for line in block.lines)

    def paragraph(self, block: Block) -> None:
        lines = [_plain_line(self.text, ln.number, ln.start, self.ends[ln.number]) for ln in block.lines]
        skip = 0
        while skip < len(lines) and lines[skip].text[:1] in _BYLINE_INITIALS and _BYLINE.fullmatch(lines[skip].text):
            skip += 1  # "kim · comment · 2024-03-02" over a thread's post: who wrote it, not what
        if skip:
            lines = lines[skip:]
            if not lines:
                return
        if not self.context.in_actions() and self.action_label_paragraph(lines):
            return
        labelled = bool(self.context.stack) and self.context.stack[-1][0] >= BRACKET_LEVEL
        if len(lines) == 1 and (_bold_heading(lines[0].text) or _colon_label(lines[0].text, any_label=labelled)):
            self.heading_action = None
            self.end_section()
            self.context.enter(BRACKET_LEVEL, clean_inline(lines[0].text).rstrip(":："))
            self.headed_actions = self.headed_actions or self.context.in_actions()
            return
        if status_lead(lines[0].text)[1] is not None:
            self.status_paragraph(lines)
            return
        if not has_structure(lines):
            self.prose(lines)
            return
        raw_starts = [self.starts[line.number] for line in lines]
        for unit in split_lines(lines, raw_starts, self.text, self.underline_styles):
            if isinstance(unit, PlainHeading):
                self.end_section()
                if _POSTMORTEM_HINTS.search(unit.text):
                    self.doc.looks_like_postmortem = True
                self.context.enter(unit.level, unit.text)
                self.headed_actions = self.headed_actions or self.context.in_actions()
                if self.context.in_actions():
                    self.doc.has_action_section = True
            elif isinstance(unit, PlainItem):
                if self.context.in_actions():
                    self.doc.has_action_section = True
                    self.section_items = True
                    if self.nested_detail(unit):
                        continue
                    found = self.plain_item(unit, self.context.defaults())
                    self.doc.raws.extend(found)
                    if found:
                        self.last_plain = (unit.indent, found[0], self._plain_end(unit))
                    continue
                if unit.measure and self.context.soft_never():
                    # 「対策１：…を退避（済）」 under 「暫定対応」: named a measure, it is one
                    self.doc.raws.extend(self.plain_item(unit, self.context.defaults()))
            else:
                self.prose(unit.lines)
            self.last_plain = None

    def nested_detail(self, item: PlainItem) -> bool:
        """"#. Instituting a policy for keeping the community informed" over, a blank line
        later, an indented "#. Of outages, maintenance, etc.": an item deeper than the one just
        read, with only blank lines between, is its sub-item; one that commits to nothing of its
        own ("Of outages …", 「対象：全サーバー」) is its detail, not an action."""
        last = self.last_plain
        if last is None or item.indent <= last[0] or self.text[last[2] : item.marker_start].strip():
            return False
        if _CONTINUES.match(item.text) is None:
            return False  # "Defining and monitoring capacity limits": its own action, read as one
        absorb_detail(last[1], item.text, False)
        for line in item.details:
            absorb_detail(last[1], line.text, False)
        self.last_plain = (last[0], last[1], self._plain_end(item))
        return True

    @staticmethod
    def _plain_end(item: PlainItem) -> int:
        while item.children:
            item = item.children[-1]
        return (item.details[-1] if item.details else item.line).end

    def action_label_paragraph(self, lines: list[PlainLine]) -> bool:
        """"Action point: create …", "**Action planned:** We will …", "**Actions taken:**": a
        label that names what follows as actions, in a lesson or a section of no kind
        (never in a timeline). The words after a label naming one action are that action,
        however they are worded; a label over a list is a heading for it. Done labels
        ("Action taken") count in a lesson only: in a narrative they are the response."""
        first = lines[0]
        if first.text[:1] not in "*_AaFfNnPpCc対再今ア改実":
            return False  # most paragraphs: no label can open them
        label, rest = _split_label(first.text)
        found = action_label(label) if label is not None else None
        if found is None:
            return False
        lesson = self.context.in_lessons()
        if not lesson and (found.done or not found.plain or self.context.narrative()):
            return False
        if rest.strip(" .。").lower() in _NOTHING:
            return False  # "Action required: none."
        self.heading_action = None
        self.doc.has_action_section = True
        if rest or len(lines) > 1:
            start = first.start + (first.text.index(rest) if rest else len(first.text))
            defaults = self.context.defaults()
            self.labelled_action(lines, start, Defaults(defaults.phase, defaults.category, found.done))
            return True
        self.end_section()
        self.context.enter_role(BRACKET_LEVEL, Role(actions=True, done=found.done))
        self.one_label = found.one
        return True

    def labelled_action(self, lines: list[PlainLine], start: int, defaults: Defaults) -> None:
        """The words a label names as one action: its first sentence the action, the rest
        (and the lists and prose after it, up to the next heading or label) its details."""
        raw = self._sentence_action(lines, start, self.text[start : lines[-1].end], defaults)
        if raw is None:
            return
        self.doc.raws.append(raw)
        self.heading_action = (BRACKET_LEVEL, raw)

    def status_paragraph(self, lines: list[PlainLine]) -> None:
        """"**TODO**: we need a close monitoring of systemd …": a paragraph that opens with a
        task's status is that task, in whatever section it is written (a team tracking its
        follow-ups under "Lessons learned"); the lines after its first are its details."""
        if self.heading_action is not None:
            self.prose(lines)
            return
        # "TODO: …" / "TODO: …" / 「済: …」 line after line: each line that opens with a status is
        # a task of its own, the lines between carry on the one before
        groups: list[list[PlainLine]] = []
        for line in lines:
            if not groups or status_lead(line.text)[1] is not None:
                groups.append([line])
            else:
                groups[-1].append(line)
        for group in groups:
            first = group[0]
            raw = raw_from_text(first.text, first.number + 1, False, self.context.defaults())
            if raw is None or addresses_reader(raw.title):
                continue
            for line in group[1:]:
                absorb_detail(raw, line.text, False)
            raw.end_line = group[-1].number + 1
            raw.anchor = Anchor("plain", first.start, group[-1].end, self._insert_point(first),
                                column=first.start - self.starts[first.number] + 1)
            if self.context.in_actions():
                self.doc.has_action_section = True
                self.section_items = True
            self.doc.raws.append(raw)

    # --- prose ------------------------------------------------------------------------------

    def prose(self, lines: list[PlainLine]) -> None:
        if self.heading_action is not None:
            raw = self.heading_action[1]
            for line in lines:
                absorb_detail(raw, line.text, False)
            raw.end_line = max(raw.end_line, lines[-1].number + 1)
            return
        if not self.context.in_actions():
            if lines[0].text[:1] in _LIVE_INITIALS and _LIVE_UPDATE.match(lines[0].text):
                return  # "*Investigating* - We are investigating …": the status page while it ran
            self.names_follow_ups(lines)
            if self.context.soft_never():
                self.follow_up_prose(lines)
                return
            if self.context.in_lessons() or not self.context.narrative():
                self.follow_up_prose(lines, team=True)  # "Next time we will …" in a lesson or a section of no kind
                if not lines[0].text.isascii() and not self.context.in_lessons():
                    self.framed_prose(lines, ja_only=True)  # 「対策として、…を実装した」 in a section of no kind
            elif not self.context.strict_never():
                self.framed_prose(lines)
            if not self.context.stack or not self.context.stack[-1][1].never:
                if self.doc.has_action_section and self.closing_after is None:
                    self.closing_after = len(self.closing)
                self.closing.append(lines)
            return
        self.doc.has_action_section = True
        self.pending.append((lines, self.context.defaults()))

    def names_follow_ups(self, lines: list[PlainLine]) -> None:
        """"… and created follow-up action items:", 「再発防止策は以下の通りです：」 over a list or
        table, in a resolution or a section of no kind: what follows is the follow-ups."""
        tail = self.text[lines[-1].start : lines[-1].end].rstrip()
        if not tail.endswith((":", "：")) or self.heading_action is not None or not self.may_hold_follow_ups():
            return
        last = sentences(tail[-300:])[-1].text.rstrip(":：")
        if _FOLLOW_UP_NAMES.search(last) and not names_rejected(last) and _READERS.search(last) is None and (
                _WERE.search(last) is None):  # "Our next steps were:" over what was done in the response
            self.label_list = self.context.defaults()

    def framed_prose(self, lines: list[PlainLine], *, ja_only: bool = False) -> None:
        """A narrative section (how it was detected, what the fix was) still holds the team's
        commitment when a sentence says so in as many words: "In the future, we should monitor
        disk usage", "Going forward, we will …", 「今後は…を監視します」."""
        if _FRAME_HINTS.search(self.text[lines[0].start : lines[-1].end][:_PROSE_LIMIT]) is None:
            return
        framed = _JA_FRAMED if ja_only else _FRAMED
        for raw in self.prose_actions(lines, in_action_section=True, defaults=Defaults()):
            if framed.match(raw.title):
                if raw.anchor is not None:
                    self.consumed.add(raw.anchor.start)
                self.doc.raws.append(raw)

    def follow_up_prose(self, lines: list[PlainLine], *, team: bool = False) -> None:
        """A response section's sentences that commit to a follow-up ("…, and will avoid
        creating one in the future") are actions; the account of the response is not.
        `team`: in a lesson or a section of no kind, only the team's own ("next time we will
        …", 「今後は…します」 in a lesson), not a forecast ("the bridge will return in the future")."""
        lessons = self.context.in_lessons()
        # Japanese commits in the polite form (「導入します」), which is strong only with 今後 in a lesson
        ja_lesson = lessons and _CJK.search(lines[0].text) is not None
        ahead = False  # "Moving forward, we will … . Additionally, we will …": the paragraph looks ahead
        # a change the team says it made for the future ("We have fixed …, and are deploying changes to
        # prevent this in the future", "We have since published a fix …") is read too
        for raw in self.prose_actions(lines, in_action_section=not team or ja_lesson, defaults=Defaults(),
                                      done_too=team):
            english = _CJK.search(raw.title) is None
            if team and not (_WE_OR_I.search(raw.title) if english else lessons):
                continue
            if raw.done and team and not (_FUTURE.search(raw.title) or _SINCE.search(raw.title)):
                continue  # "We restarted the database": the response, told
            if _FUTURE.search(raw.title) or (raw.done and _SINCE.search(raw.title)) or (
                    ahead and _GOES_ON.match(raw.title)):
                ahead = True
                if raw.anchor is not None:
                    self.consumed.add(raw.anchor.start)  # not read again as a closing paragraph
                self.doc.raws.append(raw)
            elif team and lessons and english:
                # a lesson's "we will …" ("Lastly, we will upgrade mainnet") counts when no
                # heading of the document opens actions: else its actions are written there
                self.lesson_commitments.append(raw)
        tail = self.text[lines[-1].start : lines[-1].end].rstrip()
        if tail.endswith((":", "：")) and self.heading_action is None:
            last = sentences(tail[-300:])[-1].text.rstrip(":：")
            if _FUTURE.search(last) and commitments(last + ".", in_action_section=False):
                self.label_list = Defaults()  # "Going forward, we will do the following:" over its list

    def prose_actions(
        self, lines: list[PlainLine], *, in_action_section: bool, defaults: Defaults, closing: bool = False,
        done_too: bool = False, opening: bool = False,
    ) -> list[RawAction]:
        start, end = lines[0].start, lines[-1].end
        span = self.text[start:end]
        if len(span) > _PROSE_LIMIT:
            return []
        raws: list[RawAction] = []
        for sentence in commitments(span, in_action_section=in_action_section, closing=closing, done_too=done_too,
                                    opening=opening):
            offset = start + sentence.start
            if offset in self.consumed:
                continue  # "For that we'll follow the steps" already read with the steps as its details
            if refers_back(sentence.text) or (raws and tracks(sentence.text)):
                if raws and raws[-1].end_line >= self._line_at(lines, offset) + 1:
                    raws[-1].done = raws[-1].done or sentence.done  # 「…残すようにしました。これは対応済みです」
                    absorb_detail(raws[-1], sentence.text, False)
                continue
            line = self._line_at(lines, offset)
            raw = raw_from_text(sentence.text, line + 1, sentence.done, defaults)
            if raw is None or addresses_reader(raw.title):
                continue
            if raws and _THEREFORE.match(sentence.text) and _NEED.match(raws[-1].title):
                # "We need to stop treating it as a snowflake. We are therefore going to move it to …":
                # the need is the reason, the sentence drawing the consequence the action
                absorb_detail(raw, raws.pop().title, False)
            raw.end_line = self._line_at(lines, start + sentence.end - 1) + 1
            raw.anchor = Anchor("prose", offset, start + sentence.end, start + sentence.end,
                                column=offset - self.starts[line] + 1)
            raws.append(raw)
        return raws

    @staticmethod
    def _line_at(lines: list[PlainLine], offset: int) -> int:
        for line in reversed(lines):
            if line.start <= offset:
                return line.number
        return lines[0].number

    def fallback(self) -> None:
        """No action section anywhere: take the strong commitments of the closing paragraphs
        (the last twelve: an issue thread or a status page closes in many short ones), and of the
        opening ones what is under way so that the failure does not come back."""
        closing = self.closing
        if self.doc.has_action_section:
            # an action section that commits to nothing ("## 対策" over options still weighed):
            # what the team commits to is written after it, not in the account before it
            closing = closing[len(closing) if self.closing_after is None else self.closing_after :]
        if not self.doc.has_action_section:
            # the summary at the top may say what is under way so that it does not happen again
            for lines in closing[: min(_OPENING_PARAGRAPHS, max(len(closing) - _CLOSING_PARAGRAPHS, 0))]:
                self.doc.raws.extend(self.prose_actions(lines, in_action_section=False, defaults=Defaults(),
                                                        opening=True))
        listed = max((raw.end_line for raw in self.doc.raws), default=None)  # a list read as follow-ups
        for lines in closing[-_CLOSING_PARAGRAPHS:]:
            found = self.prose_actions(lines, in_action_section=False, defaults=Defaults(), closing=True)
            if listed is not None and lines[0].number >= listed:
                # "I've also increased the retention …" right after the plans: one more follow-up, done
                seen = {raw.line for raw in found}
                found.extend(raw for raw in self.prose_actions(lines, in_action_section=False, defaults=Defaults(),
                                                               done_too=True)
                             if raw.done and raw.line not in seen and _ALSO.match(raw.title) is not None)
                found.sort(key=lambda raw: raw.line)
            if found and self.doc.prose_fallback_line is None:
                self.doc.prose_fallback_line = found[0].line
            self.doc.raws.extend(found)

    # --- lists ------------------------------------------------------------------------------

    def names_actions(self, paragraph: Block, role: str = "actions") -> bool:
        """"Our remediations for this are:": the sentence over a list calls its items the
        actions, so items worded for the team's engineers ("If you need to copy files, use
        rsync") are still the team's actions, not advice to the report's readers. With
        `role="never"`: it calls them what is never an action ("Alternatives here included:")."""
        if not paragraph.lines:
            return False
        last = paragraph.lines[-1]
        tail = self.text[last.start : self.ends[last.number]].rstrip()
        if not tail.endswith((":", "：")):
            return False
        sentence = sentences(tail[-200:])[-1].text.rstrip(":：")
        if role == "never":
            return names_rejected(sentence)
        # "Recommended actions for customers:" names advice to the report's readers
        return heading_role(sentence).actions and _READERS.search(sentence) is None

    def gives_reasons(self, paragraph: Block) -> bool:
        """"We don't see it as a priority because:", 「理由は以下の通りです：」: the list after the
        sentence gives its reasons, which are no actions."""
        if not paragraph.lines:
            return False
        last = paragraph.lines[-1]
        return _REASONS.search(self.text[last.start : self.ends[last.number]].rstrip()[-120:]) is not None

    def list_actions(self, block: Block, defaults: Defaults, depth: int = 0, *, named: bool = False,
                     boxed: bool = False) -> None:
        self.section_items = True
        found: list[RawAction] = []
        advice = 0
        responding = self.context.responding()
        for item in block.children:
            if responding and _narrated(self._first_text(item)):
                continue  # "Once the vendor was healthy, we verified the pipelines": the response
            if boxed and not self._boxed(item):
                continue
            for raw in self.item_actions(item, defaults, depth):
                if addresses_reader(raw.title) and not named:
                    advice += 1
                else:
                    found.append(raw)
        if advice and advice * 2 >= len(block.children):
            return  # "What you can do": advice to the readers of a public report, every item of it
        self.doc.raws.extend(found)

    def item_actions(self, item: Block, defaults: Defaults, depth: int) -> list[RawAction]:
        children = item.children
        first = children[0] if children and children[0].kind is Kind.PARAGRAPH else None
        sublists = [child for child in children if child.kind is Kind.LIST] if len(children) > 1 or not first else []
        if first is None:
            return [raw for sub in sublists for child in sub.children
                    for raw in self.item_actions(child, defaults, depth + 1)]
        text, ends = self.text, self.ends
        head_line = first.lines[0]
        head = text[head_line.start : ends[head_line.number]]
        ticked: bool | None = None
        if head[:1] == "[":
            head, ticked, _ = checkbox(head)
        if sublists:
            children_commit = all(
                _own_commitment(self._first_text(child)) for sub in sublists for child in sub.children)
            label = _label(head, children_commit=children_commit)
            if label is not None:
                merged = defaults.merged(label.phase, label.category, label.done)
                return [raw for sub in sublists for child in sub.children
                        for raw in self.item_actions(child, merged, depth + 1)]
        if head[:1].isdigit() and _TIMELINE_ITEM.match(head):
            return []
        if rejected(text[head_line.start : ends[first.lines[-1].number]]):
            return []  # "… recommended we consider GPG signing. … it was rejected": not done, not to do
        if ticked is None and (" still " in head or " remain " in head or " stay " in head) and _STANDSTILL.match(head):
            return []  # "Public access will remain suspended until …": how things stay, no work
        if ticked is not None and _states_fact(head):
            return []  # "- [x] Relay service restored", "- [ ] There is no working version": notes, no tasks
        rest_lines = first.lines[1:]
        if rest_lines and head.rstrip().endswith((":", "：")) and lead_only(head):
            # "- [Done](…/commit/f8fe…):" over "  add a lab environment …": the wrap left the words below
            head = f"{head.rstrip()} {text[rest_lines[0].start : ends[rest_lines[0].number]].strip()}"
            rest_lines = rest_lines[1:]
        raw = raw_from_text(head, head_line.number + 1, bool(ticked), defaults)
        if raw is None:
            return []
        if rest_lines:
            # "**Records are archived before deletion.** The cleanup job" over "now writes …": the
            # bold sentence is the title, the wrapped lines carry on the words after it
            wrapped = not (head[:2] in ("**", "__") and _bold_lead(head) and raw.title.rstrip(".。") == clean_inline(
                head[2 : head.find(head[:2], 2)]).strip().rstrip(":：.。"))
            wide = ends[head_line.number] - head_line.start >= _WRAP_WIDTH
            for line in rest_lines:
                wrapped = absorb_detail(raw, text[line.start : ends[line.number]], wrapped, wide=wide)
                wide = False
        own: list[RawAction] = []
        span = text[head_line.start : ends[first.lines[-1].number]]
        if " also " in span and span.isascii() and len(span) <= _PROSE_LIMIT:
            # "- We should let users delete it. … We also need to create a restore script …": a
            # later sentence that adds work of its own is an action of its own, not detail
            plain = [_plain_line(text, ln.number, ln.start, ends[ln.number]) for ln in first.lines]
            own.extend(extra for extra in self.prose_actions(plain, in_action_section=True, defaults=defaults)
                       if extra.anchor is not None and extra.anchor.start > plain[0].start
                       and _ALSO.match(extra.title) is not None)
        for child in children[1:]:
            if child.kind is Kind.PARAGRAPH:
                for line in child.lines:
                    absorb_detail(raw, text[line.start : ends[line.number]], False)
            elif child.kind is Kind.LIST:
                attributes = any(parse_run(self._first_text(sub)) is not None for sub in child.children)
                for sub in child.children:
                    self.sub_item(raw, sub, defaults, depth, own, details_only=attributes)
        last = _last_line(item)
        if last >= raw.end_line:
            raw.end_line = last + 1
        box_at = head_line.start + 1 if ticked is not None else None
        raw.anchor = Anchor("item", item.marker_start, ends[last], self._insert_point(first.lines[-1]), box_at,
                            column=item.marker_start - self.starts[head_line.number] + 1)
        return [raw, *own]

    def sub_item(
        self, raw: RawAction, sub: Block, defaults: Defaults, depth: int, own: list[RawAction], *,
        details_only: bool,
    ) -> None:
        """A sub-bullet: its own action when it commits to something of its own, else detail.
        A sub-list that also holds the parent's fields ("- owner: @kim") is its details."""
        first = self._first_text(sub)
        if not details_only and depth + 1 < MAX_DEPTH and (
                _own_commitment(first, sub_item=True) or (not first.isascii() and status_lead(first)[1] is not None)):
            own.extend(self.item_actions(sub, defaults, depth + 1))
            return
        for block in sub.walk():
            if block.kind is Kind.PARAGRAPH:
                for line in block.lines:
                    absorb_detail(raw, checkbox(self.text[line.start : self.ends[line.number]])[0], False)

    def _first_text(self, item: Block) -> str:
        if item.children and item.children[0].kind is Kind.PARAGRAPH:
            line = item.children[0].lines[0]
            return checkbox(self.text[line.start : self.ends[line.number]])[0]
        return ""

    def _insert_point(self, line: Line | PlainLine) -> int:
        """Where a new trailing field goes on a line: before trailing comments and spaces."""
        start, end = line.start, self.ends[line.number]
        text = self.text
        if end > start and text[end - 1] not in " \t>":
            return end  # the common case: the line ends with its words
        stripped = text[start:end].rstrip()
        while stripped.endswith("-->") and "<!--" in stripped:
            stripped = stripped[: stripped.rindex("<!--")].rstrip()
        return start + len(stripped)

    def heading_action_list(self, block: Block) -> None:
        """A list under "### 1) Set up observability": its commitments are actions of their
        own, anything else details of the heading's action."""
        assert self.heading_action is not None
        raw = self.heading_action[1]
        own: list[RawAction] = []
        attributes = any(parse_run(self._first_text(sub)) is not None for sub in block.children)
        for sub in block.children:
            self.sub_item(raw, sub, self.context.defaults(), 0, own, details_only=attributes)
        raw.end_line = max(raw.end_line, _last_line(block) + 1)
        self.doc.raws.extend(own)

    def labelled_items(self, block: Block) -> None:
        """Outside an action section, a list item labelled as one ("- **Review actions**:")
        holds actions: its sub-items, or the sentences written under it."""
        for item in block.children:
            if not item.children or item.children[0].kind is not Kind.PARAGRAPH:
                continue
            first = item.children[0]
            head = self.text[first.lines[0].start : self.ends[first.lines[0].number]]
            if status_lead(checkbox(head)[0])[1] is not None:
                self.doc.raws.extend(self.item_actions(item, self.context.defaults(), 0))
                continue  # "3. **FIXING** VaultCore proxy code should …": a tracked task
            label, rest = _split_label(head)
            if label is None or not heading_role(label).actions or _own_commitment(label):
                if not self.outside_lists or self.outside_lists[-1] is not block:
                    self.outside_lists.append(block)
                    if self.context.in_lessons():
                        self.lesson_lists.add(id(block))
                    if self.context.stack and self.context.stack[-1][1].never:
                        self.narrative_lists.add(id(block))
                        if self.context.stack[-1][1].apparatus:
                            self.apparatus_lists.append(block)
                continue
            self.doc.has_action_section = True
            defaults = self.context.defaults()
            lines = [_plain_line(self.text, ln.number, ln.start, self.ends[ln.number]) for ln in first.lines[1:]]
            if rest:
                start = first.lines[0].start + head.index(rest)
                lines.insert(0, PlainLine(first.lines[0].number, start, self.ends[first.lines[0].number], rest))
            if lines:
                self.doc.raws.extend(self.prose_actions(lines, in_action_section=True, defaults=defaults))
            elif len(item.children) == 1 and item is block.children[-1]:
                self.label_list = defaults  # "- **Review actions**:" with its list written after it
            for sub in item.children[1:]:
                if sub.kind is Kind.LIST:
                    self.list_actions(sub, defaults)
                elif sub.kind is Kind.PARAGRAPH:
                    para = [_plain_line(self.text, ln.number, ln.start, self.ends[ln.number]) for ln in sub.lines]
                    self.doc.raws.extend(self.prose_actions(para, in_action_section=True, defaults=defaults))

    def follow_up_items(self, block: Block) -> None:
        """A response section's list: the items that say they prevent a recurrence or what
        will be done ("We put in changes to … to prevent … in the future") are follow-ups."""
        for item in block.children:
            text = self._first_text(item)
            if not is_follow_up(text):
                continue
            for raw in self.item_actions(item, Defaults(), 0):
                raw.done = raw.done or bool(_PAST.search(raw.title))
                self.doc.raws.append(raw)

    def apparatus_actions(self) -> None:
        """A list of commitments under "Supporting information" or an appendix, in a document
        that has an action section too: follow-ups added where there was room."""
        for block in self.apparatus_lists:
            if self._commitment_list(block):
                self.list_actions(block, Defaults())

    def _commitment_list(self, block: Block, *, modal: bool = False) -> bool:
        """Nearly all items commit to something: "- Document …", or with `modal` the team's
        modal sentences too ("- We need to document the deploy process …")."""
        items = block.children
        # "**Early activation:** Start the servers an hour before": the words after a bold label
        texts = [_after_bold(self._first_text(item)) for item in items]
        commits = sum(1 for text in texts if _own_commitment(text) or (modal and _team_modal(text)))
        return len(items) >= 2 and commits * 3 >= len(items) * 2

    def fallback_lists(self) -> None:
        """No action section: a list outside narrative sections whose items are nearly all
        commitments ("- Document …", "- Decide …") is one. When some list is introduced as what
        happens from now on ("… the future plans are to:"), a list of commitments introduced
        otherwise ("The game plan is:") is the plan of the response, not a follow-up."""
        lists = self.outside_lists
        if any(self.ahead.get(id(block)) for block in lists):
            lists = [block for block in lists if self.ahead.get(id(block), True)]
        for block in lists:
            before = len(self.doc.raws)
            # a lesson's list of "We need to fix …", "We need better …" is what the team will do
            modal = id(block) not in self.narrative_lists or id(block) in self.lesson_lists
            if self._commitment_list(block, modal=modal):
                self.list_actions(block, Defaults())
            elif id(block) not in self.narrative_lists:
                self.notice_items(block)
            if len(self.doc.raws) > before and self.doc.prose_fallback_line is None:
                self.doc.prose_fallback_line = self.doc.raws[before].line

    def notice_items(self, block: Block) -> None:
        """A Japanese notice that lists its symptoms says what is being done about each in
        its items (「…について調査中です」「対処を検討中です」): those sentences, as the
        closing paragraphs' are, are its actions."""
        for inner in block.walk():
            if inner.kind is not Kind.PARAGRAPH or not inner.lines:
                continue
            lines = [_plain_line(self.text, ln.number, ln.start, self.ends[ln.number]) for ln in inner.lines]
            if lines[0].text.isascii() or _TIMELINE_ITEM.match(lines[0].text):
                continue
            for raw in self.prose_actions(lines, in_action_section=False, defaults=Defaults(), closing=True):
                if not raw.done and under_way(raw.title):  # not 「サービスは順次再開します」
                    self.doc.raws.append(raw)

    # --- plain-text items -------------------------------------------------------------------

    def plain_item(self, item: PlainItem, defaults: Defaults) -> list[RawAction]:
        children_commit = all(_own_commitment(child.text) for child in item.children)
        if item.children and (label := _label(item.text, children_commit=children_commit)) is not None:
            merged = defaults.merged(label.phase, label.category, label.done)
            return [raw for child in item.children for raw in self.plain_item(child, merged)]
        if _TIMELINE_ITEM.match(item.text) or rejected(item.text):
            return []
        if not item.children and item.details and _noun_label(item.text):
            lines = item.details
            said = " ".join(line.text for line in lines)
            if said.endswith(("。", "．")) and ja_sentence(said) and _own_commitment(said):
                # 「（３）職員への周知」 over 「連絡先を…に掲示する。」: a label, and the work written under it
                return self.prose_actions(lines, in_action_section=True, defaults=defaults)
        if not item.details and not item.children and "。" in item.text[:-1]:
            split = self.plain_sentences(item, defaults)
            if split:
                return split
        raw = raw_from_text(item.text, item.line.number + 1, False, defaults)
        if raw is None or addresses_reader(raw.title):
            return []
        wrapped = True
        for line in item.details:
            wrapped = absorb_detail(raw, line.text, wrapped)
        own: list[RawAction] = []
        for child in item.children:
            # 「・完了済み：一覧を作成した」「・未完了：担当を決める」: a status names a task of its own
            if _own_commitment(child.text) or status_lead(child.text)[1] is not None:
                own.extend(self.plain_item(child, defaults))
            else:
                absorb_detail(raw, child.text, False)
        last = item.details[-1] if item.details else item.line
        raw.end_line = max(raw.end_line, last.number + 1)
        raw.anchor = Anchor("plain", item.marker_start, last.end, self._insert_point(last),
                            column=item.marker_start - self.starts[item.line.number] + 1)
        return [raw, *own]

    def plain_sentences(self, item: PlainItem, defaults: Defaults) -> list[RawAction]:
        """「対策３：クォータを設定する。専用の作業領域を別に用意する。」: a one-line item of
        Japanese sentences that each commit to work of their own (an object each, the plain
        form) is that many actions; a sentence that does not (a reason, a note) keeps it one."""
        said = sentences(item.text)
        if not 2 <= len(said) <= 4 or not all(
                "を" in sentence.text and ja_sentence(sentence.text) and not refers_back(sentence.text)
                for sentence in said):
            return []
        start = item.line.start + max(item.line.text.find(item.text), 0)
        line = PlainLine(item.line.number, start, start + len(item.text), item.text)
        found = self.prose_actions([line], in_action_section=True, defaults=defaults)
        return found if len(found) == len(said) else []

    # --- tables -----------------------------------------------------------------------------

    def kpt_columns(self, block: Block) -> dict[int, str] | None:
        """A KPT retrospective written as one table ("| Keep | Problem | Try |"): its Try column
        is the title of each row's action, the other columns are no fields of it."""
        if not block.lines:
            return None
        header = split_cells(self.text[block.lines[0].start : self.ends[block.lines[0].number]])
        if len(header) > 8:
            return None
        parts = [kpt_part(clean_inline(cell)) for cell in header]
        if parts.count("try") != 1 or "other" not in parts:
            return None
        return {parts.index("try"): "title"}

    def table(self, block: Block, defaults: Defaults, columns: dict[int, str] | None = None) -> None:
        self.section_items = True
        header = self.text[block.lines[0].start : self.ends[block.lines[0].number]]
        columns = columns or columns_of(split_cells(header))
        if "title" not in columns.values():
            return
        named = tuple(columns.get(i, "") for i in range(max(columns) + 1))
        for row in block.lines[2:]:
            row_text = self.text[row.start : self.ends[row.number]]
            if not row_text.strip():
                continue
            cells = [row_text[start:end] for start, end in cell_bounds(row_text)]
            if "\\|" in row_text:
                cells = [cell.replace("\\|", "|") for cell in cells]
            raw = raw_from_row(cells, columns, row.number + 1, defaults)
            if raw is None:
                continue
            raw.anchor = Anchor("row", row.start, self.ends[row.number], self._insert_point(row), None, named,
                                column=row.start - self.starts[row.number] + 1)
            self.doc.raws.append(raw)


def _plain_line(text: str, number: int, start: int, end: int) -> PlainLine:
    """A paragraph line as the plain-text layer reads it: full-width indentation skipped."""
    while start < end and text[start] in " \t\u3000":
        start += 1
    return PlainLine(number, start, end, text[start:end])


def _top_level(root: Block) -> Iterator[Block]:
    """The blocks a section holds, in order; a block quote's content counts as its own."""
    stack = list(reversed(root.children))
    while stack:
        block = stack.pop()
        if block.kind is Kind.QUOTE:
            stack.extend(reversed(block.children))
        else:
            yield block


def _last_line(block: Block) -> int:
    """The last line with content in a block (an item's trailing blank lines excluded)."""
    children = block.children
    if len(children) == 1 and children[0].lines:  # an item of one paragraph: the common case
        return children[0].lines[-1].number
    last = block.first
    for inner in block.walk():
        if inner.lines:
            last = max(last, inner.lines[-1].number)
        elif inner.kind not in (Kind.LIST, Kind.ITEM, Kind.QUOTE):
            last = max(last, inner.last)
    return last


# An item that says a service stays as the incident left it ("Public access to some services will
# remain suspended until a solution is in place"): a state, not a change anyone makes. (The
# team's own sentence before it, "We will keep …", is read as one.) Bounded, anchored.
_STANDSTILL = lazy_regex(
    r"(?!we\b|i\b)[^.;:!?\n]{0,160}?\bwill (?:remain|stay) (?:temporarily )?(?:suspended|unavailable|offline|down|"
    r"closed|disabled|paused|read-only)\b"
    # "We will still update the repos on `pod update`": beside the changes, what stays as it was
    r"|(?:we|i)(?: will|['’]ll) still (?!need\b|have to\b)", re.I)


_BACK = frozenset(("restored", "recovered", "resumed", "online", "reachable"))
_AFTER_BACK = frozenset(("on", "in", "for", "at", "across", "after", "by", "within", "from", "and"))
_BACK_JA = ("復旧", "復旧済み", "復旧完了", "復帰", "再開")


def _states_fact(text: str) -> bool:
    """Whether a task-list item records how things stand instead of naming work: a service
    back ("Relay service restored", 「APIサーバー復旧」), or "There are no other versions".
    Incident logs tick these off beside their real tasks; they are the response, not follow-ups."""
    words = clean_inline(text).strip().rstrip(".。!！")
    if words.isascii():
        lowered = words.lower()
        if lowered.startswith(("there is ", "there are ", "there was ", "there were ")):
            return True
        split = lowered.split()[:8]
        back = next((index for index, word in enumerate(split) if word in _BACK), 0)
        if back == 0 or split[0] in ("we", "i", "make", "keep", "get") or imperative(words):
            return False  # "Verify backups restored": work
        # "Sif relay service restored", "Relayer service restored on all 16 chains"
        return back == len(split) - 1 or split[back + 1] in _AFTER_BACK
    return len(words) <= 30 and words.endswith(_BACK_JA) and "を" not in words and "に" not in words


# The team telling what it did, in the simple past ("we verified …", "we rolled back …"), not
# what it has done as a follow-up ("we have added …") nor what it did so that it won't recur.
_NARRATED = lazy_regex(r"\bwe (?:then |also |quickly )?(?:(?!need|proceed|exceed|succeed|feed|seed)[a-z]+ed|"
                       r"put|made|ran|took|found|saw|got|kept|brought|rebuilt|reran|set|began)\b", re.I)


def _narrated(text: str) -> bool:
    """Whether an item of a section joining the response to the follow-ups tells the response."""
    if is_follow_up(text) or _EN_CUE_ITEM.search(text) is not None:
        return False
    if text.isascii():
        return _NARRATED.search(text[:300]) is not None
    tail = clean_inline(text).rstrip("。．. ")
    return tail.endswith(("した", "しました", "ました")) and not tail.endswith(("ようにしました", "ことにしました"))


_EN_CUE_ITEM = lazy_regex(r"\b(?:to (?:prevent|avoid|stop)|so that|recurr\w*)\b|再発|防止|今後", re.I)


def _bold_lead(text: str) -> bool:
    """An item that opens with a bold label and goes on ("**Mint caps:** limit …")."""
    stripped = text.lstrip()
    return stripped[:2] in ("**", "__") and 2 < stripped.find(stripped[:2], 2) < len(stripped) - 4


def _after_bold(text: str) -> str:
    """The words after an item's bold label ("**Early activation:** Start …" → "Start …")."""
    if not _bold_lead(text):
        return text
    stripped = text.lstrip()
    return stripped[stripped.find(stripped[:2], 2) + 2 :].lstrip(" :：—–-")


def _bold_only(text: str) -> bool:
    stripped = text.strip().rstrip(":：").strip()
    return len(stripped) > 4 and stripped[:2] in ("**", "__") and stripped.endswith(stripped[:2]) and (
        stripped[:2] not in stripped[2:-2])


def _bold_heading(text: str) -> bool:
    """A paragraph that is only a bold label ("**Action items**", "__再発防止策：__") stands for a heading."""
    stripped = text.strip()
    if not (stripped.startswith(("**", "__")) and stripped.rstrip(":：").endswith(("**", "__"))):
        return False
    inner = clean_inline(stripped).rstrip(":：").strip()
    if not inner or len(inner) > 60 or "**" in inner:
        return False
    role = heading_role(inner)
    return role.actions or role.never or role.done


def _team_modal(text: str) -> bool:
    """"We need to document the deploy process", "When we merge, we need to ensure …": an
    English item whose first sentence is the team's modal commitment; a Japanese one that says
    what must be done (「ビルドのキャッシュを見直す必要がある」「…すべき」)."""
    if _CJK.search(text) is not None:  # “curly quotes” are still English
        said = sentences(clean_inline(text)[:_HEAD_LIMIT])
        return bool(said) and said[0].text.rstrip("。．　 ").endswith(_JA_MUST)
    if _WE.search(text) is None:
        return False
    said = sentences(text)
    return bool(said) and bool(commitments(said[0].text + ".", in_action_section=True))


_JA_MUST = ("必要がある", "必要があります", "必要がありそう", "べき", "べきだ", "べきである", "べきです",
            "なければならない",
            "なければなりません", "ねばならない")


def _team_will(text: str) -> bool:
    """"Longer term, we're planning to replicate …": an item whose first sentence is the team's
    own strong commitment, an action of its own whatever the sentence over the list says."""
    said = sentences(clean_inline(text)) if len(text) <= _PROSE_LIMIT else []
    return bool(said) and bool(commitments(said[0].text + ".", in_action_section=False))


def _colon_label(text: str, *, any_label: bool = False) -> bool:
    """A line that is only an action label and a colon ("Follow-ups:", "Future:", "再発防止策：")
    stands for a heading, as a bold one does; `any_label` under such a label, where a
    section's name ("Impact:", "Timeline:") ends it."""
    stripped = text.strip()
    if len(stripped) > 40 or not stripped.endswith((":", "：")):
        return False
    words = clean_inline(stripped[:-1]).strip()
    if not words or (words.isascii() and len(words.split()) > 4) or _WE_SUBJECT.match(words + " ") or (
            _WERE.search(words)):
        return False  # "We took these actions:", "Our next steps were:": sentences of the narrative, no labels
    if any_label and labels_section(words):
        return True
    role = heading_role(words)
    return (role.actions or role.done) and not role.never


_VERB = lazy_regex(
    r"(?:add|adopt|alert|alarm|allow|archive|assign|audit|automate|back ?up|block|build|bump|cap|change|check|"
    r"clean|clarify|communicate|configure|consider|consolidate|convert|create|debug|decide|decommission|define|delete|"
    r"deploy|deprecate|design|detect|disable|document|drop|educate|enable|encrypt|enforce|ensure|establish|"
    r"evaluate|expand|explore|expose|extend|find|fix|follow|gate|harden|identify|implement|improve|include|increase|"
    r"inform|install|instrument|integrate|introduce|investigate|isolate|keep|label|limit|lock|log|make|measure|"
    r"merge|migrate|mirror|monitor|move|notify|page|patch|pin|plan|prevent|prioriti[sz]e|protect|provide|"
    r"provision|publish|raise|rate-limit|rebuild|reduce|refactor|reject|release|remove|rename|replace|report|"
    r"require|rerun|reset|restore|restrict|retire|retry|review|revoke|rewrite|roll|rotate|run|scale|schedule|"
    r"scope|separate|set|share|ship|shorten|simplify|split|standardi[sz]e|start|stop|store|switch|tag|test|"
    r"throttle|track|train|tune|turn|update|upgrade|use|validate|verify|version|wire|write)\b",
    re.I,
)
# A sub-item that carries on its parent's words rather than naming work: "Of outages,
# maintenance, etc." under "Keeping the community informed", 「※対象は本番環境のみ」「例：…」.
_CONTINUES = lazy_regex(r"(?:of|for|in|on|at|with|without|about|by|from|via|such as|e\.g\.|i\.e\.|including)\b"
                        r"|※|例[：:）)]|例えば|対象[：:は]|詳細[：:]", re.I)
_LABEL_END_COLON = (":", "：")
_JA_LABEL_END = ("面", "について", "関連", "関係", "系", "編", "対策", "施策", "観点", "領域", "分野")


def _label(text: str, *, children_commit: bool = True) -> Role | None:
    """A parent bullet that names a group instead of committing to anything ("Detection:",
    "短期対策", "（１）システム面", "**Monitoring**"): the role its children take, or None.
    "Ensure that alerting is in place for:" over "- Warp Speed" is an action with details:
    a sentence ending in a colon is a label only when its children commit to things."""
    written = comments(text)[0].strip()
    words = clean_inline(written).strip()
    if not words:
        return None
    if _bold_only(written):
        tags = defaults_from_label(words)
        if tags is None and not children_commit and _own_commitment(words):
            return None  # "1. **マイグレーション実行を明示的に行う**" over its details: an action
        return tags or NEUTRAL  # "- **Numerical safety**" over its items
    tags = defaults_from_label(words)
    if tags is not None:
        return tags
    bare = words.rstrip(":：").strip()
    if _WE_SUBJECT.match(bare) and not children_commit:
        return None  # "We are redesigning our review process, to introduce:" over what it introduces
    role = heading_role(bare)
    sentence = not bare.isascii() and not words.endswith(_LABEL_END_COLON) and ja_sentence(bare)
    if (role.actions or role.done) and not _own_commitment(bare) and not sentence:
        # 「…「…リアクションを…」と呼びかける」 holds an action word but is a sentence, no label
        return Role(done=role.done)
    if words.endswith(_LABEL_END) and len(bare) <= 80 and (children_commit or not _VERB.match(bare)):
        return NEUTRAL
    if words.isascii():
        return NEUTRAL if len(bare.split()) <= 3 and not _VERB.match(bare) and bare[:1].isupper() else None
    # 「（１）ネットワーク機器の設定変更について」 over items that each commit: a longer label still
    return NEUTRAL if bare.endswith(_JA_LABEL_END) and len(bare) <= (24 if children_commit else 16) else None


_JA_COMMIT_END = lazy_regex(
    r"(?:する|します|いたします|を導入|を実施|を追加|を作成|を整備|を変更|を見直し|化|の導入|の実施|の追加|"
    r"の作成|の整備|の変更|[のを]徹底|の強化|の改善|の自動化|行う|を検討|に追記|を追記)[。.]?$"
)


def _own_commitment(text: str, *, sub_item: bool = False) -> bool:
    """Whether a sub-bullet commits to something itself, rather than describing its parent.
    A Japanese sub-bullet that names no object of its own (「初回は 6 月に実施する」: no を)
    is about its parent's."""
    words = clean_inline(split_fields(comments(text)[0])[0]).strip()
    if not words or (":" in words[:24] and words.split(":", 1)[0].strip().lower() in (
            "owner", "due", "status", "note", "ticket", "priority", "phase", "category")):
        return False
    if words.isascii() or _CJK.search(words) is None:  # “curly quotes” do not make English Japanese
        return bool(_VERB.match(words)) and len(words.split()) >= 3
    if not _JA_COMMIT_END.search(words):
        return False
    # 「初回は 6 月に実施する」 does what its parent says; 「CPU 使用率の監視追加」 names its own work
    return not sub_item or "を" in words or not words.rstrip("。.").endswith(("する", "します", "いたします", "行う"))


_CJK = lazy_regex(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def _noun_label(text: str) -> bool:
    """「職員への周知」「監視面」: a short Japanese item naming a topic, not a sentence of work."""
    words = clean_inline(text).strip().rstrip(":：")
    return (0 < len(words) <= 16 and _CJK.search(words) is not None and "を" not in words
            and not words.endswith(("。", "．")) and not ja_sentence(words))


_HEADING_NUMBER = lazy_regex(r"(?:\d{1,3}[.)]|\(\d{1,3}\)|#\d{1,4}[.:]?|[A-Z]{1,4}-?\d{1,3}[.:)])\s+")
_HANDLE = lazy_regex(r"(?<![\w])@[\w][\w.-]{0,40}")


def _heading_item(text: str) -> str | None:
    """A sub-heading of an action section that is itself an action ("1) Set up websocket
    observability `@dma`", "Verify cron is running on Nietzsche"): its words, or None."""
    words = comments(text)[0].strip()
    number = _HEADING_NUMBER.match(words)
    if number is not None:
        words = words[number.end():]
    bare = clean_inline(words)
    role = heading_role(bare)
    if role.actions or role.never or role.done or defaults_from_label(bare) is not None:
        return None
    if _HANDLE.search(words) or _own_commitment(bare) or (number is not None and commitments(
            bare + ".", in_action_section=True)):
        return words  # "1) Cron cleanup scheduled `@malte_j`", "Verify cron is running", "4) We need …"
    return None  # "### 1. Numerical safety": a label over the actions below it


def _split_label(head: str) -> tuple[str | None, str]:
    """"**Review actions**: Create …" → ("Review actions", "Create …"); no label: (None, head)."""
    stripped = head.strip()
    if stripped.startswith(("**", "__")):
        end = stripped.find(stripped[:2], 2)
        if end > 2:
            label = stripped[2:end].strip().rstrip(":：")
            rest = stripped[end + 2 :].lstrip(" :：—–-")
            return label, rest
    if ":" in stripped[:40] or "：" in stripped[:40]:
        label, _, rest = stripped.replace("：", ":", 1).partition(":")
        return label.strip(), rest.strip()
    return None, head


def read_body(
    path: Path, text: str, starts: list[int], ends: list[int], body_start: int, doc: MarkdownDoc, *,
    plain: bool = False,
) -> None:
    """Read the body's blocks into `doc`: metadata lines, headings, actions."""
    root = (parse_paragraphs if plain else parse_blocks)(text, starts, ends, body_start)
    reader = _Reader(path, text, starts, ends, doc)
    if not plain:  # under Markdown headings, an underlined title is a sub-heading of the one it is in
        reader.underline_styles = None
    _body_meta(reader, root)
    reader.read(root)
    reader.end_section()
    empty = doc.has_action_section and not doc.raws  # "## 対策" over prose that commits to nothing
    if not reader.headed_actions and reader.lesson_commitments:
        doc.raws.extend(reader.lesson_commitments)
        reader.unordered = True
    if not doc.has_action_section or empty:
        reader.fallback_lists()
        reader.fallback()
    elif reader.apparatus_lists:
        reader.apparatus_actions()
    if reader.unordered:  # a section's prose is read when it ends, after its sub-sections' items
        doc.raws.sort(key=lambda raw: raw.line)
    if doc.prose_fallback_line is not None:
        doc.findings.append(catalog.PROSE_ACTIONS.finding(
            path, doc.prose_fallback_line,
            ("its action section holds no action" if empty else "no action section")
            + ": the actions were read from commitments in the closing paragraphs"))
    if root.deepest >= MAX_DEPTH - 1:
        doc.findings.append(catalog.INVALID_VALUE.finding(
            path, 1, f"lists or quotes nested more than {MAX_DEPTH} deep: the deeper ones are read as text"))


def _body_meta(reader: _Reader, root: Block) -> None:
    """'Date: 2020-09-29' lines (or '| Date | … |' rows) before the actions, for documents
    without front matter.

    A date followed by more ("2024年6月3日（月）10:15〜11:20", "2024-03-19 · Severity: …")
    keeps only the date. A table row counts only outside a header, so the header of a
    "| Date | Event |" timeline is not read as the postmortem's date; Confluence exports a
    key/value table with its first pair as the header row, and that one counts.
    """
    doc = reader.doc
    seen = 0
    for block in _top_level(root):
        if block.kind is Kind.HEADING and is_action_heading(reader.heading_text(block)):
            return
        if block.kind not in (Kind.PARAGRAPH, Kind.TABLE, Kind.LIST):
            continue
        for inner in block.walk():
            for position, line in enumerate(inner.lines):
                seen += 1
                if seen > 80:
                    return
                header_row = inner.kind is Kind.TABLE and position == 0
                if inner.kind is Kind.TABLE and position == 1:
                    continue
                _meta_line(reader.text[line.start : reader.ends[line.number]], line.number, header_row, doc)


def _meta_line(line: str, index: int, header_row: bool, doc: MarkdownDoc) -> None:
    match = _BODY_META.match(line)
    if not match:
        return
    key = _META_KEYS.get(match.group("key").lower(), match.group("key").lower())
    value = line[match.end():].strip()
    if match.group("row"):
        value = value.split("|")[0].strip()
        if header_row and not (key == "date" and DATE_IN_TEXT.match(clean_inline(value))):
            return
    value = clean_inline(value.strip("*").strip())
    if not value or key in doc.meta:
        return
    if key == "date":
        leading = DATE_IN_TEXT.match(value)
        value = leading.group(0) if leading else value
    doc.meta[key] = value
    doc.meta_lines[key] = index + 1


_META_KEYS = {
    "incident date": "date", "日付": "date", "発生日": "date", "発生日時": "date", "sev": "severity",
    "重大度": "severity", "深刻度": "severity", "影響度": "severity", "link": "url", "件名": "title",
}


def parse_meta_date(value: object) -> dt.date | str | None:
    """A front-matter date stays a date; anything else is text to parse later."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return str(value) if value is not None else None
