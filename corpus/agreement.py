"""Label noise, measured: a second, blind labelling of 250 corpus items against the corpus's own.

The targets of issue 10 (vague F1 and tag accuracy >= 0.85-0.90) mean something only if two
careful readers of LABELLING.md agree that often. corpus/agreement/second-labels.jsonl holds a
second labelling of 250 items drawn at random (seed 20261202: 150 English, 100 real Japanese,
from every split), made by a labeller who saw each item's text, its source and a few other
items of its document, but neither the corpus's labels nor any code (the brief it worked from is
corpus/agreement/brief.md). This prints, per language, raw agreement and Cohen's kappa for
vague, phase and category, and then the detectors scored on the same items against each
labelling, so the gap between them and the ceiling shows in one table. The detectors were built
on the train and dev items, so only their figures on the sample's test-split items are evidence
(the third block of each language).

Caveat: both labellings were made by the same kind of labeller (an AI assistant following the
same guide), so their errors are correlated and this agreement is an upper bound on what two
independent people would reach.

Usage: python corpus/agreement.py
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import split  # corpus/split.py: run as a script, this directory is on sys.path

from actiontrack import judge

ROOT = Path(__file__).resolve().parent
SECOND = ROOT / "agreement" / "second-labels.jsonl"
FIELDS = ("vague", "phase", "category")

Item = dict[str, object]


def corpus_items() -> dict[str, Item]:
    found: dict[str, Item] = {}
    for path in sorted((ROOT / "actions").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            found[item["id"]] = item
    return found


def kappa(pairs: Sequence[tuple[object, object]]) -> tuple[float, float]:
    """(raw agreement, Cohen's kappa) of two labellings of the same items."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[k] * second[k] for k in first) / (n * n)
    return observed, (observed - chance) / (1 - chance) if chance < 1 else 1.0


def f1(truth: Sequence[bool], guess: Sequence[bool]) -> float:
    tp = sum(t and g for t, g in zip(truth, guess, strict=True))
    wrong = sum(t != g for t, g in zip(truth, guess, strict=True))
    return 2 * tp / (2 * tp + wrong) if tp or wrong else 1.0


def detector(text: str) -> dict[str, object]:
    """What lint and tag say of one title: vague or not, and the suggested tags (None: cannot tell)."""
    verdict = judge.judge(text)
    phase, category = verdict.phase.value, verdict.category.value
    return {"vague": verdict.vague is not None,
            "phase": phase.value if phase else None, "category": category.value if category else None}


def main() -> None:
    items = corpus_items()
    second = [json.loads(line) for line in SECOND.read_text(encoding="utf-8").splitlines()]
    realdocs = split.realdoc_splits()
    in_test = {s["id"] for s in second if split.item_split(str(items[s["id"]]["doc"]), realdocs) == "test"}
    subsets = {
        "all": lambda gold, s: True,
        "both labellings high confidence": lambda gold, s: gold["confidence"] == s["confidence"] == "high",
        "test split only (the detectors never tuned on these)": lambda gold, s: gold["id"] in in_test,
    }
    for lang in ("en", "ja"):
        for subset, keep in subsets.items():
            rows = [(items[s["id"]], s) for s in second if items[s["id"]]["lang"] == lang and keep(items[s["id"]], s)]
            print(f"[{lang}] {subset}: n={len(rows)}")
            ours = [detector(str(gold["text"])) for gold, _ in rows]
            for field in FIELDS:
                agreement, k = kappa([(gold[field], s[field]) for gold, s in rows])
                line = f"  {field:<9} labellers agree {agreement:.2f} (kappa {k:.2f})"
                if field == "vague":
                    truth = [bool(gold["vague"]) for gold, _ in rows]
                    line += (f"  | F1 vs corpus: second labeller {f1(truth, [bool(s['vague']) for _, s in rows]):.2f},"
                             f" detector {f1(truth, [bool(o['vague']) for o in ours]):.2f}")
                else:
                    told = [(gold, o) for (gold, _), o in zip(rows, ours, strict=True) if o[field] is not None]
                    right = sum(o[field] == gold[field] for gold, o in told)
                    line += (f"  | detector suggests {len(told) / len(rows):.2f},"
                             f" right {right / len(told) if told else 0:.2f} where it does")
                print(line)


if __name__ == "__main__":
    main()
