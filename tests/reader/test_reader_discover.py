"""What a folder walk and a named path read: unreadable subfolders are findings, FIFOs and devices are refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from actiontrack.reader import discover, read_file, read_paths

PM = "# Outage\n## Action items\n- Alert when lag exceeds 60 s — owner: @a, due: 2024-05-01\n"


def test_the_walk_is_sorted_and_skips_tool_folders(tmp_path: Path) -> None:
    for name in ("b.md", "a/z.md", "a/b.toml", ".git/x.md", "node_modules/y.md", "README.md", "c.txt", "d.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(PM, encoding="utf-8")
    found = [(p.relative_to(tmp_path).as_posix(), named) for p, named in discover([tmp_path])]
    assert found == [("a/b.toml", False), ("a/z.md", False), ("b.md", False), ("c.txt", False)]  # plain text too
    assert [p.name for p, _ in discover([tmp_path], exclude=["a/*"])] == ["b.md", "c.txt"]


def _without_root_privileges() -> list[str] | None:
    """A command prefix under which permissions hold: nothing for a user, setpriv for root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]


def test_a_subfolder_that_cannot_be_listed_is_a_finding(tmp_path: Path) -> None:
    prefix = _without_root_privileges()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    (tmp_path / "ok.md").write_text(PM, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.md").write_text(PM, encoding="utf-8")
    locked.chmod(0)
    try:
        result = subprocess.run(
            [*prefix, sys.executable, "-m", "actiontrack", "lint", "--output-format", "json", str(tmp_path)],
            capture_output=True, text=True, timeout=60, check=False)
    finally:
        locked.chmod(0o755)
    findings = json.loads(result.stdout)
    unreadable = [f for f in findings if f["code"] == "AT001"]
    assert result.returncode == 1 and len(unreadable) == 1, result.stderr
    assert unreadable[0]["path"] == str(locked) and "cannot list folder" in unreadable[0]["message"]
    assert any(f["path"].endswith("ok.md") for f in findings)  # the rest is still read


@pytest.mark.timeout(30)
def test_a_fifo_named_on_the_command_line_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pm.md"
    os.mkfifo(fifo)
    (finding,) = read_file(fifo).findings
    assert finding.code == "AT001" and "a FIFO, not a regular file: refused" in finding.message
    assert read_paths([tmp_path]) == []  # a walk leaves it alone: it is no postmortem file


@pytest.mark.timeout(30)
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused() -> None:
    (finding,) = read_file(Path("/dev/zero")).findings
    assert finding.code == "AT001" and "a device, not a regular file" in finding.message


@pytest.mark.timeout(60)
def test_the_cli_refuses_a_fifo_with_exit_1(tmp_path: Path) -> None:
    fifo = tmp_path / "actions.md"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "actiontrack", "lint", str(fifo)],
                            capture_output=True, text=True, timeout=50, check=False)
    assert result.returncode == 1 and "AT001 [error] cannot read file: a FIFO" in result.stdout
