"""A baseline: findings a team has accepted, so lint reports only new ones.

Each finding is keyed by what it is about, not where it is: the action's id (stable
across edits, rewording and reordering, docs/identity.md), else the postmortem's id,
else the file; the rule code; and a fingerprint of the message with line references
taken out ("same action as line 12"). An edit elsewhere in the file therefore resurrects
nothing, while a new finding on the same action, or the same finding on a new action,
is reported. Keys are counted, so two identical findings need two baseline entries.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from actiontrack.errors import UsageError
from actiontrack.lazyre import lazy_regex
from actiontrack.model import Finding

VERSION = 1
_LINE_REFERENCE = lazy_regex(r"\b(line|lines|行)\s*\d+|(?<!\d)\d+\s*行目")  # a digit run starts once

Key = tuple[str, str, str]  # (subject: action id, postmortem id or file; rule code; message fingerprint)


def fingerprint(finding: Finding) -> str:
    """A short hash of the message without line numbers: what the finding says, not where."""
    return _fingerprint(finding.code, finding.message)


@functools.lru_cache(maxsize=4096)  # per distinct message: "no owner" recurs on every other action
def _fingerprint(code: str, message: str) -> str:
    text = _LINE_REFERENCE.sub("line", message)
    return hashlib.sha256(f"{code}\0{text}".encode()).hexdigest()[:16]


def key(finding: Finding, root: Path) -> Key:
    subject = finding.action_id or finding.postmortem_id or "file:" + _relative(finding.path, root)
    return subject, finding.code, fingerprint(finding)


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path.resolve().as_posix()


def write(path: Path, findings: Sequence[Finding]) -> None:
    """Record `findings` in `path` (JSON, sorted, one entry a finding), atomically."""
    import json

    root = path.parent
    entries = sorted(
        ({"subject": k[0], "code": k[1], "fingerprint": k[2], "path": _relative(f.path, root), "message": f.message}
         for f in findings for k in [key(f, root)]),
        key=lambda e: (e["subject"], e["code"], e["fingerprint"]),
    )
    text = json.dumps({"version": VERSION, "findings": entries}, ensure_ascii=False, indent=2) + "\n"
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"cannot write baseline {path}: {exc.strerror or exc}") from None


def load(path: Path) -> Counter[Key]:
    """The keys a baseline file holds, counted; a missing or malformed file is a usage error."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["findings"]
        return Counter((str(e["subject"]), str(e["code"]), str(e["fingerprint"])) for e in entries)
    except FileNotFoundError:
        raise UsageError(f"no baseline at {path}",
                         hint=f"Write one with `actiontrack lint --write-baseline {path}`.") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path} is not an actiontrack baseline: {exc}",
                         hint=f"Write it again with `actiontrack lint --write-baseline {path}`.") from None


def subtract(findings: Iterable[Finding], baseline: Counter[Key], root: Path) -> tuple[list[Finding], int]:
    """(the findings the baseline does not hold, how many it held)."""
    remaining = Counter(baseline)
    new, known = [], 0
    for finding in findings:
        k = key(finding, root)
        if remaining[k] > 0:
            remaining[k] -= 1
            known += 1
        else:
            new.append(finding)
    return new, known
