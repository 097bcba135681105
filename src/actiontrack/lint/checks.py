"""The checks behind the rule catalog: one small function per concern.

Each yields findings for every rule it covers; selection and noqa are applied later
by the engine (lint/__init__.py), so a check never needs to know about either.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from actiontrack import catalog, identity, judge, taxonomy
from actiontrack.classify import Classified, Tag
from actiontrack.model import Action, Category, Finding, Phase, Postmortem


def check_action(action: Action, postmortem: Postmortem, tags: Classified) -> list[Finding]:
    """The findings of one action, in rule order (a list filled in turn: this runs per action,
    and a chain of generators cost more than the checks that found nothing)."""
    found: list[Finding] = []
    _wording(action, found)
    _completeness(action, postmortem, tags, found)
    return found


# The wording rules, in the order of judge.Wording's fields.
_WORDING: tuple[tuple[catalog.Rule, str], ...] = (
    (catalog.VAGUE_ACTION, "vague: {phrase!r} {reason}"),
    (catalog.ERROR_HIDING_FIX, "hides the symptom: {phrase!r} {reason}"),
    (catalog.PUNITIVE_MEASURE, "punitive or freezing: {phrase!r} {reason}"),
    (catalog.OVERSIZED_ACTION, "oversized: {phrase!r} {reason}"),
)


def _wording(action: Action, found: list[Finding]) -> None:
    """The four wording rules from one judgement of the title (anti-patterns on its head sentence)."""
    for (rule, template), match in zip(_WORDING, judge.wording_of(action), strict=True):
        if match is not None:
            message = template.format(phrase=match.phrase, reason=match.reason)
            found.append(rule.finding(action.path, action.line, message, action=action, fix=match.suggestion))


def _completeness(action: Action, postmortem: Postmortem, tags: Classified, found: list[Finding]) -> None:
    path, line = action.path, action.line
    if not action.done:  # a finished action needs no owner, date or tags to be chased
        _unfinished(action, tags, found)
    if action.due and postmortem.date and action.due < postmortem.date:
        found.append(catalog.DUE_BEFORE_INCIDENT.finding(
            path, line,
            f"due {action.due.isoformat()} is before the postmortem's date "
            f"{postmortem.date.isoformat()}",
            action=action,
        ))


def _unfinished(action: Action, tags: Classified, found: list[Finding]) -> None:
    path, line = action.path, action.line
    if not action.owner:
        found.append(catalog.MISSING_OWNER.finding(path, line, "no owner", action=action))
    if action.due is None and action.raw_due is None:
        found.append(catalog.MISSING_DUE_DATE.finding(path, line, "no due date", action=action))
    if action.phase is None and action.raw_phase is None:
        found.append(catalog.MISSING_PHASE.finding(path, line, "no phase" + _hint(tags.phase), action=action))
    if action.category is None and action.raw_category is None:
        found.append(catalog.MISSING_CATEGORY.finding(
            path, line, "no category" + _hint(tags.category), action=action))


@functools.lru_cache(maxsize=1024)  # one per distinct suggestion: the same ones recur per action
def _hint(tag: Tag[Phase] | Tag[Category]) -> str:
    """What the wording suggests, with the deciding words, for a missing-tag message."""
    if tag.value is not None:
        words = ", ".join(repr(w) for w in tag.words)
        return f"; suggested: {tag.value.value} (from {words})"
    if tag.candidates:
        tied = " or ".join(c.value for c in tag.candidates)
        return f"; the wording fits {tied} equally: cannot tell"
    return "; the wording does not tell"


def check_duplicates(postmortem: Postmortem) -> Iterator[Finding]:
    first_line: dict[str, int] = {}
    for action in postmortem.actions:
        key = identity.normalise_title(action.title)
        if key in first_line:
            yield catalog.DUPLICATE_ACTION.finding(
                action.path, action.line, f"same action as line {first_line[key]}", action=action)
        else:
            first_line[key] = action.line


def check_coverage(postmortem: Postmortem, tags: dict[str, Classified]) -> Iterator[Finding]:
    path = postmortem.path
    if not postmortem.actions:
        where = "its action section is empty" if postmortem.has_action_section else (
            "no section such as 'Action items' or '再発防止策' was found")
        yield catalog.NO_ACTIONS.finding(path, 1, f"no action items: {where}", postmortem_id=postmortem.id)
        return
    categories = {tags[a.id].category.value for a in postmortem.actions}
    if None in categories:
        return  # an action of unknown category may be the detection one: say nothing (missing-category does)
    line = postmortem.actions[0].line
    if Category.DETECTION not in categories:
        yield catalog.NO_DETECTION_ACTION.finding(
            path, line, "no action helps detect this failure sooner", postmortem_id=postmortem.id)
    if Category.RECURRENCE not in categories:
        yield catalog.NO_RECURRENCE_ACTION.finding(
            path, line, "no action keeps this failure from recurring", postmortem_id=postmortem.id)


def with_suggestion(finding: Finding, action: Action) -> Finding:
    """An unknown phase or category from the reader, with the value it most likely meant."""
    guess: Phase | Category | None = None
    if finding.code == catalog.UNKNOWN_PHASE.code and action.raw_phase:
        guess = taxonomy.suggest_phase(action.raw_phase)
    elif finding.code == catalog.UNKNOWN_CATEGORY.code and action.raw_category:
        guess = taxonomy.suggest_category(action.raw_category)
    if guess is None or "did you mean" in finding.message:  # the reader may have said it already
        return finding
    return finding._replace(message=f"{finding.message}; did you mean {guess.value!r}?")
