"""The command line with pages beside files: lint's formats, and sync from a Confluence page to
Jira issues and back into the page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from confluence_pages import ENGLISH, JAPANESE
from typer.testing import CliRunner

from actiontrack.cli import app
from actiontrack.sandbox import Sandbox

runner = CliRunner()
EN = "Postmortem: checkout config push"
JA = "障害の記録 2024-06-03 決済API遅延"


def write_config(sb: Sandbox, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AT_EMAIL", sb.config.confluence_email)
    monkeypatch.setenv("AT_CONFLUENCE_TOKEN", sb.config.confluence_token)
    monkeypatch.setenv("AT_JIRA_TOKEN", sb.jira_basic_auth[1])
    path = folder / "actiontrack.toml"
    path.write_text(f"""
[store]
url = "sqlite:///{folder / 'store.db'}"
[sync]
search_lag_seconds = 0
[jira]
url = "{sb.jira_url}"
project = "OPS"
email_env = "AT_EMAIL"
token_env = "AT_JIRA_TOKEN"
[sources.confluence]
url = "{sb.confluence_url}"
auth = "cloud"
email_env = "AT_EMAIL"
token_env = "AT_CONFLUENCE_TOKEN"
space = "OPS"
label = "postmortem"
cache = "{folder / 'pages.db'}"
""", encoding="utf-8")
    return path


@pytest.fixture
def site(sandbox_factory: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Sandbox, Path]:
    sb = sandbox_factory()  # type: ignore[operator]
    sb.confluence.create_page("OPS", EN, ENGLISH, labels=("postmortem",))
    sb.confluence.create_page("OPS", JA, JAPANESE, labels=("postmortem",))
    (tmp_path / "file.md").write_text("# File postmortem\n\n## Action items\n\n- Be more careful\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return sb, write_config(sb, tmp_path, monkeypatch)


def test_lint_reads_pages_beside_files_and_names_each_page_by_its_place(site: tuple[Sandbox, Path]) -> None:
    _, config = site
    result = runner.invoke(app, ["--config", str(config), "lint", "confluence:", "file.md"])
    assert result.exit_code == 1, result.output
    assert "file.md:5:1: AT101 [error]" in result.output
    page_line = next(line for line in result.output.splitlines() if f"{EN} › Follow-ups › task 2: AT101" in line)
    assert "[error]" in page_line and "/confluence/wiki/spaces/OPS/pages/" in page_line  # the link, at the end
    grouped = runner.invoke(app, ["--config", str(config), "lint", "--format", "text", "confluence:"])
    assert "/confluence/wiki/spaces/OPS/pages/" in grouped.output.splitlines()[0]  # a page's link heads its group
    sarif = json.loads(runner.invoke(app, ["--config", str(config), "lint", "--format", "sarif",
                                           "confluence:"]).output)
    logical = [r["locations"][0].get("logicalLocations") for r in sarif["runs"][0]["results"]]
    assert {"fullyQualifiedName": f"{EN} › Follow-ups › task 2", "kind": "page"} in [x[0] for x in logical if x]


def test_github_annotations_are_for_files_only(site: tuple[Sandbox, Path]) -> None:
    _, config = site
    result = runner.invoke(app, ["--config", str(config), "lint", "--format", "github", "confluence:", "file.md"])
    lines = result.output.splitlines()
    assert any(line.startswith("::error file=file.md,line=5") for line in lines)
    page_lines = [line for line in lines if EN in line]
    assert page_lines and not any(line.startswith("::") for line in page_lines)


def test_json_findings_carry_the_place_and_the_link(site: tuple[Sandbox, Path]) -> None:
    _, config = site
    result = runner.invoke(app, ["--config", str(config), "lint", "--format", "json", "confluence:"])
    found = json.loads(result.output)
    vague = next(f for f in found if f["code"] == "AT101")
    assert vague["place"] == f"{EN} › Follow-ups › task 2" and "/pages/" in vague["link"]


def test_lint_confluence_without_a_site_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["lint", "confluence:"])
    assert result.exit_code == 2
    assert "sources.confluence.url" in result.output


def test_sync_from_pages_to_jira_and_back_into_the_pages(site: tuple[Sandbox, Path]) -> None:
    sb, config = site
    first = runner.invoke(app, ["--config", str(config), "sync", "confluence:", "--write-back"])
    assert first.exit_code == 0, first.output
    issues = {i["summary"]: i["key"] for i in sb.jira.issues("OPS")}
    assert len(issues) == 8  # 4 + 4 actions; the row that names OPS-3 gets an issue too
    # a mention is an Atlassian account: on the same Cloud site it is the Jira assignee, no [owners] needed
    assert sb.jira.issue(issues["Add a canary stage to config pushes"])["assignee"] == "dana"
    assert "Dana Ops" not in first.output
    assert f"back to {EN}" in first.output and f"back to {JA}" in first.output
    page = next(p for p in sb.confluence.pages("OPS") if p["title"] == EN)
    key = issues["Validate config schema in CI"]
    assert f'<ac:parameter ac:name="key">{key}</ac:parameter>' in page["storage"]

    sb.jira.transition(issues["Alert on checkout error rate above 2%"], "Done")  # a person finishes one
    second = runner.invoke(app, ["--config", str(config), "sync", "confluence:", "--write-back"])
    assert second.exit_code == 0, second.output
    page = next(p for p in sb.confluence.pages("OPS") if p["title"] == EN)
    assert page["storage"].count("<ac:task-status>complete</ac:task-status>") == 1
    assert len(sb.jira.issues("OPS")) == 8  # nothing created twice

    sb.reset_counts()
    third = runner.invoke(app, ["--config", str(config), "sync", "confluence:", "--write-back"])
    assert third.exit_code == 0 and "wrote" not in third.output
    assert sb.count("confluence", "PUT") == 0 and sb.count("jira", "POST", "/rest/api/2/issue/bulk") == 0


def test_lint_of_files_loads_no_http_client(tmp_path: Path) -> None:
    """Naming pages is what brings `requests` in; files alone never do."""
    (tmp_path / "pm.md").write_text("# P\n\n## Action items\n\n- [ ] Add an alert — owner: @a, due: 2030-01-01\n",
                                    encoding="utf-8")
    probe = ("import sys\nfrom actiontrack.cli import main\nsys.argv = ['actiontrack', 'lint', sys.argv[1]]\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('requests', 'urllib3', 'pydantic', 'sqlite3', 'xml.parsers.expat') "
             "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "pm.md")], capture_output=True, text=True,
                         check=True, cwd=tmp_path)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_tag_reads_pages_and_tag_write_leaves_them_alone(site: tuple[Sandbox, Path]) -> None:
    sb, config = site
    shown = runner.invoke(app, ["--config", str(config), "tag", "confluence:"])
    assert shown.exit_code == 0 and "Alert on checkout error rate above 2%" in shown.output
    before = [p["version"] for p in sb.confluence.pages("OPS")]
    written = runner.invoke(app, ["--config", str(config), "tag", "--write", "confluence:", "file.md"])
    assert written.exit_code == 0, written.output
    assert "tags are written into files only" in written.output
    assert [p["version"] for p in sb.confluence.pages("OPS")] == before


def test_a_sync_of_files_leaves_the_pages_issues_alone(site: tuple[Sandbox, Path]) -> None:
    """A page is no file: a later run over the folder must not take `confluence:ID` for a
    file that is gone, and so must not orphan, let alone close, the page's issues."""
    sb, config = site
    assert runner.invoke(app, ["--config", str(config), "sync", "confluence:"]).exit_code == 0
    before = {i["key"]: i.get("statusCategory") for i in sb.jira.issues("OPS")}
    files = runner.invoke(app, ["--config", str(config), "sync", ".", "--close-orphans", "--format", "json"])
    assert files.exit_code == 0, files.output
    (target,) = json.loads(files.output)["targets"]
    assert target["vanished_files"] == [] and target["plan"]["orphaned"] == 0 and target["plan"]["create"] == 1
    after = {i["key"]: i.get("statusCategory") for i in sb.jira.issues("OPS")}
    assert len(after) == len(before) + 1 and {k: after[k] for k in before} == before  # none closed


def _page_id(sb: Sandbox, title: str) -> str:
    return str(next(p for p in sb.confluence.pages("OPS") if p["title"] == title)["id"])


def test_a_deleted_page_orphans_its_actions_and_close_orphans_closes_them(site: tuple[Sandbox, Path]) -> None:
    """A page moved to the trash is gone as a deleted file is: its actions are orphaned (their
    issues left open, or closed with --close-orphans); the other page's issues are untouched."""
    sb, config = site
    assert runner.invoke(app, ["--config", str(config), "sync", "confluence:"]).exit_code == 0
    before = {i["key"]: i["summary"] for i in sb.jira.issues("OPS")}
    page_id = _page_id(sb, JA)
    sb.confluence.delete_page(page_id)

    planned = runner.invoke(app, ["--config", str(config), "sync", "confluence:", "--dry-run", "--format", "json"])
    assert planned.exit_code == 0, planned.output
    (target,) = json.loads(planned.output)["targets"]
    assert target["vanished_files"] == [f"confluence:{page_id}"] and target["plan"]["orphaned"] == 4

    closed = runner.invoke(app, ["--config", str(config), "sync", "confluence:", "--close-orphans"])
    assert closed.exit_code == 0, closed.output
    assert f"gone  confluence:{page_id}: its page was deleted; its actions are orphaned" in closed.output
    after = {i["key"]: i for i in sb.jira.issues("OPS")}
    assert set(after) == set(before)  # nothing created
    done = {key for key, issue in after.items() if issue["statusCategory"] == "done"}
    assert len(done) == 4 and not any("canary" in before[key].lower() for key in done)


def test_a_page_that_lost_its_label_is_said_and_its_issues_are_left_alone(site: tuple[Sandbox, Path]) -> None:
    """The selection's search no longer lists a page whose label was removed, but the search
    may also lag an edit: only a deletion orphans, so this is a warning and nothing is closed."""
    sb, config = site
    assert runner.invoke(app, ["--config", str(config), "sync", "confluence:"]).exit_code == 0
    before = {i["key"]: i["statusCategory"] for i in sb.jira.issues("OPS")}
    page_id = _page_id(sb, EN)
    sb.confluence.label(page_id, "postmortem", remove=True)

    result = runner.invoke(app, ["--config", str(config), "sync", "confluence:", "--close-orphans",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert any(f"confluence:{page_id} is no longer among the configured pages" in w for w in report["warnings"])
    (target,) = report["targets"]
    assert target["plan"]["orphaned"] == 0 and target["vanished_files"] == []
    assert {i["key"]: i["statusCategory"] for i in sb.jira.issues("OPS")} == before


def test_a_deleted_page_named_by_id_is_reported_and_orphans_its_actions(site: tuple[Sandbox, Path]) -> None:
    sb, config = site
    page_id = _page_id(sb, EN)
    assert runner.invoke(app, ["--config", str(config), "sync", f"confluence:{page_id}"]).exit_code == 0
    sb.confluence.delete_page(page_id)
    result = runner.invoke(app, ["--config", str(config), "sync", f"confluence:{page_id}", "--format", "json"])
    report = json.loads(result.stdout)
    assert report["skipped_files"] == [f"confluence:{page_id}"]  # still said, as before
    (target,) = report["targets"]
    assert target["vanished_files"] == [f"confluence:{page_id}"] and target["plan"]["orphaned"] == 4
