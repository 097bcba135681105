"""Reports that lead somewhere: postmortem links, drill-down from coverage cells, teams, safe sinks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from reports_support import Spec, fill

from actiontrack.classify import classify
from actiontrack.links import postmortem_url
from actiontrack.model import Action, Postmortem
from actiontrack.reports import build_coverage, build_overdue, render
from actiontrack.reports.slack import slack_lines
from actiontrack.store import Store
from actiontrack.sync.desired import content
from actiontrack.sync.desired import render as render_issue
from actiontrack.trackers import github_kind, jira_kind

MON = dt.date(2025, 3, 3)
SLO = {"P1": 28, "P2": 56}
BASE = "https://git.example/acme/ops/blob/main/"


def test_postmortem_url_prefers_its_own_then_the_base_then_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "pms").mkdir()
    path = repo / "pms" / "2025 db outage.md"
    assert postmortem_url(path, "https://wiki.example/pm/1", BASE) == "https://wiki.example/pm/1"
    assert postmortem_url(path, None, BASE) == BASE + "pms/2025%20db%20outage.md"  # repository-relative, quoted
    assert postmortem_url(path, None, BASE.rstrip("/")) == BASE + "pms/2025%20db%20outage.md"
    assert postmortem_url(path, "javascript:alert(1)", None) is None
    assert postmortem_url(path, None, None) is None


@pytest.mark.parametrize(("tracker", "expected"), [
    ("jira", "*Postmortem:* [DB outage|https://git.example/acme/ops/blob/main/pm.md]"),
    ("github", "**Postmortem:** [DB outage](https://git.example/acme/ops/blob/main/pm.md)"),
])
def test_issue_bodies_link_to_the_postmortem(tmp_path: Path, tracker: str, expected: str) -> None:
    (tmp_path / ".git").mkdir()
    action = Action("pm:1", "pm", "Alert on lag", tmp_path / "pm.md", 3, 3, 0, "Alert on lag")
    pm = Postmortem("pm", tmp_path / "pm.md", "DB outage", actions=(action,))
    def body(base_url: str | None) -> str:
        issue = content(action, pm, classify(action), base_label="actiontrack", base_url=base_url)
        if tracker == "jira":
            return jira_kind.render(issue).body
        return github_kind.render(issue, github_kind.GitHubSettings()).body

    assert expected in body(BASE)
    plain = body(None)
    assert "https://" not in plain and "pm.md" in plain  # without a base: the path, as before


def test_the_sync_passes_the_configured_base_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from actiontrack.config import parse_config
    from actiontrack.configfile import RawConfig
    from actiontrack.trackers.registry import open_tracker

    monkeypatch.setenv("LINK_JIRA_EMAIL", "a@example.com")
    monkeypatch.setenv("LINK_JIRA_TOKEN", "t")
    (tmp_path / ".git").mkdir()
    action = Action("pm:1", "pm", "Alert on lag", tmp_path / "pm.md", 3, 3, 0, "Alert on lag")
    pm = Postmortem("pm", tmp_path / "pm.md", "DB outage", actions=(action,))
    config = parse_config(RawConfig({
        "links": {"postmortem_base_url": BASE},
        "jira": {"url": "http://127.0.0.1:9", "project": "OPS", "email_env": "LINK_JIRA_EMAIL",
                 "token_env": "LINK_JIRA_TOKEN"}}, None))
    tracker = open_tracker("jira", config)  # renders without a request
    fields = render_issue(action, pm, classify(action), tracker=tracker, config=config).fields
    assert f"[DB outage|{BASE}pm.md]" in fields.body


@pytest.fixture
def overdue_report(store: Store) -> object:
    fill(store, [Spec("x", title="=HYPERLINK(\"http://evil.example\",\"open\")", due=MON - dt.timedelta(days=12)),
                 Spec("y", title="@SUM(1+1) <b>bold</b> & co", owner="+owner", due=MON - dt.timedelta(days=3)),
                 Spec("z", pm="pm2", due=None, priority=None)])
    return build_overdue(store, as_of=MON, slo_days=SLO, base_url=BASE, record=False)


def test_every_overdue_format_shows_the_postmortem_title_and_link(overdue_report: object) -> None:
    link = BASE + "pm1.md"
    assert f"[Postmortem pm1]({link}) (pm1)" in render(overdue_report, "markdown")  # type: ignore[arg-type]
    assert f'<a href="{link}">Postmortem pm1</a>' in render(overdue_report, "html")  # type: ignore[arg-type]
    assert link in render(overdue_report, "table")  # type: ignore[arg-type]
    items = json.loads(render(overdue_report, "json"))  # type: ignore[arg-type]
    assert {i["postmortem_url"] for i in items if i["postmortem_id"] == "pm1"} == {link}
    _, body = slack_lines(overdue_report)  # type: ignore[arg-type]
    assert any(f"<{link}|Postmortem pm1>" in line for line in body)


def test_an_undated_action_says_no_due_date_not_due_no_due_date(overdue_report: object) -> None:
    markdown = render(overdue_report, "markdown")  # type: ignore[arg-type]
    assert "due no due date" not in markdown and "no due date" in markdown
    assert not any("due no due date" in line for line in slack_lines(overdue_report)[1])  # type: ignore[arg-type]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(overdue_report: object) -> None:
    rows = list(csv.DictReader(io.StringIO(render(overdue_report, "csv"))))  # type: ignore[arg-type]
    titles = {row["action_id"]: row["title"] for row in rows}
    assert titles["x"] == "'=HYPERLINK(\"http://evil.example\",\"open\")"
    assert titles["y"].startswith("'@SUM")
    assert {row["owner"] for row in rows if row["action_id"] == "y"} == {"'+owner"}
    assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for value in row.values())
    assert {row["days_overdue"] for row in rows if row["action_id"] == "x"} == {"12"}  # numbers stay numbers


def test_html_escapes_by_default_and_never_twice(overdue_report: object) -> None:
    page = render(overdue_report, "html")  # type: ignore[arg-type]
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page and "<b>bold</b>" not in page
    assert "&amp;amp;" not in page and "&amp;lt;" not in page


@pytest.fixture
def coverage_store(store: Store) -> Store:
    fill(store, [Spec("d1", phase="post-release", category="detection"),
                 Spec("d2", phase="post-release", category="detection", state="done",
                      done_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC)),
                 Spec("r1", pm="pm2", phase="development", category="recurrence", tracker="github"),
                 Spec("u1", pm="pm3", state=None)])
    return store


def test_coverage_json_lists_each_cells_action_ids_and_each_team(coverage_store: Store) -> None:
    report = build_coverage(coverage_store, as_of=MON, slo_days=SLO, drill_down=True)
    data = json.loads(render(report, "json"))
    cells = {(c["phase"], c["category"]): c for c in data["matrix"]}
    assert cells[("post-release", "detection")]["action_ids"] == ["d1", "d2"]
    assert cells[("development", "recurrence")]["action_ids"] == ["r1"]
    assert cells[("verification", "root-cause")]["action_ids"] == []
    assert {t["team"]: t["actions"] for t in data["teams"]} == {"OPS": 2, "acme/ops": 1, "(none)": 1}
    text = render(report, "table")
    assert "By team" in text and re.search(r"OPS\s+2\s+50%", text)


def test_coverage_html_cells_link_to_their_actions(coverage_store: Store) -> None:
    report = build_coverage(coverage_store, as_of=MON, slo_days=SLO, drill_down=True)
    page = render(report, "html")
    targets = set(re.findall(r'<a href="#(cell-[a-z0-9-]+)">', page))
    assert targets == {"cell-post-release-detection", "cell-development-recurrence", "cell-untagged-untagged"}
    for target in targets:
        assert f'id="{target}"' in page
    listed = page[page.index('id="cell-post-release-detection"'):]
    assert "d1" in listed[:2000] and "do d2" in listed[:2000]
    without = render(build_coverage(coverage_store, as_of=MON, slo_days=SLO), "html")
    assert 'href="#cell-' not in without  # no drill-down asked for: no dead links


def test_coverage_window_says_since_or_until(coverage_store: Store) -> None:
    since = build_coverage(coverage_store, as_of=MON, slo_days=SLO, since=dt.date(2025, 1, 1))
    assert render(since, "table").startswith("Coverage review (since 2025-01-01), as of 2025-03-03")
    assert "## Coverage review (since 2025-01-01)" in render(since, "markdown")
    until = build_coverage(coverage_store, as_of=MON, slo_days=SLO, until=dt.date(2025, 2, 1))
    assert "Coverage review — until 2025-02-01" in render(until, "html")


def test_trend_charts_keep_one_unit_each(coverage_store: Store) -> None:
    page = render(build_coverage(coverage_store, as_of=MON, slo_days=SLO), "html")
    charts = re.findall(r'<svg class="chart lines"[^>]*aria-label="([^"]+)"', page)
    assert charts == ["Shares by period (%)", "Actions per postmortem", "Median days to close"]


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed (.ci/run installs it)")
def test_in_a_browser_a_heatmap_cell_is_a_link_to_its_list(coverage_store: Store, tmp_path: Path) -> None:
    import tempfile

    report = build_coverage(coverage_store, as_of=MON, slo_days=SLO, drill_down=True)
    page = tmp_path / "coverage.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", f"--user-data-dir={profile}", "--dump-dom",
             page.as_uri() + "#cell-post-release-detection"],
            capture_output=True, text=True, timeout=120, check=True).stdout
    # As the browser parsed it: the SVG holds real <a> elements whose targets exist in the page.
    hrefs = re.findall(r'<a href="#(cell-[a-z0-9-]+)"', dom)
    assert "cell-post-release-detection" in hrefs
    assert all(f'id="{target}"' in dom for target in hrefs)
