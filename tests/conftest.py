"""Shared test set-up. Fixture modules live beside this file, one per concern."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["fixtures_postgres", "fixtures_sandbox", "fixtures_sync", "fixtures_trickle", "fixtures_disk"]

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "postmortems"


@pytest.fixture
def samples_dir() -> Path:
    """The bundled sample postmortems of ../shared (CI has them beside the clone)."""
    if not SAMPLES.is_dir():
        pytest.skip(f"sample postmortems not found at {SAMPLES}")
    return SAMPLES
