"""GitLabTracker through python-gitlab against the emulator: shapes, costs, limits and faults."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest

from actiontrack.errors import AmbiguousWriteError, AuthenticationError, ConfigError, RateLimitedError, TrackerError
from actiontrack.model import IssueState
from actiontrack.sandbox import Sandbox
from actiontrack.trackers.base import Change, IssueFields
from actiontrack.trackers.gitlab import AmbiguousCreateError, GitLabTracker
from actiontrack.trackers.gitlab_kind import GitLabSettings
from actiontrack.trackers.markers import body_marker
from actiontrack.trackers.retry import RetryPolicy

PROJECT = "acme/platform/ops"


def tracker(sb: Sandbox, *, sleeps: list[float] | None = None, budget: float = 300, **settings: Any) -> GitLabTracker:
    recorded = sleeps if sleeps is not None else []

    def sleep(seconds: float) -> None:
        recorded.append(seconds)
        sb.advance_time(seconds)

    policy = RetryPolicy(budget_seconds=budget, sleep=sleep)
    values = {"url": sb.gitlab_url, "project": PROJECT, **settings}
    made = GitLabTracker(GitLabSettings(**values), token=sb.gitlab_token, retry=policy)
    made._pacer.clock = lambda: sb.now().timestamp()  # the clock its sleeps move
    return made


def item(n: int, **changes: Any) -> IssueFields:
    action_id = f"PM-1:{n:03d}"
    values: dict[str, Any] = {
        "action_id": action_id, "postmortem_id": "PM-1", "title": f"Add alert {n}",
        "body": f"Alert {n}\n\n{body_marker(action_id, html_comment=True)}",
        "labels": ("actiontrack", "phase:post-release"), "due": dt.date(2025, 4, 1), "priority": "P1",
        **changes,
    }
    return IssueFields(**values)


def test_create_then_list_round_trips_every_field(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    (made,) = gl.create_many([item(1, assignee="dana")])
    assert made.issue is not None and made.error is None
    issue = made.issue
    assert (issue.key, issue.assignee, issue.due, issue.state) == ("1", "dana", dt.date(2025, 4, 1), IssueState.OPEN)
    assert issue.url.endswith(f"/{PROJECT}/-/issues/1") and issue.action_id == "PM-1:001"
    (listed,) = gl.list_issues(label="actiontrack", updated_since=None)
    assert listed.title == "Add alert 1" and listed.labels == ("actiontrack", "phase:post-release")
    assert listed.priority is None  # in label mode the priority is a label the engine renders


def test_project_by_numeric_id_and_a_self_managed_relative_url(sandbox: Sandbox) -> None:
    """The sandbox serves GitLab under /gitlab, like a self-managed instance with a relative root."""
    number = str(sandbox.gitlab.project_id())
    gl = tracker(sandbox, project=number)
    gl.create_many([item(1)])
    assert [i.key for i in gl.list_issues(label="actiontrack", updated_since=None)] == ["1"]
    assert all("/api/v4/projects/278964/" in r.path + "/" for r in sandbox.requests("gitlab", path="/api/v4/projects/*"))


def test_250_issues_list_back_in_three_keyset_pages(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    made = gl.create_many([item(n) for n in range(250)])
    assert all(c.issue for c in made)
    sandbox.reset_counts()
    listed = gl.list_issues(label="actiontrack", updated_since=None)
    assert [i.key for i in listed] == [str(n) for n in range(1, 251)]
    pages = sandbox.requests("gitlab", "GET")
    assert len(pages) == 3 and all("pagination=keyset" in p.query for p in pages[1:] + pages[:1])


def test_updated_after_lists_only_what_changed(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    gl.create_many([item(n) for n in range(3)])
    sandbox.advance_time(120)
    mark = dt.datetime.fromtimestamp(sandbox._emulator.clock.now(), tz=dt.UTC)
    sandbox.gitlab.edit_issue(2, title="edited by a person")
    changed = gl.list_issues(label="actiontrack", updated_since=mark - dt.timedelta(seconds=1))
    assert [i.title for i in changed] == ["edited by a person"]


def test_find_by_action_ids_keeps_the_oldest_and_stops_early(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    gl.create_many([item(n) for n in range(150)] + [item(3)])  # a duplicate of #4, made last
    sandbox.reset_counts()
    found = gl.find_by_action_ids(["PM-1:003", "PM-1:010"], label="actiontrack")
    assert found["PM-1:003"].key == "4" and found["PM-1:010"].key == "11"
    assert sandbox.count("gitlab", "GET") == 1  # both are on the first page


def test_update_adds_and_removes_only_managed_labels_and_clears_fields(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    (made,) = gl.create_many([item(1, assignee="dana")])
    assert made.issue is not None
    sandbox.gitlab.edit_issue(1, labels=["actiontrack", "phase:post-release", "team-payments"])
    sandbox.reset_counts()
    gl.update(made.issue, Change(title="Renamed", labels_add=("category:detection",),
                                 labels_remove=("phase:post-release",), clear_assignee=True, clear_due=True,
                                 fields=("title", "labels", "assignee", "due")))
    assert sandbox.count("gitlab") == 1  # one PUT, no read first
    got = sandbox.gitlab.issue(1)
    assert got["title"] == "Renamed" and got["assignees"] == [] and got["due_date"] is None
    assert got["labels"] == ["actiontrack", "team-payments", "category:detection"]  # people's label kept


def test_scoped_labels_and_weight_on_a_paid_tier(sandbox_factory: Any) -> None:
    sb = sandbox_factory(gitlab_tier="premium")
    gl = tracker(sb, scoped_labels=True, priority="weight")
    from actiontrack.trackers.base import IssueContent

    rendered = gl.render(IssueContent(action_id="a", text="t", postmortem_title="p", postmortem_link="l",
                                      link_is_url=False, facts=(), base_label="actiontrack",
                                      phase="post-release", category="detection", priority="P0"))
    assert set(rendered.labels) == {"actiontrack", "phase::post-release", "category::detection"}
    (made,) = gl.create_many([item(1, labels=rendered.labels, priority="P0")])
    assert made.issue is not None and made.issue.priority == "P0"
    assert sb.gitlab.issue(1)["weight"] == 4
    gl.update(made.issue, Change(labels_add=("phase::development",), priority="P3", fields=("labels", "priority")))
    got = sb.gitlab.issue(1)
    assert got["weight"] == 1 and "phase::post-release" not in got["labels"]  # exclusive scope


def test_an_unknown_owner_is_refused_as_an_optional_field_without_a_post(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    (refused,) = gl.create_many([item(1, assignee="nobody")])
    assert refused.issue is None and refused.refused == frozenset({"assignee"}) and "nobody" in (refused.error or "")
    assert sandbox.count("gitlab", "POST") == 0


def test_a_refused_create_is_reported_for_that_item_and_the_batch_goes_on(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    out = gl.create_many([item(1), item(2, title="x" * 300), item(3)])
    assert out[0].issue and out[2].issue and out[1].issue is not None  # titles are cut to 255, not refused
    assert len(sandbox.gitlab.issue(2)["title"]) == 255


def test_close_done_and_dropped_read_back(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    made = gl.create_many([item(1), item(2)])
    gl.close(made[0].issue, dropped=False)  # type: ignore[arg-type]
    gl.close(made[1].issue, dropped=True)  # type: ignore[arg-type]
    sandbox.reset_counts()
    states = {i.key: i.state for i in gl.list_issues(label="actiontrack", updated_since=None)}
    assert states == {"1": IssueState.DONE, "2": IssueState.DROPPED}
    assert sandbox.count("gitlab", "GET", "*/notes") == 0  # our own closes need no note read
    assert "won't do" in sandbox.gitlab.issue(2)["labels"]


@pytest.mark.parametrize(("note", "label", "expected"), [
    ("Won't do: the queue is being retired", None, IssueState.DROPPED),
    ("見送り（別チケットで対応）", None, IssueState.DROPPED),
    ("Fixed by !42", None, IssueState.DONE),
    (None, "wontfix", IssueState.DROPPED),
    (None, None, IssueState.DONE),
])
def test_a_close_by_a_person_is_judged_by_its_label_or_note(sandbox: Sandbox, note: str | None,
                                                           label: str | None, expected: IssueState) -> None:
    gl = tracker(sandbox)
    gl.create_many([item(1)])
    sandbox.gitlab.close_issue(1, note=note, label=label, by="lee")
    (issue,) = gl.list_issues(label="actiontrack", updated_since=None)
    assert issue.state == expected


def test_a_note_long_before_the_close_or_by_someone_else_does_not_drop(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    gl.create_many([item(1), item(2)])
    sandbox.gitlab.add_note(1, "won't do this week, maybe next", by="lee")
    sandbox.advance_time(3600)
    sandbox.gitlab.close_issue(1, by="lee")
    sandbox.gitlab.add_note(2, "won't do", by="dana")
    sandbox.gitlab.close_issue(2, by="lee")
    assert [i.state for i in gl.list_issues(label="actiontrack", updated_since=None)] == [IssueState.DONE] * 2


def test_marked_as_a_duplicate_by_a_person_drops_and_by_actiontrack_is_done(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    gl.create_many([item(1), item(2), item(3)])
    sandbox.gitlab.mark_duplicate(2, of=1, by="lee")  # the /duplicate quick action's system note
    import requests

    requests.post(f"{sandbox.gitlab_url}/api/v4/projects/278964/issues/3/notes", json={"body": "/duplicate #1"},
                  headers={"PRIVATE-TOKEN": sandbox.gitlab_token}, timeout=5).raise_for_status()
    states = {i.key: i.state for i in gl.list_issues(label="actiontrack", updated_since=None)}
    assert states == {"1": IssueState.OPEN, "2": IssueState.DROPPED, "3": IssueState.DONE}
    assert sandbox.count("gitlab", "GET", "*/notes") == 1  # actiontrack's own close is not read


def test_429_waits_retry_after_then_succeeds(sandbox_factory: Any) -> None:
    sb = sandbox_factory(faults="gitlab:POST:/api/v4/projects/*/issues=429:7@#1")
    sleeps: list[float] = []
    gl = tracker(sb, sleeps=sleeps)
    (made,) = gl.create_many([item(1)])
    assert made.issue is not None and sleeps == [7.0]
    assert sb.count("gitlab", "POST") == 2 and len(sb.gitlab.issues()) == 1


def test_the_application_limit_without_headers_backs_off(sandbox_factory: Any) -> None:
    sb = sandbox_factory(gitlab_issue_creates_per_minute=2)
    sleeps: list[float] = []
    gl = tracker(sb, sleeps=sleeps, creates_per_minute=0)  # pacing off: meet the limit head on
    made = gl.create_many([item(n) for n in range(3)])
    assert all(c.issue for c in made) and len(sb.gitlab.issues()) == 3
    refused = [r for r in sb.requests("gitlab", "POST") if r.status == 429]
    assert refused and len(sleeps) == len(refused)  # each 429 waited (backoff: no header says how long)
    assert sb.count("gitlab", "POST") == 3 + len(refused)


def test_pacing_keeps_a_large_batch_under_the_creation_limit(sandbox_factory: Any) -> None:
    sb = sandbox_factory(gitlab_issue_creates_per_minute=5)
    sleeps: list[float] = []
    gl = tracker(sb, sleeps=sleeps, creates_per_minute=5)
    made = gl.create_many([item(n) for n in range(12)])
    assert all(c.issue for c in made)
    assert not [r for r in sb.requests("gitlab") if r.status == 429]
    assert len([s for s in sleeps if s > 1]) == 2


def test_a_wait_beyond_the_budget_stops_with_what_was_made(sandbox_factory: Any) -> None:
    sb = sandbox_factory(faults="gitlab:POST:/api/v4/projects/*/issues=429:3600@2+")
    gl = tracker(sb, budget=60)
    with pytest.raises(RateLimitedError) as stopped:
        gl.create_many([item(n) for n in range(3)])
    assert [c.issue.key for c in stopped.value.created if c.issue] == ["1"]  # type: ignore[attr-defined]
    assert "3600" in stopped.value.message


def test_an_unanswered_post_is_ambiguous_and_the_marker_finds_it(sandbox_factory: Any) -> None:
    sb = sandbox_factory(faults="gitlab:POST:/api/v4/projects/*/issues=timeout-after-commit:close@#2")
    gl = tracker(sb)
    with pytest.raises(AmbiguousCreateError) as lost:
        gl.create_many([item(1), item(2), item(3)])
    assert lost.value.action_id == "PM-1:002" and [c.action_id for c in lost.value.created] == ["PM-1:001"]
    assert isinstance(lost.value, AmbiguousWriteError)
    assert set(gl.find_by_action_ids(["PM-1:002"], label="actiontrack")) == {"PM-1:002"}
    assert sb.count("gitlab", "POST") == 2  # never re-sent blindly


def test_a_5xx_on_a_read_is_retried_and_on_a_create_is_ambiguous(sandbox_factory: Any) -> None:
    sb = sandbox_factory(faults="gitlab:GET:*=502@#1,gitlab:POST:*=500@#1")
    gl = tracker(sb)
    assert gl.list_issues(label="actiontrack", updated_since=None) == []
    with pytest.raises(AmbiguousWriteError):
        gl.create_many([item(1)])


def test_an_edit_whose_answer_was_lost_is_repeated_safely(sandbox_factory: Any) -> None:
    sb = sandbox_factory(faults="gitlab:PUT:*=timeout-after-commit:close@#1")
    gl = tracker(sb)
    (made,) = gl.create_many([item(1)])
    gl.update(made.issue, Change(labels_add=("category:detection",), fields=("labels",)))  # type: ignore[arg-type]
    assert sb.count("gitlab", "PUT") == 2
    assert sb.gitlab.issue(1)["labels"].count("category:detection") == 1


def test_a_wrong_token_names_the_variable_and_never_the_token(sandbox: Sandbox, caplog: Any) -> None:
    secret = "glpat-this-must-never-leak-0000"
    gl = GitLabTracker(GitLabSettings(url=sandbox.gitlab_url, project=PROJECT, token_env="ACME_GL_TOKEN"),
                       token=secret, retry=RetryPolicy(sleep=lambda s: None))
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthenticationError) as denied:
        gl.list_issues(label="actiontrack", updated_since=None)
    text = f"{denied.value} {denied.value.hint} {denied.value!r}"
    assert "ACME_GL_TOKEN" in text and secret not in text and secret not in repr(gl)
    assert denied.value.status == 401 and sandbox.gitlab_url in str(denied.value)


def test_a_project_the_token_cannot_see_says_which_key_to_check(sandbox: Sandbox) -> None:
    gl = tracker(sandbox, project="acme/platform/missing")
    with pytest.raises(TrackerError) as missing:
        gl.list_issues(label="actiontrack", updated_since=None)
    assert missing.value.status == 404 and "gitlab.project" in (missing.value.hint or "")


def test_a_configured_milestone_is_looked_up_once(sandbox: Sandbox) -> None:
    milestone = sandbox.gitlab.add_milestone("Postmortem actions")
    gl = tracker(sandbox, milestone="Postmortem actions")
    gl.create_many([item(1), item(2)])
    assert sandbox.count("gitlab", "GET", "/api/v4/projects/{id}/milestones") == 1
    assert sandbox.gitlab.issue(2)["milestone_title"] == "Postmortem actions" and milestone
    with pytest.raises(ConfigError) as missing:
        tracker(sandbox, milestone="No such").create_many([item(3)])
    assert "gitlab.milestone" in str(missing.value)


def test_verify_names_deleted_issues_one_share_a_turn(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    from actiontrack.trackers import gitlab as module
    from actiontrack.trackers.base import IssueRef

    gl = tracker(sandbox)
    made = gl.create_many([item(n) for n in range(5)])
    refs = [IssueRef(c.action_id, c.issue.key, c.issue.remote_id) for c in made if c.issue]
    sandbox.gitlab.delete_issue(2)
    sandbox.gitlab.edit_issue(4, labels=[])  # still there, without its label: found, markers missing
    monkeypatch.setattr(module, "PER_PAGE", 2)
    sandbox.reset_counts()
    first = gl.verify(refs, label="actiontrack", turn=0)
    assert (first.checked, first.gone) == (2, frozenset({"2"})) and sandbox.count("gitlab") == 1
    second = gl.verify(refs, label="actiontrack", turn=1)
    assert second.gone == frozenset() and {i.key for i in second.found} == {"3", "4"}
    assert next(i for i in second.found if i.key == "4").missing_labels == ("actiontrack",)
    everything = gl.verify(refs, label="actiontrack", turn=None)
    assert everything.checked == 5 and everything.gone == frozenset({"2"})


def test_the_check_before_a_create_finds_an_issue_whose_label_was_removed(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    gl.create_many([item(1), item(2)])
    sandbox.gitlab.edit_issue(2, labels=["team-payments"])
    listed = gl.list_issues(label="actiontrack", updated_since=None, look_for=["PM-1:002"])
    found = {i.action_id: i for i in listed}
    assert set(found) == {"PM-1:001", "PM-1:002"}
    assert found["PM-1:002"].missing_markers == ("label actiontrack",)
    assert any("author_username=pm-bot" in r.query for r in sandbox.requests("gitlab", "GET"))


def test_close_as_duplicate_strips_the_markers_and_reads_back_dropped(sandbox: Sandbox) -> None:
    gl = tracker(sandbox)
    original, copy = (c.issue for c in gl.create_many([item(1), item(1)]))
    assert original is not None and copy is not None
    gl.close_as_duplicate(copy, original=original, label="actiontrack")
    got = sandbox.gitlab.issue(int(copy.key))
    assert got["state"] == "closed" and "actiontrack" not in got["labels"] and "duplicate" in got["labels"]
    assert "Duplicate of #1" in got["body"] and "actiontrack-id:" not in got["body"]
    assert [i.key for i in gl.list_issues(label="actiontrack", updated_since=None)] == ["1"]
