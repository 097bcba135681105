"""Confluence through the real client against the sandbox: reading, incremental re-runs,
write-back, a person's edit between read and write-back, deleted pages, broken pages."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from confluence_pages import ENGLISH, JAPANESE
from confluence_support import confluence_config

from actiontrack.config import Config
from actiontrack.lint import LintReport
from actiontrack.model import Postmortem
from actiontrack.sandbox import Sandbox
from actiontrack.sources import lint_targets, page_spec


def lint_pages(config: Config, *targets: str, full: bool = False) -> LintReport:
    return lint_targets([], [page_spec(t) for t in targets or ("confluence:",)], config=lambda: config, full=full)


def only(report: LintReport, title: str) -> Postmortem:
    return next(pm for pm in report.postmortems if pm.title == title)


def links_for(pm: Postmortem, *, done: tuple[str, ...] = (), tracker: str = "jira") -> dict[str, Any]:
    """Store rows as sync leaves them: one issue per action (done for the titles named)."""
    rows = {}
    for number, action in enumerate(pm.actions, start=101):
        key = f"OPS-{number}" if tracker == "jira" else str(number)
        url = (f"https://jira.example.test/browse/{key}" if tracker == "jira"
               else f"https://github.example.test/acme/ops/issues/{number}")
        rows[action.id] = SimpleNamespace(key=key, url=url, tracker=tracker,
                                          state="done" if action.title in done else "open")
    return rows


def counts(sb: Sandbox) -> dict[str, int]:
    return {k.removeprefix("confluence "): v for k, v in sb.counts()["by_endpoint"].items()
            if k.startswith("confluence ")}


JA = "障害の記録 2024-06-03 決済API遅延"
EN = "Postmortem: checkout config push"


@pytest.fixture
def pages(site: Sandbox) -> dict[str, str]:
    return {
        JA: site.confluence.create_page("OPS", JA, JAPANESE, labels=("postmortem",)),
        EN: site.confluence.create_page("OPS", EN, ENGLISH, labels=("postmortem",)),
        "notes": site.confluence.create_page("OPS", "Team notes", "<p>Not a postmortem</p>"),
    }


def test_the_configured_pages_are_read_with_their_tables_and_task_lists(
        site: Sandbox, pages: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = lint_pages(confluence_config(site, tmp_path, monkeypatch))
    assert sorted(pm.title for pm in report.postmortems) == sorted([JA, EN])  # the label picks them
    ja = only(report, JA)
    assert [(a.title, a.owner) for a in ja.actions][:2] == [
        ("接続プールの枯渇を検知するアラートを追加する", "田中 花子"), ("タイムアウト値を設定ファイルに明記する", "佐藤")]
    assert only(report, EN).actions[0].owner == "Dana Ops"  # a mention, by the person's display name
    vague = [f for f in report.findings if f.code == "AT101"]
    assert [f.location for f in vague] == [f"{EN} › Follow-ups › task 2"]
    assert vague[0].link is not None and pages[EN] in vague[0].link


def test_one_page_by_id_or_by_url(site: Sandbox, pages: dict[str, str], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    config = confluence_config(site, tmp_path, monkeypatch)
    by_id = lint_pages(config, f"confluence:{pages[EN]}")
    assert [pm.title for pm in by_id.postmortems] == [EN]
    url = only(by_id, EN).url
    assert url is not None
    by_url = lint_pages(config, url)
    assert [pm.title for pm in by_url.postmortems] == [EN]


def test_a_rerun_with_nothing_changed_costs_one_request(site: Sandbox, pages: dict[str, str], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    config = confluence_config(site, tmp_path, monkeypatch)
    for number in range(150):  # a space of many pages: search pages through its cursor
        site.confluence.create_page("OPS", f"Postmortem {number}", "<h2>Action items</h2><ul><li>Add a probe "
                                    f"{number} — owner: @lee, due: 2030-01-01</li></ul>", labels=("postmortem",))
    site.reset_counts()
    first = lint_pages(config)
    assert len(first.postmortems) == 152
    search = "GET /wiki/rest/api/search" if site.config.confluence_deployment == "Cloud" else "GET /rest/api/search"
    assert counts(site)[search] == 2  # 100 a page, following _links.next
    site.advance_time(3600)  # an hour later: nothing changed meanwhile
    site.reset_counts()
    second = lint_pages(config)
    assert counts(site) == {search: 1}
    assert second.action_count == first.action_count and second.findings == first.findings
    site.advance_time(120)
    site.confluence.edit_page(pages[EN], storage=ENGLISH.replace("Validate config schema", "Validate the schema"))
    site.reset_counts()
    third = lint_pages(config)
    bodies = sum(v for k, v in counts(site).items() if k != search)
    assert counts(site)[search] == 1 and bodies == 1  # the one changed page, and nothing else
    assert "Validate the schema in CI" in [a.title for a in only(third, EN).actions]


def test_a_deleted_page_leaves_the_selection_and_a_named_one_is_a_finding(
        site: Sandbox, pages: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = confluence_config(site, tmp_path, monkeypatch)
    assert len(lint_pages(config).postmortems) == 2
    site.confluence.delete_page(pages[JA])
    again = lint_pages(config)  # the search's total says a page left: it is forgotten
    assert [pm.title for pm in again.postmortems] == [EN]
    named = lint_pages(config, f"confluence:{pages[JA]}")
    assert named.postmortems == ()
    (finding,) = named.findings
    assert finding.code == "AT001" and "deleted" in finding.message and pages[JA] in finding.location


def test_a_broken_page_is_a_finding_and_the_others_are_still_read(
        site: Sandbox, pages: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = site.confluence.create_page("OPS", "Half-saved page", "<h2>Action items</h2><ul><li>Fix it</ul>",
                                         labels=("postmortem",))
    report = lint_pages(confluence_config(site, tmp_path, monkeypatch))
    assert sorted(pm.title for pm in report.postmortems) == sorted([JA, EN])
    (finding,) = [f for f in report.findings if f.code == "AT001"]
    assert finding.location == "Half-saved page (storage format line 1)"
    assert "mismatched tag" in finding.message and broken in (finding.link or "")


def test_write_back_adds_jira_macros_and_ticks_done_tasks_changing_nothing_else(
        site: Sandbox, pages: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = confluence_config(site, tmp_path, monkeypatch)
    pm = only(lint_pages(config), JA)
    done = "負荷試験に接続数の上限シナリオを追加する"
    result = pm.origin.write_back(pm, links_for(pm, done=(done,)))  # type: ignore[union-attr]
    assert result.refused == [] and result.changed == 3  # the row with OPS-3 and the ticked task need nothing
    stored = site.confluence.page(pages[JA])
    assert stored["version"] == 2 and stored["author"] == "demo"
    again = only(lint_pages(config, f"confluence:{pages[JA]}"), JA)
    assert [(a.ticket, a.done) for a in again.actions] == [
        ("OPS-101", False), ("OPS-3", True), ("OPS-103", True), ("OPS-104", True)]
    # nothing else in the storage text changed: remove what was added and the page is as it was
    text = stored["storage"]
    assert text.count('ac:name="jira"') == 4 and text.count("<ac:task-status>complete</ac:task-status>") == 2
    assert _without_additions(text) == _without_additions(JAPANESE)
    assert 'ac:parameter ac:name="serverId">a1b2c3d4' in text  # the application link the page already uses


def _without_additions(storage: str) -> str:
    import re

    storage = re.sub(r' ac:macro-id="[^"]*"', "", storage)
    storage = re.sub(r' ?<ac:structured-macro ac:name="jira"[^>]*>.*?</ac:structured-macro>', "", storage)
    storage = storage.replace("<p></p>", "<p />")
    return storage.replace("complete</ac:task-status>", "incomplete</ac:task-status>").replace(
        "inincomplete", "incomplete")


def test_write_back_links_github_issues(site: Sandbox, pages: dict[str, str], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    config = confluence_config(site, tmp_path, monkeypatch)
    pm = only(lint_pages(config), EN)
    result = pm.origin.write_back(pm, links_for(pm, tracker="github"))  # type: ignore[union-attr]
    assert result.refused == []
    text = site.confluence.page(pages[EN])["storage"]
    assert '<a href="https://github.example.test/acme/ops/issues/101">' in text
    again = only(lint_pages(config, f"confluence:{pages[EN]}"), EN)
    assert again.actions[0].ticket == "https://github.example.test/acme/ops/issues/101"


def test_a_persons_edit_between_read_and_write_back_refuses_the_page_and_loses_nothing(
        site: Sandbox, pages: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = confluence_config(site, tmp_path, monkeypatch)
    pm = only(lint_pages(config), EN)
    edited = ENGLISH.replace("Checkout requests failed", "Checkout requests (not refunds) failed")
    site.confluence.edit_page(pages[EN], storage=edited)
    site.reset_counts()
    result = pm.origin.write_back(pm, links_for(pm))  # type: ignore[union-attr]
    assert result.changed == 0
    (message,) = result.refused
    assert "edited in Confluence since it was read (version 1, now 2)" in message and "nothing lost" in message
    assert site.confluence.page(pages[EN])["storage"] == edited  # the person's words stay
    put = "PUT /wiki/api/v2/pages/{id}" if site.config.confluence_deployment == "Cloud" else "PUT /rest/api/content/{id}"
    assert counts(site)[put] == 1  # Confluence's 409, never a blind retry of the write
    fresh = only(lint_pages(config), EN)  # the next run reads the new version and writes
    assert fresh.origin.write_back(fresh, links_for(fresh)).refused == []  # type: ignore[union-attr]
    assert "(not refunds)" in site.confluence.page(pages[EN])["storage"]


def test_a_page_deleted_before_write_back_is_refused(site: Sandbox, pages: dict[str, str], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    config = confluence_config(site, tmp_path, monkeypatch)
    pm = only(lint_pages(config), EN)
    site.confluence.delete_page(pages[EN])
    result = pm.origin.write_back(pm, links_for(pm))  # type: ignore[union-attr]
    assert result.changed == 0 and "deleted since it was read" in result.refused[0]


def test_rate_limits_are_waited_out_and_a_lost_answer_is_checked_not_resent(
        cloud: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page_id = cloud.confluence.create_page("OPS", EN, ENGLISH, labels=("postmortem",))
    config = confluence_config(cloud, tmp_path, monkeypatch)
    cloud.set_faults("confluence:GET:/wiki/rest/api/search=429:0@#1")
    pm = only(lint_pages(config), EN)  # the 429 is retried after its Retry-After
    assert cloud.count("confluence", "GET", "/wiki/rest/api/search") == 2
    cloud.set_faults("confluence:PUT:/wiki/api/v2/pages/*=timeout-after-commit:close@#1")
    result = pm.origin.write_back(pm, links_for(pm))  # type: ignore[union-attr]
    assert result.refused == [] and result.changed == 4
    assert cloud.count("confluence", "PUT", "/wiki/api/v2/pages/{id}") == 1  # read back, not sent twice
    assert cloud.confluence.page(page_id)["version"] == 2


def test_wrong_credentials_name_the_variables(cloud: Sandbox, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from actiontrack.errors import AuthenticationError

    config = confluence_config(cloud, tmp_path, monkeypatch)
    monkeypatch.setenv("AT_CONFLUENCE_TOKEN", "wrong-token")
    with pytest.raises(AuthenticationError) as raised:
        lint_pages(config)
    assert "AT_CONFLUENCE_EMAIL and AT_CONFLUENCE_TOKEN" in raised.value.message
    assert "wrong-token" not in str(raised.value)


def test_cql_replaces_space_and_label_but_not_both(cloud: Sandbox, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from actiontrack.errors import ConfigError

    cloud.confluence.create_page("OPS", EN, ENGLISH, labels=("postmortem",))
    cloud.confluence.create_page("OPS", JA, JAPANESE, labels=("incident",))
    config = confluence_config(cloud, tmp_path, monkeypatch, space=None, label=None,
                               cql='space = "OPS" and label in ("postmortem", "incident")')
    assert sorted(pm.title for pm in lint_pages(config).postmortems) == sorted([EN, JA])
    with pytest.raises(ConfigError) as raised:
        confluence_config(cloud, tmp_path, monkeypatch, cql="label = postmortem")
    assert "sources.confluence" in raised.value.message


def test_a_data_center_display_url_names_its_page(datacenter: Sandbox, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    datacenter.confluence.create_page("OPS", EN, ENGLISH)
    config = confluence_config(datacenter, tmp_path, monkeypatch)
    url = f"{datacenter.confluence_url}/display/OPS/{EN.replace(' ', '+')}"
    assert [pm.title for pm in lint_pages(config, url).postmortems] == [EN]
