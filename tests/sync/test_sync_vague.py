"""The store's vague flag comes from the detector, whatever lint's selection hides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from actiontrack.configfile import LintSettings


def vague_titles(env: Any) -> set[str]:
    with env.store() as store:
        return {row.title for row in store.actions() if row.vague}


def test_lint_ignore_does_not_change_what_is_stored_as_vague(tracker_env: Any, samples_dir: Path) -> None:
    plain = tracker_env("jira", files=samples_dir)
    plain.sync()
    expected = vague_titles(plain)
    assert "Be more careful when reviewing connector configuration changes" in expected

    quiet = tracker_env("jira", files=samples_dir)
    quiet.config = quiet.config.model_copy(update={"lint": LintSettings(ignore=("AT101",))})
    report = quiet.sync()
    assert not [f for f in report.lint.findings if f.code == "AT101"], "the team's ignore hides the finding"
    assert vague_titles(quiet) == expected, "but the coverage review still counts the action as vague"
