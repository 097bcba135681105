"""The labelled corpus and its frozen split: what bench/judgement.py reports is measured on."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


SPLIT = _load(ROOT / "corpus" / "split.py", "_corpus_split")
PHASES = {"development", "verification", "post-release"}
CATEGORIES = {"root-cause", "permanent-fix", "recurrence", "detection", "recovery"}
REASONS = ("attitude", "improve-no-change", "investigate-no-deliverable", "person-remembers",
           "unbounded-ongoing", "other")


def test_the_rule_still_gives_exactly_the_frozen_test_documents() -> None:
    assert SPLIT.check() == []


def test_documents_of_one_event_share_a_split() -> None:
    realdocs = SPLIT.realdoc_splits()
    for group in SPLIT.EVENTS:
        assert len({SPLIT.item_split(doc, realdocs) for doc in group}) == 1, group


def test_a_held_out_reader_document_is_test_and_a_dev_one_never() -> None:
    realdocs = SPLIT.realdoc_splits()
    for doc, split in realdocs.items():
        assert (SPLIT.item_split(doc, realdocs) == "test") is (split == "heldout"), doc


def test_every_item_is_labelled_as_the_guide_defines() -> None:
    ids = set()
    for item in SPLIT.items():
        assert item["id"] not in ids
        ids.add(item["id"])
        assert str(item["id"]).startswith(f"{item['doc']}#")
        assert item["lang"] in ("en", "ja") and item["text"]
        assert item["phase"] in PHASES and item["category"] in CATEGORIES, item["id"]
        assert item["antipattern"] in (None, "error-hiding", "punitive", "oversized"), item["id"]
        assert item["confidence"] in ("high", "low")
        if item["vague"]:
            assert str(item["vague_reason"]).startswith(REASONS), item["id"]
        assert bool(item["authored"]) is str(item["doc"]).startswith("authored-"), item["id"]


def test_the_statistics_of_the_report() -> None:
    bench = _load(ROOT / "bench" / "judgement.py", "_bench_judgement")
    assert bench.prf([(True, True), (True, False), (False, True), (False, False)]) == (0.5, 0.5, 0.5)
    low, high = bench.wilson(9, 10)
    assert 0.55 < low < 0.6 and 0.98 < high <= 1.0
    assert bench.normalise("再発防止に努めてまいります。") == bench.normalise("再発防止に 努めて まいります")
