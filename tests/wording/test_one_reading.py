"""Lint judges a title from one reading of it (judge.wording_of): the verdicts must be the
ones each detector gives on its own, whatever the order the titles come in."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_wording_table import CASES, Case

from actiontrack import judge, wording
from actiontrack.model import Action


def action(title: str, text: str = "") -> Action:
    return Action(id="a", postmortem_id="pm", title=title, path=Path("pm.md"), line=1, end_line=1,
                  position=0, text=text or title)


def one_by_one(title: str) -> tuple[object, ...]:
    head = judge.head_sentence(title)
    return (wording.find_vague(title), wording.find_error_hiding(head), wording.find_punitive(head),
            wording.find_oversized(head))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text[:60])
def test_one_reading_gives_every_detectors_own_verdict(case: Case) -> None:
    title = case.text
    assert tuple(judge.wording_of(action(title))) == one_by_one(title)


def test_a_verdict_never_leaks_to_the_next_title() -> None:
    titles = [c.text for c in CASES]
    expected = {t: one_by_one(t) for t in titles}
    for t in titles[::-1] + titles[::2] + titles:  # every order: the cache keeps one text only
        assert tuple(judge.wording_of(action(t))) == expected[t]


@pytest.mark.parametrize(("head", "later"), [
    ("Freeze all deploys until the new pipeline ships", "Add an alert on queue depth above 1000"),
    ("全てのリリースを凍結する", "キュー長が1000を超えたらアラートを出す"),
])
def test_an_anti_pattern_counts_only_in_the_head_sentence(head: str, later: str) -> None:
    stop = "。" if head.endswith("る") else ". "
    assert judge.wording_of(action(head + stop + later)).punitive is not None
    assert judge.wording_of(action(later + stop + head)).punitive is None  # a detail, not the commitment
