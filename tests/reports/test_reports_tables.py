"""Text tables: East Asian widths align, a terminal's width is kept, ids and dates are never cut."""

from __future__ import annotations

from actiontrack.tables import Column, cell_width, render

COLUMNS = [Column("key"), Column("due"), Column("owner"), Column("action", wrap=True), Column("postmortem")]
ROWS = [["OPS-1", "2025-03-01", "田中", "ログ監視のアラート閾値を見直して通知先を当番に変更する", "2025-02-01-db"],
        ["OPS-22", "2025-03-15", "kim", "Add a CI test that fails when the pool size exceeds twenty connections",
         "2025-02-01-db"]]


def test_columns_align_whatever_the_script() -> None:
    lines = render(COLUMNS, ROWS, width=10_000).splitlines()
    starts = {cell_width(line[: line.index(marker)]) for line, marker in zip(lines[2:], ("ログ", "Add"), strict=True)}
    assert len(starts) == 1 and starts == {cell_width(lines[0][: lines[0].index("action")])}


def test_a_narrow_terminal_shrinks_only_the_free_text() -> None:
    lines = render(COLUMNS, ROWS, width=72).splitlines()
    assert all(cell_width(line) <= 72 for line in lines)
    assert "2025-03-01" in lines[2] and "2025-02-01-db" in lines[2] and "OPS-22" in lines[3]
    assert "…" in lines[2] and "…" in lines[3]


def test_escape_sequences_in_user_text_are_dropped() -> None:
    text = render([Column("action", wrap=True)], [["Fix \x1b]0;owned\x07it"]], width=80)
    assert "\x1b" not in text and "Fix it" in text
