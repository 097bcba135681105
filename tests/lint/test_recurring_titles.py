"""A title that recurs across files is judged with its own details each time: lint memoises
its verdicts per distinct text, and a vague title made concrete by its details in one file
must stay vague where another file writes it bare, whichever file comes first."""

from __future__ import annotations

from pathlib import Path

import pytest

from actiontrack.lint import LintSettings, lint_paths

CASES = [
    ("Improve alerting (owner: @ana, due: 2024-03-01)", "Alert when queue depth exceeds 1000 for 5 minutes"),
    ("監視を強化する（担当: @ana, 期限: 2024-03-01）", "キュー長が1000を超えたらSlackに通知するアラートを追加する"),
]


def _write(path: Path, title: str, details: str = "") -> Path:
    body = f"- [ ] {title}\n" + (f"  {details}\n" if details else "")
    path.write_text(f"# Incident\n\n## Action items\n\n{body}", encoding="utf-8")
    return path


@pytest.mark.parametrize(("title", "details"), CASES, ids=("en", "ja"))
@pytest.mark.parametrize("detailed_first", [True, False])
def test_a_recurring_title_is_vague_only_where_its_details_name_no_change(
        tmp_path: Path, title: str, details: str, detailed_first: bool) -> None:
    detailed = _write(tmp_path / "detailed.md", title, details)
    bare = _write(tmp_path / "bare.md", title)
    order = [detailed, bare] if detailed_first else [bare, detailed]
    settings = LintSettings(select=("AT101",))
    for _ in range(2):  # and again, when every verdict is already memoised
        flagged = [f.path.name for path in order for f in lint_paths([path], settings).findings]
        assert flagged == ["bare.md"]
