"""No input makes a wording or tagging function raise: they run on whatever users wrote."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from actiontrack.tagging import suggest_category, suggest_phase
from actiontrack.wording import find_error_hiding, find_oversized, find_punitive, find_vague

# Text biased towards the vocabulary the rules look at, mixed with anything at all.
WORDS = st.sampled_from([
    "be", "more", "careful", "double-check", "alert", "threshold", "raise", "silence", "CI",
    "freeze", "releases", "rewrite", "platform", "from scratch", "investigate", "whether",
    "監視", "強化", "周知", "する", "徹底", "握りつぶす", "リリース", "禁止", "刷新", "、", "。",
    "İ", "ß", "ﬁ", "\u0130", "-", " ", ",", "(", ")", "`", "#", "5xx", "2048", "%",
])
TEXT = st.one_of(st.text(), st.lists(WORDS, max_size=30).map(" ".join),
                 st.lists(st.one_of(WORDS, st.text(max_size=3)), max_size=30).map("".join))


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_no_input_raises(text: str) -> None:
    for detect in (find_vague, find_error_hiding, find_punitive, find_oversized):
        found = detect(text)
        if found is not None:
            assert found.phrase in text
    for suggest in (suggest_phase, suggest_category):
        suggestion = suggest(text)
        assert all(word in text for word in suggestion.words)
        assert suggestion.value is None or not suggestion.candidates
