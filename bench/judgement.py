"""Judgement figures on the labelled corpus: vague-action, anti-patterns, phase and category.

Prints, per language, n and precision / recall / F1 with a 95 % interval (bootstrap over
documents, 2,000 resamples, fixed seed), real and authored items apart, the
high-confidence subset apart, and the figures without exact duplicates (an item whose
normalised text occurs earlier in the split or anywhere in train/dev counts once or not
at all: boilerplate such as 「再発防止に努めてまいります」 would otherwise flatter recall);
then phase and category coverage (share of actions given a suggestion) and accuracy
where suggested (Wilson interval), and each anti-pattern rule's precision and recall.

The test split is only ever reported in aggregate: ``--errors`` (which prints the items a
detector got wrong, to tune on) refuses it. The split is corpus/split.py's, frozen in
corpus/test-docs.txt.

Each vague-action block ends with the rules alone (without the learned second opinion of
actiontrack/learned.py), so what the model adds shows in one run. The models are
trained on train+dev: their figures there are not evidence (corpus/train.py prints
its cross-validated ones); test and a held-out file are.

Usage: python bench/judgement.py [--split test|dev|train] [--errors vague|phase|category|anti]
       python bench/judgement.py --items corpus/heldout3/items.jsonl
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import sqrt
from pathlib import Path
from types import ModuleType

from actiontrack import judge, wording

ROOT = Path(__file__).resolve().parents[1]

Item = dict[str, object]


def _split_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_corpus_split", ROOT / "corpus" / "split.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SPLIT = _split_module()


@dataclass(frozen=True)
class Scored:
    item: Item
    vague: bool
    rules_vague: bool  # the phrase rules and commitment reader alone, without the learned model
    phase: str | None
    category: str | None
    anti: str | None


def score(item: Item) -> Scored:
    text = str(item["text"])
    verdict = judge.judge(text)
    rules = wording.find_vague(text) is not None
    return Scored(item, verdict.vague is not None, rules, verdict.phase.value and str(verdict.phase.value),
                  verdict.category.value and str(verdict.category.value), verdict.antipattern)


# --- statistics ---------------------------------------------------------------------------

def prf(pairs: Sequence[tuple[bool, bool]]) -> tuple[float, float, float]:
    """(precision, recall, F1) of (predicted, gold) pairs; 0 where undefined."""
    tp = sum(p and g for p, g in pairs)
    fp = sum(p and not g for p, g in pairs)
    fn = sum(g and not p for p, g in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bootstrap(groups: dict[str, list[tuple[bool, bool]]], runs: int = 2000) -> list[tuple[float, float]]:
    """95 % percentile intervals of (P, R, F1), resampling whole documents."""
    rng = random.Random(20261201)
    docs = list(groups)
    samples: list[tuple[float, float, float]] = []
    for _ in range(runs):
        pairs = [pair for _ in docs for pair in groups[rng.choice(docs)]]
        samples.append(prf(pairs))
    out = []
    for k in range(3):
        values = sorted(s[k] for s in samples)
        out.append((values[int(0.025 * runs)], values[int(0.975 * runs) - 1]))
    return out


def gain_line(rows: list[Scored], runs: int = 2000) -> str:
    """What the learned model adds to the rules: the F1 gain with a paired 95 % interval
    (the same document resamples score both), and how many verdicts it changed."""
    groups: dict[str, list[Scored]] = defaultdict(list)
    for row in rows:
        groups[str(row.item["doc"])].append(row)
    if not groups:
        return f"  {'learned model adds':<28} n=0"

    def gain(sample: list[Scored]) -> float:
        return (prf([(r.vague, bool(r.item["vague"])) for r in sample])[2]
                - prf([(r.rules_vague, bool(r.item["vague"])) for r in sample])[2])

    rng = random.Random(20261201)
    docs = list(groups)
    gains = sorted(gain([r for _ in docs for r in groups[rng.choice(docs)]]) for _ in range(runs))
    changed = [r for r in rows if r.vague != r.rules_vague]
    right = sum(r.vague == bool(r.item["vague"]) for r in changed)
    return (f"  {'learned model adds':<28} F1 {gain(rows):+.3f} [{gains[int(0.025 * runs)]:+.3f} to "
            f"{gains[int(0.975 * runs) - 1]:+.3f}]  verdicts changed {len(changed)}, right {right}")


def wilson(hits: int, n: int) -> tuple[float, float]:
    if not n:
        return 0.0, 0.0
    z, p = 1.96, hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s\W_]+", "", folded)


# --- reports ------------------------------------------------------------------------------

def vague_line(label: str, rows: list[Scored], rules_only: bool = False) -> str:
    groups: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for row in rows:
        groups[str(row.item["doc"])].append((row.rules_vague if rules_only else row.vague, bool(row.item["vague"])))
    pairs = [pair for group in groups.values() for pair in group]
    if not pairs:
        return f"  {label:<28} n=0"
    p, r, f = prf(pairs)
    (pl, ph), (rl, rh), (fl, fh) = bootstrap(groups)
    positives = sum(g for _, g in pairs)
    return (f"  {label:<28} n={len(pairs):<4} docs={len(groups):<4} vague={positives:<4} "
            f"P {p:.2f} [{pl:.2f}-{ph:.2f}]  R {r:.2f} [{rl:.2f}-{rh:.2f}]  F1 {f:.2f} [{fl:.2f}-{fh:.2f}]")


def tag_line(label: str, rows: list[Scored], field: str) -> str:
    got = [(getattr(row, field), row.item[field]) for row in rows]
    suggested = [(s, g) for s, g in got if s is not None]
    right = sum(s == g for s, g in suggested)
    cov_l, cov_h = wilson(len(suggested), len(got))
    acc_l, acc_h = wilson(right, len(suggested))
    coverage = len(suggested) / len(got) if got else 0.0
    accuracy = right / len(suggested) if suggested else 0.0
    return (f"  {label:<28} n={len(got):<4} suggested {coverage:.2f} [{cov_l:.2f}-{cov_h:.2f}]  "
            f"accuracy where suggested {accuracy:.2f} [{acc_l:.2f}-{acc_h:.2f}] ({right}/{len(suggested)})")


def confusion_lines(rows: list[Scored], field: str) -> list[str]:
    """Gold value (rows) against the suggestion (columns, "-" for cannot tell): where the
    systematic confusions are, without showing any item."""
    gold_values = sorted({str(r.item[field]) for r in rows})
    columns = sorted({str(getattr(r, field)) for r in rows if getattr(r, field) is not None} | set(gold_values))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        got = getattr(row, field)
        counts[str(row.item[field]), "-" if got is None else str(got)] += 1
    width = max([len(c) for c in columns] + [5]) + 1
    lines = ["  gold \\ suggested".ljust(18) + "".join(c[:width - 1].rjust(width) for c in [*columns, "-"])]
    for gold in gold_values:
        lines.append(f"  {gold:<16}" + "".join(str(counts[gold, c]).rjust(width) for c in [*columns, "-"]))
    return lines


def anti_lines(rows: list[Scored]) -> list[str]:
    lines = []
    for kind in ("error-hiding", "punitive", "oversized"):
        flagged = [row for row in rows if row.anti == kind]
        right = sum(row.item["antipattern"] == kind for row in flagged)
        gold = sum(row.item["antipattern"] == kind for row in rows)
        found = sum(row.item["antipattern"] == kind and row.anti == kind for row in rows)
        lo, hi = wilson(right, len(flagged))
        precision = f"{right / len(flagged):.2f} [{lo:.2f}-{hi:.2f}]" if flagged else "n/a"
        lines.append(f"  {kind:<14} labelled {gold:<3} flagged {len(flagged):<3} precision {precision}"
                     f"  recall {found}/{gold}")
    flagged = [row for row in rows if row.anti is not None]
    right = sum(row.item["antipattern"] == row.anti for row in flagged)
    lo, hi = wilson(right, len(flagged))
    lines.append(f"  {'all three':<14} flagged {len(flagged):<3} precision "
                 + (f"{right / len(flagged):.2f} [{lo:.2f}-{hi:.2f}]" if flagged else "n/a"))
    return lines


def deduplicated(rows: list[Scored], seen: set[str]) -> list[Scored]:
    """The rows whose normalised text is new: not in ``seen`` (train/dev) nor earlier here."""
    out, mine = [], set(seen)
    for row in rows:
        key = normalise(str(row.item["text"]))
        if key not in mine:
            mine.add(key)
            out.append(row)
    return out


def report(split: str, items: list[Item] | None = None) -> None:
    """The figures of one split, or of ``items`` read from a file (named ``split``)."""
    rows = [score(item) for item in (SPLIT.split_items(split) if items is None else items)]
    seen: set[str] = set()
    if items is not None:  # a held-out file: what the corpus already holds counts once
        seen = {normalise(str(i["text"])) for i in SPLIT.items()}
    elif split == "test":
        seen = {normalise(str(i["text"])) for s in ("train", "dev") for i in SPLIT.split_items(s)}
    print(f"split: {split} ({len(rows)} items, {len({r.item['doc'] for r in rows})} documents)")
    for lang in ("en", "ja"):
        mine = [r for r in rows if r.item["lang"] == lang]
        subsets: list[tuple[str, Callable[[Scored], bool]]] = [
            ("all", lambda r: True),
            ("real", lambda r: not r.item["authored"]),
            ("authored", lambda r: bool(r.item["authored"])),
            ("high confidence", lambda r: r.item["confidence"] == "high"),
            ("real, high confidence", lambda r: not r.item["authored"] and r.item["confidence"] == "high"),
        ]
        print(f"\n[{lang}] vague-action")
        for label, keep in subsets:
            print(vague_line(label, [r for r in mine if keep(r)]))
        print(vague_line("without exact duplicates", deduplicated(mine, seen)))
        print(vague_line("rules alone (no model)", mine, rules_only=True))
        print(gain_line(mine))
        for field in ("phase", "category"):
            print(f"[{lang}] {field}")
            print(tag_line("all", mine, field))
            print(tag_line("real", [r for r in mine if not r.item["authored"]], field))
            print(tag_line("high confidence", [r for r in mine if r.item["confidence"] == "high"], field))
            if mine:
                print("\n".join(confusion_lines(mine, field)))
        print(f"[{lang}] anti-patterns")
        print("\n".join(anti_lines(mine)))
    print("\n[en+ja] anti-patterns")
    print("\n".join(anti_lines(rows)))


def errors(split: str, kind: str) -> None:
    """The items a detector got wrong, with the gold label: for tuning on train/dev only."""
    for item in SPLIT.split_items(split):
        row = score(item)
        text = str(item["text"])
        if kind == "vague" and row.vague != bool(item["vague"]):
            verdict = judge.judge(text)
            why = verdict.vague.phrase if verdict.vague else ""
            tag = "FP" if row.vague else "FN"
            print(f"{tag} {item['confidence']:<4} {item['id']}: {text[:160]!r} | {why!r} | {item['vague_reason']}")
        elif kind in ("phase", "category") and getattr(row, kind) != item[kind]:
            print(f"{kind} {getattr(row, kind)!s:<13} gold {item[kind]!s:<13} {item['confidence']:<4} "
                  f"{item['id']}: {text[:150]!r}")
        elif kind == "anti" and row.anti != item["antipattern"]:
            print(f"anti {row.anti} gold {item['antipattern']} {item['id']}: {text[:150]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=("train", "dev", "test", "train+dev"))
    parser.add_argument("--errors", choices=("vague", "phase", "category", "anti"))
    parser.add_argument("--items", type=Path, metavar="JSONL",
                        help="score the items of this file instead (a held-out set kept outside the corpus)")
    args = parser.parse_args()
    if args.items:
        if args.errors:
            sys.exit("--errors never reads a held-out file: tune on train and dev only")
        lines = args.items.read_text(encoding="utf-8").splitlines()
        report(args.items.name, [json.loads(line) for line in lines if line.strip()])
        return
    problems = SPLIT.check()
    if problems:
        sys.exit("the split disagrees with corpus/test-docs.txt:\n" + "\n".join(problems))
    splits = ("train", "dev") if args.split == "train+dev" else (args.split,)
    if args.errors:
        if "test" in splits:
            sys.exit("--errors never reads the test split: tune on train and dev only")
        for split in splits:
            errors(split, args.errors)
        return
    for split in splits:
        report(split)


if __name__ == "__main__":
    main()
