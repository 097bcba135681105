"""Would a small trained model judge better than the rules? Train on train, compare on dev.

Issue 10, round 2: the rules' vague-action F1 falls from train to dev to test (over-fitted
phrase lexicons). This script trains pure-Python logistic regressions (no numpy) on the
train split and scores them on dev against the rules, so the decision to ship a model (or
not) can be re-run by anyone:

- vague-action: a binary model over what the action commits to (the rules' verdict, the
  head commitment's predicate class and whether it is concrete, its verb and object words)
  plus word uni/bigrams (English) or character bi/trigrams (Japanese); alone and combined
  with the rules (vague when the rules say so or the model does), with a paired bootstrap
  over dev documents of the F1 gain, and a grouped 5-fold cross-validation on train+dev;
- phase and category: a multinomial model over the same features and the tagger's own
  suggestion, against the tagger.

The test split is never read. Usage: python bench/train_judge.py [--folds 5] [--runs 2000]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import math
import random
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from actiontrack import commitment, tagging, wording

ROOT = Path(__file__).resolve().parents[1]
Item = dict[str, object]
Features = dict[str, float]
Weights = dict[str, float]


def _split_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_corpus_split", ROOT / "corpus" / "split.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SPLIT = _split_module()
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SPACE = re.compile(r"\s+")


def features(text: str) -> Features:
    """What the action commits to, and the words it is written in."""
    out: Features = {"bias": 1.0}
    if wording.find_vague(text) is not None:
        out["rule"] = 1.0
    head = wording.head_commitment(text)
    if head is None:
        out["kind:none"] = 1.0
    else:
        out[f"kind:{head.kind}"] = 1.0
        out[f"kind:{head.kind}:{head.concrete}"] = 1.0
        out[f"verb:{head.verb.lower()}"] = 1.0
        for word in _WORD.findall(head.obj.lower())[:6]:
            out[f"obj:{word}"] = 1.0
    low = text.lower()
    if commitment.is_japanese(text):
        chars = _SPACE.sub("", low)
        for n in (2, 3):
            for i in range(len(chars) - n + 1):
                out[f"c{n}:{chars[i:i + n]}"] = 1.0
    else:
        words = _WORD.findall(low)
        for word in words:
            out[f"w:{word}"] = 1.0
        for a, b in itertools.pairwise(words):
            out[f"b:{a}_{b}"] = 1.0
        if words:
            out[f"first:{words[0]}"] = 1.0
    if any(c.isdigit() for c in text):
        out["digit"] = 1.0
    return out


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _dot(weights: Weights, feats: Features) -> float:
    return sum(weights.get(k, 0.0) * v for k, v in feats.items())


def train_binary(data: Sequence[tuple[Features, bool]], l2: float, epochs: int = 40) -> Weights:
    """Logistic regression by SGD with a decaying step, fixed seed: re-runs give one model."""
    weights: Weights = {}
    rows = list(data)
    rng = random.Random(1)
    for epoch in range(epochs):
        rng.shuffle(rows)
        step = 0.5 / (1 + 0.2 * epoch)
        for feats, gold in rows:
            grad = _sigmoid(_dot(weights, feats)) - float(gold)
            for k, v in feats.items():
                w = weights.get(k, 0.0)
                weights[k] = w - step * (grad * v + l2 * w)
    return weights


def train_multi(data: Sequence[tuple[Features, str]], classes: Sequence[str], l2: float,
                epochs: int = 30) -> dict[str, Weights]:
    """Softmax regression, one weight table per class, same schedule."""
    tables: dict[str, Weights] = {c: {} for c in classes}
    rows = list(data)
    rng = random.Random(1)
    for epoch in range(epochs):
        rng.shuffle(rows)
        step = 0.3 / (1 + 0.2 * epoch)
        for feats, gold in rows:
            probs = _softmax(tables, feats)
            for c, table in tables.items():
                grad = probs[c] - (1.0 if c == gold else 0.0)
                for k, v in feats.items():
                    w = table.get(k, 0.0)
                    table[k] = w - step * (grad * v + l2 * w)
    return tables


def _softmax(tables: dict[str, Weights], feats: Features) -> dict[str, float]:
    scores = {c: _dot(t, feats) for c, t in tables.items()}
    top = max(scores.values())
    exp = {c: math.exp(s - top) for c, s in scores.items()}
    total = sum(exp.values())
    return {c: e / total for c, e in exp.items()}


def prf(pairs: Sequence[tuple[bool, bool]]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in pairs)
    fp = sum(p and not g for p, g in pairs)
    fn = sum(g and not p for p, g in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def _fmt(pairs: Sequence[tuple[bool, bool]]) -> str:
    return "P {:.2f} R {:.2f} F1 {:.2f}".format(*prf(pairs))


def paired_gain(rows: Sequence[tuple[str, bool, bool, bool]], runs: int) -> tuple[float, float, float]:
    """F1(b) - F1(a) over (doc, a, b, gold) rows: mean and 95 % interval, resampling documents."""
    docs = sorted({r[0] for r in rows})
    by_doc = {d: [r for r in rows if r[0] == d] for d in docs}
    rng = random.Random(20261201)
    gains = []
    for _ in range(runs):
        sample = [r for _ in docs for r in by_doc[rng.choice(docs)]]
        gains.append(prf([(b, g) for _, _, b, g in sample])[2] - prf([(a, g) for _, a, _, g in sample])[2])
    gains.sort()
    return sum(gains) / runs, gains[int(0.025 * runs)], gains[int(0.975 * runs) - 1]


def vague_report(train: list[Item], dev: list[Item], runs: int, folds: int) -> None:
    train_rows = [(features(str(i["text"])), bool(i["vague"])) for i in train]
    dev_rows = [(i, features(str(i["text"]))) for i in dev]
    print("vague-action on dev (model trained on train)")
    for l2 in (1e-4, 1e-3, 1e-2):
        weights = train_binary(train_rows, l2)
        for lang in ("en", "ja"):
            mine = [(str(i["doc"]), "rule" in f, _sigmoid(_dot(weights, f)), bool(i["vague"]))
                    for i, f in dev_rows if i["lang"] == lang]
            print(f"  l2={l2:g} [{lang}] n={len(mine)} rules {_fmt([(r, g) for _, r, _, g in mine])}")
            for threshold in (0.3, 0.4, 0.5):
                model = [(p > threshold, g) for _, _, p, g in mine]
                both = [(d, r, r or p > threshold, g) for d, r, p, g in mine]
                mean, lo, hi = paired_gain(both, runs)
                print(f"    t={threshold} model {_fmt(model)} | rules or model "
                      f"{_fmt([(b, g) for _, _, b, g in both])}  F1 gain {mean:+.3f} [{lo:+.3f}, {hi:+.3f}]")
    print(f"\nvague-action, grouped {folds}-fold cross-validation on train+dev (the rules were built on"
          " these items: their figure is optimistic)")
    items = train + dev
    rows = [(features(str(i["text"])), bool(i["vague"]), str(i["lang"]),
             zlib.crc32(str(i["doc"]).encode()) % folds) for i in items]
    for l2 in (1e-4, 1e-3):
        scored: list[tuple[str, bool, float, bool]] = []
        for k in range(folds):
            weights = train_binary([(f, g) for f, g, _, fold in rows if fold != k], l2)
            scored += [(lang, "rule" in f, _sigmoid(_dot(weights, f)), g) for f, g, lang, fold in rows if fold == k]
        for lang in ("en", "ja"):
            mine = [s for s in scored if s[0] == lang]
            line = f"  l2={l2:g} [{lang}] rules {_fmt([(r, g) for _, r, _, g in mine])}"
            for threshold in (0.3, 0.5):
                line += (f" | t={threshold} model {_fmt([(p > threshold, g) for _, _, p, g in mine])}"
                         f", rules or model {_fmt([(r or p > threshold, g) for _, r, p, g in mine])}")
            print(line)


def _tag_features(text: str) -> Features:
    out = features(text)
    for name, found in (("phase", tagging.suggest_phase(text)), ("category", tagging.suggest_category(text))):
        out[f"{name}:{found.value.value if found.value else None}"] = 1.0
        for candidate in found.candidates:
            out[f"{name}~{candidate.value}"] = 1.0
    return out


def tag_report(train: list[Item], dev: list[Item]) -> None:
    print("\nphase and category on dev: the tagger (right / suggested) against a softmax model")
    train_rows = [(i, _tag_features(str(i["text"]))) for i in train]
    dev_rows = [(i, _tag_features(str(i["text"]))) for i in dev]
    for field in ("phase", "category"):
        classes = sorted({str(i[field]) for i in train if i[field]})
        tables = train_multi([(f, str(i[field])) for i, f in train_rows if i[field]], classes, 1e-4)
        for lang in ("en", "ja"):
            mine = [(i, f) for i, f in dev_rows if i["lang"] == lang]
            suggested = [(i, f) for i, f in mine if f"{field}:None" not in f]
            right = sum(f"{field}:{i[field]}" in f for i, f in suggested)
            ranked = [sorted(_softmax(tables, f).items(), key=lambda kv: -kv[1]) for _, f in mine]
            line = f"  {field:<8} [{lang}] n={len(mine)} tagger {right}/{len(suggested)}"
            for margin in (0.0, 0.1):
                kept = [(r, i) for r, (i, _) in zip(ranked, mine, strict=True) if r[0][1] - r[1][1] >= margin]
                good = sum(r[0][0] == i[field] for r, i in kept)
                line += f" | model (margin {margin}) {good}/{len(kept)}"
            print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=2000, help="bootstrap resamples")
    args = parser.parse_args()
    train, dev = SPLIT.split_items("train"), SPLIT.split_items("dev")
    vague_report(train, dev, args.runs, args.folds)
    tag_report(train, dev)


if __name__ == "__main__":
    main()
