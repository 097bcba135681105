"""What a user of `actiontrack lint` sees: the phrase, the reason and a concrete suggestion."""

from __future__ import annotations

import re

import pytest

from actiontrack.wording import (
    WordingMatch,
    find_error_hiding,
    find_oversized,
    find_punitive,
    find_vague,
)

# Words that name a mechanism a third person could verify as done.
MECHANISM = re.compile(
    r"checklist|template|automated check|CI|test|alert|threshold|runbook|dashboard|metric|"
    r"pipeline|canary|design doc|document|ticket|guard|check|lint|CODEOWNERS|"
    r"チェックリスト|手順書|自動|テスト|アラート|閾値|ドキュメント|チケット|CI|lint",
)

FLAGGED = (
    (find_vague, "Double-check master data before every release."),
    (find_vague, "Be more careful when reviewing connector configuration changes"),
    (find_vague, "Improve monitoring"),
    (find_vague, "Investigate nginx resolver settings"),
    (find_vague, "Remind the team to update the status page"),
    (find_vague, "今後は細心の注意を払って確認を入念に行う"),
    (find_vague, "周知する"),
    (find_vague, "監視を強化する"),
    (find_error_hiding, "Silence the 5xx alert"),
    (find_error_hiding, "Swallow connector exceptions"),
    (find_error_hiding, "Raise the error-rate alert threshold from 1% to 5%"),
    (find_error_hiding, "5xxのアラートが鳴らないようにエラーを握りつぶす"),
    (find_punitive, "Freeze all releases until the end of the quarter"),
    (find_punitive, "Require manager approval for every production deploy"),
    (find_punitive, "担当者に始末書を提出させる"),
    (find_oversized, "Rewrite the whole deployment platform"),
    (find_oversized, "デプロイ基盤を全面的に刷新する"),
)


@pytest.mark.parametrize(("detect", "text"), FLAGGED, ids=lambda v: getattr(v, "__name__", v))
def test_a_finding_quotes_the_text_and_names_a_mechanism(detect: object, text: str) -> None:
    found = detect(text)  # type: ignore[operator]
    assert isinstance(found, WordingMatch)
    assert found.phrase and found.phrase in text, "the phrase must be quoted as written"
    assert found.reason and not found.reason.endswith("."), "the reason reads after the phrase"
    assert MECHANISM.search(found.suggestion), found.suggestion


def test_suggestion_is_tailored_to_what_follows_the_phrase() -> None:
    found = find_vague("Double-check master data before every release.")
    assert found is not None
    assert "'master data before every release'" in found.suggestion
    assert "checklist" in found.suggestion and "automated check" in found.suggestion


def test_monitoring_and_testing_get_different_suggestions() -> None:
    monitoring = find_vague("Improve monitoring")
    testing = find_vague("Add more tests")
    assert monitoring is not None and testing is not None
    assert "threshold" in monitoring.suggestion and "duration" in monitoring.suggestion
    assert "CI test" in testing.suggestion
    assert monitoring.reason != testing.reason


def test_japanese_phrases_get_japanese_suggestions() -> None:
    found = find_vague("確認を徹底する")
    assert found is not None
    assert "チェックリスト" in found.suggestion


def test_an_investigation_suggestion_asks_for_an_outcome() -> None:
    found = find_vague("Investigate nginx resolver settings")
    assert found is not None
    assert found.phrase == "Investigate nginx resolver settings"
    assert "whether" in found.suggestion and "decision" in found.suggestion


def test_case_does_not_matter_but_the_phrase_keeps_its_case() -> None:
    found = find_vague("BE MORE CAREFUL when deploying")
    assert found is not None and found.phrase == "BE MORE CAREFUL"


def test_the_first_offending_phrase_is_reported() -> None:
    found = find_vague("Try to double-check the config")
    assert found is not None and found.phrase == "Try to"


@pytest.mark.parametrize(
    "text",
    [
        "Add a CI check that fails when max.batch.size is above 2048",
        "Alert when lag exceeds 60 s for 5 minutes",
        "レスポンス速度の劣化を監視し閾値超過でSlackに通知する",
        "Double-check the schema diff via a checklist step in the release template",
        "Investigate X and write up the findings by 2024-05-01",
        "Confirm from heap dumps whether the OOM was caused by the snapshot",
        "Improve monitoring by adding an alert on p99 latency > 2s",
        "手順をWikiにまとめ、オンボーディング資料に追加する",
    ],
)
def test_concrete_actions_from_the_brief_pass_every_detector(text: str) -> None:
    for detect in (find_vague, find_error_hiding, find_punitive, find_oversized):
        assert detect(text) is None, (detect.__name__, text)


def test_detectors_share_no_state_between_texts() -> None:
    assert find_vague("Improve monitoring") is not None
    assert find_vague("Alert when lag exceeds 60 s") is None
    assert find_vague("Improve monitoring") is not None
