"""Focused tests for what the unseen postmortems taught us (see test_unseen_postmortems.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from actiontrack.dates import DateError, parse_date
from actiontrack.model import Category
from actiontrack.reader import read_file
from actiontrack.reader.fields import split_fields
from actiontrack.tagging import suggest_category, suggest_phase
from actiontrack.taxonomy import is_done_status, is_placeholder
from actiontrack.wording import find_punitive, find_vague

JUNE_20 = dt.date(2024, 6, 20)


@pytest.mark.parametrize(("written", "reference", "expected"), [
    ("7月末", JUNE_20, dt.date(2024, 7, 31)),
    ("7月中", JUNE_20, dt.date(2024, 7, 31)),
    ("9月13日", JUNE_20, dt.date(2024, 9, 13)),
    ("end of August", JUNE_20, dt.date(2024, 8, 31)),
    ("July 15", JUNE_20, dt.date(2024, 7, 15)),
    ("1月末", JUNE_20, dt.date(2025, 1, 31)),  # a deadline lies ahead: next January
    ("7月末", dt.date(2024, 12, 10), dt.date(2025, 7, 31)),
    ("6月10日", JUNE_20, dt.date(2024, 6, 10)),  # just before: kept, reported as due before the incident
    ("2024年7月末", None, dt.date(2024, 7, 31)),
    ("End of Aug 2025", None, dt.date(2025, 8, 31)),
    ("令和6年11月29日", None, dt.date(2024, 11, 29)),
    ("令和元年5月1日", None, dt.date(2019, 5, 1)),
    ("07/15/2024", None, dt.date(2024, 7, 15)),
    ("15/07/2024", None, dt.date(2024, 7, 15)),
    ("04/04/2024", None, dt.date(2024, 4, 4)),
    ("2024/7/1", None, dt.date(2024, 7, 1)),
    ("7/15", JUNE_20, dt.date(2024, 7, 15)),  # month/day, as Japanese and US tables write it
    ("6/30まで", JUNE_20, dt.date(2024, 6, 30)),
])
def test_dates_as_teams_write_them(written: str, reference: dt.date | None, expected: dt.date) -> None:
    assert parse_date(written, reference) == expected


@pytest.mark.parametrize(("written", "reference", "message"), [
    ("7月末", None, "'7月末' has no year: write it as YYYY-MM-DD (e.g. 2024-07-31)"),
    ("Q3", JUNE_20, "'Q3' is a quarter, not a day: write the day it is due as YYYY-MM-DD (e.g. 2024-09-30"),
    ("next sprint", JUNE_20, "not a date: 'next sprint'; write it as YYYY-MM-DD"),
    ("03/04/2024", None, "ambiguous date '03/04/2024'"),
    ("7/15", None, "'7/15' has no year: write it as YYYY-MM-DD (e.g. 2024-07-15)"),
    ("13月末", JUNE_20, "month must be in 1..12"),
])
def test_periods_and_ambiguous_dates_are_refused_with_a_way_out(
    written: str, reference: dt.date | None, message: str
) -> None:
    with pytest.raises(DateError) as raised:
        parse_date(written, reference)
    assert message in str(raised.value)


@pytest.mark.parametrize(("status", "done"), [
    ("Done ✅", True), ("✅ Done", True), ("完了（10/15）", True), ("Closed - see PR", True),
    ("実施済み", True), ("Not done", False), ("完了予定", False), ("In progress", False), ("未着手", False),
    ("`DONE`", True), ("**Closed**", True), ("`IN PROGRESS`", False),  # Confluence status macros
])
def test_decorated_statuses(status: str, done: bool) -> None:
    assert is_done_status(status) is done


def test_placeholders_mean_no_value() -> None:
    assert all(is_placeholder(v) for v in ("TBD", " n/a ", "未定", "-", "調整中"))
    assert not is_placeholder("2024-07-01")


@pytest.mark.parametrize(("text", "title", "values", "handles", "tickets"), [
    ("DBの修正（担当：山田（SRE）、期限：2024-07-01）", "DBの修正",
     {"owner": "山田（SRE）", "due": "2024-07-01"}, [], []),
    ("Rotate keys (owner: Alice (SRE), due: 2024-07-01)", "Rotate keys",
     {"owner": "Alice (SRE)", "due": "2024-07-01"}, [], []),
    ("Add a test — @ivan, 2024-03-08", "Add a test", {"due": "2024-03-08"}, ["ivan"], []),
    ("Log slow queries — @ivan, due 2024-03-15", "Log slow queries", {"due": "2024-03-15"}, ["ivan"], []),
    ("Use PgBouncer - gitlab-com/gl-infra/production#17423", "Use PgBouncer", {}, [],
     ["gitlab-com/gl-infra/production#17423"]),
])
def test_trailing_fields(
    text: str, title: str, values: dict[str, str], handles: list[str], tickets: list[str]
) -> None:
    got_title, fields = split_fields(text)
    assert (got_title, fields.values, fields.handles, fields.tickets) == (title, values, handles, tickets)


@pytest.mark.parametrize("text", [
    "Delete backups older than 2024-01-01",
    "Ask @bob by 2024-03-01 to confirm the vendor's limit",
])
def test_a_date_in_prose_stays_in_the_title(text: str) -> None:
    title, fields = split_fields(text)
    assert title == text and "due" not in fields.values


def _read(tmp_path: Path, text: str) -> tuple[list[tuple[int, str]], list[str]]:
    path = tmp_path / "pm.md"
    path.write_text(text, encoding="utf-8")
    result = read_file(path)
    assert result.postmortem is not None
    return [(a.line, a.title) for a in result.postmortem.actions], [f.code for f in result.findings]


def test_a_timeline_table_header_is_not_the_postmortem_date(tmp_path: Path) -> None:
    actions, findings = _read(tmp_path, "# Outage\n\n| Date | Event |\n|---|---|\n| 10:00 | deploy |\n\n"
                                        "## Action items\n- Alert on 5xx above 1% — owner: @a, due: 2024-07-01\n")
    assert actions == [(8, "Alert on 5xx above 1%")] and findings == []


def test_a_commented_out_section_and_a_pipe_in_prose_are_not_actions(tmp_path: Path) -> None:
    actions, _ = _read(tmp_path, "# Outage\n\n<!--\n## Action items\n- [ ] Template action\n-->\n\n"
                                 "## Prevention\nCost | benefit\n\n---\n- [ ] Cap retries at 5\n")
    assert actions == [(12, "Cap retries at 5")]


def test_bracket_headings_end_at_the_next_bracket_that_is_no_phase(tmp_path: Path) -> None:
    actions, _ = _read(tmp_path, "障害報告\n【再発防止策】\n【検知】\n・遅延を通知する\n【所感】\n・気をつけたい\n")
    assert actions == [(4, "遅延を通知する")]


def test_done_sub_section_and_struck_through_items(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text("# Outage\n## 対応策\n### 暫定対応（実施済み）\n- cron を停止した\n### 恒久対応\n"
                    "- ~~基盤を刷新する~~（見送り）\n- ロックを導入する\n", encoding="utf-8")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [(a.title, a.done) for a in pm.actions] == [("cron を停止した", True), ("ロックを導入する", False)]


@pytest.mark.parametrize(("text", "flagged"), [
    ("Communicate better with the merchandising team", True),
    ("Collaborate more closely with QA on releases", True),
    ("営業チームとの連携を密にする", True),
    ("Communicate better with support via a #incident channel", False),
    ("Communicate the new limits to customers by email", False),
])
def test_communicate_better_is_vague(text: str, flagged: bool) -> None:
    assert (find_vague(text) is not None) is flagged


@pytest.mark.parametrize(("text", "flagged"), [
    ("Freeze production until 2015-11-20 due to error budget exhaustion", True),
    ("Freeze production data snapshots nightly", False),
    ("Freeze production deploys if the canary fails", False),
])
def test_freeze_production(text: str, flagged: bool) -> None:
    assert (find_punitive(text) is not None) is flagged


def test_suggestions_that_misread_a_word() -> None:
    # "signature verification" is no verification phase, ログファイル no log: the predicate decides
    assert suggest_phase("Re-enable signature verification").words == ("Re-enable",)
    test = "Add a test that counts queries on the dashboard endpoint and fails above 20"
    assert suggest_category(test).value == Category.RECURRENCE
    assert suggest_category("古いログファイルを90日で自動削除する").words == ("削除",)


def test_only_a_done_note_or_a_one_word_done_heading_marks_actions_done(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text("# PM\n## Action items\n### Resolved alerts to add\n- Alert on X\n### Completed\n"
                    "- Restarted the pods\n", encoding="utf-8")
    pm = read_file(path).postmortem
    assert pm is not None
    assert [(a.title, a.done) for a in pm.actions] == [("Alert on X", False), ("Restarted the pods", True)]
