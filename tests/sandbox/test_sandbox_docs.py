"""The docs' promises: docs/sandbox.md's config works as written, and no doc points outside the repository."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from actiontrack.cli import app
from actiontrack.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


def _snippet() -> str:
    text = (ROOT / "docs" / "sandbox.md").read_text(encoding="utf-8")
    section = text[text.index("## Syncing to it"):]
    return re.search(r"```toml\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_the_sandbox_config_in_the_docs_syncs_as_written(sandbox: Sandbox, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    base = sandbox.jira_url.removesuffix("/jira")
    (tmp_path / "actiontrack.toml").write_text(_snippet().replace("http://127.0.0.1:8080", base), encoding="utf-8")
    shutil.copytree(ROOT / "examples" / "postmortems", tmp_path / "postmortems")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SANDBOX_JIRA_EMAIL", sandbox.jira_basic_auth[0])
    monkeypatch.setenv("SANDBOX_JIRA_TOKEN", sandbox.jira_basic_auth[1])
    monkeypatch.setenv("SANDBOX_GITHUB_TOKEN", sandbox.github_token)
    result = CliRunner().invoke(app, ["sync", "postmortems"])
    assert result.exit_code == 0, result.output
    assert "created" in result.stdout and sandbox.jira.issues("OPS")
    status = CliRunner().invoke(app, ["status"])
    assert status.exit_code == 0 and "OPS-1" in status.stdout


def test_docs_cite_nothing_outside_the_repository() -> None:
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        assert "shared/" not in text and "../" not in text, doc.name
        for target in re.findall(r"\]\(([^)#\s]+\.(?:md|toml|yml|yaml))\)", text):
            if not target.startswith(("http://", "https://")):
                assert (doc.parent / target).exists(), (doc.name, target)
