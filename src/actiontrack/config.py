"""The whole configuration, validated with pydantic. Every key is in config.example.toml.

Each tracker's table ([jira], [github] …) is validated by the settings model defined
next to that tracker (trackers/<name>_kind.py); this module only composes them by the
registry's names, so a new tracker adds no line here.

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
from actiontrack.trackers.base import TrackerSettings
from actiontrack.trackers.registry import NAMES, kind

_DURATION = re.compile(r"^\s*(\d+)\s*([dwm])\s*$")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StoreSettings(_Section):
    url: str = "sqlite:///.actiontrack/store.db"


class TrackerChoice(_Section):
    """[tracker]: where actions go unless a postmortem's front matter says otherwise."""

    default: str = NAMES[0]

    @field_validator("default")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in NAMES:
            raise ValueError(f"unknown tracker {value!r} (expected one of {', '.join(NAMES)})")
        return value


class SyncSettings(_Section):
    base_label: str = Field(default="actiontrack", pattern=r"^[^\s,]+$")
    group: Literal["none", "tracking-issue", "parent"] = "none"
    search_lag_seconds: float = Field(default=30, ge=0)
    max_retry_seconds: float = Field(default=300, ge=0)
    # How conflicts settle without --resolve: keys are a tracker ("jira") or a tracker and
    # target ("github:acme/ops", "jira:OPS"); the most specific wins; absent = report them.
    resolve: dict[str, Literal["file", "tracker"]] = Field(default_factory=dict)
    # A tracker trickling its answer cannot hold a request (or the store's lock) past these.
    request_timeout_seconds: float = Field(default=60, gt=0)
    run_timeout_seconds: float = Field(default=3600, ge=0)  # 0: no limit for the whole run

    def resolution_for(self, tracker: str, target: str) -> Literal["file", "tracker"] | None:
        return self.resolve.get(f"{tracker}:{target}") or self.resolve.get(tracker)


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
    tracker: TrackerChoice = Field(default_factory=TrackerChoice)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    # Owner names as written in postmortems → {tracker name: account}.
    owners: dict[str, dict[str, str]] = Field(default_factory=dict)
    report: ReportSettings = Field(default_factory=ReportSettings)
    # Each tracker's own table ([jira], [github] …), validated by the model defined next to
    # the tracker (trackers/<name>_kind.py); filled by parse_config, never read from a key.
    trackers: dict[str, TrackerSettings] = Field(default_factory=dict)
    path: Path | None = None

    @field_validator("owners")
    @classmethod
    def _owner_accounts(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for owner, accounts in value.items():
            unknown = sorted(set(accounts) - set(NAMES))
            if unknown:
                raise ValueError(f"{owner}: {', '.join(unknown)} is not a tracker (expected {', '.join(NAMES)})")
        return value

    def tracker_settings(self, name: str) -> TrackerSettings:
        """The `[name]` table, or that tracker's defaults when the file has none."""
        found = self.trackers.get(name)
        return found if found is not None else kind(name).settings_model()

    def account(self, owner: str, tracker: str) -> str | None:
        """The tracker account `[owners]` gives an owner (matched as written, then lower-case)."""
        accounts = self.owners.get(owner) or self.owners.get(owner.lower()) or {}
        return accounts.get(tracker)

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
    if "trackers" in data:
        raise ConfigError("unknown table", path=raw.path, key="trackers",
                          hint=f"Each tracker has its own table: {', '.join(f'[{n}]' for n in NAMES)}.")
    trackers = {name: _tracker_table(raw, name) for name in NAMES if data.pop(name, None) is not None}
    try:
        return Config.model_validate({**data, "lint": lint, "trackers": trackers, "path": raw.path})
    except ValidationError as exc:
        raise _config_error(exc, raw.path, prefix=()) from None


def _tracker_table(raw: RawConfig, name: str) -> TrackerSettings:
    """A tracker's table, validated by that tracker's own settings model."""
    try:
        return kind(name).settings_model.model_validate(raw.table(name))
    except ValidationError as exc:
        raise _config_error(exc, raw.path, prefix=(name,)) from None


def _config_error(exc: ValidationError, path: Path | None, *, prefix: tuple[str, ...]) -> ConfigError:
    error = exc.errors()[0]
    key = ".".join(str(part) for part in (*prefix, *error["loc"]))
    return ConfigError(error["msg"], path=path, key=key)
