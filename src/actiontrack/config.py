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
    slack: str | None = Field(default=None, pattern=r"^[UW][A-Z0-9]+$")  # a Slack member id, for reminders


class LinkSettings(_Section):
    # A postmortem's file path appended to this makes its link ("https://github.com/org/repo/blob/main/").
    postmortem_base_url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class RemindSettings(_Section):
    due_within_days: int = Field(default=2, ge=0)
    escalate_after_days: int = Field(default=7, ge=1)
    # Who hears of actions overdue past escalate_after_days: a Slack member id (U…) or channel (C… / #name).
    escalate_to: str | None = None
    slack_webhook_env: str = "SLACK_WEBHOOK_URL"


class ReportSettings(_Section):
    timezone: str = "UTC"
    slack_webhook_env: str = "SLACK_WEBHOOK_URL"
    slo: dict[str, str] = Field(default_factory=lambda: {"P0": "2w", "P1": "4w", "P2": "8w", "P3": "12w"})
    # The SLO of an action with no priority (or one not in [report.slo]), so every action can become overdue.
    default_slo: str = "12w"

    @field_validator("slo")
    @classmethod
    def _durations(cls, value: dict[str, str]) -> dict[str, str]:
        for priority, period in value.items():
            if not _DURATION.match(period):
                raise ValueError(f"{priority} = {period!r}: write a period such as '4w', '30d' or '2m'")
        return value

    @field_validator("default_slo")
    @classmethod
    def _default_duration(cls, value: str) -> str:
        if not _DURATION.match(value):
            raise ValueError(f"{value!r}: write a period such as '12w', '90d' or '3m'")
        return value

    def slo_days(self) -> dict[str, int]:
        """Each priority's due-date SLO in days ('4w' → 28, '2m' → 60); DEFAULT_SLO for the rest."""
        from actiontrack.reports.slo import DEFAULT_SLO

        days = {priority: _days(period) for priority, period in self.slo.items()}
        days[DEFAULT_SLO] = _days(self.default_slo)
        return days


def _days(period: str) -> int:
    match = _DURATION.match(period)
    assert match is not None  # validated
    return int(match.group(1)) * {"d": 1, "w": 7, "m": 30}[match.group(2)]


class Config(_Section):
    lint: LintSettings = Field(default_factory=LintSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    tracker: TrackerSettings = Field(default_factory=TrackerSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    jira: JiraSettings = Field(default_factory=JiraSettings)
    github: GitHubSettings = Field(default_factory=GitHubSettings)
    owners: dict[str, OwnerAccounts] = Field(default_factory=dict)
    report: ReportSettings = Field(default_factory=ReportSettings)
    links: LinkSettings = Field(default_factory=LinkSettings)
    remind: RemindSettings = Field(default_factory=RemindSettings)
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
    lint = LintSettings.from_config(raw)
    data.pop("lint", None)
    data.pop("path", None)  # not a key a user can set: refused below like any unknown key
    if "path" in raw.data:
        raise raw.error("unknown key", "path")
    try:
        return Config.model_validate({**data, "lint": lint, "path": raw.path})
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [str(part) for part in error["loc"]]
        raise raw.error(_message(error["type"], error["msg"], loc), ".".join(loc)) from None


def _message(kind: str, message: str, loc: list[str]) -> str:
    """pydantic's wording made a user's: 'unknown key; did you mean …?' instead of 'Extra inputs …'."""
    if kind == "extra_forbidden":
        from actiontrack.suggest import did_you_mean

        known = _known_keys(loc[:-1])
        what = "table" if len(loc) == 1 else "key"
        listing = f" (expected one of: {', '.join(known)})" if known else ""
        return f"unknown {what}{did_you_mean(loc[-1], known)}{listing}"
    return message.removeprefix("Value error, ")


def _known_keys(parents: list[str]) -> list[str]:
    """The keys the section at `parents` accepts, walking the models (and dict-of-model tables)."""
    from typing import get_args

    model: type[BaseModel] = Config
    parts = iter(parents)
    for part in parts:
        field = model.model_fields.get(part)
        annotation = field.annotation if field else None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
            continue
        args = get_args(annotation)  # dict[str, OwnerAccounts]: the next part is a name
        if len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
            next(parts, None)
            model = args[1]
            continue
        return []
    return [name for name in model.model_fields if name != "path"]
