"""Byte-for-byte equivalence of lint, tag and the judgement across a performance change.

`record DIR` writes what this checkout says about every document and text it can reach;
`check DIR` says it again and compares, byte for byte, naming the first difference.
What is recorded:

- every lint format (concise, full, text, json, github, sarif, statistics) and `tag`'s rows
  and text, for the fixture folders (realdocs, samples, unseen) and examples/, in-process;
- the console script's `lint --format json`, `lint` (concise, with the summary) and
  `tag --format json` on bench/throughput.py's generated data, default and --distinct;
- judge.judge, the four wording verdicts and the tag suggestions of every corpus item's text
  (corpus/actions, the measured held-out items) and of every generated title;
- `bench/judgement.py --split dev`.

Usage: python bench/equivalence.py record|check DIR   (run from the repository root)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("tests/fixtures/realdocs", "tests/fixtures/samples", "tests/fixtures/unseen", "examples")
BIN = Path(sys.executable).parent


def _lint_outputs(folder: str) -> Iterator[tuple[str, str]]:
    from actiontrack.cli import findings as out
    from actiontrack.cli import render
    from actiontrack.lint import LintSettings, lint_paths

    report = lint_paths([Path(folder)])
    found = report.findings
    yield "concise", out.concise(found, colour=False)
    yield "concise-colour", out.concise(found, colour=True)
    yield "full", out.full(found, colour=False)
    yield "text", out.grouped(found, colour=False)
    yield "json", out.findings_json(found)
    yield "github", out.findings_github(found)
    yield "sarif", out.findings_sarif(found, root=ROOT)
    yield "statistics", out.statistics_text(found)
    yield "summary", out.summary(errors=report.errors, warnings=report.warnings, files=report.files,
                                 actions=report.action_count, baselined=report.baselined)
    tagged = lint_paths([Path(folder)], LintSettings(select=()))
    rows = render.tag_rows(tagged.postmortems, dict(tagged.tags))
    yield "tag-json", json.dumps(rows, ensure_ascii=False, indent=2)
    yield "tag-text", render.tags_text(rows, colour=False)


def _texts() -> list[str]:
    texts: list[str] = []
    corpus = ROOT / "corpus"
    for path in sorted(corpus.glob("actions/*.jsonl")) + sorted(corpus.glob("heldout*/items.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(str(json.loads(line)["text"]))
    sys.path.insert(0, str(ROOT / "bench"))
    import throughput

    texts += throughput.EN + throughput.JA
    return texts


def _judged(texts: list[str]) -> str:
    from actiontrack import judge
    from actiontrack.classify import _classified

    lines = []
    for text in texts:
        verdict = judge.judge(text)
        words = judge._wording_of(text, "")
        details = judge._wording_of(text, " — alert when p99 latency > 2 s for 5 min")
        lines.append(repr((text, verdict, words, details, _classified(None, None, text), judge.head_sentence(text))))
    return "\n".join(lines)


def _script(args: list[str]) -> str:
    done = subprocess.run([str(BIN / "actiontrack"), *args], capture_output=True, text=True, cwd=ROOT, check=False)
    return f"exit {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}"


def outputs(work: Path) -> Iterator[tuple[str, Callable[[], str]]]:
    for folder in FOLDERS:
        for name, text in _lint_outputs(folder):
            yield f"{folder.replace('/', '_')}.{name}", lambda text=text: text
    yield "judged", lambda: _judged(_texts())
    sys.path.insert(0, str(ROOT / "bench"))
    import throughput

    for distinct in (False, True):
        folder = work / ("distinct" if distinct else "default")
        folder.mkdir(parents=True, exist_ok=True)
        throughput.DISTINCT = distinct
        throughput.generate(folder, 300, 20)
        throughput.DISTINCT = False
        label = folder.name
        yield f"bench-{label}.lint-json", lambda f=folder: _script(["lint", "--format", "json", str(f)])
        yield f"bench-{label}.lint-concise", lambda f=folder: _script(["lint", str(f)])
        yield f"bench-{label}.tag-json", lambda f=folder: _script(["tag", "--format", "json", str(f)])
    yield "judgement-dev", lambda: subprocess.run(
        [sys.executable, "bench/judgement.py", "--split", "dev"], capture_output=True, text=True, cwd=ROOT,
        check=True).stdout


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in ("record", "check"):
        raise SystemExit(__doc__)
    mode, store = sys.argv[1], Path(sys.argv[2])
    store.mkdir(parents=True, exist_ok=True)
    bad = 0
    # a fixed folder for the generated data: its paths are in the outputs
    work = Path(tempfile.gettempdir()) / "actiontrack-equivalence-data"
    for name, produce in outputs(work):
        text = produce()
        target = store / name
        if mode == "record":
            target.write_text(text, encoding="utf-8")
            continue
        before = target.read_text(encoding="utf-8")
        if before != text:
            bad += 1
            old, new = before.splitlines(), text.splitlines()
            at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
            print(f"DIFFERS: {name} (line {at + 1}; {len(old)} → {len(new)} lines)")
            print(f"  before: {old[at] if at < len(old) else '<end>'}"[:400])
            print(f"  after:  {new[at] if at < len(new) else '<end>'}"[:400])
        else:
            print(f"same: {name} ({len(text):,} characters)")
    if mode == "check":
        print("all identical" if not bad else f"{bad} outputs differ")
        raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
