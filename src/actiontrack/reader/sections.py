"""What a heading says about the text under it: actions, done actions, never actions, or a tag.

Sections are read by meaning, not by one word list: "Action items", "再発防止策（案）",
"How do we stop this from happening again?" and "残課題" open actions; "Completed",
"完了済み", "(done)" mark them done; a "Timeline", "What went wrong", "Lessons learned" or
"Alternatives we rejected" never holds actions, even inside an action section; "Detection"
or "開発時" under an action section tags what follows. The word lists are data (tuples
below); the rules that combine them are the functions.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from actiontrack.lazyre import lazy_regex
from actiontrack.model import Category, Phase
from actiontrack.taxonomy import is_done_status, normalise, parse_category, parse_phase

__all__ = [
    "Role", "action_label", "defaults_from_label", "heading_role", "is_action_heading", "is_section_name",
    "is_timeline_step", "kpt_part",
    "names_rejected", "says_done",
]

# Headings that open a section of actions; matched as substrings of the normalised heading.
ACTION_WORDS = (
    "action item", "action items", "actions", "action plan", "actionables", "follow-up", "follow up",
    "followups", "remediation", "remediations", "prevention", "preventive", "preventative",
    "corrective action", "corrective and preventive", "next steps", "todo", "to-do",
    "countermeasure", "mitigations and prevention", "improvement", "do differently",
    "we'll do", "we will do", "going forward", "what's next", "next actions", "future work",
    "review actions", "what we're doing", "what we are doing", "what we will do", "what we're changing",
    "changes we're making", "changes we are making", "preventing recurrence", "moving forward",
    "looking forward", "looking ahead",
    "lessons and actions", "work items", "open items", "outstanding items", "planned changes",
    "再発防止", "防止策", "対応策", "恒久対応", "恒久対策", "アクションアイテム", "アクション",
    "今後の対応", "今後の対策", "今後の取り組み", "今後の改善", "対策", "改善策", "改善項目",
    "改善アクション", "改善計画", "改善点", "やること", "残課題", "残タスク", "宿題", "対応方針",
    "再発を防", "todoリスト", "ネクストアクション", "remedied", "remediated", "long term changes",
    "longer term changes", "long term fixes", "preventing this", "preventing future", "prevent this",
    "prevent future", "prevent recurrence", "how we're fixing", "how we are fixing", "what we're fixing",
    "what we are fixing", "what we'll change", "what we will change", "what we're improving", "改善施策",
    "対応予定",
)
# Whole headings that open actions though the word alone says little ("Future:" over a list).
# "### 採用" / "### Adopted" beside "### 見送り" / "### Rejected" under "Options considered": the
# measures taken up (whole headings only: 「採用情報」 is a company's hiring page).
# "## What now", "## Plan": the follow-ups of a post that names them so.
_ACTION_EXACT = frozenset(("future", "whatnow", "nowwhat", "plan", "plans", "ourplan", "theplan", "今後", "採用",
                           "採用案", "採用するもの", "採用したもの", "adopted", "accepted"))
# KPT retrospectives (Keep / Problem / Try): whole headings only, "Retry logic" is no Try.
_KPT_TRY = frozenset(("try", "ttry", "try次にやること", "次にやること"))
_KPT_OTHER = frozenset(("keep", "kkeep", "problem", "pproblem", "problems"))
# Question headings ("How do we prevent this from happening again?"): a question that asks
# what will be done about it.
_QUESTION = lazy_regex(
    # a post written in the first person asks it of the author: "What did I do / will I do to …?"
    r"\b(?:how (?:do|can|will|could|should|are|am) (?:we|i)|what (?:will|can|could|should|are|am) (?:we|i)|"
    r"(?:will|shall|am) (?:we|i) (?:do|doing|going to do|change)|what(?:'s| is) next|"
    r"what (?:are|will be) the next|how (?:to|can this be|will this be) (?:prevent|avoid|stop)|"
    r"what (?:can|could|should) be (?:done|improved|changed)|what (?:changes|steps))\b",
    re.I,
)
_QUESTION_JA = lazy_regex(r"(?:どう(?:すれば|するか|防ぐ)|防ぐには|防ぐため(?:には|に何)|何をする|今後どう)")
# Headings whose content is never actions. STRICT wins even over an action word ("Actions
# taken", "Timeline of actions"); the others lose to one ("Lessons learned and action items").
STRICT_NEVER_WORDS = (
    "timeline", "タイムライン", "時系列", "経緯", "actions taken", "対応履歴", "対応経過", "対応記録",
    "what went well", "went well", "what went wrong", "went wrong", "went poorly", "didn't go well",
    "did not go well", "got lucky", "alternatives considered", "alternatives", "rejected", "not doing",
    "won't do", "wont do", "out of scope", "見送", "不採用", "採用しなかった", "検討したが", "five whys",
    "5 whys", "なぜなぜ", "お問い合わせ", "問い合わせ", "contact us", "よかった", "良かった",
    "うまくいった", "うまくいかなかった", "検討した対策", "検討した案", "検討案", "options considered",
    "considered options", "ideas considered", "検証したが", "解決しなかった", "効果がなかった", "didn't work",
    "did not work", "what we tried", "選択肢",
)
# The measures a document turns down ("Alternatives here included:", 「見送った案：」): never actions.
_REJECTED_KEYS = tuple(normalise(word) for word in (
    "alternatives", "rejected", "not doing", "won't do", "options considered", "considered options",
    "ideas considered", "見送", "不採用", "採用しなかった", "検討した案", "検討案", "didn't work", "did not work",
    "選択肢"))


def names_rejected(text: str) -> bool:
    """Whether a sentence over a list names its items as measures turned down."""
    key = normalise(text)
    return len(text) <= 80 and any(word in key for word in _REJECTED_KEYS)


# A never section that is the document's apparatus, not its narrative: a list there that is
# nearly all commitments ("## Supporting information" over "- Document …", "- Decide …") is
# actions written in the wrong place, not a lesson or a step of the response. (An appendix
# is not one: it holds runbook commands, "- Run …", "- Check …".)
APPARATUS_WORDS = ("supporting information",)
NEVER_WORDS = (
    "lessons learned", "lessons learnt", "learnings", "takeaways", "what we learned", "what we learnt",
    "教訓", "学び", "学んだこと", "問題点", "反省点", "root cause", "contributing factor", "impact",
    "影響範囲", "glossary", "appendix", "付録", "references", "supporting information", "被害状況",
    "発生日時", "発生事象", "障害内容", "障害概要", "problems during", "problems encountered", "problems found",
    "issues encountered",
)
# Narrative sections whose list may still hold a follow-up ("We put in changes to … to prevent
# … in the future"): read for items and sentences that say so, nothing else.
_SOFT_NEVER = frozenset(normalise(word) for word in (
    "response", "our response", "resolution", "mitigation", "remediation steps taken", "what we did", "対応",
    "暫定対応", "対応内容", "復旧", "復旧対応", "resolution and recovery",
))
# Whole headings (after normalising) that name a narrative section: "Detection" at the top
# of the Google template tells how it was noticed; under "Action items" it is a category.
NEVER_EXACT = (
    "summary", "概要", "background", "背景", "detection", "trigger", "resolution", "response",
    "impact", "影響", "原因", "事象", "現象", "参考", "詳細", "備考", "経過", "対応", "暫定対応の内容",
    "recovery", "復旧", "検知", "mitigation",
)

_DONE_LABEL = lazy_regex(r"[(（\[【](?P<label>[^)）\]】]{1,12})[)）\]】]\s*$")
_DONE_HEADINGS = tuple(normalise(word) for word in (
    "completed", "completed actions", "done", "already done", "actions completed", "what we've done",
    "what we have done", "what we did", "changes made", "changes we've made", "immediate actions taken",
    "completed items", "remedied", "remediated",
    "完了済み", "完了済", "対応済み", "対応済", "実施済み", "実施済", "実施した対策",
    "実施済みの対策", "完了した対応", "対応完了",
))
_LABEL_TAIL = lazy_regex(r"(の?(対策|対応|施策)|actions?|measures?|items?)$", re.I)

# ASCII words are matched as whole words ("Transactions" holds no "actions"); Japanese ones
# as substrings of the squashed heading.
_ACTION_WORDS_EN = lazy_regex(
    r"\b(?:" + "|".join(re.escape(w.replace("-", " ")) for w in sorted(
        (w for w in ACTION_WORDS if w.isascii()), key=len, reverse=True))
    + r"|resulting actions?|actions? to take)s?\b", re.I)
_SEPARATORS = lazy_regex(r"[-_/]+")
# A heading that opens with the time of day ("### 14:05 Failover starts", "### 24:30 アラート設定"):
# a step of a timeline written as headings, whatever its words say (below the title: "# 2023-01-11
# 14:22 outage" is the document's name).
_TIME_LEAD = lazy_regex(r"(?:\d{4}[-/]\d{1,2}[-/]\d{1,2}[ T,]*)?\d{1,2}[:：]\d{2}(?![\d:])")


def is_timeline_step(text: str) -> bool:
    """Whether a heading below the title opens with the time of day: a step of a timeline."""
    return _TIME_LEAD.match(text.lstrip("*_ ")) is not None
_ACTION_KEYS = tuple(normalise(word) for word in ACTION_WORDS if not word.isascii())
_STRICT_KEYS = tuple(normalise(word) for word in STRICT_NEVER_WORDS)
_NEVER_KEYS = tuple(normalise(word) for word in NEVER_WORDS)
_NEVER_EXACT = frozenset(normalise(word) for word in NEVER_EXACT)
_LESSON_KEYS = tuple(normalise(word) for word in (
    "lessons", "learnings", "takeaways", "what we learned", "what we learnt", "教訓", "学び", "学んだこと", "反省点"))
# A label that names what follows it as an action ("Action point: create …", "**Action
# planned:** We will …", "**Actions taken:**" over a list), written where a heading would be.
_ACTION_LABEL = lazy_regex(
    r"(?:(?:next|planned|follow[- ]up|corrective|preventive|preventative) )?"
    r"(?:actions?(?: (?:points?|items?|plans?|planned|required|needed))?|follow[- ]ups?|next steps?)"
    r"|(?:今後の)?(?:対策|再発防止策|アクション|対応予定|改善策)", re.I)
_PLAIN_LABEL = lazy_regex(
    r"(?:planned |next |corrective |preventive )?actions? (?:points?|items?|planned|plans?)"
    r"|next steps?|planned actions?"
    r"|(?:今後の)?(?:対策|再発防止策|対応予定|改善策)", re.I)
_TAKEN_LABEL = lazy_regex(r"actions? (?:taken|done|completed|implemented)|(?:実施済み|対応済み)の?(?:対策|対応)?", re.I)
_APPARATUS_KEYS = tuple(normalise(word) for word in APPARATUS_WORDS)
_SECTION_NAMES = frozenset(normalise(word) for word in (*STRICT_NEVER_WORDS, *NEVER_WORDS, *NEVER_EXACT))


class Role(NamedTuple):
    """What a heading says: `actions` opens a section of actions, `never` closes one for
    its sub-tree, `done` marks what is under it done; phase/category tag what is under it."""

    actions: bool = False
    never: bool = False
    done: bool = False
    phase: Phase | None = None
    category: Category | None = None
    soft: bool = False  # a never section (a response, a resolution) whose follow-ups still count
    apparatus: bool = False  # a never section that only carries material (appendix, supporting information)
    lesson: bool = False  # a lessons-learned section: what was learned, and per lesson what is done about it
    strict: bool = False  # a never section whatever its words say (a timeline, what went well, alternatives)
    response: bool = False  # an action section joined to the response ("Resolution and next steps")


NEUTRAL = Role()


def is_section_name(text: str) -> bool:
    """Whether a heading is only the name of a section that never holds actions ("Timeline",
    "Lessons learned", 「経緯」), not a title that holds such a word ("対応記録 (Incident Records)")."""
    return normalise(text).rstrip(":：") in _SECTION_NAMES


def kpt_part(text: str) -> str | None:
    """"try" for a KPT retrospective's Try ("Try", "T（Try）", 「次にやること」), "other" for its
    Keep or Problem, else None: a table whose columns are these holds its actions in Try."""
    key = normalise(text).rstrip(":：")
    bare = key.replace("(", "").replace(")", "").replace("（", "").replace("）", "")
    return "try" if bare in _KPT_TRY else "other" if bare in _KPT_OTHER else None


def is_action_heading(text: str) -> bool:
    """Whether a heading opens a section of actions ("Action items", "再発防止策", a question)."""
    return heading_role(text).actions


@functools.lru_cache(maxsize=1024)  # a folder's postmortems share their headings: judge each once
def heading_role(text: str, *, inside_actions: bool = False) -> Role:
    """The role of a heading; `inside_actions` when an enclosing heading opened actions, where
    a phase or category label ("### Detection", "【開発時】") tags instead of ending them."""
    key = normalise(text).rstrip(":：")
    if not key:
        return NEUTRAL
    bare = key.replace("(", "").replace(")", "").replace("（", "").replace("）", "")
    if any(word in key for word in _STRICT_KEYS) or bare in _KPT_OTHER:
        return Role(never=True, strict=True)
    actions = bare in _KPT_TRY or bare in _ACTION_EXACT or _names_actions_en(text) or any(
        word in key for word in _ACTION_KEYS) or bool(
        text.rstrip().endswith(("?", "？")) and (_QUESTION.search(text.replace("’", "'")) or _QUESTION_JA.search(text))
    )
    if not actions and _CHANGED.match(text.replace("’", "'")) is not None:
        return Role(actions=True, done=True)  # "What we changed in logging": the follow-ups made, done
    tags = defaults_from_label(text)
    # The heading that opens a section ("Corrective actions", "再発防止策") names the kind of
    # section, not a category of each action in it; under it, "### Detection" does tag.
    phase, category = (tags.phase, tags.category) if tags and (inside_actions or not actions) else (None, None)
    if not actions and not (inside_actions and tags) and (
        key in _NEVER_EXACT or any(word in key for word in _NEVER_KEYS) or key in _SOFT_NEVER
    ):
        return Role(never=True, soft=key in _SOFT_NEVER, apparatus=any(word in key for word in _APPARATUS_KEYS),
                    lesson=any(word in key for word in _LESSON_KEYS))
    return Role(actions=actions, done=says_done(text), phase=phase, category=category,
                response=actions and _WITH_RESPONSE.search(text) is not None)


# A heading over the changes the team made after it ("What we changed in authorization", "What
# we've changed"): its follow-ups, already done. (Not "What changed": that is often the trigger.)
_CHANGED = lazy_regex(r"\W*what (?:we|i)(?:'ve| have)? changed\b", re.I)


# Words that make what follows them the cause of the incident: "… Suspension Due to Hosting
# Provider Actions" names whose doing caused it, not a section of the team's actions.
_CAUSED_BY = lazy_regex(r"\b(?:due to|caused by|because of|triggered by|resulting from|blamed on)\b", re.I)


def _names_actions_en(text: str) -> bool:
    """Whether English words of a heading name a section of actions ("Action items", "Next
    steps"), and not a cause ("Outage due to provider actions")."""
    words = _SEPARATORS.sub(" ", text.replace("’", "'"))
    found = _ACTION_WORDS_EN.search(words)
    return found is not None and _CAUSED_BY.search(words, 0, found.start()) is None


# A heading that joins the account of the response to the follow-ups: "Resolution and next
# steps", "Next steps & mitigation", 「復旧と再発防止策」. Its list holds both.
_WITH_RESPONSE = lazy_regex(
    r"^\W*(?:resolution|mitigation|recovery|response|remediation taken)\s*(?:and|&|/|\+|,)\s"
    r"|\s(?:and|&|/|\+)\s*(?:resolution|mitigation|recovery)\W*$"
    r"|^\W*(?:復旧|対応内容|復旧対応)(?:と|・|及び|および|／|/)", re.I)


class ActionLabel(NamedTuple):
    """What an action label says: its actions are done ("Action taken"), it names one
    action (singular "Action point:"), not a list of them, and it says so outside a lesson
    too ("Action item:"; "Follow-up: the on-call confirmed …" in a narrative may be narrative)."""

    done: bool
    one: bool
    plain: bool = False


def action_label(label: str) -> ActionLabel | None:
    """"Action point", "Action planned", "Actions taken", 「対策」: a label naming what follows
    it as actions (None when it is none). Labels are short: longer text is no label."""
    text = " ".join(label.split()).strip("*_ ").rstrip(":：").strip()
    if not text or len(text) > 40:
        return None
    one = text.isascii() and not any(word.endswith("s") for word in text.lower().split())
    if _ACTION_LABEL.fullmatch(text):
        return ActionLabel(done=False, one=one, plain=_PLAIN_LABEL.fullmatch(text) is not None)
    if _TAKEN_LABEL.fullmatch(text):
        return ActionLabel(done=True, one=one)
    return None


def is_soft_never(text: str) -> bool:
    """A response or resolution section: narrative, but its follow-ups count (is_follow_up)."""
    return normalise(text).rstrip(":：") in _SOFT_NEVER


_FOLLOW_UP = lazy_regex(r"\b(?:prevent|in the future|going forward|from now on|next time|will|to avoid)\b|"
                        r"再発防止|今後|次回|防止", re.I)


def is_follow_up(text: str) -> bool:
    """Words that make an item of a response section a follow-up, not a response step."""
    return bool(_FOLLOW_UP.search(text))


def says_done(label: str) -> bool:
    """A sub-heading such as "暫定対応（実施済み）" or "Completed": its actions are done.

    Only a bracketed note, a one-word label or a known done heading counts: "Resolved
    alerts to add" is not done.
    """
    text = label.strip().strip("*_").strip()
    bracket = _DONE_LABEL.search(text)
    if bracket and is_done_status(bracket.group("label")):
        return True
    if normalise(text) in _DONE_HEADINGS:
        return True
    return not any(c.isspace() for c in text) and is_done_status(text)


def defaults_from_label(text: str) -> Role | None:
    """A heading or parent bullet that names a phase or category ("Detection:", "開発時")."""
    label = text.strip().strip("*_").strip().rstrip(":：").strip()
    label = _LABEL_TAIL.sub("", label).strip()
    if not label or len(label) > 40:
        return None
    phase, category = parse_phase(label), parse_category(label)
    if phase is None and category is None:
        return None
    return Role(phase=phase, category=category)
