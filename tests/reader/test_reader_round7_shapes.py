"""Shapes behind the misses and false actions left on the spent held-out rounds 3 and 4.

Each case is written in our own words in the shape of a kind of document many teams write; the
assertion is what a careful reader takes from it (../shared/LABELLING.md). Each rule has a case
that it must leave alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actiontrack.reader import read_text


def titles(text: str) -> list[str]:
    pm = read_text(Path("pm.md"), text).postmortem
    assert pm is not None
    return [a.title for a in pm.actions]


def lines_and_done(text: str) -> list[tuple[int, bool]]:
    pm = read_text(Path("pm.md"), text).postmortem
    assert pm is not None
    return [(a.line, a.done) for a in pm.actions]


# --- a sentence whose work is "the following actions" introduces the list after it --------

@pytest.mark.parametrize("intro", [
    "The platform team will carry out the following actions to tighten on-call. Most of them were planned"
    " before the outage. They are:",
    "We will take the steps listed below to harden deploys.",
    "We are going to make the following changes to the release process, in this order:",
    "今回の障害を受けて、以下の対策を順次実施してまいります。",
    "再発防止のため、下記の取り組みを進めてまいります。内容は次のとおりです：",
])
def test_an_introduction_pointing_at_the_list_is_not_an_action(intro: str) -> None:
    text = f"# Outage\n\n## Next steps\n\n{intro}\n\n- Set up pager rotations for the chain team\n- Add a block-height alert\n"
    assert titles(text) == ["Set up pager rotations for the chain team", "Add a block-height alert"]


@pytest.mark.parametrize(("prose", "title"), [
    # the colon comes after the words: the sentence names its work itself
    ("We will add the following alerts: disk usage and CPU load.", "We will add the following alerts: disk usage and CPU load"),
    ("We will follow up with the vendor on the expired certificate.", "We will follow up with the vendor on the expired certificate"),
    ("次のリリースで監視アラートを追加してまいります。", "次のリリースで監視アラートを追加してまいります"),
])
def test_a_commitment_that_names_its_work_stays_an_action(prose: str, title: str) -> None:
    assert titles(f"# Outage\n\n## Next steps\n\n{prose}\n") == [title]


# --- paragraphs that each open with a command are a list written without bullets ---------

COMMAND_PARAGRAPHS = """# Outage

## Improvements

Every outage teaches something, and these are the lessons we are taking from this one.

Improve paging on the primary cluster. This includes waking the database owner automatically.

Have a standby engineer for launch weekends. We should know who that is a week ahead.

Write a failover runbook - these are tense moments and decisions are hard to make on the spot.

Know who speaks to customers. We want to stress that we know this went badly.

Reduce the time from a merged fix to a release. Builds took two hours. The release team will cache images.
"""


def test_each_paragraph_opening_with_a_command_is_one_action() -> None:
    assert titles(COMMAND_PARAGRAPHS) == [
        "Improve paging on the primary cluster",
        "Have a standby engineer for launch weekends",
        "Write a failover runbook - these are tense moments and decisions are hard to make on the spot",
        "Know who speaks to customers",
        "Reduce the time from a merged fix to a release",
    ]


def test_commitments_in_paragraphs_that_do_not_open_with_commands_are_each_read() -> None:
    text = ("# Outage\n\n## Improvements\n\nWe will add an alert on queue depth. We will also write a drain runbook.\n\n"
            "Our builds took two hours. We will cache the base images.\n")
    assert titles(text) == ["We will add an alert on queue depth", "We will also write a drain runbook",
                            "We will cache the base images"]


def test_one_command_paragraph_alone_keeps_its_other_commitments() -> None:
    text = "# Outage\n\n## Improvements\n\nAdd an alert on queue depth. We will also write a drain runbook.\n"
    assert titles(text) == ["Add an alert on queue depth", "We will also write a drain runbook"]


# --- a task list that logs how things stand beside its tasks ------------------------------

def test_ticked_notes_of_a_service_coming_back_are_not_tasks() -> None:
    text = ("# Incident log\n\nMarch 3\n\n* The relay went down for two hours.\n"
            "- [x] Relay service restored\n- [x] Relay service restored on all 16 chains\n"
            "- [ ] There are no other working builds.\n- [ ] Make the volume mounts permanent with fstab\n"
            "- [ ] Verify replicas restored from the snapshot\n"
            "- [ ] Alert when relays are not back online within 5 minutes\n")
    assert titles(text) == ["Make the volume mounts permanent with fstab", "Verify replicas restored from the snapshot",
                            "Alert when relays are not back online within 5 minutes"]


def test_japanese_ticked_notes_of_a_service_coming_back_are_not_tasks() -> None:
    text = ("# 障害記録\n\n3月3日\n\n* リレーが2時間停止した。\n- [x] リレーサービス復旧\n"
            "- [ ] systemd でサービスを自動起動する\n- [ ] 手順書に再開手順を追記する\n")
    assert titles(text) == ["systemd でサービスを自動起動する", "手順書に再開手順を追記する"]


# --- a sentence going on from a forward-looking one shares its outlook --------------------

def test_a_sentence_going_on_from_a_forward_looking_one_is_an_action_too() -> None:
    text = ("# Retro\n\n## Hints\n\nHints cost points this year, which players disliked.\n\n"
            "Moving forward, we will publish every hint for free. Additionally, we will be reviewing our scoring"
            " rules with the players. The old scoreboard will be archived.\n\n"
            "## Action items\n\n- Back up the scoreboard nightly\n")
    assert titles(text) == ["Moving forward, we will publish every hint for free",
                            "Additionally, we will be reviewing our scoring rules with the players",
                            "Back up the scoreboard nightly"]


def test_without_a_forward_looking_sentence_a_going_on_sentence_is_narrative() -> None:
    text = ("# Retro\n\n## Hints\n\nPlayers liked the venue. Additionally, we will be reviewing our scoring"
            " rules with the players.\n\n## Action items\n\n- Back up the scoreboard nightly\n")
    assert titles(text) == ["Back up the scoreboard nightly"]


def test_japanese_sentence_going_on_from_kongo_is_an_action_too() -> None:
    text = ("# 振り返り\n\n## 反省点\n\nヒントが有料で不評だった。\n\n今後はヒントをすべて無料で公開します。また、採点ルールをプレイヤーと"
            "見直します。\n\n## 再発防止策\n\n- スコアボードを毎晩バックアップする\n")
    assert titles(text) == ["今後はヒントをすべて無料で公開します", "また、採点ルールをプレイヤーと見直します",
                            "スコアボードを毎晩バックアップする"]


def test_japanese_going_on_sentence_without_kongo_is_narrative() -> None:
    text = ("# 振り返り\n\n## 反省点\n\nヒントが有料で不評だった。また、採点ルールをプレイヤーと見直します。\n\n"
            "## 再発防止策\n\n- スコアボードを毎晩バックアップする\n")
    assert titles(text) == ["スコアボードを毎晩バックアップする"]


# --- a narrative section's sentence framed as the team's commitment in its first words ----

def test_a_framed_commitment_in_a_detection_section_is_an_action() -> None:
    text = ("# CI down\n\n## Detection\n\nA developer noticed that every CI job failed on disk space. In the future,"
            " we should monitor disk usage of the runners.\n\n## Action items\n\n- Move image builds to hosted runners\n")
    assert titles(text) == ["In the future, we should monitor disk usage of the runners",
                            "Move image builds to hosted runners"]


def test_a_forecast_in_a_narrative_section_is_no_action() -> None:
    text = ("# CI down\n\n## Detection\n\nWe will see whether the runners hold. The bridge will return in the future,"
            " we hope.\n\n## Action items\n\n- Move image builds to hosted runners\n")
    assert titles(text) == ["Move image builds to hosted runners"]


def test_japanese_framed_commitment_in_a_detection_section_is_an_action() -> None:
    text = ("# CI停止\n\n## 検知\n\n開発者がCIの失敗に気づいた。今後はランナーのディスク使用量を監視します。\n\n"
            "## 再発防止策\n\n- イメージのビルドをホステッドランナーに移す\n")
    assert titles(text) == ["今後はランナーのディスク使用量を監視します", "イメージのビルドをホステッドランナーに移す"]


def test_japanese_forecast_in_a_detection_section_is_no_action() -> None:
    text = ("# CI停止\n\n## 検知\n\n開発者がCIの失敗に気づいた。今後の調査で原因が分かるはずです。\n\n"
            "## 再発防止策\n\n- イメージのビルドをホステッドランナーに移す\n")
    assert titles(text) == ["イメージのビルドをホステッドランナーに移す"]


@pytest.mark.parametrize("heading", ["Timeline", "What went well", "タイムライン"])
def test_a_framed_sentence_in_a_timeline_or_what_went_well_is_no_action(heading: str) -> None:
    text = (f"# CI down\n\n## {heading}\n\nIn the future, we should page sooner. 今後はアラートを追加します。\n\n"
            "## Action items\n\n- Move image builds to hosted runners\n")
    assert titles(text) == ["Move image builds to hosted runners"]


# --- an action section that commits to nothing: the account before it holds no actions -----

EMPTY_ACTIONS_EN = """# Postmortem: dashboards wiped by terraform apply

## The JSON resource

The JSON resource does not take a diff. It replaces the whole dashboard, and the team will lose every chart added by hand.

## How do we prevent this?

We are working out which of these approaches suit us:

- Stop managing dashboards in Terraform
- Forbid edits in the web UI

## Closing

{closing}
"""

EMPTY_ACTIONS_JA = """# 障害報告: terraform apply でダッシュボードが消えた

## JSONリソースの挙動

このリソースは差分ではなく、ダッシュボードの定義として定義済みのJSONファイルを指定します。

## どのように対策していくのか

具体的には以下のような案を考えていますが、どの案を選ぶかは今後の相談です。

- Terraform での管理をやめる
- Web画面からの変更を禁止する

## おわりに

{closing}
"""


@pytest.mark.parametrize("template", [EMPTY_ACTIONS_EN, EMPTY_ACTIONS_JA])
def test_the_account_before_an_empty_action_section_is_not_read_for_commitments(template: str) -> None:
    assert titles(template.format(closing="Thanks for reading. お読みいただきありがとうございました。")) == []


@pytest.mark.parametrize(("template", "closing"), [
    (EMPTY_ACTIONS_EN, "Until we decide, we will add an edit lock to the production dashboards."),
    (EMPTY_ACTIONS_JA, "結論が出るまでは、本番ダッシュボードに編集ロックを導入してまいります。"),
])
def test_a_commitment_after_an_empty_action_section_is_still_read(template: str, closing: str) -> None:
    assert titles(template.format(closing=closing)) == [closing.rstrip(".。")]


# --- 「…ねばなりません」「…必要があります」 in an action section, as "we need to …" -------------

@pytest.mark.parametrize("sentence", ["チームで対策を検討していかねばなりません", "監視の閾値を見直す必要があります"])
def test_a_japanese_must_in_an_action_section_is_an_action(sentence: str) -> None:
    assert titles(f"# 障害\n\n## 今後の対応\n\n{sentence}。\n") == [sentence]


def test_a_japanese_must_in_the_account_is_no_action() -> None:
    text = ("# 障害\n\n## 原因\n\n設定ファイルは手で書き換えなければなりませんでした。\n\n"
            "## 今後の対応\n\n- 設定ファイルの検証をCIに追加する\n")
    assert titles(text) == ["設定ファイルの検証をCIに追加する"]


# --- a heading that joins the response to the follow-ups: its narrated steps are the response

RESPONSE_AND_NEXT = """# CI outage

## {heading}

- Once the registry was healthy again, we verified the CI pipelines and cleared the backlog.
- We are reviewing fallback mirrors for images hosted on the registry.
- We added a pull-through cache so that builds survive a registry outage.
- We need to mirror the base images.
- Add an alert on image pull failures
"""


def test_a_narrated_step_under_resolution_and_next_steps_is_the_response() -> None:
    assert titles(RESPONSE_AND_NEXT.format(heading="Resolution and next steps")) == [
        "We are reviewing fallback mirrors for images hosted on the registry.",
        "We added a pull-through cache so that builds survive a registry outage.",
        "We need to mirror the base images.",
        "Add an alert on image pull failures",
    ]


def test_under_a_plain_next_steps_heading_every_item_is_read() -> None:
    assert len(titles(RESPONSE_AND_NEXT.format(heading="Next steps"))) == 5


def test_a_japanese_narrated_step_under_fukkyu_to_saihatsu_boushi_is_the_response() -> None:
    text = ("# CI障害\n\n## 復旧と再発防止策\n\n- レジストリの復旧を確認し、CIのジョブを再実行しました\n"
            "- ベースイメージのミラーを用意する\n- 再発防止のため、プルスルーキャッシュを導入しました\n")
    assert titles(text) == ["ベースイメージのミラーを用意する", "再発防止のため、プルスルーキャッシュを導入しました"]


def test_a_japanese_past_item_under_a_plain_action_heading_is_read() -> None:
    text = "# CI障害\n\n## 再発防止策\n\n- CIのジョブを再実行する仕組みを追加しました\n- ベースイメージのミラーを用意する\n"
    assert [line for line, _ in lines_and_done(text)] == [5, 6]


# --- an incident log's list: notes without boxes beside tasks with them -------------------

def test_the_boxed_items_of_a_log_mixing_notes_and_tasks_are_its_tasks() -> None:
    text = ("# Incident log\n\nOctober 14\n\n- The node missed blocks and ran out of memory.\n"
            "- [x] We moved the node to a machine with 8 GB and are watching its memory.\n"
            "- [ ] Add a memory alert on every node\n")
    assert lines_and_done(text) == [(6, True), (7, False)]


def test_japanese_boxed_items_of_a_log_mixing_notes_and_tasks_are_its_tasks() -> None:
    text = ("# 障害記録\n\n10月14日\n\n- ノードがブロックを取りこぼし、メモリが不足した\n"
            "- [x] 8GBのマシンにノードを移した\n- [ ] すべてのノードにメモリのアラートを追加する\n")
    assert lines_and_done(text) == [(6, True), (7, False)]


def test_a_log_of_notes_without_boxes_holds_no_tasks() -> None:
    text = ("# Incident log\n\nOctober 14\n\n- The node missed blocks and ran out of memory.\n"
            "- The relay restarted twice.\n\n## Action items\n\n- Add a memory alert on every node\n")
    assert titles(text) == ["Add a memory alert on every node"]
