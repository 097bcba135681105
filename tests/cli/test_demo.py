"""`actiontrack demo` runs the whole flow on the bundled emulator, a Confluence page included:
the page's actions become Jira issues, their keys go back into the page, and a person's
Done in Jira ticks the page's task."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from actiontrack.cli import app

DEMO_ENV = ("DEMO_JIRA_EMAIL", "DEMO_JIRA_TOKEN", "DEMO_GITHUB_TOKEN", "DEMO_CONFLUENCE_EMAIL",
            "DEMO_CONFLUENCE_TOKEN")


def test_demo_goes_from_files_and_a_page_to_issues_and_back(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in DEMO_ENV:  # the demo sets these for its emulator; restored after the test
        monkeypatch.setenv(name, "")
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    again = out.split("4. sync again")[1].split("\n5.")[0]
    assert "unchanged" in again and not re.search(r"\bcreate \d", again)  # nothing created twice
    page = out.split("6. a Confluence page")[1]
    assert "jira OPS: 4 created" in page
    named = re.search(r"the page now names its issues: (.*)", page)
    assert named is not None and len(re.findall(r"OPS-\d+", named.group(1))) == 4
    assert "1 task ticked in the page (version 3)" in page  # write-back, then the tick: two new versions
