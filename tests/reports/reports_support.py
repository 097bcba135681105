"""Helpers for the report tests: the samples synced to the emulator, and hand-made stores with exact figures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from typer.testing import Result

from actiontrack.config import Config
from actiontrack.model import Action, Category, Phase, Postmortem
from actiontrack.sandbox import Sandbox
from actiontrack.store import LinkRow, Store
from actiontrack.sync import sync_paths

GITHUB_SAMPLE = "2023-06-30-cdc-connector-stall.md"  # sent to GitHub, the rest to Jira


@dataclass
class Synced:
    """A store filled by syncing the samples, the sandbox it synced with, and a config file for the CLI."""

    config: Config
    config_path: Path
    postmortems: Path
    sandbox: Sandbox

    def sync(self) -> None:
        report = sync_paths([self.postmortems], self.config)
        assert not [e for r in report.results for e in r.errors]

    def jira_key(self, title_start: str) -> str:
        return next(i["key"] for i in self.sandbox.jira.issues("OPS") if i["summary"].startswith(title_start))

    def github_number(self, title_start: str) -> int:
        return next(int(i["number"]) for i in self.sandbox.github.issues("acme/ops")
                    if i["title"].startswith(title_start))


def config_text(folder: Path, store_url: str, sb: Sandbox) -> str:
    return f"""
[store]
url = "{store_url}"
[tracker]
default = "jira"
[sync]
search_lag_seconds = 0
[jira]
url = "{sb.jira_url}"
project = "OPS"
email_env = "RPT_JIRA_EMAIL"
token_env = "RPT_JIRA_TOKEN"
[github]
repo = "acme/ops"
base_url = "{sb.github_url}"
token_env = "RPT_GITHUB_TOKEN"
write_interval_seconds = 0
[report]
timezone = "Asia/Tokyo"
slack_webhook_env = "RPT_SLACK_WEBHOOK"
[report.slo]
P1 = "4w"
P2 = "8w"
P3 = "12w"
"""


CLI = Callable[..., Result]


def items_of(result: Result) -> dict[str, dict[str, object]]:
    """The JSON overdue report's items by title."""
    return {str(item["title"]): item for item in json.loads(result.stdout)}


# -- hand-made stores, for exact figures ----------------------------------------------

T0 = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Spec:
    """One action and the state of its issue, written straight into a store."""

    id: str
    pm: str = "pm1"
    owner: str | None = "kim"
    due: dt.date | None = None
    priority: str | None = "P2"
    phase: str | None = None
    category: str | None = None
    state: str | None = "open"  # None: never synced
    done_at: dt.datetime | None = None
    vague: bool = False
    tracker: str = "jira"
    title: str = ""


PM_DATES = {"pm1": dt.date(2025, 1, 6), "pm2": dt.date(2025, 2, 3), "pm3": dt.date(2025, 4, 7)}
PM_SEVERITY = {"pm1": "SEV1", "pm2": "SEV2", "pm3": "SEV2"}


def fill(store: Store, specs: Sequence[Spec]) -> None:
    """Save the postmortems and actions of ``specs`` and a link for each synced one."""
    by_pm: dict[str, list[Spec]] = {}
    for spec in specs:
        by_pm.setdefault(spec.pm, []).append(spec)
    for pm_id, group in by_pm.items():
        actions = tuple(
            Action(id=s.id, postmortem_id=pm_id, title=s.title or f"do {s.id}", path=Path(f"{pm_id}.md"), line=i + 1,
                   end_line=i + 1, position=i, owner=s.owner, due=s.due, priority=s.priority,
                   phase=Phase(s.phase) if s.phase else None, category=Category(s.category) if s.category else None)
            for i, s in enumerate(group))
        pm = Postmortem(id=pm_id, path=Path(f"{pm_id}.md"), title=f"Postmortem {pm_id}", date=PM_DATES.get(pm_id),
                        severity=PM_SEVERITY.get(pm_id), actions=actions)
        store.save_postmortem(pm, seen_at=T0, vague_ids={s.id for s in group if s.vague})
    for spec in specs:
        if spec.state is not None:
            target = "OPS" if spec.tracker == "jira" else "acme/ops"
            store.save_link(LinkRow(action_id=spec.id, tracker=spec.tracker, target=target, key=f"K-{spec.id}",
                                    url=f"https://tracker.example/{spec.id}", state=spec.state, done_at=spec.done_at))


