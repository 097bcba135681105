"""Shapes the spent round-3 held-out postmortems showed the reader misreading.

Each case is written in our own words in the shape of a kind of section many teams write;
the assertion is what a careful reader takes from it (../shared/LABELLING.md), and a near
case that is an action stays in.
"""

from __future__ import annotations

from pathlib import Path

from actiontrack.reader import read_text


def actions(text: str, name: str = "pm.md") -> list[tuple[int, str, bool]]:
    pm = read_text(Path(name), text).postmortem
    assert pm is not None
    return [(a.line, a.title, a.done) for a in pm.actions]


# --- Japanese closing paragraphs: 「…します」 names the work it commits to ---------------


def test_a_closing_feeling_in_the_polite_form_is_no_action() -> None:
    text = ("# 障害の振り返り\n\nキャッシュが切れてサイトが落ちました。\n\n"
            "本番でこれが起きていたらと思うとヒヤッとします。\n\nそれでは今回の話はここまでにしたいと思います。\n")
    assert actions(text) == []


def test_a_closing_step_of_the_response_is_no_action() -> None:
    text = "# 障害報告\n\n設定ミスでAPIが止まりました。\n\n修正版は一旦手動でデプロイします。\n"
    assert actions(text) == []


def test_a_closing_commitment_naming_its_work_is_still_read() -> None:
    text = ("# 障害報告\n\n設定ミスでAPIが止まりました。\n\n今後は設定ファイルの差分をCIで検査します。\n\n"
            "負荷が再び高まった場合はスケールアップして対処したいと思います。\n\n修正版は来週リリースします。\n")
    assert [line for line, _, _ in actions(text)] == [5, 7, 9]


def test_news_for_the_readers_and_the_service_coming_back_are_no_action() -> None:
    text = ("# サーバ停止のお知らせ\n\n昨夜からサーバが停止しています。残りのサービスも順次復旧される予定です。\n\n"
            "状況が変わりましたらこのページを更新します。\n")
    assert actions(text) == []


def test_closing_the_thread_is_no_action() -> None:
    text = "# 表示がおかしい\n\n原因はデータの取り込みでした。\n\n問題ないようでしたらクローズいたします。\n"
    assert actions(text) == []


# --- sections that are never actions -------------------------------------------------


def test_a_timeline_written_as_headings_holds_no_actions() -> None:
    text = ("# 負荷対応の記録\n\n## 経過\n\n### 21:40 監視アラートを追加する\n\n"
            "寝ている間も気づけるようにアラートを設定しました。\n\n"
            "### 2024-05-02 09:15 Restart the workers\n\nWe will add a watchdog for the workers.\n")
    assert actions(text) == []


def test_a_heading_with_a_time_inside_its_words_is_no_timeline() -> None:
    text = "# Incident\n\n## Follow-ups after the 14:00 review\n\n- Add a watchdog for the workers\n"
    assert [title for _, title, _ in actions(text)] == ["Add a watchdog for the workers"]


def test_a_section_of_options_is_no_action_section() -> None:
    text = ("# 振り返り\n\nセッションが消えてログインできなくなりました。\n\n## 別の構成の選択肢\n\n"
            "ログイン処理を別サーバに切り出すようにします。これも一つの案です。\n")
    assert actions(text) == []


# --- an action section with one line of prose under it ------------------------------


def test_an_imperative_sentence_alone_under_an_action_heading_is_the_action() -> None:
    text = ("# Incident\n\n## Resolution\n\nPinning the library fixed it.\n\n### Action items\n\n"
            "Set a disk usage alert on the build hosts so a full disk pages someone.\n")
    assert actions(text) == [(9, "Set a disk usage alert on the build hosts so a full disk pages someone", False)]


def test_a_title_line_alone_under_an_action_heading_is_the_action() -> None:
    text = ("# Incident\n\n## Follow-up actions\n\nContract tests for the billing webhook (in review)\n\n"
            "## 今後の対策\n\n証明書期限の自動監視\n")
    assert [line for line, _, _ in actions(text)] == [5, 9]


def test_nothing_to_do_or_a_pointer_alone_under_an_action_heading_is_no_action() -> None:
    text = ("# Incident\n\n## Follow-up actions\n\nNone at this time\n\n## Next steps\n\n"
            "See the tracking issue for details\n\n## Follow-ups\n\nTo be discussed at the retro\n\n## 対策\n\n特になし\n")
    assert actions(text) == []


def test_a_title_line_beside_a_list_is_framing_not_an_action() -> None:
    text = "# Incident\n\n## Action items\n\nOwners and dates below\n\n- Add a disk usage alert\n"
    assert [title for _, title, _ in actions(text)] == ["Add a disk usage alert"]


# --- the team's own sentences under a sentence that introduces them -----------------


def test_items_that_are_the_teams_commitments_are_actions_under_a_committing_intro() -> None:
    text = ("# Incident\n\n## Next steps\n\nWe're taking steps so that this doesn't happen again:\n\n"
            "1. Soon, we're going to cache your package downloads on our own mirror.\n"
            "2. Later this year, we're planning to run every upgrade in a canary first.\n")
    assert [line for line, _, _ in actions(text)] == [7, 8]


def test_details_under_a_committing_intro_stay_its_details() -> None:
    text = ("# Incident\n\n## Next steps\n\nWe will add a bot that reports:\n\n"
            "- the queue depth\n- the oldest job's age\n")
    assert actions(text) == [(5, "We will add a bot that reports", False)]


def test_advice_to_the_readers_is_still_no_action() -> None:
    text = ("# Incident\n\n## What you can do\n\n- Rotate your API tokens\n- Check your audit log for unknown keys\n"
            "\n## Follow-ups\n\n- We recommend you enable 2FA on your account\n- Add 2FA enforcement for admins\n"
            "- Alert on new admin keys\n")
    assert [title for _, title, _ in actions(text)] == ["Add 2FA enforcement for admins", "Alert on new admin keys"]


# --- a list of reasons ---------------------------------------------------------------


def test_a_list_of_reasons_under_an_action_heading_is_no_action() -> None:
    text = ("# Incident\n\n## Next steps\n\nWe are keeping the old hash for now because:\n\n"
            "- No attack on it is practical today.\n- Replacing it would log out every user.\n\n"
            "## 今後の対策\n\n旧方式は当面残します。理由は以下の通りです：\n\n- 移行に半年かかる\n- 影響が小さい\n")
    assert not {line for line, _, _ in actions(text)} & {7, 8, 14, 15}


def test_a_list_after_a_colon_that_is_no_reason_is_still_actions() -> None:
    text = "# Incident\n\n## Next steps\n\nWe will do the following:\n\n- Add a canary stage\n- Alert on error rate\n"
    assert [line for line, _, _ in actions(text)] == [7, 8]


# --- titles: an area label, a ticket link with its state, a wrap after a long link -----


def titles(text: str) -> list[tuple[str, bool]]:
    pm = read_text(Path("pm.md"), text).postmortem
    assert pm is not None
    return [(a.title, a.done) for a in pm.actions]


def test_a_one_word_area_label_is_not_the_title() -> None:
    text = ("# Incident\n\n## Corrective actions\n\n- **Backend**: reject uploads larger than the quota\n"
            "- **Mint caps:** Introduce a hard cap on issuance per block\n")
    assert titles(text) == [("reject uploads larger than the quota", False), ("Mint caps", False)]


def test_a_ticket_link_carrying_its_state_gives_the_ticket_and_marks_it_done() -> None:
    text = ("# Incident\n\n## Remediation items\n\n- [OPS-41 (Done)](https://tracker.example/OPS-41): "
            "split the deploy role\n- [Done](https://git.example/ops/commit/0a1b2c):\n"
            "  add a staging cluster for network changes\n- [Runbook](https://wiki.example/rb): keep it current\n")
    pm = read_text(Path("pm.md"), text).postmortem
    assert pm is not None
    assert [(a.title, a.done, a.ticket) for a in pm.actions] == [
        ("split the deploy role", True, "OPS-41"),
        ("add a staging cluster for network changes", True, None),
        ("Runbook: keep it current", False, None),
    ]


def test_a_short_title_cut_by_a_hard_wrap_after_a_long_link_is_joined() -> None:
    text = ("# Incident\n\n## Remediation items\n\n"
            "- [OPS-44](https://tracker.example/projects/operations/issues/44): add ALB\n"
            "  health checks to the rollout script.\n- Add a canary\n  stage to the pipeline.\n")
    assert [title for title, _ in titles(text)] == ["add ALB health checks to the rollout script.", "Add a canary"]


# --- a document without action section: its list of the team's "we will" items --------


def test_a_list_of_we_will_items_with_curly_quotes_is_read_without_an_action_section() -> None:
    text = ("# Registry slowdown\n\n### Too many fetches\n\nThis led to us changing the following:\n\n"
            "- We’ll no longer fetch the index on every install.\n"
            "- Before any fetch, we’ll ask the API whether the index changed.\n")
    assert [line for line, _, _ in actions(text)] == [7, 8]


def test_what_stays_as_it_was_is_no_prose_commitment() -> None:
    text = ("# Registry slowdown\n\nThe index was fetched on every install.\n\n"
            "We will still fetch it on every upgrade, since that is what the user asks for.\n")
    assert actions(text) == []


def test_without_action_section_the_plan_of_the_response_gives_way_to_the_future_plans() -> None:
    text = ("# Disk almost full\n\nDisk space was falling fast. The plan was:\n\n"
            "1. Stop the log shipper.\n2. Move the archive to the spare volume.\n\n"
            "The snapshots were the cause. To avoid this in the future, the plans are to:\n\n"
            "1. Add a per-dataset usage metric.\n2. Shorten the snapshot retention.\n")
    assert [line for line, _, _ in actions(text)] == [10, 11]


def test_without_action_section_a_lone_list_of_commitments_is_still_read() -> None:
    text = ("# Disk almost full\n\nThe snapshots were the cause. We changed the following:\n\n"
            "- Add a per-dataset usage metric.\n- Shorten the snapshot retention.\n")
    assert [line for line, _, _ in actions(text)] == [5, 6]


# --- a measure tried and taken out again ---------------------------------------------


def test_a_measure_tried_and_reverted_is_no_action() -> None:
    text = ("# Incident\n\n## Corrective actions\n\n"
            "- [x] Skipping the request buffer was tried, then removed the same day: uploads arrived truncated.\n"
            "- [x] We tried a larger connection pool but rolled it back after a day.\n"
            "- 圧縮転送を試しましたが、遅くなったため元に戻しました。\n"
            "- [x] Alert on processes killed for lack of memory\n"
            "- We tried two fixes and the second, a retry budget, is now live.\n")
    assert [line for line, _, _ in actions(text)] == [8, 9]


# --- a thread written out as text ----------------------------------------------------


def test_a_posts_byline_is_not_part_of_the_action_it_heads() -> None:
    text = ("# Site down again\n\nkim · description · 2024-03-01\nThe site returns 502.\n\n"
            "ops-bot · comment · 2024-03-02\n**Comment by lee on 2 Mar 2024 10:00 UTC**\n"
            "今後はディスク使用率の監視を追加します。\n")
    assert actions(text) == [(8, "今後はディスク使用率の監視を追加します", False)]


def test_a_line_that_only_mentions_a_comment_is_kept() -> None:
    text = ("# Site down\n\n## Follow-ups\n\nComment by default on risky PRs\n"
            "The bot posts the diff of the load balancer config.\n")
    assert [title for _, title, _ in actions(text)] == ["Comment by default on risky PRs"]


def test_a_wide_line_stopping_mid_sentence_goes_on_on_the_next_line_whatever_its_case() -> None:
    text = ("# Incident\n\n## Corrective actions\n\n"
            "- [x] Upload paths (`/api/assets` for photos, `/dav/uploads/` for the drive) are inspected by neither\n"
            "  ModSecurity nor AppSec. The rest of the site stays inspected.\n"
            "- [ ] Raise the WAF memory\n  Terraform holds the new size.\n")
    assert [title for title, _ in titles(text)] == [
        "Upload paths (/api/assets for photos, /dav/uploads/ for the drive) are inspected by neither ModSecurity nor "
        "AppSec.", "Raise the WAF memory"]


# --- options being weighed ---------------------------------------------------------


def test_options_being_weighed_are_details_of_the_commitment_to_weigh_them() -> None:
    text = ("# Incident\n\n## Action items\n\nWe are working on finding out which of the usual scaling approaches suit us.\n\n"
            "- scale up the database host\n- scale out the web tier\n- caching\n\n"
            "## 今後の対策\n\nどの方式を採るかを検討します。\n\n- 読み取りレプリカ\n- キャッシュ層\n")
    assert [line for line, _, _ in actions(text)] == [5, 13]


def test_a_list_after_a_sentence_naming_no_choice_is_still_actions() -> None:
    text = ("# Incident\n\n## Action items\n\nWe are working on the scaling plan.\n\n"
            "- Scale out the web tier\n- Add a read replica\n")
    assert {7, 8} <= {line for line, _, _ in actions(text)}


def test_a_title_opening_with_a_time_is_the_documents_name_not_a_timeline() -> None:
    text = ("# 2023-01-11 14:22 registry outage\n\n## Action items\n\n- Add an alert on failed logins\n\n"
            "### 14:30 restart\n\n- Restarted the registry\n")
    assert [title for _, title, _ in actions(text)] == ["Add an alert on failed logins"]
