"""Plain values the store takes and gives besides its table rows.

Bulk data (report rows, snapshots) travels as NamedTuples rather than ORM rows or frozen
dataclasses: building 100,000 of them is several times cheaper, which keeps reports
under a second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from actiontrack.model import Category, Phase, TagSource

# Report states: an issue's IssueState ("open", "done", "dropped"), or what an action
# without a live issue is: gone from its file, or never synced (or its create pending).
ORPHANED, UNSYNCED = "orphaned", "unsynced"


@dataclass(frozen=True, slots=True)
class ActionTags:
    """An action's effective phase and category and where each came from.

    The store does not tag: the caller (actiontrack.tagging) passes these in, so that
    suggestions stay distinguishable from what the author wrote.
    """

    phase: Phase | None
    phase_source: TagSource
    category: Category | None
    category_source: TagSource


class SnapshotEntry(NamedTuple):
    """One action's state on a report date (what a weekly report compares)."""

    action_id: str
    postmortem_id: str
    state: str  # open | done | dropped | orphaned | unsynced
    due: dt.date | None  # the effective due date (the tracker's if it has one)
    owner: str | None
    priority: str | None
    overdue: bool
    days_overdue: int


class ReportRow(NamedTuple):
    """An action joined with its link: everything a report needs, one row per action."""

    action_id: str
    postmortem_id: str
    title: str
    owner: str | None
    due: dt.date | None  # the tracker's due date when it has one, else the file's
    phase: str | None
    category: str | None
    phase_source: str
    category_source: str
    priority: str | None
    vague: bool
    state: str  # open | done | dropped | orphaned | unsynced
    key: str | None
    url: str | None
    done_at: dt.datetime | None
