"""No input makes reading take more than linear time, or raise.

The shapes are bench/adversarial.py's (one source for the benchmark and this test). At
200,000 characters each, a quadratic reader would need minutes and a cubic one days; the
timeout, not a timing assertion, is what fails a regression here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actiontrack.lint import lint, lint_paths
from actiontrack.reader import read_text
from bench_modules import load

adversarial = load("adversarial")

SIZE = 200_000


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(adversarial.SHAPES))
def test_adversarial_shape_is_read(name: str) -> None:
    suffix, text = adversarial.SHAPES[name](SIZE)
    result = read_text(Path("adversarial" + suffix), text)
    assert result.postmortem is not None or result.findings


@pytest.mark.timeout(60)
def test_one_unreadable_file_never_stops_the_others(tmp_path: Path) -> None:
    (tmp_path / "deep.toml").write_text('title = "x"\nx = ' + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (tmp_path / "deep.md").write_text("# PM\n## Action items\n" + "".join(" " * i + "- x\n" for i in range(3000)),
                                      encoding="utf-8")
    (tmp_path / "good.md").write_text("# PM\n## Action items\n- Alert on lag above 60 s — owner: @ana\n",
                                      encoding="utf-8")
    report = lint_paths([tmp_path])
    good = next(pm for pm in report.postmortems if pm.path.name == "good.md")
    assert [a.title for a in good.actions] == ["Alert on lag above 60 s"]
    toml = [f for f in report.findings if f.path.name == "deep.toml"]
    assert toml and toml[0].code == "AT003" and "nested too deeply" in toml[0].message


@pytest.mark.timeout(60)
def test_prose_whose_sentences_end_one_way_is_split_in_linear_time() -> None:
    """A hundred and twenty paragraphs of sentences that end in '. ' and never in 。, each just under the
    prose limit: once two minutes, each paragraph quadratic in its sentences."""
    paragraph = "Add x. 対策" * 1_900
    text = "# PM\n## 再発防止策\n" + "\n\n".join([paragraph] * 120) + "\n"
    result = read_text(Path("pm.md"), text)
    assert result.postmortem is not None


@pytest.mark.timeout(60)
def test_lines_of_unclosed_comment_openers_are_read_in_linear_time() -> None:
    """Three hundred items, each nine thousand characters of ``:<!--``: once over a minute,
    each line quadratic in its openers. An unclosed comment hides the rest of its line."""
    text = "# PM\n## Action items\n" + ("- Add an alert " + ":<!--" * 1_800 + "\n") * 300
    result = read_text(Path("pm.md"), text)
    assert result.postmortem is not None
    assert {a.title for a in result.postmortem.actions} == {"Add an alert :"}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("lead", ["to a, ", "When the job fails, ", "Note: ", "Because x: "])
def test_lint_reads_an_action_of_endless_leading_clauses(tmp_path: Path, lead: str) -> None:
    """An item of nothing but leading clauses, up to the 10,000-character line limit: the
    judgement reads past a few of them, and neither recurses per clause nor stops the folder."""
    (tmp_path / "clauses.md").write_text("# PM\n## Action items\n- " + lead * 2_000 + "add an alert\n",
                                         encoding="utf-8")
    (tmp_path / "good.md").write_text("# PM\n## 再発防止策\n- 監視を追加する（担当: 田中）\n", encoding="utf-8")
    report = lint_paths([tmp_path])
    assert sorted(pm.path.name for pm in report.postmortems) == ["clauses.md", "good.md"]
    assert all(len(pm.actions) == 1 for pm in report.postmortems)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("line", [
    "- Fix it " + "- " * 4_500 + "in OPS-12",  # once 10 s a line: a match started at every dash
    "- Fix it " + ",;" * 4_500 + "#12",
    "- Fix it x" + "/a#1" * 2_250,  # every '#' walked back to the start of its word
    "| Add an alert | a" + " " * 9_000 + "b |",  # the owner's mailbox pattern split the run every way
    "- Fix it " + ("owner: a" + " " * 240 + "b, ") * 36,  # the next key's search split each run every way
])
def test_lines_that_once_took_seconds_each_are_read_in_linear_time(line: str) -> None:
    head = "| Action | Owner |\n|---|---|\n" if line.startswith("|") else ""
    text = "# PM\n## Action items\n" + head + (line + "\n") * 40
    report = lint([read_text(Path("pm.md"), text)])
    assert report.postmortems and len(report.postmortems[0].actions) == 40


def test_a_very_long_line_is_read_up_to_its_limit() -> None:
    text = "# PM\n## Action items\n- Add an alert " + "x" * 50_000 + "\n"
    result = read_text(Path("pm.md"), text)
    assert result.postmortem is not None and len(result.postmortem.actions) == 1
    assert any(f.code == "AT008" and "longer than 10,000" in f.message for f in result.findings)
