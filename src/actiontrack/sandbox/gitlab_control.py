"""Test-side control of GitLab state: inspect issues, and change them as a person in the UI would.

Views are plain dicts with friendly values; `number` is the issue's iid and `body` its
description, so tests can read every tracker's issues the same way.
"""

from __future__ import annotations

from typing import Any

from actiontrack.sandbox.control import ControlError
from actiontrack.sandbox.gitlab_render import gl_time
from actiontrack.sandbox.gitlab_state import GitLabStore, GLIssue, GLMilestone, GLProject


class GitLabControl:
    """Inspect and manipulate GitLab issues directly (no request counting, no faults)."""

    def __init__(self, store: GitLabStore, default_project: str) -> None:
        self._store = store
        self._default = default_project

    def _project(self, project: str | None) -> GLProject:
        found = self._store.project(project or self._default)
        if found is None:
            raise ControlError(f"no GitLab project {project}")
        return found

    def _get(self, iid: int, project: str | None) -> tuple[GLProject, GLIssue]:
        found = self._project(project)
        issue = found.issues.get(int(iid))
        if issue is None or issue.deleted:
            raise ControlError(f"no GitLab issue #{iid}")
        return found, issue

    def _user(self, username: str) -> str:
        if username not in self._store.users:
            raise ControlError(f"no GitLab user {username!r}")
        return username

    def view(self, project: GLProject, issue: GLIssue) -> dict[str, Any]:
        milestone = project.milestones.get(issue.milestone) if issue.milestone else None
        return {
            "iid": issue.iid, "number": issue.iid, "id": issue.id, "title": issue.title,
            "description": issue.description, "body": issue.description or "", "state": issue.state,
            "labels": list(issue.labels), "assignees": list(issue.assignees), "due_date": issue.due_date,
            "weight": issue.weight, "milestone_title": milestone.title if milestone else None,
            "closed_by": issue.closed_by, "notes": [n.body for n in issue.notes if not n.system],
            "created_at": gl_time(issue.created_at), "updated_at": gl_time(issue.updated_at),
            "closed_at": gl_time(issue.closed_at),
        }

    def issues(self, project: str | None = None) -> list[dict[str, Any]]:
        """Issues of a project by iid."""
        with self._store.lock:
            found = self._project(project)
            return [self.view(found, i) for _, i in sorted(found.issues.items()) if not i.deleted]

    def issue(self, iid: int, project: str | None = None) -> dict[str, Any]:
        with self._store.lock:
            return self.view(*self._get(iid, project))

    def close_issue(self, iid: int, *, note: str | None = None, label: str | None = None,
                    by: str = "dana", project: str | None = None) -> dict[str, Any]:
        """Close as a person would: optionally with a comment ("Close with comment") or a label."""
        with self._store.lock:
            found, issue = self._get(iid, project)
            who = self._user(by)
            if label:
                self._store.add_labels(found, issue, [label])
            if note:
                self._store.note(issue, note, author=who)
            self._store.close(issue, who)
            return self.view(found, issue)

    def mark_duplicate(self, iid: int, *, of: int, by: str = "dana", project: str | None = None) -> dict[str, Any]:
        """What `/duplicate #of` does: a system note by that person, then the close."""
        with self._store.lock:
            found, issue = self._get(iid, project)
            who = self._user(by)
            self._store.note(issue, f"marked this issue as a duplicate of #{of}", author=who, system=True)
            self._store.close(issue, who)
            return self.view(found, issue)

    def reopen_issue(self, iid: int, *, by: str = "dana", project: str | None = None) -> dict[str, Any]:
        with self._store.lock:
            found, issue = self._get(iid, project)
            self._store.reopen(issue, self._user(by))
            return self.view(found, issue)

    def add_note(self, iid: int, body: str, *, by: str = "dana", project: str | None = None) -> None:
        with self._store.lock:
            _, issue = self._get(iid, project)
            self._store.note(issue, body, author=self._user(by))
            issue.updated_at = self._store.clock.now()

    def edit_issue(self, iid: int, project: str | None = None, **fields: Any) -> dict[str, Any]:
        """Change title/description/labels/assignees (usernames)/due_date/weight."""
        with self._store.lock:
            found, issue = self._get(iid, project)
            for name, value in fields.items():
                if name == "labels":
                    self._store.set_labels(found, issue, list(value))
                elif name == "assignees":
                    issue.assignees = [self._user(v) for v in value]
                elif name in ("title", "description", "due_date", "weight"):
                    setattr(issue, name, value)
                else:
                    raise ControlError(f"field {name!r} cannot be edited here")
            issue.updated_at = self._store.clock.now()
            return self.view(found, issue)

    def delete_issue(self, iid: int, project: str | None = None) -> None:
        """Delete (GET then answers 404, and lists omit it)."""
        with self._store.lock:
            _, issue = self._get(iid, project)
            issue.deleted = True

    def add_milestone(self, title: str, due_date: str | None = None, project: str | None = None) -> int:
        """Create a project milestone; returns its global id."""
        with self._store.lock:
            found = self._project(project)
            milestone = GLMilestone(self._store.new_id(), len(found.milestones) + 1, title, due_date)
            found.milestones[milestone.id] = milestone
            return milestone.id

    def project_id(self, project: str | None = None) -> int:
        with self._store.lock:
            return self._project(project).id
