"""`actiontrack demo`: the whole flow against the bundled emulator, no accounts needed.

lint → sync to a local Jira and GitHub → a person closes, drops and re-dates issues in
the emulator → sync → status. Everything happens in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path

from actiontrack.config import parse_config
from actiontrack.configfile import RawConfig
from actiontrack.lint import lint_paths
from actiontrack.sandbox import Sandbox
from actiontrack.status import status_rows
from actiontrack.sync import SyncReport, sync_paths

Echo = Callable[[str], None]


def _config(folder: Path, sb: Sandbox) -> RawConfig:
    data: dict[str, object] = {
        "store": {"url": f"sqlite:///{folder / 'store.db'}"},
        "tracker": {"default": "jira"},
        "sync": {"search_lag_seconds": 0},
        "jira": {"url": sb.jira_url, "project": "OPS", "auth": "cloud",
                 "email_env": "DEMO_JIRA_EMAIL", "token_env": "DEMO_JIRA_TOKEN"},
        "github": {"repo": "acme/ops", "base_url": sb.github_url, "token_env": "DEMO_GITHUB_TOKEN"},
        "owners": {"lee": {"jira": "5b10ac8d82e05b22cc7d4ef6", "github": "lee"},
                   "tanaka": {"github": "dana"}},
    }
    return RawConfig(data, folder / "actiontrack.toml")


def _summary(report: SyncReport) -> str:
    return "; ".join(
        f"{r.tracker} {r.target}: " + ", ".join(f"{k} {v}" for k, v in r.counts.items() if v)
        for r in report.results
    )


def run_demo(*, echo: Echo, keep: bool = False) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="actiontrack-demo-"))
    try:
        with as_file(files("actiontrack").joinpath("data/examples")) as examples:
            shutil.copytree(examples, folder / "postmortems")
        with Sandbox() as sb:
            _walkthrough(folder, sb, echo)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    if keep:
        echo(f"\nthe demo folder is kept at {folder}")
    return folder


def _walkthrough(folder: Path, sb: Sandbox, echo: Echo) -> None:
    os.environ.update({"DEMO_JIRA_EMAIL": sb.jira_basic_auth[0], "DEMO_JIRA_TOKEN": sb.jira_basic_auth[1],
                       "DEMO_GITHUB_TOKEN": sb.github_token})
    config = parse_config(_config(folder, sb))
    postmortems = folder / "postmortems"
    echo(f"1. lint {len(list(postmortems.iterdir()))} example postmortems")
    report = lint_paths([postmortems])
    echo(f"   {report.errors} errors, {report.warnings} warnings in {report.action_count} actions "
         "(the examples hold vague and undated actions on purpose)")
    echo(f"2. sync to the emulator (Jira at {sb.jira_url}, GitHub at {sb.github_url})")
    echo("   " + _summary(sync_paths([postmortems], config)))
    echo("3. a person works in the trackers:")
    _person_acts(sb, echo)
    echo("4. sync again: statuses come back, nothing is created twice")
    echo("   " + _summary(sync_paths([postmortems], config)))
    echo("5. actiontrack status")
    for row in status_rows(config.store.url):
        key = row["display_key"] or "-"
        echo(f"   {row['state']:<9} {key!s:<10} {row['due'] or '-':<10} {row['title']}")
    from actiontrack.demo_confluence import confluence_walkthrough

    confluence_walkthrough(sb, echo, _config(folder, sb).data, folder)


def _person_acts(sb: Sandbox, echo: Echo) -> None:
    jira_issues = sb.jira.issues("OPS")
    if len(jira_issues) >= 3:
        first, second, third = jira_issues[:3]
        sb.jira.transition(first["key"], "Done")
        echo(f"   closed {first['key']} as Done in Jira")
        sb.jira.transition(second["key"], "Won't Do")
        echo(f"   closed {second['key']} as Won't Do in Jira")
        sb.jira.set_fields(third["key"], duedate="2030-01-31")
        echo(f"   moved the due date of {third['key']} to 2030-01-31")
    github_issues = sb.github.issues("acme/ops")
    if len(github_issues) >= 2:
        sb.github.close_issue(github_issues[0]["number"], "completed", repo="acme/ops")
        sb.github.close_issue(github_issues[1]["number"], "not_planned", repo="acme/ops")
        echo(f"   closed GitHub #{github_issues[0]['number']} as completed and "
             f"#{github_issues[1]['number']} as not planned")
