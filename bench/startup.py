"""Start-up benchmark: `actiontrack lint` on one sample file vs `python -c "import typer, pydantic"`.

Target (issue 3): the ratio of medians is at most 1.3. Both are measured alternately in
the same run, because these machines are noisy. Usage: python bench/startup.py [--runs N]
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
    args = parser.parse_args()
    python = sys.executable
    baseline_cmd = [python, "-c", "import typer, pydantic"]
    lint_cmd = [python, "-m", "actiontrack", "lint", str(SAMPLE)]
    for _ in range(3):  # warm the page cache and .pyc files
        wall(baseline_cmd)
        wall(lint_cmd)
    baseline, lint = [], []
    for _ in range(args.runs):
        baseline.append(wall(baseline_cmd))
        lint.append(wall(lint_cmd))
    b, m = statistics.median(baseline), statistics.median(lint)
    print(f"runs: {args.runs} each, alternating")
    print(f"python -c 'import typer, pydantic': median {b * 1000:.1f} ms")
    print(f"actiontrack lint {SAMPLE.name}: median {m * 1000:.1f} ms")
    print(f"ratio: {m / b:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
