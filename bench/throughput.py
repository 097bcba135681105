"""Throughput benchmark: read, tag and lint 20,000 generated actions in 1,000 files.

Target (issue 3): >= 20,000 actions/s on one core. Files are generated once into a
temporary folder (Markdown tables, task lists and TOML, English and Japanese, concrete
and vague); the timing covers reading, tagging and linting in this process.
Usage: python bench/throughput.py [--files 1000] [--per-file 20] [--runs 5] [--installed] [--compare BIN]
       [--distinct]

--installed also times what users run: the `actiontrack lint` console script of a regular
(non-editable) install of this checkout (bench/installed.py), as a fresh process per run, its
CPU time read from the child's resource usage (start-up included). --compare BIN times another
install's `actiontrack` (e.g. a previous release's) alternately in the same run, for a ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from actiontrack.lint import lint_paths

EN = [
    "Alert when replication lag exceeds 60 seconds for 5 minutes",
    "Add a CI test that fails when a connector config sets max.batch.size above 2048",
    "Write a runbook for replaying the connector backlog",
    "Be more careful when reviewing configuration changes",
    "Confirm from heap dumps whether the OOM was caused by the snapshot",
    "Replace the manual host restart with a liveness probe",
    "Improve monitoring",
    "Canary the release to 5% of tasks and roll back automatically when errors double",
]
JA = [
    "レスポンス速度の劣化を監視し、閾値超過でSlackに通知する",
    "全体プッシュ通知を10分かけて段階的に送信する",
    "手動スケールアウト手順を手順書にまとめる",
    "今後は細心の注意を払って確認を入念に行う",
    "設定値のバリデーションをCIで実行する",
]


DISTINCT = False  # --distinct: no two actions share a title (lint remembers verdicts per distinct text)


def _tail(index: int, n: int) -> str:
    return f"{index}.{n}" if DISTINCT else str(n)


def _markdown(index: int, count: int, rng: random.Random) -> str:
    front = f"---\nid: PM-{index:05d}\ntitle: Incident {index}\ndate: 2024-01-15\n---\n"
    lines = [front, "# Incident", "## Action items"]
    if index % 2:
        lines += ["| Action | Owner | Due | Phase | Category |", "|---|---|---|---|---|"]
        lines += [
            f"| {rng.choice(EN)} {_tail(index, n)} | @dev{n} | 2024-02-{n % 28 + 1:02d} | post-release | detection |"
            for n in range(count)
        ]
    else:
        lines += [
            f"- [ ] {rng.choice(JA)} {_tail(index, n)}（担当: @dev{n}, 期限: 2024-02-{n % 28 + 1:02d}）" if n % 3 else
            f"- [ ] {rng.choice(EN)} {_tail(index, n)} — owner: @dev{n}, due: 2024-03-01 #development #recurrence"
            for n in range(count)
        ]
    return "\n".join(lines) + "\n"


def _toml(index: int, count: int, rng: random.Random) -> str:
    parts = [f'id = "PM-{index:05d}"\ntitle = "Incident {index}"\ndate = 2024-01-15\n']
    parts += [
        f'[[actions]]\ntitle = "{rng.choice(EN)} {_tail(index, n)}"\nowner = "dev{n}"\ndue = 2024-02-01\n'
        for n in range(count)
    ]
    return "\n".join(parts)


def generate(folder: Path, files: int, per_file: int) -> None:
    rng = random.Random(7)
    for index in range(files):
        if index % 10 == 9:
            (folder / f"pm-{index:05d}.toml").write_text(_toml(index, per_file, rng), encoding="utf-8")
        else:
            (folder / f"pm-{index:05d}.md").write_text(_markdown(index, per_file, rng), encoding="utf-8")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_script(script: str, folder: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `actiontrack lint` of `folder` in a fresh process."""
    cpu, start = _child_cpu(), time.perf_counter()
    # Flags every release knows (a comparison with an older one must not time a usage error).
    subprocess.run([script, "lint", "--format", "json", str(folder)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    return time.perf_counter() - start, _child_cpu() - cpu


def scripts(args: argparse.Namespace) -> dict[str, str]:
    found: dict[str, str] = {}
    if args.installed:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from installed import installed_venv

        found["this checkout, installed"] = str(installed_venv() / "bin" / "actiontrack")
    if args.compare:
        found[f"compared: {args.compare}"] = str(Path(args.compare) / "actiontrack")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--per-file", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--installed", action="store_true")
    parser.add_argument("--compare", help="the bin/ folder of another install to time alternately")
    parser.add_argument("--distinct", action="store_true",
                        help="every title distinct (by default the same ~260 titles recur, as in one team's files)")
    args = parser.parse_args()
    global DISTINCT
    DISTINCT = args.distinct
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.files, args.per_file)
        total = args.files * args.per_file
        timed = scripts(args)
        if timed:
            for script in timed.values():
                time_script(script, folder)  # warm-up: .pyc files, page cache
            walls: dict[str, list[float]] = {name: [] for name in timed}
            cpus: dict[str, list[float]] = {name: [] for name in timed}
            for _ in range(args.runs):
                for name, script in timed.items():
                    wall, cpu = time_script(script, folder)
                    walls[name].append(wall)
                    cpus[name].append(cpu)
            for name in timed:
                print(f"{name}: median {total / statistics.median(walls[name]):,.0f} actions/s wall, "
                      f"{total / statistics.median(cpus[name]):,.0f} actions/s of CPU time "
                      f"(a fresh `actiontrack lint` process per run, start-up included)")
            if len(timed) == 2:
                first, second = (statistics.median(cpus[name]) for name in timed)
                print(f"ratio of CPU time, this checkout / compared: {first / second:.2f}")
        lint_paths([folder])  # warm-up: imports, regex compilation, page cache
        rates, cpu_rates, count = [], [], 0
        for _ in range(args.runs):
            start, cpu_start = time.perf_counter(), time.process_time()
            report = lint_paths([folder])
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            count = report.action_count
            rates.append(count / elapsed)
            cpu_rates.append(count / cpu)
    print(f"in-process lint_paths: {count} actions in {args.files} files, {args.runs} runs")
    print(f"median: {statistics.median(rates):,.0f} actions/s wall (min {min(rates):,.0f}, max {max(rates):,.0f})")
    print(f"median: {statistics.median(cpu_rates):,.0f} actions/s of CPU time (the process uses one core)")
    print("target: >= 20,000 actions/s on one core")


if __name__ == "__main__":
    main()
