"""Jira REST handlers (Cloud or Data Center flavour), mounted under the sandbox's /jira prefix."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from actiontrack.sandbox.clock import Clock
from actiontrack.sandbox.config import SandboxConfig
from actiontrack.sandbox.jira_errors import (
    NO_ISSUE,
    NOT_AUTHENTICATED,
    REMOVED_SEARCH,
    error_response,
    fail,
)
from actiontrack.sandbox.jira_model import DC_FIELDS, FIELDS, ISSUE_TYPES, PRIORITIES, RESOLUTIONS, User
from actiontrack.sandbox.jira_render import Renderer, jira_time
from actiontrack.sandbox.jira_search import Searcher, read_params
from actiontrack.sandbox.jira_state import JiraIssue, JiraStore, ValidationErrors
from actiontrack.sandbox.router import Router
from actiontrack.sandbox.wire import Request, Response

BULK_LIMIT = 50
VersionedHandler = Callable[[Request, str], Response]


class JiraApi:
    """Routes and handlers for one Jira instance."""

    def __init__(self, config: SandboxConfig, store: JiraStore, clock: Clock) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.cloud = config.jira_deployment == "Cloud"
        self.searcher = Searcher(store, self.cloud)
        self.router = Router()
        self._register()

    # -- plumbing ----------------------------------------------------------------------------

    def _versions(self) -> tuple[str, ...]:
        return ("2", "3", "latest") if self.cloud else ("2", "latest")

    def _register(self) -> None:
        routes: list[tuple[str, str, VersionedHandler]] = [
            ("GET", "serverInfo", self.server_info),
            ("GET", "myself", self.myself),
            ("GET", "field", self.fields),
            ("GET", "priority", self.priorities),
            ("GET", "resolution", self.resolutions),
            ("GET", "issuetype", self.issue_types),
            ("GET", "project", self.projects),
            ("GET", "project/{projectIdOrKey}", self.project),
            ("POST", "issue", self.create_issue),
            ("POST", "issue/bulk", self.bulk_create),
            ("GET", "issue/{issueIdOrKey}", self.get_issue),
            ("PUT", "issue/{issueIdOrKey}", self.edit_issue),
            ("DELETE", "issue/{issueIdOrKey}", self.delete_issue),
            ("GET", "issue/{issueIdOrKey}/transitions", self.list_transitions),
            ("POST", "issue/{issueIdOrKey}/transitions", self.do_transition),
            ("PUT", "issue/{issueIdOrKey}/assignee", self.assign),
            ("GET", "issue/{issueIdOrKey}/properties", self.property_keys),
            ("GET", "issue/{issueIdOrKey}/properties/{propertyKey}", self.get_property),
            ("PUT", "issue/{issueIdOrKey}/properties/{propertyKey}", self.put_property),
            ("DELETE", "issue/{issueIdOrKey}/properties/{propertyKey}", self.delete_property),
            ("GET", "issue/{issueIdOrKey}/remotelink", self.remote_links),
            ("POST", "issue/{issueIdOrKey}/remotelink", self.add_remote_link),
            ("GET", "search", self.classic_search),
            ("POST", "search", self.classic_search),
        ]
        if self.cloud:
            routes += [
                ("GET", "search/jql", self.enhanced_search),
                ("POST", "search/jql", self.enhanced_search),
                ("POST", "search/approximate-count", self.approximate_count),
            ]
        for version in self._versions():
            for method, tail, handler in routes:
                self.router.add(method, f"/rest/api/{version}/{tail}", _bind(handler, version))

    def render(self, req: Request, version: str) -> Renderer:
        """A renderer for this request's base URL and API version."""
        api = "2" if version == "latest" else version
        return Renderer(req.base_url, api, self.config.jira_deployment, self.store.projects)

    def authenticate(self, req: Request, endpoint: str) -> Response | None:
        """None when the caller may proceed; a 401 response otherwise."""
        header = req.header("authorization") or ""
        if not header:
            if endpoint.endswith("/serverInfo"):
                return None  # served anonymously, as on real sites
            return self._unauthorized()
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "basic" and self._basic_ok(value.strip()):
            return None
        if scheme.lower() == "bearer" and not self.cloud and value.strip() == self.config.jira_token:
            return None
        return self._unauthorized(failed=True)

    def _basic_ok(self, encoded: str) -> bool:
        try:
            user, _, secret = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        if self.cloud:
            return user == self.config.jira_email and secret == self.config.jira_token
        return user in (self.config.jira_username, self.config.jira_email) and (
            secret == self.config.jira_password
        )

    def _unauthorized(self, failed: bool = False) -> Response:
        resp = error_response(401, NOT_AUTHENTICATED)
        resp.headers["WWW-Authenticate"] = 'Basic realm="protected-area"'
        if failed:
            resp.headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED"
        return resp

    def _issue(self, req: Request) -> JiraIssue:
        issue = self.store.find(req.params["issueIdOrKey"])
        if issue is None:
            raise fail(404, NO_ISSUE)
        return issue

    def _body(self, req: Request) -> Any:
        try:
            return req.json()
        except ValueError as exc:
            raise fail(400, "Unexpected character in the request body: not valid JSON.") from exc

    def _me(self) -> User:
        return self.store.users[self.store.api_user]

    # -- instance metadata ------------------------------------------------------------------

    def server_info(self, req: Request, version: str) -> Response:
        """GET /serverInfo: deploymentType tells clients which search API exists."""
        now = jira_time(self.clock.now())
        if self.cloud:
            body: dict[str, Any] = {
                "baseUrl": req.base_url, "version": "1001.0.0-SNAPSHOT",
                "versionNumbers": [1001, 0, 0], "deploymentType": "Cloud", "buildNumber": 100289,
                "buildDate": "2025-11-01T00:00:00.000+0000", "serverTime": now,
                "scmInfo": "sandbox", "serverTitle": "Jira", "defaultLocale": {"locale": "en_US"},
                "serverTimeZone": "Etc/UTC",
            }
        else:
            body = {
                "baseUrl": req.base_url, "version": "9.12.15", "versionNumbers": [9, 12, 15],
                "deploymentType": "Server", "buildNumber": 9120015,
                "buildDate": "2024-10-01T00:00:00.000+0000", "serverTime": now,
                "scmInfo": "sandbox", "serverTitle": "Jira",
            }
        return Response(200, body)

    def myself(self, req: Request, version: str) -> Response:
        """GET /myself."""
        body = self.render(req, version).user(self._me()) or {}
        body.update({"locale": "en_US", "groups": {"size": 1, "items": []}})
        return Response(200, body)

    def fields(self, req: Request, version: str) -> Response:
        """GET /field (jira's search methods call it once to map JQL names)."""
        return Response(200, FIELDS if self.cloud else FIELDS + DC_FIELDS)

    def priorities(self, req: Request, version: str) -> Response:
        """GET /priority."""
        render = self.render(req, version)
        return Response(200, [render.priority(p) for p in PRIORITIES])

    def resolutions(self, req: Request, version: str) -> Response:
        """GET /resolution."""
        render = self.render(req, version)
        return Response(200, [render.resolution(r) for r in RESOLUTIONS])

    def issue_types(self, req: Request, version: str) -> Response:
        """GET /issuetype."""
        render = self.render(req, version)
        return Response(200, [render.issuetype(t) for t in ISSUE_TYPES])

    def projects(self, req: Request, version: str) -> Response:
        """GET /project."""
        render = self.render(req, version)
        return Response(200, [render.project(k) for k in self.store.projects])

    def project(self, req: Request, version: str) -> Response:
        """GET /project/{key} (jira's create_issue calls it when given a project key)."""
        wanted = req.params["projectIdOrKey"]
        for key, pid in self.store.projects.items():
            if wanted in (key, pid):
                return Response(200, self.render(req, version).project(key, with_types=True))
        raise fail(404, f"No project could be found with key '{wanted}'.")

    # -- issues ----------------------------------------------------------------------------

    def _created(self, req: Request, version: str, issue: JiraIssue) -> dict[str, Any]:
        rest = self.render(req, version).rest
        return {"id": str(issue.id), "key": issue.key, "self": f"{rest}/issue/{issue.id}"}

    def create_issue(self, req: Request, version: str) -> Response:
        """POST /issue → 201 {id, key, self}."""
        ctx = self.store.context(self.config.jira_deployment, version)
        try:
            issue = self.store.create(self._body(req), ctx)
        except ValidationErrors as exc:
            return Response(400, exc.body())
        return Response(201, self._created(req, version, issue))

    def bulk_create(self, req: Request, version: str) -> Response:
        """POST /issue/bulk: ≤50 elements, per-element errors, 201 if any succeeded else 400."""
        body = self._body(req)
        updates = body.get("issueUpdates") if isinstance(body, dict) else None
        if not isinstance(updates, list):
            raise fail(400, "Request body must contain 'issueUpdates'.")
        if len(updates) > BULK_LIMIT:
            raise fail(400, f"The number of issues to create can't exceed {BULK_LIMIT}. "
                       f"You tried to create {len(updates)} issues.")
        ctx = self.store.context(self.config.jira_deployment, version)
        created: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for index, element in enumerate(updates):
            try:
                created.append(self._created(req, version, self.store.create(element, ctx)))
            except ValidationErrors as exc:
                errors.append({"status": 400, "failedElementNumber": index,
                               "elementErrors": exc.body()})
        status = 201 if created or not updates else 400
        return Response(status, {"issues": created, "errors": errors})

    def get_issue(self, req: Request, version: str) -> Response:
        """GET /issue/{key} with optional fields= and properties=."""
        issue = self._issue(req)
        fields = req.arg_list("fields") or None
        body = self.render(req, version).issue(
            issue.snapshot(), self.store.users, fields, req.arg_list("properties")
        )
        return Response(200, body)

    def edit_issue(self, req: Request, version: str) -> Response:
        """PUT /issue/{key} → 204."""
        issue = self._issue(req)
        ctx = self.store.context(self.config.jira_deployment, version)
        try:
            self.store.edit(issue, self._body(req), ctx)
        except ValidationErrors as exc:
            return Response(400, exc.body())
        return Response(204)

    def delete_issue(self, req: Request, version: str) -> Response:
        """DELETE /issue/{key} → 204."""
        self.store.delete(self._issue(req))
        return Response(204)

    def assign(self, req: Request, version: str) -> Response:
        """PUT /issue/{key}/assignee with {accountId} (Cloud) or {name} (DC)."""
        issue = self._issue(req)
        body = self._body(req)
        ctx = self.store.context(self.config.jira_deployment, version)
        try:
            self.store.edit(issue, {"fields": {"assignee": body}}, ctx)
        except ValidationErrors as exc:
            return Response(400, exc.body())
        return Response(204)

    # -- workflow --------------------------------------------------------------------------

    def list_transitions(self, req: Request, version: str) -> Response:
        """GET /issue/{key}/transitions."""
        issue = self._issue(req)
        render = self.render(req, version)
        wanted = req.arg("transitionId")
        items = [
            {"id": t.id, "name": t.name, "to": render.status(t.to_status), "hasScreen": False,
             "isGlobal": True, "isInitial": False, "isAvailable": True,
             "isConditional": False, "isLooped": False}
            for t in self.store.transitions_for(issue)
            if wanted is None or t.id == wanted
        ]
        return Response(200, {"expand": "transitions", "transitions": items})

    def do_transition(self, req: Request, version: str) -> Response:
        """POST /issue/{key}/transitions {transition: {id}, fields?} → 204."""
        issue = self._issue(req)
        body = self._body(req)
        transition = body.get("transition") if isinstance(body, dict) else None
        if not isinstance(transition, dict) or "id" not in transition:
            raise fail(400, "Missing 'transition' identifier")
        try:
            self.store.transition(issue, str(transition["id"]), body.get("fields"))
        except ValidationErrors as exc:
            return Response(400, exc.body())
        return Response(204)

    # -- properties and remote links -------------------------------------------------------

    def property_keys(self, req: Request, version: str) -> Response:
        """GET /issue/{key}/properties."""
        issue = self._issue(req)
        rest = self.render(req, version).rest
        keys = [{"self": f"{rest}/issue/{issue.id}/properties/{k}", "key": k}
                for k in issue.properties]
        return Response(200, {"keys": keys})

    def get_property(self, req: Request, version: str) -> Response:
        """GET /issue/{key}/properties/{propertyKey}."""
        issue = self._issue(req)
        key = req.params["propertyKey"]
        if key not in issue.properties:
            raise fail(404, f"The property with key '{key}' does not exist.")
        return Response(200, {"key": key, "value": issue.properties[key]})

    def put_property(self, req: Request, version: str) -> Response:
        """PUT /issue/{key}/properties/{propertyKey} → 201 new / 200 replaced."""
        issue = self._issue(req)
        key = req.params["propertyKey"]
        if len(key) > 255:
            raise fail(400, "The property key can't be longer than 255 characters.")
        if len(req.body) > 32768:
            raise fail(400, "The property value can't be larger than 32768 bytes.")
        created = self.store.set_property(issue, key, self._body(req))
        return Response(201 if created else 200)

    def delete_property(self, req: Request, version: str) -> Response:
        """DELETE /issue/{key}/properties/{propertyKey} → 204."""
        issue = self._issue(req)
        if issue.properties.pop(req.params["propertyKey"], None) is None:
            raise fail(404, f"The property with key '{req.params['propertyKey']}' does not exist.")
        return Response(204)

    def remote_links(self, req: Request, version: str) -> Response:
        """GET /issue/{key}/remotelink[?globalId=]."""
        issue = self._issue(req)
        rest = self.render(req, version).rest
        links = [
            {**link, "self": f"{rest}/issue/{issue.key}/remotelink/{link['id']}"}
            for link in issue.remote_links
        ]
        global_id = req.arg("globalId")
        if global_id is not None:
            found = [link for link in links if link.get("globalId") == global_id]
            if not found:
                raise fail(404, "No remote link with the given globalId was found.")
            return Response(200, found[0])
        return Response(200, links)

    def add_remote_link(self, req: Request, version: str) -> Response:
        """POST /issue/{key}/remotelink: upsert by globalId (201 created, 200 updated)."""
        issue = self._issue(req)
        body = self._body(req)
        if not isinstance(body, dict) or not isinstance(body.get("object"), dict) or not (
            body["object"].get("url") and body["object"].get("title")
        ):
            return Response(400, {"errorMessages": [], "errors": {
                "title": "'title' is required.", "url": "'url' is required."}})
        link_id, created = self.store.upsert_remote_link(issue, body)
        rest = self.render(req, version).rest
        return Response(201 if created else 200,
                        {"id": link_id, "self": f"{rest}/issue/{issue.key}/remotelink/{link_id}"})

    # -- search ----------------------------------------------------------------------------

    def enhanced_search(self, req: Request, version: str) -> Response:
        """GET/POST /search/jql (Cloud): cursor pagination, no total, lagging index."""
        params = read_params(req)
        return Response(200, self.searcher.enhanced(params, self.render(req, version)))

    def classic_search(self, req: Request, version: str) -> Response:
        """GET/POST /search: 410 on Cloud (CHANGE-2046), startAt/total paging on DC."""
        if self.cloud:
            raise fail(410, REMOVED_SEARCH)
        params = read_params(req)
        cap = self.config.jira_dc_search_max_results
        return Response(200, self.searcher.classic(params, self.render(req, version), cap))

    def approximate_count(self, req: Request, version: str) -> Response:
        """POST /search/approximate-count {jql} → {count}."""
        body = self._body(req)
        text = str(body.get("jql", "")) if isinstance(body, dict) else ""
        return Response(200, {"count": self.searcher.count(text)})


def _bind(handler: VersionedHandler, version: str) -> Callable[[Request], Response]:
    return lambda req: handler(req, version)
