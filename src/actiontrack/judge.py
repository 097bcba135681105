"""One verdict per action: vague or not, anti-pattern, phase and category suggestions."""

from __future__ import annotations

from typing import NamedTuple

from actiontrack import tagging, wording
from actiontrack.model import Action, Category, Phase


class Verdict(NamedTuple):
    vague: wording.WordingMatch | None
    antipattern: str | None
    phase: tagging.Suggestion[Phase]
    category: tagging.Suggestion[Category]


def judge(text: str) -> Verdict:
    anti = ("error-hiding" if wording.find_error_hiding(text) else "punitive" if wording.find_punitive(text)
            else "oversized" if wording.find_oversized(text) else None)
    return Verdict(wording.find_vague(text), anti, tagging.suggest_phase(text), tagging.suggest_category(text))


def vague(action: Action) -> wording.WordingMatch | None:
    """Whether the action is vague, as the detector sees it: lint and sync both ask here."""
    return wording.find_vague(action.text)
