"""A small, nearly full disk: a tmpfs mounted for one test (root only), else a skip saying why.

Tests of disk-full handling use it where the machine allows; each also has a simulated
ENOSPC variant so that the behaviour is checked everywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(point: Path, size: str) -> str | None:
    """None when mounted, else why not."""
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    if shutil.which("mount") is None:
        return "no mount command"
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                          capture_output=True, text=True, timeout=20)
    return None if done.returncode == 0 else f"mount -t tmpfs failed: {done.stderr.strip()}"


def fill(directory: Path, *, leave: int = 0) -> None:
    """Fill the file system of `directory` until fewer than `leave` bytes are free."""
    filler = directory / "filler.bin"
    with filler.open("wb") as handle:
        try:
            while os.statvfs(directory).f_bavail * os.statvfs(directory).f_frsize > leave:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError:
            pass


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs at tmp_path/disk, unmounted after the test."""
    point = tmp_path / "disk"
    point.mkdir()
    why = _mount(point, "1m")
    if why is not None:
        pytest.skip(f"no small tmpfs on this machine ({why}); the simulated ENOSPC test covers it")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True, timeout=20)
