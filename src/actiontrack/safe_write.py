"""Replace a file's text without surprising its owner: what `sync --write-back` writes with.

* The new text goes to a temp file beside the target, is flushed to disk, and replaces the
  target in one rename: a crash leaves the old file or the new one, never a torn one.
* The temp file takes the target's mode and owner before the rename, so the file keeps them.
* A symlink is followed and its target written; the symlink itself stays.
* A read-only file (no write bit, even for root) and a hard-linked file (a rename would
  split its links, so the other names would keep the old text) are refused with a message.
* Temp files are named `.NAME.actiontrack-PID.tmp`: one left by a run that was killed
  (its PID is gone) is recognised and removed by `remove_stale_temps`.
* A full disk (or any OSError) removes the temp file and raises FileWriteError naming the
  file; the target is untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from actiontrack.errors import FileWriteError
from actiontrack.textcodec import encode

TEMP_PATTERN = re.compile(r"^\.(?P<name>.+)\.actiontrack-(?P<pid>\d+)\.tmp$")


def temp_name(path: Path, pid: int | None = None) -> Path:
    return path.with_name(f".{path.name}.actiontrack-{pid or os.getpid()}.tmp")


def replace_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write `text` as the new content of `path`, in `encoding` (a codec name of
    actiontrack.textcodec); see the module docstring for the rules."""
    target = _writable_target(path)
    try:
        data = encode(text, encoding)
    except UnicodeEncodeError as exc:
        raise FileWriteError(f"cannot write {exc.object[exc.start:exc.end]!r} in the file's encoding "
                             f"({encoding}); the file is unchanged", path=path) from None
    info = target.stat()
    temp = temp_name(target)
    try:
        _write_temp(temp, data, info)
        os.replace(temp, target)
        _sync_directory(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise FileWriteError(f"cannot write it: {_why(exc)}; the file is unchanged", path=path) from None


def _writable_target(path: Path) -> Path:
    """The real file to replace (symlinks followed), or a FileWriteError saying why not."""
    try:
        target = path.resolve(strict=True)
        info = target.stat()
    except OSError as exc:
        raise FileWriteError(f"cannot write it: {_why(exc)}", path=path) from None
    if not stat.S_ISREG(info.st_mode):
        raise FileWriteError("not a regular file: nothing written", path=path)
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise FileWriteError(
            "the file is read-only: nothing written (make it writable, e.g. `chmod u+w`, "
            "or run sync without --write-back)", path=path)
    if info.st_nlink > 1:
        raise FileWriteError(
            f"the file has {info.st_nlink} hard links: writing back would leave the other names "
            "with the old text, so nothing was written (replace the extra links by symlinks, or "
            "add the issue keys by hand)", path=path)
    return target


def _write_temp(temp: Path, data: bytes, info: os.stat_result) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(temp, flags, 0o600)
    try:
        _keep_owner(fd, info)
        os.fchmod(fd, stat.S_IMODE(info.st_mode))
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_owner(fd: int, info: os.stat_result) -> None:
    """Give the temp file the target's owner and group; refuse when that is not allowed."""
    if (info.st_uid, info.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError:
        raise OSError(errno.EPERM, "the file belongs to another user, whose ownership a "
                      "replaced file could not keep") from None


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a directory; the rename is still atomic
    finally:
        os.close(fd)


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EDQUOT:
        return "the disk quota is used up"
    return exc.strerror or str(exc)


def stale_temps(directory: Path) -> list[Path]:
    """Temp files in `directory` left by write-backs whose process no longer runs."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    found = []
    for name in names:
        match = TEMP_PATTERN.match(name)
        if match and not _alive(int(match.group("pid"))):
            found.append(directory / name)
    return found


def remove_stale_temps(directories: Iterable[Path]) -> list[Path]:
    """Remove what killed earlier runs left behind; returns the files removed."""
    removed = []
    for directory in dict.fromkeys(directories):
        for temp in stale_temps(directory):
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
                removed.append(temp)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's running process
    return True
