"""Markers round-trip any action id, and markers written by earlier releases still read."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from actiontrack.trackers import github_map, markers

IDS = ["PM-1:1a2b3c4d", "GH SPACE:1a2b3c4d", "障害 #3: 'db' \"quoted\":00ff00ff", "a-->b:<!--c",
       "tab\there:x", "new\nline:y", '"leading quote', "back\\slash", "pipe|bracket]:z", "#7:ok"]


def test_every_id_round_trips_in_both_body_forms() -> None:
    for action_id in IDS:
        for html in (True, False):
            body = f"Some text.\n\n{markers.body_marker(action_id, html_comment=html)}\n"
            assert markers.action_id_in(body) == action_id, (action_id, body)


@given(st.text(min_size=1).filter(lambda s: s.strip() == s and "\r" not in s))
def test_any_id_round_trips_inside_an_html_comment(action_id: str) -> None:
    marker = markers.body_marker(action_id, html_comment=True)
    assert marker.count("-->") == 1 and marker.endswith("-->")  # the id can never close the comment
    assert markers.action_id_in(f"Text\n\n{marker}\n") == action_id


def test_plain_ids_are_written_bare_as_before() -> None:
    """Issues of existing users keep their bodies: nothing to push after an upgrade."""
    assert markers.body_marker("PM-2024-041:3f2a9c1b", html_comment=True) == \
        "<!-- actiontrack-id: PM-2024-041:3f2a9c1b -->"
    assert markers.body_marker("GH SPACE:1", html_comment=False) == 'actiontrack-id: "GH SPACE:1"'


def test_old_bare_markers_name_the_rest_of_their_line() -> None:
    """Releases before quoting wrote any id bare; the marker sat on a line of its own."""
    assert markers.action_id_in("x\n\n<!-- actiontrack-id: GH SPACE:1a2b3c4d -->\n") == "GH SPACE:1a2b3c4d"
    assert markers.action_id_in("x\n----\nactiontrack-id: GH SPACE:1a2b3c4d\n") == "GH SPACE:1a2b3c4d"
    assert markers.action_id_in("see actiontrack-id: PM-1:abc and more") == "PM-1:abc"  # joined by a person


def test_no_marker_and_broken_markers_name_nothing() -> None:
    assert markers.action_id_in("") is None
    assert markers.action_id_in("no marker here") is None
    assert markers.action_id_in('actiontrack-id: "unterminated') is None


def test_a_marker_naming_another_id_is_replaced_not_doubled() -> None:
    body = "Words.\n\n" + markers.body_marker("PM-1:old", html_comment=True) + "\n"
    renamed = github_map.ensure_marker(body, "PM-1:new")
    assert markers.action_id_in(renamed) == "PM-1:new" and "PM-1:old" not in renamed


def test_the_property_and_the_label_identify_the_action() -> None:
    assert markers.action_id_of_property(markers.property_value("GH SPACE:1")) == "GH SPACE:1"
    assert markers.action_id_of_property({"other": 1}) is None
    label = markers.marker_label("GH SPACE:1")
    assert markers.is_marker_label(label) and " " not in label and not markers.is_marker_label("at-home")


def test_a_duplicate_loses_its_marker() -> None:
    body = "Words.\n\n" + markers.body_marker("PM-1:a", html_comment=True) + "\n"
    stripped = markers.without_body_marker(body, note=markers.duplicate_note("#3", html_comment=True))
    assert markers.action_id_in(stripped) is None and "Words." in stripped and "duplicate-of: #3" in stripped
