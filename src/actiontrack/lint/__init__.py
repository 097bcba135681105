"""The lint engine: run the checks, then apply selection and suppression.

Selection ([lint] select/ignore in config) and suppression (``<!-- noqa: AT101 -->``
on an action, ``noqa = [...]`` in TOML or front matter) are separate small steps over
immutable findings, as in ruff; both accept codes, names, prefixes ("AT2") or ALL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from actiontrack import catalog
from actiontrack.classify import Classified, classify
from actiontrack.configfile import LintSettings
from actiontrack.gcpause import cycle_collector_paused
from actiontrack.lint.checks import check_action, check_coverage, check_duplicates
from actiontrack.model import Action, Finding, Postmortem, ReadResult, Severity
from actiontrack.reader import read_paths

__all__ = ["LintReport", "LintSettings", "lint", "lint_paths"]


@dataclass(frozen=True, slots=True)
class LintReport:
    findings: tuple[Finding, ...]
    postmortems: tuple[Postmortem, ...]
    tags: Mapping[str, Classified]  # action id → effective phase/category

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def action_count(self) -> int:
        return sum(len(pm.actions) for pm in self.postmortems)


def lint_paths(paths: Iterable[Path], settings: LintSettings | None = None) -> LintReport:
    """Read every postmortem under `paths` and lint it."""
    with cycle_collector_paused():
        return lint(read_paths(paths, settings.exclude if settings else ()), settings)


def lint(results: Sequence[ReadResult], settings: LintSettings | None = None) -> LintReport:
    """Lint what the reader produced; reader findings go through the same selection."""
    enabled = (settings or LintSettings()).enabled()
    findings: list[Finding] = []
    postmortems: list[Postmortem] = []
    tags: dict[str, Classified] = {}
    for result in results:
        raw = list(result.findings)
        pm = result.postmortem
        if pm is not None:
            postmortems.append(pm)
            raw += _check_postmortem(pm, tags)
        kept = _keep(raw, enabled, pm)
        findings += [pm.origin.locate(f) for f in kept] if pm is not None and pm.origin is not None else kept
    findings.sort(key=Finding.sort_key)
    return LintReport(tuple(findings), tuple(postmortems), tags)


def _check_postmortem(pm: Postmortem, tags: dict[str, Classified]) -> list[Finding]:
    found: list[Finding] = []
    for action in pm.actions:
        tags[action.id] = classified = classify(action)
        found += check_action(action, pm, classified)
    found += check_duplicates(pm)
    found += check_coverage(pm, tags)
    return found


def _keep(findings: list[Finding], enabled: frozenset[str], pm: Postmortem | None) -> list[Finding]:
    actions: dict[str, Action] = {a.id: a for a in pm.actions} if pm else {}
    file_noqa = _file_noqa(pm)
    return [
        f for f in findings
        if f.code in enabled
        and not _suppressed(f, file_noqa)
        and not (f.action_id in actions and _suppressed(f, actions[f.action_id].noqa))
    ]


def _file_noqa(pm: Postmortem | None) -> frozenset[str] | None:
    """`noqa: [AT302]` in front matter or top-level TOML suppresses those rules file-wide."""
    if pm is None or "noqa" not in pm.metadata:
        return None
    value = pm.metadata["noqa"]
    items = value if isinstance(value, list) else [value]
    return frozenset(str(item) for item in items if item not in (None, True))


def _suppressed(finding: Finding, noqa: frozenset[str] | None) -> bool:
    """noqa with no codes suppresses everything; otherwise codes, names or prefixes."""
    if noqa is None:
        return False
    if not noqa:
        return True
    return any(
        finding.code in {r.code for r in catalog.expand_selector(item)} for item in noqa
    )
