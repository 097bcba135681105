"""JiraTracker under injected faults and bad credentials, against the emulator.

A RetryPolicy with a recording sleep shows what would have been waited, without waiting.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import socket
import traceback
from typing import Any

import pytest

from actiontrack.errors import AmbiguousWriteError, AuthenticationError, RateLimitedError, TrackerError
from actiontrack.sandbox import Sandbox
from actiontrack.trackers.base import IssueFields
from actiontrack.trackers.jira import JiraTracker
from actiontrack.trackers.jira_kind import JiraSettings
from actiontrack.trackers.markers import body_marker, marker_label
from actiontrack.trackers.retry import RetryPolicy

BULK = "/rest/api/2/issue/bulk"
SECRET = "s3cr3t-Tok3n-do-not-print"


class Sleeps(list[float]):
    """A fake sleep that records the delays it was asked for."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture(params=["Cloud", "Server"])
def sb(request: pytest.FixtureRequest, sandbox_factory: Any) -> Sandbox:
    """One emulator per deployment; held connections are released after 2 s."""
    return sandbox_factory(jira_deployment=request.param, hold_timeout_s=2)  # type: ignore[no-any-return]


def make_tracker(sb: Sandbox, sleeps: Sleeps, token: str | None = None, **kwargs: Any) -> JiraTracker:
    cloud = sb.config.jira_deployment == "Cloud"
    settings = JiraSettings(url=sb.jira_url, project="PM", auth="cloud" if cloud else "pat")
    retry = RetryPolicy(sleep=sleeps, max_attempts=4)
    return JiraTracker(settings, token=token or sb.jira_token, email=sb.config.jira_email if cloud else None,
                       retry=retry, **kwargs)


def item(n: int) -> IssueFields:
    action_id = f"pm-x/{n}"
    return IssueFields(action_id=action_id, postmortem_id="pm-x", title=f"Item {n}",
                       body=f"text\n{body_marker(action_id, html_comment=False)}",
                       labels=("actiontrack", marker_label(action_id)))


def test_timeout_after_commit_is_ambiguous_and_then_found(sb: Sandbox) -> None:
    sleeps = Sleeps()
    tracker = make_tracker(sb, sleeps, timeout=0.5)
    tracker.check_auth()
    sb.add_fault(f"jira:POST:{BULK}=timeout-after-commit@#1")
    items = [item(n) for n in range(3)]

    with pytest.raises(AmbiguousWriteError) as caught:
        tracker.create_many(items)

    assert sb.count("jira", "POST", BULK) == 1  # never re-sent blindly
    assert sleeps == []
    assert sb.jira_url in str(caught.value)
    found = tracker.find_by_action_ids([i.action_id for i in items], label="actiontrack")
    assert sorted(found) == sorted(i.action_id for i in items)


def test_dropped_connection_after_commit_is_ambiguous(sb: Sandbox) -> None:
    tracker = make_tracker(sb, Sleeps())
    sb.add_fault(f"jira:POST:{BULK}=timeout-after-commit:close@#1")
    with pytest.raises(AmbiguousWriteError):
        tracker.create_many([item(0)])
    assert len(sb.jira.issues("PM")) == 1


def test_429_with_retry_after_is_retried_on_bulk_create(sb: Sandbox) -> None:
    sleeps = Sleeps()
    tracker = make_tracker(sb, sleeps)
    sb.add_fault(f"jira:POST:{BULK}=429:7@#1")

    results = tracker.create_many([item(n) for n in range(60)])

    assert all(r.issue is not None for r in results)
    assert sleeps == [7.0]
    assert sb.count("jira", "POST", BULK) == 3  # the limited one, then 50 + 10
    assert len(sb.jira.issues("PM")) == 60  # no duplicates


def test_429_and_503_on_search_are_retried(sb: Sandbox) -> None:
    sleeps = Sleeps()
    tracker = make_tracker(sb, sleeps)
    tracker.create_many([item(0)])
    sb.add_fault("jira:POST:/rest/api/2/search*=429:3@#1")
    sb.add_fault("jira:POST:/rest/api/2/search*=503:2@#2")

    assert len(tracker.list_issues(label="actiontrack", updated_since=None)) == 1
    assert sleeps == [3.0, 2.0]


def test_500_on_a_read_is_retried_but_on_a_create_is_ambiguous(sb: Sandbox) -> None:
    sleeps = Sleeps()
    tracker = make_tracker(sb, sleeps)
    sb.add_fault("jira:POST:/rest/api/2/search*=502@#1")
    assert tracker.list_issues(label="actiontrack", updated_since=None) == []
    assert len(sleeps) == 1

    sb.add_fault(f"jira:POST:{BULK}=500@#1")
    with pytest.raises(AmbiguousWriteError):
        tracker.create_many([item(0)])


def test_limits_that_never_end_stop_cleanly(sb: Sandbox) -> None:
    sleeps = Sleeps()
    tracker = make_tracker(sb, sleeps)
    sb.add_fault(f"jira:POST:{BULK}=429:1")
    with pytest.raises(RateLimitedError):
        tracker.create_many([item(0)])
    assert sleeps == [1.0, 1.0, 1.0]
    assert sb.jira.issues("PM") == []


def test_permanent_error_names_jira_reason(sb: Sandbox) -> None:
    tracker = make_tracker(sb, Sleeps())
    sb.add_fault("jira:PUT:/rest/api/2/issue/*=404@#1")
    issue = tracker.create_many([item(0)])[0].issue
    assert issue is not None
    from actiontrack.trackers.base import Change

    with pytest.raises(TrackerError) as caught:
        tracker.update(issue, Change(title="x"))
    assert caught.value.status == 404
    assert caught.value.tracker == "jira"


def test_refused_connection_is_retried_not_ambiguous() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    sleeps = Sleeps()
    settings = JiraSettings(url=f"http://127.0.0.1:{port}/jira", project="PM", auth="pat")
    tracker = JiraTracker(settings, token=SECRET, email=None, retry=RetryPolicy(sleep=sleeps, max_attempts=3),
                          timeout=2)
    with pytest.raises(RateLimitedError) as caught:
        tracker.create_many([item(0)])
    assert len(sleeps) == 2
    assert "refused" in str(caught.value)


def _leaks(text: str, sb: Sandbox) -> list[str]:
    basic = base64.b64encode(f"{sb.config.jira_email}:{SECRET}".encode()).decode()
    return [s for s in (SECRET, basic) if s in text]


def test_auth_failure_names_url_and_variables_never_the_token(
    sb: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tracker = make_tracker(sb, Sleeps(), token=SECRET)

    with pytest.raises(AuthenticationError) as caught:
        tracker.check_auth()

    error = caught.value
    message = str(error)
    assert sb.jira_url in message
    assert "JIRA_API_TOKEN" in message
    if sb.config.jira_deployment == "Cloud":
        assert "JIRA_EMAIL" in message
    assert error.status == 401
    everything = "\n".join([
        message, repr(error), str(error.hint), repr(tracker), str(vars(tracker)),
        "".join(traceback.format_exception(error)), caplog.text,
    ])
    assert _leaks(everything, sb) == []


def test_auth_failure_on_any_call_is_an_authentication_error(sb: Sandbox) -> None:
    tracker = make_tracker(sb, Sleeps(), token=SECRET)
    with pytest.raises(AuthenticationError):
        tracker.list_issues(label="actiontrack", updated_since=dt.datetime.now(dt.UTC))


def test_check_auth_names_the_account(sb: Sandbox) -> None:
    tracker = make_tracker(sb, Sleeps())
    expected = sb.config.jira_email if sb.config.jira_deployment == "Cloud" else sb.config.jira_username
    assert tracker.check_auth() == expected
    assert sb.counts()["by_endpoint"] == {"jira GET /rest/api/2/serverInfo": 1, "jira GET /rest/api/2/myself": 1}


def test_a_successful_run_logs_no_secret(sb: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    tracker = make_tracker(sb, Sleeps())
    tracker.check_auth()
    tracker.create_many([item(0)])
    tracker.list_issues(label="actiontrack", updated_since=None)
    for text in (caplog.text, repr(tracker), str(vars(tracker))):
        assert sb.jira_token not in text
