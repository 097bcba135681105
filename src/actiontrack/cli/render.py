"""Turn library results into text, JSON or GitHub annotations. Pure functions: no printing.

Colour uses plain ANSI codes (rich would cost start-up time) and only on a terminal
that has not asked for NO_COLOR.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

from actiontrack import catalog
from actiontrack.classify import Classified, Tag
from actiontrack.model import Category, Finding, Phase, Postmortem, Severity

_RESET, _BOLD, _DIM, _RED, _YELLOW, _CYAN = "\033[0m", "\033[1m", "\033[2m", "\033[31m", "\033[33m", "\033[36m"


def use_colour(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def _paint(text: str, code: str, colour: bool) -> str:
    return f"{code}{text}{_RESET}" if colour else text


def findings_text(findings: Sequence[Finding], *, files: int, actions: int, colour: bool) -> str:
    """Findings grouped by file, each with its fix hint, then a one-line summary."""
    out: list[str] = []
    for path, group in groupby(findings, key=lambda f: str(f.path)):
        items = list(group)
        # a page is named by its link; its findings by title, section and row (Finding.place)
        out.append(_paint(items[0].link or path, _BOLD, colour))
        for f in items:
            severity = _paint(f.severity.value, _RED if f.severity is Severity.ERROR else _YELLOW, colour)
            out.append(f"  {f.location}: {_paint(f.code, _BOLD, colour)} [{severity}] {f.name}: {f.message}")
            if f.fix:
                out.append(_paint(f"      fix: {f.fix}", _DIM, colour))
        out.append("")
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    out.append(f"{summary} in {files} file{'s' * (files != 1)} ({actions} actions checked)")
    return "\n".join(out)


def finding_dict(f: Finding) -> dict[str, object]:
    return {
        "path": str(f.path),
        "line": f.line,
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
    }


def findings_json(findings: Iterable[Finding]) -> str:
    import json

    return json.dumps([finding_dict(f) for f in findings], ensure_ascii=False, indent=2)


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
            lines.append(f"{f.severity.value}: {f.location}: {f.code} {f.name}: {f.message}"
                         + (f" ({f.link})" if f.link else ""))
            continue
        level = "error" if f.severity is Severity.ERROR else "warning"
        title = _escape_property(f"{f.code} {f.name}")
        message = _escape_data(f"{f.message}" + (f"\nfix: {f.fix}" if f.fix else ""))
        lines.append(f"::{level} file={_escape_property(str(f.path))},line={f.line},title={title}::{message}")
    return "\n".join(lines)


# --- tag ------------------------------------------------------------------------------------


def tag_rows(postmortems: Sequence[Postmortem], tags: dict[str, Classified]) -> list[dict[str, object]]:
    rows = []
    for pm in postmortems:
        for action in pm.actions:
            found = tags[action.id]
            rows.append({
                "path": str(action.path),
                "line": action.line,
                "id": action.id,
                "postmortem_id": pm.id,
                "title": action.title,
                **_tag_fields("phase", found.phase),
                **_tag_fields("category", found.category),
            })
    return rows


def _tag_fields(name: str, tag: Tag[Phase] | Tag[Category]) -> dict[str, object]:
    return {
        name: tag.value.value if tag.value else None,
        f"{name}_source": tag.source.value,
        f"{name}_words": list(tag.words),
        f"{name}_candidates": [c.value for c in tag.candidates],
    }


def tags_text(rows: Sequence[dict[str, object]], *, colour: bool) -> str:
    out: list[str] = []
    for path, group in groupby(rows, key=lambda r: r["path"]):
        out.append(_paint(str(path), _BOLD, colour))
        for row in group:
            out.append(f"  {path}:{row['line']}: {row['title']}")
            out.append(f"      phase:    {_describe(row, 'phase', colour)}")
            out.append(f"      category: {_describe(row, 'category', colour)}")
        out.append("")
    counts = _source_counts(rows)
    out.append(
        f"{len(rows)} actions: {counts['explicit']} tags written, {counts['suggested']} suggested, "
        f"{counts['unknown']} cannot tell"
    )
    return "\n".join(out)


def _describe(row: dict[str, object], name: str, colour: bool) -> str:
    source, value = row[f"{name}_source"], row[name]
    if source == "explicit":
        return f"{value}"
    if source == "suggested":
        words = ", ".join(f"'{w}'" for w in row[f"{name}_words"])  # type: ignore[attr-defined]
        return _paint(f"{value} (suggested from {words})", _CYAN, colour)
    tied = row[f"{name}_candidates"]
    reason = f"cannot tell: {' or '.join(tied)}" if tied else "cannot tell"  # type: ignore[arg-type]
    return _paint(reason, _YELLOW, colour)


def _source_counts(rows: Sequence[dict[str, object]]) -> dict[str, int]:
    counts = {"explicit": 0, "suggested": 0, "unknown": 0}
    for row in rows:
        for name in ("phase", "category"):
            counts[str(row[f"{name}_source"])] += 1
    return counts


# --- rules ----------------------------------------------------------------------------------


def rules_text(rules: Sequence[catalog.Rule]) -> str:
    lines = [f"{'code':<6} {'name':<26} {'severity':<8} summary"]
    lines += [f"{r.code:<6} {r.name:<26} {r.severity.value:<8} {r.summary}" for r in rules]
    return "\n".join(lines)


def rule_doc(rule: catalog.Rule) -> str:
    """A rule's page, under the headings ruff uses."""
    parts = [
        f"{rule.code} {rule.name} ({rule.severity.value})",
        "",
        "## What it does",
        rule.summary,
        "",
        "## Why is this bad?",
        rule.why,
        "",
        "## How to fix",
        rule.fix,
    ]
    if rule.example:
        parts += ["", "## Example", rule.example]
    if rule.instead:
        parts += ["", "## Use instead", rule.instead]
    parts += ["", f"Suppress on one action with <!-- noqa: {rule.code} --> (Markdown) or "
              f"noqa = [\"{rule.code}\"] (TOML)."]
    return "\n".join(parts)


def rule_dict(rule: catalog.Rule) -> dict[str, str]:
    return {
        "code": rule.code, "name": rule.name, "severity": rule.severity.value,
        "summary": rule.summary, "fix": rule.fix, "why": rule.why,
        "example": rule.example, "instead": rule.instead,
    }
