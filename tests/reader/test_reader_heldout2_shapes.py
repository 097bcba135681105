"""Shapes the spent round-2 held-out postmortems showed the reader misreading.

Each case is written in our own words in the shape of a kind of section many teams write;
the assertion is what a careful reader takes from it (../shared/LABELLING.md), and a near
case that is no action stays out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actiontrack.reader import read_text


def actions(text: str, name: str = "pm.md") -> list[tuple[int, str, bool]]:
    pm = read_text(Path(name), text).postmortem
    assert pm is not None
    return [(a.line, a.title, a.done) for a in pm.actions]


def priorities(text: str) -> list[tuple[str, str | None]]:
    pm = read_text(Path("pm.md"), text).postmortem
    assert pm is not None
    return [(a.title, a.priority) for a in pm.actions]


def test_a_title_opening_with_a_capitalised_level_word_keeps_it() -> None:
    text = ("# Incident\n\n## Action items\n\n- High availability for the session store\n"
            "- Critical alerts page the secondary on-call too\n- Low disk space warning on every node\n")
    assert priorities(text) == [
        ("High availability for the session store", None),
        ("Critical alerts page the secondary on-call too", None),
        ("Low disk space warning on every node", None),
    ]


def test_a_level_written_in_capitals_is_still_a_priority() -> None:
    text = "# Incident\n\n## Action items\n\n- HIGH: rotate the signing key\n- 【高】監視を追加する\n"
    assert priorities(text) == [("rotate the signing key", "P1"), ("監視を追加する", "P1")]


def test_status_page_updates_promise_news_not_changes() -> None:
    text = ("# Payment API degraded\n\nWe are looking into failed card payments. We will share further "
            "information as soon as we have it.\n\n**Update 10:40:** A fix is rolling out. We'll be monitoring "
            "it closely for the next hour.\n\n**Update 11:30:** Payments are back to normal. We will add an alert "
            "on the card decline rate so that this is caught sooner.\n")
    assert actions(text) == [(7, "We will add an alert on the card decline rate so that this is caught sooner",
                              False)]


def test_a_notice_pointing_to_its_postmortem_is_no_action() -> None:
    text = ("# Outage on 3 March\n\nThe dashboard was down for two hours.\n\n"
            "We have published a detailed postmortem that covers what we're changing to prevent a repeat.\n")
    assert actions(text) == []


def test_a_document_describing_itself_is_no_action() -> None:
    text = "# Incident log\n\nIn this document we will collect every outage of the build farm.\n"
    assert actions(text) == []


def test_monitoring_set_up_as_a_change_is_still_an_action() -> None:
    text = ("# Incident\n\nThe queue filled up overnight.\n\n"
            "We will monitor queue depth with a paging alert from next week.\n")
    assert [t for _, t, _ in actions(text)] == ["We will monitor queue depth with a paging alert from next week"]


def test_japanese_courtesy_in_kanji_is_no_commitment() -> None:
    text = ("# 障害のご報告\n\n昨夜、管理画面に接続できない状態が続きました。\n\n"
            "復旧を確認しましたのでご報告致します。詳細は改めてお知らせ致します。\n")
    assert actions(text) == []


def test_a_humble_closing_commitment_toward_customers_is_read() -> None:
    text = ("# 障害のお知らせ\n\n## 原因\n\n設定の変更に誤りがありました。\n\n## 状況\n\n現在は復旧しています。\n\n"
            "当社は今後もお客様に安心してご利用いただけるよう、監視体制の強化に取組んでまいります。\n")
    assert [t for _, t, _ in actions(text)] == [
        "当社は今後もお客様に安心してご利用いただけるよう、監視体制の強化に取組んでまいります"]


def test_advice_to_customers_in_japanese_stays_out() -> None:
    text = ("# 障害のお知らせ\n\n## 状況\n\n現在は復旧しています。\n\n"
            "お客様におかれましては、念のためパスワードを変更してください。\n")
    assert actions(text) == []


def test_a_table_of_action_items_under_a_resolution_is_read() -> None:
    text = ("# Incident\n\n## Resolution\n\nWe failed over to the replica.\n\n"
            "| Action item | Owner |\n|---|---|\n| Alert on replication lag | DB team |\n"
            "| Document the fail-over steps | SRE |\n")
    assert [(line, t) for line, t, _ in actions(text)] == [
        (9, "Alert on replication lag"), (10, "Document the fail-over steps")]


def test_a_table_of_measures_in_japanese_under_a_response_is_read() -> None:
    text = ("# 障害報告\n\n## 対応\n\nサーバーを再起動しました。\n\n"
            "| 再発防止策 | 担当 |\n|---|---|\n| ディスク使用率の監視を追加する | 山田 |\n")
    assert [(line, t) for line, t, _ in actions(text)] == [(9, "ディスク使用率の監視を追加する")]


def test_a_list_introduced_as_follow_up_tasks_is_read() -> None:
    text = ("# Incident\n\n## Resolution\n\nWe rolled back and opened follow-up tasks:\n\n"
            "- Pin the base image digest\n- Add a smoke test for the login page\n")
    assert [line for line, _, _ in actions(text)] == [7, 8]


def test_a_list_of_the_actions_taken_in_the_response_stays_out() -> None:
    text = ("# Incident\n\n## Resolution\n\nWe took these actions:\n\n"
            "- Restarted the workers\n- Drained the queue\n\n## Timeline\n\n"
            "| Action item | Time |\n|---|---|\n| Paged the on-call | 10:02 |\n")
    assert actions(text) == []


def test_proposals_written_as_prose_under_an_action_heading_are_read() -> None:
    text = ("# Incident\n\n## Follow-up\n\nWe could replay yesterday's traffic against every release candidate.\n\n"
            "It would be useful to have a pager rotation for the docs site.\n\n"
            "I recommend capping the log files by size rather than by count.\n\n"
            "We could not find the first bad deploy in the logs.\n")
    assert [line for line, _, _ in actions(text)] == [5, 7, 9]


def test_proposals_in_japanese_under_an_action_heading_are_read() -> None:
    text = ("# 障害報告\n\n## 今後の対策\n\nバックアップは別リージョンにも保存すべき。\n\n"
            "証明書の期限を監視する仕組みがあると望ましい。\n\n原因は設定の誤りだった。\n")
    assert [line for line, _, _ in actions(text)] == [5, 7]


def test_a_proposal_outside_an_action_section_stays_prose() -> None:
    text = ("# Incident\n\n## What went wrong\n\nWe could have noticed sooner. It would be useful to know why.\n\n"
            "## Action items\n\n- Add an alert on the error rate\n")
    assert [line for line, _, _ in actions(text)] == [9]


def test_a_post_written_in_html_has_headings_and_prose() -> None:
    text = ("# Deploy failure\n\n<h2>What happened</h2>\n<p>\n  The release would not boot. We will be sad.\n</p>\n\n"
            "<h2>Next steps</h2>\n<p>\n  We need to check the package manifest in CI before every release.\n"
            "</p>\n\n<h2>Timeline</h2>\n<p>We need coffee, we thought at 10:00.</p>\n")
    assert actions(text) == [(10, "We need to check the package manifest in CI before every release", False)]


def test_a_japanese_post_written_in_html() -> None:
    text = ("# 障害報告\n\n<h2>原因</h2>\n<p>設定ファイルの記述に誤りがありました。</p>\n\n"
            "<h2>再発防止策</h2>\n<p>\n設定ファイルの構文チェックをCIに追加します。\n</p>\n")
    assert [(line, t) for line, t, _ in actions(text)] == [(8, "設定ファイルの構文チェックをCIに追加します")]


def test_hindsight_under_an_action_heading_is_a_lesson() -> None:
    text = ("# Incident\n\n## How will we do better?\n\nThe migration should have shipped on its own.\n\n"
            "We must add a canary stage before the full rollout.\n")
    assert [line for line, _, _ in actions(text)] == [7]


def test_a_ticket_opened_for_a_commitment_is_its_detail() -> None:
    text = ("# Incident\n\n## Improvements\n\nWe need to stop stale assets from reaching the package. "
            "To plan it we've created a Trello card.\n")
    assert [line for line, _, _ in actions(text)] == [5]


def test_a_priority_legend_over_a_list_is_no_action() -> None:
    text = ("# Incident\n\n## Action items\n\nEvery item should have an assigned priority:\n\n"
            "- P0 - Blocks the next release\n- P1 - Wanted for the next release\n\n"
            "| Action item | Priority |\n|---|---|\n| Add a corruption check at start-up | P0 |\n")
    assert [line for line, _, _ in actions(text)] == [12]


def test_a_thread_of_short_replies_is_read_back_to_the_first_commitment() -> None:
    replies = ["The wiki is down for me too.", "Same here.", "I've restarted the app server. I will add a health check "
               "for it.", "Thanks!", "Works again.", "Confirmed.", "Still fine today.", "Closing soon.",
               "Thanks all."]
    text = "# Wiki down\n\n" + "".join(f"{reply}\n\n" for reply in replies)
    assert [t for _, t, _ in actions(text)] == ["I will add a health check for it"]


def test_a_japanese_thread_of_short_replies_is_read_back_to_the_commitment() -> None:
    replies = ["こちらでも繋がりません。", "同じです。", "サーバーを再起動しました。死活監視を導入します。", "ありがとうございます。",
               "直りました。", "確認しました。", "今日も大丈夫です。", "そろそろ閉じます。", "皆さんありがとう。"]
    text = "# Wikiに繋がらない\n\n" + "".join(f"{reply}\n\n" for reply in replies)
    assert [t for _, t, _ in actions(text)] == ["死活監視を導入します"]


def test_closing_work_under_way_to_stop_a_recurrence_is_read() -> None:
    text = ("# Mail delays\n\n**Update 09:10** Mail is queueing on one relay.\n\n**Update 11:00** Mail flows again. "
            "We're replacing the relay's disk tonight to reduce the risk of this happening again.\n")
    assert [(line, t) for line, t, _ in actions(text)] == [
        (5, "We're replacing the relay's disk tonight to reduce the risk of this happening again")]


def test_closing_work_under_way_without_a_purpose_is_the_response() -> None:
    text = "# Mail delays\n\n**Update 11:00** We're draining the queue now and mail is flowing again.\n"
    assert actions(text) == []


def test_a_task_list_under_a_section_of_no_kind_is_read() -> None:
    text = ("# Chat lag\n\n## Solution\n\n- [x] Cap the fan-out per channel, merged and deployed\n"
            "- [ ] Load-test channels with 10k members\n\n## Timeline\n\n- [x] Paged the on-call\n")
    assert actions(text) == [(5, "Cap the fan-out per channel, merged and deployed", True),
                             (6, "Load-test channels with 10k members", False)]


def test_a_japanese_task_list_under_a_section_of_no_kind_is_read() -> None:
    text = "# 障害報告\n\n## 解決\n\n- [x] 接続数の上限を設定する\n\n## 経緯\n\n- [x] 担当者に連絡した\n"
    assert actions(text) == [(5, "接続数の上限を設定する", True)]


def test_the_boxes_of_a_procedure_are_its_steps() -> None:
    text = ("# Release incident\n\n## Release checklist\n\n- [ ] Run the migrations\n- [ ] Check /health\n\n"
            "## リリース手順\n\n- [ ] マイグレーションを実行する\n")
    assert actions(text) == []


@pytest.mark.timeout(30)
def test_html_lines_of_any_length_are_read_in_linear_time() -> None:
    n = 50_000
    text = ("# Incident\n\n<div>\n" + "<p>" * n + "\n<h2 " + "a" * n + "\n<h2>" + "x" * n + "</h3>\n"
            + "</p></p>" * n + "We will add a canary stage.\n</div>\n")
    read_text(Path("pm.md"), text)


def test_a_reply_that_leaves_its_subject_out_still_commits() -> None:
    text = ("# Site down\n\nalice · comment\nThe site returns 502.\n\nbob · comment\nBack up now. The cache "
            "filled the disk. Will add a size cap to the cache config.\n\ncarol · comment\nWill reviewed it, "
            "thanks. Will this happen again?\n")
    assert [t for _, t, _ in actions(text)] == ["Will add a size cap to the cache config"]


def test_closing_the_thread_is_no_commitment() -> None:
    text = ("# Site down\n\nbob · comment\nFixed by restarting the proxy. I will close this issue tomorrow.\n\n"
            "bob · comment\n本件はいったん閉じさせていただきたいと思います。\n")
    assert actions(text) == []


def test_plain_text_measures_as_title_lines_over_descriptions() -> None:
    text = ("Incident report\n\nPreventive measures:\n\nStage uploads on local disk\nNever read the batch files "
            "over the network share.\n\nCap the worker pool\nRun at most four workers per host.\n\n"
            "Alert when the worker count doubles.\n")
    assert [(line, t) for line, t, _ in actions(text, "pm.txt")] == [
        (5, "Stage uploads on local disk"), (8, "Cap the worker pool"), (11, "Alert when the worker count doubles")]


def test_japanese_measures_as_title_lines_over_descriptions() -> None:
    text = "障害報告\n\n再発防止策：\n\n監視の追加\nディスク使用率が八割を超えたら通知する。\n"
    assert [(line, t) for line, t, _ in actions(text, "pm.txt")] == [(5, "監視の追加")]


def test_a_sentence_wrapped_after_a_few_words_is_one_sentence() -> None:
    text = "# Incident\n\n## Action items\n\nWe will add retries to\nthe uploader and cap them at five.\n"
    assert [t for _, t, _ in actions(text)] == ["We will add retries to the uploader and cap them at five"]


def test_a_legend_of_action_types_is_no_action_even_worded_as_verbs() -> None:
    text = ("# Incident\n\n## Action items\n\nEach item has one of three types:\n\n"
            "- Prevent - Stop the failure class from happening\n- Detect - Notice it sooner\n\n"
            "Open items by priority:\n\n- Add a checksum to every snapshot\n- Alert on hash mismatches\n")
    assert [line for line, _, _ in actions(text)] == [12, 13]


def test_a_japanese_legend_over_a_list_is_no_action() -> None:
    text = ("# 障害報告\n\n## 再発防止策\n\n優先度：\n\n- 高 - 次のリリースまでに対応する\n- 低 - 余裕があれば対応する\n\n"
            "| 対策 | 優先度 |\n|---|---|\n| 監視を追加する | 高 |\n")
    assert [line for line, _, _ in actions(text)] == [12]


def test_a_subjectless_promise_of_news_is_no_commitment() -> None:
    text = ("# Build farm down\n\nops · comment\nLooking into it. Will update as we learn more.\n\n"
            "ops · comment\nWill post another update in 30 minutes.\n\nops · comment\nRestarted. Will update the runbook "
            "with the restart steps.\n")
    assert [t for _, t, _ in actions(text)] == ["Will update the runbook with the restart steps"]


def test_status_lines_of_the_response_stay_out() -> None:
    text = ("# API errors\n\n**Update 14:00** We're working to prevent further impact on checkout.\n\n"
            "ops · comment\nRestarted. Will be back online shortly.\n")
    assert actions(text) == []


def test_the_confirmation_boxes_of_an_issue_form_are_no_tasks() -> None:
    text = ("# Upload fails\n\nreporter · description\nUploads fail with 500.\n\n"
            "- [x] I have searched the existing issues\n- [x] This is not a security report\n")
    assert actions(text) == []


def test_next_steps_that_were_taken_are_the_response() -> None:
    text = ("# Incident\n\n## Resolution\n\nOur next steps were:\n\n- Fail over to the replica\n"
            "- Flush the CDN cache\n")
    assert actions(text) == []


def test_thanks_over_a_sentence_is_no_titled_action() -> None:
    text = "# Incident\n\n## Action items\n\nThanks to the on-call team\nThey worked through the night.\n"
    assert actions(text) == []


def test_contracted_hindsight_is_a_lesson() -> None:
    text = ("# Incident\n\n## Follow-up\n\nWe could've caught this in staging. We should've paged sooner.\n\n"
            "We couldn't reproduce it locally.\n")
    assert actions(text) == []
