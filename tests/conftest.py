"""Shared test set-up. Fixture modules live beside this file, one per concern."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

pytest_plugins = ["fixtures_postgres", "fixtures_sandbox", "fixtures_sync", "fixtures_trickle", "fixtures_disk"]

# The regex program cache (actiontrack.lazyre) of this test run, in and out of process:
# never the user's ~/.cache, and the same one for every subprocess a test starts.
os.environ.setdefault("ACTIONTRACK_CACHE_DIR", tempfile.mkdtemp(prefix="actiontrack-test-cache-"))

# A copy of the shared sample postmortems, so the tests run the same in a plain clone.
SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"


@pytest.fixture
def samples_dir() -> Path:
    """The sample postmortems the lint, sync and report tests are written against."""
    return SAMPLES
