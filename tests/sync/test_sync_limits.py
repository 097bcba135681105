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
