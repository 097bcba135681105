"""End to end, as a user meets it: read each real document, then judge what was read.

bench/extraction.py scores the reader (were the actions found?) and bench/judgement.py the
judgement on the labelled titles (is this item vague, which phase?). A user sees neither
alone: `actiontrack lint` flags what the reader took, and `actiontrack tag` tags it. This
script scores that: per document of tests/fixtures/realdocs that has labelled items
(corpus/<round>/items.jsonl, one item per expected action in the same order), the actions
are read and matched to the written-down ones as bench/extraction.py does, and then

* vague: a labelled-vague action counts as found only if it was read *and* flagged; an
  action flagged that a careful reader would not take as one (a line of the timeline, a
  finding) is a false alarm, as it is for the user;
* phase / category: right when the action was read and its tag (written, else suggested,
  as `actiontrack tag` shows it) is the label; a missed action is not right. Coverage is
  the share of the labelled actions that were read and given a tag.

Held-out rounds not yet spent (bench/extraction.SPENT) are only ever reported in
aggregate, as everywhere; --show lists the misses of a spent round.

Usage: python bench/endtoend.py [--split heldout6|heldout7|…|spent] [--show]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from actiontrack import judge
from actiontrack.classify import classify
from actiontrack.reader import read_file

ROOT = Path(__file__).resolve().parents[1]


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


extraction = _bench("extraction")
judgement = _bench("judgement")


@dataclass
class Counts:
    """Per language: vague (tp, fp, fn) and per-field (right, tagged, labelled)."""

    docs: int = 0
    actions: int = 0
    read: int = 0
    extra: int = 0
    vague: list[tuple[bool, bool]] = field(default_factory=list)  # (flagged, labelled vague)
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    tagged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)


def items_by_doc() -> dict[str, list[dict[str, object]]]:
    """Labelled items of the rounds whose items follow their documents' [[actions]] order."""
    grouped: dict[str, list[dict[str, object]]] = defaultdict(list)
    for path in sorted((ROOT / "corpus").glob("heldout*/items.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                grouped[str(item["doc"])].append(item)
    return grouped


def score_doc(doc: extraction.Doc, items: list[dict[str, object]], counts: Counts) -> None:
    counts.docs += 1
    counts.actions += len(doc.expected)
    result = read_file(doc.path)
    found = list(result.postmortem.actions) if result.postmortem else []
    pairs, missing, extra = extraction.match(doc.expected, found)
    label = {id(want): item for want, item in zip(doc.expected, items, strict=True)}
    name = doc.path.name
    for want, got in pairs:
        item = label[id(want)]
        counts.read += 1
        flagged = judge.vague(got) is not None
        counts.vague.append((flagged, bool(item["vague"])))
        if flagged != bool(item["vague"]):
            counts.misses.append(f"{name}:{want.line}: vague {'flagged' if flagged else 'missed'}: {want.title[:80]}")
        tags = classify(got)
        for field_name, tag in (("phase", tags.phase), ("category", tags.category)):
            if tag.value is None:
                continue
            counts.tagged[field_name] += 1
            if str(tag.value.value) == item[field_name]:
                counts.right[field_name] += 1
            else:
                counts.misses.append(f"{name}:{want.line}: {field_name} {tag.value.value} "
                                     f"(gold {item[field_name]}): {want.title[:70]}")
    for want in missing:
        counts.vague.append((False, bool(label[id(want)]["vague"])))
        counts.misses.append(f"{name}:{want.line}: not read: {want.title[:80]}")
    for got in extra:
        counts.extra += 1
        if judge.vague(got) is not None:
            counts.vague.append((True, False))
            counts.misses.append(f"{name}:{got.line}: flagged, no action: {got.title[:80]}")


def report(split: str, show: bool) -> None:
    grouped = items_by_doc()
    spent = split in extraction.SPENT or split == "spent"
    docs = [doc for doc in extraction.load(extraction.ROOT)
            if (doc.split == split or (split == "spent" and doc.split in extraction.SPENT))
            and doc.path.name.split(".")[0] in grouped]
    by_lang: dict[str, Counts] = defaultdict(Counts)
    skipped = 0
    for doc in docs:
        items = grouped[doc.path.name.split(".")[0]]
        if len(items) != len(doc.expected):
            skipped += 1
            continue
        key = f"{doc.language}{' authored' if doc.authored else ''}"
        score_doc(doc, items, by_lang[key])
    print(f"end to end on {split}: {len(docs)} documents with labelled items"
          + (f" ({skipped} skipped: items and actions differ in number)" if skipped else ""))
    for key in sorted(by_lang):
        c = by_lang[key]
        p, r, f1 = judgement.prf(c.vague)
        positives = sum(gold for _, gold in c.vague)
        print(f"[{key}] docs={c.docs} actions={c.actions} read={c.read} extra={c.extra}")
        print(f"  vague       labelled={positives}  P {p:.2f}  R {r:.2f}  F1 {f1:.2f}")
        for field_name in ("phase", "category"):
            right, tagged = c.right[field_name], c.tagged[field_name]
            low, high = judgement.wilson(right, c.actions)
            print(f"  {field_name:<9}   right {right}/{c.actions} = {right / max(c.actions, 1):.2f} "
                  f"[{low:.2f}-{high:.2f}]  tagged {tagged}/{c.actions}  "
                  f"accuracy where tagged {right / max(tagged, 1):.2f}")
        if show and spent:
            print("\n".join(f"    {line}" for line in c.misses))
    if show and not spent:
        print("(--show lists misses of spent rounds only)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="spent",
                        help="a held-out round (heldout3 …), or 'spent' for every spent round with items")
    parser.add_argument("--show", action="store_true", help="list the misses (spent rounds only)")
    args = parser.parse_args()
    report(args.split, args.show)


if __name__ == "__main__":
    main()
