"""Admin endpoints under /_admin: measurement, faults, clock and state control (never counted)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from actiontrack.sandbox.app import Emulator
from actiontrack.sandbox.control import ControlError
from actiontrack.sandbox.faults import FaultSpecError, parse_latency, parse_spec
from actiontrack.sandbox.router import Router
from actiontrack.sandbox.wire import HttpError, Request, Response

ADMIN_PREFIX = "/_admin"


def _bad(message: str, status: int = 400) -> HttpError:
    return HttpError(Response(status, {"error": message}))


class AdminApi:
    """JSON admin API over an Emulator."""

    def __init__(self, emulator: Emulator) -> None:
        self.emu = emulator
        self.router = Router()
        self._register()

    def _register(self) -> None:
        add = self.router.add
        add("GET", "/", self.index)
        add("GET", "/requests", self.requests)
        add("GET", "/counts", self.counts)
        add("POST", "/reset-counts", self.reset_counts)
        add("GET", "/faults", self.get_faults)
        add("PUT", "/faults", self.put_faults)
        add("POST", "/faults", self.add_faults)
        add("DELETE", "/faults", self.clear_faults)
        add("PUT", "/latency", self.put_latency)
        add("POST", "/clock/advance", self.advance_clock)
        add("GET", "/jira/issues", self.jira_issues)
        add("GET", "/jira/issues/{key}", self.jira_issue)
        add("PATCH", "/jira/issues/{key}", self.jira_edit)
        add("POST", "/jira/issues/{key}/transition", self.jira_transition)
        add("DELETE", "/jira/issues/{key}", self.jira_delete)
        add("GET", "/confluence/pages", self.confluence_pages)
        add("POST", "/confluence/pages", self.confluence_create)
        add("GET", "/confluence/pages/{id}", self.confluence_page)
        add("PATCH", "/confluence/pages/{id}", self.confluence_edit)
        add("DELETE", "/confluence/pages/{id}", self.confluence_delete)
        add("GET", "/github/issues", self.github_issues)
        add("GET", "/github/issues/{number}", self.github_issue)
        add("PATCH", "/github/issues/{number}", self.github_edit)
        add("POST", "/github/issues/{number}/close", self.github_close)
        add("POST", "/github/issues/{number}/reopen", self.github_reopen)
        add("DELETE", "/github/issues/{number}", self.github_delete)

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes,
               host: str) -> Response:
        """Serve one admin request."""
        parts = urlsplit(target)
        rel = parts.path[len(ADMIN_PREFIX):] or "/"
        req = Request(method, rel, parts.query, headers, body, f"http://{host}{ADMIN_PREFIX}")
        route, params, known = self.router.match(method, rel)
        if route is None:
            return Response(405 if known else 404, {"error": f"no admin endpoint {method} {rel}"})
        req.params = params
        try:
            return route.handler(req)
        except HttpError as exc:
            return exc.response
        except (ControlError, FaultSpecError, ValueError, TypeError) as exc:
            return Response(400, {"error": str(exc)})

    @staticmethod
    def _json(req: Request) -> dict[str, Any]:
        body = req.json() or {}
        if not isinstance(body, dict):
            raise _bad("expected a JSON object")
        return body

    # -- measurement -----------------------------------------------------------------------

    def index(self, req: Request) -> Response:
        """List the admin endpoints."""
        routes = [f"{r.method} {ADMIN_PREFIX}{r.template}" for r in self.router.routes()]
        return Response(200, {"endpoints": routes})

    def requests(self, req: Request) -> Response:
        """GET /_admin/requests?tracker=&method=&path=<glob>."""
        records = self.emu.log.records(req.arg("tracker"), req.arg("method"), req.arg("path"))
        return Response(200, [r.as_dict() for r in records])

    def counts(self, req: Request) -> Response:
        """GET /_admin/counts."""
        return Response(200, self.emu.log.counts())

    def reset_counts(self, req: Request) -> Response:
        """POST /_admin/reset-counts: clear the request log."""
        self.emu.log.reset()
        return Response(204)

    # -- faults, latency, clock ------------------------------------------------------------

    def get_faults(self, req: Request) -> Response:
        """GET /_admin/faults."""
        return Response(200, [r.as_dict() for r in self.emu.faults.rules()])

    def put_faults(self, req: Request) -> Response:
        """PUT /_admin/faults {"spec": "..."}: replace all rules."""
        self.emu.faults.replace(parse_spec(str(self._json(req).get("spec", ""))))
        return self.get_faults(req)

    def add_faults(self, req: Request) -> Response:
        """POST /_admin/faults {"spec": "..."}: append rules."""
        for rule in parse_spec(str(self._json(req).get("spec", ""))):
            self.emu.faults.add(rule)
        return self.get_faults(req)

    def clear_faults(self, req: Request) -> Response:
        """DELETE /_admin/faults."""
        self.emu.faults.clear()
        return Response(204)

    def put_latency(self, req: Request) -> Response:
        """PUT /_admin/latency {"latency_ms": 50 | [20, 80] | "20-80"}."""
        value = self._json(req).get("latency_ms", 0)
        if isinstance(value, list) and len(value) == 2:
            self.emu.set_latency((float(value[0]), float(value[1])))
        else:
            self.emu.set_latency(parse_latency(str(value)))
        return Response(204)

    def advance_clock(self, req: Request) -> Response:
        """POST /_admin/clock/advance {"seconds": n}: jump rate windows and search lag."""
        self.emu.clock.advance(float(self._json(req).get("seconds", 0)))
        return Response(200, {"now": self.emu.clock.now()})

    # -- Jira state ------------------------------------------------------------------------

    def jira_issues(self, req: Request) -> Response:
        """GET /_admin/jira/issues[?project=PM]."""
        return Response(200, self.emu.jira.issues(req.arg("project")))

    def jira_issue(self, req: Request) -> Response:
        """GET /_admin/jira/issues/{key}."""
        return Response(200, self.emu.jira.issue(req.params["key"]))

    def jira_edit(self, req: Request) -> Response:
        """PATCH /_admin/jira/issues/{key} {"duedate": ..., "labels": [...], ...}."""
        return Response(200, self.emu.jira.set_fields(req.params["key"], **self._json(req)))

    def jira_transition(self, req: Request) -> Response:
        """POST /_admin/jira/issues/{key}/transition {"to": "Done", "resolution": ...}."""
        body = self._json(req)
        to = body.get("to")
        if not isinstance(to, str):
            raise _bad('"to" (status name or category) is required')
        return Response(200, self.emu.jira.transition(req.params["key"], to,
                                                      body.get("resolution")))

    def jira_delete(self, req: Request) -> Response:
        """DELETE /_admin/jira/issues/{key}."""
        self.emu.jira.delete(req.params["key"])
        return Response(204)

    # -- Confluence state ------------------------------------------------------------------

    def confluence_pages(self, req: Request) -> Response:
        """GET /_admin/confluence/pages[?space=OPS]."""
        return Response(200, self.emu.confluence.pages(req.arg("space")))

    def confluence_create(self, req: Request) -> Response:
        """POST /_admin/confluence/pages {"space", "title", "storage", "labels": [...]}."""
        body = self._json(req)
        if not all(isinstance(body.get(k), str) for k in ("space", "title", "storage")):
            raise _bad('"space", "title" and "storage" (strings) are required')
        labels = tuple(str(label) for label in body.get("labels") or ())
        page_id = self.emu.confluence.create_page(body["space"], body["title"], body["storage"], labels=labels)
        return Response(201, self.emu.confluence.page(page_id))

    def confluence_page(self, req: Request) -> Response:
        """GET /_admin/confluence/pages/{id}."""
        return Response(200, self.emu.confluence.page(req.params["id"]))

    def confluence_edit(self, req: Request) -> Response:
        """PATCH /_admin/confluence/pages/{id} {"storage"?, "title"?}: a person's edit, a new version."""
        body = self._json(req)
        self.emu.confluence.edit_page(req.params["id"], storage=body.get("storage"), title=body.get("title"))
        return Response(200, self.emu.confluence.page(req.params["id"]))

    def confluence_delete(self, req: Request) -> Response:
        """DELETE /_admin/confluence/pages/{id}: to the trash."""
        self.emu.confluence.delete_page(req.params["id"])
        return Response(204)

    # -- GitHub state ----------------------------------------------------------------------

    def github_issues(self, req: Request) -> Response:
        """GET /_admin/github/issues[?repo=o/r&include_pulls=1]."""
        include = (req.arg("include_pulls") or "") in ("1", "true", "yes")
        return Response(200, self.emu.github.issues(req.arg("repo"), include))

    def github_issue(self, req: Request) -> Response:
        """GET /_admin/github/issues/{n}[?repo=]."""
        return Response(200, self.emu.github.issue(int(req.params["number"]), req.arg("repo")))

    def github_edit(self, req: Request) -> Response:
        """PATCH /_admin/github/issues/{n} {"milestone": ..., "labels": [...], ...}."""
        number = int(req.params["number"])
        return Response(200, self.emu.github.edit_issue(number, req.arg("repo"), **self._json(req)))

    def github_close(self, req: Request) -> Response:
        """POST /_admin/github/issues/{n}/close {"reason": "completed"|"not_planned"}."""
        reason = str(self._json(req).get("reason", "completed"))
        return Response(200, self.emu.github.close_issue(int(req.params["number"]), reason,
                                                         req.arg("repo")))

    def github_reopen(self, req: Request) -> Response:
        """POST /_admin/github/issues/{n}/reopen."""
        return Response(200, self.emu.github.reopen_issue(int(req.params["number"]),
                                                          req.arg("repo")))

    def github_delete(self, req: Request) -> Response:
        """DELETE /_admin/github/issues/{n}."""
        self.emu.github.delete_issue(int(req.params["number"]), req.arg("repo"))
        return Response(204)
