"""Helpers for the Confluence tests: a config whose [sources.confluence] points at a sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from actiontrack.config import Config, parse_config
from actiontrack.configfile import RawConfig
from actiontrack.sandbox import Sandbox


def confluence_config(sb: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **overrides: Any) -> Config:
    """[sources.confluence] (and [jira]) for the sandbox; tokens from the environment."""
    cloud = sb.config.confluence_deployment == "Cloud"
    monkeypatch.setenv("AT_CONFLUENCE_EMAIL", sb.config.confluence_email)
    monkeypatch.setenv("AT_CONFLUENCE_TOKEN", sb.config.confluence_token)
    monkeypatch.setenv("AT_JIRA_EMAIL", sb.jira_basic_auth[0])
    monkeypatch.setenv("AT_JIRA_TOKEN", sb.jira_basic_auth[1])
    source: dict[str, Any] = {"url": sb.confluence_url, "auth": "cloud" if cloud else "pat",
                              "email_env": "AT_CONFLUENCE_EMAIL", "token_env": "AT_CONFLUENCE_TOKEN",
                              "space": "OPS", "label": "postmortem", "cache": str(tmp_path / "confluence.db")}
    source.update(overrides)
    data = {
        "store": {"url": f"sqlite:///{tmp_path / 'store.db'}"},
        "sync": {"search_lag_seconds": 0, "max_retry_seconds": 30},
        "jira": {"url": sb.jira_url, "project": "OPS", "email_env": "AT_JIRA_EMAIL", "token_env": "AT_JIRA_TOKEN"},
        "sources": {"confluence": source},
    }
    return parse_config(RawConfig(data, tmp_path / "actiontrack.toml"))
