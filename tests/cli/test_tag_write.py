"""`actiontrack tag --write` writes suggested tags in the document's own style; `--diff` shows it.

Byte-exact on every shape: only the tags are added, every other byte stays, a second run
writes nothing, and "N tags written" is the number written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from actiontrack.cli import app
from actiontrack.reader import read_file

CASES = [
    (  # key fields: the tags join them
        "# Outage\n## Action items\n- [ ] Alert when replication lag exceeds 60 s — owner: @ana, due: 2024-06-01\n",
        "# Outage\n## Action items\n- [ ] Alert when replication lag exceeds 60 s — owner: @ana, due: 2024-06-01, "
        "phase: post-release, category: detection\n",
        2,
    ),
    (  # #tags already in the document: more #tags
        "# Outage\n## Action items\n- Alert on 502s above 1% #post-release #detection\n"
        "- Add a CI test that fails when the pool exceeds 20\n",
        "# Outage\n## Action items\n- Alert on 502s above 1% #post-release #detection\n"
        "- Add a CI test that fails when the pool exceeds 20 #development #recurrence\n",
        2,
    ),
    (  # empty Phase / Category cells of a table
        "# Outage\n## Action items\n| Action | Owner | Phase | Category |\n|---|---|---|---|\n"
        "| Page on-call when lag exceeds 60 s | bo |  | - |\n",
        "# Outage\n## Action items\n| Action | Owner | Phase | Category |\n|---|---|---|---|\n"
        "| Page on-call when lag exceeds 60 s | bo | post-release | detection |\n",
        2,
    ),
    (  # Japanese fields in brackets: the tags go inside them, in Japanese
        "# 障害\n## 再発防止策\n- 遅延が閾値を超えたら通知する（担当: @natsu）\n",
        "# 障害\n## 再発防止策\n- 遅延が閾値を超えたら通知する（担当: @natsu, フェーズ: 本番リリース後, 分類: 検知）\n",
        2,
    ),
    (  # a TOML table: keys of its own
        'title = "Outage"\n\n[[actions]]\ntitle = "Alert when lag exceeds 60 s"\nowner = "ana"\n',
        'title = "Outage"\n\n[[actions]]\ntitle = "Alert when lag exceeds 60 s"\nowner = "ana"\n'
        'phase = "post-release"\ncategory = "detection"\n',
        2,
    ),
    (  # an author's phase stays; only the missing category is written
        "# Outage\n## Action items\n- Alert when lag exceeds 60 s — owner: @ana, phase: post-release\n",
        "# Outage\n## Action items\n- Alert when lag exceeds 60 s — owner: @ana, phase: post-release, category: detection\n",
        1,
    ),
]


@pytest.mark.parametrize(("before", "after", "count"), CASES)
def test_tag_write_in_the_documents_own_style(tmp_path: Path, before: str, after: str, count: int) -> None:
    path = tmp_path / ("pm.toml" if before.startswith("title =") else "pm.md")
    path.write_text(before, encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(app, ["tag", "--diff", str(tmp_path)])
    assert shown.exit_code == 0 and path.read_text(encoding="utf-8") == before  # --diff changes nothing
    assert "+" + after.splitlines()[-1] in shown.output
    written = runner.invoke(app, ["tag", "--write", str(tmp_path)])
    assert written.exit_code == 0, written.output
    assert f"wrote {count} tag" in written.output
    assert path.read_text(encoding="utf-8") == after
    pm = read_file(path).postmortem
    assert pm is not None and all(a.phase and a.category for a in pm.actions)
    again = runner.invoke(app, ["tag", "--write", str(tmp_path)])
    assert "wrote 0 tags in 0 files" in again.output and path.read_text(encoding="utf-8") == after


def test_done_actions_and_prose_are_not_tagged(tmp_path: Path) -> None:
    text = ("# Outage\n## Action items\n- [x] Alert when lag exceeds 60 s — owner: @ana\n\n"
            "## Next steps\nWe will add a CI test that fails when the pool exceeds 20.\n")
    path = tmp_path / "pm.md"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["tag", "--write", str(tmp_path)])
    assert result.exit_code == 0
    assert "wrote 0 tags" in result.output and "add them by hand" in result.output
    assert path.read_text(encoding="utf-8") == text
