"""The fast JSON text of lint and tag is the standard library's, character for character."""

from __future__ import annotations

import enum
import json

import pytest

from actiontrack.cli import jsontext


class Colour(enum.StrEnum):
    RED = "red"


CASES: list[object] = [
    [],
    {},
    [[], {}, [[]], {"a": {}}],
    "plain",
    "",
    None,
    True,
    0,
    -12,
    10**30,
    [{"path": "docs/pm.md", "line": 3, "column": 1, "fix": None, "done": False, "ok": True}],
    {"message": "vague: 'be more careful' 再発防止に努める\u3000ｱﾗｰﾄ", "quote": 'say "no"\\ \t\n\r\x00\x1f\x7f'},
    {"emoji": "\U0001f525 \ud800", "nested": [["a", ["b", []]], {"k": [1, 2, {"x": None}]}]},
    ("a", ("b",)),
    {"float": 1.5, "nan": float("nan")},
    {1: "an int key", "b": 2},
    {"enum": Colour.RED, "bool key": {True: 1}},
    [Colour.RED, 3.0, {"deep": [1.25e-7]}],
]


@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
def test_same_text_as_the_standard_library(value: object) -> None:
    assert jsontext.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_deep_nesting_falls_back_to_the_standard_library() -> None:
    value: list[object] = []
    for _ in range(200):
        value = [value, {"k": "v"}]
    assert jsontext.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_circular_list_is_refused_as_the_standard_library_refuses_it() -> None:
    value: list[object] = []
    value.append(value)
    with pytest.raises(ValueError, match="Circular reference"):
        jsontext.dumps(value)


def test_lint_json_is_the_standard_librarys_text_of_each_finding() -> None:
    from pathlib import Path

    from actiontrack.cli.findings import finding_dict, findings_json
    from actiontrack.lint import lint_paths
    from actiontrack.model import Finding, Severity

    real = list(lint_paths([Path(__file__).parents[1] / "fixtures" / "samples"]).findings)
    assert real
    odd = [
        Finding(Path("pm.md"), True, "AT101", "vague-action", Severity.ERROR, 'say "no"\n\tto it 再発防止'),
        Finding(Path("ページ.md"), 7, "AT999", "", Severity.WARNING, "", fix="x", action_id="a", action_text="\x00",
                postmortem_id="PM-1", column=3, place="Title › Section › row 2", link="https://example.test/p"),
    ]
    for findings in (real + odd, [], odd[:1]):
        expected = json.dumps([finding_dict(f) for f in findings], ensure_ascii=False, indent=2)
        assert findings_json(findings) == expected
