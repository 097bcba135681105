"""The tracker boundary: sync/, reports/ and cli/ know trackers only through the registry.

A third tracker must be one new module (bugwarrior's rule); these tests fail as soon as
tracker knowledge (a name in a comparison, a client import) leaks back outside trackers/.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from actiontrack.config import parse_config
from actiontrack.configfile import RawConfig
from actiontrack.errors import ConfigError
from actiontrack.model import IssueState
from actiontrack.trackers import markers, registry
from actiontrack.trackers.base import IssueContent, TrackedChild, Tracker, TrackingContent
from actiontrack.trackers.retry import RetryPolicy

PACKAGE = Path(registry.__file__).resolve().parents[1]
OUTSIDE = ("sync", "reports", "cli")
NAME = re.compile(r"\b(" + "|".join(registry.NAMES) + r")\b", re.IGNORECASE)
ALLOWED_IMPORTS = {"actiontrack.trackers.base", "actiontrack.trackers.registry"}
# `lint --format github` is the GitHub Actions annotation format, not the tracker.
ALLOWED_STRINGS = {("cli/__init__.py", "github")}


def _modules() -> list[Path]:
    return sorted(path for folder in OUTSIDE for path in (PACKAGE / folder).rglob("*.py"))


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_tracker_names_or_tracker_modules_outside_trackers(path: Path) -> None:
    relative = path.relative_to(PACKAGE).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    leaks = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if NAME.search(node.value) and (relative, node.value) not in ALLOWED_STRINGS:
                leaks.append(f"line {node.lineno}: {node.value!r}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("actiontrack.trackers"):
            if node.module not in ALLOWED_IMPORTS:
                leaks.append(f"line {node.lineno}: imports {node.module}")
        elif isinstance(node, ast.Import):
            leaks += [f"line {node.lineno}: imports {alias.name}" for alias in node.names
                      if alias.name.startswith("actiontrack.trackers.") and alias.name not in ALLOWED_IMPORTS]
    assert not leaks, f"{relative} holds tracker knowledge: {leaks}"


def test_every_registered_tracker_names_its_own_keys_and_vocabulary() -> None:
    for name in registry.NAMES:
        kind = registry.kind(name)
        assert kind.name == name
        assert kind.dropped_wording and "done" not in kind.dropped_wording
        assert kind.display_key("12")
        assert kind.reference("12", "https://example.invalid/issues/12")
        assert kind.target_key in kind.settings_model.model_fields


def test_display_keys_as_people_write_them() -> None:
    assert registry.display_key("jira", "OPS-12") == "OPS-12"
    assert registry.display_key("github", "12") == "#12"
    assert registry.display_key("gitlab", "12") == "#12"
    assert registry.display_key("retired-tracker", "X-1") == "X-1"  # an old store row still shows
    assert registry.display_key(None, None) is None


def test_an_unknown_tracker_is_a_config_error_naming_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(RawConfig({"tracker": {"default": "trello"}}, tmp_path / "actiontrack.toml"))
    assert "tracker.default" in str(caught.value) and "trello" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        parse_config(RawConfig({"owners": {"ikki": {"jra": "x"}}}, tmp_path / "actiontrack.toml"))
    assert "owners" in str(caught.value) and "jra" in str(caught.value)


def test_each_trackers_table_is_validated_by_its_own_model(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(RawConfig({"jira": {"auth": "password"}}, tmp_path / "actiontrack.toml"))
    assert "jira.auth" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        parse_config(RawConfig({"github": {"colour": "red"}}, tmp_path / "actiontrack.toml"))
    assert "github.colour" in str(caught.value)
    config = parse_config(RawConfig({"jira": {"project": "OPS"}}, None))
    assert config.tracker_settings("jira").project == "OPS"  # type: ignore[attr-defined]
    assert config.tracker_settings("github").repo is None  # type: ignore[attr-defined]  # defaults


def test_issue_states_keep_the_strings_stores_hold() -> None:
    assert [state.value for state in IssueState] == ["open", "done", "dropped"]
    assert not IssueState.OPEN.closed and IssueState.DONE.closed and IssueState.DROPPED.closed


CONTENT = IssueContent(
    action_id="pm-1:alert", text="Alert on lag", postmortem_title="DB outage",
    postmortem_link="https://wiki.example.com/pm/1", link_is_url=True,
    facts=(("Phase", "post-release"), ("Owner", "ikki")), base_label="actiontrack",
    phase="post-release", category=None, priority="P1", due=dt.date(2025, 4, 1),
)


# The least each tracker needs to open (no request is made until one is used).
MINIMAL = {"jira": {"url": "https://jira.example.invalid", "project": "OPS"}, "github": {"repo": "acme/ops"},
           "gitlab": {"project": "acme/platform/ops"}}


def _offline(name: str) -> Tracker:
    kind = registry.kind(name)
    settings = kind.settings_model.model_validate(MINIMAL[name])
    return kind.open(settings, config_path=None, secret=lambda env, key: "not-a-token", retry=RetryPolicy())


@pytest.mark.parametrize("name", registry.NAMES)
def test_each_tracker_renders_a_marker_and_labels_it_recognises(name: str) -> None:
    tracker = _offline(name)
    rendered = tracker.render(CONTENT)
    assert markers.action_id_in(rendered.body) == CONTENT.action_id
    assert "Alert on lag" in rendered.body and "DB outage" in rendered.body
    assert "actiontrack" in rendered.labels
    assert all(tracker.is_managed_label(label, "actiontrack") for label in rendered.labels)
    assert not tracker.is_managed_label("team-payments", "actiontrack")  # people's labels stay theirs
    tracking = tracker.render_tracking(TrackingContent(
        tracking_id="pm-1::tracking", postmortem_title="DB outage", postmortem_link="pm/1.md", link_is_url=False,
        base_label="actiontrack", children=(TrackedChild("12", "Alert on lag", IssueState.DROPPED),)))
    assert markers.action_id_in(tracking.body) == "pm-1::tracking"
    assert "dropped" in tracking.body and "pm/1.md" in tracking.body


def test_config_example_documents_every_key_of_every_tracker() -> None:
    """`actiontrack init` writes this file: each tracker's settings model is in it, key by key."""
    text = (PACKAGE / "data" / "config.example.toml").read_text(encoding="utf-8")
    for name in registry.NAMES:
        table = text.split(f"[{name}]\n", 1)[1].split("\n[", 1)[0]
        for key in registry.kind(name).settings_model.model_fields:
            if key != "done_resolutions_dropped":  # a Jira list nobody needs to see first
                assert re.search(rf"^#?\s*{key} =", table, re.M), f"[{name}] {key} is not in config.example.toml"


def test_the_packaged_config_template_is_the_documented_one() -> None:
    """`actiontrack init` writes the packaged copy; the README links the root one."""
    packaged = (PACKAGE / "data" / "config.example.toml").read_bytes()
    assert packaged == (PACKAGE.parents[1] / "config.example.toml").read_bytes()
