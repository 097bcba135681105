"""Phase and category suggestions over the shared case table (tests/wording)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from actiontrack.model import Category, Phase
from actiontrack.tagging import suggest_category, suggest_phase


def _load_table() -> ModuleType:
    """The table lives with the wording tests; load it by path, not as a package."""
    path = Path(__file__).resolve().parents[1] / "wording" / "test_wording_table.py"
    spec = importlib.util.spec_from_file_location("_actiontrack_case_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


CASES = _load_table().CASES
PHASES = {"dev": Phase.DEVELOPMENT, "ver": Phase.VERIFICATION, "post": Phase.POST_RELEASE, "?": None}
CATEGORIES = {
    "rc": Category.ROOT_CAUSE, "pf": Category.PERMANENT_FIX, "re": Category.RECURRENCE,
    "de": Category.DETECTION, "rv": Category.RECOVERY, "?": None,
}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text[:60])
def test_phase(case: object) -> None:
    found = suggest_phase(case.text)  # type: ignore[attr-defined]
    assert found.value == PHASES[case.phase]  # type: ignore[attr-defined]
    if found.value is not None:
        assert found.words, "a suggestion must show the words that decided it"
        assert all(word in case.text for word in found.words)  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text[:60])
def test_category(case: object) -> None:
    found = suggest_category(case.text)  # type: ignore[attr-defined]
    assert found.value == CATEGORIES[case.category]  # type: ignore[attr-defined]
    if found.value is not None:
        assert found.words, "a suggestion must show the words that decided it"
        assert all(word in case.text for word in found.words)  # type: ignore[attr-defined]
