"""GitHub repositories, issues (pull requests share the numbering), labels and milestones."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from actiontrack.sandbox.clock import Clock

DEFAULT_LABELS = (
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("enhancement", "a2eeef", "New feature or request"),
)
SEED_PULLS = (
    ("Add runbook for database failover", "open", False),
    ("Bump dependencies", "closed", True),
    ("Tune alert thresholds", "open", False),
)


@dataclass
class GHLabel:
    """A repository label."""

    id: int
    name: str
    color: str
    description: str | None
    default: bool = False


@dataclass
class GHMilestone:
    """A repository milestone (often used to carry a due date)."""

    id: int
    number: int
    title: str
    state: str
    description: str | None
    due_on: str | None
    created_at: float
    updated_at: float
    closed_at: float | None = None


@dataclass
class GHIssue:
    """An issue or, when `is_pull` is set, a pull request as the issues API shows it."""

    id: int
    number: int
    title: str
    body: str | None
    user: str
    created_at: float
    updated_at: float
    state: str = "open"
    state_reason: str | None = None
    closed_at: float | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    milestone: int | None = None
    is_pull: bool = False
    merged_at: float | None = None
    deleted: bool = False
    moved_to: tuple[int, int] | None = None  # transferred: (repository id, number there)


@dataclass
class GHRepo:
    """One repository and its issue-tracker state."""

    id: int
    owner: str
    name: str
    created_at: float
    issues: dict[int, GHIssue] = field(default_factory=dict)
    labels: dict[str, GHLabel] = field(default_factory=dict)  # lower-case name -> label
    milestones: dict[int, GHMilestone] = field(default_factory=dict)
    next_number: int = 1

    @property
    def full_name(self) -> str:
        """owner/name."""
        return f"{self.owner}/{self.name}"

    def find_label(self, name: str) -> GHLabel | None:
        """Labels are matched case-insensitively, as on GitHub."""
        return self.labels.get(name.lower())


class GitHubStore:
    """All GitHub state of one sandbox; callers hold `lock`."""

    def __init__(self, clock: Clock, repos: tuple[str, ...], login: str,
                 collaborators: tuple[str, ...], seed_pulls: int) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.login = login
        self.users = {name: 101 + i for i, name in enumerate(dict.fromkeys((login, *collaborators)))}
        self.repos: dict[str, GHRepo] = {}
        self._next_id = 2671820001
        for index, full in enumerate(repos):
            owner, _, name = full.partition("/")
            repo = GHRepo(700000001 + index, owner, name, clock.now())
            self.repos[full.lower()] = repo
            self._seed(repo, seed_pulls)

    def new_id(self) -> int:
        """A fresh database id for any object."""
        self._next_id += 1
        return self._next_id

    def _seed(self, repo: GHRepo, seed_pulls: int) -> None:
        for name, color, description in DEFAULT_LABELS:
            repo.labels[name] = GHLabel(self.new_id(), name, color, description, default=True)
        for title, state, merged in SEED_PULLS[:seed_pulls]:
            pull = self.add_issue(repo, title, None, is_pull=True)
            if state == "closed":
                pull.state, pull.closed_at = "closed", self.clock.now()
                pull.merged_at = pull.closed_at if merged else None

    def repo(self, owner: str, name: str) -> GHRepo | None:
        """Repository lookup (case-insensitive, like GitHub)."""
        return self.repos.get(f"{owner}/{name}".lower())

    def repo_by_id(self, repo_id: int) -> GHRepo | None:
        """For the /repositories/{id}/... URLs GitHub puts in Link headers."""
        return next((r for r in self.repos.values() if r.id == repo_id), None)

    def add_issue(self, repo: GHRepo, title: str, body: str | None,
                  is_pull: bool = False) -> GHIssue:
        """Create an issue (or PR) with the next number."""
        now = self.clock.now()
        issue = GHIssue(self.new_id(), repo.next_number, title, body, self.login, now, now,
                        is_pull=is_pull)
        repo.issues[issue.number] = issue
        repo.next_number += 1
        return issue

    def ensure_label(self, repo: GHRepo, name: str) -> GHLabel:
        """The label with this name, auto-created (colour ededed) when missing."""
        label = repo.find_label(name)
        if label is None:
            label = GHLabel(self.new_id(), name, "ededed", None)
            repo.labels[name.lower()] = label
        return label

    def close(self, issue: GHIssue, reason: str) -> None:
        """Close as completed / not_planned / duplicate."""
        now = self.clock.now()
        if issue.state != "closed":
            issue.closed_at = now
        issue.state, issue.state_reason, issue.updated_at = "closed", reason, now

    def reopen(self, issue: GHIssue) -> None:
        """Reopen; GitHub then reports state_reason "reopened"."""
        issue.state, issue.state_reason, issue.closed_at = "open", "reopened", None
        issue.updated_at = self.clock.now()
