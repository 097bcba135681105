"""Both reports on the samples synced to the emulator: a person closes and drops issues in Jira and
GitHub, the next sync pulls that, and every format shows it."""

from __future__ import annotations

import csv
import html
import io
import json

from reports_support import CLI, Synced, items_of

LAST_WEEK, MONDAY = "2025-03-03", "2025-03-10"
DONE_JIRA = "Add a staging deploy check"  # nginx sample, Jira
DROPPED_JIRA = "Alert on the share of 502"  # nginx sample, Jira
DONE_GH = "Write a runbook for replaying"  # CDC sample, GitHub
DROPPED_GH = "Alert when connector replication lag"  # CDC sample, GitHub


def _people_work_in_the_trackers(synced: Synced) -> dict[str, str]:
    jira, github = synced.sandbox.jira, synced.sandbox.github
    keys = {"done_jira": synced.jira_key(DONE_JIRA), "dropped_jira": synced.jira_key(DROPPED_JIRA)}
    jira.transition(keys["done_jira"], "Done")
    jira.transition(keys["dropped_jira"], "Won't Do")
    done_gh, dropped_gh = synced.github_number(DONE_GH), synced.github_number(DROPPED_GH)
    github.close_issue(done_gh, "completed", repo="acme/ops")
    github.close_issue(dropped_gh, "not_planned", repo="acme/ops")
    synced.sync()
    return {**keys, "done_gh": str(done_gh), "dropped_gh": str(dropped_gh)}


def _title(items: dict[str, dict[str, object]], start: str) -> dict[str, object] | None:
    return next((item for title, item in items.items() if title.startswith(start)), None)


def test_overdue_report_follows_the_trackers_week_over_week(synced: Synced, cli: CLI) -> None:
    first = cli("report", "overdue", "--as-of", LAST_WEEK, "-f", "json")
    assert first.exit_code == 0
    before = items_of(first)
    assert all(_title(before, t)["sections"] == ["overdue"] for t in (DONE_JIRA, DROPPED_JIRA, DONE_GH))  # type: ignore[index]

    keys = _people_work_in_the_trackers(synced)
    data = json.loads(cli("report", "overdue", "--as-of", MONDAY, "-f", "json").stdout)
    assert isinstance(data, list)
    closed_items = [i for i in data if i["sections"] == ["closed_this_week"]]
    items = {str(i["title"]): i for i in data if i not in closed_items}

    assert _title(items, DONE_JIRA) is None and _title(items, DONE_GH) is None
    assert _title(items, DROPPED_JIRA) == _title(items, DROPPED_JIRA) | {
        "sections": ["dropped"], "status": "resolved as won't do", "tracker_key": keys["dropped_jira"]}
    assert _title(items, DROPPED_GH)["status"] == "closed as not planned"  # type: ignore[index]
    late = next(i for i in data if "overdue" in i["sections"])
    assert {"action_id", "title", "owner", "due", "days_overdue", "priority", "postmortem_id", "tracker_key", "url",
            "status"} <= set(late)
    assert late["url"].startswith("http://127.0.0.1")
    closed = {c["tracker_key"]: c["state"] for c in closed_items}
    assert closed == {keys["done_jira"]: "done", keys["dropped_jira"]: "dropped", keys["done_gh"]: "done",
                      keys["dropped_gh"]: "dropped"}
    assert all(i["as_of"] == MONDAY for i in data)
    assert {p["tracker"] for p in data[0]["statuses_pulled"]} == {"jira", "github"}


def test_every_overdue_format_shows_the_pulled_statuses(synced: Synced, cli: CLI) -> None:
    cli("report", "overdue", "--as-of", LAST_WEEK, "-f", "csv")
    keys = _people_work_in_the_trackers(synced)
    outputs = {fmt: cli("report", "overdue", "--as-of", MONDAY, "-f", fmt).stdout
               for fmt in ("table", "markdown", "csv", "html")}

    for fmt, text in outputs.items():
        assert "won't do" in html.unescape(text), fmt  # HTML escapes the apostrophe
        assert "not planned" in text, fmt
        assert keys["dropped_jira"] in text, fmt
    table, markdown = outputs["table"], outputs["markdown"]
    assert "statuses last pulled: github acme/ops" in table
    assert f"{keys['done_jira']} (done)" in table.split("closed: ")[1]
    assert "**Since 2025-03-03:**" in markdown and f"[{keys['dropped_jira']}](http" in markdown
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert not [r for r in rows if r["title"].startswith(DONE_JIRA)]
    dropped = next(r for r in rows if r["title"].startswith(DROPPED_GH))
    assert (dropped["sections"], dropped["tracker"], dropped["tracker_key"]) == ("dropped", "github", keys["dropped_gh"])
    assert f">#{keys['dropped_gh']}</a>" in outputs["html"]


def test_coverage_review_in_every_format_after_closing(synced: Synced, cli: CLI) -> None:
    _people_work_in_the_trackers(synced)
    data = json.loads(cli("report", "coverage", "--as-of", MONDAY, "-f", "json").stdout)
    totals = data["totals"]
    # done: the action ticked in its file (closed when first synced) and the two closed in the trackers
    assert (totals["postmortems"], totals["actions"], totals["done"], totals["dropped"]) == (5, 25, 3, 2)
    assert totals["done_share"] == 3 / 25
    by_pm = {pm["postmortem_id"]: pm for pm in data["postmortems"]}
    assert by_pm["PM-2024-041"]["missing_categories"] == ["root-cause", "permanent-fix"]
    cell = next(c for c in data["matrix"] if (c["phase"], c["category"]) == ("verification", "recurrence"))
    assert cell["done"] == 1  # the staging deploy check, done in Jira

    outputs = {fmt: cli("report", "coverage", "--as-of", MONDAY, "-f", fmt).stdout
               for fmt in ("table", "markdown", "csv", "html")}
    assert "5 postmortems, 25 actions, 12% done" in outputs["table"]
    assert "5 postmortems, 25 actions, 12% done" in outputs["markdown"]
    assert "| **verification** |" in outputs["markdown"]
    assert "verification,recurrence,3,1," in outputs["csv"]
    assert "<svg" in outputs["html"] and "PM-2024-041" in outputs["html"]


def test_fail_on_overdue_and_usage_errors(synced: Synced, cli: CLI, tmp_path: object) -> None:
    late = cli("report", "overdue", "--as-of", MONDAY, "--fail-on-overdue", "-f", "markdown")
    assert late.exit_code == 1 and "## Overdue actions as of 2025-03-10" in late.stdout
    early = cli("report", "overdue", "--as-of", "2019-01-01", "--fail-on-overdue")
    assert early.exit_code == 0 and "Nothing is overdue." in early.stdout
    bad = cli("report", "overdue", "--as-of", "next monday")
    assert bad.exit_code == 2 and "--as-of 'next monday' is not a date" in bad.stderr
    backwards = cli("report", "coverage", "--since", "2025-02-01", "--until", "2025-01-01")
    assert backwards.exit_code == 2
