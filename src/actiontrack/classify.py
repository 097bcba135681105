"""An action's effective phase and category: what the author wrote, else a suggestion.

Reports and `actiontrack tag` must always tell the two apart, so the source travels
with the value.
"""

from __future__ import annotations

from typing import Generic, NamedTuple, TypeVar

from actiontrack import tagging
from actiontrack.model import Action, Category, Phase, TagSource

T = TypeVar("T", Phase, Category)


class Tag(NamedTuple, Generic[T]):
    value: T | None
    source: TagSource
    words: tuple[str, ...] = ()  # the words that decided a suggestion
    candidates: tuple[T, ...] = ()  # tied values when a suggestion cannot tell


class Classified(NamedTuple):
    phase: Tag[Phase]
    category: Tag[Category]


def classify(action: Action) -> Classified:
    """Explicit tags win; otherwise suggest from the wording, or say it cannot tell."""
    return Classified(_phase(action), _category(action))


def _phase(action: Action) -> Tag[Phase]:
    if action.phase is not None:
        return Tag(action.phase, TagSource.EXPLICIT)
    found = tagging.suggest_phase(action.text)
    source = TagSource.SUGGESTED if found.value is not None else TagSource.UNKNOWN
    return Tag(found.value, source, found.words, found.candidates)


def _category(action: Action) -> Tag[Category]:
    if action.category is not None:
        return Tag(action.category, TagSource.EXPLICIT)
    found = tagging.suggest_category(action.text)
    source = TagSource.SUGGESTED if found.value is not None else TagSource.UNKNOWN
    return Tag(found.value, source, found.words, found.candidates)
