"""Postmortems saved in the encodings people's editors use: read them, write back in the same one.

A Japanese notice kept as plain text is often Shift_JIS or EUC-JP, and Windows Notepad or an
Excel "Unicode text" export writes UTF-16 with a byte-order mark. Each reads as its UTF-8 twin
does; sync's write-back and `tag --write` leave the file in the encoding it came in, so its
author's editor still opens it; bytes that are none of these are refused by name, and Latin-1
bytes are never mistaken for Japanese.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from actiontrack.cli import app
from actiontrack.model import Postmortem
from actiontrack.reader import read_file
from actiontrack.store.tables import LinkRow
from actiontrack.sync.writeback import write_back
from actiontrack.textcodec import decode, encode

JAPANESE = ("障害のお知らせ\n\n■再発防止策\n・監視アラートを追加する（担当: 田中、期限: 2026-12-20）\n"
            "・手順書を作成する\n")
ENGLISH = "# Outage\n\n## Action items\n- [ ] Alert on lag above 60 s — owner: @lena\n"
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "cp932", "euc_jp"]


def _actions(pm: Postmortem | None) -> list[tuple[str, str | None, int]]:
    assert pm is not None
    return [(a.title, a.owner, a.line) for a in pm.actions]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_japanese_notice_reads_the_same_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    twin, path = tmp_path / "twin.txt", tmp_path / "notice.txt"
    twin.write_text(JAPANESE, encoding="utf-8")
    path.write_bytes(encode(JAPANESE, encoding))
    got = read_file(path)
    assert not got.findings
    assert _actions(got.postmortem) == _actions(read_file(twin).postmortem) != []


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_write_back_keeps_the_files_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes(encode(JAPANESE, encoding))
    pm = read_file(path).postmortem
    assert pm is not None
    links = {a.id: LinkRow(action_id=a.id, tracker="jira", target="OPS", key=f"OPS-{n}",
                           url=f"https://example.test/browse/OPS-{n}", state="open")
             for n, a in enumerate(pm.actions, 1)}
    result = write_back(pm, links)
    assert not result.refused and result.changed == 2
    decoded = decode(path.read_bytes())
    assert decoded.encoding == encoding
    assert "OPS-1" in decoded.text and "OPS-2" in decoded.text
    again = read_file(path).postmortem
    assert again is not None and [a.ticket for a in again.actions] == ["OPS-1", "OPS-2"]


def test_tag_write_keeps_utf16(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    path.write_bytes(encode(ENGLISH, "utf-16-le"))
    result = CliRunner().invoke(app, ["tag", "--write", str(path)])
    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    assert data.startswith(b"\xff\xfe")
    assert "post-release" in data[2:].decode("utf-16-le")


def test_bytes_in_no_encoding_we_read_are_refused_by_name(tmp_path: Path) -> None:
    latin1 = tmp_path / "notes.md"
    latin1.write_bytes("# Outage at the caf\xe9\n\n## Action items\n- Add an alert\n".encode("latin-1"))
    found = read_file(latin1).findings
    assert [f.code for f in found] == ["AT001"]
    assert "UTF-8" in found[0].message and "Shift_JIS" in found[0].message
    # Latin-1 bytes that happen to decode as code page 932 (into kanji nobody wrote) are refused too.
    raw = "Add caf\xe9s and r\xe9sum\xe9s\n".encode("latin-1")
    assert raw.decode("cp932")
    with pytest.raises(UnicodeDecodeError):
        decode(raw)

def test_a_binary_file_that_opens_like_utf16_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pm.md"
    # \xff\xfe, then what a zip archive holds: valid UTF-16 code units, but NULs and controls
    path.write_bytes(b"\xff\xfe" + b"PK\x03\x04\x14\x00\x00\x00" * 64)
    assert [f.code for f in read_file(path).findings] == ["AT001"]
    # and what follows a mark of \xff\xfe is ASCII, as damaged UTF-8 or Latin-1 would be
    path.write_bytes(b"\xff\xfe# Outage\n\n## Action items\n- Add an alert\n")
    assert [f.code for f in read_file(path).findings] == ["AT001"]


def test_a_character_the_encoding_lacks_is_a_clear_refusal(tmp_path: Path) -> None:
    from actiontrack.errors import FileWriteError
    from actiontrack.safe_write import replace_text

    path = tmp_path / "notice.txt"
    path.write_bytes(encode(JAPANESE, "cp932"))
    with pytest.raises(FileWriteError, match="cp932"):
        replace_text(path, JAPANESE + "🚀\n", encoding="cp932")
    assert decode(path.read_bytes()).text == JAPANESE
