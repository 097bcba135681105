"""Linting as a library call pauses the cycle collector and gives it back intact."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from actiontrack.gcpause import cycle_collector_paused
from actiontrack.lint import lint_paths


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_lint_paths_leaves_the_collector_on_and_collecting(tmp_path: Path) -> None:
    (tmp_path / "pm.md").write_text("# PM\n\n## Action items\n\n- Improve monitoring\n", encoding="utf-8")
    gc.enable()
    before = _Node()
    gone = weakref.ref(before)
    del before
    report = lint_paths([tmp_path])
    assert report.files and gc.isenabled()
    gc.collect()
    assert gone() is None  # cyclic garbage made before the run is still found


def test_cycles_made_inside_the_pause_are_collected_after_it() -> None:
    gc.enable()
    with cycle_collector_paused():
        assert not gc.isenabled()
        inside = _Node()
        gone = weakref.ref(inside)
        del inside
    assert gc.isenabled()
    gc.collect()
    assert gone() is None


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with cycle_collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
