"""The lint engine: run the checks, then apply selection, suppression and the baseline.

Selection ([lint] select/ignore in config, --select/--ignore on the command line),
suppression (``<!-- noqa: AT101 -->`` on an action, ``noqa = [...]`` in TOML or front
matter, lint/noqa.py) and the baseline (lint/baseline.py) are separate small steps over
immutable findings, as in ruff; selection and noqa accept codes, names, prefixes ("AT2") or ALL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from actiontrack.classify import Classified, classify
from actiontrack.configfile import LintSettings
from actiontrack.gcpause import cycle_collector_paused
from actiontrack.lint import noqa
from actiontrack.lint.checks import check_action, check_coverage, check_duplicates, with_suggestion
from actiontrack.model import Finding, Postmortem, ReadResult, Severity
from actiontrack.reader import read_paths

__all__ = ["LintReport", "LintSettings", "lint", "lint_paths"]


class LintReport(NamedTuple):
    findings: tuple[Finding, ...]
    postmortems: tuple[Postmortem, ...]
    tags: Mapping[str, Classified]  # action id → effective phase/category
    files: int = 0  # files read, postmortems or not (an unreadable one counts)
    baselined: int = 0  # findings left out because the baseline holds them

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
    settings = settings or LintSettings()
    enabled = settings.enabled()
    findings: list[Finding] = []
    postmortems: list[Postmortem] = []
    tags: dict[str, Classified] = {}
    for result in results:
        raw = list(result.findings)
        pm = result.postmortem
        if pm is not None:
            postmortems.append(pm)
            raw = _with_suggestions(raw, pm) + list(_check_postmortem(pm, tags))
        kept = noqa.apply(raw, enabled, pm)
        # a page's findings say where they are in its own words (model.Origin)
        findings += [pm.origin.locate(f) for f in kept] if pm is not None and pm.origin is not None else kept
    findings.sort(key=Finding.sort_key)
    baselined = 0
    if settings.baseline is not None:
        from actiontrack.lint import baseline

        findings, baselined = baseline.subtract(findings, baseline.load(settings.baseline), settings.baseline.parent)
    return LintReport(tuple(findings), tuple(postmortems), tags, files=len(results), baselined=baselined)


def _with_suggestions(findings: list[Finding], pm: Postmortem) -> list[Finding]:
    actions = {a.id: a for a in pm.actions}
    return [with_suggestion(f, actions[f.action_id]) if f.action_id in actions else f for f in findings]


def _check_postmortem(pm: Postmortem, tags: dict[str, Classified]) -> list[Finding]:
    found: list[Finding] = []
    for action in pm.actions:
        tags[action.id] = classified = classify(action)
        found += check_action(action, pm, classified)
    found += check_duplicates(pm)
    found += check_coverage(pm, tags)
    return found
