"""Shapes the spent round-4 held-out postmortems showed the reader misreading.

Each case is written in our own words in the shape of a kind of list many teams write; the
assertion is what a careful reader takes from it (../shared/LABELLING.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actiontrack.reader import read_text


def actions(text: str) -> list[tuple[str, bool, str | None]]:
    pm = read_text(Path("pm.md"), text).postmortem
    assert pm is not None
    return [(a.title, a.done, a.status) for a in pm.actions]


# --- a status in brackets opening an item is the item's state, not its first words --------

@pytest.mark.parametrize(("item", "title", "done", "status"), [
    ("(Done) Add an alert on replication lag above 60 s", "Add an alert on replication lag above 60 s", True, None),
    ("[Completed] Write the failover runbook", "Write the failover runbook", True, None),
    ("(Already planned) Set up on-call rotations with pager tooling",
     "Set up on-call rotations with pager tooling", False, None),
    ("(In progress) Add a canary stage to the deploy pipeline", "Add a canary stage to the deploy pipeline",
     False, "in progress"),
    ("（完了）監視アラートを追加する", "監視アラートを追加する", True, None),
    ("【対応中】障害対応の手順書を作成する", "障害対応の手順書を作成する", False, "in progress"),
    ("（検討中）DBの冗長構成を導入する", "DBの冗長構成を導入する", False, None),
])
def test_a_leading_bracketed_status_is_the_state(item: str, title: str, done: bool, status: str | None) -> None:
    assert actions(f"# Outage\n\n## Action items\n\n- {item}\n") == [(title, done, status)]


@pytest.mark.parametrize("item", [
    "(see #12) Add a CI test for the config loader",
    "（任意）設定ファイルのCI検査を追加する",
])
def test_other_brackets_opening_an_item_are_its_words(item: str) -> None:
    ((title, done, _),) = actions(f"# Outage\n\n## Action items\n\n- {item}\n")
    assert (title, done) == (item, False)


def test_a_done_link_opening_an_item_is_still_read_as_a_ticket() -> None:
    ((title, done, _),) = actions("# Outage\n\n## Action items\n\n"
                                  "- [Done](https://github.com/o/r/pull/7): Add an alert on lag\n")
    assert (title, done) == ("Add an alert on lag", True)
