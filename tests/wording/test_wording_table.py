"""The case table: real-looking actions with what every detector and suggester must say.

Each row is one action as users write it (owners, dates and tags already stripped by the
reader), with the expected phase and category suggestion ("?" = cannot tell) and, for each
wording detector, the exact phrase it must report (None = must not fire). The table is
also run by tests/tagging/test_tagging_table.py for the phase/category columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from actiontrack.wording import find_error_hiding, find_oversized, find_punitive, find_vague


@dataclass(frozen=True)
class Case:
    text: str
    phase: str  # "dev" | "ver" | "post" | "?"
    category: str  # "rc" | "pf" | "re" | "de" | "rv" | "?"
    vague: str | None = None
    hiding: str | None = None
    punitive: str | None = None
    oversized: str | None = None


C = Case
CASES: tuple[Case, ...] = (
    # --- the shared samples (/work/shared/samples/postmortems) ---------------------------
    C("Put the upstream in a variable so nginx re-resolves it (`set $upstream api.local:8080`)",
      "dev", "?"),
    C("Alert on the share of 502 responses at the proxy above 1% for 2 minutes", "post", "de"),
    C("Add a staging deploy check that replaces the API task and asserts the proxy still "
      "answers 200", "ver", "re"),
    C("Improve monitoring", "post", "de", vague="Improve monitoring"),
    C("Ensure proper monitoring is in place", "post", "de", vague="Ensure proper monitoring"),
    C("Ensure proper monitoring of queue depth: alert when it exceeds 10k for 5 minutes", "post", "de"),
    C("Investigate nginx resolver settings", "dev", "rc",
      vague="Investigate nginx resolver settings"),
    C("Add a nightly job that diffs every master table between staging and production and "
      "posts differences to #db-alerts.", "post", "de"),
    C("Make master-data migrations use upsert with explicit conflict handling instead of "
      "plain INSERT.", "dev", "re"),
    C("Double-check master data before every release.", "ver", "re", vague="Double-check"),
    C("Document how to roll back a failed Flyway migration on one host.", "post", "rv"),
    C("全体プッシュ通知を10分かけて段階的に送信するようにする", "dev", "re"),
    C("特定時刻に発火するバッチにランダムなゆらぎを自動で付与する", "dev", "re"),
    C("レスポンス速度の劣化とslow queryを監視し、閾値超過でSlackに通知する", "post", "de"),
    C("手動スケールアウト手順を手順書にまとめる", "post", "rv"),
    C("今後は細心の注意を払って確認を入念に行う", "dev", "re", vague="細心の注意を払って"),
    C("5xxのアラートが鳴らないようにエラーを握りつぶす", "post", "de",
      hiding="5xxのアラートが鳴らないようにエラーを握りつぶす"),
    C("Confirm from heap dumps whether the OOM was caused by the large-transaction snapshot",
      "post", "rc"),
    C("Alert when connector replication lag exceeds 60 seconds for 5 minutes", "post", "de"),
    C("Replace the manual host restart with a liveness probe that restarts the connector",
      "post", "pf"),
    C("Write a runbook for replaying the connector backlog, and rehearse it once in staging",
      "post", "rv"),
    C("Be more careful when reviewing connector configuration changes", "dev", "re",
      vague="Be more careful"),
    C("Add a CI test that fails when a connector config sets max.batch.size above 2048",
      "dev", "re"),
    C("Label pull requests that are safe to roll back, and show the label in the release "
      "checklist", "?", "rv"),
    C("Add an IAM policy simulation step to the deploy pipeline that fails when a new API "
      "call lacks permission", "ver", "re"),
    C("Canary the release to 5% of tasks and roll back automatically when the error rate "
      "doubles", "post", "de"),
    C("Rewrite the whole deployment platform", "dev", "re",
      oversized="Rewrite the whole deployment platform"),
    # --- concrete English: development ---------------------------------------------------
    C("Add a unit test that reproduces the duplicate-key insert and fails on plain INSERT",
      "dev", "re"),
    C("Add a lint rule that rejects proxy_pass with a literal host name", "dev", "re"),
    C("Make OrderId a distinct type so a CustomerId can no longer be passed by mistake",
      "dev", "re"),
    C("Add a CODEOWNERS entry so connector config changes need a review from the data team",
      "dev", "re"),
    C("Add a pre-commit hook that validates every Flyway migration file name", "dev", "re"),
    C("Add exponential backoff with jitter to the push sender", "dev", "re"),
    C("Rate limit the password reset endpoint to 5 requests per minute per account",
      "dev", "re"),
    C("Add a unique constraint on (tenant_id, external_id) so duplicates are rejected",
      "dev", "re"),
    C("Add the nginx resolver pitfall to the onboarding docs for backend engineers",
      "dev", "re"),
    C("Upgrade the Debezium library to 2.4, which exits on OOM instead of hanging", "dev", "re"),
    C("Make the retry idempotent by sending an idempotency key with each payment request",
      "dev", "re"),
    C("Add a checkbox for rollback safety to the pull request template", "dev", "rv"),
    # --- concrete English: verification --------------------------------------------------
    C("Add the duplicate-master-data case to the QA checklist", "ver", "re"),
    C("Run a load test at 3x peak traffic in staging before each release", "ver", "re"),
    C("Rehearse the Flyway rollback in staging once per quarter", "ver", "rv"),
    C("Add a smoke test to the release pipeline that logs in and loads the timeline",
      "ver", "re"),
    C("Add an acceptance test for push fan-out with 1M recipients", "ver", "re"),
    # --- concrete English: post-release ---------------------------------------------------
    C("Page the on-call when the 5xx rate at the load balancer exceeds 2% for 5 minutes",
      "post", "de"),
    C("Add a Grafana dashboard panel for connector lag per table", "post", "de"),
    C("Send slow queries over 500 ms to the #db-perf channel with the query plan",
      "post", "de"),
    C("Add a synthetic check that posts an order every minute and alerts if it is not "
      "readable within 30 s", "post", "de"),
    C("Write a playbook for failing over the primary database to the replica", "post", "rv"),
    C("Automate the restore of the orders table from the nightly backup", "post", "rv"),
    C("Add a kill switch that disables push fan-out without a deploy", "post", "rv"),
    C("Roll out config changes with a canary on 1 host for 15 minutes first", "post", "de"),
    C("Set up an SLO for checkout availability with a burn-rate alert", "post", "de"),
    C("Configure the connector supervisor to restart the task when the heartbeat stops",
      "post", "?"),
    C("Remove the hotfix that pins the upstream IP once the resolver change ships",
      "dev", "pf"),
    C("Replace the temporary cron that restarts the connector with a proper health check",
      "post", "pf"),
    C("Determine why autoscaling took 6 minutes to add capacity", "post", "rc"),
    C("Reproduce the stall with a 2 GB transaction in a sandbox", "ver", "rc"),
    C("Find out which client sent the 40k requests per second at 20:01", "dev", "rc",
      vague="Find out which client sent the 40k requests per second at 20"),
    # --- vague English: flagged ----------------------------------------------------------
    # "production" names where a change lands, not its phase: editing config, approving deploys and
    # revoking access are development (the labelled corpus: 8 of 37 "production" actions post-release)
    C("Be careful when editing production config", "dev", "re", vague="Be careful"),
    C("Everyone should pay more attention to deploy warnings", "?", "?",
      vague="pay more attention"),
    C("Check the migration scripts more carefully", "dev", "re",
      vague="Check the migration scripts more carefully"),
    C("Review config changes thoroughly", "dev", "re", vague="Review config changes thoroughly"),
    C("Remind the team to update the status page during incidents", "post", "rv",
      vague="Remind the team"),
    C("Raise awareness of the push notification load pattern", "dev", "re",
      vague="Raise awareness"),
    C("Keep in mind that master data differs between environments", "dev", "re",
      vague="Keep in mind"),
    C("Try to avoid large transactions in the connector database", "dev", "re",
      vague="Try to"),
    C("We will strive to keep staging in sync with production", "ver", "re",
      vague="strive to"),
    C("Make sure to check the resolver config before deploying", "ver", "re",
      vague="Make sure to"),
    C("Improve alerting for the CDC pipeline", "post", "de", vague="Improve alerting"),
    C("Add more tests", "dev", "re", vague="Add more tests"),
    C("Better error handling in the connector", "dev", "re",
      vague="Better error handling"),
    C("Keep an eye on replication lag", "post", "de", vague="Keep an eye on"),
    C("Look into the OOM", "dev", "rc", vague="Look into the OOM"),
    C("Share the learnings with all teams", "dev", "re", vague="Share the learnings with all teams"),
    C("Be aware of DNS caching in nginx", "dev", "re", vague="Be aware"),
    C("Strictly follow the release procedure", "?", "rv", vague="Strictly follow"),
    C("Strengthen code reviews", "dev", "re", vague="Strengthen code reviews"),
    C("Consider using a managed CDC service", "dev", "re",
      vague="Consider using a managed CDC service"),
    C("Ensure adequate testing", "ver", "re", vague="Ensure adequate testing"),  # testing as an activity
    C("Ensure proper documentation", "dev", "re", vague="Ensure proper documentation"),
    # --- vague words anchored to a mechanism: not flagged -----------------------------------
    C("Double-check master data via a checklist step in the release template", "ver", "re"),
    C("Improve monitoring by adding an alert on p99 latency > 2s", "post", "de"),
    C("Investigate nginx resolver settings and write up the findings by 2020-10-09", "dev", "rc"),
    C("Investigate whether the connector hangs on every OOM and decide between restart "
      "and resize", "dev", "rc"),
    C("Be more careful with batch sizes: add a CI check that fails above 2048", "dev", "re"),
    C("Make sure the deploy pipeline fails when a migration inserts into a master table",
      "ver", "re"),
    C("Remind reviewers with a checklist item in the pull request template", "dev", "re"),
    C("Keep an eye on lag with an alert at 60 s for 5 minutes", "post", "de"),
    C("Investigate the root cause of the OOM", "dev", "rc", vague="Investigate the root cause of the OOM"),
    # --- error hiding (English) -------------------------------------------------------------
    C("Silence the 5xx alert during the nightly batch", "post", "de",
      hiding="Silence the 5xx alert during the nightly batch"),
    C("Mute the noisy replication lag alerts", "post", "de",
      hiding="Mute the noisy replication lag alerts"),
    C("Swallow connector exceptions so the task keeps running", "dev", "re",
      hiding="Swallow connector exceptions"),
    C("Catch all exceptions and continue in the push sender", "?", "?",
      hiding="Catch all exceptions and continue"),
    C("Raise the error-rate alert threshold from 1% to 5%", "post", "de",
      hiding="Raise the error-rate alert threshold"),
    C("Return 200 instead of 500 on upstream timeouts", "dev", "re",
      hiding="Return 200 instead of 500"),
    C("Suppress the stack traces from the order API logs", "post", "de",
      hiding="Suppress the stack traces"),
    C("Exclude 5xx responses from the error rate SLO", "post", "de",
      hiding="Exclude 5xx responses from the error rate"),
    C("Downgrade connector errors to warnings", "dev", "re",
      hiding="Downgrade connector errors to warnings"),
    C("Tune the disk alert so that it no longer fires at night", "post", "de",
      hiding="so that it no longer fires at night"),
    # --- not error hiding -----------------------------------------------------------------
    C("Replace the flaky ping alert with an SLO burn-rate alert on checkout", "post", "de"),
    C("Deduplicate alerts so one incident pages once", "post", "de"),
    C("Stop logging card numbers in the payment service", "post", "de"),
    C("Raise the autoscaling threshold for the worker pool to 70% CPU", "post", "?"),
    C("Ignore timeouts from the optional recommendation service and fall back to defaults",
      "dev", "re"),
    C("Disable alerts for the planned maintenance window on Sunday", "post", "de"),
    C("Remove the obsolete disk alert on the old cluster", "post", "de"),
    C("Turn off the legacy warning emails from the old cron", "post", "?"),
    # --- punitive (English) ----------------------------------------------------------------
    C("Freeze all releases until the end of the quarter", "dev", "re",
      punitive="Freeze all releases"),
    C("Ban Friday deploys", "dev", "re", punitive="Ban Friday deploys"),
    C("No deploys on Fridays", "?", "?", punitive="No deploys on"),
    C("Require manager approval for every production deploy", "dev", "re",
      punitive="manager approval"),
    C("All changes must be approved by a director before merge", "dev", "re",
      punitive="All changes must be approved by a director"),
    C("Issue a written warning to the engineer who ran the migration", "dev", "?",
      punitive="written warning"),
    C("Revoke production access from the engineer who deleted the table", "dev", "re",
      punitive="Revoke production access from the engineer"),
    C("Hold the on-call engineer accountable for missed pages", "post", "rv",
      punitive="Hold the on-call engineer accountable"),
    C("Code freeze for two weeks while we stabilise", "dev", "?", punitive="Code freeze"),
    # --- not punitive ----------------------------------------------------------------------
    C("Block deploys when the IAM simulation step fails", "dev", "re"),
    C("Require a second reviewer for changes to connector configs", "dev", "re"),
    C("Run a blameless review of the paging policy", "post", "de"),
    C("Stop deploys automatically when the canary error rate doubles", "post", "de"),
    C("Add a deploy window check that fails outside business hours", "dev", "re"),
    # --- oversized (English) ----------------------------------------------------------------
    C("Re-architect the notification system from scratch", "dev", "?",
      oversized="Re-architect the notification system from scratch"),
    C("Migrate the monolith to microservices", "dev", "re",
      oversized="Migrate the monolith"),
    C("Rewrite the entire backend in Go", "dev", "re",
      oversized="Rewrite the entire backend"),
    C("Overhaul our infrastructure", "?", "?", oversized="Overhaul our infrastructure"),
    C("Replace the whole CI/CD pipeline", "dev", "re",
      oversized="Replace the whole CI/CD pipeline"),
    # --- bounded or small: not oversized ----------------------------------------------------
    C("Fire the engineer who pushed the change", "dev", "re", punitive="Fire the engineer"),
    C("Freeze all config changes until the new pipeline ships", "dev", "re",
      punitive="Freeze all config changes"),
    C("Rewrite the payments service in Rust", "dev", "re", oversized="Rewrite the payments service in Rust"),
    C("An admin interface to create a distribution from scratch", "?", "?"),
    C("Rewrite the deployment platform, starting with a design doc for the rollout service "
      "by 2025-03-01", "dev", "re"),
    C("Phase 1: move the connector offsets to the new platform", "dev", "re"),
    C("Refactor the connector config loader to validate max.batch.size", "dev", "re"),
    C("Replace the legacy cron with a Kubernetes CronJob", "post", "re"),
    C("Write an RFC for re-architecting the push platform and decide by 2021-06-30",
      "dev", "re"),
    # --- Japanese: concrete ----------------------------------------------------------------
    C("マスタデータのmigrationでINSERTではなくupsertを使うようにする", "dev", "re"),
    C("CIでmax.batch.sizeが2048を超えたら失敗するテストを追加する", "dev", "re"),
    C("レプリケーション遅延が60秒を5分超えたらオンコールにアラートを出す", "post", "de"),
    C("ステージング環境で本番相当のデータを使って負荷試験を実施する", "ver", "re"),
    C("リリース前チェックリストに「マスタデータの差分確認」を追加する", "ver", "re"),
    C("DBの切り戻し手順を手順書にまとめ、年1回リハーサルする", "post", "rv"),
    C("コネクタがOOMで停止した原因をヒープダンプから特定する", "post", "rc"),
    C("暫定対応の手動再起動を、liveness probeによる自動再起動に置き換える", "post", "pf"),
    C("エラー率のダッシュボードを作成する", "post", "de"),
    C("プッシュ通知の送信数に上限を設ける", "dev", "re"),
    C("障害時の初動手順をオンコール向けに整理する", "post", "rv"),
    C("nginxの設定でupstreamを変数にして名前解決を都度行う", "dev", "re"),
    C("原因を調査し、結果を2021-04-30までにまとめる", "dev", "rc"),
    # a 手順 / 手順書 with no word of restoring is a work procedure (recurrence in 9 of 10 labelled actions)
    C("手順をWikiにまとめ、オンボーディング資料に追加する", "dev", "re"),
    C("本番環境でのslow queryを検知したらSlackに通知する", "post", "de"),
    C("5xxが1分間に100件を超えたらPagerDutyでページする", "post", "de"),
    # --- Japanese: vague ------------------------------------------------------------------
    C("確認を徹底する", "dev", "re", vague="確認を徹底する"),
    C("リリース作業時は気をつける", "dev", "re", vague="気をつける"),
    C("設定変更時は注意する", "dev", "re", vague="注意する"),
    C("本番作業時は常に意識する", "?", "?", vague="意識する"),
    C("障害の内容をチーム全体に周知する", "dev", "re", vague="周知する"),
    C("周知する", "dev", "re", vague="周知する"),
    C("マスタデータを入念に確認する", "dev", "re", vague="入念に"),
    C("リリース前に十分に確認する", "ver", "re", vague="十分に確認"),
    C("デプロイ前に設定を再確認する", "ver", "re", vague="再確認する"),
    C("ミスをしないように心がける", "dev", "re", vague="ミスをしないように"),
    C("監視を強化する", "post", "de", vague="監視を強化"),
    C("レビュー体制を見直す", "dev", "re", vague="レビュー体制を見直す"),
    C("nginxのresolver設定を調査する", "dev", "rc", vague="nginxのresolver設定を調査する"),
    C("テストを強化する", "ver", "re", vague="テストを強化"),
    C("慎重にリリースする", "dev", "re", vague="慎重に"),
    C("ダブルチェックを徹底する", "ver", "re", vague="ダブルチェックを徹底する"),
    # --- Japanese: vague words anchored to a mechanism ------------------------------------
    C("確認を徹底するため、リリース前チェックリストに項目を追加する", "ver", "re"),
    C("監視を強化し、p99が2秒を超えたらアラートを出す", "post", "de"),
    C("手順書を作成し、チームに周知する", "dev", "re"),  # a work procedure, as above
    C("接続設定の変更は自動テストで再確認する", "dev", "re"),
    # --- Japanese: error hiding / not -----------------------------------------------------
    C("エラーを握りつぶして処理を継続する", "?", "?", hiding="エラーを握りつぶして"),
    C("アラートの閾値を引き上げる", "post", "de", hiding="閾値を引き上げ"),
    C("タイムアウトは無視する", "?", "?", hiding="タイムアウトは無視する"),
    C("エラーログを出さないようにする", "post", "de", hiding="エラーログを出さない"),
    C("夜間の監視アラートを停止する", "post", "de", hiding="夜間の監視アラートを停止する"),
    C("重複したアラート通知を抑制する", "post", "de"),
    C("個人情報を含むログの出力を停止する", "post", "de"),
    C("オートスケールの閾値を引き上げる", "post", "?"),
    # --- Japanese: punitive / not ---------------------------------------------------------
    C("当面の間リリースを禁止する", "dev", "re", punitive="リリースを禁止"),
    C("金曜日のデプロイを禁止する", "dev", "re", punitive="金曜日のデプロイを禁止"),
    C("すべてのリリースに部長の承認を必須とする", "?", "?", punitive="すべてのリリースに部長の承認"),
    C("担当者に始末書を提出させる", "dev", "re", punitive="始末書"),
    C("本番反映は二重承認にする", "?", "?", punitive="二重承認"),
    C("CIが失敗した場合はデプロイを禁止する", "dev", "re"),
    C("設定ファイルの変更にはCODEOWNERSでレビューを必須にする", "dev", "re"),
    C("リリース判定会議でチェックリストを確認する", "ver", "re"),
    # --- Japanese: oversized / not --------------------------------------------------------
    C("デプロイ基盤を全面的に刷新する", "?", "?", oversized="基盤を全面的に刷新"),
    C("システム全体をマイクロサービス化する", "?", "?", oversized="マイクロサービス化"),
    C("通知基盤を一から作り直す", "dev", "re", oversized="一から作り直"),
    C("アーキテクチャを再設計する", "dev", "?", oversized="アーキテクチャを再設計"),
    C("まず通知基盤の設計ドキュメントを作成し、その後刷新を進める", "dev", "re"),
    C("接続プールの設定を修正する", "dev", "pf"),
    C("フェーズ1としてプッシュ送信部分だけを新基盤に移行する", "dev", "re"),
    # --- mixed and noisy -------------------------------------------------------------------
    C("CIにlintを追加してproxy_passのリテラルホスト名を弾く", "dev", "re"),
    C("Slackの#db-alertsに差分を投稿するnightly jobを追加する", "post", "de"),
    C("runbookにconnector backlogのreplay手順を追記する", "post", "rv"),
    C("be more careful with 本番DB", "?", "?", vague="be more careful"),
    C("Alertの閾値を上げて鳴らないようにする", "post", "de", hiding="閾値を上げ"),
    C("今後はdouble-checkする", "?", "re", vague="double-check"),
    C("【暫定対応】手動でコネクタを再起動 → 恒久対応としてsupervisorの設定を変更する",
      "dev", "pf"),
    C("**Add a CI check** that fails when `max.batch.size` > 2048 (see PM-2023-014)",
      "dev", "re"),
    C("ALERT ON REPLICATION LAG > 60S", "post", "de"),
    C("Investigate", "dev", "rc", vague="Investigate"),
    C("", "?", "?"),
    C("TBD", "?", "?"),
    C("Update the specific catalog entries for the login dialog", "dev", "re"),
)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text[:60])
def test_vague(case: Case) -> None:
    found = find_vague(case.text)
    assert (found.phrase if found else None) == case.vague


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text[:60])
def test_error_hiding(case: Case) -> None:
    found = find_error_hiding(case.text)
    assert (found.phrase if found else None) == case.hiding


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text[:60])
def test_punitive(case: Case) -> None:
    found = find_punitive(case.text)
    assert (found.phrase if found else None) == case.punitive


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.text[:60])
def test_oversized(case: Case) -> None:
    found = find_oversized(case.text)
    assert (found.phrase if found else None) == case.oversized


def _is_japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("detector", ["vague", "hiding", "punitive", "oversized"])
@pytest.mark.parametrize("japanese", [False, True], ids=["en", "ja"])
def test_the_table_has_both_outcomes_in_both_languages(detector: str, japanese: bool) -> None:
    rows = [case for case in CASES if _is_japanese(case.text) == japanese]
    flagged = sum(getattr(case, detector) is not None for case in rows)
    assert flagged >= 4 and len(rows) - flagged >= 4, (flagged, len(rows))


def test_the_table_is_large_and_includes_the_samples() -> None:
    texts = {case.text for case in CASES}
    assert len(CASES) >= 150 and len(texts) == len(CASES)
    assert "Rewrite the whole deployment platform" in texts
    assert "手動スケールアウト手順を手順書にまとめる" in texts
