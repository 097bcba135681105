"""The reader reads document structure as people write it (issue 9's list of failures).

Each case is a document in the shape the independent review found misread, in our own
words; the assertion is what a careful reader takes from it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from actiontrack.model import Category
from actiontrack.reader import read_text


def actions(text: str, name: str = "pm.md") -> list[tuple[int, str]]:
    pm = read_text(Path(name), text).postmortem
    assert pm is not None
    return [(a.line, a.title) for a in pm.actions]


def read(text: str, name: str = "pm.md"):  # type: ignore[no-untyped-def]
    pm = read_text(Path(name), text).postmortem
    assert pm is not None
    return pm


def test_a_setext_heading_opens_an_action_section() -> None:
    assert actions("Outage\n======\n\nFollow-ups\n----------\n\n- Alert on queue depth above 1000\n") == [
        (7, "Alert on queue depth above 1000")]


@pytest.mark.parametrize("heading", [
    "How do we stop this from happening again?",
    "What will we do to prevent this?",
    "再発を防ぐにはどうすればよいか？",
])
def test_a_question_heading_that_asks_what_will_be_done(heading: str) -> None:
    assert actions(f"# Outage\n## {heading}\n- Add a canary stage to the deploy\n") == [
        (3, "Add a canary stage to the deploy")]


def test_a_what_went_wrong_sub_section_inside_actions_holds_no_actions() -> None:
    text = ("# Outage\n## Action items\n- Add a lag alert\n### What went wrong\n- The alert threshold was too high\n"
            "### Detection\n- Page on-call when lag exceeds 60 s\n")
    pm = read(text)
    assert [(a.line, a.title) for a in pm.actions] == [(3, "Add a lag alert"), (7, "Page on-call when lag exceeds 60 s")]
    assert pm.actions[1].category is Category.DETECTION


def test_timeline_steps_under_a_measures_heading_are_not_actions() -> None:
    text = ("# 障害報告\n## 障害対応と対策\n### 時系列\n- 10:15 アラート発報\n- 10:40 サーバを再起動\n"
            "### 残課題\n- ディスク使用率のアラートを追加する\n### 完了済み\n- 古いログを削除する\n")
    pm = read(text)
    assert [(a.title, a.done) for a in pm.actions] == [
        ("ディスク使用率のアラートを追加する", False), ("古いログを削除する", True)]


def test_timeline_items_in_an_action_list_are_skipped() -> None:
    assert actions("# 障害\n## 対策\n- 10:15 アラート発報\n- 監視を追加する\n") == [(4, "監視を追加する")]


@pytest.mark.parametrize(("sentence", "title"), [
    ("We will add a retry with backoff to the uploader.", "We will add a retry with backoff to the uploader"),
    ("We'll stop deploying on Fridays without a canary.", "We'll stop deploying on Fridays without a canary"),
    ("監視項目にキューの滞留件数を追加し、早期検知に努めます。", "監視項目にキューの滞留件数を追加し、早期検知に努めます"),
    ("月次で復旧手順の訓練を行ってまいります。", "月次で復旧手順の訓練を行ってまいります"),
])
def test_prose_commitments_under_an_action_heading_are_actions(sentence: str, title: str) -> None:
    heading = "Next steps" if sentence.isascii() else "今後の対応"
    assert actions(f"# Outage\n## {heading}\n\nThe team met on Monday. {sentence}\n") == [(4, title)]


def test_an_action_heading_with_only_prose_is_not_empty() -> None:
    pm = read("# Outage\n## What we're changing\nWe will rotate the signing key every 90 days. "
              "We are adding an alert on certificate expiry.\n")
    assert [a.title for a in pm.actions] == [
        "We will rotate the signing key every 90 days", "We are adding an alert on certificate expiry"]
    assert pm.has_action_section


def test_prose_beside_a_list_is_framing() -> None:
    assert actions("# Outage\n## Action items\nOwners will update the tickets after the review.\n\n"
                   "- Add a lag alert\n") == [(5, "Add a lag alert")]


def test_numbered_items_without_a_space_and_decorative_lines() -> None:
    text = "障害のお知らせ\n\n■再発防止策\n1.回線を二重化する\n2.切替手順を作成する\n\n■ お問い合わせ ■\nサポート窓口までご連絡ください。\n"
    assert actions(text, "notice.txt") == [(4, "回線を二重化する"), (5, "切替手順を作成する")]


def test_plain_text_notice_with_numbered_groups() -> None:
    text = ("システム障害に関するお知らせ\n\n３．再発防止策\n（１）システム面\n　・ディスク使用率の監視を追加する\n"
            "　・ログの保存期間を短縮する\n（２）運用面\n　・切替手順書を整備する\n\n４．お問い合わせ\n窓口までご連絡ください。\n")
    assert [t for _, t in actions(text, "notice.txt")] == [
        "ディスク使用率の監視を追加する", "ログの保存期間を短縮する", "切替手順書を整備する"]


def test_sub_bullets_that_are_their_own_commitments() -> None:
    text = ("# Outage\n## Action items\n- Improve alerting on the queue:\n  - Alert when depth exceeds 1000 for 5 minutes\n"
            "  - Page on-call when consumers stop for 2 minutes\n- Add a canary stage\n  - it runs 10% of traffic\n")
    assert [t for _, t in actions(text)] == [
        "Alert when depth exceeds 1000 for 5 minutes", "Page on-call when consumers stop for 2 minutes",
        "Add a canary stage"]


def test_titles_lose_links_references_and_descriptions() -> None:
    text = ("# Outage\n## Action items\n- [Add retries to the uploader](https://example.com/pr/4) (#123)\n"
            "- **Add rate limits**: planned for next quarter as part of the reliability work\n"
            "- Rotate the deploy key (see OPS-12)\n")
    pm = read(text)
    retries, limits, rotate = pm.actions
    assert (retries.title, retries.ticket) == ("Add retries to the uploader", "#123")
    assert limits.title == "Add rate limits" and "planned for next quarter" in limits.text
    assert (rotate.title, rotate.ticket) == ("Rotate the deploy key", "OPS-12")


def test_team_type_and_prose_owner_columns() -> None:
    text = ("# Outage\n## Action items\n| Action | Owning Team | Owner | Type | Due |\n|---|---|---|---|---|\n"
            "| Add a lag alert | Platform | ana | Tooling | 2024-05-01 |\n"
            "| Write the failover runbook | SRE | The on-call engineer will pick this up next week. | Process | 2024-05-08 |\n")
    result = read_text(Path("pm.md"), text)
    assert result.postmortem is not None
    alert, runbook = result.postmortem.actions
    assert (alert.team, alert.owner, alert.kind, alert.category) == ("Platform", "ana", "Tooling", None)
    assert (runbook.team, runbook.owner, runbook.kind) == ("SRE", None, "Process")
    assert not [f for f in result.findings if f.code == "AT006"]  # a Type column is no category error


def test_a_type_column_that_names_categories_is_the_category() -> None:
    pm = read("# Outage\n## Action items\n| Action | Type |\n|---|---|\n| Add a lag alert | detection |\n")
    assert pm.actions[0].category is Category.DETECTION


@pytest.mark.parametrize(("item", "owner", "team"), [
    ("- Add a lag alert (SRE)", "SRE", "SRE"),
    ("- 監視を追加する（担当: インフラチーム）", "インフラチーム", "インフラチーム"),
    ("- Add a lag alert — owner: @ana", "ana", None),
])
def test_team_owners(item: str, owner: str, team: str | None) -> None:
    action = read(f"# Outage\n## Action items\n{item}\n").actions[0]
    assert (action.owner, action.team) == (owner, team)


def test_an_unclosed_comment_inside_a_fence_hides_nothing() -> None:
    text = "# Outage\n```html\n<!-- not closed in the example\n```\n## Action items\n- Add a lag alert\n"
    assert actions(text) == [(6, "Add a lag alert")]


def test_a_list_item_right_after_a_table_is_not_a_row() -> None:
    text = "# Outage\n## Action items\n| Action | Owner |\n|---|---|\n| Add a lag alert | ana |\n- Write the runbook\n"
    assert actions(text) == [(5, "Add a lag alert"), (6, "Write the runbook")]


def test_escaped_pipes_stay_in_a_cell() -> None:
    pm = read("# Outage\n## Action items\n| Action | Owner |\n|---|---|\n| Split reads \\| writes | ana |\n")
    assert (pm.actions[0].title, pm.actions[0].owner) == ("Split reads | writes", "ana")


def test_advice_to_readers_is_not_an_action() -> None:
    text = ("# Account takeover\n## What you can do\n- Turn on 2FA for your account\n- Use a unique password\n"
            "## Next steps\n- Enforce 2FA for maintainers of popular packages\n")
    assert [t for _, t in actions(text)] == ["Enforce 2FA for maintainers of popular packages"]


def test_numbered_sub_headings_are_actions_and_their_prose_details() -> None:
    text = ("# Outage\n# Action items\n### 1) Set up websocket metrics on the CDN `@dma`\n\n"
            "We want to see how many writes map to each socket.\n\n### 2) Verify the cleanup cron runs\n")
    pm = read(text)
    assert [(a.title, a.owner) for a in pm.actions] == [
        ("Set up websocket metrics on the CDN", "dma"), ("Verify the cleanup cron runs", None)]
    assert "how many writes" in pm.actions[0].text


def test_a_labelled_list_item_outside_an_action_section() -> None:
    text = ("# Incident\n- **Resolution**: restarted the pods\n- **Review actions**:\n"
            "  - Create a runbook for the DNS alarm\n  - Raise the alarm's priority\n")
    assert [t for _, t in actions(text)] == ["Create a runbook for the DNS alarm", "Raise the alarm's priority"]


def test_follow_ups_in_a_response_section() -> None:
    text = ("# Incident\n## Our response\n1. We rotated every token.\n"
            "2. We put in a check to prevent uploads from pull requests in the future.\n")
    pm = read(text)
    assert [(a.title, a.done) for a in pm.actions] == [
        ("We put in a check to prevent uploads from pull requests in the future.", True)]


def test_bracketed_status_and_due_notes() -> None:
    pm = read("# 障害\n## 対策\n- 通知先を共有アドレスに変更する（5/22 変更済み）\n- 手順書を作成する（2025年6月30日まで）\n"
              "- Increase the proxy VM size (in progress)\n", "2025-05-20-pm.md")
    changed, manual, proxy = pm.actions
    assert (changed.title, changed.done) == ("通知先を共有アドレスに変更する", True)
    assert (manual.title, manual.due) == ("手順書を作成する", dt.date(2025, 6, 30))
    assert (proxy.title, proxy.status, proxy.done) == ("Increase the proxy VM size", "in progress", False)


def test_priority_words_and_ids_opening_an_item() -> None:
    pm = read("# Outage\n## Corrective actions\n- **HIGH** Include downloads in the smoke test\n"
              "- [x] **AI-P1** Split the job tables\n")
    smoke, split = pm.actions
    assert (smoke.title, smoke.priority) == ("Include downloads in the smoke test", "P1")
    assert (split.title, split.id, split.done) == ("Split the job tables", "pm:AI-P1", True)


def test_kpt_try_is_the_action_section() -> None:
    assert [t for _, t in actions("# 振り返り\n## Keep\n- 連絡が早かった\n## Problem\n- 手順が古い\n"
                                  "## Try\n- 手順書を更新する\n")] == ["手順書を更新する"]


def test_rejected_measures_are_not_actions() -> None:
    text = "# 障害\n## 検討した対策\n- 本番作業をすべて承認制にする\n## アクションアイテム\n- 削除スクリプトに環境チェックを入れる\n"
    assert [t for _, t in actions(text)] == ["削除スクリプトに環境チェックを入れる"]


def test_toml_front_matter() -> None:
    pm = read('+++\ntitle = "Broken downloads"\ndate = 2023-07-20\n+++\n## Action items\n- Add a smoke test\n')
    assert (pm.title, pm.date, [a.title for a in pm.actions]) == (
        "Broken downloads", dt.date(2023, 7, 20), ["Add a smoke test"])


def test_findings_point_at_the_actions_column(tmp_path: Path) -> None:
    from actiontrack.lint import lint_paths

    path = tmp_path / "pm.md"
    path.write_text("# Outage\n## Action items\n- Group:\n   - Be more careful with configs — owner: @a\n\n"
                    "| Action | Owner |\n|---|---|\n| Double-check deploys | @b |\n", encoding="utf-8")
    findings = {(f.line, f.column) for f in lint_paths([tmp_path]).findings if f.code == "AT101"}
    assert findings == {(4, 4), (8, 1)}


def test_bracketed_tags_and_japanese_wraps() -> None:
    pm = read("# Outage\n# Action items\n### 1) Streaming processes reduced `@dma` [repair]\n\n"
              "## 再発防止策\n- 監視対象のホストにディスク使用率のアラートを\n  追加する（担当: @natsu）\n")
    heading, wrapped = pm.actions
    assert (heading.title, heading.owner, heading.category) == ("Streaming processes reduced", "dma",
                                                                 Category.PERMANENT_FIX)
    assert (wrapped.title, wrapped.owner) == ("監視対象のホストにディスク使用率のアラートを追加する", "natsu")
