"""Extraction recall and precision on real postmortems (tests/fixtures/realdocs), per split.

Each document there is kept verbatim with the actions a careful reader takes from it,
written down by hand (its .expected.toml). The split was fixed by document id before the
reader was built against it (corpus/split.py): one document in three is held out. This
script reads every document with the installed reader and matches what it found to what
was written down: an action matches when it starts on the expected line (or covers it with
similar words). It prints recall and precision per language and split, real and authored
apart, and for the high-confidence subset.

Splits: ``dev`` is built against. ``heldout`` (held-out round 1) was measured once, on
2026-12-01, and is spent: its figures are in BENCHMARKS.md, and from then on it is worked
on like dev (``--show heldout`` lists its misses). ``heldout2`` (held-out round 2, written
down before the reader was changed for round 4) was measured once, at round 4's end, and is
spent too (``--show heldout2``). ``heldout3`` (held-out round 3) was measured once, at round 5's
end, and is spent as well (``--show heldout3``); so is ``heldout4``, measured once at round 6's
end, ``heldout5``, measured once at round 7's end, and ``heldout6``, measured once at round 9's
end (2026-12-02), and ``heldout7`` and ``heldout8``, measured once together at round 10's end
(2026-12-02 19:14). Any later split (``heldout9`` …) is held out: only ever counted, its contents
never printed.

Usage: python bench/extraction.py [--show dev|heldout|heldout2|…|heldout8]
       [--split dev|heldout|heldout2|…|all]
       [--root DIR]
"""

from __future__ import annotations

import argparse
import math
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from actiontrack.identity import normalise_title, similarity
from actiontrack.model import Action
from actiontrack.reader import read_file

ROOT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "realdocs"
# Splits whose misses may be looked at: dev, and the held-out rounds already measured once.
SPENT = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8")


@dataclass
class Expected:
    line: int
    title: str
    owner: str | None
    due: str | None
    done: bool
    high: bool


@dataclass
class Doc:
    path: Path
    split: str
    language: str
    authored: bool
    expected: list[Expected]


@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    titles_exact: int = 0
    owners_right: int = 0
    owners_total: int = 0
    docs: int = 0
    crashes: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("tp", "fn", "fp", "titles_exact", "owners_right", "owners_total", "docs", "crashes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def load(root: Path) -> list[Doc]:
    docs = []
    for spec in sorted(root.glob("*/*.expected.toml")):
        data = tomllib.loads(spec.read_text(encoding="utf-8"))
        stem = spec.name[: -len(".expected.toml")]
        path = next(p for p in spec.parent.iterdir() if p.name.startswith(stem + ".") and p != spec)
        expected = [
            Expected(int(a["line"]), str(a["title"]), a.get("owner"), str(a["due"]) if a.get("due") else None,
                     bool(a.get("done", False)), a.get("confidence", "high") == "high")
            for a in data.get("actions", [])
        ]
        docs.append(Doc(path, data["split"], data.get("language", spec.parent.name), bool(data.get("authored")),
                        expected))
    return docs


def match(expected: list[Expected], found: list[Action]) -> tuple[list[tuple[Expected, Action]], list[Expected],
                                                                    list[Action]]:
    """Pairs, unmatched expected, unmatched found: same start line first, then a found action
    whose lines cover the expected one with similar words."""
    pairs: list[tuple[Expected, Action]] = []
    left = list(found)
    missing: list[Expected] = []
    for want in expected:
        same = next((a for a in left if a.line == want.line), None)
        if same is None:
            same = max((a for a in left if a.line <= want.line <= a.end_line
                        and similarity(a.title, want.title) >= 0.5), key=lambda a: similarity(a.title, want.title),
                       default=None)
        if same is None:
            missing.append(want)
        else:
            pairs.append((want, same))
            left.remove(same)
    return pairs, missing, left


def evaluate(doc: Doc, *, high_only: bool) -> Tally:
    tally = Tally(docs=1)
    try:
        result = read_file(doc.path)
    except Exception as exc:
        tally.crashes = 1
        tally.misses.append(f"CRASH {type(exc).__name__}: {exc}")
        return tally
    found = list(result.postmortem.actions) if result.postmortem else []
    expected = [e for e in doc.expected if e.high or not high_only]
    pairs, missing, extra = match(doc.expected, found)
    low_lines = {e.line for e in doc.expected if not e.high}
    for want, got in pairs:
        if high_only and not want.high:
            continue
        tally.tp += 1
        tally.titles_exact += normalise_title(got.title) == normalise_title(want.title)
        if want.owner:
            tally.owners_total += 1
            tally.owners_right += (got.owner or "").lower() == str(want.owner).lower()
    tally.fn = sum(1 for e in missing if e in expected)
    tally.fp = len(extra)
    for want in missing:
        if want in expected:
            tally.misses.append(f"  missed {want.line}: {want.title[:90]}")
    for got in extra:
        note = " (low-confidence line)" if got.line in low_lines else ""
        tally.misses.append(f"  extra  {got.line}: {got.title[:90]}{note}")
    for want, got in pairs:
        if normalise_title(got.title) != normalise_title(want.title) and (want.high or not high_only):
            tally.misses.append(f"  title  {want.line}: got {got.title[:70]!r} want {want.title[:70]!r}")
    return tally


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "  n/a"


def _wilson(num: int, den: int) -> str:
    if not den:
        return ""
    z = 1.96
    p = num / den
    centre = (p + z * z / (2 * den)) / (1 + z * z / den)
    half = z * math.sqrt(p * (1 - p) / den + z * z / (4 * den * den)) / (1 + z * z / den)
    return f"[{max(0.0, centre - half):.2f}, {min(1.0, centre + half):.2f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--split", default="all",
                        help="dev, a held-out round (heldout, heldout2 …) or all [default: all]")
    parser.add_argument("--show", choices=SPENT,
                        help="list the misses of dev or a spent held-out split (never a live one)")
    args = parser.parse_args()
    docs = [d for d in load(args.root) if args.split == "all" or d.split == args.split]
    print(f"{'split':8} {'lang':5} {'source':9} {'subset':6} {'docs':>4} {'expected':>8} {'found':>6} "
          f"{'recall':>6} {'95% CI':>13} {'precision':>9} {'95% CI':>13} {'title=':>6} {'owner=':>6} crashes")
    for subset in ("all", "high"):
        groups: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
        for doc in docs:
            tally = evaluate(doc, high_only=subset == "high")
            key = (doc.split, doc.language, "authored" if doc.authored else "real")
            groups[key].add(tally)
            if args.show and doc.split == args.show and subset == "all" and tally.misses:
                print(f"# {doc.path.relative_to(args.root)}", file=sys.stderr)
                for miss in tally.misses:
                    print(miss, file=sys.stderr)
        for (split, lang, source), t in sorted(groups.items()):
            found = t.tp + t.fp
            print(f"{split:8} {lang:5} {source:9} {subset:6} {t.docs:>4} {t.tp + t.fn:>8} {found:>6} "
                  f"{_ratio(t.tp, t.tp + t.fn):>6} {_wilson(t.tp, t.tp + t.fn):>13} {_ratio(t.tp, found):>9} "
                  f"{_wilson(t.tp, found):>13} {_ratio(t.titles_exact, t.tp):>6} "
                  f"{_ratio(t.owners_right, t.owners_total):>6} {t.crashes}")


if __name__ == "__main__":
    main()
