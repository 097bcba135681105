"""Shared test set-up. Fixture modules live beside this file, one per concern."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["fixtures_postgres", "fixtures_sandbox", "fixtures_sync", "fixtures_trickle", "fixtures_disk"]

# A copy of the shared sample postmortems, so the tests run the same in a plain clone.
SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"


@pytest.fixture
def samples_dir() -> Path:
    """The sample postmortems the lint, sync and report tests are written against."""
    return SAMPLES
