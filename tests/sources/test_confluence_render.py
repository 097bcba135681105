"""The storage format read through the one reader: what a page's actions read as, where
findings point, and how the rendition maps back onto the storage text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from confluence_pages import DANA, ENGLISH, JAPANESE, TANAKA, jira, mention, task

from actiontrack.lint import lint
from actiontrack.sources.confluence.page import PageData, read_page
from actiontrack.sources.confluence.render import render
from actiontrack.sources.confluence.storage import StorageError, parse

NAMES = {DANA: "Dana Ops", TANAKA: "田中 花子"}


def page(storage: str, title: str = "Postmortem: checkout outage", page_id: str = "4242") -> PageData:
    return PageData(page_id, title, 3, storage, f"https://example.test/wiki/spaces/OPS/pages/{page_id}")


def actions(storage: str, title: str = "Postmortem: checkout outage") -> list[tuple[object, ...]]:
    result = read_page(page(storage, title), names=NAMES)
    assert result.postmortem is not None, result.findings
    return [(a.title, a.owner, a.due, a.ticket, a.done) for a in result.postmortem.actions]


def test_a_japanese_page_with_a_table_and_a_task_list() -> None:
    read = actions(JAPANESE, "障害の記録 2024-06-03 決済API遅延")
    assert read == [
        ("接続プールの枯渇を検知するアラートを追加する", "田中 花子", dt.date(2024, 7, 31), None, False),
        ("タイムアウト値を設定ファイルに明記する", "佐藤", dt.date(2024, 7, 15), "OPS-3", True),
        ("負荷試験に接続数の上限シナリオを追加する", "田中 花子", dt.date(2024, 8, 30), None, False),
        ("障害対応の手順書を更新する", "佐藤", dt.date(2024, 6, 30), None, True),
    ]


def test_an_english_page_with_a_table_and_a_task_list() -> None:
    read = actions(ENGLISH)
    assert read == [
        ("Add a canary stage to config pushes", "Dana Ops", dt.date(2024, 6, 30), None, False),
        ("Validate config schema in CI", "lee", dt.date(2024, 6, 15), None, False),
        ("Alert on checkout error rate above 2%", "Dana Ops", dt.date(2024, 6, 20), None, False),
        ("Be more careful with config pushes", None, None, None, False),
    ]  # the code macro's "- [ ]" is no action


def test_the_page_title_and_date_come_from_the_page() -> None:
    result = read_page(page(JAPANESE, "障害の記録 2024-06-03 決済API遅延"), names=NAMES)
    pm = result.postmortem
    assert pm is not None
    assert pm.title == "障害の記録 2024-06-03 決済API遅延"
    assert pm.date == dt.date(2024, 6, 3)
    assert pm.id == "confluence-4242" and str(pm.path) == "confluence:4242"
    assert pm.url == "https://example.test/wiki/spaces/OPS/pages/4242"


def test_findings_name_the_page_its_section_and_row_with_a_link() -> None:
    result = read_page(page(ENGLISH), names=NAMES)
    report = lint([result])
    vague = [f for f in report.findings if f.code == "AT101"]
    assert [f.location for f in vague] == ["Postmortem: checkout outage › Follow-ups › task 2"]
    assert vague[0].link == "https://example.test/wiki/spaces/OPS/pages/4242"
    rows = {f.location for f in report.findings if f.action_text == "Validate config schema in CI"}
    assert rows == {"Postmortem: checkout outage › Action items › row 2"}
    assert all(f.place for f in report.findings)  # never a rendition line number


def test_japanese_findings_name_the_japanese_section() -> None:
    vague = task("今後は確認を徹底する")
    result = read_page(page(f"<h2>再発防止策</h2><ac:task-list>{vague}</ac:task-list>", "障害の記録"), names=NAMES)
    found = [f for f in lint([result]).findings if f.code == "AT101"]
    assert [f.location for f in found] == ["障害の記録 › 再発防止策 › task 1"]


@pytest.mark.parametrize(("storage", "line", "column"), [
    ("<p>unclosed", 1, 12),
    ("<h2>Action items</h2>\n<ul><li>one</ul>", 2, 14),
    ("<p>&unknownentity;</p>", 1, 4),
])
def test_storage_that_is_not_well_formed_is_a_finding_naming_the_page(storage: str, line: int, column: int) -> None:
    with pytest.raises(StorageError) as raised:
        parse(storage)
    assert (raised.value.line, raised.value.column) == (line, column)
    result = read_page(page(storage, "Broken page"))
    assert result.postmortem is None
    (finding,) = result.findings
    assert finding.code == "AT001" and finding.path == Path("confluence:4242")
    assert finding.place == f"Broken page (storage format line {line})"
    assert "not well-formed" in finding.message and finding.link


def test_html_entities_cdata_and_japanese_offsets_map_back_exactly() -> None:
    storage = "<p>a&nbsp;b &amp; 日本語 &rsquo;x</p>"
    rendition = render(parse(storage), "T")
    assert rendition.text.splitlines()[-1] == "a b & 日本語 ’x"
    line_start = rendition.text.rindex("\n", 0, len(rendition.text) - 1) + 1
    at = rendition.storage_after(line_start + len("a b & 日本"))
    assert storage[:at].endswith("日本")


def test_an_insertion_goes_after_inline_formatting_but_inside_the_block() -> None:
    storage = "<ul><li><p>Add <strong>alerts</strong></p></li></ul>"
    rendition = render(parse(storage), "T")
    end = rendition.text.index("alerts") + len("alerts")
    assert storage[: rendition.storage_after(end)].endswith("</strong>")
    assert storage[rendition.storage_after(end):].startswith("</p>")


def test_mentions_dates_status_and_jira_macros_read_as_the_reader_expects() -> None:
    storage = (f"<ul><li>Rotate keys {mention(DANA)} <time datetime=\"2030-01-31\" /> "
               f"{jira('SEC-9')}</li></ul>")
    rendition = render(parse(storage), "T", NAMES)
    assert "- Rotate keys @Dana Ops 2030-01-31 SEC-9" in rendition.text


def test_tables_keep_columns_through_colspan_and_rowspan() -> None:
    storage = ("<table><tbody><tr><th>Action</th><th>Owner</th><th>Due</th></tr>"
               "<tr><td rowspan=\"2\">Shared action</td><td>a</td><td>2030-01-01</td></tr>"
               "<tr><td>b</td><td>2030-02-01</td></tr>"
               "<tr><td colspan=\"2\">Wide</td><td>2030-03-01</td></tr></tbody></table>")
    lines = render(parse(storage), "T").text.splitlines()
    assert "|  | b | 2030-02-01 |" in lines
    assert "| Wide |  | 2030-03-01 |" in lines


def test_pipes_inside_cells_do_not_split_them() -> None:
    read = actions("<h2>Action items</h2><table><tbody><tr><th>Action</th><th>Owner</th></tr>"
                   "<tr><td>Route a|b traffic through the canary</td><td>lee</td></tr></tbody></table>")
    assert read == [("Route a|b traffic through the canary", "lee", None, None, False)]
