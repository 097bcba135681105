"""Report fixtures: the samples synced to the emulator (Jira and GitHub), and stores, on each backend."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from reports_support import CLI, GITHUB_SAMPLE, Synced, config_text
from typer.testing import CliRunner, Result

from actiontrack.cli import app
from actiontrack.config import load_config
from actiontrack.sandbox import Sandbox
from actiontrack.store import Store


@pytest.fixture
def synced(store_url: str, sandbox: Sandbox, tmp_path: Path, samples_dir: Path,
           monkeypatch: pytest.MonkeyPatch) -> Synced:
    """The samples (one of them sent to GitHub) synced once to the emulator."""
    monkeypatch.setenv("RPT_JIRA_EMAIL", sandbox.jira_basic_auth[0])
    monkeypatch.setenv("RPT_JIRA_TOKEN", sandbox.jira_basic_auth[1])
    monkeypatch.setenv("RPT_GITHUB_TOKEN", sandbox.github_token)
    postmortems = tmp_path / "postmortems"
    shutil.copytree(samples_dir, postmortems)
    github = postmortems / GITHUB_SAMPLE
    github.write_text(github.read_text(encoding="utf-8").replace("---\n", "---\ntracker: github\n", 1),
                      encoding="utf-8")
    config_path = tmp_path / "actiontrack.toml"
    config_path.write_text(config_text(tmp_path, store_url, sandbox), encoding="utf-8")
    synced = Synced(load_config(config_path), config_path, postmortems, sandbox)
    synced.sync()
    return synced


@pytest.fixture
def cli(synced: Synced) -> CLI:
    """Run `actiontrack --config <synced config> ...` in-process."""
    def run(*args: str) -> Result:
        return CliRunner().invoke(app, ["--config", str(synced.config_path), *args], catch_exceptions=False)

    return run


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened
