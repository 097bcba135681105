"""safe_write: write-back keeps mode, owner, symlinks and hard links, refuses read-only
files, never tears a file and never leaves a temp file behind (killed runs' included)."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from actiontrack.errors import FileWriteError
from actiontrack.safe_write import remove_stale_temps, replace_text, stale_temps, temp_name
from fixtures_disk import fill

OLD, NEW = "- [ ] Alert on lag\n", "- [ ] Alert on lag OPS-1\n"


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if ".actiontrack-" in p.name)


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o640, 0o755])
def test_the_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "pm.md"
    path.write_text(OLD)
    path.chmod(mode)
    replace_text(path, NEW)
    assert path.read_text() == NEW
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_the_file_keeps_its_owner_and_group(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(OLD)
    os.chown(path, 4321, 4322)
    replace_text(path, NEW)
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (4321, 4322) and path.read_text() == NEW


def test_a_symlink_stays_and_its_target_is_written(tmp_path: Path) -> None:
    real = tmp_path / "real" / "pm.md"
    real.parent.mkdir()
    real.write_text(OLD)
    link = tmp_path / "pm.md"
    link.symlink_to(Path("real") / "pm.md")
    replace_text(link, NEW)
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "pm.md")
    assert real.read_text() == NEW and link.read_text() == NEW
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_a_hard_linked_file_is_refused_and_both_names_stay_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(OLD)
    other = tmp_path / "copy.md"
    os.link(path, other)
    with pytest.raises(FileWriteError, match="2 hard links") as caught:
        replace_text(path, NEW)
    assert str(path) in caught.value.message
    assert path.read_text() == other.read_text() == OLD and path.stat().st_ino == other.stat().st_ino


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(OLD)
    path.chmod(0o444)
    with pytest.raises(FileWriteError, match="read-only"):
        replace_text(path, NEW)
    assert path.read_text() == OLD and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert leftovers(tmp_path) == []


def test_a_simulated_full_disk_leaves_the_file_whole_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "pm.md"
    path.write_text(OLD)
    real_write = os.write
    calls: list[int] = []

    def full(fd: int, data: bytes | memoryview) -> int:
        """The first write gets 3 bytes through, then the disk is full."""
        calls.append(fd)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, bytes(data)[:3])

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(FileWriteError, match="no space left") as caught:
        replace_text(path, NEW * 10)
    monkeypatch.undo()
    assert str(path) in caught.value.message and "unchanged" in caught.value.message
    assert path.read_text() == OLD and leftovers(tmp_path) == []


def test_a_real_full_disk_leaves_the_file_whole_and_no_temp(small_disk: Path) -> None:
    path = small_disk / "pm.md"
    path.write_text(OLD)
    fill(small_disk, leave=4096)
    with pytest.raises(FileWriteError, match="no space left"):
        replace_text(path, NEW * 50_000)
    assert path.read_text() == OLD and leftovers(small_disk) == []


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from actiontrack import safe_write
path = Path(sys.argv[1])
real_replace = os.replace
def stall(*args):
    print("ready", flush=True)
    time.sleep(60)
os.replace = stall
safe_write.replace_text(path, "NEW TEXT\\n" * 1000)
"""


def test_a_temp_file_left_by_a_killed_run_is_recognised_and_removed(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(OLD)
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert path.read_text() == OLD  # killed before the rename: the old file, whole
    left = temp_name(path, child.pid)
    assert left.exists() and stale_temps(tmp_path) == [left]

    mine = temp_name(tmp_path / "other.md")  # a live process's temp is not touched
    mine.write_text("in progress")
    assert remove_stale_temps([tmp_path, tmp_path]) == [left]
    assert not left.exists() and mine.exists()
