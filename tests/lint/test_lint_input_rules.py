"""The input rules (AT001-AT003, AT007-AT009), positive and negative, in English and Japanese."""

from __future__ import annotations

from pathlib import Path

import pytest

from actiontrack.lint import lint_paths

EN_MD = "---\nid: PM-EN\ntitle: Checkout outage\ndate: 2024-05-01\n---\n# Checkout outage\n## Action items\n" \
        "- Alert when p99 exceeds 2 s for 5 minutes — owner: @ana, due: 2024-06-01 #post-release #detection\n"
JA_MD = "---\nid: PM-JA\ntitle: 決済障害\ndate: 2024-05-01\n---\n# 決済障害\n## 再発防止策\n" \
        "- 遅延が5分間2秒を超えたら通知する（担当: @ana, 期限: 2024-06-01, フェーズ: 本番リリース後, 分類: 検知）\n"
EN_TOML = 'id = "PM-EN"\ntitle = "Checkout outage"\ndate = 2024-05-01\n\n[[actions]]\ntitle = "Alert on p99 > 2 s"\n' \
          'owner = "ana"\ndue = 2024-06-01\nphase = "post-release"\ncategory = "detection"\n'
JA_TOML = 'id = "PM-JA"\ntitle = "決済障害"\ndate = 2024-05-01\n\n[[actions]]\n"対応内容" = "遅延が閾値を超えたら通知する"\n' \
          '"担当" = "山田"\n"期限" = 2024-06-01\n"フェーズ" = "本番リリース後"\n"分類" = "検知"\n'


def codes(tmp_path: Path, files: dict[str, bytes]) -> set[str]:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return {f.code for f in lint_paths([tmp_path]).findings}


CASES = [
    # (rule, language, files, flagged?)
    ("AT001", "en", {"pm.md": EN_MD.encode("utf-8").replace(b"Checkout", b"Check\xffout")}, True),
    ("AT001", "en", {"pm.md": EN_MD.encode("utf-8")}, False),
    ("AT001", "ja", {"pm.md": JA_MD.encode("utf-8").replace("決済".encode(), b"\xff\xfe\xff")}, True),  # damaged
    ("AT001", "ja", {"pm.md": JA_MD.encode("utf-8")}, False),
    ("AT001", "ja", {"pm.md": JA_MD.encode("shift_jis")}, False),  # saved from an old editor: read as it is
    ("AT002", "en", {"pm.md": EN_MD.replace("title: Checkout outage", "title: [Checkout outage").encode()}, True),
    ("AT002", "en", {"pm.md": EN_MD.encode()}, False),
    ("AT002", "ja", {"pm.md": JA_MD.replace("title: 決済障害", "title: 決済障害\n  - 壊れた: [").encode()}, True),
    ("AT002", "ja", {"pm.md": JA_MD.encode()}, False),
    ("AT003", "en", {"pm.toml": EN_TOML.replace('owner = "ana"', 'owner = "ana').encode()}, True),
    ("AT003", "en", {"pm.toml": EN_TOML.encode()}, False),
    ("AT003", "ja", {"pm.toml": JA_TOML.replace('"担当" = "山田"', '"担当" = 山田').encode()}, True),
    ("AT003", "ja", {"pm.toml": JA_TOML.encode()}, False),
    ("AT007", "en", {"pm.toml": EN_TOML.replace("due =", "deu =").encode()}, True),
    ("AT007", "en", {"pm.toml": EN_TOML.encode()}, False),
    ("AT007", "ja", {"pm.toml": JA_TOML.replace('"期限" =', '"期限日時" =').encode()}, True),
    ("AT007", "ja", {"pm.toml": JA_TOML.encode()}, False),
    # A misspelt inline key in Markdown: the other fields are still read, the typo is reported.
    ("AT007", "en", {"pm.md": EN_MD.replace("due: 2024-06-01", "deu date: 2024-06-01").encode()}, True),
    ("AT007", "en", {"pm.md": EN_MD.replace("owner:", "ownr:").encode()}, True),
    ("AT007", "en", {"pm.md": EN_MD.encode()}, False),
    ("AT007", "ja", {"pm.md": JA_MD.replace("フェーズ:", "フェーーズ:").encode()}, True),
    ("AT007", "ja", {"pm.md": JA_MD.encode()}, False),
    ("AT008", "en", {"pm.toml": EN_TOML.replace('owner = "ana"', 'owner = ["ana", "bo"]').encode()}, True),
    ("AT008", "en", {"pm.toml": EN_TOML.encode()}, False),
    ("AT008", "ja", {"pm.toml": JA_TOML.replace('"担当" = "山田"', '"担当" = ["山田", "佐藤"]').encode()}, True),
    ("AT008", "ja", {"pm.toml": JA_TOML.encode()}, False),
    ("AT009", "en", {"a.md": EN_MD.encode(), "b.md": EN_MD.encode()}, True),
    ("AT009", "en", {"a.md": EN_MD.encode(), "b.md": EN_MD.replace("PM-EN", "PM-EN2").encode()}, False),
    ("AT009", "ja", {"a.md": JA_MD.encode(), "b.toml": JA_TOML.encode()}, True),
    ("AT009", "ja", {"a.md": JA_MD.encode(), "b.toml": JA_TOML.replace("PM-JA", "PM-JA2").encode()}, False),
]


@pytest.mark.parametrize(("code", "lang", "files", "flagged"), CASES,
                         ids=[f"{c}-{lang}-{'pos' if f else 'neg'}" for c, lang, _, f in CASES])
def test_input_rule(tmp_path: Path, code: str, lang: str, files: dict[str, bytes], flagged: bool) -> None:
    assert (code in codes(tmp_path, files)) is flagged


def test_a_misspelt_inline_key_keeps_the_other_fields(tmp_path: Path) -> None:
    (tmp_path / "pm.md").write_text(EN_MD.replace("#post-release #detection", ", categroy: detection"),
                                    encoding="utf-8")
    report = lint_paths([tmp_path])
    (action,) = report.postmortems[0].actions
    assert (action.title, action.owner, str(action.due)) == (
        "Alert when p99 exceeds 2 s for 5 minutes", "ana", "2024-06-01")
    (typo,) = [f for f in report.findings if f.code == "AT007"]
    assert "'categroy'" in typo.message and "did you mean 'category'" in typo.message


def test_japanese_toml_keys_are_read(tmp_path: Path) -> None:
    (tmp_path / "pm.toml").write_text(JA_TOML, encoding="utf-8")
    report = lint_paths([tmp_path])
    (pm,) = report.postmortems
    (action,) = pm.actions
    assert (action.title, action.owner, str(action.due), action.phase, action.category) == (
        "遅延が閾値を超えたら通知する", "山田", "2024-06-01", "post-release", "detection")
    assert {f.code for f in report.findings} == {"AT303"}  # one detection action, no recurrence one
    assert report.findings[0].line == 5
