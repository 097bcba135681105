"""An action's effective phase and category: what the author wrote, else a suggestion.

Reports and `actiontrack tag` must always tell the two apart, so the source travels
with the value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
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
    return _classified(action.phase, action.category, action.text)


@functools.lru_cache(maxsize=4096)
def _classified(phase: Phase | None, category: Category | None, text: str) -> Classified:
    """Memoised per distinct text and written tags: the same actions recur across files and runs."""
    return Classified(
        _tag(phase, text, tagging.suggest_phase),
        _tag(category, text, tagging.suggest_category),
    )


def _tag(written: T | None, text: str, suggest: Callable[[str], tagging.Suggestion[T]]) -> Tag[T]:
    if written is not None:
        return Tag(written, TagSource.EXPLICIT)
    found = suggest(text)
    source = TagSource.SUGGESTED if found.value is not None else TagSource.UNKNOWN
    return Tag(found.value, source, found.words, found.candidates)
