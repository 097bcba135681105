"""`actiontrack lint` as ruff and flake8 users expect it: formats, selection, exit codes, baseline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from actiontrack.cli import app

runner = CliRunner()
HEAD = "---\nid: PM-9\ndate: 2024-04-01\n---\n# Incident\n## Action items\n"
GOOD = [
    "- Alert when p99 latency exceeds 2 s for 5 minutes — owner: @ana, due: 2024-05-01 #post-release #detection\n",
    "- Add a CI test that fails when the pool exceeds 20 — owner: @bo, due: 2024-05-10 #development #recurrence\n",
]
VAGUE = "- Be more careful — owner: @cy, due: 2024-05-01 #development #recurrence\n"
UNOWNED = "- Alert when the queue exceeds 10k — due: 2024-05-01 #post-release #detection\n"
# The pattern a VS Code / GitHub problem matcher uses for ruff's concise output.
MATCHER = re.compile(r"^(.+):(\d+):(\d+): (AT\d{3}) \[(error|warning)\] (.+)$")


def write(folder: Path, *lines: str, name: str = "pm.md") -> Path:
    path = folder / name
    head = HEAD if name == "pm.md" else HEAD.replace("PM-9", f"PM-{name}")
    path.write_text(head + "".join(lines), encoding="utf-8")
    return path


def lint(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lint", *args])
    return result.exit_code, result.stdout, result.stderr


def test_concise_is_the_default_one_line_per_finding_for_problem_matchers(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, VAGUE, UNOWNED)
    code, out, _ = lint(str(tmp_path))
    findings = [line for line in out.splitlines() if MATCHER.match(line)]
    assert code == 1 and len(findings) == 2
    path, line, column, rule, severity, message = MATCHER.match(findings[0]).groups()  # type: ignore[union-attr]
    assert path.endswith("pm.md") and (line, column, rule, severity) == ("9", "1", "AT101", "error")
    assert "'Be more careful'" in message
    assert "fix:" not in out  # no hint repeated under every finding
    assert out.rstrip().endswith("Found 2 errors in 1 file (4 actions checked).")


def test_the_generic_fix_hint_is_printed_once_per_rule_not_per_finding(tmp_path: Path) -> None:
    unowned_twice = [UNOWNED, UNOWNED.replace("queue", "backlog")]
    write(tmp_path, *GOOD, *unowned_twice)
    for output_format in ("full", "text"):
        _, out, _ = lint("--output-format", output_format, str(tmp_path))
        assert out.count("Add an owner (owner: @handle") == 1, output_format
        assert out.count("AT201 [error] no owner") == 2


def test_full_shows_the_source_line_and_the_findings_own_fix(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, VAGUE)
    _, out, _ = lint("--output-format", "full", str(tmp_path))
    assert "     9 | - Be more careful — owner: @cy" in out
    assert "= fix: " in out  # vague-action's fix names the mechanism for this wording


def test_text_groups_by_file(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, VAGUE)
    write(tmp_path, *GOOD, UNOWNED, name="other.md")
    _, out, _ = lint("--format", "text", str(tmp_path))
    headers = [line for line in out.splitlines() if line.endswith(".md")]
    assert [Path(h).name for h in headers] == ["other.md", "pm.md"]


def test_format_is_an_alias_of_output_format(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, VAGUE)
    assert lint("--format", "json", str(tmp_path))[1] == lint("--output-format", "json", str(tmp_path))[1]
    assert lint("-f", "json", str(tmp_path))[1] == lint("--output-format", "json", str(tmp_path))[1]


def test_json_carries_column_and_fingerprint(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, VAGUE)
    (finding,) = json.loads(lint("--output-format", "json", str(tmp_path))[1])
    assert finding["column"] == 1 and re.fullmatch(r"[0-9a-f]{16}", finding["fingerprint"])
    assert finding["code"] == "AT101" and finding["line"] == 9


def test_sarif_validates_against_the_oasis_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    folder = tmp_path / "postmortems"
    folder.mkdir()
    write(folder, *GOOD, VAGUE, UNOWNED, name="二〇二四 outage.md")
    monkeypatch.chdir(tmp_path)
    code, out, _ = lint("--output-format", "sarif", "postmortems")
    document = json.loads(out)
    jsonschema.Draft4Validator(schema).validate(document)
    (run,) = document["runs"]
    assert code == 1 and run["tool"]["driver"]["name"] == "actiontrack"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"AT101", "AT201"}
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        # Relative to the checkout, percent-encoded: what code scanning maps onto the repository.
        assert location["artifactLocation"]["uri"].startswith("postmortems/%E4%BA%8C")
        assert location["region"]["startLine"] in (9, 10)
    assert lint("--output-format", "sarif", "--exit-zero", "postmortems")[0] == 0


def test_sarif_with_no_findings_is_still_a_valid_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    write(tmp_path, *GOOD)
    monkeypatch.chdir(tmp_path)
    document = json.loads(lint("--output-format", "sarif", ".")[1])
    jsonschema.Draft4Validator(schema).validate(document)
    assert document["runs"][0]["results"] == []


def test_github_annotations_have_no_summary_line(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, VAGUE)
    out = lint("--output-format", "github", str(tmp_path))[1]
    assert out.splitlines() and all(line.startswith("::") for line in out.splitlines())


def test_statistics_counts_per_rule(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, UNOWNED, UNOWNED.replace("queue", "backlog"), VAGUE)
    code, out, _ = lint("--statistics", str(tmp_path))
    lines = out.splitlines()
    assert code == 1 and lines[0].split() == ["2", "AT201", "[error]", "missing-owner"]
    assert lines[1].split() == ["1", "AT101", "[error]", "vague-action"]
    assert not any(MATCHER.match(line) for line in lines)
    rows = json.loads(lint("--statistics", "--output-format", "json", str(tmp_path))[1])
    assert rows[0] == {"code": "AT201", "name": "missing-owner", "severity": "error", "count": 2}


def test_quiet_prints_findings_only(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, VAGUE)
    out = lint("--quiet", str(tmp_path))[1]
    assert out.strip().splitlines() == [line for line in out.strip().splitlines() if MATCHER.match(line)]
    write(tmp_path, *GOOD)
    assert lint("-q", str(tmp_path))[1] == ""


def test_exit_zero_and_fail_on_warning(tmp_path: Path) -> None:
    write(tmp_path, GOOD[0])  # no recurrence action: a warning only
    assert lint(str(tmp_path))[0] == 0
    assert lint("--fail-on", "warning", str(tmp_path))[0] == 1
    assert lint("--fail-on", "warning", "--exit-zero", str(tmp_path))[0] == 0
    write(tmp_path, *GOOD, VAGUE)
    assert lint("--exit-zero", str(tmp_path))[0] == 0
    assert lint("-e", str(tmp_path))[0] == 0


def test_summary_counts_files_and_actions_in_good_english(tmp_path: Path) -> None:
    write(tmp_path, GOOD[0], GOOD[1].replace("#recurrence", "#recurrence"))
    assert lint(str(tmp_path))[1].strip() == "All checks passed: 1 file (2 actions checked)."
    (tmp_path / "pm.md").unlink()
    write(tmp_path, "- Alert when p99 exceeds 2 s — owner: @a, due: 2024-05-01 #post-release #detection\n")
    assert "(1 action checked)" in lint(str(tmp_path))[1]
    broken = tmp_path / "broken.md"
    broken.write_bytes(b"\xff\xfe not utf-8")
    out = lint(str(broken))[1]
    assert out.rstrip().endswith("Found 1 error in 1 file (0 actions checked).")


def test_comma_separated_select_and_ignore(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, VAGUE, "- Something unowned and untagged\n")
    codes = {m.group(4) for line in lint("--select", "AT2,AT0", "--ignore", "AT203,AT204", str(tmp_path))[1]
             .splitlines() if (m := MATCHER.match(line))}
    assert codes == {"AT201", "AT202"}
    repeated = lint("--select", "AT2", "--select", "AT0", "--ignore", "AT203", "--ignore", "AT204", str(tmp_path))
    assert repeated[1] == lint("--select", "AT2,AT0", "--ignore", "AT203,AT204", str(tmp_path))[1]


def test_an_unknown_rule_on_the_command_line_blames_the_option_not_the_config(tmp_path: Path) -> None:
    write(tmp_path, *GOOD)
    code, _, err = lint("--ignore", "AT203,vage-action", str(tmp_path))
    assert code == 2 and "--ignore: no rule is called 'vage-action'; did you mean 'vague-action'?" in err
    assert "lint.ignore" not in err and "config" not in err


def test_cli_select_starts_afresh_and_extend_select_adds(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, VAGUE, "- Something unowned and untagged\n")
    config = tmp_path / "at.toml"
    config.write_text('[lint]\nselect = ["AT1"]\nignore = ["AT101"]\n', encoding="utf-8")

    def codes(*args: str) -> set[str]:
        out = lint("--config", str(config), *args, str(tmp_path))[1]
        return {m.group(4) for line in out.splitlines() if (m := MATCHER.match(line))}

    assert codes() == set()  # the config selects AT1 and ignores its only finding
    assert codes("--extend-select", "AT201") == {"AT201"}
    assert codes("--select", "AT101") == {"AT101"}  # as in ruff: a later select replaces the config's choice
    assert codes("--select", "AT2", "--ignore", "AT203,AT204,AT202") == {"AT201"}


def test_more_specific_selectors_win_within_a_layer(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, "- Something unowned and untagged\n")
    out = lint("--select", "AT201", "--ignore", "AT2", str(tmp_path))[1]
    assert {m.group(4) for line in out.splitlines() if (m := MATCHER.match(line))} == {"AT201"}


def test_exclude_replaces_the_configs_list_and_extend_exclude_adds(tmp_path: Path) -> None:
    write(tmp_path, *GOOD)
    write(tmp_path, VAGUE, name="template.md")
    write(tmp_path, UNOWNED, *GOOD, name="draft.md")
    config = tmp_path / "at.toml"
    config.write_text('[lint]\nexclude = ["template.md"]\n', encoding="utf-8")
    base = ["--config", str(config), "--select", "AT101,AT201", "--quiet"]

    def files(*args: str) -> set[str]:
        out = lint(*base, *args, str(tmp_path))[1]
        return {Path(m.group(1)).name for line in out.splitlines() if (m := MATCHER.match(line))}

    assert files() == {"draft.md"}
    assert files("--exclude", "draft.md") == {"template.md"}  # the config's template.md is read again
    assert files("--extend-exclude", "draft.md") == set()
    assert files("--exclude", "draft.md,template.md") == set()


def test_config_is_accepted_after_the_subcommand(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, VAGUE)
    config = tmp_path / "at.toml"
    config.write_text('[lint]\nignore = ["AT101"]\n', encoding="utf-8")
    assert lint(str(tmp_path), "--config", str(config))[0] == 0
    assert runner.invoke(app, ["--config", str(config), "lint", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["tag", str(tmp_path), "-c", str(config)]).exit_code == 0


def test_a_folder_with_no_postmortems_warns_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\nNothing here.\n", encoding="utf-8")
    code, out, err = lint(str(tmp_path))
    assert code == 2 and "no postmortems found in" in err and out == ""
    assert lint(str(tmp_path / "notes.md"))[0] != 2  # a file named explicitly is linted (as no-actions)


def test_user_text_cannot_reach_the_terminal_as_escape_sequences(tmp_path: Path) -> None:
    write(tmp_path, *GOOD, "- Be more careful \x1b]0;owned\x07\x1b[2J — owner: @cy, due: 2024-05-01\n")
    for output_format in ("concise", "full", "text"):
        out = lint("--output-format", output_format, str(tmp_path))[1]
        assert "\x1b" not in out and "\x07" not in out, output_format
    assert "\\u001b" in lint("--output-format", "json", str(tmp_path))[1]  # JSON keeps it, escaped


# --- baseline --------------------------------------------------------------------------------


def test_baseline_hides_known_findings_across_an_edit_elsewhere(tmp_path: Path) -> None:
    folder = tmp_path / "postmortems"
    folder.mkdir()
    path = write(folder, *GOOD, VAGUE, UNOWNED)
    baseline = tmp_path / "baseline.json"
    code, out, _ = lint("--write-baseline", str(baseline), str(folder))
    assert code == 0 and "wrote 2 findings to" in out
    assert lint("--baseline", str(baseline), str(folder))[0] == 0
    # Edit elsewhere: a paragraph above the actions moves every line down; reorder the actions too.
    text = path.read_text(encoding="utf-8").replace("# Incident\n", "# Incident\nSome context.\n\nMore.\n")
    path.write_text(text.replace(VAGUE + UNOWNED, UNOWNED + VAGUE), encoding="utf-8")
    code, out, _ = lint("--baseline", str(baseline), str(folder))
    assert code == 0, out
    assert "All checks passed: 1 file (4 actions checked). 2 findings in the baseline not shown." in out
    # A new finding is reported, and only it.
    path.write_text(text + "- Double-check the release notes — owner: @d, due: 2024-05-02 #development #recurrence\n",
                    encoding="utf-8")
    code, out, _ = lint("--baseline", str(baseline), str(folder))
    assert code == 1 and [m.group(4) for line in out.splitlines() if (m := MATCHER.match(line))] == ["AT101"]


def test_the_same_finding_twice_needs_two_baseline_entries(tmp_path: Path) -> None:
    path = write(tmp_path, *GOOD, UNOWNED)
    baseline = tmp_path / "b.json"
    lint("--write-baseline", str(baseline), str(path))
    path.write_text(HEAD + "".join(GOOD) + UNOWNED + UNOWNED.replace("queue", "backlog"), encoding="utf-8")
    out = lint("--baseline", str(baseline), str(path))[1]
    assert out.count("AT201") == 1


def test_baseline_from_the_config_is_relative_to_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "repo"
    (folder / "pms").mkdir(parents=True)
    write(folder / "pms", *GOOD, VAGUE)
    config = folder / "actiontrack.toml"
    config.write_text('[lint]\nbaseline = "lint-baseline.json"\n', encoding="utf-8")
    assert lint("--config", str(config), "--write-baseline", str(folder / "lint-baseline.json"),
                str(folder / "pms"))[0] == 0
    monkeypatch.chdir(tmp_path)  # run from elsewhere: the path still resolves beside the config
    assert lint("--config", str(config), str(folder / "pms"))[0] == 0
    assert lint("--config", str(config), "--write-baseline", str(tmp_path / "x.json"), str(folder / "pms"))[1] \
        .startswith("wrote 1 finding")  # writing ignores the old baseline


def test_a_missing_or_broken_baseline_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, *GOOD)
    code, _, err = lint("--baseline", str(tmp_path / "nope.json"), str(tmp_path))
    assert code == 2 and "no baseline at" in err and "--write-baseline" in err
    (tmp_path / "bad.json").write_text("[1, 2", encoding="utf-8")
    code, _, err = lint("--baseline", str(tmp_path / "bad.json"), str(tmp_path))
    assert code == 2 and "is not an actiontrack baseline" in err
