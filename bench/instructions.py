"""Instructions per 2,000 actions for the reader and for lint, counted by valgrind's callgrind.

Wall time on a shared VM moves by a third with what the host is doing; instruction counts
do not, so they are the figure to compare revisions by (the cost goals of issues 9 and 10).
The data is bench/throughput.py's generator: 100 files of 20 actions. Each half runs once
to warm its caches; the count of a process that then runs it twice more, minus one that
does not, halved, is the steady-state cost of one pass over the 2,000 actions.

Usage: python bench/instructions.py [--python PY] [read] [lint]
       (PY: the interpreter of the install to count, default this one; needs valgrind)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FILES, PER_FILE, EXTRA_RUNS = 100, 20, 2


def child(folder: Path, half: str, runs: int) -> None:
    """What valgrind counts: one warm-up pass of each half, then `runs` passes of one."""
    from actiontrack.lint import lint
    from actiontrack.reader import read_paths

    result = read_paths([folder])
    lint(result)
    for _ in range(runs):
        if half == "read":
            read_paths([folder])
        else:
            lint(result)


def count(python: str, folder: Path, half: str, runs: int) -> int:
    """Instructions callgrind collected for a child process doing `runs` passes."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python, __file__,
         "--child", str(folder), half, str(runs)],
        capture_output=True, text=True, check=True,
    )
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no instruction count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default=sys.executable, help="the interpreter of the install to count")
    # checked here: argparse (3.11) refuses an empty list or a list default against choices
    parser.add_argument("halves", nargs="*", metavar="read|lint", help="default: both")
    args = parser.parse_args()
    if set(args.halves) - {"read", "lint"}:
        parser.error(f"halves are read and lint, not {', '.join(sorted(set(args.halves) - {'read', 'lint'}))}")
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from throughput import generate  # the same generated postmortems as the throughput figure

    with tempfile.TemporaryDirectory(prefix="at-bench-instr-") as tmp:
        folder = Path(tmp)
        generate(folder, FILES, PER_FILE)
        for half in args.halves or ("read", "lint"):
            base = count(args.python, folder, half, 0)
            more = count(args.python, folder, half, EXTRA_RUNS)
            per_pass = (more - base) / EXTRA_RUNS
            print(f"{half}: {per_pass / 1e6:.0f}M instructions per {FILES * PER_FILE:,} actions "
                  f"({per_pass / (FILES * PER_FILE):,.0f} per action)")


if __name__ == "__main__":
    main()
