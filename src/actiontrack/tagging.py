"""Suggest a phase and a category for an untagged action from its wording (EN and JA).

Why cue words and not a model: a suggestion must show the words that decided it, run at
tens of thousands of actions a second, and say "cannot tell" rather than guess, because
a wrong label silently skews the managers' coverage review.

How: every cue (a word or phrase, English or Japanese) carries weights for the phases
and categories it points at. One scan finds the cues leftmost-longest, so a longer cue
hides the shorter ones inside it ("push notification" is not "notification", 特定時刻 is
not 特定). Cues in the first clause count double: the head of an action names its
deliverable ("Write a runbook ..., and rehearse it in staging" is a runbook). A value is
suggested only when it clearly beats the runner-up; otherwise the tied values are given.
"""

from __future__ import annotations

import re
from typing import Generic, NamedTuple, TypeVar

from actiontrack import commitment, wording
from actiontrack.lazyre import compile_cached, lazy_regex
from actiontrack.model import Category, Phase
from actiontrack.trie import trie_pattern

T = TypeVar("T", Phase, Category)


class Suggestion(NamedTuple, Generic[T]):
    """A suggested value with the words that decided it; value None means "cannot tell".

    A NamedTuple, not a frozen dataclass: two are made per untagged action, and a tuple is
    four times cheaper to build."""

    value: T | None
    words: tuple[str, ...]  # the deciding words, as written in the text
    candidates: tuple[T, ...] = ()  # when a tie made it "cannot tell": the tied values

    @property
    def cannot_tell(self) -> bool:
        return self.value is None


# Weight keys: three phases, then five categories, in enum order.
_KEYS = ("dev", "ver", "post", "rc", "pf", "re", "de", "rv")
_PHASES: tuple[Phase, ...] = tuple(Phase)
_CATEGORIES: tuple[Category, ...] = tuple(Category)

# (surface forms separated by "|", weights). English forms are lower case; a space in a
# form also matches a hyphen or several spaces. Weights: 3 decisive, 2 strong, 1 a hint;
# "-" marks a blocker that only stops a shorter cue inside it from counting.
_EN: tuple[tuple[str, str], ...] = (
    # development: make it impossible to write, catch it in CI and review
    ("ci|continuous integration|ci pipeline|ci job|github actions", "dev3"),
    ("ci test|ci tests|ci check|ci checks|ci step", "dev3 re2"),
    ("unit test|unit tests|contract test|contract tests|property test|property tests",
     "dev3 re2"),
    ("integration test|integration tests", "dev2 re2"),
    ("regression test|regression tests", "dev1 ver1 re2"),
    ("test|tests|test case|test cases", "re1"),
    ("fails when|fail when|fails if|fail if|failing when|fails above|fail above|"
     "fails the build|break the build|"
     "breaks the build|fail the build|fails on|fail on", "dev1 re2"),
    ("lint|linter|linting|lint rule|lint rules|lint check|static analysis|semgrep|eslint|"
     "mypy|type check|type checks|type checking|type checker|type system|type hints|"
     "distinct type|newtype|type safe|type safety",
     "dev3 re2"),
    ("types|typed|typescript|compile time|compiler", "dev2 re1"),
    ("code review|code reviews|reviewer|reviewers|review checklist|codeowners|"
     "pull request template|pr template", "dev3"),
    ("review|reviews|reviewing|reviewed", "dev1"),
    ("pull request|pull requests|pr|prs|merge request|merge requests", "dev2"),
    ("pre commit|precommit|commit hook|git hook", "dev3 re2"),
    ("onboarding", "dev2"),
    ("onboarding doc|onboarding docs|onboarding material|onboarding materials|"
     "onboarding guide|coding guideline|coding guidelines|style guide|coding standard",
     "dev3"),
    ("architecture|design doc|refactor|refactoring|rewrite|codebase|re architect|"
     "rearchitect|re architecting|rearchitecting|redesign|rebuild|monolith|microservice|"
     "microservices|rfc|adr", "dev2"),
    ("library|libraries|dependency|dependencies|sdk|code|implementation|implement|schema|"
     "migration|migrations|config|configuration|variable|feature flag|feature flags",
     "dev1"),
    ("upsert|upserts|idempotent|idempotency|idempotency key", "dev2 re3"),
    ("unique constraint|unique index|foreign key|constraint", "dev2 re2"),
    ("validation|validate|validates|validator|guard|guards|guard clause|guardrail|"
     "guardrails|assert|asserts|assertion|reject|rejects", "dev1 re2"),
    ("retry|retries|backoff|exponential backoff|circuit breaker|bulkhead", "dev2 re2"),
    ("jitter|random delay|randomize|randomise|randomized|randomised", "dev2 re3"),
    ("rate limit|rate limits|rate limiting|rate limiter|throttle|throttling", "dev2 re3"),
    ("timeout|timeouts|limit|limits|cap|quota|quotas", "re1"),
    ("impossible|make it impossible", "dev2 re2"),
    # verification: QA and pre-release checks
    ("qa|quality assurance|qa checklist|acceptance test|acceptance tests|uat", "ver3"),
    ("staging|staging environment|stage environment|pre production|preprod|sandbox",
     "ver2"),
    ("pre release|prerelease|before release|before releases|before releasing|"
     "before every release|before each release|before the release|before a release|"
     "before deploying|before deploy|before deployment|before every deploy|"
     "before each deploy|before going live|before launch|prior to release|"
     "release candidate|go live check", "ver3"),
    ("release checklist|release template|deploy checklist|test plan|test scenario|"
     "test scenarios|manual test|manual testing|exploratory testing", "ver2"),
    ("load test|load tests|load testing|stress test|performance test|performance testing|"
     "capacity test|soak test", "ver3 re1"),
    ("smoke test|smoke tests", "ver2 re1"),
    # end-to-end tests run in CI with the code: development (LABELLING.md), not a pre-release check
    ("e2e|end to end|end to end test|end to end tests|e2e test|e2e tests", "dev2 re1"),
    ("deploy pipeline|deployment pipeline|release pipeline", "ver3 re2"),
    ("deploy check|deploy step|pre deploy|predeploy", "ver2 re2"),
    ("rehearse|rehearsal|rehearsals|dry run|dry runs|verification|verify", "ver1"),
    # testing as an activity is done before the release (19 of 26 labelled actions); a test written
    # with the code is development, and the test cues above say so
    ("testing|simulate|simulated", "ver2 re1"),  # an IAM "simulation step" in CI is no load simulation
    ("production like|like production|similar to live|similar to production", "ver2"),
    ("checklist|checklists", "ver1"),
    # post-release: production, canary, alerts, monitoring, runbooks, on-call
    # "production" alone says where a change lands, not when it is made: "disable introspection in
    # production", "separate prod from non-prod clusters" are development; it still blocks nothing
    ("production|prod|in production", "-"),
    ("live traffic", "post1"),
    # telling users and others during and after an incident shortens its impact
    ("status page|status update|status updates|communicate|communication|communications|comms|"
     "announce|announcement|announcements|inform users|notify users|notify customers|"
     "inform customers|affected users|affected customers|customer support", "post1 rv2"),
    ("maintenance|maintenance window|operational|operations|audit|audits", "post1"),
    ("testnet|testnets|pre production environment|readiness|production readiness|"
     "dev environment|test environment", "ver2"),
    ("authentication|2fa|mfa|two factor|access control|least privilege|"
     "branch protection|separate|separation|isolate|isolation", "dev1 re2"),
    ("guidance|guideline|guidelines|standard|standards|documentation|document|"
     "documented|docs|faq", "dev1 re1"),
    ("canary|canaries|canary release|canary deploy|canary deployment", "post3 de2"),
    ("alert|alerts|alerting|alerted|alarm|alarms|pager|paging|pagerduty|opsgenie|"
     "page the on call|page on call|pages the on call|page the oncall", "post2 de3"),
    ("monitor|monitors|monitoring|monitored|observability|dashboard|dashboards|"
     "synthetic monitoring|synthetic check|synthetic checks", "post2 de3"),
    ("detect|detects|detected|detection|notice|notices|visibility|anomaly detection",
     "post1 de3"),
    ("notify|notifies|notified|notification|notifications|slack|email the on call",
     "post1 de2"),
    ("grafana|datadog|prometheus|sentry|new relic|error tracker|cloudwatch", "post2 de2"),
    ("metric|metrics|slo|slos|sli|slis|error budget|burn rate|tracing|trace",
     "post1 de2"),
    ("heartbeat|heartbeats|exceeds|exceed|exceeded", "post1 de1"),
    ("error rate|error rates|error ratio|replication lag|consumer lag|queue depth",
     "post2 de2"),
    ("latency|p99|p95|p90|p50|lag|threshold|thresholds|response time|response times",
     "post1 de1"),
    ("log|logs|logging|logged", "post1 de1"),
    ("error log|error logs|slow query|slow queries|slow query log|health check|"
     "health checks|liveness probe|readiness probe", "post2 de2"),
    ("runbook|runbooks|playbook|playbooks|run book", "post2 rv3"),
    ("on call|oncall|on caller|escalation|incident response|incident commander",
     "post2 rv1"),
    ("rollback|rollbacks|roll back|rolls back|rolled back|rolling back|revert|reverts|reverted|"
     "reverting|blue green|blue green deployment|blue green deployments", "post2 rv2"),
    # restoring sooner is recovery: "resolve issues like this much more quickly", "make our
    # deployment cycle faster" (detecting sooner has its own, stronger cues)
    ("faster|more quickly|quickly|quicker|speed up|speeds up|in the event of|"
     "during an outage|during outages|during an incident|during incidents", "rv2"),
    # what to do in an emergency and coming back by itself shorten it (緊急時, 自動復旧 in Japanese)
    ("emergency|emergencies|in case of emergency|in case of emergencies|self healing|self heal|"
     "come up automatically|comes up automatically|restart automatically|restarts automatically",
     "post1 rv2"),
    ("restore|restores|restored|restoring|restoration|failover|fail over|fails over|"
     "disaster recovery|kill switch", "post2 rv3"),
    ("recover|recovers|recovery|recovering|mttr|time to recover|time to recovery|"
     "time to restore", "post1 rv3"),
    ("backup|backups|back up|replay|replays|replaying|backfill|backfills|drain",
     "post1 rv2"),
    ("procedure|procedures|how to roll back|document how to|drill|drills|game day",
     "rv1"),
    ("scale out|scaling out|scale up|autoscale|autoscales|autoscaling|auto scaling|autoscaler",
     "post2 rv1"),
    ("nightly job|cron|cron job|incident|incidents", "post1"),
    ("restart|restarts|restarted", "rv1"),
    ("heap dump|heap dumps|thread dump|thread dumps|core dump|core dumps|profiling",
     "post1 rc3"),
    ("profile|profiles", "-"),  # a Salt profile, a user profile: no profiling
    # root-cause: establish the cause
    ("root cause|root causes|rca|reproduce|reproduces|reproduction|repro|bisect|why|caused by|"
     "cause of|the cause|what caused|what happened", "rc3"),
    ("investigate|investigates|investigated|investigating|investigation", "rc2"),
    ("confirm|confirms|determine|determines|figure out|find out|look into|dig into|"
     "analyse|analyze|analysis|identify the cause|pin down", "rc2"),
    ("identify|cause", "rc1"),
    ("whether", "-"),  # "whether we can ...": a remedy's question (_REMEDY), not the cause's
    # permanent-fix: turn the stop-gap into the real fix
    # fixing the cause is the real fix, not establishing it: "address the root cause of the delays"
    ("fix the root cause|fixes the root cause|fixing the root cause|address the root cause|"
     "addresses the root cause|resolve the root cause|eliminate the root cause|root cause fix", "pf3"),
    ("permanent|permanently|permanent fix|long term fix|proper fix|workaround|workarounds|"
     "hotfix|hotfixes|hot fix|stopgap|stop gap|band aid|replace the manual|"
     "replace manual|replace our manual|instead of the manual|automate the manual|"
     "remove the manual|removes the manual|retire the manual|retires the manual|"
     "replace the temporary|replace temporary|replace the workaround|replace the stopgap",
     "pf3"),
    ("temporary|temporarily|interim", "pf2"),
    ("mitigation", "-"),  # "DoS mitigation techniques" stop a class; replacing the mitigation is above
    # "manual" alone is no fix: a manual review, a manual step kept; replacing one is (above)
    ("properly", "pf1"),
    ("fix|fixes|fixed|bug|bugs|defect|defects|cleanup|clean up|patch|patched", "pf2"),
    # recurrence: the same class of failure cannot happen again
    ("prevent|prevents|prevention|preventing|recurrence|recur|never again", "re3"),
    ("staged rollout|gradual rollout|progressive rollout|gradually|in batches|"
     "spread out|spread", "re2"),
    ("check|checks|block|blocks|enforce|enforces", "re1"),
    ("double check|double checks|doublecheck", "re1"),
    # blockers: hide a shorter cue inside a different meaning
    ("signature verification|verify the signature|verify signatures|verified signature|"
     "admin dashboard|dashboard endpoint|dashboard page|log file|log files|log rotation|"
     "push notification|push notifications|notification system|notification service|"
     "notification platform|wiki page|catalog|check in|check out|log in|logs in|"
     "logged in|log out|logs out|login|logout|verification service|verification services|"
     "verification link|verification links|verification email|verification emails|"
     "verification code|verification codes|email verification", "-"),
)

_JA: tuple[tuple[str, str], ...] = (
    ("開発時|開発段階|コードレビュー|レビュアー|レビュワー|静的解析|リンター|型チェック|"
     "型定義|型安全|単体テスト|ユニットテスト|テストコード|コーディング規約", "dev3"),
    ("開発|実装|設計|プルリク|プルリクエスト|アーキテクチャ|リファクタ|リファクタリング|"
     "オンボーディング|新人研修|研修資料|ライブラリ", "dev2"),
    ("レビュー|マイグレーション|スキーマ|設定値|コード|ガイドライン|変数|設定変更|設定を変更",
     "dev1"),
    ("オンボーディング資料", "dev3"),
    ("自動テスト|テストを追加|CIで", "dev2 re2"),
    ("バリデーション|入力チェック|排他制御|リトライ|上限", "dev1 re2"),
    ("冪等|レートリミット|流量制限|ゆらぎ|ジッター|ランダムな遅延", "dev2 re3"),
    ("段階的に送信|分散して送信|時間をずらして", "dev2 re3"),
    ("検証環境|ステージング|ステージング環境|品質保証|リリース前|デプロイ前|本番反映前|"
     "本番適用前|リリース判定|受け入れテスト|受入テスト|性能試験", "ver3"),
    ("負荷試験|負荷テスト", "ver3 re1"),
    ("本番相当", "ver1"),
    ("結合テスト|総合テスト|動作確認|事前確認|テストケース|テスト項目|テスト環境|"
     "リハーサル|QAチェックリスト", "ver2"),
    ("試験|チェックリスト", "ver1"),
    ("検証", "-"),  # 「原因を検証」「設計を検証」: examining, not a pre-release check (検証環境 still is)
    # a check written into a checklist or review items keeps it from recurring; a
    # "確認手順" is a procedure for checking, not for restoring
    ("チェックリストに追加|チェック項目に追加|チェック項目として追加|確認手順", "ver1 re2"),
    ("テスト", "ver1 re1"),
    # 本番 / 本番環境 alone say where a change lands (「本番環境は色で強調する」 is development), as in English
    ("本番|本番環境", "-"),
    ("本番リリース後|リリース後|運用中", "post3"),
    ("運用", "post2"),
    ("監視|アラート|ダッシュボード|アラーム", "post2 de3"),
    ("検知|検出|早期発見|気付ける|気づける", "post1 de3"),
    ("通知|可視化|メトリクス|計測", "post1 de2"),
    ("エラーログ|スロークエリ|エラー率|ヘルスチェック|死活監視", "post2 de2"),
    ("ログ|閾値|しきい値|遅延|レスポンス速度|レスポンスタイム|応答時間|劣化", "post1 de1"),
    ("カナリア|カナリアリリース", "post3 de2"),
    ("段階的リリース|段階リリース", "post2 re2"),
    ("オンコール|エスカレーション|障害対応|初動", "post2 rv1"),
    ("運用手順書|復旧手順|ランブック|プレイブック|切り戻し|切り戻す|リストア|"
     "フェイルオーバー", "post2 rv3"),
    ("ロールバック", "post2 rv2"),
    ("復旧|復元|復旧時間", "post1 rv3"),
    ("バックアップ", "post1 rv2"),
    ("障害時", "rv1"),
    # a 手順書 / 手順 is a work procedure (作業手順書, 移行手順書, リリース手順), not a runbook: what it is
    # for decides (復旧手順, 復元手順, スケールアウト手順 are recovery; a step added to one keeps the
    # mistake from recurring)
    ("手順書", "dev1"),
    ("手順", "-"),
    ("スケールアウト|オートスケール|スケールアップ", "post2 rv1"),
    ("夜間バッチ", "post1"),
    # telling users, other operators and regulators: incident communications (as in English)
    ("情報共有|共有|報告|公表|呼びかけ|呼び掛け|お知らせ|案内", "post1"),
    ("再起動", "rv1"),
    ("再送|再送信|再実行", "post1 rv2"),  # resending or re-running what failed: "replay" in English
    ("中断|一時停止", "post1 rv1"),  # aborting or pausing limits the impact, as a kill switch does
    ("ヒープダンプ|スレッドダンプ", "post1 rc3"),
    ("原因究明|原因調査|原因の特定|原因を特定|原因を調査|調査|究明|再現", "rc3"),
    ("原因|を特定|特定する|特定し|解析|分析|切り分け", "rc2"),
    # 「原因となった装置」 names the cause as known, 「原因が判明次第」 defers to what follows it
    ("原因となった|原因となる|原因が判明次第|原因判明後", "-"),
    ("原因を除去|原因の除去|原因を取り除", "pf3"),
    ("なぜ", "rc1"),
    ("かどうか", "-"),  # 「〜できるかどうか」 asks about a remedy, as "whether" does
    ("恒久|恒久対応|恒久対策|恒久化|恒久的|暫定対応|暫定対処|根本対応|根本対策|"
     "ワークアラウンド|ホットフィックス", "pf3"),
    ("暫定", "pf2"),
    ("置き換え|置き換える|修正", "pf1"),  # 手動 / 手作業 alone are no fix, as "manual" is not
    ("再発防止|未然に防", "re3"),
    ("再発|防止|防ぐ|段階的", "re2"),
    ("弾く|禁止|制限|失敗させる", "re1"),
    # telling users and the public, and handling an emergency: post-release recovery
    ("広報|周知広報|利用者への周知|周知方法|周知内容|お知らせ|公表|発表|利用者|ユーザー|顧客への|情報提供|"
     "説明会|謝罪", "post2 rv2"),
    # what to do when it happens again shortens it: 障害発生時, トラブル発生時には, 不調時の案内文
    ("障害発生時|トラブル発生時|不調時|緊急時|非常時|異常時|発生時|発生した際|発生した場合|迅速|早期復旧",
     "post1 rv2"),
    ("緊急対応|危機管理|コンティンジェンシー|輻輳|長期化|影響を抑える|影響を最小", "post2 rv2"),
    ("監査|防犯カメラ|入退室|在庫|日常管理|保守|保守作業|運用監視", "post2 de1"),
    # an inspection (点検, 総点検) looks for the same defect elsewhere: it stops the class, as "audit
    # every bucket for public access" does, rather than noticing the next failure sooner
    ("点検|総点検|再点検|緊急点検|立入検査", "post2 re1"),
    ("訓練|模擬", "post2 rv1"),
    # a check by a second person before sending or publishing: verification
    ("チェック体制|照合|ダブルチェック|二重チェック|複数の職員|複数人|複数名|複数の担当者|複数の従事者|"
     "事前準備|事前評価|公開前|発送前|送付前|送信前|封入|発送|送付|確認作業|検算|本人確認", "ver2 re1"),
    ("規程|規則|ルール|要領|マニュアル|研修|教育|委員会|組織|部署|推進室|推進部|体制の構築", "dev2 re1"),
    ("不具合|解消|再計算|修正済", "pf2"),
    ("改修", "dev1 pf1"),
    ("漏えい防止|漏洩防止|誤送付防止|誤送信防止|防止策|対策", "re1"),
    ("プッシュ通知|特定時刻|特定の|カタログ|ブログ|ダイアログ|ログイン|ログアウト|ログファイル|"
     "アナログ|通知基盤|通知システム|通知サービス", "-"),
)


# Scores are packed into one integer per cue and dimension, one 32-bit field per value,
# so adding up a text's cues is a single C-level sum(map(...)) instead of a Python loop.
_FIELD = 32
_MASK = (1 << _FIELD) - 1


def _weights(spec: str) -> dict[str, int]:
    """"dev3 re2" -> {"dev": 3, "re": 2}; "-" (a blocker) -> {}."""
    return {item[:-1]: int(item[-1]) for item in spec.split() if item != "-"}


def _pack(weights: dict[str, int], keys: tuple[str, ...]) -> int:
    return sum(weight << (_FIELD * keys.index(key)) for key, weight in weights.items() if key in keys)


class _Lexicon(dict[str, int]):
    """Surface form -> packed weights; a form matched with hyphens or extra spaces is
    looked up by its single-spaced spelling ("on-call" -> "on call")."""

    def __missing__(self, key: str) -> int:
        return self.get(_SPACES.sub(" ", key), 0)


def _lexicon(keys: tuple[str, ...]) -> _Lexicon:
    packed: dict[str, int] = {}  # many cues share a spec ("de3"): pack each spec once
    lexicon = _Lexicon()
    for forms, spec in _EN + _JA:
        weights = packed.get(spec)
        if weights is None:
            weights = packed[spec] = _pack(_weights(spec), keys)
        for form in forms.split("|"):
            lexicon[form.lower()] = weights
    return lexicon


_SPACES = lazy_regex(r"[\s\-]+")
_CLAUSE_END = lazy_regex(r"[,;、。；，]")


class _JapaneseGroups(dict[str, "re.Pattern[str]"]):
    """First character -> the trie regex of the Japanese cues that start with it, built
    and compiled when a text first holds that character."""

    def __init__(self, groups: dict[str, list[str]]) -> None:
        super().__init__()
        self._groups = groups

    def __missing__(self, first: str) -> re.Pattern[str]:
        pattern = self[first] = compile_cached(trie_pattern(self._groups[first], False))
        return pattern


class _WordNode:
    """One word of the English cue trie: whether a cue ends here, and the words that follow."""

    __slots__ = ("end", "next")

    def __init__(self) -> None:
        self.end = False
        self.next: dict[str, _WordNode] = {}


# A word as re.ASCII's \b delimits it.
_EN_WORD = lazy_regex(r"[a-z0-9_]+", re.ASCII)
_EN_GAP = frozenset(" \t\n\r\f\v-")  # what a space in a cue matches: [\s\-]+ under re.ASCII
# Every byte that is not [a-z0-9_] as a space: split() then gives _EN_WORD's words of ASCII text.
_NON_CUE_WORD = bytes(c if 0x61 <= c <= 0x7A or 0x30 <= c <= 0x39 or c == 0x5F else 0x20 for c in range(256))


class _Tables:
    """The lexicon and the cue scanners, built on first use.

    One regex of all ~600 English cues took ~30 ms to compile and the Japanese one ~10 ms,
    paid by every `actiontrack lint` that suggests a tag. English cues are words (ASCII
    letters and digits) separated by spaces, so they are found word by word, walking a trie
    of words for the longest. Japanese cues have no word boundaries: they are grouped by
    their first character, and each group's small trie is compiled when a text holds it.
    Both find what the one leftmost-longest regex found (tests/tagging/test_cue_scan.py)."""

    def __init__(self) -> None:
        self.weights = _lexicon(_KEYS)  # phases and categories packed in one integer per cue
        # English cues as a trie of words: word -> (cue ends here, next words).
        self.en: dict[str, _WordNode] = {}
        for forms, _ in _EN:
            for form in forms.lower().split("|"):
                level, node = self.en, None
                for word in form.split():
                    node = level.get(word)
                    if node is None:
                        node = level[word] = _WordNode()
                    level = node.next
                assert node is not None
                node.end = True
        ja_groups: dict[str, list[str]] = {}
        for forms, _ in _JA:
            for form in forms.lower().split("|"):
                ja_groups.setdefault(form[0], []).append(form)
        self.ja_starts = lazy_regex("[" + "".join(re.escape(c) for c in sorted(ja_groups)) + "]")
        self.ja = _JapaneseGroups(ja_groups)

    def en_cues(self, low: str, start: int, end: int) -> list[str]:
        """The English cues of ``low[start:end]``, leftmost-longest and not overlapping."""
        part = low[start:end]
        # _EN_WORD's words; of ASCII text by a byte translation and a split, a third of the cost
        words = part.encode().translate(_NON_CUE_WORD).decode().split() if part.isascii() else _EN_WORD.findall(part)
        table = self.en
        cues: list[str] = []
        after = 0  # cues do not overlap: the next one starts at word ``after`` or later
        count = len(words)
        starts: list[int] = []  # where each word starts in ``part``: found only for a cue of several words
        for i in [i for i, word in enumerate(words) if word in table]:
            if i < after:
                continue
            node = table[words[i]]
            last = i if node.end else -1  # the longest cue so far ends at word ``last``
            j = i
            while j + 1 < count and (following := node.next.get(words[j + 1])) is not None:
                if not starts:
                    starts = _word_starts(part, words)
                if not _EN_GAP.issuperset(part[starts[j] + len(words[j]) : starts[j + 1]]):
                    break
                node, j = following, j + 1
                if node.end:
                    last = j
            if last >= 0:
                cues.append(words[i] if last == i else part[starts[i] : starts[last] + len(words[last])])
                after = last + 1
        return cues

    def ja_cues(self, low: str, start: int, end: int) -> list[str]:
        """The Japanese cues of ``low[start:end]``, leftmost-longest and not overlapping."""
        cues: list[str] = []
        pos, table, starts = start, self.ja, self.ja_starts
        while (candidate := starts.search(low, pos, end)) is not None:
            at = candidate.start()
            found = table[low[at]].match(low, at, end)
            if found is None:
                pos = at + 1
            else:
                cues.append(found.group())
                pos = found.end()
        return cues


def _word_starts(part: str, words: list[str]) -> list[int]:
    """Where each of ``part``'s words starts: the next occurrence of a word is its own, as
    only characters that are in no word come between two words."""
    starts, pos, find = [], 0, part.find
    for word in words:
        pos = find(word, pos)
        starts.append(pos)
        pos += len(word)
    return starts


_tables: _Tables | None = None


def _get_tables() -> _Tables:
    global _tables
    if _tables is None:
        _tables = _Tables()
    return _tables


class _Scan:
    """The cues of one text, their summed weights and where they are written, for the
    phase and the category alike; both suggestions are kept once made."""

    __slots__ = ("category", "low", "phase", "places", "text", "total")

    def __init__(self, text: str) -> None:
        tables = _tables or _get_tables()
        self.text = text
        lexed = wording.lex(text)
        self.low = low = lexed.low  # folded and lower-cased once for every judge
        found = _CLAUSE_END.search(low)
        cut = found.start() if found else len(low)
        if lexed.words:  # English cues are ASCII words: a Japanese text without any has none
            head = tables.en_cues(low, 0, cut)
            tail = tables.en_cues(low, cut, len(low)) if found else []
        else:
            head, tail = [], []
        if not low.isascii():
            head += tables.ja_cues(low, 0, cut)
            tail += tables.ja_cues(low, cut, len(low))
        cues = head + tail
        weights = list(map(tables.weights.__getitem__, cues))
        # cues in the first clause count double: the head of an action names its deliverable
        self.total = sum(weights) + sum(weights[: len(head)])
        # (where, as written, weights) of each cue, in text order: the deciding words
        places = []
        for cue, weight in zip(cues, weights, strict=True):
            if weight:
                at = low.find(cue)
                places.append((at, text[at : at + len(cue)], weight))
        places.sort()
        self.places = places
        self.phase: Suggestion[Phase] | None = None
        self.category: Suggestion[Category] | None = None


_last: _Scan | None = None


def _scan(text: str) -> _Scan:
    """The cues of ``text``; the last result is kept: callers ask for the phase and then
    the category of one text."""
    global _last
    last = _last
    if last is None or last.text != text:
        _last = last = _Scan(text)
    return last


def _decide(scan: _Scan, first: int, values: tuple[T, ...]) -> Suggestion[T]:
    """The clear winner among ``values`` (fields ``first``… of the packed weights), or
    "cannot tell" with the close candidates."""
    total = scan.total >> (_FIELD * first)
    if not total:
        return Suggestion(None, ())
    scores = [total >> shift & _MASK for shift in _SHIFTS[: len(values)]]
    best = max(scores)
    if first and scores[0] and best - scores[0] < (best / 4 if best > 4 else 1) and (
            _remedy_question(scan.low) or not _about_cause(scan.text, scan.low)):
        scores[0] = 0  # root-cause: investigating a remedy takes the remedy's category (LABELLING.md)
        best = max(scores)
    if not best:
        return Suggestion(None, ())
    margin = best / 4 if best > 4 else 1
    close = [i for i, score in enumerate(scores) if best - score < margin]
    if len(close) == 1:
        winner = close[0]
        return Suggestion(values[winner], _words(scan, _FIELDS[first + winner]))
    close.sort(key=lambda i: -scores[i])
    mask = sum(_FIELDS[first + i] for i in close)
    return Suggestion(None, _words(scan, mask), tuple(values[i] for i in close))


def _words(scan: _Scan, mask: int) -> tuple[str, ...]:
    """The distinct cues, as written and in text order, whose weight falls in ``mask``."""
    words = [word for _, word, weight in scan.places if weight & mask]
    return tuple(dict.fromkeys(words)) if len(words) > 1 else tuple(words)



# "Investigate if we can use IPv6", "Determine if there is a way to block merges", 導入を検討:
# the question is whether a remedy is possible, not what caused the incident.
_REMEDY = lazy_regex(
    r"\b(?:if|whether) (?:we|it|there|they|you|this|that|the team)\b.{0,30}?"
    r"\b(?:can|could|should|want|need|is a way|are ways|would|might|makes sense|worth)\b|"
    r"\bhow (?:we|to|can|could|best)\b|\b(?:ways|options|possibilit\w*|alternatives|approaches) "
    r"(?:to|for|of)\b|\bpossible\b|\b(?:can|could|should) we\b|可否|の導入を検討|を検討|方法を検討|改善策|できないか")
_CAUSE = lazy_regex(r"\b(?:root cause|why|caused|cause of|the cause|what happened|reproduce)\b|原因|なぜ|究明")


def _about_cause(text: str, low: str) -> bool:
    """Whether the action could establish the cause: not when its head commits to a change
    ("Add drift testing to identify when …": the cue is the purpose) or investigates a
    remedy ("Investigate termination protection for instances"), unless it names the cause."""
    if _CAUSE.search(low) is not None:
        return True
    head = wording.head_commitment(text)
    if head is None:
        return True
    if head.kind == commitment.CHANGE:
        return head.verb.lower() in _ESTABLISH
    if head.kind == commitment.INVESTIGATE:
        return _REMEDY_OBJECT.search(low) is None
    return True


_ESTABLISH = frozenset(("confirm", "confirms", "determine", "determines", "identify", "identifies", "find",
                        "reproduce", "verify", "check"))
# What a remedy is made of: investigating one is not establishing the cause.
_REMEDY_OBJECT = lazy_regex(
    r"\b(?:protection|rules?|policy|policies|tools?|tooling|resources?|process|processes|patterns?|"
    r"measures|improvements|ways|options|alternatives|solutions?|approach(?:es)?|mechanisms?|"
    r"strateg(?:y|ies)|safeguards|mitigations?|automation|auto-\w+|redundancy)\b|\bfor using\b")


def _remedy_question(low: str) -> bool:
    return _REMEDY.search(low) is not None and _CAUSE.search(low) is None


_SHIFTS = tuple(_FIELD * i for i in range(8))
_FIELDS = tuple(_MASK << shift for shift in _SHIFTS)


def suggest_phase(text: str) -> Suggestion[Phase]:
    """The phase the wording points at (development/verification/post-release), if clear."""
    scan = _scan(text)
    found = scan.phase
    if found is None:
        found = scan.phase = _phase_rules(text, scan)[0]
    return found


def suggest_category(text: str) -> Suggestion[Category]:
    """The category the wording points at (root-cause ... recovery), if clear."""
    scan = _scan(text)
    found = scan.category
    if found is None:
        found = scan.category = _category_rules(text, scan)[0]
    return found


def reading(text: str, field: str) -> tuple[Suggestion[Phase] | Suggestion[Category], str]:
    """One tag's suggestion and how it was reached: "cue" (cue words decided), "default"
    (the predicate decided), "tie" or "none" (cannot tell). corpus/train.py measures a
    learned model on the last two."""
    scan = _Scan(text)
    return _phase_rules(text, scan) if field == "phase" else _category_rules(text, scan)


def _phase_rules(text: str, scan: _Scan) -> tuple[Suggestion[Phase], str]:
    return _rules(text, scan, 0, _PHASES, Phase.DEVELOPMENT, Phase.DEVELOPMENT)


def _category_rules(text: str, scan: _Scan) -> tuple[Suggestion[Category], str]:
    return _rules(text, scan, len(_PHASES), _CATEGORIES, Category.RECURRENCE, Category.ROOT_CAUSE)


def _rules(text: str, scan: _Scan, first: int, values: tuple[T, ...], change: T,
           investigation: T) -> tuple[Suggestion[T], str]:
    """The cue words' winner, else the predicate's default, and which of the two decided."""
    found = _decide(scan, first, values)
    if (first and found.value not in _OUTRANK_FIX and not set(found.candidates) & _OUTRANK_FIX
            and _FIX_WORD.search(scan.low) is not None):  # a fix word first: most titles read no commitment here
        head = wording.head_commitment(text)
        if head is not None and head.kind == commitment.CHANGE and _FIX_VERB.fullmatch(head.verb) is not None:
            # fixing, patching or upgrading is the real fix whatever it prevents (LABELLING.md)
            return Suggestion(Category.PERMANENT_FIX, (head.verb,)), "default"  # type: ignore[arg-type]
    if found.value is not None:
        return found, "cue"
    if found.candidates:
        return found, "tie"
    found = _default(text, change, investigation)
    return found, "default" if found.value is not None else "none"


def _default(text: str, change: T, investigation: T) -> Suggestion[T]:
    """No cue word: what the commitment itself implies, decided by its predicate.

    A change, rule or reminder with no word of release, production, detection or
    recovery is made in development to keep the failure from recurring (LABELLING.md);
    an investigation of nothing more specific establishes the cause. The predicate is
    the deciding word, so the suggestion still shows why."""
    head = wording.head_commitment(text)
    if head is None or head.guessed:
        return Suggestion(None, ())  # "Overhaul our infrastructure": an unknown verb says nothing of either
    about_failure = head.kind == commitment.INVESTIGATE and _FAILURE.search(text.lower()) is not None
    if not about_failure and isinstance(change, Phase) and head.kind not in _PEOPLE:
        found = _RUN_IN_PRODUCTION.search(text, head.start, head.end)
        if found is not None:  # capacity, hosts and spares are run in production (LABELLING.md)
            return Suggestion(Phase.POST_RELEASE, (head.verb, found.group()))  # type: ignore[arg-type]
    if not about_failure and isinstance(change, Category) and head.kind in _MAKES:
        found = _THIS_DEFECT.search(text)
        if found is not None and _CLASS_OF_FAILURE.search(text) is None:
            # its object is this defect or this dependency's version, not a class of failure
            pair = (head.verb, found.group()) if text.find(head.verb) <= found.start() else (found.group(), head.verb)
            words = tuple(dict.fromkeys(pair))  # in text order, as the cue words are
            return Suggestion(Category.PERMANENT_FIX, words)  # type: ignore[arg-type]
    return Suggestion(investigation if about_failure else change, (head.verb,))


# A change whose object is this incident's defect, or the version of one dependency ("Pin the
# version of strscan", "Address the underlying issue", "For a proper solution ..."): the real fix
# (LABELLING.md), read only when no cue word decided and no word widens it to a class of failure.
_MAKES = frozenset((commitment.CHANGE, commitment.IMPROVE))
_THIS_DEFECT = lazy_regex(
    r"\b(?:the|this|that)(?: exact| same| specific)? (?:bug|issue|defect|regression|vulnerability|misconfiguration)\b|"
    r"\bunderlying\b|"
    r"\b(?:proper|real|actual|long[- ]term) (?:solution|fix)\b|\bversions?\b|\bupgrad(?:e|ed|ing)(?= to\b)|"
    r"\bupgrade planned\b|バージョン", re.IGNORECASE)
_CLASS_OF_FAILURE = lazy_regex(
    r"\b(?:all|any|every|each|similar|such|future|again|always|never|process|processes|policy)\b|"
    r"今後|全て|すべて|同様|再発", re.IGNORECASE)


# Objects of a change that is run in production whatever the verb: capacity, hosts and
# spares ("Increase size of edge proxy VMs", "Add Redis read replicas", サーバの増設). Read only
# when no cue word decided, in the head commitment's span.
_RUN_IN_PRODUCTION = lazy_regex(
    r"\b(?:capacity|disk space|disks?|storage|memory|ram|cpus?|servers?|hosts?|nodes?|clusters?|instances?|"
    r"vms?|machines?|hardware|bandwidth|redundan\w*|spare|standby|secondary|replicas?)\b|"
    r"(?:容量|サーバー?|ストレージ|冗長|待機系)(?!の)",  # 認証サーバの証明書: a modifier, the object is the certificate
    re.IGNORECASE)
# An effort or a reliance on people names no artifact that runs anywhere: its object does not
# move the phase ("定期的に容量を確認するよう意識付けを行う" is awareness, not capacity).
_PEOPLE = frozenset((commitment.EFFORT, commitment.PERSON))


# A change whose predicate is the fix itself: "Fix the retry loop", "Patch Majora …", "Correct
# the type mismatch", 不具合を修正する. Only a detection, recovery or root-cause cue outranks it.
_FIX_VERB = lazy_regex(r"(?:fix|patch|correct|repair|hotfix)(?:es|ed|s|ing)?|resol(?:ve|ves|ved|ving)|"
                       r"rectif(?:y|ies|ied|ying)|修正|改修", re.IGNORECASE)
_FIX_WORD = lazy_regex(r"\b(?:fix|patch|correct|repair|hotfix|resol|rectif)|修正|改修")
_OUTRANK_FIX = frozenset((Category.DETECTION, Category.RECOVERY, Category.ROOT_CAUSE))


# What an investigation of the incident itself names: the failure, not a remedy.
_FAILURE = lazy_regex(r"\b(?:oom|crash\w*|outage|failure|failures|errors?|incident|bug|leak|spike|"
                      r"slowdown|stall\w*|hang\w*|timeouts?|latency|corruption)\b|障害|事象|不具合|事故|漏え|漏洩")


