"""A learned second opinion on vagueness: logistic regression over an action's words,
asked where the rules have no reading of the title.

The phrase rules and the commitment reader (actiontrack.wording) were written from the
corpus's train and dev items, and on its test split they found fewer than half of the
vague actions: every round of rules fitted the examples it came from. This model is
trained by ``corpus/train.py`` on the same items, but it sees only words (English stems
and word pairs, Japanese character pairs and sentence endings) and none of the rules'
readings, so its errors are not the rules'. judge asks it only where the title has no
predicate the commitment reader knows ("We will be working hard to …"), and it speaks
only above the threshold grouped cross-validation chose, per language (stored with the
weights; a language where none qualified gets none, and there it never speaks).

Its findings show their words: the words whose weights decided it. The weights ship as
data (``data/learned.json``) and are read on first use, so importing the offline half
costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from actiontrack.lazyre import lazy_regex

__all__ = ["Binary", "Opinion", "features", "load", "opinion", "probability"]

MODEL_FILE = Path(__file__).with_name("data") / "learned.json"

_WORD = lazy_regex(r"[a-z][a-z0-9'\-]*|\d+")
_JAPANESE_RUN = lazy_regex(r"[\u3005\u3040-\u30ff\u4e00-\u9fff]+")
_CODE = lazy_regex(r"`|\w[_/.:]\w|[a-z][A-Z]")
_SUFFIXES = ("ing", "ed", "es", "s")
_TRAILING = "。．.、,， 　"
# Function words carry weight ("we will …" prose is often vague) but explain nothing.
_UNSHOWN = frozenset({"a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "in", "is",
                      "it", "of", "on", "or", "our", "so", "that", "the", "this", "to", "was", "we", "will",
                      "with"})


class Binary(NamedTuple):
    """Vague or not: one weight per feature, and per language the probability the model
    speaks at (absent where cross-validation found it not good enough to speak at all)."""

    weights: dict[str, float]
    thresholds: dict[str, float]


class Opinion(NamedTuple):
    probability: float
    words: tuple[str, ...]  # the words that pushed it towards vague, in text order


def language(text: str) -> str:
    return "en" if text.isascii() else "ja"


def stem(word: str) -> str:
    """A crude English stem: enough that "alerts"/"alerting" share a weight."""
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def features(text: str) -> dict[str, str]:
    """Feature name -> the words of ``text`` it stands for (what a finding quotes).

    Linear in the text: two regular scans without nested quantifiers and one pass over
    each run of Japanese characters."""
    found: dict[str, str] = {"bias": ""}
    words = _WORD.findall(text.lower())
    stems = [stem(word) for word in words]
    for word, stemmed in zip(words, stems, strict=True):
        found.setdefault("w:" + stemmed, word)
    if stems:
        found["first:" + stems[0]] = words[0]
    for i in range(len(stems) - 1):
        found.setdefault(f"b:{stems[i]}_{stems[i + 1]}", f"{words[i]} {words[i + 1]}")
    japanese = not text.isascii()
    if japanese:
        for run in _JAPANESE_RUN.findall(text):
            for i in range(len(run) - 1):
                found.setdefault("c:" + run[i : i + 2], run[i : i + 2])
        tail = text.rstrip(_TRAILING)
        found["end2:" + tail[-2:]] = tail[-2:]
        found["end3:" + tail[-3:]] = tail[-3:]
    size = len(text) // 4 if japanese else len(words)
    found[f"len:{min(size // 3, 6)}"] = ""
    if any(ch.isdigit() for ch in text):
        found["digit"] = ""
    if _CODE.search(text) is not None:
        found["code"] = ""
    return found


_loaded: Binary | None = None


def load() -> Binary:
    """The shipped model, read once per process."""
    global _loaded
    if _loaded is None:
        import json  # here, not at the top: a lint whose titles the rules all read never pays for it

        vague = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["vague"]
        _loaded = Binary(vague["weights"], {lang: float(t) for lang, t in vague["thresholds"].items() if t is not None})
    return _loaded


def probability(weights: dict[str, float], names: Iterable[str]) -> float:
    """The model's probability that an action with these feature names is vague."""
    z = sum(weights.get(name, 0.0) for name in names)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def opinion(text: str, model: Binary | None = None) -> Opinion | None:
    """The vagueness model's verdict when it is confident the action is vague, else None."""
    model = model or load()
    threshold = model.thresholds.get(language(text))
    if threshold is None:
        return None
    found = features(text)
    p = probability(model.weights, found)
    if p < threshold:
        return None
    pushing = [(model.weights.get(name, 0.0), words) for name, words in found.items()]
    return Opinion(p, deciding_words(text, pushing))


def deciding_words(text: str, pushing: list[tuple[float, str]]) -> tuple[str, ...]:
    """The words of the (up to three) features that pushed hardest towards the verdict,
    each once (a word inside a chosen pair is not repeated, function words are not
    shown), in the order they appear in the text."""
    ranked = sorted(((weight, words) for weight, words in pushing
                     if words and not all(word in _UNSHOWN for word in words.split())), reverse=True)
    chosen: list[str] = []
    for weight, words in ranked:
        if weight <= 0 or len(chosen) == 3:
            break
        if not any(words in other or other in words for other in chosen):
            chosen.append(words)
    low = text.lower()
    return tuple(sorted(chosen, key=low.find))
