"""The safe sinks: what user text may not do to a terminal or a spreadsheet."""

from __future__ import annotations

import pytest

from actiontrack.sinks import csv_cell, terminal, terminal_line


@pytest.mark.parametrize(("raw", "shown"), [
    ("title \x1b]0;owned\x07here", "title here"),  # OSC: would set the terminal's title
    ("a\x1b[2J\x1b[Hb", "ab"),  # clear screen, cursor home
    ("c\x9b31md", "cd"),  # C1 CSI
    ("x\x1bP1$tdcs\x1b\\y", "xy"),  # DCS string
    ("safe \u202eevil", "safe evil"),  # a bidi override that reorders what follows
    ("日本語\tand\nlines", "日本語\tand\nlines"),  # tabs, newlines and scripts are text
])
def test_terminal_strips_sequences_and_controls(raw: str, shown: str) -> None:
    assert terminal(raw) == shown


def test_an_unterminated_sequence_does_not_swallow_later_lines() -> None:
    assert terminal("one\x1b]0;no end\ntwo\nthree") == "one\ntwo\nthree"


def test_terminal_line_is_one_line() -> None:
    assert terminal_line("a\nb\tc\r") == "a b c"


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_formula_starts_are_neutralised(value: str) -> None:
    assert csv_cell(value) == "'" + value


def test_csv_leaves_ordinary_text_and_numbers_alone() -> None:
    assert csv_cell("Add an alert") == "Add an alert" and csv_cell(-3) == -3 and csv_cell(None) is None
