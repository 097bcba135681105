"""The Markdown reader accepts postmortems as people write them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from actiontrack.model import Category, Phase
from actiontrack.reader import read_file, read_paths


def write(tmp_path: Path, text: str, name: str = "pm.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_task_list_with_trailing_fields_and_tags(tmp_path: Path) -> None:
    path = write(tmp_path, """# Postmortem: proxy 502s
Date: 2020-09-29
Severity: SEV3

## Action items
- [x] Put the upstream in a variable (`set $upstream api.local:8080`) — owner: @daiwa, due: 2020-10-02, phase: development, category: permanent-fix
- [ ] Alert on 502 share above 1% for 2 minutes — owner: @daiwa, due: 2020-10-16 #post-release #detection
""")
    pm = read_file(path).postmortem
    assert pm is not None
    assert pm.title == "Postmortem: proxy 502s"
    assert pm.date == dt.date(2020, 9, 29) and pm.severity == "SEV3"
    first, second = pm.actions
    assert first.title == "Put the upstream in a variable (set $upstream api.local:8080)"  # code marks go, words stay
    assert (first.owner, first.due, first.phase, first.category, first.done) == (
        "daiwa", dt.date(2020, 10, 2), Phase.DEVELOPMENT, Category.PERMANENT_FIX, True)
    assert (second.line, second.phase, second.category, second.done) == (
        7, Phase.POST_RELEASE, Category.DETECTION, False)


def test_front_matter_and_numbered_list_with_parenthesised_fields(tmp_path: Path) -> None:
    path = write(tmp_path, """---
id: PM-2020-022
title: Deploy halted by a migration
date: 2020-10-20
url: https://wiki.example.com/pm/22
---

## Prevention

1. Add a nightly job that diffs master tables and posts differences to #db-alerts. (owner: kato, due: 2020-11-13, phase: post-release, category: detection)
2. Document how to roll back a failed Flyway migration. (owner: ito, due: 2020/11/20)
""")
    pm = read_file(path).postmortem
    assert pm is not None and pm.id == "PM-2020-022" and pm.url == "https://wiki.example.com/pm/22"
    first, second = pm.actions
    assert first.title.endswith("posts differences to #db-alerts.")
    assert first.owner == "kato" and first.category is Category.DETECTION
    assert second.due == dt.date(2020, 11, 20) and second.phase is None
    assert first.id.startswith("PM-2020-022:")


def test_japanese_list_with_full_width_brackets(tmp_path: Path) -> None:
    path = write(tmp_path, """---
id: PM-2021-007
date: 2021-04-02
---
# 全体プッシュ通知によるWebサーバ負荷スパイク

## 被害の最小化・再発防止策

- [ ] 全体プッシュ通知を10分かけて段階的に送信する（担当: @natsu, 期限: 2021年4月30日, フェーズ: 開発時, 分類: 再発防止）
- [ ] 手動スケールアウト手順を手順書にまとめる（担当：山田, 期限：2021/04/16, フェーズ：本番リリース後, 分類：復旧時間短縮）
""")
    pm = read_file(path).postmortem
    assert pm is not None and pm.title == "全体プッシュ通知によるWebサーバ負荷スパイク"
    first, second = pm.actions
    assert first.title == "全体プッシュ通知を10分かけて段階的に送信する"
    assert (first.owner, first.due, first.phase, first.category) == (
        "natsu", dt.date(2021, 4, 30), Phase.DEVELOPMENT, Category.RECURRENCE)
    assert (second.owner, second.due, second.phase, second.category) == (
        "山田", dt.date(2021, 4, 16), Phase.POST_RELEASE, Category.RECOVERY)


def test_table_with_varied_column_names(tmp_path: Path) -> None:
    path = write(tmp_path, """# Incident
## 再発防止策
| No | 対応内容 | 担当者 | 期限 | フェーズ | 分類 | 優先度 | 状況 | チケット |
|----|---------|-------|-----|---------|-----|-------|-----|---------|
| 1 | 遅延アラートを追加する | @sato | 2023-07-14 | 本番リリース後 | 検知 | 高 | 完了 | OPS-12 |
| 2 | 設定値のCIチェックを追加する | 未定 | | 開発時 | 再発防止 | P2 | 未着手 | [OPS-13](https://jira.example.com/browse/OPS-13) |
""")
    pm = read_file(path).postmortem
    assert pm is not None
    first, second = pm.actions
    assert (first.title, first.owner, first.priority, first.done, first.ticket) == (
        "遅延アラートを追加する", "sato", "P1", True, "OPS-12")
    assert second.owner is None and second.due is None and second.done is False
    assert second.ticket == "https://jira.example.com/browse/OPS-13"
    assert (first.line, second.line) == (5, 6)


def test_sub_headings_and_parent_bullets_tag_the_actions_below(tmp_path: Path) -> None:
    path = write(tmp_path, """# Outage
## Action items
### Detection
- Page on-call when queue depth exceeds 10k for 5 minutes — @ana, due: 2024-05-01
### 開発時
- 接続プールの上限をテストで検証する
- Recovery:
  - Write the failover runbook — @bo
""")
    pm = read_file(path).postmortem
    assert pm is not None
    alert, pool, runbook = pm.actions
    assert alert.category is Category.DETECTION and alert.owner == "ana"
    assert pool.phase is Phase.DEVELOPMENT and pool.category is None
    assert runbook.category is Category.RECOVERY and runbook.phase is Phase.DEVELOPMENT


def test_sub_bullets_are_details_of_their_action(tmp_path: Path) -> None:
    path = write(tmp_path, """# Outage
## Follow-ups
- Add a canary stage to the deploy pipeline
  - owner: @kim
  - due: 2024-06-01
  - Roll back automatically when the error rate doubles
- Second action @lee
""")
    pm = read_file(path).postmortem
    assert pm is not None and len(pm.actions) == 2
    canary = pm.actions[0]
    assert canary.owner == "kim" and canary.due == dt.date(2024, 6, 1)
    assert "Roll back automatically" in canary.text and canary.end_line == 6
    assert pm.actions[1].owner == "lee"


def test_only_action_sections_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, """# Outage
## Timeline
- 10:05 connector stops
## Action items
- Alert on lag — @ana
```
- not an action, inside a code fence
```
## Lessons learned
- We were lucky
""")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [a.title for a in pm.actions] == ["Alert on lag"]


def test_noqa_and_explicit_id_comments(tmp_path: Path) -> None:
    path = write(tmp_path, """# Outage
## Action items
- Double-check the config <!-- noqa: AT101 --> <!-- id: cfg-check -->
- Be careful <!-- noqa -->
""")
    pm = read_file(path).postmortem
    assert pm is not None
    first, second = pm.actions
    assert first.title == "Double-check the config"
    assert first.noqa == frozenset({"AT101"}) and first.id.endswith(":cfg-check") and first.explicit_id
    assert second.noqa == frozenset()


def test_postmortem_without_id_gets_one_from_its_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, "# Outage\n## Action items\n- Alert on lag\n", name="2024-05-01 db outage.md")
    pm = read_file(path).postmortem
    assert pm is not None and pm.id == "2024-05-01-db-outage" and pm.date == dt.date(2024, 5, 1)


def test_action_id_survives_reordering_and_cosmetic_edits(tmp_path: Path) -> None:
    before = write(tmp_path, "# X\n## Action items\n- Alert on lag — @a\n- Add a CI test\n", "a.md")
    after = write(tmp_path, "# X\n## Action items\n- add a **CI** test!\n- alert on  LAG — @b, due: 2024-01-01\n", "b.md")
    ids_before = {a.title.lower(): a.id.split(":")[1] for a in read_file(before).postmortem.actions}  # type: ignore[union-attr]
    ids_after = [a.id.split(":")[1] for a in read_file(after).postmortem.actions]  # type: ignore[union-attr]
    assert ids_after == [ids_before["add a ci test"], ids_before["alert on lag"]]


def test_directory_walk_skips_files_that_are_not_postmortems(tmp_path: Path) -> None:
    write(tmp_path, "# Team notes\nNothing here.\n", "README.md")
    write(tmp_path, "# Notes\njust text\n", "notes.md")
    write(tmp_path, "[lint]\nselect = ['ALL']\n", "actiontrack.toml")
    write(tmp_path, "# Outage\n## Action items\n- Alert on lag\n", "pm.md")
    results = read_paths([tmp_path])
    assert [r.path.name for r in results] == ["pm.md"]


def test_postmortem_without_action_section_is_still_read_when_it_looks_like_one(tmp_path: Path) -> None:
    write(tmp_path, "# Incident: DB down\n## Root cause\nDisk full.\n", "pm.md")
    (result,) = read_paths([tmp_path])
    assert result.postmortem is not None and result.postmortem.actions == ()
    assert result.postmortem.has_action_section is False


def test_a_name_signed_after_a_dash_is_the_owner(tmp_path: Path) -> None:
    path = write(tmp_path, """# Incident report: DNS failures
## What we'll do differently
### Prevent
1. Add a CI check that fails the build when the cache size exceeds 10k — Priya (due 2025-03-01)
2. Fix the resolver fallback — Safari only
### Detect
3. Page when SERVFAIL rate > 1% for 3 minutes — Tom Baker
""")
    pm = read_file(path).postmortem
    assert pm is not None
    first, second, third = pm.actions
    assert (first.owner, first.due, first.category) == ("Priya", dt.date(2025, 3, 1), Category.RECURRENCE)
    assert second.owner is None and second.title == "Fix the resolver fallback — Safari only"
    assert (third.owner, third.category) == ("Tom Baker", Category.DETECTION)


def test_fields_after_an_ideographic_space(tmp_path: Path) -> None:
    path = write(tmp_path, "# 障害\n## 恒久対応\n"
                           "1. サーキットブレーカーを導入する　担当：佐々木　期限：2025/05/16\n")
    (action,) = read_file(path).postmortem.actions  # type: ignore[union-attr]
    assert (action.title, action.owner, action.due) == ("サーキットブレーカーを導入する", "佐々木", dt.date(2025, 5, 16))


def test_a_priority_opening_the_item_is_the_priority(tmp_path: Path) -> None:
    path = write(tmp_path, "# Incident\n## Action Items\n"
                           "* [ ] **[P1]** Alert when evictions exceed 1,000/s for 5 min (@alice, 2025-05-15)\n"
                           "* [ ] P2: Switch the eviction policy (@bob)\n"
                           "* [ ] P2P replication check for the cache\n")
    first, second, third = read_file(path).postmortem.actions  # type: ignore[union-attr]
    assert (first.title, first.priority, first.owner) == (
        "Alert when evictions exceed 1,000/s for 5 min", "P1", "alice")
    assert (second.title, second.priority) == ("Switch the eviction policy", "P2")
    assert (third.title, third.priority) == ("P2P replication check for the cache", None)


def test_plain_text_report_with_marked_sections_and_month_day_dues(tmp_path: Path) -> None:
    path = write(tmp_path, """# 【障害報告】ログイン不可（2025/06/18）

■原因
認証サーバの証明書が期限切れとなった。

■再発防止策
| 優先度 | 対策 | 担当 | 期限 | ステータス |
|:---:|---|---|---|---|
| 高 | 証明書の期限が30日を切ったらSlackに通知する | 山本 | 6/30 | 対応中 |
| 中 | 証明書更新手順を手順書にまとめる | 佐藤 | 7/15 | 完了 |
""")
    pm = read_file(path).postmortem
    assert pm is not None and pm.date == dt.date(2025, 6, 18)
    first, second = pm.actions
    assert (first.owner, first.due, first.priority, first.done) == ("山本", dt.date(2025, 6, 30), "P1", False)
    assert (second.due, second.done) == (dt.date(2025, 7, 15), True)


def test_an_owner_in_square_brackets_and_a_date_in_parentheses(tmp_path: Path) -> None:
    path = write(tmp_path, """# Incident review
Date: 2025-02-03

## Action items
1. Add an upload test through the proxy [Alice] (2025-02-14)
2. Alert on the 413 rate [Alice, Bob] (due 2025-02-21)
3. Ship the fix [WIP] (2025-02-14)
4. Rotate the key [OPS-12]
5. Move the [Docs] page to the wiki
""")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [(a.title, a.owner, a.due) for a in pm.actions] == [
        ("Add an upload test through the proxy", "Alice", dt.date(2025, 2, 14)),
        ("Alert on the 413 rate", "Alice, Bob", dt.date(2025, 2, 21)),
        ("Ship the fix [WIP]", None, dt.date(2025, 2, 14)),  # a marker in capitals names nobody; the date is due
        ("Rotate the key", None, None),
        ("Move the [Docs] page to the wiki", None, None),  # not trailing: prose
    ]
    assert pm.actions[3].ticket == "OPS-12"


def test_middle_dots_separate_fields_and_a_bare_status_word_ends_the_run(tmp_path: Path) -> None:
    path = write(tmp_path, """# INC-1
Date: 2025-01-21

## Follow-ups
- Follow-up: Validate flag defaults in CI · Assignee: Priya Nair · Due: 2025-02-07
- Follow-up: Document the flag rollback · Assignee: Sam Okafor · Due: 2025-02-14 · Completed
- 接続プールの上限を引き上げた（担当：田中、完了）
- Keep the follow-up work small · it is done when the graph is flat
""")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [(a.title, a.owner, a.due, a.done) for a in pm.actions] == [
        ("Validate flag defaults in CI", "Priya Nair", dt.date(2025, 2, 7), False),
        ("Document the flag rollback", "Sam Okafor", dt.date(2025, 2, 14), True),
        ("接続プールの上限を引き上げた", "田中", None, True),
        ("Keep the follow-up work small · it is done when the graph is flat", None, None, False),
    ]


def test_status_emoji_and_tags_opening_an_item(tmp_path: Path) -> None:
    path = write(tmp_path, """# Notion export
Date: 2025-03-04

## Action Items
- [ ] ✅ Roll back the pool size
- [ ] 🚧 Alert on p99 latency above 800 ms
- [ ] #detect #post-release Log the build id @ravi 2025-01-31
- [ ] #db-alerts gets the new alert
""")
    pm = read_file(path).postmortem
    assert pm is not None
    first, second, third, fourth = pm.actions
    assert (first.title, first.done) == ("Roll back the pool size", True)
    assert (second.title, second.done) == ("Alert on p99 latency above 800 ms", False)
    assert (third.title, third.category, third.phase, third.owner) == (
        "Log the build id", Category.DETECTION, Phase.POST_RELEASE, "ravi")
    assert fourth.title == "#db-alerts gets the new alert"


def test_backslash_escapes_and_person_chips_from_google_docs(tmp_path: Path) -> None:
    path = write(tmp_path, """# Postmortem
**Incident date:** Feb 11, 2025

## Action items
* Fix the token expiry \\- Owner: [Lucia Gomez](mailto:lucia@example.com) \\- Due: Feb 14, 2025
* Keep \\[x\\] out of titles \\- Owner: @ana
""")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [(a.title, a.owner, a.due) for a in pm.actions] == [
        ("Fix the token expiry", "Lucia Gomez", dt.date(2025, 2, 14)),
        ("Keep [x] out of titles", "ana", None),
    ]


def test_a_hard_wrapped_description_is_one_title(tmp_path: Path) -> None:
    path = write(tmp_path, """# Postmortem
Date: 2025-02-17

## Action items
- [ ] Route balance reads to the primary whenever the replica lag reported by the
      proxy is above 2 seconds
      (owner: @nadia, due: 2025-03-07)
- [ ] Page the on-call when the replica lag of any database stays above 5 seconds.
  see the lag dashboard for the current numbers
- [ ] Write the failover procedure
  with the commands to run
- [ ] Add a replica lag panel to the accounts dashboard for the on-call team
  Context: the old panel was deleted in March
""")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [a.title for a in pm.actions] == [
        "Route balance reads to the primary whenever the replica lag reported by the proxy is above 2 seconds",
        "Page the on-call when the replica lag of any database stays above 5 seconds.",  # ended
        "Write the failover procedure",  # too short to be a wrapped line
        "Add a replica lag panel to the accounts dashboard for the on-call team",
    ]
    assert (pm.actions[0].owner, pm.actions[0].due) == ("nadia", dt.date(2025, 3, 7))
    assert "see the lag dashboard" in pm.actions[1].text


def test_a_key_value_table_whose_first_pair_is_the_header(tmp_path: Path) -> None:
    confluence = write(tmp_path, """# Post-incident review

| **Incident date** | 12 Feb 2025 |
|---|---|
| **Severity** | SEV1 |

## Remediation actions
- Take a lock before a reindex
""", "a.md")
    timeline = write(tmp_path, """# Post-incident review

| Date | Event |
|---|---|
| 2025-02-12 | Paged |

## Remediation actions
- Take a lock before a reindex
""", "b.md")
    first, second = (read_file(p).postmortem for p in (confluence, timeline))
    assert first is not None and second is not None
    assert (first.date, first.severity) == (dt.date(2025, 2, 12), "SEV1")
    assert second.date is None


def test_a_link_in_the_words_is_no_ticket_and_a_bracketed_url_loses_its_bracket(tmp_path: Path) -> None:
    path = write(tmp_path, """# Postmortem
Date: 2025-02-03

## Action items
- Add the lag panel to [Grafana](https://grafana.example.com/d/1)
- Page on lag above 5 s (https://github.com/o/r/issues/4)
- Add the lag alert [OPS-12](https://jira.example.com/browse/OPS-12)
""")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [(a.title, a.owner, a.ticket) for a in pm.actions] == [
        ("Add the lag panel to Grafana", None, None),
        ("Page on lag above 5 s", None, "https://github.com/o/r/issues/4"),
        ("Add the lag alert", None, "OPS-12"),
    ]


def test_parenthesised_numbers_are_items(tmp_path: Path) -> None:
    path = write(tmp_path, """# 障害報告
発生日：2025年4月8日

## 改善策
(1) スロークエリを検知するアラートを追加する（担当：森、期限：2025/4/25）
（２）在庫テーブルにインデックスを追加する（担当：森、期限：2025/4/18）
⑶ 負荷試験を検証環境で実施する（担当：林、期限：2025/5/9）
""")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [(a.line, a.title, a.owner) for a in pm.actions] == [
        (5, "スロークエリを検知するアラートを追加する", "森"),
        (6, "在庫テーブルにインデックスを追加する", "森"),
        (7, "負荷試験を検証環境で実施する", "林"),
    ]


def test_a_name_and_a_date_signed_after_the_words(tmp_path: Path) -> None:
    path = write(tmp_path, """# Postmortem
Date: 2025-04-08

## Action items
- Add a slow query alert — Alice — 2025-04-25
- Add the index (Alice, Apr 18, 2025)
- Fix the layout — Safari only
- Upgrade the pool (Detection, 2025-04-18)
""")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [(a.title, a.owner, a.due) for a in pm.actions] == [
        ("Add a slow query alert", "Alice", dt.date(2025, 4, 25)),
        ("Add the index", "Alice", dt.date(2025, 4, 18)),
        ("Fix the layout — Safari only", None, None),
        ("Upgrade the pool (Detection, 2025-04-18)", None, None),
    ]
