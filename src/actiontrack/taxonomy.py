"""Spellings of phases, categories and priorities that users write, in English and Japanese.

One table per vocabulary, keyed by a normalised spelling (NFKC, lower case, no spaces,
hyphens or underscores), so "Post-release", "post release", "POST_RELEASE" and
"本番リリース後" all land on the same value.
"""

from __future__ import annotations

import functools
import unicodedata

from actiontrack.lazyre import lazy_regex
from actiontrack.model import Category, Phase

_SQUASH = lazy_regex(r"[\s\-_・/]+")


@functools.lru_cache(maxsize=4096)  # labels repeat ("post-release", "検知"): look each up once
def normalise(value: str) -> str:
    """The lookup key for a user-written label: NFKC, case-folded, separators removed."""
    text = unicodedata.normalize("NFKC", value).strip().strip("#【】[]()（）「」").casefold()
    return _SQUASH.sub("", text)


def _table(entries: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise(alias): canonical for canonical, aliases in entries.items() for alias in aliases}


PHASE_ALIASES: dict[str, Phase] = {
    key: Phase(value)
    for key, value in _table(
        {
            "development": (
                "development", "develop", "dev", "devel", "design", "coding", "implementation",
                "build", "ci", "code review", "開発", "開発時", "開発段階", "開発フェーズ", "実装",
                "実装時", "設計", "設計時", "コーディング", "コードレビュー",
            ),
            "verification": (
                "verification", "verify", "qa", "test", "testing", "staging", "pre-release",
                "prerelease", "pre release", "validation", "review before release",
                "検証", "検証時", "機能検証", "機能検証時", "テスト", "テスト時", "品質保証",
                "リリース前", "ステージング", "受け入れ", "受入", "受入テスト",
            ),
            "post-release": (
                "post-release", "postrelease", "post release", "release", "after release",
                "production", "prod", "operation", "operations", "ops", "runtime", "run",
                "本番", "本番リリース後", "リリース後", "運用", "運用時", "本番運用", "本番環境",
            ),
        }
    ).items()
}

CATEGORY_ALIASES: dict[str, Category] = {
    key: Category(value)
    for key, value in _table(
        {
            "root-cause": (
                "root-cause", "root cause", "rootcause", "rca", "cause", "investigation",
                "investigate", "analysis", "原因究明", "原因調査", "原因分析", "原因特定", "原因",
                "調査", "究明",
            ),
            "permanent-fix": (
                "permanent-fix", "permanent fix", "permanent", "fix", "repair", "remediation", "remediate",
                "corrective", "corrective action", "恒久対応", "恒久対策", "恒久", "根本対応",
                "根本対策", "本対応",
            ),
            "recurrence": (
                "recurrence", "prevent", "prevention", "preventive", "preventative",
                "recurrence prevention", "prevent recurrence", "mitigate", "mitigation",
                "再発防止", "再発防止策", "防止", "予防", "未然防止",
            ),
            "detection": (
                "detection", "detect", "monitoring", "monitor", "alerting", "alert",
                "observability", "検知", "検出", "早期検知", "監視", "アラート", "検知・通知",
            ),
            "recovery": (
                "recovery", "recover", "restore", "restoration", "mttr", "time to recovery",
                "復旧", "復旧時間短縮", "復旧短縮", "復旧手順", "回復", "被害の最小化",
                "被害最小化", "影響軽減",
            ),
        }
    ).items()
}

_PRIORITY_ALIASES: dict[str, str] = _table(
    {
        "P0": ("p0", "critical", "blocker", "最優先", "緊急"),
        "P1": ("p1", "high", "highest", "urgent", "高", "優先度高", "重要"),
        "P2": ("p2", "medium", "normal", "moderate", "中", "優先度中"),
        "P3": ("p3", "low", "minor", "低", "優先度低"),
        "P4": ("p4", "lowest", "trivial", "最低"),
    }
)

_DONE_STATUSES = {
    normalise(s)
    for s in (
        "done", "complete", "completed", "closed", "resolved", "fixed", "finished", "shipped",
        "merged", "完了", "対応済", "対応済み", "実施済", "実施済み", "済", "済み", "クローズ", "解決",
        "解決済み", "✅", "✔",
    )
}


# Words that are only a status when written bare in a field run ("… · Completed",
# "（担当：田中、完了）"): the done statuses and the usual open ones.
_STATUS_WORDS = _DONE_STATUSES | {
    normalise(s)
    for s in (
        "open", "outstanding", "in progress", "to do", "not started", "blocked", "wip", "pending",
        "未着手", "対応中", "進行中", "実施中", "未完了", "未対応",
    )
}


def is_status_word(value: str) -> bool:
    """Whether a bare word in a field run is a status ("Completed", "In progress", "完了")."""
    return len(value) <= 16 and normalise(value) in _STATUS_WORDS


# A cell or field that holds no value: "TBD" as a due date means no due date (AT202), not
# a malformed one (AT004). Compared after casefold and strip.
_PLACEHOLDERS = frozenset(
    ("", "-", "--", "---", "—", "–", "n/a", "na", "tbd", "tba", "tbc", "none", "?", "未定", "なし",
     "無し", "調整中", "ー", "－")
)
_LONGEST_PLACEHOLDER = max(map(len, _PLACEHOLDERS))
_STATUS_HEAD = lazy_regex(r"[\s(（\[【:：,、;；/]")
_CHECK_MARKS = "✅✔☑✓️ \t"


def is_placeholder(value: str) -> bool:
    """Whether a written value means "not set yet" (TBD, n/a, 未定, a dash)."""
    if len(value) > _LONGEST_PLACEHOLDER and len(value.strip()) > _LONGEST_PLACEHOLDER:
        return False  # the common case, decided without case-folding (this runs per field)
    return value.strip().casefold() in _PLACEHOLDERS


_WIDE = lazy_regex(r"[\uff01-\uff5e\uff61-\uff9f]")
_width_table: dict[int, str] = {}


def fold_width(text: str) -> str:
    """Full-width letters and digits (ＣＩ, ２０２５) and half-width katakana (ｱﾗｰﾄ) as
    usually written, one character for one so positions in ``text`` stay valid.

    A half-width voiced katakana (ﾀﾞ) stays two characters; it is rare in titles.
    """
    if text.isascii() or _WIDE.search(text) is None:
        return text
    if not _width_table:
        for code in (*range(0xFF01, 0xFF5F), *range(0xFF61, 0xFFA0)):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1:
                _width_table[code] = folded
    return text.translate(_width_table)


def parse_phase(value: str) -> Phase | None:
    """The phase a user-written label names, or None if it names none we know."""
    return PHASE_ALIASES.get(normalise(value))


def parse_category(value: str) -> Category | None:
    """The category a user-written label names, or None if it names none we know."""
    return CATEGORY_ALIASES.get(normalise(value))


def parse_priority(value: str) -> str | None:
    """A canonical priority P0..P4 for common spellings; None if unrecognised."""
    return _PRIORITY_ALIASES.get(normalise(value))


def is_done_status(value: str) -> bool:
    """Whether a Status column value says the action is finished.

    People decorate it ("Done ✅", "完了（10/15）", "Closed - see PR"): the first word
    decides, so "Not done" or "完了予定" stay open.
    """
    if normalise(value) in _DONE_STATUSES:
        return True
    value = value.strip().strip(_CHECK_MARKS)
    if value[:1] in "`*_":  # a status macro exported as code or bold: "`DONE`", "**Closed**"
        value = value.strip("`*_ ")
    head = _STATUS_HEAD.split(value, maxsplit=1)[0]
    return bool(head) and normalise(head) in _DONE_STATUSES


def suggest_phase(value: str) -> Phase | None:
    """The phase an unknown label is closest to ('prod-ish' → post-release), for did-you-mean."""
    from actiontrack.suggest import closest

    match = closest(normalise(value), PHASE_ALIASES)
    return PHASE_ALIASES[match] if match is not None else None


def suggest_category(value: str) -> Category | None:
    """The category an unknown label is closest to ('detect' → detection), for did-you-mean."""
    from actiontrack.suggest import closest

    match = closest(normalise(value), CATEGORY_ALIASES)
    return CATEGORY_ALIASES[match] if match is not None else None
