"""Sync benchmark (issue 5): actiontrack's sync against a naive loop, over the emulator's latency.

Every request to the in-process emulator (actiontrack.sandbox) waits --latency-ms, so wall
time is dominated by the number of sequential requests, as it is against a real tracker.
Measured with actiontrack.sync.sync_paths and the real jira / PyGithub clients:

* first sync of --actions actions (10 files x 50 by default): wall time, requests by
  method, and 403/429 (secondary rate limit) responses;
* a no-op re-sync of --noop-actions already-synced actions: requests and writes;
* the baseline, a naive loop through the same clients with their defaults: one create and
  one GET per action, with the same field content. Each scenario and its baseline
  alternate in the same run (machines are noisy); the ratio is of the medians.

Targets (issues 5, 11 and 13, "cost that does not grow with the store"): Jira first sync
>= 20x faster than the naive loop, at the request floor (12 requests for 500 actions) and
within 2x of the floor's latency time (12 x --latency-ms); a no-op re-sync of 10,000 synced
actions <= 5 requests to each tracker, none of them a write; GitHub first sync with zero
secondary-rate-limit responses; GitLab first sync at its request floor (one POST per action
plus the reads) with zero 429s at GitLab.com's documented limits.

GitHub keeps its documented pacing: the tracker's default write_interval (1 s), PyGithub's
default throttling in the naive loop, the emulator's secondary limits at GitHub's values
(80 writes/min, 500/h). A first sync of 500 actions needs more than 500 writes (labels and
due-date milestones come first), so the tracker stops itself before the 501st; the
benchmark then moves the emulator clock on by an hour (what a user would wait) and runs
the same sync again, and reports both runs. That takes 500+ s of real time, so the GitHub
first sync is run --github-runs times (1 by default) and its naive loop is measured on
--github-naive-sample actions and extrapolated per action (labelled as such): a full naive
loop would trip the hourly limit itself and wait an hour of real time.

GitLab keeps GitLab.com's limits too: the emulator answers 429 over 2,000 API requests or
200 issue creations a minute, and the tracker paces creates under the latter, so a first
sync of 500 waits out two minute windows (~2.5 min of real time); it runs --gitlab-runs
times (1 by default). The naive loop is python-gitlab with its defaults (create, then
get, per action; obey_rate_limit sleeping through the 429s it meets), in the same run.

Usage: python bench/sync.py [--tracker jira|github|gitlab|both|all] [--actions 500]
       [--noop-actions 10000] [--runs 5] [--latency-ms 100] [--github-naive-sample 50]
       [--github-runs 1] [--gitlab-runs 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gitlab
from github import Auth, Github
from github.GithubObject import NotSet
from jira import JIRA

from actiontrack.config import Config, parse_config
from actiontrack.configfile import RawConfig
from actiontrack.errors import RateLimitedError
from actiontrack.lint import lint_paths
from actiontrack.sandbox import Sandbox
from actiontrack.sync import SyncReport, sync_paths
from actiontrack.sync.desired import render
from actiontrack.trackers import github_map as gm
from actiontrack.trackers import jira_payload
from actiontrack.trackers.base import IssueFields
from actiontrack.trackers.registry import open_tracker

JIRA_EMAIL_ENV, JIRA_TOKEN_ENV, GITHUB_TOKEN_ENV = "AT_BENCH_JIRA_EMAIL", "AT_BENCH_JIRA_TOKEN", "AT_BENCH_GITHUB_TOKEN"
GITLAB_TOKEN_ENV = "AT_BENCH_GITLAB_TOKEN"
GITHUB_LIMITS = {"github_secondary_per_minute": 80, "github_secondary_per_hour": 500}  # GitHub's documented values
# For the no-op re-sync's setup only (10,000 creates without latency): GitHub's primary limit
# (5,000 requests an hour) would stop it halfway, and the re-syncs make no writes anyway.
NO_WRITE_LIMITS = {"github_secondary_per_minute": None, "github_secondary_per_hour": None,
                   "github_rate_limit": 100_000, "gitlab_issue_creates_per_minute": None}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
NOOP_BUDGET = 5  # requests per tracker for a no-op re-sync, whatever the store's size (issue 11)

# -- postmortems -------------------------------------------------------------------------------

SERVICES = ("checkout", "payments", "search", "orders", "billing", "ledger", "gateway", "catalog",
            "inventory", "shipping", "identity", "notifications")
# (action text with {svc} and {n}, phase, category, priority)
ACTIONS = (
    ("Alert when {svc}-{n} p99 latency exceeds 2 s for 5 minutes", "post-release", "detection", "P1"),
    ("Add a CI test that fails when the {svc}-{n} client opens more than 20 connections",
     "development", "recurrence", "P1"),
    ("Write a runbook for failing over {svc}-{n} to the secondary region", "post-release", "recovery", "P2"),
    ("Canary {svc}-{n} releases to 5% of tasks and roll back when errors double",
     "verification", "permanent-fix", "P2"),
    ("Confirm with the vendor which throttling threshold applied to {svc}-{n}", "post-release", "root-cause", "P3"),
    ("Replace the manual restart of {svc}-{n} hosts with a liveness probe", "development", "permanent-fix", "P2"),
    ("Page the on-call when {svc}-{n} error budget burn exceeds 10x for 1 hour", "post-release", "detection", "P1"),
    ("Cap {svc}-{n} batch size at 2048 in the config schema and reject larger values",
     "development", "recurrence", "P3"),
)
OWNERS = ("ikki", "sato", "ikki", "sato", "mori")  # mori has no tracker account: reported, not assigned
DUES = tuple(dt.date(2027, month, 15) for month in range(1, 7))  # six dates: six GitHub milestones


def _task_line(n: int, svc: str, pm: int) -> str:
    text, phase, category, priority = ACTIONS[n % len(ACTIONS)]
    owner, due = OWNERS[n % len(OWNERS)], DUES[(n + pm) % len(DUES)]
    return f"- [ ] {text.format(svc=svc, n=n)} — owner: {owner}, due: {due}, {priority} #{phase} #{category}"


def _table_row(n: int, svc: str, pm: int) -> str:
    text, phase, category, priority = ACTIONS[n % len(ACTIONS)]
    owner, due = OWNERS[n % len(OWNERS)], DUES[(n + pm) % len(DUES)]
    return f"| {n + 1} | {text.format(svc=svc, n=n)} | @{owner} | {due} | {phase} | {category} | {priority} |"


def generate(folder: Path, actions: int, per_file: int, prefix: str) -> int:
    """Markdown postmortems, half with action tables and half with task lists; returns the file count."""
    folder.mkdir(parents=True, exist_ok=True)
    files = 0
    for pm, start in enumerate(range(0, actions, per_file)):
        count = min(per_file, actions - start)
        svc = SERVICES[pm % len(SERVICES)]
        head = (f"---\nid: {prefix}-{pm:03d}\ntitle: {svc.title()} incident {pm}\ndate: 2026-0{pm % 9 + 1}-10\n"
                f"severity: SEV{pm % 3 + 1}\n---\n\n# {svc.title()} incident {pm}\n\n## Impact\n"
                f"For 40 minutes {pm + 5}% of {svc} requests failed.\n\n## Action items\n\n")
        if pm % 2:
            rows = ["| # | Action | Owner | Due | Phase | Category | Priority |",
                    "|---|--------|-------|-----|-------|----------|----------|"]
            rows += [_table_row(n, svc, pm) for n in range(count)]
        else:
            rows = [_task_line(n, svc, pm) for n in range(count)]
        (folder / f"2026-{pm:03d}-{svc}.md").write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
        files += 1
    return files


# -- configuration (the shape of tests/fixtures_sync.py's sandbox_config) ----------------------

def sandbox_config(sb: Sandbox, store_url: str, *, tracker: str, write_interval: float = 1.0,
                   **sync: Any) -> dict[str, Any]:
    """A config (as TOML data) that points actiontrack at a sandbox; GitHub pacing as documented."""
    return {
        "store": {"url": store_url},
        "tracker": {"default": tracker},
        "sync": {"search_lag_seconds": 0, **sync},
        "jira": {"url": sb.jira_url, "project": "OPS",
                 "auth": "cloud" if sb.config.jira_deployment == "Cloud" else "pat",
                 "email_env": JIRA_EMAIL_ENV, "token_env": JIRA_TOKEN_ENV},
        "github": {"repo": "acme/ops", "base_url": sb.github_url, "token_env": GITHUB_TOKEN_ENV,
                   "write_interval_seconds": write_interval},
        # write_interval 0 is the setup run's "no pacing"; otherwise GitLab.com's creation limit
        "gitlab": {"url": sb.gitlab_url, "project": sb.config.gitlab_projects[0], "token_env": GITLAB_TOKEN_ENV,
                   "creates_per_minute": 200 if write_interval else 0},
        "owners": {"ikki": {"jira": "5b10ac8d82e05b22cc7d4ef5", "github": "dana", "gitlab": "dana"},
                   "sato": {"jira": "5b10ac8d82e05b22cc7d4ef6", "github": "lee", "gitlab": "lee"}},
    }


def make_config(sb: Sandbox, folder: Path, tracker: str, *, write_interval: float = 1.0) -> Config:
    """Config for one sandbox, with the store next to the postmortems and the tokens in the env."""
    os.environ[JIRA_EMAIL_ENV] = sb.jira_basic_auth[0]
    os.environ[JIRA_TOKEN_ENV] = sb.jira_basic_auth[1] if sb.config.jira_deployment == "Cloud" else sb.jira_token
    os.environ[GITHUB_TOKEN_ENV] = sb.github_token
    os.environ[GITLAB_TOKEN_ENV] = sb.gitlab_token
    url = f"sqlite:///{folder.parent / f'store-{tracker}.db'}"
    data = sandbox_config(sb, url, tracker=tracker, write_interval=write_interval)
    return parse_config(RawConfig(data, folder.parent / "actiontrack.toml"))


@contextmanager
def workspace(actions: int, per_file: int, prefix: str, **sandbox: Any) -> Iterator[tuple[Sandbox, Path]]:
    """A fresh emulator and folder of postmortems, so no run sees another run's issues."""
    with tempfile.TemporaryDirectory(prefix="at-bench-sync-") as tmp, Sandbox(**sandbox) as sb:
        folder = Path(tmp) / "postmortems"
        generate(folder, actions, per_file, prefix)
        yield sb, folder


# -- measuring ---------------------------------------------------------------------------------

@dataclass
class Measure:
    """One timed scenario: wall time and what the emulator saw."""

    seconds: float
    methods: Counter[str]
    limited: int  # 403 and 429 answers: GitHub's secondary limit (or primary, also a 403)
    writes: int  # requests that change the tracker (Jira's POST search only reads)
    issue_gets: int  # GETs of one issue: what the naive loop does per action, the sync never should
    created: int
    endpoints: Counter[str] = field(default_factory=Counter)
    note: str = ""
    setup: float = 0.0  # of `seconds`, spent before the per-action loop (naive GitHub: milestones)

    @property
    def requests(self) -> int:
        return sum(self.methods.values())


def observe(sb: Sandbox, tracker: str, since: int, seconds: float, created: int, note: str = "",
            setup: float = 0.0) -> Measure:
    """Requests logged after the first `since` ones, summed up."""
    records = sb.requests(tracker=tracker)[since:]
    return Measure(
        seconds=seconds,
        methods=Counter(r.method for r in records),
        limited=sum(1 for r in records if r.status in (403, 429)),
        writes=sum(1 for r in records if r.method in WRITE_METHODS and "/search" not in r.path),
        issue_gets=sum(1 for r in records if r.method == "GET" and r.endpoint.endswith(
            ("/issue/{issueIdOrKey}", "/issues/{issue_number}", "/issues/{issue_iid}"))),
        created=created,
        endpoints=Counter(f"{r.method} {r.endpoint} {r.status}" for r in records),
        note=note,
        setup=setup,
    )


def timed_sync(sb: Sandbox, folder: Path, config: Config, tracker: str,
               progress: Callable[[str, int, int], None] | None = None, *,
               emulator_clock: bool = False) -> tuple[float, SyncReport | None, RateLimitedError | None]:
    """sync_paths under a stopwatch; a clean stop at the hourly write cap is a result, not a crash.

    `emulator_clock`: actiontrack runs on the emulator's clock, so that moving it on is time
    passing for both sides (the no-op re-syncs happen "later", past the listing's overlap)."""
    start = time.perf_counter()
    try:
        if emulator_clock:
            report = sync_paths([folder], config, tracker=tracker, progress=progress, clock=sb.now,
                                factory=functools.partial(_on_emulator_clock, sb))
        else:
            report = sync_paths([folder], config, tracker=tracker, progress=progress)
    except RateLimitedError as exc:
        return time.perf_counter() - start, None, exc
    return time.perf_counter() - start, report, None


def _on_emulator_clock(sb: Sandbox, name: str, config: Config, target: str | None) -> Any:
    from actiontrack.trackers.registry import open_tracker

    opened = open_tracker(name, config, target=target)
    if hasattr(opened, "_now"):  # Jira's relative JQL windows count from the same clock
        opened._now = sb.now
    return opened


def created_by(report: SyncReport | None) -> int:
    if report is None:
        return 0
    errors = [e for r in report.results for e in r.errors]
    if errors:
        raise SystemExit(f"sync reported errors: {errors[:3]}")
    return sum(len(r.created) for r in report.results)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def progress_printer(label: str) -> Callable[[str, int, int], None]:
    def show(stage: str, done: int, total: int) -> None:
        log(f"  {label}: {stage} {done}/{total}")
    return show


def first_sync(tracker: str, actions: int, per_file: int, latency: float) -> list[Measure]:
    """One first sync on a fresh emulator; on GitHub's hourly cap, an hour later, the rest."""
    limits = GITHUB_LIMITS if tracker == "github" else {}
    with workspace(actions, per_file, "PM-FIRST", latency_ms=latency, **limits) as (sb, folder):
        config = make_config(sb, folder, tracker)
        parts: list[Measure] = []
        for attempt in range(1, 4):
            since = len(sb.requests(tracker=tracker))
            printer = (progress_printer(f"{tracker} first sync, run {attempt}")
                       if tracker in ("github", "gitlab") else None)
            seconds, report, stopped = timed_sync(sb, folder, config, tracker, printer)
            note = f"stopped: {stopped.message}" if stopped else ""
            created = created_by(report) if report else _issue_count(sb, tracker) - sum(p.created for p in parts)
            parts.append(observe(sb, tracker, since, seconds, created, note))
            if stopped is None:
                break
            sb.advance_time(3600)  # what a user does: wait out GitHub's hour, run the same command
        total = _issue_count(sb, tracker)
        if total != actions:
            raise SystemExit(f"{tracker}: {total} issues after the first sync, expected {actions}")
        return parts


def _issue_count(sb: Sandbox, tracker: str) -> int:
    if tracker == "gitlab":
        return len(sb.gitlab.issues())
    return len(sb.jira.issues("OPS")) if tracker == "jira" else len(sb.github.issues("acme/ops"))


def rendered(folder: Path, config: Config, tracker: str) -> list[IssueFields]:
    """Exactly the fields the sync engine would send, so both sides create the same issues."""
    report = lint_paths([folder], config.lint)
    target = open_tracker(tracker, config)  # no request: only its rendering is used
    return [render(action, pm, report.tags[action.id], tracker=target, config=config).fields
            for pm in report.postmortems for action in pm.actions]


def naive_jira(actions: int, per_file: int, latency: float) -> Measure:
    """jira's client with its defaults: create_issue, then GET the issue, per action."""
    with workspace(actions, per_file, "PM-NAIVE", latency_ms=latency) as (sb, folder):
        config = make_config(sb, folder, "jira")
        items = rendered(folder, config, "jira")
        flavour = jira_payload.Flavour(cloud=sb.config.jira_deployment == "Cloud", server=sb.jira_url,
                                       settings=config.tracker_settings("jira"))
        start = time.perf_counter()
        client = JIRA(server=sb.jira_url, basic_auth=sb.jira_basic_auth)  # GET serverInfo
        for item in items:
            issue = client.create_issue(fields=jira_payload.create_element(item, flavour)["fields"], prefetch=False)
            client.issue(issue.key)
        seconds = time.perf_counter() - start
        return observe(sb, "jira", 0, seconds, len(items))


def naive_github(actions: int, per_file: int, latency: float) -> Measure:
    """PyGithub with its defaults (0.25 s between requests, 1 s between writes, its retry):
    create_issue then get_issue per action. The due-date milestones the issues need are made
    first and timed apart (`setup`), so a per-action figure from a sample extrapolates fairly."""
    with workspace(actions, per_file, "PM-NAIVE", latency_ms=latency, **GITHUB_LIMITS) as (sb, folder):
        config = make_config(sb, folder, "github")
        items = rendered(folder, config, "github")
        start = time.perf_counter()
        repo = Github(base_url=sb.github_url, auth=Auth.Token(sb.github_token)).get_repo("acme/ops")
        milestones = {m.title: m for m in repo.get_milestones(state="all")}
        for due in sorted({item.due for item in items if item.due is not None}):
            if gm.milestone_title(due) not in milestones:
                milestones[gm.milestone_title(due)] = repo.create_milestone(gm.milestone_title(due), due_on=due)
        setup = time.perf_counter() - start
        for item in items:
            issue = repo.create_issue(
                title=gm.truncate_title(item.title), body=gm.ensure_marker(item.body, item.action_id),
                labels=gm.merge_labels(list(dict.fromkeys(item.labels)), [], [], item.priority),
                assignees=[item.assignee] if item.assignee else NotSet,
                milestone=milestones[gm.milestone_title(item.due)] if item.due else NotSet)
            repo.get_issue(issue.number)
        seconds = time.perf_counter() - start
        return observe(sb, "github", 0, seconds, len(items), setup=setup)


def naive_gitlab(actions: int, per_file: int, latency: float) -> Measure:
    """python-gitlab with its defaults: create, then get the issue, per action. Its
    obey_rate_limit sleeps through the 429s GitLab.com's creation limit answers. Owners
    are looked up once each, as any script would."""
    with workspace(actions, per_file, "PM-NAIVE", latency_ms=latency) as (sb, folder):
        config = make_config(sb, folder, "gitlab")
        items = rendered(folder, config, "gitlab")
        start = time.perf_counter()
        project = gitlab.Gitlab(sb.gitlab_url, private_token=sb.gitlab_token).projects.get(
            sb.config.gitlab_projects[0], lazy=True)
        users: dict[str, int] = {}
        for item in items:
            data: dict[str, Any] = {"title": item.title, "description": item.body, "labels": list(item.labels)}
            if item.due:
                data["due_date"] = item.due.isoformat()
            if item.assignee:
                if item.assignee not in users:
                    users[item.assignee] = project.manager.gitlab.users.list(username=item.assignee)[0].id
                data["assignee_ids"] = [users[item.assignee]]
            issue = project.issues.create(data)
            project.issues.get(issue.iid)
        seconds = time.perf_counter() - start
        return observe(sb, "gitlab", 0, seconds, len(items))


def noop_resyncs(tracker: str, actions: int, per_file: int, latency: float, runs: int) -> list[Measure]:
    """Sync `actions` once without latency or write limits (setup, not measured), then re-sync
    the unchanged folder `runs` times at full latency with the default config.

    Each re-sync happens ten minutes (emulator time) after the one before, as a scheduled
    sync would: past the listing's overlap margin. The first re-sync after the setup is not
    measured: it re-reads the issues the setup made, which were updated after its start."""
    with workspace(actions, per_file, "PM-NOOP", latency_ms=0, **NO_WRITE_LIMITS) as (sb, folder):
        setup = make_config(sb, folder, tracker, write_interval=0)
        _, report, stopped = timed_sync(sb, folder, setup, tracker, emulator_clock=True)
        if stopped is not None or created_by(report) != actions:
            raise SystemExit(f"{tracker}: setting up {actions} synced actions failed: {stopped}")
        sb.advance_time(600)
        timed_sync(sb, folder, setup, tracker, emulator_clock=True)
        config = make_config(sb, folder, tracker)
        sb.set_latency(latency)
        measures = []
        for _ in range(runs):
            sb.advance_time(600)
            since = len(sb.requests(tracker=tracker))
            seconds, report, stopped = timed_sync(sb, folder, config, tracker, emulator_clock=True)
            if report is None or stopped is not None:
                raise SystemExit(f"{tracker}: no-op re-sync stopped: {stopped}")
            counts = report.results[0].counts
            if counts.get("create") or counts.get("update") or counts.get("unchanged") != actions:
                raise SystemExit(f"{tracker}: the re-sync was not a no-op: {counts}")
            measures.append(observe(sb, tracker, since, seconds, 0))
        return measures


# -- reporting ---------------------------------------------------------------------------------

def by_method(m: Measure) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(m.methods.items()))


def median(measures: list[Measure]) -> float:
    return statistics.median(m.seconds for m in measures)


def spread(measures: list[Measure]) -> str:
    if len(measures) == 1:
        return "1 run"
    return f"{len(measures)} runs, {min(m.seconds for m in measures):.2f}–{max(m.seconds for m in measures):.2f} s"


def requests_cell(measures: list[Measure]) -> str:
    """The last run's requests by method; a range when runs differed."""
    totals = {m.requests for m in measures}
    last = measures[-1]
    text = f"{last.requests} ({by_method(last)})"
    return text if len(totals) == 1 else f"{min(totals)}–{max(totals)}; last {text}"


def verdict(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def jira_floor(actions: int) -> int:
    """The fewest requests a Jira first sync can make (issue 11): serverInfo, one search (the
    listing, which also serves the check that no issue exists yet), and the bulk creates,
    50 per request: 12 for 500 actions."""
    return 2 + -(-actions // 50)


def run_jira(args: argparse.Namespace, rows: list[list[str]], details: list[str]) -> None:
    ours: list[Measure] = []
    naive: list[Measure] = []
    for run in range(1, args.runs + 1):  # alternate, so drift in machine load hits both
        log(f"jira run {run}/{args.runs}: first sync of {args.actions}")
        ours += first_sync("jira", args.actions, args.per_file, args.latency_ms)
        log(f"jira run {run}/{args.runs}: naive loop of {args.actions}")
        naive.append(naive_jira(args.actions, args.per_file, args.latency_ms))
    ratio = median(naive) / median(ours)
    limited = sum(m.limited for m in ours)
    floor_requests = jira_floor(args.actions)
    floor_seconds = floor_requests * args.latency_ms / 1000
    most = max(m.requests for m in ours)
    rows.append(["Jira", f"first sync, {args.actions} actions", f"{median(ours):.2f} s", spread(ours),
                 requests_cell(ours), str(limited),
                 f"{ratio:.1f}x faster than naive; {median(ours) / floor_seconds:.2f}x the floor's "
                 f"{floor_requests} x {args.latency_ms:g} ms",
                 f">= 20x: {verdict(ratio >= 20)}; at the floor ({floor_requests} requests): "
                 f"{verdict(most <= floor_requests)}; <= 2x floor time: "
                 f"{verdict(median(ours) <= 2 * floor_seconds)}; per-issue GETs: {max(m.issue_gets for m in ours)}"])
    rows.append(["Jira", f"naive loop, {args.actions} actions", f"{median(naive):.2f} s", spread(naive),
                 requests_cell(naive), str(sum(m.limited for m in naive)), "baseline", ""])
    details.append(f"Jira first sync, last run, by endpoint: {dict(sorted(ours[-1].endpoints.items()))}")
    log(f"jira: {args.runs} no-op re-syncs of {args.noop_actions}")
    noop = noop_resyncs("jira", args.noop_actions, args.per_file, args.latency_ms, args.runs)
    most, writes = max(m.requests for m in noop), max(m.writes for m in noop)
    rows.append(["Jira", f"no-op re-sync, {args.noop_actions} actions", f"{median(noop):.2f} s", spread(noop),
                 requests_cell(noop), str(sum(m.limited for m in noop)), f"writes: {writes}",
                 f"<= {NOOP_BUDGET} requests: {verdict(most <= NOOP_BUDGET and writes == 0)}"])
    details.append(f"Jira no-op re-sync, last run, by endpoint: {dict(sorted(noop[-1].endpoints.items()))}")


def run_github(args: argparse.Namespace, rows: list[list[str]], details: list[str]) -> None:
    sample = min(args.github_naive_sample, args.actions)
    attempts: list[list[Measure]] = []
    naive: list[Measure] = []
    for run in range(1, max(args.github_runs, args.runs) + 1):
        if run <= args.github_runs:
            log(f"github run {run}: first sync of {args.actions} (about 1 s per write)")
            attempts.append(first_sync("github", args.actions, args.per_file, args.latency_ms))
        log(f"github run {run}: naive loop of {sample}")
        naive.append(naive_github(sample, args.per_file, args.latency_ms))
    setup = statistics.median(m.setup for m in naive)
    naive_per_action = statistics.median((m.seconds - m.setup) / sample for m in naive)
    naive_full = setup + naive_per_action * args.actions
    totals = [sum(p.seconds for p in parts) for parts in attempts]
    total = statistics.median(totals)
    limited = sum(p.limited for parts in attempts for p in parts)
    last = attempts[-1]
    for number, part in enumerate(last, start=1):
        label = f"first sync, {args.actions} actions: run {number}" if len(last) > 1 else \
            f"first sync, {args.actions} actions"
        note = f"{part.created} issues created; " + (part.note or "completed")
        if number > 1:
            note = "after the emulator clock moved 1 h; " + note
        rows.append(["GitHub", label, f"{part.seconds:.1f} s", "1 run", f"{part.requests} ({by_method(part)})",
                     str(part.limited), note, ""])
        details.append(f"GitHub first sync run {number} by endpoint: {dict(sorted(part.endpoints.items()))}")
    if len(last) > 1:
        rows.append(["GitHub", f"first sync, {args.actions} actions: all runs",
                     f"{total:.1f} s", " + ".join(f"run {n}" for n in range(1, len(last) + 1)),
                     str(sum(p.requests for p in last)), str(limited),
                     f"{naive_full / total:.2f}x vs naive (extrapolated)",
                     f"0 secondary-limit answers: {verdict(limited == 0)}"])
    else:
        rows[-1][5:] = [str(limited), f"{naive_full / total:.2f}x vs naive (extrapolated)",
                        f"0 secondary-limit answers: {verdict(limited == 0)}"]
    rows.append(["GitHub", f"naive loop, {sample} actions (sample)", f"{median(naive):.1f} s", spread(naive),
                 requests_cell(naive), str(sum(m.limited for m in naive)),
                 f"{setup:.1f} s setup + {naive_per_action:.3f} s/action -> {naive_full:.0f} s for {args.actions} "
                 "(extrapolated)", ""])
    log(f"github: {args.runs} no-op re-syncs of {args.noop_actions}")
    noop = noop_resyncs("github", args.noop_actions, args.per_file, args.latency_ms, args.runs)
    most, writes = max(m.requests for m in noop), max(m.writes for m in noop)
    rows.append(["GitHub", f"no-op re-sync, {args.noop_actions} actions", f"{median(noop):.2f} s", spread(noop),
                 requests_cell(noop), str(sum(m.limited for m in noop)), f"writes: {writes}",
                 f"<= {NOOP_BUDGET} requests: {verdict(most <= NOOP_BUDGET and writes == 0)}"])
    details.append(f"GitHub no-op re-sync, last run, by endpoint: {dict(sorted(noop[-1].endpoints.items()))}")


def run_gitlab(args: argparse.Namespace, rows: list[list[str]], details: list[str]) -> None:
    ours: list[Measure] = []
    naive: list[Measure] = []
    for run in range(1, args.gitlab_runs + 1):  # alternate, so drift in machine load hits both
        log(f"gitlab run {run}/{args.gitlab_runs}: first sync of {args.actions} (paced under 200 creates/min)")
        ours += first_sync("gitlab", args.actions, args.per_file, args.latency_ms)
        log(f"gitlab run {run}/{args.gitlab_runs}: naive loop of {args.actions}")
        naive.append(naive_gitlab(args.actions, args.per_file, args.latency_ms))
    ratio = median(naive) / median(ours)
    limited = sum(m.limited for m in ours)
    posts = max(m.endpoints[f"POST /api/v4/projects/{{id}}/issues {201}"] for m in ours)
    floor = max(m.requests for m in ours) - posts
    rows.append(["GitLab", f"first sync, {args.actions} actions", f"{median(ours):.2f} s", spread(ours),
                 requests_cell(ours), str(limited), f"{ratio:.2f}x vs naive",
                 f"one POST per action + {floor} reads, 0 429s: "
                 f"{verdict(posts == args.actions and limited == 0)}"])
    rows.append(["GitLab", f"naive loop, {args.actions} actions", f"{median(naive):.2f} s", spread(naive),
                 requests_cell(naive), str(sum(m.limited for m in naive)), "baseline", ""])
    details.append(f"GitLab first sync, last run, by endpoint: {dict(sorted(ours[-1].endpoints.items()))}")
    details.append(f"GitLab naive loop, last run, by endpoint: {dict(sorted(naive[-1].endpoints.items()))}")
    log(f"gitlab: {args.runs} no-op re-syncs of {args.noop_actions}")
    noop = noop_resyncs("gitlab", args.noop_actions, args.per_file, args.latency_ms, args.runs)
    most, writes = max(m.requests for m in noop), max(m.writes for m in noop)
    rows.append(["GitLab", f"no-op re-sync, {args.noop_actions} actions", f"{median(noop):.2f} s", spread(noop),
                 requests_cell(noop), str(sum(m.limited for m in noop)), f"writes: {writes}",
                 f"<= {NOOP_BUDGET} requests: {verdict(most <= NOOP_BUDGET and writes == 0)}"])
    details.append(f"GitLab no-op re-sync, last run, by endpoint: {dict(sorted(noop[-1].endpoints.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tracker", choices=("jira", "github", "gitlab", "both", "all"), default="both",
                        help="both = Jira and GitHub (the figures so far); all adds GitLab")
    parser.add_argument("--actions", type=int, default=500, help="actions in the first sync")
    parser.add_argument("--noop-actions", type=int, default=10_000, help="actions in the no-op re-sync")
    parser.add_argument("--per-file", type=int, default=50, help="actions per generated postmortem")
    parser.add_argument("--runs", type=int, default=5, help="runs of each Jira scenario, naive loop and no-op")
    parser.add_argument("--latency-ms", type=float, default=100, help="emulator latency per request")
    parser.add_argument("--github-runs", type=int, default=1, help="GitHub first syncs (each takes 500+ s)")
    parser.add_argument("--gitlab-runs", type=int, default=1,
                        help="GitLab first syncs and naive loops (each ~2.5 min at GitLab.com's limits)")
    parser.add_argument("--github-naive-sample", type=int, default=50,
                        help="actions in the GitHub naive loop, extrapolated per action")
    args = parser.parse_args()
    started = time.time()
    rows: list[list[str]] = []
    details: list[str] = []
    if args.tracker in ("jira", "both", "all"):
        run_jira(args, rows, details)
    if args.tracker in ("github", "both", "all"):
        run_github(args, rows, details)
    if args.tracker in ("gitlab", "all"):
        run_gitlab(args, rows, details)
    print(f"# bench/sync.py — {time.strftime('%Y-%m-%d %H:%M')}, python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {(time.time() - started) / 60:.1f} min")
    print(f"latency {args.latency_ms:g} ms per request; {args.per_file} actions per file; "
          f"medians of --runs {args.runs}\n")
    header = ["tracker", "scenario", "wall (median)", "runs", "requests (by method)", "403/429",
              "vs baseline", "target"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for line in details:
        print(line)


if __name__ == "__main__":
    main()
