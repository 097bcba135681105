"""GitLab REST v4 handlers: user, users, project, issues (list, create, get, edit), notes, labels, milestones.

Parameters come from the query string and the body (JSON or form), as Grape reads them.
Validation answers in GitLab's two shapes: parameter errors `{"error": "state does not
have a valid value"}`, model errors `{"message": {"title": ["can't be blank"]}}`.
Unknown parameters are ignored, as Grape does. Lists paginate by offset (X-Page, X-Total
… and `Link`, totals omitted above 10,000 rows) or, for issues with `pagination=keyset`
and a supported `order_by`, by an opaque `cursor` in `Link: rel="next"`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode

from actiontrack.sandbox.config import SandboxConfig
from actiontrack.sandbox.gitlab_render import GitLabRenderer
from actiontrack.sandbox.gitlab_state import GitLabStore, GLIssue, GLProject
from actiontrack.sandbox.router import Router
from actiontrack.sandbox.wire import HttpError, Request, Response

Json = dict[str, Any]
MAX_TITLE = 255
MAX_DESCRIPTION = 1_048_576
TOTALS_LIMIT = 10_000  # above this GitLab omits X-Total and X-Total-Pages
ISSUE_ORDERS = ("created_at", "updated_at", "priority", "due_date", "relative_position", "label_priority",
                "milestone_due", "popularity", "weight", "title")
KEYSET_ORDERS = ("id", "title", "created_at", "updated_at", "due_date", "relative_position", "weight")
EDITABLE = ("assignee_id", "assignee_ids", "confidential", "created_at", "description", "discussion_locked",
            "due_date", "labels", "milestone_id", "state_event", "title", "issue_type", "weight", "epic_id",
            "epic_iid", "add_labels", "remove_labels")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def param_error(text: str) -> HttpError:
    return HttpError(Response(400, {"error": text}))


def model_error(field: str, text: str) -> HttpError:
    return HttpError(Response(400, {"message": {field: [text]}}))


def not_found(what: str = "") -> HttpError:
    return HttpError(Response(404, {"message": f"404 {what} Not Found" if what else "404 Not Found"}))


class GitLabApi:
    """Routes and handlers for the GitLab side of the sandbox (base path `/gitlab`)."""

    def __init__(self, config: SandboxConfig, store: GitLabStore) -> None:
        self.config = config
        self.store = store
        self.router = Router()
        add = self.router.add
        add("GET", "/api/v4/user", self.get_user)
        add("GET", "/api/v4/users", self.list_users)
        add("GET", "/api/v4/projects/{id}", self.get_project)
        add("GET", "/api/v4/projects/{id}/issues", self.list_issues)
        add("POST", "/api/v4/projects/{id}/issues", self.create_issue)
        add("GET", "/api/v4/projects/{id}/issues/{issue_iid}", self.get_issue)
        add("PUT", "/api/v4/projects/{id}/issues/{issue_iid}", self.edit_issue)
        add("GET", "/api/v4/projects/{id}/issues/{issue_iid}/notes", self.list_notes)
        add("POST", "/api/v4/projects/{id}/issues/{issue_iid}/notes", self.create_note)
        add("GET", "/api/v4/projects/{id}/labels", self.list_labels)
        add("GET", "/api/v4/projects/{id}/milestones", self.list_milestones)

    # -- helpers ---------------------------------------------------------------------------

    def render(self, req: Request) -> GitLabRenderer:
        return GitLabRenderer(req.base_url, self.store)

    def params(self, req: Request) -> Json:
        """Query string and body merged (the body wins), as Grape reads parameters."""
        merged: Json = {k.removesuffix("[]"): (v if k.endswith("[]") else v[-1]) for k, v in req.query.items()}
        if not req.body.strip():
            return merged
        kind = (req.header("content-type") or "").lower()
        if "application/x-www-form-urlencoded" in kind:
            form = parse_qs(req.body.decode("utf-8"), keep_blank_values=True)
            merged.update({k.removesuffix("[]"): (v if k.endswith("[]") else v[-1]) for k, v in form.items()})
            return merged
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError) as exc:
            raise HttpError(Response(400, {"error": "The request body could not be parsed as JSON"})) from exc
        if not isinstance(body, dict):
            raise HttpError(Response(400, {"error": "The request body must be a JSON object"}))
        merged.update(body)
        return merged

    def project(self, req: Request) -> GLProject:
        project = self.store.project(req.params["id"])
        if project is None:
            raise not_found("Project")
        return project

    def issue(self, req: Request, project: GLProject) -> GLIssue:
        ref = req.params["issue_iid"]
        if not ref.isdigit():
            raise param_error("issue_iid is invalid")
        issue = project.issues.get(int(ref))
        if issue is None or issue.deleted:
            raise not_found("Issue")
        return issue

    # -- users and projects ------------------------------------------------------------------

    def get_user(self, req: Request) -> Response:
        return Response(200, self.render(req).user(self.store.login, full=True))

    def list_users(self, req: Request) -> Response:
        wanted = req.arg("username")
        names = [u for u in self.store.users if wanted is None or u.lower() == wanted.lower()]
        return self.paged(req, [self.render(req).user(name) for name in names])

    def get_project(self, req: Request) -> Response:
        return Response(200, self.render(req).project(self.project(req)))

    def list_labels(self, req: Request) -> Response:
        project = self.project(req)
        rows = [{"id": 1000 + i, "name": name, "color": color, "text_color": "#FFFFFF", "description": None,
                 "open_issues_count": sum(1 for x in project.issues.values() if name in x.labels
                                          and x.state == "opened"), "subscribed": False, "priority": None,
                 "is_project_label": True}
                for i, (name, color) in enumerate(sorted(project.labels.items()))]
        return self.paged(req, rows)

    def list_milestones(self, req: Request) -> Response:
        project = self.project(req)
        title = req.arg("title")
        rows = [self.render(req).milestone(project, m) for m in project.milestones.values()
                if title is None or m.title == title]
        return self.paged(req, rows)

    # -- issues: reading ---------------------------------------------------------------------

    def list_issues(self, req: Request) -> Response:
        project = self.project(req)
        params = self.params(req)
        state = _choice(params, "state", ("opened", "closed", "all"), "all")
        order = _choice(params, "order_by", (*ISSUE_ORDERS, "id"), "created_at")
        sort = _choice(params, "sort", ("asc", "desc"), "desc")
        items = [i for i in project.issues.values() if not i.deleted and (state == "all" or i.state == state)]
        items = self._filter(params, items)
        key = _sort_key(order)
        items.sort(key=lambda i: (key(i), i.id), reverse=sort == "desc")
        render = self.render(req)
        if params.get("pagination") == "keyset" and order in KEYSET_ORDERS:
            return self.keyset(req, params, items, key, sort, lambda i: render.issue(project, i))
        return self.paged(req, [render.issue(project, i) for i in items])

    def _filter(self, params: Json, items: list[GLIssue]) -> list[GLIssue]:
        labels = params.get("labels")
        if labels not in (None, ""):
            names = _names(labels)
            if names == ["None"]:
                items = [i for i in items if not i.labels]
            elif names == ["Any"]:
                items = [i for i in items if i.labels]
            else:
                items = [i for i in items if all(name in i.labels for name in names)]
        bounds: tuple[tuple[str, Callable[[GLIssue, float], bool]], ...] = (
            ("updated_after", lambda i, t: i.updated_at >= t), ("updated_before", lambda i, t: i.updated_at <= t),
            ("created_after", lambda i, t: i.created_at >= t), ("created_before", lambda i, t: i.created_at <= t))
        for name, keep in bounds:
            if params.get(name) not in (None, ""):
                moment = _datetime(params[name], name)
                items = [i for i in items if keep(i, moment)]
        iids = params.get("iids")
        if iids not in (None, ""):
            wanted = {_int(v, "iids") for v in (iids if isinstance(iids, list) else [iids])}
            items = [i for i in items if i.iid in wanted]
        return items

    def get_issue(self, req: Request) -> Response:
        project = self.project(req)
        return Response(200, self.render(req).issue(project, self.issue(req, project)))

    def list_notes(self, req: Request) -> Response:
        project = self.project(req)
        issue = self.issue(req, project)
        params = self.params(req)
        sort = _choice(params, "sort", ("asc", "desc"), "desc")
        order = _choice(params, "order_by", ("created_at", "updated_at"), "created_at")
        del order  # notes are never edited here: both orders agree
        notes = sorted(issue.notes, key=lambda n: (n.created_at, n.id), reverse=sort == "desc")
        render = self.render(req)
        return self.paged(req, [render.note(issue, n) for n in notes])

    # -- issues: writing ---------------------------------------------------------------------

    def create_issue(self, req: Request) -> Response:
        project = self.project(req)
        params = self.params(req)
        if "title" not in params or params["title"] is None:
            raise param_error("title is missing")
        title = _text(params["title"], "title")
        _check_title(title)
        description = _description(params.get("description"))
        issue = self.store.add_issue(project, title, description)
        try:
            self._apply_fields(project, issue, params, creating=True)
        except HttpError:
            del project.issues[issue.iid]  # a refused create leaves nothing behind (iid is spent)
            raise
        return Response(201, self.render(req).issue(project, issue))

    def edit_issue(self, req: Request) -> Response:
        project = self.project(req)
        issue = self.issue(req, project)
        params = self.params(req)
        if not any(name in params for name in EDITABLE):
            raise param_error(", ".join(EDITABLE) + " are missing, at least one parameter must be provided")
        before = self._snapshot(issue)
        if "title" in params:
            issue.title = _text(params["title"], "title")
            _check_title(issue.title)
        if "description" in params:
            issue.description = _description(params["description"])
        self._apply_fields(project, issue, params, creating=False)
        event = params.get("state_event")
        if event is not None:
            if event not in ("close", "reopen"):
                raise param_error("state_event does not have a valid value")
            (self.store.close if event == "close" else self.store.reopen)(issue, self.store.login)
        if self._snapshot(issue) != before:
            issue.updated_at = self.store.clock.now()
        return Response(200, self.render(req).issue(project, issue))

    def _snapshot(self, issue: GLIssue) -> tuple[Any, ...]:
        return (issue.title, issue.description, tuple(issue.labels), tuple(issue.assignees), issue.due_date,
                issue.weight, issue.milestone, issue.state)

    def _apply_fields(self, project: GLProject, issue: GLIssue, params: Json, *, creating: bool) -> None:
        """Labels, assignees, due date, weight and milestone, validated before anything changes."""
        labels = _names(params["labels"]) if params.get("labels") is not None else None
        assignees = self._assignees(project, params)
        due = _due(params["due_date"]) if "due_date" in params else ...
        weight = _weight(params["weight"]) if "weight" in params else ...
        milestone = _milestone(project, params["milestone_id"]) if "milestone_id" in params else ...
        if labels is not None:
            self.store.set_labels(project, issue, labels)
        if not creating:
            if params.get("add_labels") is not None:
                self.store.add_labels(project, issue, _names(params["add_labels"]))
            if params.get("remove_labels") is not None:
                dropped = set(_names(params["remove_labels"]))
                issue.labels = [name for name in issue.labels if name not in dropped]
        if assignees is not None:
            issue.assignees = assignees
        if due is not ...:
            issue.due_date = due
        if weight is not ... and self.store.paid:  # weight is a paid feature: Free ignores it
            issue.weight = weight
        if milestone is not ...:
            issue.milestone = milestone

    def _assignees(self, project: GLProject, params: Json) -> list[str] | None:
        """User ids → usernames; unknown ids and non-members are dropped silently, as GitLab
        does; Free keeps only the first assignee."""
        if "assignee_ids" in params:
            raw = params["assignee_ids"]
        elif "assignee_id" in params:
            raw = [] if params["assignee_id"] in (None, "", 0, "0") else [params["assignee_id"]]
        else:
            return None
        if raw in (None, ""):
            raw = []
        if not isinstance(raw, list):
            raw = [part for part in str(raw).split(",") if part]
        ids = [_int(value, "assignee_ids") for value in raw]
        names = []
        for user_id in ids:
            user = self.store.user_by_id(user_id)
            if user is not None and user.username in project.members and user.username not in names:
                names.append(user.username)
        return names if self.store.paid else names[:1]

    def create_note(self, req: Request) -> Response:
        """POST notes, with the quick actions people close with: /close, /reopen, /duplicate #n."""
        project = self.project(req)
        issue = self.issue(req, project)
        params = self.params(req)
        if not params.get("body"):
            raise param_error("body is missing")
        text, actions = _quick_actions(str(params["body"]))
        note = self.store.note(issue, text) if text else None
        for action, arg in actions:
            if action == "duplicate":
                self.store.note(issue, f"marked this issue as a duplicate of {arg}", system=True)
                self.store.close(issue, self.store.login)
            elif action == "close":
                self.store.close(issue, self.store.login)
            elif action == "reopen":
                self.store.reopen(issue, self.store.login)
        issue.updated_at = self.store.clock.now()
        shown = note or issue.notes[-1]
        return Response(201, self.render(req).note(issue, shown))

    # -- pagination --------------------------------------------------------------------------

    def paged(self, req: Request, rows: Sequence[Any]) -> Response:
        page, per_page = _page_args(req)
        total = len(rows)
        pages = max((total + per_page - 1) // per_page, 1)
        resp = Response(200, list(rows[(page - 1) * per_page : page * per_page]))
        headers = {"X-Page": str(page), "X-Per-Page": str(per_page),
                   "X-Prev-Page": str(page - 1) if page > 1 else "",
                   "X-Next-Page": str(page + 1) if page < pages else ""}
        if total <= TOTALS_LIMIT:
            headers |= {"X-Total": str(total), "X-Total-Pages": str(pages)}
        resp.headers.update(headers)
        query = {k: v[-1] for k, v in req.query.items()}

        def at(n: int) -> str:
            return f"<{req.base_url}{req.path}?{urlencode({**query, 'page': str(n), 'per_page': str(per_page)})}>"

        links = []
        if page > 1:
            links.append(f'{at(page - 1)}; rel="prev"')
        if page < pages:
            links.append(f'{at(page + 1)}; rel="next"')
        links.append(f'{at(1)}; rel="first"')
        if total <= TOTALS_LIMIT:
            links.append(f'{at(pages)}; rel="last"')
        resp.headers["Link"] = ", ".join(links)
        return resp

    def keyset(self, req: Request, params: Json, items: list[GLIssue], key: Callable[[GLIssue], Any],
               sort: str, show: Callable[[GLIssue], Json]) -> Response:
        """Rows after the cursor; `Link: rel="next"` carries the next cursor; no totals."""
        _, per_page = _page_args(req)
        cursor = params.get("cursor")
        if cursor:
            after = _decode_cursor(str(cursor))
            descending = sort == "desc"
            items = [i for i in items if ((key(i), i.id) < after) == descending and (key(i), i.id) != after]
        chunk = items[:per_page]
        resp = Response(200, [show(i) for i in chunk])
        resp.headers.update({"X-Per-Page": str(per_page)})
        if len(items) > per_page:
            last = chunk[-1]
            query = {k: v[-1] for k, v in req.query.items() if k != "cursor"}
            query["cursor"] = _encode_cursor((key(last), last.id))
            resp.headers["Link"] = f'<{req.base_url}{req.path}?{urlencode(query)}>; rel="next"'
        return resp


# -- parameter parsing ---------------------------------------------------------------------------


def _choice(params: Json, name: str, allowed: Sequence[str], default: str) -> str:
    value = params.get(name, default)
    if value not in allowed:
        raise param_error(f"{name} does not have a valid value")
    return str(value)


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise param_error(f"{name} is invalid")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise param_error(f"{name} is invalid")


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise param_error(f"{name} is invalid")
    return str(value)


def _check_title(title: str) -> None:
    if not title.strip():
        raise model_error("title", "can't be blank")
    if len(title) > MAX_TITLE:
        raise model_error("title", f"is too long (maximum is {MAX_TITLE} characters)")


def _description(value: Any) -> str | None:
    if value is None:
        return None
    text = _text(value, "description")
    if len(text) > MAX_DESCRIPTION:
        raise model_error("description", f"is too long (maximum is {MAX_DESCRIPTION} characters)")
    return text


def _names(value: Any) -> list[str]:
    """Labels as a comma-separated string or an array; blanks dropped, order kept."""
    parts = value if isinstance(value, list) else str(value).split(",")
    return list(dict.fromkeys(str(part).strip() for part in parts if str(part).strip()))


def _due(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        raise param_error("due_date is invalid")
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise param_error("due_date is invalid") from exc
    return value


def _weight(value: Any) -> int | None:
    if value in (None, ""):
        return None
    weight = _int(value, "weight")
    if weight < 0:
        raise param_error("weight does not have a valid value")
    return weight


def _milestone(project: GLProject, value: Any) -> int | None:
    if value in (None, "", 0, "0"):
        return None
    milestone_id = _int(value, "milestone_id")
    if milestone_id not in project.milestones:
        raise not_found("Milestone")
    return milestone_id


def _datetime(value: Any, name: str) -> float:
    try:
        moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise param_error(f"{name} is invalid") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def _page_args(req: Request) -> tuple[int, int]:
    try:
        page = int(req.arg("page") or 1)
        per_page = int(req.arg("per_page") or 20)
    except ValueError as exc:
        raise param_error("page is invalid") from exc
    return max(page, 1), min(max(per_page, 1), 100)


def _sort_key(order: str) -> Callable[[GLIssue], Any]:
    keys: dict[str, Callable[[GLIssue], Any]] = {
        "created_at": lambda i: i.created_at, "updated_at": lambda i: i.updated_at,
        "due_date": lambda i: i.due_date or "9999-12-31", "title": lambda i: i.title.lower(),
        "weight": lambda i: -1 if i.weight is None else i.weight, "id": lambda i: i.id,
    }
    return keys.get(order, lambda i: i.created_at)


def _encode_cursor(value: tuple[Any, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(value)).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[Any, int]:
    try:
        key, ident = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return key, int(ident)
    except (ValueError, TypeError) as exc:
        raise param_error("cursor is invalid") from exc


_QUICK = re.compile(r"^/(close|reopen|duplicate)\b[ \t]*(.*)$")


def _quick_actions(body: str) -> tuple[str, list[tuple[str, str]]]:
    """The note's text without quick-action lines, and the actions in order."""
    kept, actions = [], []
    for line in body.splitlines():
        match = _QUICK.match(line.strip())
        if match:
            actions.append((match.group(1), match.group(2).strip()))
        else:
            kept.append(line)
    return "\n".join(kept).strip(), actions
