"""GitHub JSON shapes (issue, label, milestone, user, repository) with absolute URLs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from actiontrack.sandbox.github_state import GHIssue, GHLabel, GHMilestone, GHRepo, GitHubStore


def gh_time(epoch: float | None) -> str | None:
    """GitHub's timestamp format, e.g. 2025-11-20T10:15:30Z."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class GitHubRenderer:
    """Builds bodies for one request; `api` is the API root the client used."""

    def __init__(self, api: str, web: str, store: GitHubStore) -> None:
        self.api = api
        self.web = web
        self.store = store

    def user(self, login: str, full: bool = False) -> dict[str, Any]:
        """A simple user (or the authenticated user with `full`)."""
        uid = self.store.users.get(login, 0)
        out: dict[str, Any] = {
            "login": login, "id": uid, "node_id": f"U_kgDO{uid:08d}",
            "avatar_url": f"{self.web}/avatars/{login}", "url": f"{self.api}/users/{login}",
            "html_url": f"{self.web}/{login}", "type": "User", "site_admin": False,
        }
        if full:
            out.update({"name": login.title(), "company": None, "email": None,
                        "public_repos": 0, "followers": 0, "following": 0,
                        "created_at": "2020-01-01T00:00:00Z",
                        "updated_at": "2025-01-01T00:00:00Z"})
        return out

    def repo_url(self, repo: GHRepo) -> str:
        """API URL of a repository."""
        return f"{self.api}/repos/{repo.full_name}"

    def repository(self, repo: GHRepo) -> dict[str, Any]:
        """GET /repos/{o}/{r}."""
        url = self.repo_url(repo)
        open_count = sum(1 for i in repo.issues.values() if i.state == "open" and not i.deleted)
        owner = {"login": repo.owner, "id": 9001, "node_id": "O_kgDOsandbox",
                 "url": f"{self.api}/users/{repo.owner}", "html_url": f"{self.web}/{repo.owner}",
                 "type": "Organization", "site_admin": False}
        return {
            "id": repo.id, "node_id": f"R_kgDO{repo.id}", "name": repo.name,
            "full_name": repo.full_name, "private": True, "owner": owner,
            "html_url": f"{self.web}/{repo.full_name}", "description": None, "fork": False,
            "url": url, "issues_url": f"{url}/issues{{/number}}",
            "labels_url": f"{url}/labels{{/name}}", "milestones_url": f"{url}/milestones{{/number}}",
            "pulls_url": f"{url}/pulls{{/number}}", "has_issues": True,
            "open_issues_count": open_count, "open_issues": open_count,
            "default_branch": "main", "visibility": "private", "archived": False,
            "created_at": gh_time(repo.created_at), "updated_at": gh_time(repo.created_at),
            "pushed_at": gh_time(repo.created_at),
            "permissions": {"admin": True, "maintain": True, "push": True, "triage": True,
                            "pull": True},
        }

    def label(self, repo: GHRepo, label: GHLabel) -> dict[str, Any]:
        """A label object."""
        return {
            "id": label.id, "node_id": f"LA_kwDO{label.id}",
            "url": f"{self.repo_url(repo)}/labels/{quote(label.name, safe='')}",
            "name": label.name, "color": label.color, "default": label.default,
            "description": label.description,
        }

    def milestone(self, repo: GHRepo, ms: GHMilestone) -> dict[str, Any]:
        """A milestone object with live issue counts."""
        url = f"{self.repo_url(repo)}/milestones/{ms.number}"
        linked = [i for i in repo.issues.values()
                  if i.milestone == ms.number and not i.is_pull and not i.deleted]
        return {
            "url": url, "html_url": f"{self.web}/{repo.full_name}/milestone/{ms.number}",
            "labels_url": f"{url}/labels", "id": ms.id, "node_id": f"MI_kwDO{ms.id}",
            "number": ms.number, "title": ms.title, "description": ms.description,
            "creator": self.user(self.store.login),
            "open_issues": sum(1 for i in linked if i.state == "open"),
            "closed_issues": sum(1 for i in linked if i.state == "closed"),
            "state": ms.state, "created_at": gh_time(ms.created_at),
            "updated_at": gh_time(ms.updated_at), "due_on": ms.due_on,
            "closed_at": gh_time(ms.closed_at),
        }

    def issue(self, repo: GHRepo, issue: GHIssue) -> dict[str, Any]:
        """An issue, or a PR as the issues API shows it (with the `pull_request` key)."""
        url = f"{self.repo_url(repo)}/issues/{issue.number}"
        kind = "pull" if issue.is_pull else "issues"
        assignees = [self.user(a) for a in issue.assignees]
        milestone = repo.milestones.get(issue.milestone) if issue.milestone else None
        labels = [repo.find_label(n) for n in issue.labels]
        out: dict[str, Any] = {
            "url": url, "repository_url": self.repo_url(repo),
            "labels_url": f"{url}/labels{{/name}}", "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{self.web}/{repo.full_name}/{kind}/{issue.number}",
            "id": issue.id, "node_id": f"I_kwDO{issue.id}", "number": issue.number,
            "title": issue.title, "user": self.user(issue.user),
            "labels": [self.label(repo, lb) for lb in labels if lb is not None],
            "state": issue.state, "locked": False,
            "assignee": assignees[0] if assignees else None, "assignees": assignees,
            "milestone": self.milestone(repo, milestone) if milestone else None,
            "comments": 0, "created_at": gh_time(issue.created_at),
            "updated_at": gh_time(issue.updated_at), "closed_at": gh_time(issue.closed_at),
            "author_association": "MEMBER", "active_lock_reason": None, "body": issue.body,
            "closed_by": self.user(self.store.login) if issue.state == "closed" else None,
            "state_reason": issue.state_reason,
        }
        if issue.is_pull:
            pr_url = f"{self.repo_url(repo)}/pulls/{issue.number}"
            html = f"{self.web}/{repo.full_name}/pull/{issue.number}"
            out["draft"] = False
            out["pull_request"] = {"url": pr_url, "html_url": html, "diff_url": f"{html}.diff",
                                   "patch_url": f"{html}.patch",
                                   "merged_at": gh_time(issue.merged_at)}
        return out
