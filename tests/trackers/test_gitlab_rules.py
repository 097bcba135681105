"""GitLab's rules as pure functions: payloads, refusals, drops, priorities, retry waits, pacing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import requests

from actiontrack.trackers import gitlab_map as gm
from actiontrack.trackers.base import Change, IssueFields
from actiontrack.trackers.gitlab_failures import HttpFailure, classify, retry_after
from actiontrack.trackers.gitlab_kind import GitLabSettings
from actiontrack.trackers.pacing import Pacer

SETTINGS = GitLabSettings(project="acme/ops")
CLOSED = "2025-03-03T10:00:00.000Z"


def item(**changes: Any) -> IssueFields:
    values: dict[str, Any] = {"action_id": "a:1", "postmortem_id": "a", "title": "t", "body": "b",
                              "labels": ("actiontrack",), **changes}
    return IssueFields(**values)


@pytest.mark.parametrize(("body", "refused"), [
    ({"error": "due_date is invalid"}, {"due"}),
    ({"error": "assignee_ids is invalid, weight does not have a valid value"}, {"assignee", "priority"}),
    ({"error": "title is missing, due_date is invalid"}, set()),  # a required field too: no retry helps
    ({"message": {"due_date": ["is not a valid date"]}}, {"due"}),
    ({"message": {"title": ["can't be blank"]}}, set()),
    ({"message": "404 Project Not Found"}, set()),
    ("Retry later", set()),
])
def test_refused_fields(body: Any, refused: set[str]) -> None:
    assert gm.refused_fields(body) == frozenset(refused)


def test_messages_in_both_error_shapes() -> None:
    assert gm.message_of({"message": {"title": ["is too long", "is bad"]}}) == "title is too long; is bad"
    assert gm.message_of({"error": "state does not have a valid value"}) == "state does not have a valid value"
    assert gm.message_of("Retry later\n") == "Retry later"


def test_create_payload_carries_weight_only_in_weight_mode() -> None:
    plain = gm.create_payload(item(priority="P1", due=dt.date(2025, 1, 2)), SETTINGS, assignee_id=7, milestone_id=None)
    assert plain["labels"] == "actiontrack" and plain["assignee_ids"] == [7] and plain["due_date"] == "2025-01-02"
    assert "weight" not in plain and "actiontrack-id: a:1" in plain["description"]  # the marker is ensured
    weighted = gm.create_payload(item(priority="P1"), GitLabSettings(project="x", priority="weight"),
                                 assignee_id=None, milestone_id=5)
    assert weighted["weight"] == 3 and weighted["milestone_id"] == 5 and "assignee_ids" not in weighted


def test_edit_payload_only_what_changed() -> None:
    assert gm.edit_payload(Change(), SETTINGS, action_id="a:1", assignee_id=None) == {}
    out = gm.edit_payload(Change(labels_add=("x", "y"), labels_remove=("y", "z"), clear_due=True, clear_assignee=True),
                          SETTINGS, action_id="a:1", assignee_id=None)
    assert out == {"add_labels": "x,y", "remove_labels": "z", "due_date": None, "assignee_ids": []}


def raw(**changes: Any) -> dict[str, Any]:
    return {"iid": 4, "state": "closed", "closed_at": CLOSED, "closed_by": {"username": "lee"},
            "labels": [], "description": "", **changes}


def note(body: str, at: str, by: str = "lee", system: bool = False) -> dict[str, Any]:
    return {"body": body, "created_at": at, "author": {"username": by}, "system": system}


def test_drop_label_is_case_insensitive_and_open_is_never_dropped() -> None:
    assert gm.state_of(raw(labels=["Won't Do"]), SETTINGS).value == "dropped"
    assert gm.state_of(raw(state="opened", labels=["wontfix"]), SETTINGS).value == "open"
    assert gm.state_of(raw(), SETTINGS).value == "done"


def test_closing_note_window_and_author() -> None:
    assert gm.dropped_by_notes(raw(), [note("Won't do", "2025-03-03T09:58:00.000Z")], SETTINGS)
    assert not gm.dropped_by_notes(raw(), [note("Won't do", "2025-03-03T09:40:00.000Z")], SETTINGS)  # too early
    assert not gm.dropped_by_notes(raw(), [note("Won't do", "2025-03-03T10:00:00.000Z", by="dana")], SETTINGS)
    assert gm.dropped_by_notes(raw(), [note("marked this issue as a duplicate of #1", CLOSED, system=True)], SETTINGS)
    assert not gm.dropped_by_notes(raw(closed_at=None), [note("won't do", CLOSED)], SETTINGS)


def test_who_needs_a_notes_read() -> None:
    assert gm.needs_close_note(raw(), SETTINGS, "pm-bot")
    assert not gm.needs_close_note(raw(closed_by={"username": "pm-bot"}), SETTINGS, "pm-bot")
    assert not gm.needs_close_note(raw(labels=["duplicate"]), SETTINGS, "pm-bot")
    assert gm.needs_close_note(raw(closed_by=None), SETTINGS, None)  # the closer's account was deleted
    assert not gm.needs_close_note(raw(), GitLabSettings(project="x", dropped_phrases=()), "pm-bot")


@pytest.mark.parametrize(("labels", "weight", "mode", "expected"), [
    (["priority::P1"], None, "label", "P1"),
    (["priority:p2"], None, "label", "P2"),
    (["priority::urgent"], None, "label", "urgent"),
    ([], 4, "weight", "P0"),
    ([], 9, "weight", None),
    (["priority::P1"], None, "weight", None),
])
def test_priority_back(labels: list[str], weight: int | None, mode: str, expected: str | None) -> None:
    settings = GitLabSettings(project="x", priority=mode)  # type: ignore[arg-type]
    assert gm.priority_of({"weight": weight}, labels, settings) == expected


def failure(status: int, **headers: str) -> HttpFailure:
    return HttpFailure(status, {"message": "x"}, headers)


def test_waits_in_the_order_gitlab_documents() -> None:
    now = lambda: 1_000.0  # noqa: E731
    assert retry_after({"retry-after": "30", "ratelimit-reset": "1060"}, now) == 30
    assert retry_after({"retry-after": "Thu, 01 Jan 1970 00:17:00 GMT"}, now) == 20
    assert retry_after({"ratelimit-reset": "1045"}, now) == 45
    assert retry_after({"ratelimit-reset": "1045", "ratelimit-remaining": "0"}, now) == 45
    # an application limit (issue creation) refused: the headers show Rack::Attack's quota left
    assert retry_after({"ratelimit-reset": "1045", "ratelimit-remaining": "1999"}, now) is None
    assert retry_after({}, now) is None


def test_classification() -> None:
    limited = classify(failure(429, **{"Retry-After": "5"}), write=True, max_wait=300)
    assert limited is not None and limited.retry_after == 5 and not limited.ambiguous
    assert classify(failure(429, **{"Retry-After": "3600"}), write=True, max_wait=300) is None  # reported
    server = classify(failure(502), write=True, max_wait=300)
    assert server is not None and server.ambiguous
    read = classify(failure(502), write=False, max_wait=300)
    assert read is not None and not read.ambiguous
    assert classify(failure(400), write=True, max_wait=300) is None
    locked = classify(HttpFailure(409, {"message": "Resource lock"}, {}), write=True, max_wait=300)
    assert locked is not None and not locked.ambiguous
    dropped = classify(requests.exceptions.ConnectionError("reset by peer"), write=True, max_wait=300)
    assert dropped is not None and dropped.ambiguous


def test_pacer_lets_a_window_through_then_waits() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    pacer = Pacer(3, 60.0, clock=lambda: clock[0], sleep=sleep)
    for _ in range(7):
        pacer.wait()
        clock[0] += 1
    assert slept == [57.0, 57.0]
    assert Pacer(0).wait() == 0.0


def test_pacer_with_a_clock_that_ignores_sleep_still_spaces_windows() -> None:
    slept: list[float] = []
    pacer = Pacer(2, 60.0, clock=lambda: 0.0, sleep=slept.append)
    for _ in range(6):
        pacer.wait()
    assert slept == [60.0, 60.0]
