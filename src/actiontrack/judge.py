"""One place that judges an action: vague or not, and which anti-pattern, from its title.

The title is the commitment (the reader strips links, ticket references, fields and a
label's description from it); the details (continuation lines, sub-bullets, a
description) may show a vague-looking title concrete ("Improve alerting" with "Alert
when queue depth > 1000 for 5 min"), but their words never make a concrete title vague.
Lint and sync both ask here, so a team's [lint] ignore cannot change what is stored.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from actiontrack import learned, tagging, wording
from actiontrack.model import Action, Category, Phase

__all__ = ["Verdict", "Wording", "antipattern", "head_sentence", "judge", "title", "vague", "wording_of"]


class Verdict(NamedTuple):
    """What the judgement says about one action's words (bench/judgement.py scores it)."""

    vague: wording.WordingMatch | None
    antipattern: str | None  # "error-hiding" | "punitive" | "oversized" | None
    phase: tagging.Suggestion[Phase]
    category: tagging.Suggestion[Category]


class Wording(NamedTuple):
    """The four wording verdicts on one action, in the order of the lint rules."""

    vague: wording.WordingMatch | None
    error_hiding: wording.WordingMatch | None
    punitive: wording.WordingMatch | None
    oversized: wording.WordingMatch | None


def judge(title: str, details: str = "") -> Verdict:
    found = antipattern(title)
    return Verdict(_vague(wording.lex(title), details), found[0] if found else None,
                   tagging.suggest_phase(title + details), tagging.suggest_category(title + details))


def vague(action: Action) -> wording.WordingMatch | None:
    """Whether the action is vague, as the detector sees it: lint and sync both ask here."""
    return _vague(wording.lex(title(action)), _details(action))


def wording_of(action: Action) -> Wording:
    """Every wording verdict on the action from one reading of its title (the lint rules)."""
    return _wording_of(title(action), _details(action))


@functools.lru_cache(maxsize=4096)
def _wording_of(title: str, details: str) -> Wording:
    """Memoised per distinct title and details: the same actions recur across files and runs."""
    lexed = wording.lex(title)
    return Wording(_vague(lexed, details), *wording.antipatterns_of(lexed))


def antipattern(title: str) -> tuple[str, wording.WordingMatch] | None:
    """The first anti-pattern the title commits to, by name, with the phrase that shows it."""
    for name, found in zip(_ANTIPATTERNS, wording.antipatterns_of(wording.lex(title)), strict=True):
        if found is not None:
            return name, found
    return None


_ANTIPATTERNS = ("error-hiding", "punitive", "oversized")


def _vague(lexed: wording.Lexed, details: str) -> wording.WordingMatch | None:
    """The rules' verdict; where they have no reading of the title at all (no predicate the
    commitment reader knows), the learned model's when it is confident. Where the reader
    found a concrete change the model is not asked: cross-validation showed it wrong there
    more often than right (actiontrack.learned says why it is only a second opinion)."""
    found = wording.vague_of(lexed)
    if found is None and wording.head_commitment(lexed.text) is None:
        opinion = learned.opinion(lexed.text)
        if opinion is not None:
            found = wording.learned(lexed.text, opinion.words)
    if found is not None and details.strip() and wording.names_change(details):
        return None
    return found


def head_sentence(title: str) -> str:
    """The title's first sentence: what the action commits to, without its explanation."""
    start, end = wording.lex(title).head
    return title[start:end]


def title(action: Action) -> str:
    """The commitment's words: the title, or the text when the reader found no title."""
    return action.title or action.text


def _details(action: Action) -> str:
    """The action's text after its title (empty when the text is only the title)."""
    head, text = title(action), action.text
    if not text or text == head:
        return ""
    at = text.find(head)
    return text[at + len(head):] if at >= 0 else text
