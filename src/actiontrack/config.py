"""The whole configuration, validated with pydantic. Every key is in config.example.toml.

Commands that need trackers, the store or reports load this; lint and tag read only
[lint] through actiontrack.configfile to keep their start-up fast. Validation errors
become a ConfigError naming the file and the dotted key ("jira.auth").
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from actiontrack.configfile import LintSettings, RawConfig, read_raw
from actiontrack.errors import ConfigError
from actiontrack.logs import register_secret

_DURATION = re.compile(r"^\s*(\d+)\s*([dwm])\s*$")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StoreSettings(_Section):
    url: str = "sqlite:///.actiontrack/store.db"


class TrackerSettings(_Section):
    default: Literal["jira", "github"] = "jira"


class SyncSettings(_Section):
    base_label: str = Field(default="actiontrack", pattern=r"^[^\s,]+$")
    group: Literal["none", "tracking-issue"] = "none"
    search_lag_seconds: float = Field(default=30, ge=0)
    max_retry_seconds: float = Field(default=300, ge=0)
    # How conflicts settle without --resolve: keys are a tracker ("jira") or a tracker and
    # target ("github:acme/ops", "jira:OPS"); the most specific wins; absent = report them.
    resolve: dict[str, Literal["file", "tracker"]] = Field(default_factory=dict)

    def resolution_for(self, tracker: str, target: str) -> Literal["file", "tracker"] | None:
        return self.resolve.get(f"{tracker}:{target}") or self.resolve.get(tracker)


class JiraSettings(_Section):
    url: str | None = None
    project: str | None = None
    issue_type: str = "Task"
    auth: Literal["cloud", "pat"] = "cloud"
    email_env: str = "JIRA_EMAIL"
    token_env: str = "JIRA_API_TOKEN"
    priorities: dict[str, str] = Field(
        default_factory=lambda: {"P0": "Highest", "P1": "High", "P2": "Medium", "P3": "Low", "P4": "Lowest"}
    )
    done_resolutions_dropped: tuple[str, ...] = ("Won't Do", "Won't Fix", "Duplicate", "Cannot Reproduce")


class GitHubSettings(_Section):
    repo: str | None = Field(default=None, pattern=r"^[\w.-]+/[\w.-]+$")
    base_url: str = "https://api.github.com"
    token_env: str = "GITHUB_TOKEN"
    due: Literal["milestone", "body"] = "milestone"
    # GitHub asks for at least 1 s between content-creating requests (secondary limits);
    # lower it only for an Enterprise server whose admins turned those limits off.
    write_interval_seconds: float = Field(default=1.0, ge=0)


class OwnerAccounts(_Section):
    jira: str | None = None
    github: str | None = None


class ReportSettings(_Section):
    timezone: str = "UTC"
    slack_webhook_env: str = "SLACK_WEBHOOK_URL"
    slo: dict[str, str] = Field(default_factory=lambda: {"P0": "2w", "P1": "4w", "P2": "8w", "P3": "12w"})

    @field_validator("slo")
    @classmethod
    def _durations(cls, value: dict[str, str]) -> dict[str, str]:
        for priority, period in value.items():
            if not _DURATION.match(period):
                raise ValueError(f"{priority} = {period!r}: write a period such as '4w', '30d' or '2m'")
        return value

    def slo_days(self) -> dict[str, int]:
        """Each priority's due-date SLO in days ('4w' → 28, '2m' → 60)."""
        days = {}
        for priority, period in self.slo.items():
            match = _DURATION.match(period)
            assert match is not None  # validated above
            count, unit = int(match.group(1)), match.group(2)
            days[priority] = count * {"d": 1, "w": 7, "m": 30}[unit]
        return days


class Config(_Section):
    lint: LintSettings = Field(default_factory=LintSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    tracker: TrackerSettings = Field(default_factory=TrackerSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    jira: JiraSettings = Field(default_factory=JiraSettings)
    github: GitHubSettings = Field(default_factory=GitHubSettings)
    owners: dict[str, OwnerAccounts] = Field(default_factory=dict)
    report: ReportSettings = Field(default_factory=ReportSettings)
    path: Path | None = None

    def secret(self, env_name: str, key: str) -> str:
        """A token from the environment variable a config key names; never from the file."""
        value = os.environ.get(env_name)
        if not value:
            raise ConfigError(
                f"environment variable {env_name} is not set",
                path=self.path, key=key,
                hint=f"export {env_name}=… (the variable named by {key} in the config).",
            )
        register_secret(value)
        return value


def load_config(explicit: Path | None = None) -> Config:
    """Read and validate the config file; defaults when the default file does not exist."""
    return parse_config(read_raw(explicit))


def parse_config(raw: RawConfig) -> Config:
    data = dict(raw.data)
    lint = LintSettings.from_table(raw.table("lint"), raw.path)
    data.pop("lint", None)
    try:
        return Config.model_validate({**data, "lint": lint, "path": raw.path})
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        raise ConfigError(error["msg"], path=raw.path, key=key) from None
