"""The vague-action rule reads what an action commits to, in the shapes issue 10 lists.

Each case names the predicate class it exercises; both outcomes in both languages. The
examples were written for these tests (not taken from the corpus).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actiontrack import judge
from actiontrack.model import Action
from actiontrack.wording import find_vague

VAGUE_EN = [
    "Improve the deploy pipeline to be more robust",  # improvement, the object is no change
    "Improve the scheduler to be more reliable",
    "Fix the problem behind the incident",  # a change of nothing named
    "Take a more proactive approach to capacity planning",  # a stance
    "Reflect on the incident",  # investigation, no deliverable
    "Figure out how to avoid this next time",
    "Continue trying to reduce toil",  # effort
    "Investigate the root cause",  # the question names nothing
    # a question alone is no deliverable (the corpus's labellers: "even when an explanation is implied")
    "Investigate why consumers did not reconnect after the broker upgrade",
    "Investigate the root cause of the OOM in the connector",
    "Monitor the queue better",
    "Follow up with the vendor",  # open-ended
    "Remind everyone to check the dashboard",  # the dashboard is what they check, not a mechanism
    "Ensure adequate testing",
    "Setup better monitoring and paging systems",
    "Investigate if we can use IPv6 for the pods",  # asks whether a remedy is possible
    "Can teams use containerised databases?",  # an open question
    "We will strive to reduce the time PRs wait before release",
    "Config management should be a top priority.",
    "Improve alerting for the scheduler (#123)",  # a ticket link does not make it concrete
    # a modify verb on a whole container says that it changes, not how (the clause is a purpose)
    "We tuned the paging rules to allow for faster detection",
    "To shorten outages like this, we updated our playbooks",  # a fronted purpose clause
    "Extra monitoring added to catch this earlier",  # a passive: the subject is what changed
    "Additional safeguards have been applied to the cluster to reduce the risk",
    "The on-call will be closely watching replication lag",  # people watching, no mechanism
    "Address the root cause of the slow queries",  # the head noun before 'of' names nothing
    "Our alerting sensitivity will be adjusted to catch this sooner",  # 'Our alerting' is a noun
    "Circulate this to the team as a reminder",  # an unlisted verb, read by its place; 'this' is nothing named
    "Make the build pipeline more robust",  # make + a quality: the pipeline is named, the change is not
    "Make our paging smarter",
    "Reduce the time taken from fix to release",  # a quantity verb on an outcome: a goal, not a change
    "Decrease the risk of config drift",
    "Increase awareness of the restore runbook among engineers",  # a quality gained, not a change
]
CONCRETE_EN = [
    "Add latency metrics to the gateway to improve visibility",  # purpose clause
    "Investigate the root cause of the OOM and write up the findings by Friday",
    "Investigate why consumers did not reconnect and add a reconnect test to CI",
    "Determine how many nodes are not mounting /var/lib/docker",
    "Research and design a high availability proxy for the ingestion endpoint",  # and a deliverable
    "Inform affected users by email within 24 hours",  # a notice to users, not a reminder
    "Keep an eye on lag with an alert at 60 s for 5 minutes",
    "Reduce the number of streaming processes from 16 to 12",
    "Audit the last 30 days of webhooks for forged events",
    "The hub route checking should be parallelized so that startup is not slow.",
    "The vulnerable GitHub Action has been disabled and removed from all repositories",
    "Have alerting for when pods stay in Pending state for more than ten minutes",
    "Update the deploy script to run migrations before switching traffic",  # says how it changes
    "We have fixed this by raising the connection limit",  # the means is named
    "Ship a fix for parsing empty webhook payloads",  # what the fix fixes is named
    "The stale feature flag has been removed from the checkout service",  # a concrete subject
    "Fix the retry logic of the payment consumer",  # the head before 'of' is a named thing
    "Add safeguards to the router to reject requests without a tenant header",  # what they do
    "Snapshot the database before every migration",  # an unlisted verb with a named object
    "Make the importer faster by batching inserts",  # make + a quality, and the means
    "Make the status page load in under 2 seconds",  # a number bounds it
    "Make `sync.sh` more robust",  # a name written as code
    "Reduce the connection pool size of the API",  # on a setting: the change itself
    "Reduce the build time to under 10 minutes",  # an outcome with its target
    "Increase the replica count of the API to 3",
]
VAGUE_JA = [
    "監視体制の強化",  # 〜の強化
    "設計レビューの精緻化",  # 〜の精緻化
    "運用手順の見直し",  # 〜の見直し
    "訓練を行う",  # training with no scope or schedule
    "確認を徹底し、再発防止に努めます",
    "今後の対応を検討してまいります",
    "通信障害の長期化を防ぐための対策",  # a bare 対策
    "関係者へ周知する",
    "システム改修についても検討している",
    "手順の重要性について改めて周知徹底します",  # 改めて is an adverb, not a change
    "今後は二度とこのようなことのないように全社的に確認する",  # the purpose is no object
    "次はもっと余裕を持って準備します",  # an attitude
    "証明書の更新はまだ実施できていません。対応を検討中です",  # what is not done commits to nothing
    "ビルドパイプラインをより堅牢にする",  # 〜をより…にする: a quality to gain, no change
    "障害時の連絡をより迅速にする",
    "復旧時間を短縮する",  # 短縮・低減 of an outcome with no target
    "作業ミスのリスクを低減する",
    "復旧手順書の認知度を高める",  # the same quality in Japanese
]
CONCRETE_JA = [
    "外部記憶媒体への出力を抑制する仕組みを導入する",
    "再発防止検討委員会を設置しました",  # 検討 inside a compound noun is no investigation
    "附票の写しを職員以外が発行できないように、戸籍システムを改修する",
    "全職員を対象に個人情報の取扱いに関する研修を年1回実施する",  # audience and schedule
    "監視を強化し、p99が2秒を超えたらアラートを出す",  # a concrete clause after a vague one
    "リリース判定会議でチェックリストを確認する",
    "中継機の故障を検知する機能を改善した",  # a done follow-up
    "設定変更は、CIで差分を検査するジョブを追加する",  # 「変更は」 is the topic, the job the change
    "監視対象の一覧を compose 定義に同期する",  # 同期する is no 期す (an effort)
    "取得間隔をより短く、6時間ごとにバックアップを取得するよう変更する",  # a concrete clause after it
    "本日より新しい手順書での運用を開始する",  # 〜より after a noun is "from", no comparison
    "復旧時間を30分以内に短縮する",  # the target is named
    "手作業を削減するため、デプロイをCIで自動化する",  # 削減 is the purpose; the change is named
]


@pytest.mark.parametrize("text", VAGUE_EN + VAGUE_JA)
def test_vague_commitments_are_flagged_with_a_hint(text: str) -> None:
    found = find_vague(text)
    assert found is not None, text
    assert found.phrase and found.phrase in text
    assert found.suggestion and found.reason


@pytest.mark.parametrize("text", CONCRETE_EN + CONCRETE_JA)
def test_concrete_commitments_are_not_flagged(text: str) -> None:
    assert find_vague(text) is None


def test_the_hint_names_what_was_found() -> None:
    found = find_vague("Improve the deploy pipeline to be more robust")
    assert found is not None and "'the deploy pipeline'" in found.suggestion
    found = find_vague("設計レビューの精緻化")
    assert found is not None and "設計レビュー" in found.suggestion
    found = find_vague("訓練を行う")
    assert found is not None and "対象者" in found.suggestion


def _action(title: str, text: str) -> Action:
    return Action("pm#1", "pm", title, Path("pm.md"), 3, 4, 0, text)


def test_details_can_show_a_vague_title_concrete() -> None:
    title = "Improve alerting"
    action = _action(title, title + "\nAlert when queue depth > 1000 for 5 min")
    assert judge.vague(action) is None
    assert judge.vague(_action(title, title)) is not None


def test_a_description_never_makes_a_concrete_title_vague() -> None:
    title = "Add a CI test that fails when max.batch.size exceeds 2048"
    action = _action(title, title + ": we should be more careful and improve testing overall")
    assert judge.vague(action) is None


def test_japanese_details_can_show_a_vague_title_concrete() -> None:
    title = "監視を強化する"
    action = _action(title, title + "\n  - レプリケーション遅延が60秒を5分超えたらオンコールにアラートを出す")
    assert judge.vague(action) is None
    assert judge.vague(_action(title, title)) is not None


def test_a_quality_to_gain_is_quoted_with_the_quality() -> None:
    """"Make … more robust" / 「…をより堅牢にする」: the finding quotes the quality asked for."""
    english, japanese = find_vague("Make the build pipeline more robust"), find_vague("ビルドパイプラインをより堅牢にする")
    assert english is not None and english.phrase.endswith("more robust")
    assert japanese is not None and japanese.phrase.endswith("をより堅牢に")
