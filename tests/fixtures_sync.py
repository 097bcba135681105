"""Sync fixtures: a config aimed at the sandbox, a store, and real trackers with fast pacing.

Trackers are the real JiraTracker and GitHubTracker through the real clients; only
their waiting is redirected to the emulator's clock (sb.advance_time), so Retry-After
and rate-limit windows pass instantly and nothing in a test sleeps.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from actiontrack.config import Config, parse_config
from actiontrack.configfile import RawConfig
from actiontrack.sandbox import Sandbox
from actiontrack.store import Store
from actiontrack.sync import SyncOptions, SyncReport, sync_paths
from actiontrack.trackers.base import Tracker
from actiontrack.trackers.retry import RetryPolicy

JIRA_EMAIL_ENV, JIRA_TOKEN_ENV, GITHUB_TOKEN_ENV = "AT_TEST_JIRA_EMAIL", "AT_TEST_JIRA_TOKEN", "AT_TEST_GITHUB_TOKEN"
GITLAB_TOKEN_ENV = "AT_TEST_GITLAB_TOKEN"
GITLAB_PROJECT = "acme/platform/ops"


def sandbox_config(sb: Sandbox, store_url: str, *, tracker: str = "jira", **sync: Any) -> dict[str, Any]:
    """A config (as TOML data) that points actiontrack at a sandbox."""
    return {
        "store": {"url": store_url},
        "tracker": {"default": tracker},
        "sync": {"search_lag_seconds": 0, **sync},
        "jira": {"url": sb.jira_url, "project": "OPS", "auth": "cloud" if sb.config.jira_deployment == "Cloud" else "pat",
                 "email_env": JIRA_EMAIL_ENV, "token_env": JIRA_TOKEN_ENV},
        "github": {"repo": "acme/ops", "base_url": sb.github_url, "token_env": GITHUB_TOKEN_ENV,
                   "write_interval_seconds": 0},
        "gitlab": {"url": sb.gitlab_url, "project": GITLAB_PROJECT, "token_env": GITLAB_TOKEN_ENV},
        "owners": {"ikki": {"jira": "5b10ac8d82e05b22cc7d4ef5", "github": "dana", "gitlab": "dana"},
                   "sato": {"jira": "5b10ac8d82e05b22cc7d4ef6", "github": "lee", "gitlab": "lee"}},
    }


def to_toml(data: dict[str, Any]) -> str:
    """Just enough TOML for a config: tables of strings, numbers and inline tables."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = []
    for table, body in data.items():
        lines.append(f"[{table}]")
        lines += [f"{k} = {value(v)}" for k, v in body.items()]
        lines.append("")
    return "\n".join(lines)


@dataclass
class SyncEnv:
    """One sandbox, one store, one folder of postmortems: sync them and look at both sides."""

    sb: Sandbox
    folder: Path
    store_url: str
    tracker: str
    config: Config
    sleeps: list[float] = field(default_factory=list)
    sync_settings: dict[str, Any] = field(default_factory=dict)  # [sync] overrides, for write_config too

    def make_tracker(self, name: str, config: Config, target: str | None) -> Tracker:
        from actiontrack.trackers.registry import open_tracker

        tracker = open_tracker(name, config, target=target)
        policy = getattr(tracker, "_retry", None)
        if isinstance(policy, RetryPolicy):
            policy.sleep = self._sleep  # GitLab's create pacing sleeps through the policy too
        if hasattr(tracker, "_now"):  # Jira's relative JQL windows count from the same clock
            tracker._now = self.sb.now  # type: ignore[attr-defined]
        pacer = getattr(tracker, "_pacer", None)
        if pacer is not None:  # GitLab's create pacing: the emulator's clock, which its sleeps move
            pacer.clock = lambda: self.sb.now().timestamp()
        return tracker

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.sb.advance_time(seconds)

    def sync(self, paths: Sequence[Path] | None = None, **options: Any) -> SyncReport:
        """One sync in process, on the emulator's clock: advancing it is time passing for both."""
        return sync_paths(list(paths or [self.folder]), self.config, tracker=self.tracker,
                          options=SyncOptions(**options), factory=self.make_tracker, sleep=self._sleep,
                          clock=self.sb.now)

    def write_config(self) -> Path:
        """The config as a TOML file, for runs of the real CLI in a subprocess."""
        path = self.folder.parent / f"actiontrack-{self.tracker}.toml"
        data = sandbox_config(self.sb, self.store_url, tracker=self.tracker, **self.sync_settings)
        path.write_text(to_toml(data), encoding="utf-8")
        return path

    def store(self) -> Store:
        return Store.open(self.store_url)

    def issues(self) -> list[dict[str, Any]]:
        """Every issue in the emulator for this env's tracker (PRs excluded)."""
        if self.tracker == "jira":
            return self.sb.jira.issues("OPS")
        if self.tracker == "gitlab":
            return self.sb.gitlab.issues(GITLAB_PROJECT)
        return self.sb.github.issues("acme/ops")

    def is_open(self, issue: dict[str, Any]) -> bool:
        if self.tracker == "jira":
            return bool(issue["statusCategory"] != "done")
        return bool(issue["state"] in ("open", "opened"))

    def title_key(self) -> str:
        return "summary" if self.tracker == "jira" else "title"

    def close(self, ident: Any, *, dropped: bool = False) -> None:
        """Close an issue as a person does in that tracker (dropped: won't do / not planned)."""
        if self.tracker == "jira":
            self.sb.jira.transition(ident, "Won't Do" if dropped else "Done")
        elif self.tracker == "gitlab":
            self.sb.gitlab.close_issue(ident, note="Won't do: superseded by the new pipeline" if dropped else None)
        else:
            self.sb.github.close_issue(ident, "not_planned" if dropped else "completed", repo="acme/ops")

    def reopen(self, ident: Any) -> None:
        if self.tracker == "jira":
            self.sb.jira.transition(ident, "To Do")
        elif self.tracker == "gitlab":
            self.sb.gitlab.reopen_issue(ident)
        else:
            self.sb.github.reopen_issue(ident)

    def writes(self) -> int:
        """Requests that change the tracker (Jira's POST search/jql only reads)."""
        return sum(1 for r in self.sb.requests(tracker=self.tracker)
                   if r.method in ("POST", "PUT", "PATCH", "DELETE") and "/search" not in r.path)


@pytest.fixture
def tracker_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sandbox_factory: Any) -> Any:
    """Build a SyncEnv: make(tracker, store_url=..., **sandbox_overrides)."""

    made = 0

    def make(tracker: str, *, store_url: str | None = None, files: Path | None = None,
             sync: dict[str, Any] | None = None, **overrides: Any) -> SyncEnv:
        nonlocal made
        made += 1
        sb = sandbox_factory(**overrides)
        monkeypatch.setenv(JIRA_EMAIL_ENV, sb.jira_basic_auth[0])
        monkeypatch.setenv(JIRA_TOKEN_ENV, sb.jira_token if sb.config.jira_deployment != "Cloud" else sb.jira_basic_auth[1])
        monkeypatch.setenv(GITHUB_TOKEN_ENV, sb.github_token)
        monkeypatch.setenv(GITLAB_TOKEN_ENV, sb.gitlab_token)
        folder = tmp_path / f"env{made}" / f"postmortems-{tracker}"
        folder.parent.mkdir()
        if files is not None:
            shutil.copytree(files, folder)
        else:
            folder.mkdir()
        url = store_url or f"sqlite:///{folder.parent / f'store-{tracker}.db'}"
        data = sandbox_config(sb, url, tracker=tracker, **(sync or {}))
        config = parse_config(RawConfig(data, folder.parent / "actiontrack.toml"))
        return SyncEnv(sb, folder, url, tracker, config, sync_settings=dict(sync or {}))

    return make


@pytest.fixture(params=["jira", "github", "gitlab"])
def tracker_name(request: pytest.FixtureRequest) -> Iterator[str]:
    yield request.param
