"""The regex program cache behind `actiontrack lint`'s start-up (actiontrack.lazyre).

A pattern built from the cache must be the pattern `re.compile` makes, the cache must be
used by the next process, and nothing a cache file can hold — garbage, a damaged
program, an unwritable directory — may change what lint reports or make it fail.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PATTERNS = [
    (r"(?P<key>owner|due)\s*[:：]\s*(?P<value>[^,;]+)", 0),
    (r"[\u3040-\u30ff\u3400-\u9fff]+", 0),
    (r"(?<![A-Za-z])be (?:\w+ ){0,2}?careful\b", re.IGNORECASE),
    (r"\b(?:alert|page)s?\b", re.ASCII),
    (r"^#{1,6}(?=\s)", re.MULTILINE),
    (r"(a)(b)?(?(2)c|d)", 0),
]
TEXTS = ["owner: kim, due: 2024-01-02", "今後は監視を強化します", "Be very careful", "Pages and alerts",
         "## Actions\n# x", "abc ad ab"]

PROBE = """
import json, sys
import re
from actiontrack import lazyre
if sys.argv[1] == "no-parse":  # the cache must answer: parsing would fail
    import re._parser
    def refuse(*args, **kwargs):
        raise AssertionError("parsed although cached")
    re._parser.parse = refuse
patterns = json.loads(sys.argv[2])
texts = json.loads(sys.argv[3])
out = []
for source, flags in patterns:
    p = lazyre.lazy_regex(source, flags)
    out.append([[m.span() for m in p.finditer(t)] for t in texts] + [p.groups, dict(p.groupindex)])
print(json.dumps(out))
"""


def _run(mode: str, cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    import json

    environment = {**os.environ, "ACTIONTRACK_CACHE_DIR": str(cache), **env}
    return subprocess.run([sys.executable, "-c", PROBE, mode, json.dumps(PATTERNS), json.dumps(TEXTS)],
                          capture_output=True, text=True, env=environment, check=False)


def _expected() -> list[object]:
    out: list[object] = []
    for source, flags in PATTERNS:
        p = re.compile(source, flags)
        out.append([[list(m.span()) for m in p.finditer(t)] for t in TEXTS] + [p.groups, dict(p.groupindex)])
    return out


def test_patterns_from_the_cache_are_the_patterns_re_compile_makes(tmp_path: Path) -> None:
    import json

    first = _run("parse", tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == _expected()
    assert list(tmp_path.glob("regex-*.marshal"))  # written at exit
    second = _run("no-parse", tmp_path)  # a new process builds every pattern from the file
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == _expected()


@pytest.mark.parametrize("damage", ["garbage", "wrong-program", "empty"])
def test_a_damaged_cache_file_changes_nothing_and_is_rewritten(tmp_path: Path, damage: str) -> None:
    import json
    import marshal

    assert _run("parse", tmp_path).returncode == 0
    (cache,) = tmp_path.glob("regex-*.marshal")
    if damage == "garbage":
        cache.write_bytes(b"\x00not marshal\xff" * 50)
    elif damage == "empty":
        cache.write_bytes(b"")
    else:  # valid marshal, programs _sre refuses
        entries = marshal.loads(cache.read_bytes())
        cache.write_bytes(marshal.dumps({key: (flags, [999, 1, 2], groups, index, names)
                                         for key, (flags, _, groups, index, names) in entries.items()}))
    again = _run("parse", tmp_path)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == _expected()
    assert _run("no-parse", tmp_path).returncode == 0  # the file was rewritten whole


def test_an_unwritable_cache_directory_or_no_cache_still_lints(tmp_path: Path) -> None:
    import json

    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x", encoding="utf-8")
    run = _run("parse", blocked / "cache")  # its parent is a file: mkdir fails
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == _expected() and run.stderr == ""
    off = _run("parse", tmp_path / "off", ACTIONTRACK_NO_CACHE="1")
    assert json.loads(off.stdout) == _expected()
    assert not (tmp_path / "off").exists()
