"""Cutting text to the trackers' documented limits: Jira's UTF-16 count, whole rows for
tracking issues, and the marker always kept."""

from __future__ import annotations

from actiontrack.model import IssueState
from actiontrack.trackers import jira_kind, limits, markdown_issue, markers
from actiontrack.trackers.base import TrackedChild, TrackingContent


def test_cut_counts_as_the_tracker_does() -> None:
    assert limits.cut("abc", 3) == "abc"
    assert limits.cut("abcdef", 4) == "abc…"
    cut = limits.cut("😀" * 300, 255, measure=limits.java_length)
    assert cut == "😀" * 127 + "…" and limits.java_length(cut) == 255
    mixed = limits.cut("障😀" * 200, 255, measure=limits.java_length)
    assert limits.java_length(mixed) <= 255 and mixed.endswith("…")


def tracking(n: int) -> TrackingContent:
    children = tuple(TrackedChild(f"OPS-{i}", "Rotate the replica certificates 🔐 " * 3, IssueState.OPEN)
                     for i in range(n))
    return TrackingContent("PM-9:tracking", "Outage", "https://wiki.example/pm-9", True, "actiontrack", children)


def test_a_tracking_issue_of_many_actions_lists_what_fits_and_says_how_many_more() -> None:
    body = jira_kind.render_tracking(tracking(2000)).body
    assert limits.java_length(body) <= limits.JIRA_TEXT
    shown = body.count("* OPS-")
    assert 100 < shown < 2000 and f"* … and {2000 - shown} more" in body
    assert markers.action_id_in(body) == "PM-9:tracking"
    small = markdown_issue.tracking_body(tracking(3), limit=limits.GITHUB_BODY)
    assert small.count("- [ ] #OPS-") == 3 and "more" not in small
