"""Turn tag and rule results into text or JSON. Pure functions: no printing.

Lint findings have their own module (cli/findings.py). Colour uses plain ANSI codes
(rich would cost start-up time) and only on a terminal that has not asked for NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from actiontrack import catalog
from actiontrack.classify import Classified, Tag
from actiontrack.cli.ansi import BOLD, CYAN, YELLOW, paint, use_colour
from actiontrack.model import Category, Phase, Postmortem
from actiontrack.sinks import terminal_line

__all__ = ["rule_dict", "rule_doc", "rules_text", "tag_rows", "tags_text", "use_colour"]


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
        out.append(paint(terminal_line(str(path)), BOLD, colour))
        for row in group:
            out.append(f"  {terminal_line(str(path))}:{row['line']}: {terminal_line(str(row['title']))}")
            out.append(f"      phase:    {_describe(row, 'phase', colour)}")
            out.append(f"      category: {_describe(row, 'category', colour)}")
        out.append("")
    counts = _source_counts(rows)
    out.append(
        f"{len(rows)} action{'s' * (len(rows) != 1)}: {counts['explicit']} tags as the files give them, "
        f"{counts['suggested']} suggested, {counts['unknown']} cannot tell"
    )
    return "\n".join(out)


def _describe(row: dict[str, object], name: str, colour: bool) -> str:
    source, value = row[f"{name}_source"], row[name]
    if source == "explicit":
        return f"{value}"
    if source == "suggested":
        words = ", ".join(f"'{w}'" for w in row[f"{name}_words"])  # type: ignore[attr-defined]
        return paint(f"{value} (suggested from {words})", CYAN, colour)
    tied = row[f"{name}_candidates"]
    reason = f"cannot tell: {' or '.join(tied)}" if tied else "cannot tell"  # type: ignore[arg-type]
    return paint(reason, YELLOW, colour)


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
