"""What the services refuse, never sent: long words, Japanese, emoji and owners without an
account reach each tracker inside its documented limits (the emulator counts as the service
does: Jira in UTF-16 code units, GitHub in characters), keep their markers, and a re-run
writes nothing."""

from __future__ import annotations

from typing import Any

from sync_support import assert_one_issue_each, body_of, twice, write_pm

from actiontrack.sandbox.jira_fields import java_length

EMOJI_TITLE = "🔥" * 240 + " — owner: ikki, due: 2024-06-01"
# One action whose words run on for ~60k characters: a pasted log in the action item.
LONG_WORDS = "障害対応の手順を更新する 🚒 replica lag " * 2000


def ids(env: Any) -> set[str]:
    with env.store() as store:
        return {row.id for row in store.actions(removed=False)}


def test_an_emoji_title_fits_the_summary_as_jira_counts_it(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, "PM-EMOJI", [EMOJI_TITLE, "Rotate the replica certificates — owner: sato"])
    result = twice(env)[0]
    assert result.counts["create"] == 2 and not result.errors, result.errors
    (issue,) = [i for i in env.issues() if "🔥" in i[env.title_key()]]
    title = issue[env.title_key()]
    if tracker_name == "jira":  # 240 emoji are 480 of Jira's characters
        assert title == "🔥" * 127 + "…" and java_length(title) == 255
    else:
        assert title == "🔥" * 240
    assert_one_issue_each(env, ids(env))


def test_words_longer_than_the_body_limit_are_cut_and_keep_the_marker(tracker_env: Any, tracker_name: str) -> None:
    env = tracker_env(tracker_name)
    write_pm(env.folder, "PM-LONG", [f"Update the runbook: {LONG_WORDS} — owner: ikki, due: 2024-06-01",
                                     "Rotate the replica certificates — owner: sato"])
    result = twice(env)[0]
    assert result.counts["create"] == 2 and not result.errors, result.errors
    long = max(env.issues(), key=lambda i: len(body_of(env, i)))
    body = body_of(env, long)
    limit = {"jira": 32767, "github": 65536, "gitlab": 1_048_576}[tracker_name]
    assert (java_length(body) if tracker_name == "jira" else len(body)) <= limit
    assert "PM-LONG" in body and "Postmortem" in body  # the footer and the marker survive the cut
    assert_one_issue_each(env, ids(env))


# -- owners the tracker cannot take -------------------------------------------------------------


def test_an_assignee_github_drops_silently_is_not_pushed_again_every_run(tracker_env: Any) -> None:
    """A token without push access: GitHub answers 201 without the assignee. The next runs
    must not PATCH the same refused assignee again and again."""
    env = tracker_env("github", github_unassignable="drop")
    env.config = env.config.model_copy(update={"owners": {"ikki": {"github": "stranger"}}})
    write_pm(env.folder, "PM-DROP", ["Rotate the replica certificates — owner: ikki, due: 2024-06-03"])
    first = twice(env)[0]
    assert first.counts["create"] == 1 and not first.errors
    (issue,) = env.issues()
    assert issue["assignees"] == []
    assert_one_issue_each(env, ids(env))


def test_a_retitle_with_an_owner_the_tracker_refuses_still_lands(tracker_env: Any, tracker_name: str) -> None:
    """The file rewords an action and hands it to someone the tracker does not know: the new
    title lands, the refusal is named (action and field), and the next run does not retry it."""
    env = tracker_env(tracker_name)
    path = write_pm(env.folder, "PM-OWN", ["Rotate the replica certificates — owner: ikki, due: 2024-06-03"])
    twice(env)
    env.config = env.config.model_copy(update={"owners": {**env.config.owners,
                                                          "kenji": {tracker_name: "no-such-account"}}})
    path.write_text(path.read_text(encoding="utf-8").replace("Rotate the replica certificates — owner: ikki",
                                                             "Rotate every replica certificate — owner: kenji"),
                    encoding="utf-8")
    env.sb.advance_time(60)
    result = twice(env)[0]
    (issue,) = env.issues()
    assert issue[env.title_key()] == "Rotate every replica certificate"
    assert not result.errors, result.errors
    (warning,) = result.warnings
    assert "PM-OWN" in warning and "assignee" in warning
    assert_one_issue_each(env, ids(env))


# -- rate limits in the other documented shape --------------------------------------------------


def test_githubs_primary_limit_answered_as_429_is_waited_out_not_duplicated(tracker_env: Any) -> None:
    """GitHub documents 403 *or* 429 with x-ratelimit-remaining 0 for a spent primary limit;
    a first sync that runs into it mid-batch waits for the reset and makes each issue once."""
    env = tracker_env("github", github_rate_limit=12, github_rate_window_s=120, github_primary_status=429)
    write_pm(env.folder, "PM-LIMIT", [f"Rotate replica {n} certificates — owner: sato" for n in range(8)])
    result = env.sync().results[0]
    assert result.counts["create"] == 8 and not result.errors, result.errors
    limited = [r for r in env.sb.requests(tracker="github") if r.status == 429]
    assert limited, "the limit was never reached: the test proves nothing"
    assert any(s >= 60 for s in env.sleeps), env.sleeps  # waited for the reset, not a blind retry
    env.sb.advance_time(700)
    twice(env)
    assert_one_issue_each(env, ids(env))
