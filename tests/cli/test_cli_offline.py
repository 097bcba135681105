"""The offline commands as a user runs them: exit codes, formats, config, start-up imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from actiontrack import __version__
from actiontrack.cli import app

runner = CliRunner()
CLEAN = """---
id: PM-9
date: 2024-04-01
---
# Incident
## Action items
- Alert when p99 latency exceeds 2 s for 5 minutes — owner: @ana, due: 2024-05-01 #post-release #detection
- Add a CI test that fails when the pool exceeds 20 — owner: @bo, due: 2024-05-10 #development #recurrence
"""


@pytest.fixture
def clean_dir(tmp_path: Path) -> Path:
    (tmp_path / "pm.md").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_lint_exit_codes(clean_dir: Path) -> None:
    assert runner.invoke(app, ["lint", str(clean_dir)]).exit_code == 0
    (clean_dir / "bad.md").write_text(CLEAN.replace("PM-9", "PM-10") + "- Be more careful\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", str(clean_dir)])
    assert result.exit_code == 1
    assert "bad.md:9:1: AT101 [error] vague: 'Be more careful'" in result.output
    assert runner.invoke(app, ["lint", str(clean_dir / "missing")]).exit_code == 2


def test_lint_json_has_the_documented_fields(clean_dir: Path) -> None:
    (clean_dir / "pm.md").write_text(CLEAN + "- 気をつける\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", "--format", "json", str(clean_dir)])
    findings = json.loads(result.stdout)
    vague = next(f for f in findings if f["code"] == "AT101")
    assert vague["path"].endswith("pm.md") and vague["line"] == 9 and vague["name"] == "vague-action"
    assert vague["severity"] == "error" and vague["action_text"] == "気をつける"
    assert vague["action_id"].startswith("PM-9:") and vague["message"] and vague["fix"]


def test_lint_github_annotations(clean_dir: Path) -> None:
    (clean_dir / "pm.md").write_text(CLEAN + "- Double-check the release notes\n", encoding="utf-8")
    out = runner.invoke(app, ["lint", "--format", "github", str(clean_dir)]).stdout
    line = next(ln for ln in out.splitlines() if "AT101" in ln)
    assert line.startswith("::error file=") and ",line=9,title=AT101 vague-action::" in line
    assert "%0Afix: " in line  # the fix hint on a second line, newline escaped


def test_github_annotations_escape_what_the_runner_would_misread() -> None:
    from actiontrack.cli.findings import findings_github
    from actiontrack.model import Finding, Severity

    finding = Finding(Path("a,b:c.md"), 3, "AT101", "vague-action", Severity.WARNING, "100% sure\nreally")
    assert findings_github([finding]) == (
        "::warning file=a%2Cb%3Ac.md,line=3,title=AT101 vague-action::100%25 sure%0Areally")


def test_config_select_and_ignore(clean_dir: Path) -> None:
    (clean_dir / "pm.md").write_text(CLEAN + "- Be more careful\n", encoding="utf-8")
    config = clean_dir / "at.toml"
    config.write_text('[lint]\nignore = ["vague-action", "AT2"]\n', encoding="utf-8")
    assert runner.invoke(app, ["--config", str(config), "lint", str(clean_dir)]).exit_code == 0
    config.write_text('[lint]\nselect = ["AT999"]\n', encoding="utf-8")
    result = runner.invoke(app, ["--config", str(config), "lint", str(clean_dir)])
    assert result.exit_code == 2 and "lint.select" in result.stderr and "AT999" in result.stderr


def test_config_from_environment(clean_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_dir / "pm.md").write_text(CLEAN + "- Be more careful\n", encoding="utf-8")
    config = clean_dir / "env.toml"
    config.write_text('[lint]\nselect = ["AT3"]\n', encoding="utf-8")
    monkeypatch.setenv("ACTIONTRACK_CONFIG", str(config))
    assert runner.invoke(app, ["lint", str(clean_dir)]).exit_code == 0


def test_tag_json_shows_sources_and_deciding_words(tmp_path: Path) -> None:
    (tmp_path / "pm.md").write_text(
        "# Incident\n## Action items\n- Alert when lag exceeds 60 s — phase: post-release\n- Talk to the team\n",
        encoding="utf-8",
    )
    rows = json.loads(runner.invoke(app, ["tag", "--format", "json", str(tmp_path)]).stdout)
    first, second = rows
    assert {k: first[k] for k in ("line", "phase", "phase_source", "category", "category_source")} == {
        "line": 3, "phase": "post-release", "phase_source": "explicit",
        "category": "detection", "category_source": "suggested"}
    assert first["category_words"] and first["title"] == "Alert when lag exceeds 60 s"
    assert first["id"].startswith("pm:") and first["path"].endswith("pm.md")
    assert second["category_source"] == "unknown" and second["category"] is None
    text = runner.invoke(app, ["tag", str(tmp_path)]).stdout
    assert "suggested from" in text and "cannot tell" in text


def test_tag_says_which_files_it_could_not_read(tmp_path: Path) -> None:
    """A broken file is named with its line and fails the run; the other files are still tagged."""
    (tmp_path / "good.md").write_text("# Incident\n## Action items\n- Alert when lag exceeds 60 s\n",
                                      encoding="utf-8")
    (tmp_path / "broken.toml").write_text('[[actions]]\ntitle = \n', encoding="utf-8")
    (tmp_path / "typo.md").write_text(
        "# Incident\n## Action items\n- Add a canary stage (phase: devlopment)\n", encoding="utf-8")
    result = runner.invoke(app, ["tag", "--format", "json", str(tmp_path)])
    assert result.exit_code == 1
    assert [row["title"] for row in json.loads(result.stdout)] == ["Alert when lag exceeds 60 s",
                                                                  "Add a canary stage"]
    assert "broken.toml:2:1: AT003" in result.stderr
    assert result.stderr.count("did you mean 'development'") == 1 and "typo.md:3:1: AT005" in result.stderr
    (tmp_path / "broken.toml").unlink()
    (tmp_path / "typo.md").unlink()
    assert runner.invoke(app, ["tag", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["tag", str(tmp_path / "empty")]).exit_code == 2


def test_sync_of_a_folder_with_no_postmortems_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in the wrong folder, sync must not look like a sync that found nothing to change."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["sync"])
    assert result.exit_code == 2
    assert "no postmortems found in ." in result.stderr


def test_rules_list_and_explain() -> None:
    listing = runner.invoke(app, ["rules"]).stdout
    assert "AT101" in listing and "vague-action" in listing and "no-detection-action" in listing
    page = runner.invoke(app, ["rules", "vague-action"]).stdout
    assert "## Why is this bad?" in page and "## Use instead" in page
    assert runner.invoke(app, ["rules", "AT999"]).exit_code == 2
    unused = runner.invoke(app, ["rules", "AT901"]).stdout
    assert unused.startswith("AT901 unused-noqa (warning)") and "## Why is this bad?" in unused


def test_init_writes_the_commented_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init"]).exit_code == 0
    written = (tmp_path / "actiontrack.toml").read_text(encoding="utf-8")
    assert "[jira]" in written and "token_env" in written and written.startswith("#")
    assert runner.invoke(app, ["init"]).exit_code == 2  # never overwrites silently
    assert runner.invoke(app, ["init", "--force"]).exit_code == 0


def test_version() -> None:
    assert runner.invoke(app, ["--version"]).stdout.strip() == f"actiontrack {__version__}"


def test_python_dash_m_and_offline_imports(clean_dir: Path) -> None:
    """`python -m actiontrack lint` works and never loads the ORM, HTTP clients or pydantic."""
    probe = (
        "import sys, runpy; sys.argv = ['actiontrack', 'lint', sys.argv[1]];\n"
        "try:\n    runpy.run_module('actiontrack', run_name='__main__')\n"
        "except SystemExit as e:\n    code = e.code\n"
        "heavy = sorted(m for m in ('sqlmodel', 'sqlalchemy', 'jira', 'github', 'requests', 'pydantic') if m in sys.modules)\n"
        "import gc\n"
        "print('HEAVY', heavy, 'CODE', code, 'COLLECTOR', gc.isenabled())\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(clean_dir)], capture_output=True, text=True, check=True)
    # An offline command runs without the cycle collector (actiontrack.console says why).
    assert "HEAVY [] CODE 0 COLLECTOR False" in out.stdout


def test_lint_start_up_compiles_no_regex_at_import_and_loads_no_online_command(clean_dir: Path) -> None:
    """What keeps `actiontrack lint` within its start-up budget: importing the offline half
    compiles almost none of its ~150 regexes (they compile when a file needs them; a few
    small ones build word tables at import), and a lint run never imports the
    sync/report/remind command modules."""
    probe = (
        "import sys, re._compiler as rc\n"
        "ours = []\n"
        "real = rc.compile\n"
        "def counting(p, flags=0):\n"
        "    frame, callers = sys._getframe(1), []\n"
        "    while frame is not None and len(callers) < 3:\n"
        "        callers.append(frame.f_code.co_filename)\n"
        "        frame = frame.f_back\n"
        "    if any('actiontrack' in name for name in callers):\n"
        "        ours.append(p)\n"
        "    return real(p, flags)\n"
        "rc.compile = counting\n"
        "import actiontrack.cli, actiontrack.lint, actiontrack.reader, actiontrack.classify\n"
        "print('AT_IMPORT', len(ours) <= 5)\n"
        "sys.argv = ['actiontrack', 'lint', sys.argv[1]]\n"
        "try:\n    actiontrack.cli.main()\nexcept SystemExit:\n    pass\n"
        "print('USED', len(ours) > 0)\n"
        "online = sorted(m for m in ('actiontrack.cli.online', 'actiontrack.cli.reports', 'actiontrack.cli.remind',\n"
        "                            'actiontrack.sandbox.cli', 'actiontrack.reader.tomlfile') if m in sys.modules)\n"
        "print('ONLINE', online)\n"
    )
    (clean_dir / "pm.md").write_text("# Outage\n## Action items\n- Be more careful (owner: @kim)\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", probe, str(clean_dir / "pm.md")], capture_output=True, text=True,
                         check=True)
    assert "AT_IMPORT True" in out.stdout
    assert "USED True" in out.stdout  # the probe does see our compiles: the file needed some
    assert "ONLINE []" in out.stdout


def test_exclude_skips_templates_in_folders_but_not_named_files(clean_dir: Path) -> None:
    (clean_dir / "template.md").write_text("# Postmortem template\n## Action items\n- Be more careful\n",
                                           encoding="utf-8")
    assert runner.invoke(app, ["lint", str(clean_dir)]).exit_code == 1
    assert runner.invoke(app, ["lint", "--exclude", "template.md", str(clean_dir)]).exit_code == 0
    config = clean_dir / "at.toml"
    config.write_text('[lint]\nexclude = ["templ*"]\n', encoding="utf-8")
    assert runner.invoke(app, ["--config", str(config), "lint", str(clean_dir)]).exit_code == 0
    named = runner.invoke(app, ["--config", str(config), "lint", str(clean_dir / "template.md")])
    assert named.exit_code == 1  # a file named on the command line is always read


def test_commands_that_talk_to_trackers_keep_the_cycle_collector(clean_dir: Path) -> None:
    """Sync, reports and the rest run long and build cyclic objects (HTTP sessions, the ORM):
    the console script gives them the collector back."""
    probe = (
        "import gc, sys, runpy; sys.argv = ['actiontrack', sys.argv[1], '--help']\n"
        "try:\n    runpy.run_module('actiontrack', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('COLLECTOR', gc.isenabled())\n"
    )
    for command, enabled in (("sync", True), ("report", True), ("lint", False)):
        out = subprocess.run([sys.executable, "-c", probe, command], capture_output=True, text=True, check=True,
                             cwd=clean_dir)
        assert f"COLLECTOR {enabled}" in out.stdout, (command, out.stdout[-300:])
