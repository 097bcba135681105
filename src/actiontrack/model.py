"""The domain model: postmortems, their actions, and lint findings.

Immutable values, and deliberately not pydantic models: the offline half (read, tag,
lint) must start in well under 1.3x the time of ``import typer, pydantic``, and
importing pydantic's BaseModel machinery alone costs more than that budget (~40 ms).
The two values made by the tens of thousands, Action and Finding, are NamedTuples:
building one costs a quarter of a frozen dataclass (0.5 µs against 2-4 µs), which is
a tenth of the lint budget per action. pydantic validates the config and the
boundaries where foreign data enters (trackers, the store).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping


class Phase(StrEnum):
    """Where in the lifecycle an action stops the failure (DOMAIN.md)."""

    DEVELOPMENT = "development"
    VERIFICATION = "verification"
    POST_RELEASE = "post-release"


class Category(StrEnum):
    """What an action does about the incident (DOMAIN.md)."""

    ROOT_CAUSE = "root-cause"
    PERMANENT_FIX = "permanent-fix"
    RECURRENCE = "recurrence"
    DETECTION = "detection"
    RECOVERY = "recovery"


class TagSource(StrEnum):
    """Where an action's phase or category came from."""

    EXPLICIT = "explicit"  # written in the file (field, column, #tag or section heading)
    SUGGESTED = "suggested"  # inferred from the wording by actiontrack.tagging
    UNKNOWN = "unknown"  # neither: "cannot tell"


class Severity(StrEnum):
    """How bad a finding is; errors fail `actiontrack lint`."""

    ERROR = "error"
    WARNING = "warning"


class IssueState(StrEnum):
    """Where an action's tracker issue stands (DOMAIN.md: "done" and "dropped" differ).

    The values are what the store has always kept in ``links.state``, so stores written
    before this enum read the same.
    """

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"  # closed without doing it: won't do, not planned, a drop label

    @property
    def closed(self) -> bool:
        return self is not IssueState.OPEN


class Anchor(NamedTuple):
    """Where an action sits in the text it was read from, so that write-back and
    `tag --write` edit exactly its bytes. Offsets index the decoded text (str), whose
    digest the Postmortem keeps; lines are 1-based."""

    shape: str  # "item" | "row" | "plain" (a ・/（１） line) | "prose" | "toml" | "toml-inline"
    start: int  # the action's first character (its list marker, its row, its sentence)
    end: int  # one past its last character
    insert_at: int  # where a new trailing field goes: after the words and fields of its first paragraph
    checkbox_at: int | None = None  # the mark inside a task list's "[ ]"
    columns: tuple[str, ...] = ()  # a table row's columns: the field each one holds ("" for none)
    column: int = 1  # 1-based column of `start` on its line: findings point there


class Action(NamedTuple):
    """One prevention action of a postmortem, as written in the file.

    ``phase``/``category`` hold only what the author wrote; suggestions live in
    ``actiontrack.tagging`` so that a report can always tell the two apart.
    ``raw_phase``/``raw_category`` keep an unrecognised value for the lint message.
    """

    id: str
    postmortem_id: str
    title: str
    path: Path
    line: int
    end_line: int
    position: int  # 0-based position among the postmortem's actions
    text: str = ""  # the full text the author wrote (title plus details)
    owner: str | None = None
    due: dt.date | None = None
    phase: Phase | None = None
    category: Category | None = None
    raw_phase: str | None = None
    raw_category: str | None = None
    raw_due: str | None = None  # a due date as written when it could not be read
    priority: str | None = None
    done: bool = False
    status: str | None = None
    ticket: str | None = None
    tags: tuple[str, ...] = ()
    explicit_id: bool = False  # the id was written in the file, not derived
    noqa: frozenset[str] | None = None  # None: no marker; empty: suppress every rule
    team: str | None = None  # an owning team ("Owning Team" column, "(SRE)")
    kind: str | None = None  # the team's own type of action ("Process", "Tooling"), as written
    anchor: Anchor | None = None  # where it sits in its source text

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


class Origin(Protocol):
    """Where a postmortem that is not a local file came from (a Confluence page …): how to
    name a place in it and how to write issue keys back into it. Files have none."""

    kind: str  # "confluence"
    link: str  # the page a person opens

    def locate(self, finding: Finding) -> Finding:
        """The finding with the page's own words for where it is (title, section, row) and a link."""
        ...

    def describe(self, line: int) -> str:
        """Where a line of the document is, for messages ("Title › Section › row 2")."""
        ...

    def account(self, owner: str, tracker: str, tracker_url: str) -> str | None:
        """The tracker account an owner named in the source has, when the source knows it
        (a Confluence Cloud mention is the same Atlassian account on that site's Jira)."""
        ...

    def write_back(self, postmortem: Postmortem, links: Mapping[str, object]) -> object:
        """Issue keys and ticks into the source, refused rather than lost (sync/writeback.py's rules)."""
        ...


@dataclass(frozen=True, slots=True)
class Postmortem:
    """A postmortem document and the actions read from it."""

    id: str
    path: Path
    title: str
    date: dt.date | None = None
    severity: str | None = None
    url: str | None = None
    tracker: str | None = None  # per-postmortem tracker override ("jira" | "github")
    project: str | None = None  # Jira project key or GitHub "owner/repo" override
    authors: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    has_action_section: bool = True
    explicit_id: bool = False
    metadata: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    digest: str | None = None  # of the text the actions' anchors point into (write-back checks it)
    origin: Origin | None = field(default=None, compare=False, repr=False)  # None: a local file


class Finding(NamedTuple):
    """One problem found in a postmortem: a value, like a ruff diagnostic."""

    path: Path
    line: int
    code: str
    name: str
    severity: Severity
    message: str
    fix: str | None = None
    action_id: str | None = None
    action_text: str | None = None
    postmortem_id: str | None = None
    column: int = 1  # 1-based; 1 until the reader carries columns
    place: str | None = None  # where it is in a source without files ("Title › Section › row 2")
    link: str | None = None  # the page to open, for such a source

    @property
    def location(self) -> str:
        return self.place or f"{self.path}:{self.line}"

    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.path), self.line, self.code)


class ReadResult(NamedTuple):
    """What reading one file produced: a postmortem (if any) and input findings."""

    path: Path
    postmortem: Postmortem | None
    findings: tuple[Finding, ...] = ()
