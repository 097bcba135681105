"""GitLab REST v4 JSON shapes (user, project, issue, note, milestone) with absolute URLs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from actiontrack.sandbox.gitlab_state import GitLabStore, GLIssue, GLMilestone, GLNote, GLProject

Json = dict[str, Any]


def gl_time(epoch: float | None) -> str | None:
    """GitLab's timestamp format, e.g. 2016-01-04T15:31:51.081Z."""
    if epoch is None:
        return None
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class GitLabRenderer:
    """Bodies for one request; `web` is the instance root (`…/gitlab`), `api` is `web/api/v4`."""

    def __init__(self, web: str, store: GitLabStore) -> None:
        self.web = web
        self.api = f"{web}/api/v4"
        self.store = store

    def user(self, username: str, *, full: bool = False) -> Json | None:
        found = self.store.users.get(username)
        if found is None:
            return None
        out: Json = {"id": found.id, "username": found.username, "name": found.name, "state": "active",
                     "locked": False, "avatar_url": f"{self.web}/uploads/-/system/user/avatar/{found.id}/avatar.png",
                     "web_url": f"{self.web}/{found.username}"}
        if full:
            out.update({"created_at": "2020-01-01T00:00:00.000Z", "bio": "", "public_email": None,
                        "email": f"{found.username}@example.com", "is_admin": False, "bot": False,
                        "two_factor_enabled": False, "can_create_project": True})
        return out

    def project(self, project: GLProject) -> Json:
        path = project.path_with_namespace
        url = f"{self.api}/projects/{project.id}"
        return {
            "id": project.id, "name": project.name, "path": project.name,
            "path_with_namespace": path, "name_with_namespace": path.replace("/", " / "),
            "description": None, "default_branch": "main", "visibility": "private",
            "web_url": f"{self.web}/{path}", "issues_enabled": True, "open_issues_count":
                sum(1 for i in project.issues.values() if i.state == "opened" and not i.deleted),
            "created_at": gl_time(project.created_at),
            "_links": {"self": url, "issues": f"{url}/issues", "labels": f"{url}/labels"},
        }

    def milestone(self, project: GLProject, milestone: GLMilestone) -> Json:
        return {"id": milestone.id, "iid": milestone.iid, "project_id": project.id, "title": milestone.title,
                "description": None, "state": milestone.state, "due_date": milestone.due_date,
                "start_date": None, "expired": False,
                "web_url": f"{self.web}/{project.path_with_namespace}/-/milestones/{milestone.iid}"}

    def issue(self, project: GLProject, issue: GLIssue) -> Json:
        path = project.path_with_namespace
        url = f"{self.api}/projects/{project.id}/issues/{issue.iid}"
        assignees = [u for u in (self.user(name) for name in issue.assignees) if u]
        milestone = project.milestones.get(issue.milestone) if issue.milestone else None
        out: Json = {
            "id": issue.id, "iid": issue.iid, "project_id": project.id, "title": issue.title,
            "description": issue.description, "state": issue.state,
            "created_at": gl_time(issue.created_at), "updated_at": gl_time(issue.updated_at),
            "closed_at": gl_time(issue.closed_at),
            "closed_by": self.user(issue.closed_by) if issue.closed_by else None,
            "labels": list(issue.labels), "milestone": self.milestone(project, milestone) if milestone else None,
            "assignees": assignees, "assignee": assignees[0] if assignees else None,
            "author": self.user(issue.author), "type": "ISSUE", "issue_type": "issue",
            "user_notes_count": sum(1 for n in issue.notes if not n.system),
            "merge_requests_count": 0, "upvotes": 0, "downvotes": 0, "due_date": issue.due_date,
            "confidential": False, "discussion_locked": None, "web_url": f"{self.web}/{path}/-/issues/{issue.iid}",
            "references": {"short": f"#{issue.iid}", "relative": f"#{issue.iid}", "full": f"{path}#{issue.iid}"},
            "time_stats": {"time_estimate": 0, "total_time_spent": 0, "human_time_estimate": None,
                           "human_total_time_spent": None},
            "task_completion_status": {"count": 0, "completed_count": 0}, "has_tasks": False,
            "moved_to_id": None, "severity": "UNKNOWN",
            "_links": {"self": url, "notes": f"{url}/notes", "award_emoji": f"{url}/award_emoji",
                       "project": f"{self.api}/projects/{project.id}",
                       "closed_as_duplicate_of": None},
        }
        if self.store.paid:
            out["weight"] = issue.weight
        return out

    def note(self, issue: GLIssue, note: GLNote) -> Json:
        return {"id": note.id, "type": None, "body": note.body, "author": self.user(note.author),
                "created_at": gl_time(note.created_at), "updated_at": gl_time(note.created_at),
                "system": note.system, "noteable_id": issue.id, "noteable_type": "Issue",
                "noteable_iid": issue.iid, "resolvable": False, "confidential": False, "internal": False}
