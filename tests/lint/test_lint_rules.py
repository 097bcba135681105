"""Every rule, through the engine, with positive and negative cases in English and Japanese."""

from __future__ import annotations

from pathlib import Path

import pytest

from actiontrack import catalog
from actiontrack.configfile import LintSettings
from actiontrack.lint import lint_paths

GOOD_EN = "Alert when p99 latency exceeds 2 s for 5 minutes — owner: @ana, due: 2024-05-01, phase: post-release, category: detection"
GOOD_JA = "遅延が5分間2秒を超えたらSlackに通知する（担当: @ana, 期限: 2024-05-01, フェーズ: 本番リリース後, 分類: 検知）"
FILL_EN = "Add a CI test that fails when the pool size exceeds 20 — owner: @bo, due: 2024-05-10, phase: development, category: recurrence"
FILL_JA = "接続数が20を超えたら失敗するCIテストを追加する（担当: @bo, 期限: 2024-05-10, フェーズ: 開発時, 分類: 再発防止）"


def doc(*actions: str, date: str = "2024-04-01", heading: str = "Action items") -> str:
    items = "\n".join(f"- {a}" for a in actions)
    return f"---\nid: PM-1\ndate: {date}\n---\n# Incident\n## {heading}\n{items}\n"


def codes_at(tmp_path: Path, text: str, line: int | None = 7) -> set[str]:
    path = tmp_path / "pm.md"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([path])
    return {f.code for f in report.findings if line is None or f.line == line}


# (rule, language, action line, flagged?) — the action is line 7; the rest of the
# postmortem is clean, so only the rule under test can fire on it.
CASES = [
    (catalog.VAGUE_ACTION, "en", "Be more careful when reviewing config changes — owner: @a, due: 2024-05-01, phase: development, category: recurrence", True),
    (catalog.VAGUE_ACTION, "en", "Add a review checklist step that compares config to the schema — owner: @a, due: 2024-05-01, phase: development, category: recurrence", False),
    (catalog.VAGUE_ACTION, "ja", "今後は細心の注意を払って確認する（担当: @a, 期限: 2024-05-01, フェーズ: 開発時, 分類: 再発防止）", True),
    (catalog.VAGUE_ACTION, "ja", "設定変更のレビューにスキーマ検証のチェックリスト項目を追加する（担当: @a, 期限: 2024-05-01, フェーズ: 開発時, 分類: 再発防止）", False),
    (catalog.ERROR_HIDING_FIX, "en", "Silence the 5xx alert on the checkout service — owner: @a, due: 2024-05-01, phase: post-release, category: detection", True),
    (catalog.ERROR_HIDING_FIX, "en", "Page on-call when the 5xx rate exceeds 1% for 5 minutes — owner: @a, due: 2024-05-01, phase: post-release, category: detection", False),
    (catalog.ERROR_HIDING_FIX, "ja", "5xxのアラートが鳴らないようにエラーを握りつぶす（担当: @a, 期限: 2024-05-01, フェーズ: 本番リリース後, 分類: 検知）", True),
    (catalog.ERROR_HIDING_FIX, "ja", "5xxの発生率が1%を超えたらオンコールに通知する（担当: @a, 期限: 2024-05-01, フェーズ: 本番リリース後, 分類: 検知）", False),
    (catalog.PUNITIVE_MEASURE, "en", "Freeze all releases until further notice — owner: @a, due: 2024-05-01, phase: post-release, category: recurrence", True),
    (catalog.PUNITIVE_MEASURE, "en", "Require a canary stage for changes to the payment service — owner: @a, due: 2024-05-01, phase: post-release, category: recurrence", False),
    (catalog.PUNITIVE_MEASURE, "ja", "当面すべてのリリースを禁止する（担当: @a, 期限: 2024-05-01, フェーズ: 本番リリース後, 分類: 再発防止）", True),
    (catalog.PUNITIVE_MEASURE, "ja", "決済サービスの変更にカナリアリリースを必須にする（担当: @a, 期限: 2024-05-01, フェーズ: 本番リリース後, 分類: 再発防止）", False),
    (catalog.OVERSIZED_ACTION, "en", "Rewrite the whole deployment platform — owner: @a, due: 2024-05-01, phase: development, category: recurrence", True),
    (catalog.OVERSIZED_ACTION, "en", "Replace the deploy script's retry loop with the library's backoff — owner: @a, due: 2024-05-01, phase: development, category: recurrence", False),
    (catalog.OVERSIZED_ACTION, "ja", "デプロイ基盤を全面的に作り直す（担当: @a, 期限: 2024-05-01, フェーズ: 開発時, 分類: 再発防止）", True),
    (catalog.OVERSIZED_ACTION, "ja", "デプロイスクリプトのリトライ処理を指数バックオフに置き換える（担当: @a, 期限: 2024-05-01, フェーズ: 開発時, 分類: 再発防止）", False),
    (catalog.MISSING_OWNER, "en", "Alert on lag above 60 s — due: 2024-05-01, phase: post-release, category: detection", True),
    (catalog.MISSING_OWNER, "en", "Alert on lag above 60 s — owner: Dana Ops, due: 2024-05-01, phase: post-release, category: detection", False),
    (catalog.MISSING_OWNER, "ja", "遅延が60秒を超えたら通知する（期限: 2024-05-01, フェーズ: 本番リリース後, 分類: 検知）", True),
    (catalog.MISSING_OWNER, "ja", "遅延が60秒を超えたら通知する（担当者: 佐藤, 期限: 2024-05-01, フェーズ: 本番リリース後, 分類: 検知）", False),
    (catalog.MISSING_DUE_DATE, "en", "Alert on lag above 60 s — owner: @a, phase: post-release, category: detection", True),
    (catalog.MISSING_DUE_DATE, "en", "Alert on lag above 60 s — owner: @a, deadline: May 3, 2024, phase: post-release, category: detection", False),
    (catalog.MISSING_DUE_DATE, "ja", "遅延が60秒を超えたら通知する（担当: @a, フェーズ: 本番リリース後, 分類: 検知）", True),
    (catalog.MISSING_DUE_DATE, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024年5月3日, フェーズ: 本番リリース後, 分類: 検知）", False),
    (catalog.MISSING_PHASE, "en", "Alert on lag above 60 s — owner: @a, due: 2024-05-01, category: detection", True),
    (catalog.MISSING_PHASE, "en", "Alert on lag above 60 s — owner: @a, due: 2024-05-01 #post-release #detection", False),
    (catalog.MISSING_PHASE, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024-05-01, 分類: 検知）", True),
    (catalog.MISSING_PHASE, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024-05-01, フェーズ: 本番, 分類: 検知）", False),
    (catalog.MISSING_CATEGORY, "en", "Alert on lag above 60 s — owner: @a, due: 2024-05-01, phase: post-release", True),
    (catalog.MISSING_CATEGORY, "en", "Alert on lag above 60 s — owner: @a, due: 2024-05-01, phase: post-release, type: detect", False),
    (catalog.MISSING_CATEGORY, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024-05-01, フェーズ: 本番リリース後）", True),
    (catalog.MISSING_CATEGORY, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024-05-01, フェーズ: 本番リリース後, 分類: 検知）", False),
    (catalog.DUE_BEFORE_INCIDENT, "en", "Alert on lag above 60 s — owner: @a, due: 2023-05-01, phase: post-release, category: detection", True),
    (catalog.DUE_BEFORE_INCIDENT, "en", "Alert on lag above 60 s — owner: @a, due: 2024-04-01, phase: post-release, category: detection", False),
    (catalog.DUE_BEFORE_INCIDENT, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024/03/31, フェーズ: 本番リリース後, 分類: 検知）", True),
    (catalog.DUE_BEFORE_INCIDENT, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024/04/30, フェーズ: 本番リリース後, 分類: 検知）", False),
    (catalog.INVALID_DATE, "en", "Alert on lag above 60 s — owner: @a, due: 2024-02-30, phase: post-release, category: detection", True),
    (catalog.INVALID_DATE, "en", "Alert on lag above 60 s — owner: @a, due: 2024-02-29, phase: post-release, category: detection", False),
    (catalog.INVALID_DATE, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024年2月30日, フェーズ: 本番リリース後, 分類: 検知）", True),
    (catalog.INVALID_DATE, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024年2月29日, フェーズ: 本番リリース後, 分類: 検知）", False),
    (catalog.UNKNOWN_PHASE, "en", "Alert on lag above 60 s — owner: @a, due: 2024-05-01, phase: someday, category: detection", True),
    (catalog.UNKNOWN_PHASE, "en", "Alert on lag above 60 s — owner: @a, due: 2024-05-01, phase: Prod, category: detection", False),
    (catalog.UNKNOWN_PHASE, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024-05-01, フェーズ: そのうち, 分類: 検知）", True),
    (catalog.UNKNOWN_PHASE, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024-05-01, フェーズ: 機能検証時, 分類: 検知）", False),
    (catalog.UNKNOWN_CATEGORY, "en", "Alert on lag above 60 s — owner: @a, due: 2024-05-01, phase: post-release, category: misc", True),
    (catalog.UNKNOWN_CATEGORY, "en", "Alert on lag above 60 s — owner: @a, due: 2024-05-01, phase: post-release, category: mitigate", False),
    (catalog.UNKNOWN_CATEGORY, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024-05-01, フェーズ: 本番リリース後, 分類: その他）", True),
    (catalog.UNKNOWN_CATEGORY, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024-05-01, フェーズ: 本番リリース後, 分類: 復旧）", False),
    (catalog.UNUSED_NOQA, "en", "Alert on lag above 60 s — owner: @a, due: 2024-05-01, phase: post-release, category: detection <!-- noqa: AT101 -->", True),
    (catalog.UNUSED_NOQA, "en", "Be more careful — owner: @a, due: 2024-05-01, phase: development, category: recurrence <!-- noqa: AT101 -->", False),
    (catalog.UNUSED_NOQA, "ja", "遅延が60秒を超えたら通知する（担当: @a, 期限: 2024-05-01, フェーズ: 本番リリース後, 分類: 検知） <!-- noqa: vague-action -->", True),
    (catalog.UNUSED_NOQA, "ja", "今後は細心の注意を払う（担当: @a, 期限: 2024-05-01, フェーズ: 開発時, 分類: 再発防止） <!-- noqa: vague-action -->", False),
]


@pytest.mark.parametrize(("rule", "lang", "line", "flagged"), CASES,
                         ids=[f"{r.name}-{lang}-{'pos' if f else 'neg'}-{i}" for i, (r, lang, _, f) in enumerate(CASES)])
def test_rule_on_one_action(tmp_path: Path, rule: catalog.Rule, lang: str, line: str, flagged: bool) -> None:
    good, fill = (GOOD_EN, FILL_EN) if lang == "en" else (GOOD_JA, FILL_JA)
    found = codes_at(tmp_path, doc(line, good, fill))
    assert (rule.code in found) is flagged, found


def test_every_rule_has_english_and_japanese_cases_both_ways() -> None:
    covered = {(rule.code, lang, flagged) for rule, lang, _, flagged in CASES}
    covered |= {(code, lang, flagged) for code, lang, flagged in DOCUMENT_LEVEL}
    action_rules = [r for r in catalog.RULES if r.code not in NOT_PER_ACTION]
    for rule in action_rules:
        for lang in ("en", "ja"):
            assert (rule.code, lang, True) in covered, (rule.name, lang, "positive")
            assert (rule.code, lang, False) in covered, (rule.name, lang, "negative")


NOT_PER_ACTION = {"AT001", "AT002", "AT003", "AT007", "AT008", "AT009"}  # input files: tests/reader
DOCUMENT_LEVEL = {
    ("AT206", "en", True), ("AT206", "en", False), ("AT206", "ja", True), ("AT206", "ja", False),
    ("AT301", "en", True), ("AT301", "en", False), ("AT301", "ja", True), ("AT301", "ja", False),
    ("AT302", "en", True), ("AT302", "en", False), ("AT302", "ja", True), ("AT302", "ja", False),
    ("AT303", "en", True), ("AT303", "en", False), ("AT303", "ja", True), ("AT303", "ja", False),
    ("AT010", "en", True), ("AT010", "en", False), ("AT010", "ja", True), ("AT010", "ja", False),
}


PROSE_ONLY = {
    "en": ("# Queue outage\n\n## What happened\nThe consumer stalled for an hour.\n\n"
           "## Closing thoughts\nWe will add an alert when the consumer lag exceeds ten minutes.\n"),
    "ja": ("# キュー停止の障害報告\n\n## 事象\nコンシューマが1時間停止しました。\n\n"
           "## おわりに\n今後はコンシューマの遅延が10分を超えたら通知するアラートを追加してまいります。\n"),
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_actions_read_from_closing_prose_are_reported(tmp_path: Path, lang: str) -> None:
    found = codes_at(tmp_path, PROSE_ONLY[lang], line=None)
    heading = "Action items" if lang == "en" else "再発防止策"
    listed = codes_at(tmp_path, doc(GOOD_EN if lang == "en" else GOOD_JA, FILL_EN if lang == "en" else FILL_JA,
                                    heading=heading), line=None)
    assert "AT010" in found and "AT301" not in found
    assert "AT010" not in listed


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_duplicate_action(tmp_path: Path, lang: str) -> None:
    good, fill = (GOOD_EN, FILL_EN) if lang == "en" else (GOOD_JA, FILL_JA)
    twice = codes_at(tmp_path, doc(good, fill, good.replace("@ana", "@cy")), line=None)
    once = codes_at(tmp_path, doc(good, fill), line=None)
    assert "AT206" in twice and "AT206" not in once


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_postmortem_without_actions(tmp_path: Path, lang: str) -> None:
    heading = "Action items" if lang == "en" else "再発防止策"
    empty = codes_at(tmp_path, f"---\nid: X\n---\n# 障害\n## {heading}\n\n", line=None)
    full = codes_at(tmp_path, doc(GOOD_EN if lang == "en" else GOOD_JA, FILL_EN if lang == "en" else FILL_JA,
                                  heading=heading), line=None)
    assert "AT301" in empty and "AT301" not in full


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_coverage_of_detection_and_recurrence(tmp_path: Path, lang: str) -> None:
    good, fill = (GOOD_EN, FILL_EN) if lang == "en" else (GOOD_JA, FILL_JA)
    only_detection = codes_at(tmp_path, doc(good), line=None)
    only_recurrence = codes_at(tmp_path, doc(fill), line=None)
    both = codes_at(tmp_path, doc(good, fill), line=None)
    assert "AT303" in only_detection and "AT302" not in only_detection
    assert "AT302" in only_recurrence and "AT303" not in only_recurrence
    assert not {"AT302", "AT303"} & both


def test_coverage_says_nothing_while_a_category_is_unknown(tmp_path: Path) -> None:
    """"Talk to the vendor" could be the detection action: missing-category speaks, coverage does not."""
    found = codes_at(tmp_path, doc(FILL_EN, "Talk to the vendor — owner: @a, due: 2024-05-01"), line=None)
    assert "AT204" in found and "AT302" not in found


def test_coverage_counts_suggested_categories(tmp_path: Path) -> None:
    """An untagged 'Alert when…' still counts as detection for the coverage rule."""
    found = codes_at(tmp_path, doc("Alert when lag exceeds 60 s for 5 minutes — owner: @a, due: 2024-05-01", FILL_EN),
                     line=None)
    assert "AT302" not in found


def test_noqa_suppresses_one_rule_on_one_action(tmp_path: Path) -> None:
    line = "Be more careful — owner: @a, due: 2024-05-01, phase: development, category: recurrence"
    assert "AT101" in codes_at(tmp_path, doc(line, GOOD_EN, FILL_EN))
    assert "AT101" not in codes_at(tmp_path, doc(line + " <!-- noqa: vague-action -->", GOOD_EN, FILL_EN))
    everything = codes_at(tmp_path, doc("Be careful <!-- noqa -->", GOOD_EN, FILL_EN))
    assert everything == set()


def test_select_and_ignore_by_code_name_and_prefix(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(doc("Be more careful"), encoding="utf-8")
    every = {f.code for f in lint_paths([path]).findings}
    assert {"AT101", "AT201", "AT202"} <= every
    only_vague = {f.code for f in lint_paths([path], LintSettings(select=("vague-action",))).findings}
    assert only_vague == {"AT101"}
    no_completeness = {f.code for f in lint_paths([path], LintSettings(ignore=("AT2",))).findings}
    assert not any(code.startswith("AT2") for code in no_completeness) and "AT101" in no_completeness


def test_done_actions_need_no_owner_or_due_date(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(doc("[x] Alert on lag above 60 s #post-release #detection", FILL_EN), encoding="utf-8")
    assert not {"AT201", "AT202"} & {f.code for f in lint_paths([path]).findings}


@pytest.mark.parametrize("done", ["[x] Write the runbook for the batch stop", "[x] 手順書にバッチ停止手順をまとめる"])
def test_done_actions_get_no_missing_tag_warnings(tmp_path: Path, done: str) -> None:
    open_codes = codes_at(tmp_path, doc(done.removeprefix("[x] "), GOOD_EN, FILL_EN))
    assert {"AT203", "AT204"} <= open_codes
    assert not {"AT203", "AT204"} & codes_at(tmp_path, doc(done, GOOD_EN, FILL_EN))


@pytest.mark.parametrize(("field", "written", "meant"), [
    ("phase", "prod-ish", "post-release"), ("phase", "devlopment", "development"),
    ("category", "detecton", "detection"), ("category", "recurence", "recurrence"),
])
def test_unknown_phase_or_category_says_what_it_probably_meant(
        tmp_path: Path, field: str, written: str, meant: str) -> None:
    path = tmp_path / "pm.md"
    path.write_text(doc(f"Alert on lag above 60 s — owner: @a, due: 2024-05-01, {field}: {written}", GOOD_EN),
                    encoding="utf-8")
    finding = next(f for f in lint_paths([path]).findings if f.code in ("AT005", "AT006"))
    assert finding.message.endswith(f"did you mean {meant!r}?"), finding.message


def test_an_unknown_phase_nothing_resembles_gets_no_guess(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(doc("Alert on lag above 60 s — owner: @a, due: 2024-05-01, phase: someday", GOOD_EN),
                    encoding="utf-8")
    finding = next(f for f in lint_paths([path]).findings if f.code == "AT005")
    assert "did you mean" not in finding.message


def test_unused_noqa_names_the_stale_and_the_misspelt_codes(tmp_path: Path) -> None:
    stale = codes_at(tmp_path, doc(GOOD_EN + " <!-- noqa: AT101, AT9999 -->", FILL_EN))
    assert "AT901" in stale
    path = tmp_path / "pm.md"
    message = next(f.message for f in lint_paths([path]).findings if f.code == "AT901")
    assert "AT101 matches no finding" in message and "'AT9999'" in message
    bare = codes_at(tmp_path, doc(GOOD_EN + " <!-- noqa -->", FILL_EN))
    assert bare == {"AT901"}  # a bare noqa on a clean action suppresses nothing


def test_unused_noqa_leaves_codes_of_unselected_rules_alone(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(doc(GOOD_EN + " <!-- noqa: AT101 -->", FILL_EN), encoding="utf-8")
    only_completeness = LintSettings(select=("AT2", "AT901"))
    assert "AT901" not in {f.code for f in lint_paths([path], only_completeness).findings}
    assert "AT901" in {f.code for f in lint_paths([path]).findings}


def test_unused_noqa_in_toml_and_front_matter(tmp_path: Path) -> None:
    toml = tmp_path / "pm.toml"
    toml.write_text('title = "Outage"\ndate = 2024-04-01\nnoqa = ["AT303"]\n[[actions]]\n'
                    'title = "Alert when lag exceeds 60 s"\nowner = "a"\ndue = 2024-05-01\n'
                    'phase = "post-release"\ncategory = "detection"\nnoqa = ["AT202"]\n', encoding="utf-8")
    found = {(f.code, f.line) for f in lint_paths([toml]).findings}
    assert ("AT901", 4) in found  # the action's AT202: it has a due date
    assert not any(code == "AT901" and line == 1 for code, line in found)  # AT303 did fire: used


def test_samples_report_what_a_reviewer_would_and_nothing_else(samples_dir: Path) -> None:
    report = lint_paths([samples_dir])
    got = {(f.path.name, f.line, f.code) for f in report.findings}
    expected = {
        ("2020-09-29-nginx-stale-upstream.md", 23, "AT101"),  # Improve monitoring
        ("2020-09-29-nginx-stale-upstream.md", 23, "AT202"),
        ("2020-09-29-nginx-stale-upstream.md", 23, "AT203"),
        ("2020-09-29-nginx-stale-upstream.md", 23, "AT204"),
        ("2020-09-29-nginx-stale-upstream.md", 24, "AT101"),  # Investigate … with no outcome
        ("2020-09-29-nginx-stale-upstream.md", 24, "AT201"),
        ("2020-09-29-nginx-stale-upstream.md", 24, "AT202"),
        ("2020-09-29-nginx-stale-upstream.md", 24, "AT203"),
        ("2020-09-29-nginx-stale-upstream.md", 24, "AT204"),
        ("2020-10-20-migration-duplicate-key.md", 22, "AT101"),  # Double-check …
        ("2020-10-20-migration-duplicate-key.md", 22, "AT202"),
        ("2021-04-02-push-notification-spike.md", 31, "AT101"),  # 細心の注意を払って
        ("2021-04-02-push-notification-spike.md", 31, "AT202"),
        ("2021-04-02-push-notification-spike.md", 31, "AT203"),
        ("2021-04-02-push-notification-spike.md", 31, "AT204"),
        ("2021-04-02-push-notification-spike.md", 32, "AT102"),  # エラーを握りつぶす
        ("2021-04-02-push-notification-spike.md", 32, "AT201"),
        ("2021-04-02-push-notification-spike.md", 32, "AT202"),
        ("2021-04-02-push-notification-spike.md", 32, "AT203"),
        ("2021-04-02-push-notification-spike.md", 32, "AT204"),
        ("2023-06-30-cdc-connector-stall.md", 42, "AT101"),  # Be more careful
        ("2023-06-30-cdc-connector-stall.md", 43, "AT202"),
        ("2024-11-13-iam-permission-release.toml", 32, "AT104"),  # Rewrite the whole platform
        ("2024-11-13-iam-permission-release.toml", 32, "AT202"),
    }
    assert got == expected
    assert report.action_count == 25
