"""Reports benchmark: the overdue report and the coverage review over 100,000 actions in 5,000 postmortems.

Target (issue 6): each report in <= 1 s, on SQLite and on PostgreSQL. The store is filled
once per backend with Core inserts (realistic mix: most actions done, some dropped, late,
undated, unowned, vague); each timed run opens the store, builds the report and renders it
(the overdue report also records its snapshot, as the command does). Median of --runs.
PostgreSQL is a throwaway cluster (initdb/pg_ctl, run as the postgres user when root).
Usage: python bench/reports.py [--actions 100000] [--postmortems 5000] [--runs 5] [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from actiontrack.reports import build_coverage, build_overdue, render
from actiontrack.store import Store
from actiontrack.store.queries import actions_t, links_t

AS_OF = dt.date(2025, 6, 2)
SLO = {"P0": 14, "P1": 28, "P2": 56, "P3": 84}
T0 = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
PHASES = ["development", "verification", "post-release", None]
CATEGORIES = ["root-cause", "permanent-fix", "recurrence", "detection", "recovery", None]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def generate(store: Store, actions: int, postmortems: int, seed: int = 6) -> None:
    """Fill an empty store: postmortems over 2021-2025, actions with links in every state."""
    rng = random.Random(seed)
    first = dt.date(2021, 1, 1)
    pm_dates = [first + dt.timedelta(days=rng.randrange((AS_OF - first).days)) for _ in range(postmortems)]
    pms = [{"id": f"PM-{p:05d}", "path": f"pm/{p}.md", "title": f"Postmortem {p}", "date": pm_dates[p],
            "severity": rng.choice(["SEV1", "SEV2", "SEV3"]), "first_seen_at": T0, "last_seen_at": T0}
           for p in range(postmortems)]
    rows, links = [], []
    for i in range(actions):
        p = i * postmortems // actions
        priority = rng.choice(["P1", "P2", "P2", "P3", None])
        due = None if rng.random() < 0.1 else pm_dates[p] + dt.timedelta(days=rng.randrange(7, 120))
        rows.append({"id": f"a{i}", "postmortem_id": f"PM-{p:05d}", "position": i % 20, "title": f"Action {i}",
                     "text": f"Action {i}", "owner": None if rng.random() < 0.03 else f"owner{rng.randrange(300)}",
                     "due": due, "phase": rng.choice(PHASES), "category": rng.choice(CATEGORIES),
                     "priority": priority, "phase_source": "explicit", "category_source": "suggested",
                     "vague": rng.random() < 0.12, "done_in_file": False, "content_hash": "h",
                     "first_seen_at": T0, "last_seen_at": T0, "removed_at": None})
        roll = rng.random()
        if roll < 0.95:
            state = "done" if roll < 0.75 else "dropped" if roll < 0.80 else "open"
            done_at = (dt.datetime.combine(pm_dates[p], dt.time(12), tzinfo=dt.UTC)
                       + dt.timedelta(days=rng.randrange(1, 200))) if state == "done" else None
            tracker = "jira" if i % 3 else "github"
            target = "OPS" if tracker == "jira" else "acme/ops"
            links.append({"action_id": f"a{i}", "tracker": tracker, "target": target,
                          "key": f"OPS-{i}" if tracker == "jira" else str(i), "url": f"https://t.example/{i}",
                          "state": state, "done_at": done_at})
    with store.session(write=True) as session:
        session.execute(sa.insert(actions_t.metadata.tables["postmortems"]), pms)
        for start in range(0, actions, 20_000):
            session.execute(sa.insert(actions_t), rows[start:start + 20_000])
        for start in range(0, len(links), 20_000):
            session.execute(sa.insert(links_t), links[start:start + 20_000])
    if store.backend == "postgresql":
        with store.session(write=True) as session:
            session.execute(sa.text("ANALYZE"))


def overdue_report(url: str) -> int:
    with Store.open(url) as store:
        report = build_overdue(store, as_of=AS_OF, slo_days=SLO)
    return len(render(report, "table"))


def coverage_review(url: str) -> int:
    with Store.open(url) as store:
        report = build_coverage(store, as_of=AS_OF, slo_days=SLO)
    return len(render(report, "html"))


def median_seconds(run: Callable[[str], int], url: str, runs: int) -> float:
    run(url)  # warm caches, and give the overdue report a previous snapshot to compare with
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run(url)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'store.db'}"


def _as_owner(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def postgres_url() -> Iterator[str]:
    """A throwaway cluster on 127.0.0.1 (trust auth), removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="actiontrack-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = base / "data"
    pg = lambda name: str(PG_BIN / name) if (PG_BIN / name).exists() else name  # noqa: E731
    subprocess.run(_as_owner([pg("initdb"), "-D", str(data), "-U", "bench", "--auth=trust", "-E", "UTF8",
                              "--no-locale", "--no-sync"]), check=True, capture_output=True, cwd=base)
    subprocess.run(_as_owner([pg("pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o",
                              f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off", "start"]),
                   check=True, capture_output=True, cwd=base)
    try:
        yield f"postgresql+psycopg://bench@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_owner([pg("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, cwd=base)
        shutil.rmtree(base, ignore_errors=True)


def bench(backend: str, args: Any) -> None:
    with (sqlite_url() if backend == "sqlite" else postgres_url()) as url:
        start = time.perf_counter()
        with Store.open(url) as store:
            generate(store, args.actions, args.postmortems)
        print(f"{backend}: generated {args.actions:,} actions in {args.postmortems:,} postmortems "
              f"in {time.perf_counter() - start:.1f} s")
        for name, run in (("report overdue (table, + snapshot)", overdue_report),
                          ("report coverage (html)", coverage_review)):
            seconds = median_seconds(run, url, args.runs)
            print(f"  {name:<36} median {seconds:.3f} s over {args.runs} runs  ({seconds / 1.0:.0%} of the 1 s target)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--postmortems", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    for backend in (["sqlite", "postgres"] if args.backend == "both" else [args.backend]):
        bench(backend, args)


if __name__ == "__main__":
    main()
