"""Did-you-mean: the known spelling closest to a mistyped one.

One helper for every place a user names something we do not know (a config key, a
phase, a category, a rule code, an inline field), so all of them answer the same way.
difflib is imported only when a suggestion is wanted: never on a clean run.
"""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, known: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The known word most like `word` (case and '-'/'_' ignored), or None when none is close."""
    from difflib import get_close_matches

    by_key: dict[str, str] = {}
    for candidate in known:
        by_key.setdefault(_key(candidate), candidate)
    matches = get_close_matches(_key(word), list(by_key), n=1, cutoff=cutoff)
    return by_key[matches[0]] if matches else None


def did_you_mean(word: str, known: Iterable[str], *, cutoff: float = 0.6) -> str:
    """"; did you mean 'select'?" to append to a message, or "" when nothing is close."""
    match = closest(word, known, cutoff=cutoff)
    return f"; did you mean {match!r}?" if match is not None and match != word else ""


def _key(word: str) -> str:
    return word.strip().lower().replace("_", "-")
