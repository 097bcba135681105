"""GitHub mapping, failure classification and guards as plain functions (no HTTP)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
import requests
from github.GithubException import GithubException
from urllib3.exceptions import NewConnectionError, ProtocolError

from actiontrack.errors import AuthenticationError, RateLimitedError
from actiontrack.trackers import github_map as gm
from actiontrack.trackers.github_failures import SECONDARY_WAIT, classify, rate_limit_wait, translate
from actiontrack.trackers.github_guard import WriteBudget, redact_in_logs

SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."


def gh_exc(status: int, message: str = "Error", **headers: str) -> GithubException:
    return GithubException(status, {"message": message}, headers)


@pytest.mark.parametrize(("state", "reason", "expected"), [
    ("open", None, "open"),
    ("open", "reopened", "open"),
    ("closed", "completed", "done"),
    ("closed", None, "done"),
    ("closed", "not_planned", "dropped"),
    ("closed", "duplicate", "dropped"),
])
def test_state_mapping(state: str, reason: str | None, expected: str) -> None:
    assert gm.state_of({"state": state, "state_reason": reason}) == expected


def test_issue_json_maps_to_remote_issue() -> None:
    raw = {"number": 12, "html_url": "https://github.com/acme/ops/issues/12", "title": "T",
           "body": "x\n<!-- actiontrack-id: pm-1#3 -->", "labels": [{"name": "priority:p1"}],
           "assignees": [{"login": "dana"}, {"login": "lee"}], "state": "closed",
           "state_reason": "not_planned", "closed_at": "2026-11-20T10:00:00Z",
           "updated_at": "2026-11-20T10:00:01Z",
           "milestone": {"title": "due-2026-12-01", "due_on": "2026-11-30T08:00:00Z"}}

    issue = gm.to_remote(raw, due_from="milestone")

    assert (issue.key, issue.remote_id, issue.action_id) == ("12", "12", "pm-1#3")
    assert issue.assignee == "dana" and issue.priority == "P1"
    assert issue.due == dt.date(2026, 12, 1)  # from the title, not the shifted due_on
    assert issue.state == "dropped" and issue.status_name == "closed (not_planned)"
    assert issue.done_at == dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    assert issue.updated == "2026-11-20T10:00:01Z"


def test_due_of_a_milestone_people_made_comes_from_due_on() -> None:
    raw = {"number": 1, "state": "open", "milestone": {"title": "Q4", "due_on": "2026-12-24T08:00:00Z"}}
    assert gm.to_remote(raw, due_from="milestone").due == dt.date(2026, 12, 24)


@pytest.mark.parametrize(("body", "due"), [
    ("Fix it\nDue: 2026-12-01\n", dt.date(2026, 12, 1)),
    ("**Due:** 2026-12-02", dt.date(2026, 12, 2)),
    ("- due: 2026-12-03 (P1 SLO)", dt.date(2026, 12, 3)),
    ("Overdue since: never", None),
    ("", None),
])
def test_due_line_in_body(body: str, due: dt.date | None) -> None:
    assert gm.due_in_body(body) == due


def test_due_line_is_replaced_added_and_removed() -> None:
    body = "Fix it\nDue: 2026-12-01\nmore"
    assert gm.due_in_body(gm.with_due_line(body, dt.date(2027, 1, 2))) == dt.date(2027, 1, 2)
    assert gm.due_in_body(gm.with_due_line("Fix it", dt.date(2027, 1, 2))) == dt.date(2027, 1, 2)
    assert gm.due_in_body(gm.with_due_line(body, None)) is None


def test_marker_is_added_only_when_missing() -> None:
    assert gm.ensure_marker("b <!-- actiontrack-id: a1 -->", "a1") == "b <!-- actiontrack-id: a1 -->"
    assert "<!-- actiontrack-id: a1 -->" in gm.ensure_marker("b", "a1")


def test_merge_keeps_foreign_labels_and_compares_case_insensitively() -> None:
    merged = gm.merge_labels(["ActionTrack", "phase:a", "customer"], ["actiontrack", "phase:b"], ["PHASE:A"])
    assert merged == ["ActionTrack", "customer", "phase:b"]


def test_since_is_utc_to_the_second() -> None:
    moment = dt.datetime(2026, 11, 20, 19, 0, 0, 999, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert gm.since_param(moment) == "2026-11-20T10:00:00Z"
    assert gm.since_param(dt.datetime(2026, 11, 20, 10, 0)) == "2026-11-20T10:00:00Z"


# -- classification ------------------------------------------------------------------------

def _classify(exc: Exception, write: bool = True) -> Any:
    return classify(exc, write=write, max_wait=300)


def test_secondary_limit_waits_retry_after_then_a_minute() -> None:
    assert _classify(gh_exc(403, SECONDARY, **{"retry-after": "7"})).retry_after == 7
    assert _classify(gh_exc(403, SECONDARY)).retry_after == SECONDARY_WAIT
    assert _classify(gh_exc(429, "Too many")).retry_after == SECONDARY_WAIT
    assert not _classify(gh_exc(403, SECONDARY)).ambiguous


def test_primary_limit_waits_until_reset() -> None:
    exc = gh_exc(403, "API rate limit exceeded for user ID 1.",
                 **{"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1000"})
    assert rate_limit_wait(exc, now=lambda: 900.0) == 101.0


def test_primary_limit_beyond_the_budget_is_reported_not_slept_on() -> None:
    exc = gh_exc(403, "API rate limit exceeded", **{"x-ratelimit-remaining": "0",
                                                      "x-ratelimit-reset": "99999999999"})
    assert _classify(exc) is None
    error = translate(exc, what="listing issues", url="u", token_env="GITHUB_TOKEN")
    assert isinstance(error, RateLimitedError)


def test_forbidden_without_a_limit_is_permanent() -> None:
    assert _classify(gh_exc(403, "Resource not accessible by integration")) is None


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_ambiguous_for_writes_only(status: int) -> None:
    assert _classify(gh_exc(status), write=True).ambiguous
    assert not _classify(gh_exc(status), write=False).ambiguous


def test_network_failures() -> None:
    refused = requests.exceptions.ConnectionError(NewConnectionError(None, "refused"))  # type: ignore[arg-type]
    dropped = requests.exceptions.ConnectionError(ProtocolError("Connection aborted."))
    assert not _classify(refused).ambiguous
    assert not _classify(requests.exceptions.ConnectTimeout()).ambiguous
    assert _classify(dropped).ambiguous
    assert _classify(requests.exceptions.ReadTimeout()).ambiguous


def test_permanent_errors_carry_githubs_message_and_status() -> None:
    error = translate(gh_exc(404, "Not Found"), what="updating issue #3", url="https://x/y", token_env="T")
    assert error.status == 404 and "Not Found" in error.message and "https://x/y" in error.message
    assert isinstance(translate(gh_exc(401, "Bad credentials"), what="w", url="u", token_env="T"),
                      AuthenticationError)


# -- guards --------------------------------------------------------------------------------

def test_write_budget_stops_before_the_hourly_limit() -> None:
    now = [0.0]
    budget = WriteBudget(2, clock=lambda: now[0])
    budget.spend(what="w", url="u")
    budget.spend(what="w", url="u")
    with pytest.raises(RateLimitedError):
        budget.spend(what="w", url="u")
    now[0] = 3601.0
    budget.spend(what="w", url="u")


def test_tokens_are_redacted_from_client_logs(caplog: pytest.LogCaptureFixture) -> None:
    redact_in_logs("ghp_very_secret_value")
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="github"):
        logging.getLogger("github.Requester").debug("headers %s", {"Authorization": "token ghp_very_secret_value"})
        logging.getLogger("urllib3.connectionpool").debug("url ?access_token=ghp_very_secret_value")
    assert "ghp_very_secret_value" not in caplog.text
    assert caplog.text.count("[redacted]") == 2
