"""GitHubTracker end to end: real PyGithub over real HTTP against the project's emulator.

Request counts come from the emulator's log, so these tests pin the cost of each operation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import types
from collections.abc import Callable
from typing import Any

import github.Requester
import pytest

from actiontrack.errors import AmbiguousWriteError, AuthenticationError, RateLimitedError
from actiontrack.sandbox import Sandbox
from actiontrack.trackers.base import Change, IssueFields, RemoteIssue
from actiontrack.trackers.github import AmbiguousCreateError, GitHubTracker
from actiontrack.trackers.github_kind import GitHubSettings
from actiontrack.trackers.markers import body_marker
from actiontrack.trackers.retry import RetryPolicy

LABEL = "actiontrack"
UNLIMITED = {"github_secondary_per_minute": None, "github_secondary_per_hour": None}


@pytest.fixture(params=["github.com", "enterprise"])
def api_root(request: pytest.FixtureRequest) -> Callable[[Sandbox], str]:
    """Both API roots: https://api.github.com style and GHES's /api/v3 prefix."""
    return lambda sb: sb.github_url if request.param == "github.com" else sb.ghe_url


def make(sb: Sandbox, *, base_url: str | None = None, sleeps: list[float] | None = None,
         due: str = "milestone", **kwargs: Any) -> GitHubTracker:
    """A tracker with no write spacing and a retry policy that records instead of sleeping."""
    recorded = sleeps if sleeps is not None else []
    kwargs.setdefault("write_interval", 0)
    kwargs.setdefault("retry", RetryPolicy(sleep=recorded.append))
    settings = GitHubSettings(repo="acme/ops", base_url=base_url or sb.github_url, due=due)  # type: ignore[arg-type]
    return GitHubTracker(settings, token=sb.github_token, **kwargs)


def item(n: int, *, labels: tuple[str, ...] = (LABEL, "phase:detect"), due: dt.date | None = None,
         assignee: str | None = None, priority: str | None = None) -> IssueFields:
    action = f"pm-1#{n}"
    return IssueFields(action_id=action, postmortem_id="pm-1", title=f"Action {n}",
                       body=f"Do thing {n}\n\n{body_marker(action, html_comment=True)}\n",
                       labels=labels, assignee=assignee, due=due, priority=priority)


def created_issues(results: list[Any]) -> list[RemoteIssue]:
    assert all(r.error is None for r in results), [r.error for r in results if r.error]
    return [r.issue for r in results]


def status_count(sb: Sandbox, status: int) -> int:
    return sb.counts()["by_status"].get(f"github {status}", 0)


# -- reading -------------------------------------------------------------------------------

def test_150_created_issues_list_back_in_two_pages_without_prs(
        sandbox_factory: Callable[..., Sandbox], api_root: Callable[[Sandbox], str]) -> None:
    sb = sandbox_factory(**UNLIMITED)
    gh = make(sb, base_url=api_root(sb))
    created = created_issues(gh.create_many([item(n) for n in range(150)]))
    sb.github.edit_issue(1, labels=[LABEL])  # a PR carrying our label must still be skipped
    sb.reset_counts()

    listed = gh.list_issues(label=LABEL, updated_since=None)

    assert sorted(i.action_id or "" for i in listed) == sorted(i.action_id or "" for i in created)
    assert {i.url for i in listed} == {i.url for i in created}
    assert sb.count("github", "GET", "*/issues") == 2
    assert sb.counts()["total"] == 2


def test_delta_listing_returns_only_what_changed(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory()
    gh = make(sb)
    created_issues(gh.create_many([item(n) for n in range(5)]))
    watermark = max(dt.datetime.fromisoformat((i.updated or "").replace("Z", "+00:00"))
                    for i in gh.list_issues(label=LABEL, updated_since=None))
    sb.advance_time(5)
    changed = sb.github.issues()[3]["number"]
    sb.github.edit_issue(changed, title="Edited by a person")
    sb.reset_counts()

    delta = gh.list_issues(label=LABEL, updated_since=watermark + dt.timedelta(seconds=1))

    assert [(i.key, i.title) for i in delta] == [(str(changed), "Edited by a person")]
    assert sb.counts()["total"] == 1


def test_noop_resync_of_1000_linked_issues_costs_one_request(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(**UNLIMITED)
    gh = make(sb, writes_per_hour=None)
    created = created_issues(gh.create_many([item(n, labels=(LABEL,)) for n in range(1000)]))
    last_write = max(dt.datetime.fromisoformat((i.updated or "").replace("Z", "+00:00")) for i in created)
    since = last_write + dt.timedelta(seconds=1)  # the engine's watermark: server time, not ours
    sb.advance_time(2)
    sb.reset_counts()

    assert gh.list_issues(label=LABEL, updated_since=since) == []
    assert sb.counts()["total"] == 1


def test_find_by_action_ids_reads_markers(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory()
    gh = make(sb)
    created = created_issues(gh.create_many([item(n) for n in range(3)]))
    sb.reset_counts()

    found = gh.find_by_action_ids(["pm-1#2", "pm-1#404"], label=LABEL)

    assert list(found) == ["pm-1#2"] and found["pm-1#2"].key == created[2].key
    assert sb.counts()["total"] == 1


# -- creating ------------------------------------------------------------------------------

def test_labels_and_milestones_are_ensured_once_per_tracker(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(github_autocreate_labels=False)
    gh = make(sb)
    due_a, due_b = dt.date(2026, 12, 1), dt.date(2027, 1, 15)

    first = created_issues(gh.create_many([item(1, due=due_a, priority="P1", assignee="dana"),
                                           item(2, due=due_b, priority="P2")]))
    second = created_issues(gh.create_many([item(3, due=due_a, priority="P1"),
                                            item(4, due=due_b, priority="P2")]))

    assert sb.count("github", "GET", "*/labels") == 1
    assert sb.count("github", "GET", "*/milestones") == 1
    assert sb.count("github", "POST", "*/labels") == 4  # actiontrack, phase:detect, priority:P1, P2
    assert sb.count("github", "POST", "*/milestones") == 2
    assert sb.count("github", "POST", "*/issues") == 4
    assert [i.due for i in first + second] == [due_a, due_b, due_a, due_b]
    assert [i.priority for i in first] == ["P1", "P2"] and first[0].assignee == "dana"
    assert {m["title"] for m in sb.github.milestones()} == {"due-2026-12-01", "due-2027-01-15"}


def test_a_label_or_milestone_someone_made_meanwhile_is_adopted(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory()
    gh = make(sb)
    created_issues(gh.create_many([item(1)]))  # label and milestone lists are now cached
    other = make(sb)
    created_issues(other.create_many([item(2, labels=(LABEL, "category:new"), due=dt.date(2026, 12, 1))]))

    [third] = created_issues(gh.create_many([item(3, labels=(LABEL, "category:new"), due=dt.date(2026, 12, 1))]))

    assert "category:new" in third.labels and third.due == dt.date(2026, 12, 1)
    assert len(sb.github.milestones()) == 1


def test_body_due_mode_round_trips(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory()
    gh = make(sb, due="body")
    [issue] = created_issues(gh.create_many([item(1, due=dt.date(2026, 12, 1))]))

    gh.update(issue, Change(due=dt.date(2027, 2, 1)))

    [back] = gh.list_issues(label=LABEL, updated_since=None)
    assert back.due == dt.date(2027, 2, 1) and back.action_id == "pm-1#1"
    assert sb.github.milestones() == []


# -- changing ------------------------------------------------------------------------------

def test_update_keeps_a_label_a_person_added(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory()
    gh = make(sb)
    [issue] = created_issues(gh.create_many([item(1)]))
    sb.github.edit_issue(int(issue.key), labels=[*issue.labels, "customer-impact"])
    [issue] = gh.list_issues(label=LABEL, updated_since=None)
    sb.reset_counts()

    gh.update(issue, Change(labels_add=("category:detect",), labels_remove=("phase:detect",),
                            assignee="lee", due=dt.date(2026, 12, 24)))

    [after] = gh.list_issues(label=LABEL, updated_since=None)
    assert set(after.labels) == {LABEL, "customer-impact", "category:detect"}
    assert after.assignee == "lee" and after.due == dt.date(2026, 12, 24)
    assert sb.count("github", "PATCH") == 1


def test_issue_rebuilt_from_the_store_is_read_before_its_labels_are_replaced(
        sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory()
    gh = make(sb, due="body")
    [issue] = created_issues(gh.create_many([item(1, due=dt.date(2026, 12, 1))]))
    sb.github.edit_issue(int(issue.key), labels=[*issue.labels, "customer-impact"])
    from_store = dataclasses.replace(issue, body="", labels=(LABEL, "phase:detect"), updated=None)
    sb.reset_counts()

    gh.update(from_store, Change(labels_add=("category:detect",), due=dt.date(2027, 3, 1)))

    after = sb.github.issue(int(issue.key))
    assert set(after["labels"]) == {LABEL, "phase:detect", "customer-impact", "category:detect"}
    assert "Do thing 1" in after["body"] and "Due: 2027-03-01" in after["body"]
    assert sb.count("github", "GET") == 1 and sb.count("github", "PATCH") == 1


@pytest.mark.parametrize(("dropped", "state", "status"), [
    (False, "done", "closed (completed)"),
    (True, "dropped", "closed (not_planned)"),
])
def test_close_maps_back(sandbox_factory: Callable[..., Sandbox], dropped: bool, state: str, status: str) -> None:
    sb = sandbox_factory()
    gh = make(sb)
    [issue] = created_issues(gh.create_many([item(1)]))

    gh.close(issue, dropped=dropped)

    [back] = gh.list_issues(label=LABEL, updated_since=None)
    assert (back.state, back.status_name) == (state, status)
    assert back.done_at is not None


@pytest.mark.parametrize(("reason", "state"), [
    ("not_planned", "dropped"), ("duplicate", "dropped"), ("completed", "done"),
])
def test_a_person_closing_the_issue_maps_back(sandbox_factory: Callable[..., Sandbox], reason: str,
                                              state: str) -> None:
    sb = sandbox_factory()
    gh = make(sb)
    [issue] = created_issues(gh.create_many([item(1)]))

    sb.github.close_issue(int(issue.key), reason)

    [back] = gh.list_issues(label=LABEL, updated_since=None)
    assert back.state == state


def test_reopened_issue_is_open_again(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory()
    gh = make(sb)
    [issue] = created_issues(gh.create_many([item(1)]))
    gh.close(issue, dropped=False)
    sb.github.reopen_issue(int(issue.key))

    [back] = gh.list_issues(label=LABEL, updated_since=None)
    assert (back.state, back.done_at, back.status_name) == ("open", None, "open (reopened)")


# -- failures ------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["timeout-after-commit", "timeout-after-commit:close", "502"])
def test_unanswered_create_is_ambiguous_and_the_issue_is_found_by_marker(
        sandbox_factory: Callable[..., Sandbox], fault: str) -> None:
    sb = sandbox_factory(faults=f"github:POST:/repos/*/issues={fault}@#2", hold_timeout_s=5)
    gh = make(sb, timeout=1)

    with pytest.raises(AmbiguousWriteError) as caught:
        gh.create_many([item(1), item(2), item(3)])

    error = caught.value
    assert isinstance(error, AmbiguousCreateError) and error.action_id == "pm-1#2"
    assert [c.action_id for c in error.created] == ["pm-1#1"]
    assert sb.count("github", "POST", "*/issues") == 1 + 1  # never re-sent blindly
    found = gh.find_by_action_ids(["pm-1#2", "pm-1#3"], label=LABEL)
    if fault == "502":
        assert found == {}  # the gateway failed before the emulator committed
    else:
        assert list(found) == ["pm-1#2"]


def test_secondary_limit_with_retry_after_is_waited_out(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(faults="github:POST:/repos/*/issues=secondary@#1", github_secondary_retry_after=42)
    sleeps: list[float] = []
    gh = make(sb, sleeps=sleeps)

    [issue] = created_issues(gh.create_many([item(1)]))

    assert sleeps == [42.0]
    assert status_count(sb, 403) == 1 and len(sb.github.issues()) == 1 and issue.key


def test_429_without_retry_after_waits_a_minute(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(faults="github:GET:/repos/*/issues=429@#1")
    sleeps: list[float] = []

    assert make(sb, sleeps=sleeps).list_issues(label=LABEL, updated_since=None) == []
    assert sleeps == [60.0]


def test_server_error_on_patch_is_retried_because_patch_is_idempotent(
        sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(faults="github:PATCH:/repos/*/issues/*=502@#1")
    sleeps: list[float] = []
    gh = make(sb, sleeps=sleeps)
    [issue] = created_issues(gh.create_many([item(1)]))

    gh.update(issue, Change(title="Renamed"))

    assert sb.github.issue(int(issue.key))["title"] == "Renamed"
    assert sb.count("github", "PATCH") == 2 and len(sleeps) == 1


def test_primary_limit_exhausted_stops_with_rate_limited_error(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory(github_rate_limit=1)
    gh = make(sb)
    gh.list_issues(label=LABEL, updated_since=None)

    with pytest.raises(RateLimitedError, match="resets in"):
        gh.list_issues(label=LABEL, updated_since=None)


def test_refused_item_gets_its_error_and_the_batch_continues(sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory()
    gh = make(sb)

    bad, good = gh.create_many([item(1, assignee="not-a-collaborator"), item(2)])

    assert bad.issue is None and bad.error and "422" in bad.error and "assignees" in bad.error
    assert good.issue is not None and good.error is None


# -- pacing --------------------------------------------------------------------------------

@pytest.fixture
def emulated_time(monkeypatch: pytest.MonkeyPatch) -> Callable[[Sandbox], None]:
    """PyGithub's write spacing advances the emulator clock instead of sleeping for real."""
    def bind(sb: Sandbox) -> None:
        fake = types.SimpleNamespace(sleep=sb.advance_time)
        monkeypatch.setattr(github.Requester, "time", fake)
    return bind


def test_default_pacing_creates_100_issues_without_a_secondary_limit(
        sandbox_factory: Callable[..., Sandbox], emulated_time: Callable[[Sandbox], None]) -> None:
    sb = sandbox_factory()  # GitHub's documented 80 content-creating requests per minute
    emulated_time(sb)
    gh = make(sb, write_interval=1.0)

    created_issues(gh.create_many([item(n) for n in range(100)]))

    assert status_count(sb, 403) == 0 and status_count(sb, 429) == 0
    posts = [r.timestamp for r in sb.requests("github", "POST")]
    assert min(b - a for a, b in itertools.pairwise(posts)) >= 0.99


def test_without_pacing_the_same_batch_trips_the_limit(
        sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory()
    gh = make(sb, write_interval=0, retry=RetryPolicy(sleep=sb.advance_time))

    created_issues(gh.create_many([item(n) for n in range(100)]))

    assert status_count(sb, 403) >= 1  # recovered by waiting retry-after, but it was tripped


def test_a_500_issue_first_sync_stops_cleanly_at_githubs_hourly_limit(
        sandbox_factory: Callable[..., Sandbox], emulated_time: Callable[[Sandbox], None]) -> None:
    """GitHub's defaults: 80/min and 500/h. 500 issues plus their labels and milestones need
    more than 500 writes, so the run must stop itself before the 501st, not trip the limit."""
    sb = sandbox_factory()
    emulated_time(sb)
    gh = make(sb, write_interval=1.0)  # writes_per_hour defaults to GitHub's 500
    dues = [dt.date(2026, 12, 1), dt.date(2027, 1, 1)]

    with pytest.raises(RateLimitedError, match="500 writes in the last hour"):
        gh.create_many([item(n, due=dues[n % 2]) for n in range(500)])

    assert status_count(sb, 403) == 0 and status_count(sb, 429) == 0
    assert sb.count("github", "POST") == 500
    assert len(sb.github.issues()) == 500 - 2 - 2  # two labels and two milestones came first


# -- authentication ------------------------------------------------------------------------

def test_bad_token_names_url_and_variable_but_never_the_token(
        sandbox_factory: Callable[..., Sandbox], api_root: Callable[[Sandbox], str],
        caplog: pytest.LogCaptureFixture) -> None:
    sb = sandbox_factory()
    secret = "ghp_wrong_but_secret_0123456789"
    settings = GitHubSettings(repo="acme/ops", base_url=api_root(sb), token_env="ACME_GH_TOKEN")
    gh = GitHubTracker(settings, token=secret, write_interval=0)

    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="github"), \
            pytest.raises(AuthenticationError) as caught:
        gh.check_auth()

    shown = f"{caught.value} {caught.value.hint}"
    assert api_root(sb) in shown and "ACME_GH_TOKEN" in shown and "401" in shown
    assert secret not in shown and secret not in repr(caught.value.__cause__)
    assert "github.Requester" in caplog.text  # PyGithub did log the request at DEBUG ...
    assert secret not in caplog.text  # ... without the token


def test_a_whole_session_at_debug_never_logs_the_token(
        sandbox_factory: Callable[..., Sandbox], caplog: pytest.LogCaptureFixture) -> None:
    sb = sandbox_factory(faults="github:POST:/repos/*/issues=secondary@#1")
    gh = make(sb)

    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="github"):
        assert gh.check_auth() == "pm-bot"
        [issue] = created_issues(gh.create_many([item(1, due=dt.date(2026, 12, 1))]))
        gh.update(issue, Change(labels_add=("x",)))
        gh.list_issues(label=LABEL, updated_since=None)

    assert caplog.records and sb.github_token not in caplog.text


def test_refused_connection_is_retried_as_not_sent_not_as_ambiguous(
        sandbox_factory: Callable[..., Sandbox]) -> None:
    sb = sandbox_factory()
    url = sb.github_url
    sb.stop()  # nothing listens on the port any more
    sleeps: list[float] = []
    gh = make(sb, base_url=url, retry=RetryPolicy(max_attempts=2, sleep=sleeps.append))
    gh._labels = {LABEL.lower(), "phase:detect"}  # go straight to the issue POST

    with pytest.raises(RateLimitedError, match="could not connect"):
        gh.create_many([item(1)])

    assert len(sleeps) == 1  # retried once: a refused POST was never sent
