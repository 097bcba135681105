"""GitLab users, projects, issues (with notes), labels and milestones; callers hold `lock`.

Behaviour kept from GitLab because clients depend on it: issues are numbered per project
(`iid`) and have a global `id`; label names that do not exist yet are created when an
issue gets them; on a paid tier a scoped label (`key::value`) replaces the issue's other
label with the same key; every change and close leaves a system note, as GitLab's
activity does.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

from actiontrack.sandbox.clock import Clock

Tier = Literal["free", "premium", "ultimate"]
DEFAULT_LABELS = (("bug", "#dc143c"), ("documentation", "#6699cc"), ("enhancement", "#5cb85c"))


@dataclass
class GLUser:
    id: int
    username: str
    name: str


@dataclass
class GLNote:
    id: int
    body: str
    author: str
    created_at: float
    system: bool = False


@dataclass
class GLMilestone:
    id: int
    iid: int
    title: str
    due_date: str | None = None
    state: str = "active"


@dataclass
class GLIssue:
    id: int
    iid: int
    title: str
    description: str | None
    author: str
    created_at: float
    updated_at: float
    state: str = "opened"
    closed_at: float | None = None
    closed_by: str | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    due_date: str | None = None
    weight: int | None = None
    milestone: int | None = None
    notes: list[GLNote] = field(default_factory=list)
    deleted: bool = False


@dataclass
class GLProject:
    id: int
    path_with_namespace: str
    created_at: float
    issues: dict[int, GLIssue] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # name → colour (names are case-sensitive)
    milestones: dict[int, GLMilestone] = field(default_factory=dict)
    members: set[str] = field(default_factory=set)
    next_iid: int = 1

    @property
    def name(self) -> str:
        return self.path_with_namespace.rsplit("/", 1)[-1]


class GitLabStore:
    """All GitLab state of one sandbox."""

    def __init__(self, clock: Clock, projects: tuple[str, ...], login: str, members: tuple[str, ...],
                 tier: Tier) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.login = login
        self.tier = tier
        self.users: dict[str, GLUser] = {}
        for index, name in enumerate(dict.fromkeys((login, *members, "outsider"))):
            self.users[name] = GLUser(11 + index, name, name.replace("-", " ").title())
        self.projects: dict[int, GLProject] = {}
        self._next_id = 84000
        for index, path in enumerate(projects):
            project = GLProject(278964 + index, path, clock.now(),
                                labels=dict(DEFAULT_LABELS), members={login, *members})
            self.projects[project.id] = project

    @property
    def paid(self) -> bool:
        return self.tier != "free"

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def project(self, ref: str) -> GLProject | None:
        """By numeric id or full path (case-insensitive, as GitLab routes are)."""
        if ref.isdigit():
            return self.projects.get(int(ref))
        return next((p for p in self.projects.values() if p.path_with_namespace.lower() == ref.lower()), None)

    def user_by_id(self, user_id: int) -> GLUser | None:
        return next((u for u in self.users.values() if u.id == user_id), None)

    def add_issue(self, project: GLProject, title: str, description: str | None) -> GLIssue:
        now = self.clock.now()
        issue = GLIssue(self.new_id(), project.next_iid, title, description, self.login, now, now)
        project.issues[issue.iid] = issue
        project.next_iid += 1
        return issue

    def set_labels(self, project: GLProject, issue: GLIssue, names: list[str]) -> None:
        """Replace the labels (creating unknown ones); scoped labels are exclusive on paid tiers."""
        issue.labels = []
        self.add_labels(project, issue, names)

    def add_labels(self, project: GLProject, issue: GLIssue, names: list[str]) -> None:
        for name in names:
            project.labels.setdefault(name, "#6699cc")
            if self.paid and "::" in name:
                scope = name.rsplit("::", 1)[0]
                issue.labels = [lb for lb in issue.labels if "::" not in lb or lb.rsplit("::", 1)[0] != scope]
            if name not in issue.labels:
                issue.labels.append(name)

    def note(self, issue: GLIssue, body: str, *, author: str | None = None, system: bool = False) -> GLNote:
        note = GLNote(self.new_id(), body, author or self.login, self.clock.now(), system)
        issue.notes.append(note)
        return note

    def close(self, issue: GLIssue, by: str) -> None:
        if issue.state == "closed":
            return
        now = self.clock.now()
        issue.state, issue.closed_at, issue.closed_by, issue.updated_at = "closed", now, by, now
        self.note(issue, "closed", author=by, system=True)

    def reopen(self, issue: GLIssue, by: str) -> None:
        if issue.state == "opened":
            return
        issue.state, issue.closed_at, issue.closed_by = "opened", None, None
        issue.updated_at = self.clock.now()
        self.note(issue, "reopened", author=by, system=True)
