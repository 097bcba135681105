"""GitHub REST handlers: user, repository, issues, labels, milestones, rate_limit."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from actiontrack.sandbox.config import SandboxConfig
from actiontrack.sandbox.github_errors import (
    gh_error,
    gh_fail,
    invalid_request,
    not_found,
    validation_failed,
)
from actiontrack.sandbox.github_render import GitHubRenderer, gh_time
from actiontrack.sandbox.github_state import GHIssue, GHLabel, GHMilestone, GHRepo, GitHubStore
from actiontrack.sandbox.ratelimit import GitHubPrimaryLimiter
from actiontrack.sandbox.router import Router
from actiontrack.sandbox.wire import HttpError, Request, Response

ISSUE_DOCS = "https://docs.github.com/rest/issues/issues"
LABEL_DOCS = "https://docs.github.com/rest/issues/labels#create-a-label"
MILESTONE_DOCS = "https://docs.github.com/rest/issues/milestones#create-a-milestone"
REDIRECT_DOCS = "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"
TITLE_LIMIT = 256
BODY_LIMIT = 65536
LABEL_LIMIT = 50
CREATE_KEYS = frozenset({"title", "body", "assignee", "milestone", "labels", "assignees", "type"})
UPDATE_KEYS = CREATE_KEYS | {"state", "state_reason"}
STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")
_COLOR_RE = re.compile(r"^[0-9a-fA-F]{6}$")


def _check_keys(body: Any, allowed: frozenset[str], docs: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise gh_fail(400, "Problems parsing JSON", docs)
    for key in body:
        if key not in allowed:
            raise invalid_request(docs, f'"{key}" is not a permitted key.')
    return body


def _within(text: str, limit: int, resource: str, name: str, docs: str) -> str:
    """GitHub's length limits, counted in characters: 422 with a custom error naming the field."""
    if len(text) > limit:
        raise validation_failed(docs, {"resource": resource, "code": "custom", "field": name,
                                       "message": f"{name} is too long (maximum is {limit} characters)"})
    return text


def parse_iso(value: str) -> float:
    """An ISO-8601 timestamp (Z or offset) as epoch seconds; ValueError if malformed."""
    text = value.strip().replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("timestamp needs a time zone")
    return moment.timestamp()


def page_args(req: Request) -> tuple[int, int]:
    """(page, per_page): per_page defaults to 30 and is capped at 100, as GitHub does."""
    try:
        per_page = int(req.arg("per_page") or 30)
        page = int(req.arg("page") or 1)
    except ValueError as exc:
        raise gh_fail(400, "Invalid pagination parameters") from exc
    return max(page, 1), min(max(per_page, 1), 100)


def link_header(url: str, req: Request, page: int, per_page: int, total: int) -> str | None:
    """RFC 8288 Link header with prev/next/last/first, as GitHub builds it."""
    last = max((total + per_page - 1) // per_page, 1)
    params = {k: v[-1] for k, v in req.query.items()}

    def at(n: int) -> str:
        return f"<{url}?{urlencode({**params, 'page': str(n)})}>"

    links = []
    if page > 1:
        links.append(f'{at(min(page - 1, last))}; rel="prev"')
    if page < last:
        links += [f'{at(page + 1)}; rel="next"', f'{at(last)}; rel="last"']
    if page > 1:
        links.append(f'{at(1)}; rel="first"')
    return ", ".join(links) or None


class GitHubApi:
    """Routes and handlers for the GitHub side of the sandbox."""

    def __init__(self, config: SandboxConfig, store: GitHubStore,
                 primary: GitHubPrimaryLimiter) -> None:
        self.config = config
        self.store = store
        self.primary = primary
        self.router = Router()
        self._register()

    def _register(self) -> None:
        add = self.router.add
        add("GET", "/user", self.get_user)
        add("GET", "/users/{username}", self.get_named_user)
        add("GET", "/rate_limit", self.rate_limit)
        for base in ("/repos/{owner}/{repo}", "/repositories/{repo_id}"):
            add("GET", base, self.get_repo)
            add("GET", f"{base}/issues", self.list_issues)
            add("POST", f"{base}/issues", self.create_issue)
            add("GET", f"{base}/issues/{{issue_number}}", self.get_issue)
            add("PATCH", f"{base}/issues/{{issue_number}}", self.update_issue)
            add("POST", f"{base}/issues/{{issue_number}}/labels", self.add_labels)
            add("GET", f"{base}/labels", self.list_labels)
            add("POST", f"{base}/labels", self.create_label)
            add("GET", f"{base}/labels/{{name}}", self.get_label)
            add("GET", f"{base}/milestones", self.list_milestones)
            add("POST", f"{base}/milestones", self.create_milestone)
            add("GET", f"{base}/milestones/{{milestone_number}}", self.get_milestone)
            add("PATCH", f"{base}/milestones/{{milestone_number}}", self.update_milestone)
            add("GET", f"{base}/assignees/{{assignee}}", self.check_assignee)

    # -- helpers ---------------------------------------------------------------------------

    def render(self, req: Request) -> GitHubRenderer:
        """A renderer for the API root this request used (github.com style or GHE)."""
        web = req.base_url.removesuffix("/api/v3")
        return GitHubRenderer(req.base_url, web, self.store)

    def _repo(self, req: Request) -> GHRepo:
        if "repo_id" in req.params:
            repo = (self.store.repo_by_id(int(req.params["repo_id"]))
                    if req.params["repo_id"].isdigit() else None)
        else:
            repo = self.store.repo(req.params["owner"], req.params["repo"])
        if repo is None:
            raise not_found()
        return repo

    def _issue(self, req: Request, repo: GHRepo) -> GHIssue:
        number = req.params["issue_number"]
        issue = repo.issues.get(int(number)) if number.isdigit() else None
        if issue is None:
            raise not_found()
        if issue.moved_to is not None:  # transferred: GitHub redirects every verb there
            repo_id, moved = issue.moved_to
            location = f"{self.render(req).api}/repositories/{repo_id}/issues/{moved}"
            resp = gh_error(301, "Moved Permanently", REDIRECT_DOCS, url=location)
            resp.headers["Location"] = location
            raise HttpError(resp)
        if issue.deleted:
            raise gh_fail(410, "This issue was deleted", ISSUE_DOCS)
        return issue

    def _body(self, req: Request) -> Any:
        try:
            return req.json()
        except ValueError as exc:
            raise gh_fail(400, "Problems parsing JSON") from exc

    def _paged(self, req: Request, items: Sequence[Any],
               render: Callable[[Any], dict[str, Any]] | None = None) -> Response:
        """One page of `items`, rendered after slicing (a listing of 10,000 renders 100)."""
        page, per_page = page_args(req)
        chunk = list(items[(page - 1) * per_page : page * per_page])
        resp = Response(200, [render(item) for item in chunk] if render else chunk)
        url = req.base_url + req.path
        if "repo_id" not in req.params and req.path.startswith("/repos/"):
            repo = self._repo(req)
            url = f"{req.base_url}/repositories/{repo.id}{req.path.split(repo.name, 1)[1]}"
        link = link_header(url, req, page, per_page, len(items))
        if link:
            resp.headers["Link"] = link
        return resp

    # -- user, repo, rate limit ------------------------------------------------------------

    def get_user(self, req: Request) -> Response:
        """GET /user: the token's owner."""
        return Response(200, self.render(req).user(self.store.login, full=True))

    def get_named_user(self, req: Request) -> Response:
        """GET /users/{username}."""
        if req.params["username"] not in self.store.users:
            raise not_found()
        return Response(200, self.render(req).user(req.params["username"], full=True))

    def get_repo(self, req: Request) -> Response:
        """GET /repos/{o}/{r} (PyGithub's get_repo does this unless lazy=True)."""
        return Response(200, self.render(req).repository(self._repo(req)))

    def rate_limit(self, req: Request) -> Response:
        """GET /rate_limit (does not count against the primary limit)."""
        limit, remaining, reset, used = self.primary.snapshot()
        core = {"limit": limit, "remaining": remaining, "reset": reset, "used": used,
                "resource": "core"}
        search = {"limit": 30, "remaining": 30, "reset": reset, "used": 0, "resource": "search"}
        graphql = {"limit": 5000, "remaining": 5000, "reset": reset, "used": 0,
                   "resource": "graphql"}
        return Response(200, {"resources": {"core": core, "search": search, "graphql": graphql},
                              "rate": core})

    def check_assignee(self, req: Request) -> Response:
        """GET /repos/{o}/{r}/assignees/{login}: 204 if assignable, else 404."""
        self._repo(req)
        if req.params["assignee"] not in self.config.github_collaborators:
            raise not_found()
        return Response(204)

    # -- issues ----------------------------------------------------------------------------

    def list_issues(self, req: Request) -> Response:
        """GET /repos/{o}/{r}/issues: filters, sort, Link pagination; PRs included."""
        repo = self._repo(req)
        items = [i for i in repo.issues.values() if not i.deleted]
        items = self._filter_issues(req, repo, items)
        sort = req.arg("sort") or "created"
        direction = req.arg("direction") or "desc"
        if sort not in ("created", "updated", "comments") or direction not in ("asc", "desc"):
            raise validation_failed(ISSUE_DOCS, {"resource": "Issue", "field": "sort",
                                                 "code": "invalid"})
        key = {"created": lambda i: (i.created_at, i.number),
               "updated": lambda i: (i.updated_at, i.number),
               "comments": lambda i: (0.0, i.number)}[sort]
        items.sort(key=key, reverse=direction == "desc")
        render = self.render(req)
        return self._paged(req, items, lambda issue: render.issue(repo, issue))

    def _filter_issues(self, req: Request, repo: GHRepo, items: list[GHIssue]) -> list[GHIssue]:
        state = req.arg("state") or "open"
        if state not in ("open", "closed", "all"):
            raise validation_failed(ISSUE_DOCS, {"resource": "Issue", "field": "state",
                                                 "code": "invalid"})
        if state != "all":
            items = [i for i in items if i.state == state]
        wanted = {name.lower() for name in req.arg_list("labels")}
        if wanted:
            items = [i for i in items if wanted <= {n.lower() for n in i.labels}]
        since = req.arg("since")
        if since:
            try:
                moment = parse_iso(since)
            except ValueError as exc:
                raise validation_failed(ISSUE_DOCS, {"resource": "Issue", "field": "since",
                                                     "code": "invalid"}) from exc
            items = [i for i in items if i.updated_at >= moment]
        return self._filter_people(req, items)

    def _filter_people(self, req: Request, items: list[GHIssue]) -> list[GHIssue]:
        milestone = req.arg("milestone")
        if milestone == "none":
            items = [i for i in items if i.milestone is None]
        elif milestone == "*":
            items = [i for i in items if i.milestone is not None]
        elif milestone:
            items = [i for i in items if str(i.milestone) == milestone]
        assignee = req.arg("assignee")
        if assignee == "none":
            items = [i for i in items if not i.assignees]
        elif assignee == "*":
            items = [i for i in items if i.assignees]
        elif assignee:
            items = [i for i in items if assignee in i.assignees]
        creator = req.arg("creator")
        return [i for i in items if creator is None or i.user == creator]

    def get_issue(self, req: Request) -> Response:
        """GET /repos/{o}/{r}/issues/{n} (410 once deleted)."""
        repo = self._repo(req)
        return Response(200, self.render(req).issue(repo, self._issue(req, repo)))

    def create_issue(self, req: Request) -> Response:
        """POST /repos/{o}/{r}/issues → 201 + Location."""
        repo = self._repo(req)
        docs = f"{ISSUE_DOCS}#create-an-issue"
        body = _check_keys(self._body(req), CREATE_KEYS, docs)
        if "title" not in body:
            raise invalid_request(docs, '"title" wasn\'t supplied.')
        changes = self._issue_changes(repo, body, docs)
        if not changes.get("title"):
            raise validation_failed(docs, {"resource": "Issue", "code": "missing_field",
                                           "field": "title"})
        issue = self.store.add_issue(repo, changes.pop("title"), None)
        for name, value in changes.items():
            setattr(issue, name, value)
        render = self.render(req)
        resp = Response(201, render.issue(repo, issue))
        resp.headers["Location"] = f"{render.repo_url(repo)}/issues/{issue.number}"
        return resp

    def _issue_changes(self, repo: GHRepo, body: dict[str, Any], docs: str) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if "title" in body:
            if not isinstance(body["title"], str | int):
                raise invalid_request(docs, f"For 'properties/title', {body['title']!r} is not "
                                      "a string or integer.")
            changes["title"] = _within(str(body["title"]), TITLE_LIMIT, "Issue", "title", docs)
        if "body" in body:
            if body["body"] is not None and not isinstance(body["body"], str):
                raise invalid_request(docs, "For 'properties/body', value is not a string.")
            changes["body"] = body["body"] and _within(body["body"], BODY_LIMIT, "Issue", "body", docs)
        if "labels" in body:
            changes["labels"] = self._labels(repo, body["labels"], docs)
        people = body.get("assignees")
        if people is None and body.get("assignee") is not None:
            people = [body["assignee"]]
        if people is not None or "assignees" in body:
            changes["assignees"] = self._assignees(people or [], docs)
        if "milestone" in body:
            changes["milestone"] = self._milestone_ref(repo, body["milestone"], docs)
        return changes

    def _labels(self, repo: GHRepo, raw: Any, docs: str) -> list[str]:
        if not isinstance(raw, list):
            raise invalid_request(docs, "For 'properties/labels', value is not an array.")
        names: list[str] = []
        for item in raw:
            name = item.get("name") if isinstance(item, dict) else item
            if not isinstance(name, str) or not name.strip():
                raise validation_failed(docs, {"resource": "Label", "field": "name",
                                               "code": "missing_field"})
            existing = repo.find_label(name)
            if existing is None and not self.config.github_autocreate_labels:
                raise validation_failed(docs, {"value": name, "resource": "Label",
                                               "field": "name", "code": "invalid"})
            if existing is None:
                _within(name, LABEL_LIMIT, "Label", "name", docs)
            label = existing or self.store.ensure_label(repo, name)
            if label.name not in names:
                names.append(label.name)
        return names

    def _assignees(self, raw: Any, docs: str) -> list[str]:
        if not isinstance(raw, list):
            raise invalid_request(docs, "For 'properties/assignees', value is not an array.")
        allowed = self.config.github_collaborators
        for login in raw:
            if login not in allowed and self.config.github_unassignable == "reject":
                raise validation_failed(docs, {"value": login, "resource": "Issue",
                                               "field": "assignees", "code": "invalid"})
        # "drop": what GitHub documents for a token without push access, silently
        return [login for login in dict.fromkeys(raw) if login in allowed]

    def _milestone_ref(self, repo: GHRepo, raw: Any, docs: str) -> int | None:
        if raw is None or raw == "":
            return None  # GitHub clears on "" too (PyGithub sends "" for milestone=None)
        number = int(raw) if isinstance(raw, int | str) and str(raw).isdigit() else None
        if number is None or number not in repo.milestones:
            raise validation_failed(docs, {"value": raw, "resource": "Issue",
                                           "field": "milestone", "code": "invalid"})
        return number

    def update_issue(self, req: Request) -> Response:
        """PATCH /repos/{o}/{r}/issues/{n}: partial update; labels/assignees replace sets."""
        repo = self._repo(req)
        issue = self._issue(req, repo)
        docs = f"{ISSUE_DOCS}#update-an-issue"
        body = _check_keys(self._body(req), UPDATE_KEYS, docs)
        changes = self._issue_changes(repo, body, docs)
        if "title" in changes and not changes["title"]:
            raise validation_failed(docs, {"resource": "Issue", "code": "missing_field",
                                           "field": "title"})
        state, reason = self._state_change(body, docs)
        for name, value in changes.items():
            setattr(issue, name, value)
        self._apply_state(issue, state, reason)
        issue.updated_at = self.store.clock.now()
        return Response(200, self.render(req).issue(repo, issue))

    def _state_change(self, body: dict[str, Any], docs: str) -> tuple[str | None, str | None]:
        state = body.get("state")
        reason = body.get("state_reason")
        if state is not None and state not in ("open", "closed"):
            raise validation_failed(docs, {"value": state, "resource": "Issue",
                                           "field": "state", "code": "invalid"})
        if reason is not None and reason not in STATE_REASONS:
            raise validation_failed(docs, {"value": reason, "resource": "Issue",
                                           "field": "state_reason", "code": "invalid"})
        return state, reason

    def _apply_state(self, issue: GHIssue, state: str | None, reason: str | None) -> None:
        if state == "closed" or (state is None and reason in ("completed", "not_planned",
                                                              "duplicate")):
            self.store.close(issue, reason if reason and reason != "reopened" else "completed")
        elif state == "open" and issue.state == "closed":
            self.store.reopen(issue)

    def add_labels(self, req: Request) -> Response:
        """POST /repos/{o}/{r}/issues/{n}/labels: add without replacing."""
        repo = self._repo(req)
        issue = self._issue(req, repo)
        body = self._body(req)
        raw = body.get("labels") if isinstance(body, dict) else body
        for name in self._labels(repo, raw, f"{ISSUE_DOCS}#add-labels-to-an-issue"):
            if name not in issue.labels:
                issue.labels.append(name)
        issue.updated_at = self.store.clock.now()
        render = self.render(req)
        labels = [repo.find_label(n) for n in issue.labels]
        return Response(200, [render.label(repo, lb) for lb in labels if lb is not None])

    # -- labels ----------------------------------------------------------------------------

    def list_labels(self, req: Request) -> Response:
        """GET /repos/{o}/{r}/labels (paginated)."""
        repo = self._repo(req)
        render = self.render(req)
        return self._paged(req, [render.label(repo, lb) for lb in repo.labels.values()])

    def get_label(self, req: Request) -> Response:
        """GET /repos/{o}/{r}/labels/{name}."""
        repo = self._repo(req)
        label = repo.find_label(req.params["name"])
        if label is None:
            raise not_found()
        return Response(200, self.render(req).label(repo, label))

    def create_label(self, req: Request) -> Response:
        """POST /repos/{o}/{r}/labels → 201, or 422 already_exists."""
        repo = self._repo(req)
        body = _check_keys(self._body(req), frozenset({"name", "color", "description"}),
                           LABEL_DOCS)
        name = body.get("name")
        if not isinstance(name, str) or not name:
            raise invalid_request(LABEL_DOCS, '"name" wasn\'t supplied.')
        color = str(body.get("color") or "ededed").removeprefix("#")
        if not _COLOR_RE.match(color):
            raise validation_failed(LABEL_DOCS, {"resource": "Label", "code": "invalid",
                                                 "field": "color"})
        _within(name, LABEL_LIMIT, "Label", "name", LABEL_DOCS)
        if repo.find_label(name) is not None:
            raise validation_failed(LABEL_DOCS, {"resource": "Label", "code": "already_exists",
                                                 "field": "name"})
        label = GHLabel(self.store.new_id(), name, color.lower(), body.get("description"))
        repo.labels[name.lower()] = label
        render = self.render(req)
        resp = Response(201, render.label(repo, label))
        resp.headers["Location"] = render.label(repo, label)["url"]
        return resp

    # -- milestones ------------------------------------------------------------------------

    def list_milestones(self, req: Request) -> Response:
        """GET /repos/{o}/{r}/milestones: state, sort (due_on|completeness), direction."""
        repo = self._repo(req)
        state = req.arg("state") or "open"
        items = [m for m in repo.milestones.values() if state == "all" or m.state == state]
        descending = (req.arg("direction") or "asc") == "desc"
        if (req.arg("sort") or "due_on") == "completeness":
            items.sort(key=lambda m: m.number, reverse=descending)
        else:
            items.sort(key=lambda m: (m.due_on is None, m.due_on or "", m.number),
                       reverse=descending)
        render = self.render(req)
        return self._paged(req, [render.milestone(repo, m) for m in items])

    def _milestone(self, req: Request, repo: GHRepo) -> GHMilestone:
        number = req.params["milestone_number"]
        milestone = repo.milestones.get(int(number)) if number.isdigit() else None
        if milestone is None:
            raise not_found()
        return milestone

    def get_milestone(self, req: Request) -> Response:
        """GET /repos/{o}/{r}/milestones/{n}."""
        repo = self._repo(req)
        return Response(200, self.render(req).milestone(repo, self._milestone(req, repo)))

    def _milestone_fields(self, repo: GHRepo, body: dict[str, Any],
                          current: GHMilestone | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if "title" in body:
            title = body["title"]
            clash = [m for m in repo.milestones.values() if m.title == title and m is not current]
            if not isinstance(title, str) or not title:
                raise validation_failed(MILESTONE_DOCS, {"resource": "Milestone",
                                                         "code": "missing_field",
                                                         "field": "title"})
            if clash:
                raise validation_failed(MILESTONE_DOCS, {"resource": "Milestone",
                                                         "code": "already_exists",
                                                         "field": "title"})
            out["title"] = title
        if "state" in body:
            if body["state"] not in ("open", "closed"):
                raise validation_failed(MILESTONE_DOCS, {"resource": "Milestone",
                                                         "code": "invalid", "field": "state"})
            out["state"] = body["state"]
        if "description" in body:
            out["description"] = body["description"]
        if "due_on" in body:
            out["due_on"] = self._due_on(body["due_on"])
        return out

    def _due_on(self, raw: Any) -> str | None:
        if raw is None:
            return None
        try:
            if not isinstance(raw, str):
                raise ValueError(raw)
            text = raw if "T" in raw else f"{raw}T00:00:00Z"
            moment = parse_iso(text)
        except ValueError as exc:
            raise validation_failed(MILESTONE_DOCS, {"resource": "Milestone", "code": "invalid",
                                                     "field": "due_on"}) from exc
        return gh_time(moment)

    def create_milestone(self, req: Request) -> Response:
        """POST /repos/{o}/{r}/milestones → 201, 422 on a duplicate title."""
        repo = self._repo(req)
        body = _check_keys(self._body(req), frozenset({"title", "state", "description",
                                                       "due_on"}), MILESTONE_DOCS)
        if "title" not in body:
            raise invalid_request(MILESTONE_DOCS, '"title" wasn\'t supplied.')
        fields = self._milestone_fields(repo, body, None)
        now = self.store.clock.now()
        number = max(repo.milestones, default=0) + 1
        milestone = GHMilestone(self.store.new_id(), number, fields["title"],
                                fields.get("state", "open"), fields.get("description"),
                                fields.get("due_on"), now, now)
        repo.milestones[number] = milestone
        render = self.render(req)
        resp = Response(201, render.milestone(repo, milestone))
        resp.headers["Location"] = f"{render.repo_url(repo)}/milestones/{number}"
        return resp

    def update_milestone(self, req: Request) -> Response:
        """PATCH /repos/{o}/{r}/milestones/{n}."""
        repo = self._repo(req)
        milestone = self._milestone(req, repo)
        body = _check_keys(self._body(req), frozenset({"title", "state", "description",
                                                       "due_on"}), MILESTONE_DOCS)
        for name, value in self._milestone_fields(repo, body, milestone).items():
            setattr(milestone, name, value)
        now = self.store.clock.now()
        milestone.updated_at = now
        milestone.closed_at = now if milestone.state == "closed" else None
        return Response(200, self.render(req).milestone(repo, milestone))

