"""Config errors name the file, the line and the dotted key, and suggest the key meant."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from actiontrack.cli import app
from actiontrack.config import load_config
from actiontrack.configfile import key_line
from actiontrack.errors import ConfigError

runner = CliRunner()


def error_for(tmp_path: Path, text: str) -> ConfigError:
    path = tmp_path / "actiontrack.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value


@pytest.mark.parametrize(("text", "where", "says"), [
    ('[lint]\nselct = ["AT1"]\n', ":2: lint.selct", "unknown key; did you mean 'select'?"),
    ('[jira]\nurl = "https://x.example"\nprojet = "OPS"\n', ":3: jira.projet", "did you mean 'project'?"),
    ('[report]\ntimezone = "UTC"\n\n[report.slo]\nP1 = "4 weeks"\n', ":4: report.slo", "write a period such as"),
    ('[owners]\nikki = { jira = "1", gihtub = "ikki" }\n', ":2: owners.ikki.gihtub", "did you mean 'github'?"),
    ('[owners]\nikki = { slack = "ikki" }\n', ":2: owners.ikki.slack", "is not a Slack member id"),
    ('[trackr]\ndefault = "jira"\n', ":1: trackr", "unknown table; did you mean 'tracker'?"),
    ('[tracker]\ndefault = "gitlub"\n', ":2: tracker.default", "unknown tracker 'gitlub'"),
])
def test_errors_name_the_line_and_key_and_suggest(tmp_path: Path, text: str, where: str, says: str) -> None:
    error = error_for(tmp_path, text)
    assert where in error.message and says in error.message, error.message
    assert "Extra inputs are not permitted" not in error.message


def test_unknown_key_lists_what_the_table_takes(tmp_path: Path) -> None:
    error = error_for(tmp_path, "[store]\nuri = 'sqlite:///x.db'\n")
    assert "did you mean 'url'?" in error.message and "(expected one of: url)" in error.message


def test_the_cli_renders_it_with_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "at.toml"
    config.write_text('[lint]\nignroe = ["AT1"]\n', encoding="utf-8")
    result = runner.invoke(app, ["lint", str(tmp_path), "--config", str(config)])
    assert result.exit_code == 2
    assert f"{config}:2: lint.ignroe: unknown key; did you mean 'ignore'?" in result.stderr


def test_key_line_reads_headers_dotted_keys_and_inline_tables() -> None:
    text = ('# comment\n[lint]\nselect = ["ALL"]\n\n[report]\nslo.P1 = "4w"\n[owners]\n'
            '"田中" = { slack = "U1" }\n[[not.an.array]]\nx = 1\n')
    assert key_line(text, "lint.select") == 3
    assert key_line(text, "report.slo.P1") == 6
    assert key_line(text, "owners.田中.slack") == 8
    assert key_line(text, "lint.missing") == 2  # not written: the table's header
    assert key_line(text, "nowhere") is None


def test_the_commented_example_config_is_valid_and_names_every_section() -> None:
    from actiontrack.config import Config

    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    config = load_config(example)
    text = example.read_text(encoding="utf-8")
    for section in (name for name in Config.model_fields if name not in ("path", "trackers", "tracker")):
        assert f"[{section}]" in text or f"[{section}." in text, section  # [sources.confluence]
    assert config.slack_member("ikki") == "U0123IKKI" and config.remind.due_within_days == 2
