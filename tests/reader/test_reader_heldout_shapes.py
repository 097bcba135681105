"""Shapes the spent held-out postmortems (round 1) showed the reader misreading.

Each case is written in our own words in the shape of a real document's section; the
assertion is what a careful reader takes from it (../shared/LABELLING.md), and a near case
that is no action stays out.
"""

from __future__ import annotations

from pathlib import Path

from actiontrack.reader import read_text


def actions(text: str, name: str = "pm.md") -> list[tuple[int, str, bool]]:
    pm = read_text(Path(name), text).postmortem
    assert pm is not None
    return [(a.line, a.title, a.done) for a in pm.actions]


def test_a_bare_action_label_item_holds_the_list_written_after_it() -> None:
    text = ("# Incident\n\n- **Resolution**:\n\nWe revoked the token.\n\n- **Review actions**:\n\n"
            "1. Rotate the deploy key\n2. Add a secret scanner to CI\n")
    assert actions(text) == [(9, "Rotate the deploy key", False), (10, "Add a secret scanner to CI", False)]


def test_a_bare_action_label_item_in_japanese() -> None:
    text = "# 障害報告\n\n- **経緯**:\n\n8時に停止した。\n\n- **再発防止策**：\n\n1. 監視を追加する\n2. 手順書を作成する\n"
    assert [t for _, t, _ in actions(text)] == ["監視を追加する", "手順書を作成する"]


def test_a_bare_label_that_is_no_action_label_holds_nothing() -> None:
    text = "# Incident\n\n- **Timeline**:\n\n1. Paged the on-call\n2. Restarted the database\n"
    assert actions(text) == []


def test_a_list_named_as_the_remediations_is_actions_even_worded_for_engineers() -> None:
    text = ("# Incident\n\n## Remediations\n\nOur remediations for this are:\n\n"
            "- Disable agent forwarding on every server\n"
            "- If you need to copy files between machines, use rsync rather than scp\n"
            "- If you need to reach a private host, go through the bastion\n")
    assert [line for line, _, _ in actions(text)] == [7, 8, 9]


def test_advice_to_the_reports_readers_stays_out() -> None:
    text = ("# Incident\n\n## Follow-ups\n\nWhat you should do now:\n\n"
            "- If you use the client, update your password\n- Enable 2FA on your account\n")
    assert actions(text) == []


def test_action_labels_in_a_lessons_section() -> None:
    text = ("# Incident\n\n## Lessons learned\n\n### Reporting\n\nReports waited a day in the inbox.\n\n"
            "**Action taken:**\n\nOur security contact page is now linked from every repository. It names "
            "the channel.\n\n**Actions planned:**\n\n- We will page on critical reports\n\n"
            "### Monitoring\n\nAction point: alert on replica lag above one minute.\n\n"
            "**Action planned:** We will add a dashboard for the sequencer,\nso that lag is visible.\n")
    assert actions(text) == [
        (11, "Our security contact page is now linked from every repository", True),
        (15, "We will page on critical reports", False),
        (19, "alert on replica lag above one minute", False),
        (21, "We will add a dashboard for the sequencer, so that lag is visible", False)]


def test_an_action_label_over_a_list_of_details_is_one_action() -> None:
    text = ("# Incident\n\n## Lessons learned\n\n**Action taken:**\n\nWe've written criteria for pausing the "
            "bridge:\n\n- If an attack is ongoing: pause at once.\n- Otherwise: keep it running.\n")
    pm = read_text(Path("pm.md"), text).postmortem
    assert pm is not None
    assert [(a.line, a.title, a.done) for a in pm.actions] == [
        (7, "We've written criteria for pausing the bridge", True)]
    assert "attack is ongoing" in pm.actions[0].text


def test_action_labels_in_japanese_lessons() -> None:
    text = "# 障害報告\n\n## 教訓\n\n通知が遅れた。\n\n対策：遅延監視のアラートを追加する。\n"
    assert actions(text) == [(7, "遅延監視のアラートを追加する", False)]


def test_an_action_label_in_a_timeline_is_the_response() -> None:
    text = ("# Incident\n\n## Timeline\n\nAction taken: restarted the database.\n\n"
            "Action point: failed over to the replica.\n\n## 時系列\n\n対策：再起動した。\n")
    assert actions(text) == []


def test_done_labels_outside_a_lesson_are_no_follow_ups() -> None:
    text = "# Incident\n\n## What happened\n\n**Action taken:** We restarted the pods.\n"
    assert actions(text) == []


def test_a_future_commitment_in_a_section_of_no_kind() -> None:
    text = ("# Game day\n\n## Checker issues\n\nThe checkers ran out of CPU at noon.\n\n"
            "Next time we will stress test the checkers with twice the load.\n\n"
            "## Network issues\n\nThe VPN was slow.\n\n## Wrap-up\n\nThanks to every team.\n")
    assert [(line, title) for line, title, _ in actions(text)] == [
        (7, "Next time we will stress test the checkers with twice the load")]


def test_a_future_sentence_over_a_list_in_a_lessons_section() -> None:
    text = ("# Incident\n\n## Recovery and lessons learned\n\nWe did not post on the status page. "
            "Going forward, we will do the following to avoid that:\n\n"
            "- We will add monitoring for replica lag\n- We will post within 15 minutes\n")
    assert [line for line, _, _ in actions(text)] == [7, 8]


def test_a_forecast_is_no_commitment() -> None:
    text = ("# Incident\n\n## The bridge\n\nWe anticipate the bridge will return at some point in the future.\n\n"
            "## Timeline\n\nNext time we will page sooner.\n\n## Action items\n\n- Add a lag alert\n")
    assert [title for _, title, _ in actions(text)] == ["Add a lag alert"]


def test_a_future_commitment_in_japanese_lessons() -> None:
    text = "# 障害報告\n\n## 教訓\n\n検知が遅れた。今後は遅延監視のアラートを導入します。\n\n## 対策\n\n- 手順書を作成する\n"
    assert [(line, title) for line, title, _ in actions(text)] == [
        (5, "今後は遅延監視のアラートを導入します"), (9, "手順書を作成する")]


def test_a_section_numbered_with_a_full_width_space_in_a_plain_notice() -> None:
    text = ("ネットワーク障害について\n\n１　原因\n　設定の誤りです。\n\n４　今後の対策\n"
            "　（１）設定変更は差分を自動で確認してから適用します。\n　（２）職員の研修を行います。\n\n以上\n")
    assert [line for line, _, _ in actions(text, "notice.txt")] == [7, 8]


def test_a_numbered_section_in_an_english_plain_report() -> None:
    text = ("Network outage\n\n1  Cause\nA bad route.\n\n3  Follow-ups\n(1) Diff routes before applying them\n"
            "(2) Page the network on-call\n\n3 routers were restarted twice.\n")
    assert [line for line, _, _ in actions(text, "report.txt")] == [7, 8]


def test_label_lines_with_a_colon_in_plain_text_notes() -> None:
    text = ("  CAUSE\n  - a stale mirror\n\n  Remedied:\n  - mirror switched to https\n\n"
            "  Future:\n  - file a bug for the flaky host\n  - collect audit logs from the builders\n\n"
            "  Short term:\n  - pin the mirror\n\n  Timeline:\n  - the build passed on retry\n")
    assert actions(text, "notes.txt") == [
        (5, "mirror switched to https", True), (8, "file a bug for the flaky host", False),
        (9, "collect audit logs from the builders", False), (12, "pin the mirror", False)]


def test_a_label_line_with_a_full_width_colon_in_a_japanese_notice() -> None:
    text = "障害のお知らせ\n\n原因：\n・設定の誤り\n\n再発防止策：\n・設定変更を二人で確認する手順を作成する\n"
    assert [line for line, _, _ in actions(text, "notice.txt")] == [7]


def test_a_markdown_line_that_is_only_an_action_label_and_a_colon() -> None:
    text = ("# Incident\n\nWe restarted the broker.\n\nFollow-ups:\n\n- Alert on broker memory\n\n"
            "Short term:\n\n- Pin the broker version\n\nImpact:\n\n- The broker was on an old version\n")
    assert [title for _, title, _ in actions(text)] == ["Alert on broker memory", "Pin the broker version"]


def test_a_bold_parent_that_commits_is_the_action_and_its_items_details() -> None:
    text = ("# Incident\n\n## Action items\n\n1. **Add rate limits to the login API**\n"
            "   - 10 requests a second per address\n   - a 429 with a retry hint\n\n"
            "- **Numerical safety**\n  - Add overflow checks to the mint\n  - Fuzz the parser on every build\n")
    assert [(line, title) for line, title, _ in actions(text)] == [
        (5, "Add rate limits to the login API"), (10, "Add overflow checks to the mint"),
        (11, "Fuzz the parser on every build")]


def test_a_bold_parent_that_commits_in_japanese() -> None:
    text = ("# 障害報告\n\n## 再発防止策\n\n1. **マイグレーション実行を明示的に行う**\n   - 起動前に実行\n"
            "   - 失敗したら中止\n\n2. **緊急時対応手順の整備**\n   - ロールバック手順\n   - リストア手順\n\n"
            "- **システム面**\n  - 監視を追加する\n")
    assert [(line, title) for line, title, _ in actions(text)] == [
        (5, "マイグレーション実行を明示的に行う"), (9, "緊急時対応手順の整備"), (14, "監視を追加する")]


def test_english_prose_with_typographic_apostrophes_is_read_as_english() -> None:
    text = ("# Incident\n\n## Remediations\n\n### Intrusion detection\n\n"
            "Amongst other strategies, we’re working on real-time log analysis for logins.\n\n"
            "### Keys\n\nWe’ve decided to stop users from managing their own keys in production. "
            "Going forwards, we are establishing a monthly patch window.\n")
    assert [line for line, _, _ in actions(text)] == [7, 11, 11]


def test_japanese_prose_is_still_read_as_japanese() -> None:
    text = "# 障害報告\n\n## 再発防止策\n\n監視の閾値を見直します。「we’re」と書かれた手順書は更新いたしました。\n"
    assert [(title, done) for _, title, done in actions(text)] == [
        ("監視の閾値を見直します", False), ("「we’re」と書かれた手順書は更新いたしました", True)]


def test_a_parent_sentence_of_the_team_is_the_action_over_what_it_introduces() -> None:
    text = ("# Incident\n\n## Actions planned\n\n- We are redesigning our review process, to introduce:\n"
            "  1. encourage authors to state the risks\n  1. view the change as an adversary\n"
            "- **Monitoring**:\n  - Alert on mint events\n")
    assert [line for line, _, _ in actions(text)] == [5, 9]


def test_measures_tried_that_did_not_work_are_no_actions() -> None:
    text = ("# Incident\n\n## 検証したが解決しなかった対策\n\n- マウントオプションを変更した\n\n"
            "## What we tried that didn't work\n\n- Increase the pool size\n\n## 対策\n\n- NFS へ移行する\n")
    assert [title for _, title, _ in actions(text)] == ["NFS へ移行する"]


def test_a_change_column_is_the_title_of_a_table_of_changes() -> None:
    text = ("# 障害報告\n\n## 対応した恒久対策\n\n| 対象 | 変更内容 |\n| --- | --- |\n"
            "| `docs/restore.md` | 復元手順を RCON 経由の再起動に変更 |\n\n"
            "## Follow-ups\n\n| Component | Change |\n| --- | --- |\n| `stop.ps1` | Add a -Force switch |\n")
    assert [(line, title) for line, title, _ in actions(text)] == [
        (7, "復元手順を RCON 経由の再起動に変更"), (13, "Add a -Force switch")]


def test_a_list_introduced_as_the_alternatives_turned_down_is_no_action() -> None:
    text = ("# Incident\n\n## Remediations\n\n- Sign releases with a hardware key\n\nAlternatives here included:\n\n"
            "- We could delegate building to a third party\n- Do reproducible builds instead\n\n"
            "## 再発防止策\n\n見送った案：\n\n- リリースを凍結する\n\n採用した対策：\n\n- 署名鍵をHSMに移す\n")
    assert [title for _, title, _ in actions(text)] == ["Sign releases with a hardware key", "署名鍵をHSMに移す"]


def test_a_list_of_the_teams_modal_commitments_in_a_document_without_an_action_section() -> None:
    text = ("# DNS outage\n\n## Postmortem\n\nThe lessons we are taking away are as follows:\n\n"
            "- We need to document how to pick the commit to deploy.\n"
            "- When we merge changes, we need to ensure they are deployed.\n- We must announce deploys in advance.\n\n"
            "## Timeline\n\n- We should have paged sooner.\n- We need to thank the volunteers.\n")
    assert [line for line, _, _ in actions(text)] == [7, 8, 9]


def test_a_lessons_we_will_counts_only_without_an_action_heading() -> None:
    lesson = "# Incident\n\n## Lessons learned\n\nWe did not post updates. We will upgrade the sync service this year.\n"
    assert [title for _, title, _ in actions(lesson)] == ["We will upgrade the sync service this year"]
    with_actions = lesson + "\n## Action items\n\n- Upgrade the sync service\n"
    assert [title for _, title, _ in actions(with_actions)] == ["Upgrade the sync service"]


def test_a_long_term_changes_section_holds_actions() -> None:
    text = ("# Release regression\n\n## Long-term changes to releases\n\n"
            "The release process will be updated to include a public beta phase.\n")
    assert [line for line, _, _ in actions(text)] == [5]


def test_prose_naming_the_teams_solution_beside_a_list() -> None:
    text = ("# Incident\n\n## Remediations\n\n- Rotate the deploy keys\n\n"
            "Developers need logs. We are mitigating this by shipping logs to a log server. "
            "Our solution is to switch all configuration to Ansible. We hope it helps.\n")
    assert [title for _, title, _ in actions(text)] == [
        "Rotate the deploy keys", "We are mitigating this by shipping logs to a log server",
        "Our solution is to switch all configuration to Ansible"]


def test_a_parent_sentence_over_commitments_of_their_own_stays_their_label() -> None:
    text = ("# Incident\n\n## Action items\n\n- We will do the following:\n  - Add a lag alert to the bridge\n"
            "  - Write a runbook for the resync\n")
    assert [line for line, _, _ in actions(text)] == [6, 7]


def test_a_bold_parent_over_commitments_of_their_own_stays_their_label() -> None:
    text = ("# Incident\n\n## Action items\n\n- **Improve alerting for the bridge**\n"
            "  - Add a lag alert to the bridge\n  - Page the on-call on resync failures\n")
    assert [line for line, _, _ in actions(text)] == [6, 7]


def test_narrative_after_a_loose_label_in_a_section_of_no_kind_is_no_action() -> None:
    text = ("# Incident\n\n## The outage\n\nAction required: none.\n\n"
            "Follow-up: the on-call engineer confirmed recovery at 10:40.\n\n"
            "Action item: add a disk alert to the database hosts.\n\n## 経緯\n\n対策：なし\n")
    assert [(line, title) for line, title, _ in actions(text)] == [
        (9, "add a disk alert to the database hosts")]


def test_actions_named_for_the_reports_readers_stay_advice() -> None:
    text = ("# Incident\n\n## Next steps\n\nRecommended actions for customers:\n\n"
            "- Rotate your API keys now\n- Update your client to 2.4\n\n利用者の皆様へのお願い（対策）：\n\n"
            "- パスワードを変更してください\n")
    assert actions(text) == []


def test_a_bare_action_label_item_over_a_table() -> None:
    text = ("# Incident\n\n- **Impact**: 20 minutes of errors\n- **Action items**:\n\n"
            "| Action | Owner |\n| --- | --- |\n| Add a lag alert | @kim |\n")
    pm = read_text(Path("pm.md"), text).postmortem
    assert pm is not None
    assert [(a.line, a.title, a.owner) for a in pm.actions] == [(8, "Add a lag alert", "kim")]


def test_an_english_items_title_is_its_first_sentence() -> None:
    text = ("# Incident\n\n## Action items\n\n- Add a lag alert to the bridge. It pages the on-call (we had none). "
            "| owner: @kim\n- Bump v1.2. rollout to all regions\n\n## 再発防止策\n\n- 監視を追加。既存の閾値も見直す\n")
    pm = read_text(Path("pm.md"), text).postmortem
    assert pm is not None
    alert, bump, ja = pm.actions
    assert (alert.title, alert.owner) == ("Add a lag alert to the bridge.", "kim")
    assert "pages the on-call" in alert.text
    assert bump.title == "Bump v1.2. rollout to all regions"
    assert ja.title == "監視を追加。既存の閾値も見直す"


def test_title_words_without_horizon_notes_reference_links_or_later_sentences() -> None:
    text = ("# Incident\n\n## Action items\n\n- (Longer-term) Mirror the kernel tarballs we build from\n"
            "- 【短期】監視を追加する\n- We need to document how to pick the commit to deploy, in\n"
            "  particular how to review the changeset. Defining a process will help.\n"
            "- Stop writing \"ERROR: failed to post. Saving report\" to the build log\n\n"
            "## Long-term changes\n\nThe [release\nprocess][rp] will be updated to include a beta phase.\n\n"
            "[rp]: https://example.org/release\n")
    assert [title for _, title, _ in actions(text)] == [
        "Mirror the kernel tarballs we build from", "監視を追加する",
        "We need to document how to pick the commit to deploy, in particular how to review the changeset.",
        "Stop writing \"ERROR: failed to post. Saving report\" to the build log",
        "The release process will be updated to include a beta phase"]


def test_headings_that_say_what_will_change() -> None:
    for heading in ("Preventing this in the future", "How we’re fixing it", "What we will change", "改善施策",
                    "How can we stop this from happening again?", "How we’ll prevent this?",
                    "今後の対応予定"):
        text = f"# Incident\n\n## {heading}\n\n- Add a lag alert to the bridge\n"
        assert [line for line, _, _ in actions(text)] == [5], heading


def test_a_state_the_teams_change_ended_is_a_done_action() -> None:
    text = ("# Incident\n\n## Remediations\n\n### SSH exposure\n\n"
            "Needless to say, SSH is no longer exposed to the internet. It was a mistake.\n")
    assert actions(text) == [(7, "Needless to say, SSH is no longer exposed to the internet", True)]


def test_a_promise_to_update_the_readers_is_no_action() -> None:
    text = ("# Incident\n\n## Remediations\n\nWe will aim to provide an update on these once the work is done. "
            "We will post updates to the status page every 30 minutes during an incident.\n")
    assert [title for _, title, _ in actions(text)] == [
        "We will post updates to the status page every 30 minutes during an incident"]
