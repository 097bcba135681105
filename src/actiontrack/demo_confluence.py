"""`actiontrack demo`, part two: a Confluence page (障害の記録) → Jira issues → keys back in the page.

The same emulator serves a Confluence site: a page with a 再発防止策 table and a task list is
linted where it is, synced to Jira, and written back (a Jira issue macro beside each
action); a person finishes an issue, and the next sync ticks its task.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from importlib.resources import files

from actiontrack.config import Config, parse_config
from actiontrack.configfile import RawConfig
from actiontrack.sandbox import Sandbox
from actiontrack.sources import lint_targets, page_spec
from actiontrack.sync import SyncReport, sync_paths

Echo = Callable[[str], None]
TITLE = "障害の記録 2024-06-03 決済APIの応答遅延"


def confluence_walkthrough(sb: Sandbox, echo: Echo, base: Mapping[str, object], folder: object) -> None:
    storage = files("actiontrack").joinpath("data/demo-confluence-page.xml").read_text(encoding="utf-8")
    page_id = sb.confluence.create_page("OPS", TITLE, storage, labels=("postmortem",))
    config = _config(sb, base, folder)
    pages = [page_spec("confluence:")]
    echo(f"6. a Confluence page, {TITLE!r}, with a 再発防止策 table and a task list ({sb.confluence_url})")
    report = lint_targets([], pages, config.lint, config=lambda: config)
    echo(f"   lint confluence: {report.errors} errors, {report.warnings} warnings in {report.action_count} actions")
    for finding in [f for f in report.findings if f.severity.value == "error"][:2]:
        echo(f"     {finding.location}: {finding.code} {finding.name}")
    echo("7. sync confluence: --write-back  (Jira issues, then a Jira issue macro beside each action)")
    synced = sync_paths([], config, pages=pages)
    echo("   " + ", ".join(f"{r.tracker} {r.target}: {len(r.created)} created" for r in synced.results))
    _write_back(synced, config, echo)
    keys = _keys(sb, page_id, config)
    echo("   the page now names its issues: " + ", ".join(f"{title[:18]}… {key}" for title, key in keys))
    done_key = keys[-1][1]
    sb.jira.transition(done_key, "Done")
    echo(f"8. a person finishes {done_key} in Jira; sync confluence: --write-back again")
    _write_back(sync_paths([], config, pages=pages), config, echo)
    ticked = sb.confluence.page(page_id)["storage"].count("<ac:task-status>complete</ac:task-status>")
    echo(f"   {ticked} task ticked in the page (version {sb.confluence.page(page_id)['version']})")


def _config(sb: Sandbox, base: Mapping[str, object], folder: object) -> Config:
    os.environ.update({"DEMO_CONFLUENCE_EMAIL": sb.config.confluence_email,
                       "DEMO_CONFLUENCE_TOKEN": sb.config.confluence_token})
    data = dict(base)
    data["sources"] = {"confluence": {
        "url": sb.confluence_url, "auth": "cloud", "email_env": "DEMO_CONFLUENCE_EMAIL",
        "token_env": "DEMO_CONFLUENCE_TOKEN", "space": "OPS", "label": "postmortem",
        "cache": f"{folder}/confluence.db", "search_lag_seconds": 0}}
    return parse_config(RawConfig(data, None))


def _write_back(report: SyncReport, config: Config, echo: Echo) -> None:
    from actiontrack.store import Store
    from actiontrack.sync.writeback import write_back

    assert report.lint is not None
    with Store.open(config.store.url) as store:
        links = store.links()
        for pm in report.lint.postmortems:
            result = write_back(pm, links)
            if result.changed:
                echo(f"   wrote {result.changed} key(s) or tick(s) back to the page (a new page version)")
            for message in result.refused:
                echo(f"   write-back: {message}")


def _keys(sb: Sandbox, page_id: str, config: Config) -> list[tuple[str, str]]:
    report = lint_targets([], [page_spec(f"confluence:{page_id}")], config.lint, config=lambda: config)
    return [(a.title, a.ticket or "-") for pm in report.postmortems for a in pm.actions]
