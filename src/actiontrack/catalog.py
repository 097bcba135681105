"""The rule catalog: every finding actiontrack can report, with a stable code and name.

Codes never change meaning once released (like ruff/flake8). Groups:
AT0xx input the reader could not understand, AT1xx wording, AT2xx completeness of
one action, AT3xx coverage of a whole postmortem, AT9xx the linter's own directives
(noqa). `actiontrack rules` prints this.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from actiontrack.model import Action, Finding, Severity


class Rule(NamedTuple):
    code: str
    name: str
    severity: Severity
    summary: str  # one line: what it flags
    fix: str  # the fix hint shown with each finding
    why: str  # "Why is this bad?"
    example: str = ""  # an action that is flagged
    instead: str = ""  # what to write instead

    def finding(
        self,
        path: Path,
        line: int,
        message: str,
        *,
        action: Action | None = None,
        postmortem_id: str | None = None,
        fix: str | None = None,
    ) -> Finding:
        """A finding of this rule; `fix` overrides the generic hint with a specific one."""
        if action is None:
            return Finding(path, line, self.code, self.name, self.severity, message, fix or self.fix,
                           None, None, postmortem_id)
        anchor = action.anchor
        column = anchor.column if anchor is not None and line == action.line else 1
        return Finding(path, line, self.code, self.name, self.severity, message, fix or self.fix,
                       action.id, action.title, action.postmortem_id, column)


E, W = Severity.ERROR, Severity.WARNING

UNREADABLE_FILE = Rule(
    "AT001", "unreadable-file", E, "The file cannot be read or decoded.",
    "Save the file as UTF-8 and check its permissions.",
    "Nothing in an unreadable file is tracked, so its actions silently rot.",
)
INVALID_FRONT_MATTER = Rule(
    "AT002", "invalid-front-matter", E, "The YAML front matter does not parse or is not a mapping.",
    "Fix the YAML between the leading '---' lines (key: value, one per line).",
    "Without front matter the postmortem loses its id, date and link; ids derived instead may "
    "change when it is fixed.",
    "---\ntitle: DB outage\ndate: 2024-07-01\n  bad indent: x\n---",
    "---\ntitle: DB outage\ndate: 2024-07-01\n---",
)
INVALID_TOML = Rule(
    "AT003", "invalid-toml", E, "A TOML postmortem does not parse or has the wrong shape.",
    "Fix the TOML syntax; actions are [[actions]] tables with at least a title.",
    "A postmortem that does not parse contributes no actions at all.",
)
INVALID_DATE = Rule(
    "AT004", "invalid-date", E, "A date (due date or postmortem date) is not a valid date.",
    "Write dates as YYYY-MM-DD, e.g. 2024-07-01.",
    "An action with an unreadable due date can never be reported overdue.",
    "due: 2024-02-30", "due: 2024-03-01",
)
UNKNOWN_PHASE = Rule(
    "AT005", "unknown-phase", E, "The phase written is none of development, verification, post-release.",
    "Use development (開発時), verification (機能検証時) or post-release (本番リリース後).",
    "Coverage reports count actions by phase; an unknown phase is counted nowhere.",
    "phase: prod-ish", "phase: post-release",
)
UNKNOWN_CATEGORY = Rule(
    "AT006", "unknown-category", E,
    "The category written is none of root-cause, permanent-fix, recurrence, detection, recovery.",
    "Use root-cause (原因究明), permanent-fix (恒久対応), recurrence (再発防止), detection (検知) "
    "or recovery (復旧時間短縮).",
    "Coverage reports count actions by category; an unknown category is counted nowhere.",
    "category: misc", "category: recurrence",
)
UNKNOWN_FIELD = Rule(
    "AT007", "unknown-field", W,
    "An action has a key actiontrack does not know (a TOML key, or an inline 'duedate:' field).",
    "Check the key's spelling; known action keys: id, title, description, owner, team, due, phase, "
    "category, type, priority, status, done, ticket, tags, noqa.",
    "A misspelt key (deu = …, categroy: …) fills nothing, so the action looks undated or untagged.",
    'deu = 2024-07-01', "due = 2024-07-01",
)
INVALID_VALUE = Rule(
    "AT008", "invalid-value", E, "A field has a value of the wrong type (a list where text belongs …).",
    "Give the field a plain value of the documented type.",
    "A value of the wrong type cannot be synced to a tracker.",
    "owner = [1, 2]", 'owner = "ikki"',
)
DUPLICATE_POSTMORTEM_ID = Rule(
    "AT009", "duplicate-postmortem-id", E, "Two postmortem files have the same id.",
    "Give each postmortem a unique id in its front matter, or rename one file.",
    "Actions are keyed by postmortem id; two files with one id overwrite each other's issues.",
)
PROSE_ACTIONS = Rule(
    "AT010", "actions-in-prose", W,
    "The postmortem has no action section; its actions were read from commitments in its closing paragraphs.",
    "Put the actions under a heading such as 'Action items' or '再発防止策', one list item or table row each.",
    "Sentences are read less reliably than a list, and cannot carry an owner, a due date or an issue key.",
    "We will add an alert on replication lag and rehearse the failover next quarter.",
    "## Action items\n- [ ] Alert when replication lag exceeds 60 s — owner: @ana, due: 2024-08-01",
)
VAGUE_ACTION = Rule(
    "AT101", "vague-action", E,
    "The action names an attitude or an effort, not something a third person could verify as done.",
    "Name the mechanism: a check or test that fails, an alert with a threshold, a checklist "
    "step, a runbook.",
    "If the failure recurs, the next postmortem can only say 'we did not check enough' again. "
    "A check that matters must become a written procedure, a checklist item or, best, an "
    "automated check.",
    "Be more careful when reviewing connector configuration changes",
    "Add a CI test that fails when a connector config sets max.batch.size above 2048",
)
ERROR_HIDING_FIX = Rule(
    "AT102", "error-hiding-fix", W, "The action hides the symptom (silences an alert, swallows errors).",
    "Fix the cause or degrade gracefully, and keep the signal: users still see the failure.",
    "The user impact remains and the next incident is detected later.",
    "5xxのアラートが鳴らないようにエラーを握りつぶす",
    "5xxの原因となるタイムアウトを設定し、発生率が1%を超えたら通知する",
)
PUNITIVE_MEASURE = Rule(
    "AT103", "punitive-measure", W,
    "The action punishes or freezes development (release freeze, approval for everyone, blame).",
    "Target the specific risk with a guard-rail (an automated check, a canary, a scoped review).",
    "Blanket restrictions slow every team far beyond the risk and teach people to hide incidents.",
    "Freeze all releases until further notice",
    "Require a canary stage for changes to the payment service",
)
OVERSIZED_ACTION = Rule(
    "AT104", "oversized-action", W, "A large programme (a rewrite) with no bounded first step.",
    "Name a first deliverable with its own date (a design doc, one service migrated).",
    "A rewrite listed as a postmortem action has no date it can meet; it never gets done.",
    "Rewrite the whole deployment platform",
    "Write a design doc for replacing the deploy scripts, reviewed by 2025-01-31",
)
MISSING_OWNER = Rule(
    "AT201", "missing-owner", E, "The action has no owner.",
    "Add an owner (owner: @handle / 担当: @handle, or the Owner column).",
    "An action that belongs to everybody is done by nobody.",
)
MISSING_DUE_DATE = Rule(
    "AT202", "missing-due-date", E, "The action has no due date.",
    "Add a due date (due: YYYY-MM-DD / 期限: YYYY-MM-DD, or the Due column); set it from the "
    "priority (e.g. P1 within 4 weeks).",
    "An undated action is never overdue, so no report ever chases it.",
)
MISSING_PHASE = Rule(
    "AT203", "missing-phase", W, "The action has no phase.",
    "Add phase: development | verification | post-release (or a #tag).",
    "Managers review which phases get prevention work; untagged actions blur that picture.",
)
MISSING_CATEGORY = Rule(
    "AT204", "missing-category", W, "The action has no category.",
    "Add category: root-cause | permanent-fix | recurrence | detection | recovery (or a #tag).",
    "Managers review which kinds of prevention get work; untagged actions blur that picture.",
)
DUE_BEFORE_INCIDENT = Rule(
    "AT205", "due-before-incident", E, "The due date is before the postmortem's date.",
    "Check the year and month of the due date.",
    "An action due before the incident happened is a typo, and shows as overdue at once.",
)
DUPLICATE_ACTION = Rule(
    "AT206", "duplicate-action", W, "The same action appears twice in one postmortem.",
    "Merge the two, or make each say what is different.",
    "Duplicates become two issues that get closed at different times.",
)
NO_ACTIONS = Rule(
    "AT301", "no-actions", E, "The postmortem has no action items.",
    "Add an 'Action items' (再発防止策) section with at least one action.",
    "A postmortem without actions changes nothing; the failure will recur.",
)
NO_DETECTION_ACTION = Rule(
    "AT302", "no-detection-action", W, "No action helps detect this failure sooner.",
    "Add an alert or monitor with a threshold (category: detection).",
    "Without detection the next occurrence is found by users again.",
)
NO_RECURRENCE_ACTION = Rule(
    "AT303", "no-recurrence-action", W, "No action keeps this class of failure from recurring.",
    "Add a test, check or guard that stops the same failure (category: recurrence).",
    "Without recurrence prevention the same incident is likely to come back.",
)

UNUSED_NOQA = Rule(
    "AT901", "unused-noqa", W, "A noqa marker suppresses nothing, or names a rule that does not exist.",
    "Remove the marker, or the codes in it that no longer match a finding.",
    "A stale noqa hides the next real finding of that rule on the action, and a misspelt code "
    "suppresses nothing while looking as if it did. Codes of rules not selected in this run are "
    "left alone, since another run may select them.",
    "- Alert when p99 > 2 s for 5 min — owner: @ana, due: 2024-05-01 <!-- noqa: AT101 -->",
    "- Alert when p99 > 2 s for 5 min — owner: @ana, due: 2024-05-01",
)

RULES: tuple[Rule, ...] = (
    UNREADABLE_FILE, INVALID_FRONT_MATTER, INVALID_TOML, INVALID_DATE, UNKNOWN_PHASE,
    UNKNOWN_CATEGORY, UNKNOWN_FIELD, INVALID_VALUE, DUPLICATE_POSTMORTEM_ID, PROSE_ACTIONS,
    VAGUE_ACTION, ERROR_HIDING_FIX, PUNITIVE_MEASURE, OVERSIZED_ACTION,
    MISSING_OWNER, MISSING_DUE_DATE, MISSING_PHASE, MISSING_CATEGORY, DUE_BEFORE_INCIDENT,
    DUPLICATE_ACTION, NO_ACTIONS, NO_DETECTION_ACTION, NO_RECURRENCE_ACTION, UNUSED_NOQA,
)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}


def lookup(code_or_name: str) -> Rule | None:
    """A rule by code (AT101, case-insensitive) or by name (vague-action)."""
    key = code_or_name.strip()
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())


def expand_selector(selector: str) -> list[Rule]:
    """Rules a select/ignore entry names: a code, a name, a prefix (AT1, AT10) or ALL."""
    key = selector.strip()
    if key.upper() == "ALL":
        return list(RULES)
    rule = lookup(key)
    if rule:
        return [rule]
    return [r for r in RULES if r.code.startswith(key.upper())] if key.upper().startswith("AT") else []
