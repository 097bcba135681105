"""Bad input never crashes a run: it becomes a finding with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actiontrack.reader import read_file, read_paths


def codes(result: object) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in result.findings]  # type: ignore[attr-defined]


def test_broken_front_matter_is_reported_and_actions_still_read(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text("---\ntitle: x\ndate: [2024\n---\n# X\n## Action items\n- Alert on lag\n", encoding="utf-8")
    result = read_file(path)
    assert [c for c, _ in codes(result)] == ["AT002"]
    assert result.postmortem is not None and len(result.postmortem.actions) == 1


def test_unclosed_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text("---\ntitle: x\n# X\n## Action items\n- Alert\n", encoding="utf-8")
    assert codes(read_file(path)) == [("AT002", 1)]


def test_bad_dates_point_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text(
        "# X\n## Action items\n- Alert on lag — due: 2024-02-30\n- Add a test — 期限: 2024年13月1日\n"
        "- Add a check — due: 03/04/2024\n",
        encoding="utf-8",
    )
    result = read_file(path)
    assert codes(result) == [("AT004", 3), ("AT004", 4), ("AT004", 5)]
    assert "ambiguous" in result.findings[2].message
    assert result.postmortem is not None and [a.raw_due for a in result.postmortem.actions] == [
        "2024-02-30", "2024年13月1日", "03/04/2024"]


@pytest.mark.parametrize(("text", "line"), [
    # PyYAML raised ValueError on a date-shaped value that is no date: the whole file was lost.
    ("---\ntitle: Checkout outage\ndate: 2024-13-45\ntags: [a, b]\n---\n# Checkout outage\n"
     "## Action items\n- Alert on p99 above 2 s\n", 3),
    ("---\ntitle: 決済障害\ntags: [障害]\ndate: 2024-02-30\n---\n# 決済障害\n## 再発防止策\n"
     "- 遅延が2秒を超えたら通知する\n", 4),
])
def test_an_impossible_date_in_rich_front_matter_is_a_bad_date(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "pm.md"
    path.write_text(text, encoding="utf-8")
    result = read_file(path)
    assert codes(result) == [("AT004", line)]
    assert result.postmortem is not None and len(result.postmortem.actions) == 1
    assert result.postmortem.title in ("Checkout outage", "決済障害")


def test_unknown_phase_and_category_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_text("# X\n## Action items\n- Alert — phase: someday, category: misc\n", encoding="utf-8")
    result = read_file(path)
    assert [(f.code, f.line) for f in result.findings] == [("AT005", 3), ("AT006", 3)]
    assert "'someday'" in result.findings[0].message


def test_unreadable_file_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"# X\n## Action items\n- \xff\xfe broken\n")
    (tmp_path / "b.md").write_text("# Y\n## Action items\n- Alert on lag\n", encoding="utf-8")
    results = read_paths([tmp_path])
    assert [(r.path.name, [f.code for f in r.findings]) for r in results] == [("a.md", ["AT001"]), ("b.md", [])]
    assert "UTF-8" in results[0].findings[0].message


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pm.toml"
    path.write_text('title = "x"\n[[actions]]\ntitle = "a\nowner = "b"\n', encoding="utf-8")
    assert codes(read_file(path))[0] == ("AT003", 3)


def test_duplicate_postmortem_ids_across_files(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("---\nid: PM-1\n---\n# X\n## Action items\n- A\n", encoding="utf-8")
    results = read_paths([tmp_path])
    assert [f.code for r in results for f in r.findings] == ["AT009"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("-#|*[]x:：()（）@\n 　12-/年月日ab再発防止担当期限owner:due:phase:---`~<!>")), max_size=300))
def test_markdown_reader_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.md"
    path.write_text(text, encoding="utf-8")
    read_file(path)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_markdown_reader_never_raises_on_any_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.md"
    path.write_text("---\n" + text if text.startswith("a") else "## Action items\n" + text, encoding="utf-8")
    read_file(path)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('[]=\n "actionsitleowerdu2024-01-0{},tags')), max_size=200))
def test_toml_reader_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_text(text, encoding="utf-8")
    read_file(path)
