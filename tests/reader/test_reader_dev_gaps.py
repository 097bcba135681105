"""How people write the sections the dev postmortems showed the reader misreading (issue 9).

Each rule here is a shape, not a phrase: a task status opening a line, an introduction over
sub-sections, a measure the text says was turned down, a done section after the actions,
a Japanese sentence that points back at the one before it.
"""

from __future__ import annotations

from pathlib import Path

from actiontrack.reader import read_text


def read(text: str, name: str = "pm.md"):  # type: ignore[no-untyped-def]
    pm = read_text(Path(name), text).postmortem
    assert pm is not None
    return pm


def lines(text: str, name: str = "pm.md") -> list[tuple[int, str, bool]]:
    return [(a.line, a.title, a.done) for a in read(text, name).actions]


# --- a task status opening a line --------------------------------------------------------

def test_status_led_paragraphs_are_actions_even_under_lessons_learned() -> None:
    text = ("# Disk full\n\n## Lessons learned\n\nIt is a good idea to look at the disk graph.\n\n"
            "**DONE**: added the wiki to the monitored sites.\n\n"
            "**TODO**: alert when systemd units fail.\nThe exporter would also help restarts.\n\n"
            "**DOING** the import job checks free space before it starts.\n")
    pm = read(text)
    assert [(a.line, a.title, a.done, a.status) for a in pm.actions] == [
        (7, "added the wiki to the monitored sites.", True, None),
        (9, "alert when systemd units fail.", False, None),
        (12, "the import job checks free space before it starts.", False, "in progress")]
    assert pm.actions[1].end_line == 10  # the line after it is its detail


def test_status_led_item_under_a_question_heading() -> None:
    text = ("# Proxy issue\n\n## Are we vulnerable?\n\n1. **OK** - We do not use delegatecall.\n\n"
            "2. **FIXING** VaultCore proxy code should match the rest of our proxy code\n")
    assert lines(text) == [(7, "VaultCore proxy code should match the rest of our proxy code", False)]


def test_status_words_of_a_status_page_are_no_task() -> None:
    text = ("# Outage\n\n## Updates\n\n**Resolved** - This incident has been resolved.\n\n"
            "**Monitoring** - A fix has been implemented.\n\n## Action items\n\n- Add a lag alert\n")
    assert [title for _, title, _ in lines(text)] == ["Add a lag alert"]


def test_japanese_status_led_paragraphs() -> None:
    text = ("# ディスク逼迫\n\n## 学んだこと\n\nグラフを見る習慣が大事だった。\n\n"
            "**完了**：監視対象に wiki を追加した\n\n**未対応**：systemd の状態を監視する\n")
    assert lines(text) == [(7, "監視対象に wiki を追加した", True), (9, "systemd の状態を監視する", False)]


# --- an introduction over sub-sections of items ------------------------------------------

def test_prose_over_sub_sections_of_lists_frames_them() -> None:
    text = ("# Exploit\n\n## Remediation\n\nTo prevent recurrence, future designs must enforce numerical safety.\n\n"
            "### 1. Numerical safety\n\n- Add bounds checks to the solver\n\n"
            "### 2. Lifecycle\n\n- Disable the bootstrap path after deployment\n")
    assert [title for _, title, _ in lines(text)] == [
        "Add bounds checks to the solver", "Disable the bootstrap path after deployment"]


def test_a_done_statement_over_sub_sections_still_counts() -> None:
    text = ("# Misconfiguration\n\n# Preventative measures\n\nWe've documented a new deployment process.\n\n"
            "## Monitoring\n\n- Alert when the bridge config drifts\n")
    assert lines(text) == [(5, "We've documented a new deployment process", True),
                           (9, "Alert when the bridge config drifts", False)]


def test_prose_alone_in_a_section_with_sub_sections_of_prose_is_still_read() -> None:
    text = ("# Outage\n\n## Action items\n\nAdd a lag alert to the replica.\n\n### Notes\n\nNothing else.\n")
    assert [title for _, title, _ in lines(text)] == ["Add a lag alert to the replica"]


def test_japanese_prose_over_sub_sections_of_lists_frames_them() -> None:
    text = ("# 障害報告\n\n## 再発防止策\n\n設計段階で数値の安全性を確保する必要がある。\n\n"
            "### 開発時\n\n- ソルバーに境界チェックを追加する\n")
    assert [title for _, title, _ in lines(text)] == ["ソルバーに境界チェックを追加する"]


# --- measures the text says were turned down ----------------------------------------------

def test_an_item_that_says_it_was_rejected_is_no_action() -> None:
    text = ("# Token leak\n\n## What we're doing about it\n\n"
            "- We enabled branch protection on more repositories.\n"
            "- The researcher recommended GPG signing. The committee took a vote and it was rejected.\n"
            "- We decided not to rotate the deploy keys. They were never exposed.\n")
    assert [title for _, title, _ in lines(text)] == ["We enabled branch protection on more repositories."]


def test_a_japanese_sentence_that_passes_on_a_measure_is_no_action() -> None:
    text = ("# ボット停止\n\n## 今後の対応\n\nボットをコンテナ化します。\n\n"
            "当番表を Git で管理する案も出ましたが、今回は見送ることにしました。\n")
    assert [title for _, title, _ in lines(text)] == ["ボットをコンテナ化します"]


def test_a_rejected_word_inside_an_action_is_kept() -> None:
    text = "# Outage\n\n## Action items\n\n- Alert when a deploy is rejected by the gate\n"
    assert [title for _, title, _ in lines(text)] == ["Alert when a deploy is rejected by the gate"]


# --- Japanese sentences --------------------------------------------------------------------

def test_a_sentence_that_points_back_is_detail_of_the_one_before() -> None:
    text = ("# ボット停止\n\n## 今後の対応\n\n"
            "まず、Python のバージョンをイメージで固定します。OS の更新で壊れることは、これでなくなるはずです。\n\n"
            "cron の出力をログに残すようにしました。これは記事を書いている時点で対応済みです。\n")
    pm = read(text)
    assert [(a.line, a.title, a.done) for a in pm.actions] == [
        (5, "まず、Python のバージョンをイメージで固定します", False),
        (7, "cron の出力をログに残すようにしました", True)]


def test_a_polite_ending_is_not_the_plain_form() -> None:
    text = "# 障害\n\n## 今後の対応\n\n切り替えは来月になるはずです。\n\nディスク使用率の監視を追加する。\n"
    assert [title for _, title, _ in lines(text)] == ["ディスク使用率の監視を追加する"]


def test_a_quoted_courtesy_does_not_make_a_sentence_courtesy() -> None:
    text = ("# 配信事故\n\n## 再発防止策\n\n"
            "司会は開始直後に「聞こえている方はリアクションをお願いします」と呼びかける。\n\n"
            "ご迷惑をおかけしたことをお詫びいたします。\n")
    assert [title for _, title, _ in lines(text)] == [
        "司会は開始直後に「聞こえている方はリアクションをお願いします」と呼びかける"]


def test_a_sentence_with_an_action_word_over_sub_bullets_is_no_label() -> None:
    text = ("# 配信事故\n\n## 再発防止策\n\n"
            "* 司会は開始直後に「リアクションをください」と呼びかける\n"
            "    * リアクションが 3 件未満なら配信を一時停止して音声を確認する\n")
    assert [line for line, _, _ in lines(text)] == [5, 6]


def test_a_japanese_sub_bullet_without_an_object_is_detail() -> None:
    text = ("# バックアップ\n\n## 再発防止策\n\n"
            "- 月に一度、フォルダを復元するテストを行う\n  - 初回は 6 月の第 1 営業日に実施する\n"
            "- 通知先を共有アドレスに変更する\n  - 古いアドレスを削除する\n")
    assert [line for line, _, _ in lines(text)] == [5, 7, 8]


def test_a_bullet_that_is_a_lesson_is_no_action_label() -> None:
    text = ("# 障害\n\n## 教訓\n\n- **アクションアイテムの完了は、効果で判定する。** 演習は他の施策の検証手段でもある。\n\n"
            "## 再発防止策\n\n- 演習を実施する\n")
    assert [title for _, title, _ in lines(text)] == ["演習を実施する"]


# --- a done section right after the actions ------------------------------------------------

def test_a_done_section_after_the_actions_holds_done_actions() -> None:
    text = ("【障害報告】\n\n【再発防止策】\n1.フォームは毎回テンプレートから作成する\n\n"
            "【完了済み】\n・募集前チェックリストを運営ドキュメントに追加しました\n\n以上\n")
    assert lines(text, "notice.txt") == [(4, "フォームは毎回テンプレートから作成する", False),
                                         (7, "募集前チェックリストを運営ドキュメントに追加しました", True)]


def test_a_completed_heading_after_the_action_items() -> None:
    text = "# Outage\n\n## Action items\n\n- Add a lag alert\n\n## Completed\n\n- Rolled back the driver\n"
    assert lines(text) == [(5, "Add a lag alert", False), (9, "Rolled back the driver", True)]


def test_a_completed_heading_far_from_any_action_section_holds_nothing() -> None:
    text = "# Outage\n\n## Summary\n\nThe proxy failed.\n\n## Completed\n\n- Rolled back the driver\n"
    assert all(title != "Rolled back the driver" for _, title, _ in lines(text))


# --- a document without an action section --------------------------------------------------

def test_closing_change_made_to_fix_the_issue_is_a_done_action() -> None:
    text = ("# Pool analysis\n\n## Are we vulnerable?\n\nYes, in a small way.\n\n"
            "The strategy has been updated to fix this issue. We now read the internal balances.\n")
    pm_result = read_text(Path("pm.md"), text)
    assert pm_result.postmortem is not None
    assert [(a.line, a.title, a.done) for a in pm_result.postmortem.actions] == [
        (7, "The strategy has been updated to fix this issue", True)]
    assert any(f.code == "AT010" for f in pm_result.findings)


def test_closing_narrative_of_a_removal_is_no_action() -> None:
    text = "# Token leak\n\n## Takeaways\n\nStay safe.\n\n## Notes\n\nThe old images were no longer needed and were removed.\n"
    assert lines(text) == []


# --- lists in the wrong place ----------------------------------------------------------------

def test_a_list_of_commitments_under_supporting_information_is_actions() -> None:
    text = ("# Preprod down\n\n## Action items\n\n- Revert the storage driver\n\n## Lessons learned\n\n"
            "- Document the restore steps for every machine\n- Test restores before each upgrade\n\n"
            "## Supporting information:\n\n- Document the acceptable downtime of each “critical” machine\n"
            "- Decide how we document the infrastructure\n- Define a process to resolve future incidents\n")
    assert [line for line, _, _ in lines(text)] == [5, 14, 15, 16]  # the lessons stay lessons


def test_links_under_supporting_information_are_no_actions() -> None:
    text = ("# Outage\n\n## Action items\n\n- Add a lag alert\n\n## Supporting information\n\n"
            "- Grafana dashboard of the replica\n- The vendor's status page\n")
    assert [line for line, _, _ in lines(text)] == [5]


def test_a_notice_says_in_its_items_what_is_being_done() -> None:
    text = ("# 不具合情報\n\nOS のアップデートにより発生している不具合の情報です。\n\n"
            "- 日本語入力ができない\n  - 日本語を入力できないケースが報告されています\n"
            "  - 原因や他の対処について調査中です\n- python が実行できない【解消済み】\n"
            "  - 2025年5月2日に解消しました\n- SSH サーバが更新されていない\n  - 対応を検討中です\n")
    result = read_text(Path("notice.md"), text)
    assert result.postmortem is not None
    assert [(a.line, a.title) for a in result.postmortem.actions] == [
        (7, "原因や他の対処について調査中です"), (11, "対応を検討中です")]
    assert any(f.code == "AT010" for f in result.findings)


def test_a_notice_s_timeline_items_are_no_actions() -> None:
    text = ("# 障害のお知らせ\n\n## 経緯\n\n- 10:30 原因を調査中です\n- 11:00 復旧作業を検討中です\n\n"
            "## 影響\n\n- 一部の利用者で対応を検討中です\n")
    result = read_text(Path("notice.md"), text)
    assert result.postmortem is None or not result.postmortem.actions


# --- a list presented as the steps of a procedure --------------------------------------------

def test_the_steps_of_a_documented_process_are_no_actions_of_their_own() -> None:
    text = ("# Preventative measures\n\n## Deployment framework\n\n"
            "We deploy the bridge with our new process detailed below.\n\n"
            "- script the whole process in solidity\n- [step 1. configure the peers](https://example.com/1)\n"
            "- [step 2. validate configuration](https://example.com/2)\n\n"
            "## Sync pools\n\nFor that we'll follow the steps\n\n- 1. script contract setup\n"
            "- 2. config signoff by 3 internal members\n")
    pm = read(text)
    assert [(a.line, a.title) for a in pm.actions] == [(13, "For that we'll follow the steps")]
    assert pm.actions[0].end_line == 16  # its steps are its details


def test_follow_these_steps_over_commitments_keeps_each_commitment() -> None:
    text = ("# Outage\n\n## Action items\n\nWe will follow these steps:\n\n"
            "- Add a lag alert on the replica\n- Document the failover runbook\n")
    assert [line for line, _, _ in lines(text)] == [7, 8]


def test_japanese_procedure_steps_are_details_of_their_sentence() -> None:
    text = ("# 障害報告\n\n## 再発防止策\n\n切り替えは以下の手順で行います。\n\n"
            "- 旧サーバの停止\n- DNS の切り替え\n")
    pm = read(text)
    assert [(a.line, a.title, a.end_line) for a in pm.actions] == [(5, "切り替えは以下の手順で行います", 8)]


def test_a_measure_in_place_for_years_is_no_action() -> None:
    text = ("# Token leak\n\n## What we're doing about it\n\n"
            "- We have for several years enabled 2FA for the whole organisation.\n"
            "- We enabled branch protection on more repositories.\n- Always run the audit before a release\n")
    assert [line for line, _, _ in lines(text)] == [6, 7]


def test_a_japanese_measure_in_place_before_is_no_action() -> None:
    text = ("# 障害報告\n\n## 再発防止策\n\n- 以前から二要素認証を全員に必須としている\n"
            "- 管理者トークンの有効期限を 30 日にする\n")
    assert [line for line, _, _ in lines(text)] == [6]


def test_a_japanese_sub_bullet_naming_its_work_as_a_noun_is_its_own() -> None:
    text = ("# 障害報告\n\n## 再発防止策\n\n- 監視を強化する\n  - CPU 使用率の監視の追加\n  - 障害対応手順書の整備\n")
    assert [line for line, _, _ in lines(text)] == [5, 6, 7]


def test_a_notice_s_items_that_announce_rather_than_work_are_no_actions() -> None:
    text = ("# 不具合情報\n\nメンテナンスの情報です。\n\n- 予約画面が表示されない\n"
            "  - サービスは順次再開いたします\n- 決済ができない\n  - 原因を調査中です\n")
    assert [line for line, _, _ in lines(text)] == [8]


def test_runbook_commands_in_an_appendix_are_no_actions() -> None:
    text = ("# Outage\n\n## Action items\n\n- Add a lag alert\n\n## Appendix\n\n"
            "- Run the failover script on the replica\n- Check the replication lag afterwards\n"
            "- Update the DNS record if the lag stays\n")
    assert [line for line, _, _ in lines(text)] == [5]


def test_a_japanese_sentence_ending_in_a_colon_over_commitments_stays_a_label() -> None:
    text = ("# 障害報告\n\n## 再発防止策\n\n- 以下のアクションを実施する：\n  - 監視の追加\n  - 手順書の整備\n")
    assert [line for line, _, _ in lines(text)] == [6, 7]


def test_a_full_width_full_stop_ends_a_japanese_sentence_but_not_a_number() -> None:
    text = ("# 不具合情報\n\n更新の情報です．\n\n- python が実行できない\n"
            "  - パスに問題が生じており，エラーが出ます．対処を検討中です\n"
            "  - 版 3．11 の環境で原因を調査中です\n")
    assert [(line, title) for line, title, _ in lines(text)] == [
        (6, "対処を検討中です"), (7, "版 3．11 の環境で原因を調査中です")]


def test_an_action_section_that_commits_to_nothing_lets_the_rest_be_read() -> None:
    text = ("# ポータル不具合\n\n## 対策\n\n現在，ディスク使用量を確認する方法はありません．\n\n## 更新履歴\n\n"
            "- （5月13日 更新）機能しない時間帯が変わりました．\n"
            "- 夜間のバッチ処理に時間がかかっていることによるもので，処理の修正を検討しているところです．\n")
    result = read_text(Path("notice.md"), text)
    assert result.postmortem is not None
    assert [a.line for a in result.postmortem.actions] == [10]
    assert [f.message.split(":")[0] for f in result.findings if f.code == "AT010"] == [
        "its action section holds no action"]


def test_an_empty_action_section_with_nothing_elsewhere_stays_empty() -> None:
    text = "# Outage\n\n## Action items\n\nNone yet.\n\n## Notes\n\nThe proxy failed at noon.\n"
    result = read_text(Path("pm.md"), text)
    assert result.postmortem is not None and result.postmortem.actions == ()
    assert result.postmortem.has_action_section
