"""The cue scanners find exactly what one leftmost-longest regex of all cues finds.

tagging._Tables scans English cues word by word and Japanese cues by their first
character, so that `actiontrack lint` does not compile a regex of ~900 cues on every run.
The definition they must keep is the simple one: every cue in one trie regex (a space in
a cue matching spaces or hyphens, English cues ending at a word boundary), scanned with
findall. Checked here on cue soups: cues run together, hyphenated, underscored, split by
slashes, Japanese punctuation or full-width spaces, and on plain sentences.
"""

from __future__ import annotations

import random
import re

import pytest

from actiontrack import tagging, wording
from actiontrack.trie import trie_pattern

EN_FORMS = [form.lower() for forms, _ in tagging._EN for form in forms.split("|")]
JA_FORMS = [form.lower() for forms, _ in tagging._JA for form in forms.split("|")]
SEPARATORS = (" ", "-", "  ", "_", "/", "\n", "、", "", " - ", "\u3000", ". ", "--", "s ")


@pytest.fixture(scope="module")
def reference() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(r"\b" + trie_pattern(EN_FORMS, True), re.ASCII), re.compile(trie_pattern(JA_FORMS, False))


def _soups(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    forms = EN_FORMS + JA_FORMS
    return ["".join(rng.choice(forms) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 6)))
            for _ in range(count)]


SENTENCES = [
    "Add an alert on replication lag, and page the on-call engineer",
    "Write a runbook for the failover; rehearse it in staging",
    "Improve monitoring",
    "Investigate why the on call rota missed the page",
    "監視を強化し、アラートを設定する",
    "CIでテストを実行し、QAチェックリストを更新する",
    "Be more careful — e2e tests before release",
]


def _scanned(text: str, reference: tuple[re.Pattern[str], re.Pattern[str]]) -> tuple[object, object]:
    """(what the scanners find, what the reference regexes find) in ``text``."""
    en, ja = reference
    tables = tagging._get_tables()
    low = wording.lex(text).low
    found = tagging._CLAUSE_END.search(low)
    cut = found.start() if found else len(low)
    ours = (tables.en_cues(low, 0, cut) + tables.en_cues(low, cut, len(low)),
            tables.ja_cues(low, 0, cut) + tables.ja_cues(low, cut, len(low)))
    theirs = (en.findall(low, 0, cut) + en.findall(low, cut), ja.findall(low, 0, cut) + ja.findall(low, cut))
    return ours, theirs


@pytest.mark.parametrize("text", SENTENCES)
def test_the_scanners_find_what_the_one_regex_finds(
    text: str, reference: tuple[re.Pattern[str], re.Pattern[str]]
) -> None:
    ours, theirs = _scanned(text, reference)
    assert ours == theirs and ours != ([], [])


def test_the_scanners_agree_on_cue_soups(reference: tuple[re.Pattern[str], re.Pattern[str]]) -> None:
    differ = [(text, *_scanned(text, reference)) for text in _soups(seed=9, count=5000)]
    differ = [row for row in differ if row[1] != row[2]]
    assert not differ, differ[:3]


def test_a_longer_cue_hides_the_shorter_ones_inside_it() -> None:
    tables = tagging._get_tables()
    long = max((form for form in EN_FORMS if " " in form), key=len)
    low = f"please {long} today"
    assert tables.en_cues(low, 0, len(low)) == [long]
    hyphenated = long.replace(" ", "-")
    assert tables.en_cues(hyphenated, 0, len(hyphenated)) == [hyphenated]
