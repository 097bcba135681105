"""Detectors for the wording rules: vague actions and the three anti-patterns (EN and JA).

Each detector returns the offending phrase as written, a short reason and a suggestion
that names the mechanism a concrete version would have. Precision matters more than
recall: a linter that cries wolf is switched off. So every rule is a phrase pattern plus
vetoes: an attitude anchored to a mechanism ("double-check ... via a checklist step") is
concrete; an investigation with a stated outcome is concrete; a freeze that only applies
"when the check fails" is a gate; a rewrite "starting with a design doc" is bounded.

Patterns are compiled once at import into one regex per detector and language; the
Japanese one runs only on non-ASCII text, so a typical action costs one or two scans.
"""

from __future__ import annotations

import re
import sys
from typing import NamedTuple

from actiontrack import commitment
from actiontrack.lazyre import lazy_regex
from actiontrack.taxonomy import fold_width
from actiontrack.trie import trie_pattern

__all__ = [
    "Lexed", "WordingMatch", "antipatterns_of", "find_error_hiding", "find_oversized", "find_punitive",
    "find_vague", "lex", "vague_of",
]


class WordingMatch(NamedTuple):
    """One offending phrase, why it is a problem, and what a concrete version would name."""

    phrase: str  # the offending words as they appear in the text
    reason: str  # short and specific: what is wrong with this phrase
    suggestion: str  # what a concrete version would name, tailored to the phrase


class _Rule:
    """A family of phrases with one reason and one suggestion per language.

    ``keys`` gate the regex so that it runs only on the few actions that could match:
    each entry is a space-separated set of words, and the text must contain a word of
    every set; ``keys_ja`` likewise for Japanese (any one of them). A plain class rather
    than a dataclass: creating a dataclass costs about a millisecond of import time.
    """

    __slots__ = ("clause", "en", "fix_en", "fix_ja", "ja", "keys", "keys_ja", "name", "reason",
                 "require", "veto", "veto_after")

    def __init__(
        self,
        name: str,
        *,
        en: tuple[str, ...],
        ja: tuple[str, ...],
        reason: str,
        fix_en: str,  # may use {obj}: the words after the phrase, quoted, or "it"
        fix_ja: str,
        keys: tuple[str, ...] = (),
        keys_ja: str = "",
        veto: str = "",  # anywhere in the text: the phrase is not a problem here
        veto_after: str = "",  # in the rest of the clause after the phrase
        require: str = "",  # must occur somewhere in the text for the phrase to count
        clause: bool = False,  # report to the clause end (and, in Japanese, its start)
    ) -> None:
        self.name, self.en, self.ja, self.reason = name, en, ja, reason
        self.fix_en, self.fix_ja, self.keys, self.keys_ja = fix_en, fix_ja, keys, keys_ja
        self.veto, self.veto_after, self.require, self.clause = veto, veto_after, require, clause


# Patterns are written in lower case and run on lower-cased text: re.IGNORECASE makes a
# scan about four times slower. re.ASCII makes \b a boundary between an ASCII word
# character and anything else, so English words are found inside Japanese sentences.
_FLAGS = re.ASCII
_WORD = lazy_regex(r"[a-z0-9]+", re.ASCII)
# Every byte that is not [a-z0-9] as a space: split() then gives _WORD's words of ASCII text.
_NON_WORD = bytes(c if 0x61 <= c <= 0x7A or 0x30 <= c <= 0x39 else 0x20 for c in range(256))


def _lazy(source: str) -> re.Pattern[str]:
    """A rule's regex, written in lower case, compiled on first use: all rules together
    take ~30 ms to compile, and most runs only ever need the few whose key words occur."""
    return lazy_regex(source.lower(), _FLAGS)


class _Anchor:
    """The mechanism anchors as two regexes: ASCII text cannot hold a Japanese form, and a
    scan of English text without their forty alternatives at every position costs half."""

    __slots__ = ("_any", "_ascii")

    def __init__(self, en: str, ja: str) -> None:
        self._ascii = _lazy(en)
        self._any = _lazy(en + "|" + ja)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return (self._ascii if string.isascii() else self._any).search(string, pos, endpos)


def _compile(pattern: str) -> re.Pattern[str] | None:
    return _lazy(pattern) if pattern else None


class _Compiled:
    """A rule with its key-word sets and (lazily compiled) regexes."""

    __slots__ = (
        "anchor", "en", "ja", "key1", "key2", "keys_ja", "require", "rule", "veto", "veto_after",
    )

    def __init__(self, rule: _Rule, anchors: _Anchor | None) -> None:
        self.rule = rule
        self.en = _compile(r"\b(?:" + "|".join(rule.en) + r")\b" if rule.en else "")
        self.ja = _compile("|".join(rule.ja))
        keys = [frozenset(key.lower().split()) for key in rule.keys]
        assert len(keys) <= 2 and (keys or not rule.en), "an English rule needs one or two key sets"
        self.key1: frozenset[str] = keys[0] if keys else frozenset()
        self.key2: frozenset[str] | None = keys[1] if len(keys) > 1 else None
        self.keys_ja = frozenset(rule.keys_ja.lower().split())
        self.veto = _compile(rule.veto)
        self.anchor = anchors
        self.veto_after = _compile(rule.veto_after)
        self.require = _compile(rule.require)


class Lexed:
    """One reading of a text, shared by the four detectors and the tag suggestions.

    The lint engine asks every detector and the tagger about one title in turn; each
    used to fold, lower-case and split it again. A plain class with slots: one is built
    per distinct text (the last one is kept, never more)."""

    __slots__ = ("_sentence", "head", "japanese", "keys_ja", "low", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        folded = fold_width(text)  # "ＣＩ", "ｱﾗｰﾄ" read as "CI", "アラート"; positions unchanged
        low = folded.lower()
        if len(low) != len(text):  # a few characters lower-case to two; keep positions aligned
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)
        self.low = low
        if low.isascii():  # a byte translation and a split: a third of the regex's cost
            self.words: frozenset[str] = frozenset(low.encode().translate(_NON_WORD).decode().split())
        else:
            self.words = frozenset(_WORD.findall(low))
        self.keys_ja: frozenset[str] = (
            frozenset(_JA_KEYS.findall(low)) if not low.isascii() else frozenset())
        self.japanese = commitment.is_japanese(text)
        self.head = commitment.first_sentence(text)  # the head sentence's span
        self._sentence: Lexed | None = None

    def sentence(self) -> Lexed:
        """The head sentence's reading (itself when the text is one sentence)."""
        if self._sentence is None:
            start, end = self.head
            self._sentence = self if (start, end) == (0, len(self.text)) else Lexed(self.text[start:end])
        return self._sentence


_last: Lexed | None = None
_JA_KEYS = _lazy("(?!)")  # set once every rule is known, below


def lex(text: str) -> Lexed:
    """The shared reading of ``text``: only the last text's is kept (a one-entry cache)."""
    global _last
    last = _last
    if last is not None and last.text == text:
        return last
    _last = last = Lexed(text)
    return last


class _Detector:
    """A detector's rules; a rule's regex runs only when its key words are present."""

    __slots__ = ("_any_ja", "_first", "_rules")

    def __init__(self, rules: tuple[_Rule, ...], anchors: _Anchor | None = None) -> None:
        self._rules = tuple(_Compiled(rule, anchors) for rule in rules)
        self._first = frozenset().union(*(c.key1 for c in self._rules))
        self._any_ja = frozenset().union(*(c.keys_ja for c in self._rules))

    def keys_ja(self) -> frozenset[str]:
        return self._any_ja

    def first(self) -> frozenset[str]:
        return self._first

    def find(self, text: str) -> WordingMatch | None:
        """The earliest accepted phrase of any rule, or None."""
        found = self.find_at(lex(text))
        return found[1] if found else None

    def find_at(self, lexed: Lexed) -> tuple[int, WordingMatch] | None:
        """The earliest accepted phrase of any rule, with its position."""
        words, keys_ja = lexed.words, lexed.keys_ja
        if self._first.isdisjoint(words) and (not keys_ja or self._any_ja.isdisjoint(keys_ja)):
            return None
        text, low = lexed.text, lexed.low
        best: tuple[int, WordingMatch] | None = None
        for rule in self._rules:
            en, key2 = rule.en, rule.key2
            if en is not None and not rule.key1.isdisjoint(words) and (key2 is None or not key2.isdisjoint(words)):
                best = _earliest(best, _search(rule, en, text, low))
            if keys_ja and rule.ja is not None and not rule.keys_ja.isdisjoint(keys_ja):
                best = _earliest(best, _search(rule, rule.ja, text, low))
        return best


def _earliest(
    best: tuple[int, WordingMatch] | None, found: tuple[int, WordingMatch] | None
) -> tuple[int, WordingMatch] | None:
    if found is None:
        return best
    return found if best is None or found[0] < best[0] else best


def _search(
    rule: _Compiled, pattern: re.Pattern[str], text: str, low: str
) -> tuple[int, WordingMatch] | None:
    """The first match of ``pattern`` that no veto rejects, with its position."""
    pos = 0
    while (match := pattern.search(low, pos)) is not None:
        start, end = match.span()
        if _accepted(rule, low, start, end):
            return start, _report(rule.rule, text, start, end)
        pos = max(end, start + 1)
    return None


def _accepted(rule: _Compiled, low: str, start: int, end: int) -> bool:
    if rule.veto is not None and rule.veto.search(low):
        return False
    anchor = rule.anchor  # a mechanism named outside the phrase ("alerting" is not one)
    if anchor is not None and (anchor.search(low, 0, start) or anchor.search(low, end)):
        return False
    after = rule.veto_after
    if after is not None and after.search(low, end, _clause_end(low, end)):
        return False
    return rule.require is None or rule.require.search(low) is not None


_CLAUSE_BREAK = lazy_regex(r"[.,;:!?()\[\]、。；：！？（）「」\n]|\s[-—–]\s|\s(?:and|but|then)\s")


def _clause_end(text: str, pos: int) -> int:
    found = _CLAUSE_BREAK.search(text, pos)
    return found.start() if found else len(text)


def _clause_start(text: str, pos: int) -> int:
    start = 0
    for found in _CLAUSE_BREAK.finditer(text, 0, pos):
        start = found.end()
    return start


def _report(rule: _Rule, text: str, start: int, end: int) -> WordingMatch:
    japanese = not text[start:end].isascii()
    if rule.clause:
        if japanese:
            start = _clause_start(text, start)
        end = max(end, _clause_end(text, end))
    phrase = text[start:end].strip()
    if japanese:
        return WordingMatch(phrase, rule.reason, rule.fix_ja)
    return WordingMatch(phrase, rule.reason, rule.fix_en.format(obj=_object(text, end)))


def _object(text: str, end: int) -> str:
    """The words after the phrase, up to the clause end (at most eight), quoted; or "it"."""
    words = text[end:_clause_end(text, end)].split()[:8]
    return f"'{' '.join(words)}'" if words else "it"


# --- vague-action --------------------------------------------------------------------

# A mechanism a third person can verify: when one is named outside the vague phrase,
# the attitude words are only emphasis ("double-check X via a checklist step").
_MECHANISM_EN = (
    r"\b(?:check-?lists?|templates?|run-?books?|playbooks?|scripts?|automat\w*|auto-\w+|"
    r"ci|cd|(?:deploy|deployment|release|ci|build) pipelines?|pre-?commit|hooks?|lint\w*|"
    r"static analysis|codeowners|"
    r"(?:unit|integration|regression|e2e|end-to-end|smoke|load|contract|synthetic|"
    r"property|automated|ci) tests?|tests? (?:that|which|to catch|for)|"
    r"checks? (?:that|which)|fails? (?:when|if|the build|the deploy)|"
    r"blocks? (?:the )?(?:merge|deploy|release)|alerts? (?:on|when|if|at|for)|alarms?|"
    r"thresholds?|pagerduty|opsgenie|slack|dashboards?|wiki|onboarding|"
    r"(?:design|onboarding|runbook) docs?|document(?:ed|s)?|write (?:down|up)|write-?up|"
    r"adr|rfc|exceed\w*|p9\d|"
    r"(?:above|below|over|under|within|at most|at least) \d|"
    r"\d+(?:\.\d+)?\s?(?:%|ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|x|"
    r"mb|gb|rps|qps))\b|"
    r"[<>≥≤]=?\s*\d|#[a-z][\w-]+"
)
_MECHANISM_JA = (
    r"手順書|チェックリスト|チェック項目|確認項目|テンプレート|自動|スクリプト|パイプライン|"
    r"テストを追加|テストケース|テストコード|単体テスト|結合テスト|静的解析|閾値|しきい値|"
    r"アラートを(?:設定|追加|出)|ダッシュボード|オンボーディング|資料に|ドキュメント|明文化|"
    r"まとめ|仕組み|項目(?:を|に)追加|チケット|起票|(?<![0-9０-９])[0-9０-９]+\s?(?:%|％|秒|分|時間|件|回|ms)"
)
_ANCHOR = _Anchor(_MECHANISM_EN, _MECHANISM_JA)
# An investigation is concrete when it states what it produces or which question it answers.
_OUTCOME = (
    r"\b(?:whether|why|how|what|which|if|causes?|caused|root cause|report|findings|results|"
    r"conclusions?|decide|decision|recommend\w*|propos\w*|fix|fixes|summar\w*|by \d)\b|"
    r"原因|特定|かどうか|なぜ|結果|報告|判断|決定|結論|方針|までに|提案|修正|可否"
)

_INVESTIGATE_FIX = (
    "state what it produces: the question it answers (whether ..., why ...), a written "
    "finding or decision, or follow-up tickets, by a date"
)
_CARE_ADV = r"(?:carefully|thoroughly|closely|cautiously|diligently|rigorously|attentively)"
_CHECK_VERB = r"(?:check|review|test|verify|inspect|read|examine|validate|confirm|look)"
_IMPROVE_HEAD = (
    r"(?:improve|improves|improved|improving|enhance|enhancing|strengthen|strengthening|"
    r"increase|expand|tighten|step up|beef up|bolster|boost|revisit|rethink|better|"
    r"invest in|add more|more|additional|further|"
    r"(?:ensure|have|put in place|set up) (?:proper|adequate|sufficient|appropriate|enough|good))"
)
_IMPROVE = _IMPROVE_HEAD + r" (?:the |our |existing |current |overall |general |internal )?(?:[\w-]+ )?"


def _words_of(pattern: str) -> str:
    """The literal words of a pattern ("procedures?" gives both spellings), as a key set.

    Gates derived from the pattern they gate cannot drift from it: a hand-kept copy per
    rule once lacked "adequate", and "Ensure adequate testing" slipped through."""
    words: list[str] = []
    for found in re.finditer(r"(?<!\\)([a-z]+)(\?)?", pattern):
        words += [found[1], found[1][:-1]] if found[2] else [found[1]]
    return " ".join(dict.fromkeys(w for w in words if w))


_IMPROVE_KEYS = _words_of(_IMPROVE_HEAD)
_JA_IMPROVE = r"(?:体制|周り|フロー)?(?:を|の)?(?:強化|改善|見直し|見直す|充実|拡充|整備)"

_ATTITUDE = _Rule(
    "attitude",
    en=(
        r"be (?:\w+ ){0,2}?(?:careful|cautious|vigilant|mindful|diligent|attentive)",
        r"(?:more|extra|greater|special|great|due|closer) "
        r"(?:care|caution|scrutiny|diligence|vigilance)",
        r"take (?:more |extra |great |greater |special )?care(?! of\b)",
        _CHECK_VERB + r"(?:s|ed|ing)?(?: [\w./-]+){0,5}? (?:more )?" + _CARE_ADV,
        _CARE_ADV + " " + _CHECK_VERB + r"\w*",
        r"(?:more )?(?:careful|thorough|rigorous|closer|detailed|in-depth) "
        r"(?:review|reviews|reviewing|checks?|checking|testing|inspection|scrutiny)",
        r"(?:pay(?:s|ing)?|paid) (?:more |closer |close |extra |special |careful |particular |"
        r"greater |full )?attention",
    ),
    ja=(
        r"細心の注意(?:を払(?:って|い|う|います)?)?",
        r"注意を払(?:って|い|う|います)?",
        r"注意(?:する|して|します|深く)",
        r"気を(?:つけ|付け|配)(?:る|て|ます|り)?",
        r"心が(?:け|ける|けて|けます)|心掛け(?:る|て|ます)?",
        r"慎重に|留意(?:する|して|します)|念入りに|入念に|目を光らせ|見落とさない",
        r"しっかり(?:と)?(?:確認|チェック|レビュー|テスト|見る|見て)",
        r"(?:十分|充分|じゅうぶん)(?:に|な)?(?:確認|チェック|注意|検証|レビュー|テスト)",
        r"(?:厳重|厳格|厳密)に(?:確認|チェック|管理|レビュー)",
        r"(?:ミス|間違い|見落とし|確認漏れ)(?:を|が)?(?:しないように|しない|なくす|無くす|起こさない|"
        r"ないように)",
        r"(?:確認|チェック|レビュー|テスト|管理|注意|遵守|教育|ルール)(?:の|を)?徹底"
        r"(?:する|して|します|させる|を図る)?",
        r"徹底(?:する|して|します|させる|的に)",
    ),
    keys=(
        "careful carefully cautious cautiously vigilant vigilance mindful diligent diligently "
        "diligence attentive attentively care caution scrutiny thorough thoroughly closely "
        "rigorous rigorously detailed depth closer attention",
    ),
    keys_ja=(
        "細心 注意 気を 心が 心掛 慎重 留意 念入 入念 目を光 見落と しっかり 十分 充分 じゅうぶん"
        " 厳重 厳格 厳密 ミス 間違い 確認漏れ 徹底"
    ),
    reason="names an attitude, not a mechanism",
    fix_en=(
        "name the mechanism that does the checking of {obj}: a step in the review or release "
        "checklist that says exactly what to check, or better an automated check (CI test, "
        "lint rule) that fails when it is wrong"
    ),
    fix_ja=(
        "姿勢ではなく仕組みにする: 何を確認するかをチェックリストやリリース手順書の項目として書く"
        "か、"
        "誤りがあれば失敗する自動チェック (CIテスト、lint) にする"
    ),
)
_DOUBLE = _Rule(
    "double_check",
    en=(r"(?:double|triple)[ -]?check(?:s|ed|ing)?",),
    ja=(
        r"再確認(?:する|して|します|を行う)?",
        r"(?:ダブル|二重|2重)チェック(?:を徹底する|を徹底|を行う|する|して)?",
        r"(?:再度|改めて)確認(?:する|して|します)?",
    ),
    keys=(
        "double triple doublecheck doublechecks doublechecked doublechecking triplecheck",
    ),
    keys_ja="再確認 ダブルチェック 二重 2重 再度 改めて",
    reason="is a second manual look, which misses what the first one missed",
    fix_en=(
        "make the check of {obj} a written item in the release checklist or template, or "
        "better an automated check that fails the build or deploy when it is wrong"
    ),
    fix_ja=(
        "確認内容をリリース手順書やチェックリストの項目として書くか、誤りがあれば失敗する"
        "自動チェック (CIやデプロイ前チェック) にする"
    ),
)
_AWARENESS = _Rule(
    "awareness",
    en=(
        r"remind(?:s|ing)? (?:the |all |every |our )?(?:team|teams|engineers|developers|devs|"
        r"everyone|people|members|staff|on-?call|operators|reviewers|authors)",
        r"(?:send|post|sending|posting) (?:out )?(?:a )?reminders?",
        r"(?:raise|raising|increase|improve|build|spread) (?:the |team )?awareness",
        r"be (?:more )?(?:aware|conscious)",
        r"(?:stay|become|make (?:everyone|the team|people|engineers|developers)) aware",
        r"(?:keep|bear|keeping|bearing) (?:this |that |it )?in mind",
        r"(?:share|communicate|circulate|socialize|socialise) (?:this |these |the |our )?"
        r"(?:incident|postmortem|learnings?|lessons?(?: learned)?) (?:with|to|across) "
        r"(?:the |all |every |other )?(?:team|teams|everyone|engineers|developers|org|company)",
        r"(?:educate|train) (?:the |all |our )?(?:team|teams|engineers|developers|everyone|"
        r"staff|members)",
        r"inform (?:the |all |every )?(?:team|teams|engineers|developers|everyone)",
    ),
    ja=(
        r"周知(?:する|して|します|を徹底|徹底|を図る|を行う)?",
        r"注意喚起(?:する|して|を行う)?",
        r"意識(?:付け|づけ|を高め|する|して|します|を持)",
        r"啓蒙|啓発",
        r"教育(?:を)?(?:する|して|行う|実施|徹底)",
    ),
    keys=(
        "remind reminds reminding reminder reminders awareness aware conscious mind incident "
        "postmortem learnings learning lessons lesson educate train inform",
    ),
    keys_ja="周知 注意喚起 意識 啓蒙 啓発 教育",
    reason="relies on people remembering; awareness fades and cannot be checked later",
    fix_en=(
        "put it where the work happens: a checklist item or template field, a step in the "
        "runbook or onboarding doc (say which page), or an automated check so nobody has to "
        "remember"
    ),
    fix_ja=(
        "人の記憶に頼らない形にする: チェックリストやテンプレートの項目、手順書やオンボーディング"
        "資料の該当ページ (どこに書くか)、または自動チェック"
    ),
)
_WATCH = _Rule(
    "watch",
    en=(
        r"keep (?:a close |an |a closer |a )?eye on",
        r"watch (?:out|closely|carefully)",
        r"(?:monitor|watch)(?:ing)? (?:[\w./-]+ ){0,3}?(?:closely|carefully|manually)",
    ),
    ja=(r"注視(?:する|して|します)?", r"様子を見る", r"経過観察", r"目視で(?:監視|確認)"),
    keys=(
        "eye watch closely carefully manually",
    ),
    keys_ja="注視 様子を見 経過観察 目視",
    reason="names people watching, not a signal that fires",
    fix_en=(
        "an alert on {obj} with a threshold and a duration (e.g. fires when it exceeds N for "
        "M minutes), routed to on-call or a team channel"
    ),
    fix_ja=(
        "人が見張るのではなく、閾値と継続時間つきのアラート (例: N を M 分超えたらSlackやオンコー"
        "ルに通知) にする"
    ),
)
# Object families and the hint for each: "Improve alerting" and "Set up better alerting"
# both get the alert hint.
_FAMILIES: list[tuple[re.Pattern[str], str]] = []


def _improve(name: str, nouns: str, nouns_ja: str, reason: str, fix_en: str, fix_ja: str) -> _Rule:
    """"Improve <nouns>": one family of rules whose gate is derived from its own patterns."""
    _FAMILIES.append((_lazy(r"\b" + nouns + r"\b"), fix_en))
    return _Rule(
        name, en=(_IMPROVE + nouns,), ja=(nouns_ja + _JA_IMPROVE,),
        keys=(_IMPROVE_KEYS, _words_of(nouns)), keys_ja="強化 改善 見直 充実 拡充 整備",
        reason=reason, fix_en=fix_en, fix_ja=fix_ja,
    )


_IMPROVE_MONITORING = _improve(
    "improve_monitoring",
    r"(?:monitoring|alerting|alerts|observability|visibility|metrics|dashboards?)",
    r"(?:監視|アラート|モニタリング|可観測性|ダッシュボード)",
    "names an effort to monitor better, not the signal that would have fired",
    "name the alert: which metric, the threshold and duration (e.g. p99 latency > 2 s for "
    "5 minutes) and who it notifies; or the dashboard panel to add",
    "どの指標に、どの閾値と継続時間でアラートを出し、誰に通知するかを書く "
    "(例: p99レイテンシ2秒超が5分続いたらSlackに通知)",
)
_IMPROVE_TESTING = _improve(
    "improve_testing",
    r"(?:testing|tests|test coverage|coverage|qa|quality assurance|verification)",
    r"(?:テスト|試験|検証|QA)",
    "names more testing, not the test that would have caught this",
    "name the test: the case to add (e.g. a CI test that fails when the bad input or config "
    "appears), or the item to add to the QA checklist",
    "追加するテストを書く: 例「○○のときに失敗するCIテストを追加」、またはQAチェックリストに加"
    "える項目",
)
_IMPROVE_REVIEW = _improve(
    "improve_review",
    r"(?:code reviews?|reviews?|review process|reviewing|checks)",
    r"(?:コードレビュー|レビュー|チェック|確認)",
    "names more reviewing, not what the review must catch",
    "name the rule: a review-checklist item or pull-request template checkbox for this kind "
    "of change, or a CI or lint check that enforces it",
    "レビューで何を見るかをレビューチェックリストやPRテンプレートの項目にするか、CIやlintのチ"
    "ェックで強制する",
)
_IMPROVE_LOGGING = _improve(
    "improve_logging",
    r"(?:logging|logs|log messages|error messages)",
    r"(?:ログ|ロギング)(?:出力)?",
    "names more logging, not what must be logged or who reads it",
    "name the event to log, its level and fields, and the alert or query that uses it",
    "どのイベントを、どのレベルと項目でログに出し、どのアラートやクエリで使うかを書く",
)
_IMPROVE_PROCESS = _improve(
    "improve_process",
    r"(?:documentation|docs|process|processes|procedures?|communication|collaboration|quality|"
    r"operations|coordination|validation|error handling|resilience|reliability|robustness|"
    r"stability)",
    r"(?:運用|体制|フロー|プロセス|手順|ルール|管理|品質|連携|コミュニケーション|エラーハンドリング)",
    "names an improvement, not a deliverable",
    "name the deliverable: the document or runbook section to write (and where it lives), "
    "the checklist item, or the automated check",
    "成果物を書く: 作成する手順書やドキュメントの節 (置き場所も)、チェックリストの項目、また"
    "は自動チェック",
)
_INVESTIGATE = _Rule(  # Japanese only: English investigations are judged by actiontrack.commitment
    "investigate",
    en=(),
    ja=(r"(?:調査|検討)(?:する|します|して|を行う|を実施する|を進める|していく|を開始する)?",),
    keys_ja="調査 検討",
    reason="is an investigation with no stated outcome, so nobody can tell when it is done",
    fix_en=_INVESTIGATE_FIX,
    fix_ja=(
        "成果物を書く: 答える問い (〜かどうか、なぜ〜か)、結果のまとめや判断、起票するチケットと"
        "期限"
    ),
    veto=_OUTCOME,
    clause=True,
)
_EFFORT = _Rule(
    "effort",
    en=(
        r"try(?:ing)? (?:to|our best|harder|hard)",
        r"strive(?:s)? (?:to|for)",
        r"(?:do|doing|try) (?:our|their|your|my|the) best",
        r"make (?:an? |every |more )?efforts?",
        r"endeavou?r(?:s)? to",
        r"work harder",
        r"(?:avoid|prevent) (?:making )?(?:the same|similar|such|this kind of) (?:mistakes?|errors?)",
        r"(?:do not|don't|never|not) (?:repeat|make) (?:the same|this|such|similar) "
        r"(?:mistakes?|errors?)",
        r"(?:be|become) more (?:proactive|responsible|disciplined)",
    ),
    ja=(
        r"努め(?:る|ます)",
        r"努力(?:する|します)",
        r"最善を尽く",
        r"同じ(?:ミス|過ち|失敗|間違い)を(?:繰り返さない|しない|起こさない)",
        r"気を引き締め",
    ),
    keys=(
        "try trying strive strives best effort efforts endeavor endeavors endeavour endeavours "
        "harder mistake mistakes proactive responsible disciplined",
    ),
    keys_ja="努め 努力 最善 同じ 引き締",
    reason="names an effort, not an outcome",
    fix_en=(
        "name the result a third person could check: the test, check or alert that now "
        "exists, or the change that makes the mistake impossible"
    ),
    fix_ja=(
        "第三者が完了を確認できる結果を書く: 追加したテストやチェック、アラート、またはミスを不可"
        "能にする変更"
    ),
)
_COMMUNICATE = _Rule(
    "communicate",
    en=(
        r"(?:communicate|collaborate|coordinate|cooperate|align)s? (?:better|more (?:closely|often|"
        r"clearly|effectively|frequently))",
    ),
    ja=(r"(?:連携|コミュニケーション|情報共有)を(?:より|さらに|今まで以上に)?密に",),
    keys=(
        "communicate communicates collaborate collaborates coordinate coordinates cooperate "
        "cooperates align aligns",
    ),
    keys_ja="密に",
    reason="names a wish to communicate better, not who tells whom what, when and where",
    fix_en=(
        "name the channel and the trigger: e.g. a step in the runbook or release checklist that "
        "posts to a named channel, or a shared on-call rotation or meeting with an owner"
    ),
    fix_ja=(
        "誰が誰に何をいつどこで伝えるかを書く: 例「リリース手順書に○○チャンネルへの告知を追加」、"
        "または担当者つきの定例や共有チャンネル"
    ),
)
_MAKE_SURE = _Rule(
    "make_sure",
    en=(
        r"make sure(?: (?:to|that))?",
        r"be sure to",
        r"ensure (?:that )?(?:we|everyone|the team|all engineers|engineers|developers|people|"
        r"each engineer|reviewers|operators|on-?call)",
    ),
    ja=(
        r"必ず(?:確認|チェック|レビュー|テスト)(?:する|して|を行う)?",
        r"(?:確実|漏れなく)に?(?:確認|チェック)(?:する|して)?",
    ),
    keys=(
        "sure ensure",
    ),
    keys_ja="必ず 確実 漏れなく",
    reason="states a wish, not the mechanism that guarantees it",
    fix_en=(
        "name what guarantees {obj}: an automated check that fails when it is not so, or a "
        "step in the release or review checklist"
    ),
    fix_ja=(
        "何がそれを保証するかを書く: 満たさないときに失敗する自動チェック、またはリリースやレビュ"
        "ーのチェックリストの項目"
    ),
)
_FOLLOW = _Rule(
    "follow_rules",
    en=(
        r"(?:strictly|properly|always|carefully|thoroughly) "
        r"(?:follow|adhere to|comply with|stick to)",
        r"(?:follow|adhere to|comply with|stick to) (?:the |our )?(?:existing |current )?"
        r"(?:rules?|procedures?|process|processes|guidelines?|policy|policies)"
        r"(?: \w+)? (?:strictly|properly|carefully|thoroughly|at all times)",
    ),
    ja=(r"(?:ルール|規約|プロセス|マニュアル|手順)(?:を|の)?(?:遵守|順守|厳守)(?:する|して)?",),
    keys=(
        "follow adhere comply stick",
    ),
    keys_ja="遵守 順守 厳守",
    reason="asks people to comply, not a mechanism that enforces it",
    fix_en=(
        "enforce the rule mechanically: a CI or deploy-pipeline check that fails when it is "
        "broken, or a checklist step with a named owner"
    ),
    fix_ja=(
        "ルールを仕組みで強制する: 違反時に失敗するCIやデプロイパイプラインのチェック、または担当"
        "者つきのチェックリスト項目"
    ),
)

_VAGUE = _Detector(
    (_ATTITUDE, _DOUBLE, _WATCH, _AWARENESS, _IMPROVE_MONITORING, _IMPROVE_TESTING,
     _IMPROVE_REVIEW, _IMPROVE_LOGGING, _IMPROVE_PROCESS, _INVESTIGATE, _EFFORT, _COMMUNICATE,
     _MAKE_SURE, _FOLLOW),
    anchors=_ANCHOR,
)


def find_vague(text: str) -> WordingMatch | None:
    """An action a third person could not verify as done (vague-action).

    Two views, one verdict: the phrase rules above find attitudes and efforts anywhere in
    the text; actiontrack.commitment reads the head commitment (its predicate, object and
    completion condition). A phrase inside the purpose clause of a concrete change ("Add
    latency metrics to the gateway to improve visibility") is not the commitment."""
    return vague_of(lex(text))


def vague_of(lexed: Lexed) -> WordingMatch | None:
    """find_vague on a text already read (judge and the lint rules share one reading)."""
    text = lexed.text
    sentence = lexed.sentence()
    found: tuple[int, WordingMatch] | None = None
    if sentence is lexed and text.isascii():
        found = _VAGUE.find_at(lexed)
        if found is not None and found[0] == 0:
            return found[1]  # "Be more careful …": nothing before it can be the commitment
    head = head_commitment(text)
    if head is not None and (head.by_details or (head.concrete and lexed.japanese)):
        return None  # the details name the change: "Improve alerting" + "Alert when depth > 1000"
    start = lexed.head[0]
    if sentence is not lexed or not text.isascii():
        found = _VAGUE.find_at(sentence)
    if found is not None and found[0] > 0 and _PURPOSE_BEFORE.search(text, max(0, start + found[0] - 12),
                                                                       start + found[0]):
        found = None  # "Cgroups restrictions for better process control": the purpose, not the action
    if found is not None:
        if head is None or not head.concrete or head.kind != commitment.CHANGE or found[0] + start < head.end:
            return found[1]
        return None
    if head is None or head.concrete:
        return None
    return _structural(text, head)


_PURPOSE_BEFORE = lazy_regex(r"\b(?:for|to|so that|in order to|which will|that will)\s$|ため、?$|ように、?$",
                             re.IGNORECASE)


def names_change(details: str) -> bool:
    """Whether an action's details name a concrete change or a mechanism of their own."""
    head = head_commitment(details)
    if head is not None and head.concrete and head.kind in (commitment.CHANGE, commitment.INVESTIGATE):
        return True
    return _ANCHOR.search(details.lower()) is not None


def head_commitment(text: str) -> commitment.Commitment | None:
    """The action's head commitment, as the vague-action rule reads it (cached per text)."""
    return commitment.analyse(text, _ANCHOR)

_KIND_REASON = {
    commitment.IMPROVE: "names an improvement, not the change that makes it",
    commitment.CHANGE: "names no specific change: which one, to what?",
    commitment.INVESTIGATE: "is an investigation with no stated outcome, so nobody can tell when it is done",
    commitment.EFFORT: "names an effort or attitude, not a mechanism",
    commitment.PERSON: "relies on people remembering; it cannot be checked later",
    commitment.ONGOING: "is an ongoing activity with no completion condition",
}
_KIND_FIX = {
    commitment.IMPROVE: "name the change that improves {obj}: the component, what changes in it, "
                        "and how to see it is done (a threshold, a test, a config value)",
    commitment.CHANGE: "name what exactly is added or changed in {obj}: the artifact, its owner "
                       "and where it lives, or the value it is set to",
    commitment.INVESTIGATE: _INVESTIGATE_FIX,
    commitment.EFFORT: "name the result a third person could check: the test, check or alert that "
                       "now exists, or the change that makes the mistake impossible",
    commitment.PERSON: "put it where the work happens: a checklist item or template field, a step "
                       "in the runbook (say which page), or an automated check so nobody has to remember",
    commitment.ONGOING: "give it an end: what is done when it stops (a date, a count, a closed "
                        "ticket), or turn it into a scheduled job or recurring calendar item with an owner",
}


_KIND_FIX_JA = {
    commitment.IMPROVE: "何をどう変えれば「{obj}」が良くなったと言えるかを書く: 対象の仕組み、変更内容、"
                        "完了を確かめる基準 (閾値、テスト、設定値)",
    commitment.CHANGE: "「{obj}」の何を追加・変更するのかを書く: 成果物、置き場所、設定値",
    commitment.INVESTIGATE: "成果物を書く: 答える問い (〜かどうか、なぜ〜か)、結果のまとめや判断、"
                            "起票するチケットと期限",
    commitment.EFFORT: "第三者が完了を確認できる結果を書く: 追加したテストやチェック、アラート、"
                       "またはミスを不可能にする変更",
    commitment.PERSON: "人の記憶に頼らない形にする: 手順書やチェックリストの項目 (どこに書くか)、"
                       "または自動チェック",
    commitment.ONGOING: "終わりを決める: 何をもって完了とするか (期限、件数、チケット)、"
                        "または担当者つきの定期作業にする",
}
_TRAINING_REASON = "names a training with no audience, material or date"
_TRAINING_FIX_JA = "対象者 (誰が)、教材や手順書 (何を)、実施日や頻度 (いつ) を書き、受講記録で完了を確かめる"
_TRAINING_FIX_EN = ("name who is trained, on which material (the runbook or doc page), and when; "
                    "a record of attendance shows it done")


def _structural(text: str, head: commitment.Commitment) -> WordingMatch:
    """The head commitment as a finding, with a hint tied to its object."""
    phrase = text[head.start : head.end].strip()
    if head.verb.lower().startswith(("研修", "教育", "訓練", "train", "educat", "teach")):
        fix = _TRAINING_FIX_EN if phrase.isascii() else _TRAINING_FIX_JA
        return WordingMatch(phrase, _TRAINING_REASON, fix)
    if not phrase.isascii():
        kind = commitment.EFFORT if head.kind == commitment.CHANGE and commitment.ja_care(phrase) else head.kind
        obj = head.obj if head.why == "names no measure" else commitment.ja_object(head.obj)  # a bare 対策
        fix = _KIND_FIX_JA[kind].format(obj=obj or phrase)
        return WordingMatch(phrase, _KIND_REASON[kind], fix)
    obj = f"'{head.obj}'" if head.obj else "it"
    for family, fix in _FAMILIES:
        if family.search(phrase.lower()):
            return WordingMatch(phrase, _KIND_REASON[head.kind], fix)
    return WordingMatch(phrase, _KIND_REASON[head.kind], _KIND_FIX[head.kind].format(obj=obj))


_LEARNED_REASON = "reads like actions that reviewers of real postmortems could not verify as done"
_LEARNED_FIX = ("name the change a third person could check: the component, what changes in it, "
                "and how to see it is done (a threshold, a test, a config value)")


def learned(text: str, words: tuple[str, ...]) -> WordingMatch:
    """A finding for the learned model's verdict: the title's first sentence, the words
    that decided it, and the hint the head commitment's kind gives (the generic one when
    the title has none)."""
    start, end = lex(text).head
    phrase = text[start:end].strip() or text
    reason = _LEARNED_REASON + " (learned model" + (f", from {', '.join(map(repr, words))})" if words else ")")
    head = head_commitment(text)
    if head is None or head.by_details:
        return WordingMatch(phrase, reason, _LEARNED_FIX)
    obj = f"'{head.obj}'" if head.obj else "it"
    return WordingMatch(phrase, reason, _KIND_FIX[head.kind].format(obj=obj))


# --- anti-pattern: hiding the symptom --------------------------------------------------

_ALERTY = (
    r"(?:alerts?|alarms?|alerting|pages|paging|pagerduty|notifications?|warnings?)"
)
_ERRORY = r"(?:errors?|exceptions?|failures?|5xx|5\d\d ?s?|timeouts?|failed requests?)"
_FEW = r"(?:[\w./-]+ ){0,3}?"

_SILENCE = _Rule(
    "silence",
    en=(
        r"(?:silence|silencing|silenced|mute|muting|muted|disable|disabling|disabled|suppress|"
        r"suppressing|suppressed|turn off|turning off|switch off|snooze|snoozing|ignore|"
        r"ignoring|stop|stopping|remove|removing|delete|deleting)s? (?:the |these |those |"
        r"this |that |all |any |noisy |flaky |annoying |false )*" + _FEW + _ALERTY,
    ),
    ja=(
        r"(?:アラート|アラーム|警告|ページング|監視|通知)(?:の)?(?:通知)?(?:を|が|は)?"
        r"(?:止め|停止|無効化|無効に|オフ|ミュート|抑制|鳴らない|鳴らさない|出ない|出さない|"
        r"飛ばない|飛ばさない|来ない|上がらない|発報しない|発火しない|削除|切る|切っ)",
    ),
    keys=(
        "silence silencing silenced mute muting muted disable disabling disabled suppress "
        "suppressing suppressed turn turning switch snooze snoozing ignore ignoring stop stopping "
        "remove removing delete deleting",
        "alert alerts alarm alarms alerting pages paging pagerduty notification notifications "
        "warning warnings",
    ),
    keys_ja="アラート アラーム 警告 ページング 監視 通知",
    reason="silences the signal while users still see the failure, so detection gets slower",
    fix_en=(
        "keep the alert and make it actionable: fix the cause, route it to the owning team "
        "with a runbook link, or replace it with an SLO burn-rate alert; add a duration "
        "(e.g. for 5 minutes) if it flaps"
    ),
    clause=True,
    fix_ja=(
        "アラートは残して対応可能にする: 原因を直す、担当チームに手順書リンクつきで通知する、"
        "SLOバーンレートのアラートに置き換える。ばたつくなら継続時間 (例: 5分) を条件にする"
    ),
    veto=(
        r"\b(?:replac\w*|instead|in favou?r of|duplicates?|duplicated|dedup\w*|merg\w*|"
        r"consolidat\w*|obsolete|stale|unused|legacy|deprecated|maintenance|planned|"
        r"and add|with an? (?:slo|burn|new))\b|重複|メンテナンス|計画|置き換え|代わりに|新しい"
    ),
)
_SILENCE_SO = _Rule(
    "silence_so",
    en=(
        r"so (?:that )?(?:it|they|the alerts?|the alarms?|pagerduty|the pager|on-?call|"
        r"nobody|no one) (?:does not|doesn't|do not|don't|won't|will not|no longer|stops?|"
        r"never|is not|isn't|are not|aren't) (?:\w+ )?(?:fires?|fired|trigger|triggers|"
        r"triggered|rings?|pages?|paged|go off|goes off|alerts?|alerted|wakes?|woken|"
        r"gets? (?:paged|woken|notified)|notified|notify)",
    ),
    ja=(),
    keys=(
        "so",
        "fire fires fired trigger triggers triggered ring rings page pages paged go goes "
        "alert alerts alerted wake wakes woken notified notify",
    ),
    reason=_SILENCE.reason,
    fix_en=_SILENCE.fix_en,
    fix_ja=_SILENCE.fix_ja,
    veto=_SILENCE.veto,
    clause=True,
)
_SWALLOW = _Rule(
    "swallow",
    en=(
        r"swallow(?:s|ed|ing)? (?:the |all |any |these |those )?(?:[\w./-]+ ){0,2}?" + _ERRORY,
        r"(?:catch|catches|catching) (?:and (?:ignore|discard|drop|suppress)|(?:all |any )?"
        r"(?:errors?|exceptions?) and (?:ignore|continue|carry on|return|move on|discard))"
        r"(?: them| it)?",
        r"(?:ignore|ignoring|ignores|discard|discarding) (?:the |all |any |these |those )?"
        r"(?:[\w./-]+ ){0,2}?" + _ERRORY,
        r"return (?:a |an )?(?:200|ok|success|empty (?:list|response|result)|an empty "
        r"(?:list|response|result)|default value)(?: [\w./-]+){0,3}? (?:on|for|when|instead of|"
        r"if) (?:[\w./-]+ )?" + _ERRORY,
        r"except(?: \w+)?: ?pass",
    ),
    ja=(
        r"(?:エラー|例外|失敗|5xx|500)?(?:を|は)?握り(?:つぶ|潰)(?:して|します|す|し)?",
        r"(?:エラー|例外|失敗|5xx|500|タイムアウト)(?:を|は)(?:無視|スキップ|黙殺|捨て)"
        r"(?:する|して|します)?",
        r"(?:エラー|例外)(?:でも|時も|時は)(?:200|正常|成功)(?:を|で)?(?:返す|扱い|とする)",
    ),
    keys=(
        "swallow swallows swallowed swallowing catch catches catching ignore ignoring ignores "
        "discard discarding return except",
    ),
    keys_ja="握り 無視 スキップ 黙殺 捨て エラーでも 例外でも エラー時 例外時",
    reason="swallows the error; the failure still happens, only later and out of sight",
    fix_en=(
        "handle the error explicitly: retry or fall back, count it in a metric, log it, and "
        "alert when the failure rate exceeds a threshold"
    ),
    fix_ja=(
        "エラーを明示的に扱う: リトライやフォールバックをし、メトリクスで数えてログに残し、失敗率"
        "が閾値を超えたらアラートを出す"
    ),
    veto=(
        r"\b(?:but|and) (?:log|logs|count|counts|alert|record|track|report|emit|surface)\b|"
        r"\b(?:metrics?|counter|dead[- ]letter|dlq|fall ?back|fallback)\b|"
        r"ログ(?:に|を)?(?:出|残|記録)|メトリクス|計測|カウント|リトライ|フォールバック"
    ),
)
_THRESHOLD = _Rule(
    "threshold",
    en=(
        r"(?:raise|raising|raised|increase|increasing|increased|bump|bumping|bumped|relax|"
        r"relaxing|relaxed|loosen|loosening|loosened|lift|lifting|lifted|double|doubling|"
        r"doubled)s? (?:the |our |all |its |their )?(?:[\w./%-]+ ){0,3}?thresholds?",
        r"thresholds? (?:higher|up)",
    ),
    ja=(r"(?:閾値|しきい値|スレッショルド)(?:を)?(?:上げ|引き上げ|緩和|緩め|大きく|高く|広げ)",),
    keys=(
        "threshold thresholds",
    ),
    keys_ja="閾値 しきい値 スレッショルド",
    reason="raises the bar until the alert stops firing, not until users stop failing",
    fix_en=(
        "keep the alert tied to user impact (an SLO or burn-rate alert); if it is noisy, "
        "require a duration (e.g. for 5 minutes) or fix the cause instead of raising the level"
    ),
    fix_ja=(
        "アラートはユーザー影響 (SLOやバーンレート) に結びつける。うるさいなら閾値を上げずに継続"
        "時間の条件を付けるか原因を直す"
    ),
    veto=r"\b(?:autoscal\w*|scal(?:e|ing)|capacity|pool|batch)\b|オートスケール|スケール",
    require=(
        r"\b(?:alert\w*|alarms?|pag(?:e|es|ing|er)|warn\w*|errors?|5xx|monitor\w*|notif\w*|"
        r"fires?|firing|noisy|noise)\b|アラート|監視|通知|警告|エラー|5xx|発報|鳴"
    ),
)
_LOGS = _Rule(
    "hide_logs",
    en=(
        r"(?:suppress|suppressing|silence|mute|disable|disabling|turn off|stop|stopping|hide|"
        r"hiding|remove|removing|drop|dropping|filter out|filtering out|delete|deleting)s? "
        r"(?:the |all |these |those |noisy |any )?(?:[\w./-]+ ){0,2}?(?:error logs?|"
        r"error messages?|stack ?traces?|exception logs?|logs?|logging|log output|log lines?)",
    ),
    ja=(
        r"(?:エラー)?ログ(?:の)?(?:出力)?(?:を|が)?(?:抑制|停止|止め|出さない|出力しない|出ない|"
        r"無効|削除|消す|消し)",
    ),
    keys=(
        "suppress suppressing silence mute disable disabling turn stop stopping hide hiding "
        "remove removing drop dropping filter filtering delete deleting",
        "logs log logging trace traces stacktrace stacktraces messages message lines",
    ),
    keys_ja="ログ",
    reason="removes the evidence, not the error",
    fix_en=(
        "keep the error visible: fix its cause, or aggregate it (a rate metric with an alert) "
        "instead of deleting the log"
    ),
    fix_ja=(
        "エラーは見える状態に保つ: 原因を直すか、ログを消さずに件数メトリクスとアラートに集約する"
    ),
    require=(
        r"\b(?:errors?|exceptions?|stack ?traces?|failures?|failed|5xx|5\d\d|warn\w*|timeouts?)\b|"
        r"エラー|例外|失敗|警告|5xx"
    ),
    veto=(
        r"\b(?:pii|personal|secrets?|passwords?|tokens?|credentials?|sensitive|duplicat\w*|"
        r"dedup\w*|debug|verbose|health ?checks?|access logs?|cost|volume|sampl\w*)\b|"
        r"個人情報|パスワード|トークン|機密|デバッグ|重複|ヘルスチェック|コスト|容量"
    ),
)
_DOWNGRADE = _Rule(
    "downgrade",
    en=(
        r"(?:lower|lowering|lowered|reduce|reducing|downgrade|downgrading|downgraded|demote|"
        r"demoting)s? (?:the )?(?:[\w./-]+ ){0,2}?(?:log level|log severity|alert severity|"
        r"severity) (?:of|for) (?:[\w./-]+ ){0,2}?" + _ERRORY,
        r"(?:downgrade|downgrading|demote|demoting|log) (?:the |these |all )?(?:[\w./-]+ ){0,2}?"
        r"(?:errors?|exceptions?|failures?) (?:to|as|at) (?:debug|info|trace|warn|warning)s?"
        r"(?: level)?",
    ),
    ja=(
        r"(?:エラー|例外)(?:の)?(?:ログ)?(?:レベル)?(?:を)?(?:警告|WARN|WARNING|INFO|DEBUG)"
        r"(?:レベル)?(?:に|へ)(?:下げ|変更|格下げ|落と)",
        r"エラー(?:の)?ログレベルを(?:下げ|落と)",
    ),
    keys=(
        "lower lowering lowered reduce reducing downgrade downgrading downgraded demote demoting "
        "log",
        "level severity debug info trace warn warning warnings",
    ),
    keys_ja="レベル 警告 warn info debug",
    reason="downgrades the error so it stops counting, while the failure remains",
    fix_en=(
        "keep errors at error level and fix the cause; if some are expected, classify them "
        "explicitly and alert on the unexpected rate"
    ),
    fix_ja=(
        "エラーはエラーのまま扱い原因を直す。想定内のものは明示的に分類し、想定外の件数にアラート"
        "を出す"
    ),
)
_EXCLUDE = _Rule(
    "exclude_errors",
    en=(
        r"(?:exclude|excluding|filter out|drop|remove) (?:the |all )?(?:[\w./-]+ )?"
        + _ERRORY + r" (?:responses? |requests? )?from (?:the )?(?:[\w./-]+ ){0,2}?"
        r"(?:alerts?|alerting|error rate|monitoring|metrics?|slos?|dashboards?|error budget)",
    ),
    ja=(
        r"(?:エラー|5xx|500|失敗|タイムアウト|例外)[^、。]{0,15}?(?:監視|アラート|エラーレート|"
        r"エラー率|集計)(?:の)?(?:対象)?から(?:除外|外す|外し)",
    ),
    keys=(
        "exclude excluding filter drop remove",
        "from",
    ),
    keys_ja="除外 外す 外し",
    reason="hides failures from the metric that user impact is judged by",
    fix_en=(
        "keep errors in the error rate; if some are expected (e.g. client 4xx), split them by "
        "cause and alert on the server-side share"
    ),
    fix_ja=(
        "エラー率からは除外しない。想定内のもの (例: クライアント起因の4xx) は原因別に分け、サー"
        "バ起因の割合にアラートを出す"
    ),
)

_HIDING = _Detector((_SILENCE, _SILENCE_SO, _SWALLOW, _THRESHOLD, _DOWNGRADE, _EXCLUDE, _LOGS))


def find_error_hiding(text: str) -> WordingMatch | None:
    """A fix that hides the symptom: silenced alerts, swallowed errors, raised thresholds."""
    return _HIDING.find(text)


# --- anti-pattern: punitive or development-freezing -----------------------------------

_RELEASES = r"(?:releases?|deploys?|deployments?|merges?|changes|development|feature work|pushes)"
_GATED = (
    r"\b(?:when|if|unless|whose|fails?|failing|failed|red|on failure|"
    r"without (?:a |an )?(?:passing|green|successful))\b"
)

_FREEZE = _Rule(
    "freeze",
    en=(
        r"(?:freeze|freezing|froze|halt|halting|suspend|suspending|ban|banning|prohibit|"
        r"prohibiting|forbid|forbidding|disallow|disallowing)(?:s|ed)? (?:all |any |every |"
        r"further |new |future )*(?:friday |weekend |holiday |feature |production |prod |"
        r"config |configuration |schema |database |infra |infrastructure |network |dns )?"
        + _RELEASES,
        r"(?:stop|stopping|block|blocking|pause|pausing|halt) (?:all|every|any) "
        r"(?:further |new |future )?" + _RELEASES,
        r"(?:release|deploy|deployment|code|change|feature|merge) (?:freeze|moratorium|ban)",
        r"no (?:more |further |new )?(?:friday |weekend |holiday |evening )?"
        r"(?:releases?|deploys?|deployments?|merges?|changes) (?:on|until|for|during|after|"
        r"before|at)",
        r"(?:no|ban|ban on) (?:friday|weekend|holiday|evening) (?:releases?|deploys?|"
        r"deployments?)",
        r"(?:no one|nobody|noone) (?:may|can|is allowed to|should|will|shall) "
        r"(?:deploy|release|merge|push)",
        # "Freeze production until …" (a change freeze), not "freeze production data"
        r"(?:freeze|freezing|froze) (?:the )?(?:production|prod)\b(?! (?:data|database|db|"
        r"schema|tables?|snapshots?|backups?|images?|versions?|dependencies))",
    ),
    ja=(
        r"(?:リリース|デプロイ|マージ|開発|本番反映|本番リリース)(?:作業)?(?:を|は)?"
        r"(?:当面|しばらく|一時的に|一切|全面的に)?(?:の間)?(?:禁止|凍結|停止|中止|見合わせ|控え)",
        r"(?:リリース|コード|デプロイ|変更)フリーズ",
        r"(?:金曜|週末|休日|夕方|夜間|日中|平日|営業時間)(?:日)?(?:の|は|中の)?[^、。]{0,8}?"
        r"(?:リリース|デプロイ|アップデート|本番反映)(?:を|は)?(?:禁止|しない|行わない|実施しない|中止|見合わせ)",
    ),
    keys=(
        "freeze freezing froze halt halting suspend suspending ban banning prohibit prohibiting "
        "forbid forbidding disallow disallowing moratorium stop stopping block blocking pause "
        "pausing no nobody noone",
        "releases release deploys deploy deployments deployment merges merge changes change "
        "development work pushes push freeze moratorium ban",
    ),
    keys_ja="禁止 凍結 停止 中止 見合わせ 控え フリーズ 実施しない 行わない しない",
    reason="freezes every change, which slows development far beyond the risk",
    fix_en=(
        "gate only the risky change: a deploy-pipeline check that blocks changes matching this "
        "failure (it fails when ...), or a canary with automatic rollback"
    ),
    fix_ja=(
        "危険な変更だけを止める: この障害に当たる変更でだけ失敗するデプロイパイプラインのチェック"
        "、または自動切り戻しつきのカナリアリリース"
    ),
    veto=r"場合|とき|時は|たら|なら|失敗|通らない|\bng\b|落ちた",
    veto_after=_GATED,
)
_APPROVAL = _Rule(
    "approval",
    en=(
        r"(?:manager|managers|management|director|directors|vp|cto|ceo|executive|executives|"
        r"leadership|head of engineering)(?:'s|s')? (?:approval|approvals|sign-?offs?|"
        r"permission)",
        r"(?:extra|additional|second|two|2|double|multiple|another|mandatory) (?:[\w-]+ )?"
        r"(?:approvals?|approvers?|sign-?offs?|reviewers?|reviews?) (?:for|on|of|before) "
        r"(?:all|every|each|any)",
        r"(?:all|every|each|any) (?:[\w-]+ ){0,2}?(?:changes?|deploys?|deployments?|releases?|"
        r"prs?|pull requests?|merges?|commits?) (?:must|need to|needs to|should|will|shall|"
        r"requires?) (?:be |have |get )?(?:approved|signed off|reviewed|approval|sign-?off) by "
        r"(?:a |an |the |two |2 )?(?:manager|director|vp|cto|lead|senior|second|two|"
        r"additional|extra|management)",
        r"require (?:an? )?(?:approval|sign-?off|permission) (?:from [\w ]{1,30}? )?"
        r"(?:for|before) (?:all|every|each|any)",
    ),
    ja=(
        r"(?:部長|課長|上長|マネージャー|マネージャ|役員|CTO|CEO|責任者|本部長|事業部長|管理職)"
        r"(?:の|による|から)?(?:承認|決裁|許可)",
        r"(?:全て|すべて|全|あらゆる|全部)の(?:リリース|デプロイ|変更|PR|プルリク|"
        r"プルリクエスト|マージ|作業)[^。]{0,12}?(?:承認|ダブルチェック)",
        r"承認(?:フロー|者|プロセス|ステップ)(?:を)?(?:追加|増や)",
        r"(?:二重|2段階|二段階|多段|複数人)(?:の)?承認",
        r"許可を得た場合のみ|(?:利用|作業|操作)?許可申請",
    ),
    keys=(
        "approval approvals approved approver approvers sign signoff signoffs permission "
        "reviewers reviewer review reviews reviewed",
    ),
    keys_ja="承認 決裁 許可 許可を得た場合のみ 許可申請",
    reason="adds a gate for everyone instead of a check on the risky change",
    fix_en=(
        "automate what the approver would look for: a CI or deploy-pipeline check for this "
        "class of change, or a second reviewer only for the files involved (CODEOWNERS)"
    ),
    fix_ja=(
        "承認者が見るはずの点を自動化する: この種の変更に対するCIやデプロイパイプラインのチェック"
        "、または該当ファイルだけに必須レビュアー (CODEOWNERS) を付ける"
    ),
)
_BLAME = _Rule(
    "blame",
    en=(
        r"reprimand\w*|disciplinary|punish\w*|penali[sz]\w*|blame|blaming|blamed",
        r"discipline (?:the|him|her|them|those|engineers?|developers?|staff|the person)",
        r"(?:formal|written|final) warning",
        r"hold (?:[\w'-]+ ){1,3}?(?:accountable|responsible)",
        r"revoke (?:[\w'-]+ ){0,3}?(?:access|permissions?|rights|privileges) (?:of|from|for) "
        r"(?:the |that )?(?:engineer|developer|person|operator|individual|employee|intern|"
        r"new hire|whoever|him|her|them)",
        r"(?:engineer|developer|person|operator|individual|employee|intern)s? "
        r"(?:who|responsible)(?: [\w'-]+){0,8}? (?:must|should|will|shall|has to|have to) "
        r"(?:apologi[sz]e|be (?:reprimanded|disciplined|removed|warned|punished|taken off)|"
        r"write (?:a |an )?(?:apology|explanation))",
        r"letter of apology",
        r"(?:fire|fires|firing|fired|dismiss|dismissing|sack|sacking|terminate|terminating|let go of) "
        r"(?:the |that |this |our )?(?:[\w-]+ )?(?:engineer|developer|person|operator|employee|intern|"
        r"contractor|admin|whoever|him|her|them|sre|dba)s?\b",
        r"(?:not|no longer) (?:be )?allowed to (?:deploy|release|merge|touch|access)",
    ),
    ja=(
        r"始末書|反省文|懲戒|減給|降格|叱責",
        r"(?:担当者|当事者|責任者|本人|社員|職員|関係職員|関係者|従業員|メンバー|エンジニア)"
        r"(?:を|に|は|へ|の)[^、。]{0,10}?(?:処分|叱責|降格|外す|外し|謝罪|反省)",
        r"権限を(?:剥奪|取り上げ)|解雇|懲戒|クビに",
        r"(?:人|者|担当者)には[^。]{0,15}?(?:触らせない|操作させない|アクセスさせない|権限を与えない)",
    ),
    keys=(
        "reprimand reprimanded reprimands reprimanding disciplinary punish punished punishment "
        "punishing penalize penalise penalized penalised penalizing blame blaming blamed "
        "discipline warning accountable responsible revoke apology apologize apologise allowed "
        "fire fires firing fired dismiss dismissing sack sacking terminate terminating let",
    ),
    keys_ja="始末書 反省 懲戒 減給 降格 叱責 処分 外す 外し 謝罪 剥奪 取り上げ 解雇 クビ 触らせない 操作させない "
            "アクセスさせない 権限を与えない",
    reason="punishes people instead of fixing the system, so the next mistake gets hidden",
    fix_en=(
        "fix what let the mistake through: the guard, check or safer default that makes it "
        "impossible, reviewed in a blameless follow-up"
    ),
    fix_ja=(
        "ミスを通した仕組みを直す: ミスを不可能にするガードや自動チェック、安全な既定値。"
        "振り返りは非難なしで行う"
    ),
    veto=(
        r"blameless|\b(?:no|not|never|without|avoid|don't|do not) (?:\w+ )?"
        r"(?:blame|blaming|punish\w*)\b"
    ),
)

_PUNITIVE = _Detector((_FREEZE, _APPROVAL, _BLAME))


def find_punitive(text: str) -> WordingMatch | None:
    """A punitive or development-freezing measure: freezes, approval for all, blame."""
    return _PUNITIVE.find(text)


# --- anti-pattern: oversized -------------------------------------------------------------

_REWRITE = (
    r"(?:rewrite|rewriting|re-write|rebuild|rebuilding|re-architect|rearchitect|"
    r"re-architecting|rearchitecting|redesign|redesigning|replatform|re-platform|overhaul|"
    r"overhauling|revamp|revamping|rework|reworking|re-implement|reimplement|reimplementing|"
    r"replace|replacing|migrate|migrating|modernize|modernise|refactor|refactoring)(?:s|d|ed)?"
)
_BOUNDED = (
    r"\b(?:start(?:ing|s)? (?:with|by)|first (?:step|deliverable|milestone|phase|increment|"
    r"slice)|phase (?:1|one|i|0)|step (?:1|one)|milestones?|design doc|design document|rfc|"
    r"adr|proposal|propose|spike|proof of concept|poc|prototype|pilot|evaluate|evaluation|"
    r"assess\w*|feasibility|scoping|scope (?:out|the))\b|"
    r"まず|第[1一１]段階|フェーズ\s?[1１一]|ステップ[1１]|最初に|最初の|設計書|設計ドキュメント|"
    r"設計方針|方針を(?:決|まとめ)|PoC|試験導入|一部の|から着手|スコープ"
)
_OVERSIZED_RULE = _Rule(
    "rewrite",
    en=(
        _REWRITE + r" (?:the |our |all |all of |entire |whole |complete |existing |current |"
        r"legacy |of the )*(?:[\w/-]+ ){0,4}?(?:platform|architecture|infrastructure|infra|"
        r"monolith|codebase|code base|stack|tech stack|everything)",
        _REWRITE + r" (?:the |our )?(?:entire|whole|complete|full|all) (?:of )?(?:the |our )?"
        r"(?:[\w/-]+ ){0,2}?(?:system|systems|backend|frontend|application|app|services?|"
        r"pipelines?|database|data model|product|apis?)",
        _REWRITE + r" (?:the |our )?(?:[\w/-]+ ){0,3}?(?:service|services|system|backend|frontend|app|"
        r"application|api|engine) (?:in|to|with|using) (?:rust|go|golang|java|kotlin|scala|python|"
        r"typescript|node|elixir|haskell|c\+\+|a new (?:language|framework|stack))\b",
        r"(?:rewrite|rewriting|rebuild|rebuilding|re-?architect\w*|redesign\w*|redo|build|building|"
        r"re-?implement\w*|recreate)\b[^.;]{0,60}?\b(?:from scratch|from the ground up)",
        r"start over|greenfield",
        r"(?:move|moving|migrate|migrating|split|splitting|break|breaking|convert|converting)"
        r"(?: [\w/-]+){0,4}? (?:to|into) (?:micro-?services?|a micro-?services? architecture|"
        r"event sourcing)",
        r"adopt (?:a |an )?(?:new |micro-?services? |event-driven )(?:architecture|platform|"
        r"framework|stack)",
    ),
    ja=(
        r"(?:全面(?:的に|的な)?|抜本的に|抜本的な|根本から|一から|ゼロから|フルスクラッチで)[^、。]{0,15}?"
        r"(?:刷新|書き直|作り直|リプレース|再設計|再構築|改修|移行)",
        r"(?:傘下|複数|[0-9０-９二三四]+)(?:の)?(?:銀行|会社|社)の(?:システム|基盤)(?:の)?統合",
        r"(?:基盤|システム|アーキテクチャ|プラットフォーム|インフラ|全体)(?:全体)?(?:を|の)"
        r"(?:全面的に|抜本的に)?(?:刷新|再設計|作り直|書き直|リプレース|再構築|全面改修|作り替え)",
        r"マイクロサービス化|フルスクラッチ",
        r"(?:全|すべての|全ての)(?:サービス|システム)を[^、。]{0,10}?(?:移行|書き直|作り直|刷新)",
    ),
    keys=(
        "rewrite rewriting write rebuild rebuilding architect rearchitect rearchitecting "
        "architecting redesign redesigning replatform platform overhaul overhauling revamp "
        "revamping rework reworking implement reimplement reimplementing replace replacing "
        "migrate migrating modernize modernise refactor refactoring scratch ground start "
        "greenfield move moving split splitting break breaking convert converting adopt",
    ),
    keys_ja=(
        "刷新 書き直 作り直 リプレース 再設計 再構築 改修 移行 作り替え マイクロサービス フ"
        "ルスクラッチ 統合"
    ),
    reason="has no bounded first step, so it will sit open for months",
    fix_en=(
        "keep only a first deliverable that can be finished in weeks, e.g. 'Phase 1: a design "
        "doc for the riskiest part by <date>', or the smallest change that stops this failure now"
    ),
    fix_ja=(
        "数週間で終わる最初の成果物に絞る: 例「フェーズ1: 最もリスクの高い部分の設計ドキュメント"
        "を<期限>までに作成」、またはこの障害を今止める最小の変更"
    ),
    veto=_BOUNDED,
)

_OVERSIZED = _Detector((_OVERSIZED_RULE,))


def find_oversized(text: str) -> WordingMatch | None:
    """A rewrite or re-architecture with no bounded first step (oversized action)."""
    return _OVERSIZED.find(text)


def antipatterns_of(lexed: Lexed) -> tuple[WordingMatch | None, WordingMatch | None, WordingMatch | None]:
    """Error-hiding, punitive and oversized, judged on the head sentence of a text already read.

    One gate for the three: most actions contain no key word of any of them."""
    head = lexed.sentence()
    if _ANTI_FIRST.isdisjoint(head.words) and (not head.keys_ja or _ANTI_JA.isdisjoint(head.keys_ja)):
        return None, None, None
    hiding, punitive, oversized = (d.find_at(head) for d in (_HIDING, _PUNITIVE, _OVERSIZED))
    return (hiding and hiding[1], punitive and punitive[1], oversized and oversized[1])


_ANTI_FIRST = _HIDING.first() | _PUNITIVE.first() | _OVERSIZED.first()
_ANTI_JA = _HIDING.keys_ja() | _PUNITIVE.keys_ja() | _OVERSIZED.keys_ja()


def _ja_keys(*detectors: _Detector) -> re.Pattern[str]:
    """One scan finds every Japanese key word of every rule (longest first, as a trie:
    one branch per character instead of 150 alternatives at every position)."""
    return _lazy(trie_pattern(sorted(set().union(*(d.keys_ja() for d in detectors))), False))


_JA_KEYS = _ja_keys(_VAGUE, _HIDING, _PUNITIVE, _OVERSIZED)
