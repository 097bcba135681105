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
from actiontrack.lazyre import lazy_regex
from actiontrack.logs import register_secret
from actiontrack.sources.confluence.settings import ConfluenceSettings
from actiontrack.trackers.base import TrackerSettings
from actiontrack.trackers.registry import NAMES, kind

_DURATION = lazy_regex(r"^\s*(\d+)\s*([dwm])\s*$")


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
    base_label: str = Field(default="actiontrack", pattern=r"^[^\s,]+$", max_length=50)  # GitHub: labels ≤ 50
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


# [owners] keys that are not trackers: chat accounts, used to mention owners in reminders.
CHAT_ACCOUNTS = ("slack",)


class SourcesSettings(_Section):
    """[sources.*]: where postmortems are read from besides files."""

    confluence: ConfluenceSettings | None = None


class Config(_Section):
    lint: LintSettings = Field(default_factory=LintSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    tracker: TrackerChoice = Field(default_factory=TrackerChoice)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    # Owner names as written in postmortems → {tracker name or "slack": account}.
    owners: dict[str, dict[str, str]] = Field(default_factory=dict)
    report: ReportSettings = Field(default_factory=ReportSettings)
    links: LinkSettings = Field(default_factory=LinkSettings)
    remind: RemindSettings = Field(default_factory=RemindSettings)
    sources: SourcesSettings = Field(default_factory=SourcesSettings)
    # Each tracker's own table ([jira], [github] …), validated by the model defined next to
    # the tracker (trackers/<name>_kind.py); filled by parse_config, never read from a key.
    trackers: dict[str, TrackerSettings] = Field(default_factory=dict)
    path: Path | None = None

    @field_validator("owners")
    @classmethod
    def _owner_accounts(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        known = (*NAMES, *CHAT_ACCOUNTS)
        for owner, accounts in value.items():
            unknown = sorted(set(accounts) - set(known))
            if unknown:
                from actiontrack.suggest import did_you_mean

                raise ValueError(f"{owner}: {', '.join(unknown)} is not a tracker or chat account "
                                 f"(expected {', '.join(known)}){did_you_mean(unknown[0], known)}")
            slack = accounts.get("slack")
            if slack is not None and not re.fullmatch(r"[UW][A-Z0-9]+", slack):
                raise ValueError(f"{owner}: slack = {slack!r} is not a Slack member id (U… or W…)")
        return value

    def tracker_settings(self, name: str) -> TrackerSettings:
        """The `[name]` table, or that tracker's defaults when the file has none."""
        found = self.trackers.get(name)
        return found if found is not None else kind(name).settings_model()

    def account(self, owner: str, tracker: str) -> str | None:
        """The tracker account `[owners]` gives an owner (matched as written, then lower-case;
        `Name <address>` by the address, the name, then the address's local part)."""
        from actiontrack.identity import owner_aliases

        for name in (owner, *owner_aliases(owner)):
            accounts = self.owners.get(name) or self.owners.get(name.lower())
            if accounts:
                return accounts.get(tracker)
        return None

    def slack_member(self, owner: str) -> str | None:
        """The Slack member id `[owners]` gives an owner, for a mention in reminders."""
        return self.account(owner, "slack")

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
    for internal in ("trackers", "path"):  # fields filled here, never keys a user writes
        if internal in data:
            raise raw.error(f"unknown {'table' if internal == 'trackers' else 'key'}", internal,
                            hint=f"Each tracker has its own table: {', '.join(f'[{n}]' for n in NAMES)}.")
    trackers = {name: _tracker_table(raw, name) for name in NAMES if data.pop(name, None) is not None}
    _check_owner_keys(raw)
    try:
        return Config.model_validate({**data, "lint": lint, "trackers": trackers, "path": raw.path})
    except ValidationError as exc:
        raise _config_error(exc, raw, prefix=()) from None


def _check_owner_keys(raw: RawConfig) -> None:
    """An account key that is no tracker or chat account, named to the line ('owners.ikki.gihtub')."""
    known = (*NAMES, *CHAT_ACCOUNTS)
    for owner, accounts in raw.table("owners").items():
        for key in accounts if isinstance(accounts, dict) else ():
            if key not in known:
                from actiontrack.suggest import did_you_mean

                raise raw.error(f"not a tracker or chat account{did_you_mean(key, known)}", f"owners.{owner}.{key}",
                                hint=f"Each owner maps {', '.join(known)} to an account.")
        slack = accounts.get("slack") if isinstance(accounts, dict) else None
        if isinstance(slack, str) and not re.fullmatch(r"[UW][A-Z0-9]+", slack):
            raise raw.error(f"{slack!r} is not a Slack member id (U… or W…: the profile's 'Copy member ID')",
                            f"owners.{owner}.slack")


def _tracker_table(raw: RawConfig, name: str) -> TrackerSettings:
    """A tracker's table, validated by that tracker's own settings model."""
    try:
        return kind(name).settings_model.model_validate(raw.table(name))
    except ValidationError as exc:
        raise _config_error(exc, raw, prefix=(name,)) from None


def _config_error(exc: ValidationError, raw: RawConfig, *, prefix: tuple[str, ...]) -> ConfigError:
    """The first error as a user's message, naming the file, the key's line and the dotted key."""
    error = exc.errors()[0]
    loc = [str(part) for part in (*prefix, *error["loc"])]
    return raw.error(_message(error["type"], error["msg"], loc), ".".join(loc))


def _message(kind_: str, message: str, loc: list[str]) -> str:
    """pydantic's wording made a user's: 'unknown key; did you mean …?' instead of 'Extra inputs …'."""
    if kind_ == "extra_forbidden":
        from actiontrack.suggest import did_you_mean

        known = _known_keys(loc[:-1])
        what = "table" if len(loc) == 1 else "key"
        listing = f" (expected one of: {', '.join(known)})" if known else ""
        return f"unknown {what}{did_you_mean(loc[-1], known)}{listing}"
    return message.removeprefix("Value error, ")


def _known_keys(parents: list[str]) -> list[str]:
    """The keys the section at `parents` accepts: a tracker's own model, or Config's sections."""
    if not parents:
        return [*(n for n in Config.model_fields if n not in ("path", "trackers")), *NAMES]
    model: type[BaseModel] = kind(parents[0]).settings_model if parents[0] in NAMES else Config
    for part in parents[0 if model is Config else 1:]:
        field = model.model_fields.get(part)
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)
