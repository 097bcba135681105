"""Start-up benchmark: `actiontrack lint` on one file vs `python -c "import typer, pydantic"`.

Target (issues 3, 9, 10): the ratio of medians is at most 1.3. What is timed is what users
run: the `actiontrack` console script of a regular (non-editable) install of this checkout
(bench/installed.py builds one), on an English example and on each of the shared sample
postmortems; the baseline is the same virtualenv's Python importing typer and pydantic.
Both are measured alternately in the same run, because these machines are noisy.
Usage: python bench/startup.py [--runs N] [--editable]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "postmortems" / "2024-03-12-checkout-timeouts.md"
SHARED = ROOT.parent / "shared" / "samples" / "postmortems"


# Users' Pythons cache bytecode; a PYTHONDONTWRITEBYTECODE=1 left in a developer shell
# would make both sides recompile every module on every run and measure the compiler.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--editable", action="store_true", help="time this checkout's environment instead")
    args = parser.parse_args()
    if args.editable:
        python, script = sys.executable, [sys.executable, "-m", "actiontrack"]
    else:
        sys.path.insert(0, str(ROOT / "bench"))
        from installed import installed_venv

        venv = installed_venv()
        python, script = str(venv / "bin" / "python"), [str(venv / "bin" / "actiontrack")]
    files = [SAMPLE, *(sorted(SHARED.glob("*")) if SHARED.is_dir() else [])]
    baseline_cmd = [python, "-c", "import typer, pydantic"]
    for _ in range(3):  # warm the page cache and .pyc files
        wall(baseline_cmd)
        for path in files:
            wall([*script, "lint", str(path)])
    print(f"runs: {args.runs} each, alternating; {'editable checkout' if args.editable else 'installed wheel'}")
    worst = 0.0
    for path in files:
        baseline, lint = [], []
        for _ in range(args.runs):
            baseline.append(wall(baseline_cmd))
            lint.append(wall([*script, "lint", str(path)]))
        b, m = statistics.median(baseline), statistics.median(lint)
        worst = max(worst, m / b)
        print(f"{path.name:48} lint median {m * 1000:6.1f} ms  baseline {b * 1000:6.1f} ms  ratio {m / b:.2f}x")
    print(f"worst ratio: {worst:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
