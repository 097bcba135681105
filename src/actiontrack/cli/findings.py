"""Lint findings as text for people, editors and CI: pure functions, value → string.

`concise` (the default) is one `path:line:col: CODE [severity] message` line per finding,
the shape editors' problem matchers and `grep` read. `full` adds the source line and the
finding's own fix; `text` groups by file. A rule's generic fix hint is printed once per
rule at the end, not after each finding. Colour is plain ANSI (rich costs start-up time),
only on a terminal that has not asked for NO_COLOR (cli/ansi.py). User text passes
through sinks.terminal_line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import groupby
from pathlib import Path

from actiontrack import __version__, catalog
from actiontrack.cli.ansi import BOLD, CYAN, DIM, RED, YELLOW, paint, use_colour
from actiontrack.model import Finding, Severity
from actiontrack.sinks import terminal_line

__all__ = ["concise", "findings_github", "findings_json", "findings_sarif", "full", "grouped", "summary", "use_colour"]


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _head(f: Finding, colour: bool) -> str:
    """`path:line:col: CODE [severity] message`; a page's finding is named by its place in the
    page ('Title › Section › row 2') instead, its link at the end."""
    severity = paint(f.severity.value, RED if f.severity is Severity.ERROR else YELLOW, colour)
    place = f"{terminal_line(f.place)}:" if f.place else f"{terminal_line(str(f.path))}:{f.line}:{f.column}:"
    link = f" — {terminal_line(f.link)}" if f.place and f.link else ""
    return f"{paint(place, BOLD, colour)} {paint(f.code, BOLD, colour)} [{severity}] {terminal_line(f.message)}{link}"


def _specific_fix(f: Finding) -> str | None:
    """The finding's fix when it says more than its rule's generic hint."""
    rule = catalog.BY_CODE.get(f.code)
    return f.fix if f.fix and (rule is None or f.fix != rule.fix) else None


def concise(findings: Sequence[Finding], *, colour: bool) -> str:
    return "\n".join(_head(f, colour) for f in findings)


def full(findings: Sequence[Finding], *, colour: bool) -> str:
    """Each finding with its source line and its own fix; then each rule's hint once."""
    sources: dict[Path, list[str]] = {}
    out: list[str] = []
    for f in findings:
        out.append(_head(f, colour))
        line = _source_line(f.path, f.line, sources) if f.place is None else None
        if f.place is not None and f.link:
            out.append(paint("  page | ", DIM, colour) + terminal_line(f.link))
        if line is not None:
            out.append(paint(f"  {f.line:>4} | ", DIM, colour) + terminal_line(line))
        fix = _specific_fix(f)
        if fix:
            out.append(paint(f"       = fix: {terminal_line(fix)}", CYAN, colour))
        out.append("")
    return "\n".join(out + rule_hints(findings, colour=colour)).rstrip("\n")


def grouped(findings: Sequence[Finding], *, colour: bool) -> str:
    """Findings under a header per file (the format before concise became the default)."""
    out: list[str] = []
    for path, group in groupby(findings, key=lambda f: str(f.path)):
        items = list(group)
        out.append(paint(terminal_line(items[0].link or path), BOLD, colour))  # a page: its link
        for f in items:
            out.append("  " + _head(f._replace(link=None), colour))
            fix = _specific_fix(f)
            if fix:
                out.append(paint(f"      fix: {terminal_line(fix)}", DIM, colour))
        out.append("")
    return "\n".join(out + rule_hints(findings, colour=colour)).rstrip("\n")


def _source_line(path: Path, number: int, cache: dict[Path, list[str]]) -> str | None:
    if path not in cache:
        from actiontrack.textcodec import decode

        try:
            cache[path] = decode(path.read_bytes()).text.splitlines()
        except (OSError, UnicodeDecodeError):
            cache[path] = []
    lines = cache[path]
    return lines[number - 1] if 0 < number <= len(lines) else None


def rule_hints(findings: Iterable[Finding], *, colour: bool) -> list[str]:
    """'How to fix' once per rule that fired, in code order."""
    codes = sorted({f.code for f in findings})
    rules = [catalog.BY_CODE[c] for c in codes if c in catalog.BY_CODE]
    if not rules:
        return []
    lines = ["How to fix (`actiontrack rules CODE` explains each):"]
    lines += [paint(f"  {r.code} {r.name}: {r.fix}", DIM, colour) for r in rules]
    return lines


def summary(*, errors: int, warnings: int, files: int, actions: int, baselined: int = 0) -> str:
    """'Found 1 error and 2 warnings in 3 files (12 actions checked).' or 'All checks passed …'."""
    checked = f"{plural(files, 'file')} ({plural(actions, 'action')} checked)"
    if errors or warnings:
        found = " and ".join(p for p in (errors and plural(errors, "error"), warnings and plural(warnings, "warning"))
                             if p)
        text = f"Found {found} in {checked}."
    else:
        text = f"All checks passed: {checked}."
    if baselined:
        text += f" {plural(baselined, 'finding')} in the baseline not shown."
    return text


# --- --statistics ----------------------------------------------------------------------------


def statistics_rows(findings: Iterable[Finding]) -> list[dict[str, object]]:
    counts = Counter((f.code, f.name, f.severity.value) for f in findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [{"code": code, "name": name, "severity": severity, "count": n} for (code, name, severity), n in ordered]


def statistics_text(findings: Iterable[Finding]) -> str:
    rows = statistics_rows(findings)
    return "\n".join(f"{r['count']:>5}  {r['code']:<6} [{r['severity']}] {r['name']}" for r in rows)


# --- machine formats -------------------------------------------------------------------------


def finding_dict(f: Finding) -> dict[str, object]:
    from actiontrack.lint.baseline import fingerprint

    return {
        "path": str(f.path),
        "line": f.line,
        "column": f.column,
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message,
        "fix": f.fix,
        "postmortem_id": f.postmortem_id,
        "action_id": f.action_id,
        "action_text": f.action_text,
        "place": f.place,  # a page's "Title › Section › row 2"; null for files
        "link": f.link,
        "fingerprint": fingerprint(f),
    }


def findings_json(findings: Iterable[Finding]) -> str:
    """``json.dumps([finding_dict(f) ...], ensure_ascii=False, indent=2)``, written out field by
    field: the stdlib's indenting encoder is pure Python, and 20,000 findings' JSON took a
    sixth of a `lint --format json` run (tests/cli/test_jsontext.py checks the two agree)."""
    from json.encoder import encode_basestring as text

    from actiontrack.cli import jsontext
    from actiontrack.lint.baseline import fingerprint

    def optional(value: str | None) -> str:
        return "null" if value is None else text(value)

    items = []
    for f in findings:
        if type(f.line) is not int or type(f.column) is not int:  # a bool is not a line: the stdlib spells it
            items.append(jsontext.dumps(finding_dict(f)).replace("\n", "\n  "))
            continue
        items.append(
            f'{{\n    "path": {text(str(f.path))},\n    "line": {f.line},\n    "column": {f.column},\n'
            f'    "code": {text(f.code)},\n    "name": {text(f.name)},\n    "severity": {text(f.severity.value)},\n'
            f'    "message": {text(f.message)},\n    "fix": {optional(f.fix)},\n'
            f'    "postmortem_id": {optional(f.postmortem_id)},\n    "action_id": {optional(f.action_id)},\n'
            f'    "action_text": {optional(f.action_text)},\n    "place": {optional(f.place)},\n'
            f'    "link": {optional(f.link)},\n    "fingerprint": {text(fingerprint(f))}\n  }}')
    return "[\n  " + ",\n  ".join(items) + "\n]" if items else "[]"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def findings_github(findings: Iterable[Finding]) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on its line.

    A finding on a Confluence page has no file in the repository to annotate: it is a plain
    line naming the page, the place in it and the link."""
    lines = []
    for f in findings:
        if f.place is not None:
            lines.append(f"{f.severity.value}: {f.place}: {f.code} {f.name}: {f.message}"
                         + (f" ({f.link})" if f.link else ""))
            continue
        level = "error" if f.severity is Severity.ERROR else "warning"
        title = _escape_property(f"{f.code} {f.name}")
        message = _escape_data(f"{f.message}" + (f"\nfix: {f.fix}" if f.fix else ""))
        column = f",col={f.column}" if f.column > 1 else ""
        lines.append(f"::{level} file={_escape_property(str(f.path))},line={f.line}{column},title={title}::{message}")
    return "\n".join(lines)


def findings_sarif(findings: Sequence[Finding], *, root: Path | None = None) -> str:
    """SARIF 2.1.0, as GitHub code scanning uploads it: every rule in the driver, paths relative to
    `root` (the current folder), and each result's baseline fingerprint so alerts survive edits."""
    from actiontrack.cli import jsontext
    from actiontrack.lint.baseline import fingerprint

    base = (root or Path.cwd()).resolve()
    index = {rule.code: i for i, rule in enumerate(catalog.RULES)}
    results = [{
        "ruleId": f.code,
        **({"ruleIndex": index[f.code]} if f.code in index else {}),
        "level": "error" if f.severity is Severity.ERROR else "warning",
        "message": {"text": f.message + (f"\nfix: {f.fix}" if f.fix else "")},
        "locations": [_sarif_location(f, base)],
        "partialFingerprints": {"actiontrackFinding/v1": fingerprint(f)},
    } for f in findings]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "actiontrack", "version": __version__, "semanticVersion": __version__,
                                "rules": [_sarif_rule(rule) for rule in catalog.RULES]}},
            "originalUriBaseIds": {"SRCROOT": {"uri": base.as_uri() + "/"}},
            "results": results,
        }],
    }
    return jsontext.dumps(document)


def _sarif_location(f: Finding, base: Path) -> dict[str, object]:
    """A file's line and column; a page's URL and its place as a logical location (no line:
    a page's lines are not the reader's)."""
    if f.place is not None:
        return {"physicalLocation": {"artifactLocation": {"uri": f.link or str(f.path)}},
                "logicalLocations": [{"fullyQualifiedName": f.place, "kind": "page"}]}
    return {"physicalLocation": {
        "artifactLocation": {"uri": _uri(f.path, base), "uriBaseId": "SRCROOT"},
        "region": {"startLine": max(f.line, 1), **({"startColumn": f.column} if f.column > 1 else {})},
    }}


def _uri(path: Path, base: Path) -> str:
    from urllib.parse import quote

    resolved = path.resolve()
    try:
        return quote(resolved.relative_to(base).as_posix())
    except ValueError:
        return resolved.as_uri()


def _sarif_rule(rule: catalog.Rule) -> dict[str, object]:
    help_text = f"{rule.fix}\n\nWhy: {rule.why}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": "error" if rule.severity is Severity.ERROR else "warning"},
        "properties": {"tags": [rule.name]},
    }
