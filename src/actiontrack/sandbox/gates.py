"""Per-tracker request gates: authentication, rate limits, fault responses, common headers.

The API modules only implement endpoints; everything a real edge/gateway does lives here.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import unquote

from actiontrack.sandbox.config import SandboxConfig
from actiontrack.sandbox.confluence_api import ConfluenceApi
from actiontrack.sandbox.faults import FaultAction
from actiontrack.sandbox.github_api import GitHubApi
from actiontrack.sandbox.github_errors import RATE_DOCS, gh_error, secondary_limited
from actiontrack.sandbox.gitlab_api import GitLabApi
from actiontrack.sandbox.jira_api import JiraApi
from actiontrack.sandbox.jira_errors import error_response
from actiontrack.sandbox.ratelimit import (
    GitHubPrimaryLimiter,
    GitHubSecondaryLimiter,
    JiraBurstLimiter,
    PeriodCounter,
)
from actiontrack.sandbox.router import Router
from actiontrack.sandbox.wire import Request, Response

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
GATEWAY_HTML = b"<html><head><title>{code}</title></head><body><h1>{code}</h1></body></html>"


class Gate(Protocol):
    """What the HTTP layer needs from a tracker."""

    name: str
    router: Router
    lock: threading.RLock

    def enter(self) -> bool: ...
    def leave(self) -> None: ...
    def busy(self) -> Response: ...
    def authenticate(self, req: Request, endpoint: str) -> Response | None: ...
    def admit(self, req: Request, endpoint: str) -> Response | None: ...
    def finalize(self, req: Request, resp: Response) -> Response: ...
    def not_found(self, req: Request, path_known: bool) -> Response: ...
    def fault(self, action: FaultAction) -> Response: ...


def _gateway_error(status: int) -> Response:
    text = GATEWAY_HTML.replace(b"{code}", str(status).encode())
    return Response(status, raw=text, content_type="text/html")


class JiraGate:
    """Jira: basic/bearer auth, per-endpoint burst limit (429 + Retry-After)."""

    name = "jira"

    def __init__(self, api: JiraApi, limiter: JiraBurstLimiter) -> None:
        self.api = api
        self.router = api.router
        self.lock = api.store.lock
        self.limiter = limiter

    def authenticate(self, req: Request, endpoint: str) -> Response | None:
        """Delegate to the Jira API (Cloud and DC accept different schemes)."""
        return self.api.authenticate(req, endpoint)

    def admit(self, req: Request, endpoint: str) -> Response | None:
        """Apply the burst limit per method+endpoint, as Jira Cloud documents."""
        verdict = self.limiter.check(f"{req.method} {endpoint}")
        if verdict is None:
            return None
        return self.rate_limited(*verdict)

    def rate_limited(self, retry_after: int, reset_epoch: float) -> Response:
        """Jira Cloud's 429 with Retry-After and the X-RateLimit-* headers."""
        resp = error_response(429, "Rate limit exceeded.")
        reset = datetime.fromtimestamp(reset_epoch, tz=UTC).strftime("%Y-%m-%dT%H:%MZ")
        resp.headers.update({
            "Retry-After": str(retry_after),
            "X-RateLimit-Limit": str(self.limiter.limit or 0),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset,
            "RateLimit-Reason": "jira-burst-based",
        })
        return resp

    def finalize(self, req: Request, resp: Response) -> Response:
        """Add Jira's request-id header."""
        resp.headers.setdefault("X-AREQUESTID", uuid.uuid4().hex[:12])
        return resp

    def not_found(self, req: Request, path_known: bool) -> Response:
        """Jersey's answers for unknown resources / wrong methods."""
        if path_known:
            return Response(405)
        return Response(404, {"message": f"null for uri: {req.base_url}{req.path}",
                              "status-code": 404})

    def fault(self, action: FaultAction) -> Response:
        """An injected failure in Jira's shape."""
        if action.kind == "secondary" or action.status == 429:
            retry = action.retry_after if action.retry_after is not None else 5
            return self.rate_limited(retry, self.api.clock.now() + retry)
        if action.status in (502, 504):
            return _gateway_error(action.status)
        resp = error_response(action.status, _reason(action.status))
        if action.retry_after is not None:
            resp.headers["Retry-After"] = str(action.retry_after)
        return resp

    def enter(self) -> bool:
        """Jira documents no concurrency limit."""
        return True

    def leave(self) -> None:
        """Nothing to release for Jira."""

    def busy(self) -> Response:
        """Unused: Jira never reports being over a concurrency limit."""
        return error_response(429, "Rate limit exceeded.")


def _reason(status: int) -> str:
    return {500: "Internal server error", 503: "Service Unavailable"}.get(status, "Error")


class GitHubGate:
    """GitHub: token auth, primary + secondary limits, ETag/304, x-ratelimit-* headers."""

    name = "github"

    def __init__(self, api: GitHubApi, config: SandboxConfig, primary: GitHubPrimaryLimiter,
                 secondary: GitHubSecondaryLimiter) -> None:
        self.api = api
        self.router = api.router
        self.lock = api.store.lock
        self.config = config
        self.primary = primary
        self.secondary = secondary
        self._local = threading.local()

    def authenticate(self, req: Request, endpoint: str) -> Response | None:
        """`token X` / `Bearer X`; missing → private resources look absent (404)."""
        header = req.header("authorization") or ""
        scheme, _, value = header.partition(" ")
        if not header:
            if endpoint == "/user":
                return gh_error(401, "Requires authentication",
                                "https://docs.github.com/rest/users/users#get-the-authenticated-user")
            return gh_error(404, "Not Found")
        if scheme.lower() in ("token", "bearer") and value.strip() == self.config.github_token:
            return None
        return gh_error(401, "Bad credentials")

    def admit(self, req: Request, endpoint: str) -> Response | None:
        """Primary, then content-creation limits (concurrency is checked on arrival)."""
        if endpoint != "/rate_limit":
            if not self.primary.consume():
                return gh_error(self.config.github_primary_status, "API rate limit exceeded for user ID "
                                f"{self.api.store.users[self.api.store.login]}. If you reach out "
                                "to GitHub Support for help, please include the request ID "
                                "SANDBOX.", RATE_DOCS)
            self._local.counted = True
        if req.method in WRITE_METHODS and not self.secondary.allow_write():
            return secondary_limited(self.config.github_secondary_status,
                                     self.config.github_secondary_retry_after)
        return None

    def finalize(self, req: Request, resp: Response) -> Response:
        """ETag + conditional 304 on GETs, then the rate-limit headers."""
        if req.method == "GET" and resp.status == 200:
            tag = 'W/"' + hashlib.sha256(resp.encoded()).hexdigest()[:40] + '"'
            resp.headers["ETag"] = tag
            if _etag_matches(req.header("if-none-match"), tag):
                if getattr(self._local, "counted", False):
                    self.primary.refund()
                resp = Response(304, headers={"ETag": tag})
        resp.headers.update(self.primary.headers())
        resp.headers.update({
            "x-github-media-type": "github.v3; format=json",
            "x-github-api-version-selected": "2022-11-28",
            "x-github-request-id": uuid.uuid4().hex[:20].upper(),
        })
        resp.content_type = resp.content_type.replace(";charset=UTF-8", "; charset=utf-8")
        return resp

    def not_found(self, req: Request, path_known: bool) -> Response:
        """GitHub answers unknown routes (and wrong methods) with 404 Not Found."""
        return gh_error(404, "Not Found")

    def fault(self, action: FaultAction) -> Response:
        """An injected failure in GitHub's shape."""
        if action.kind == "secondary":
            resp = secondary_limited(403, action.retry_after or
                                     self.config.github_secondary_retry_after)
        elif action.status == 429:
            resp = secondary_limited(429, action.retry_after)
        elif action.status in (502, 504):
            resp = _gateway_error(action.status)
        else:
            resp = gh_error(action.status, "Server Error" if action.status >= 500 else "Error")
            if action.retry_after is not None:
                resp.headers["retry-after"] = str(action.retry_after)
        resp.headers.update(self.primary.headers())
        return resp

    def enter(self) -> bool:
        """Take a concurrency slot; False when over GitHub's concurrent-request limit."""
        self._local.counted = False
        return self.secondary.enter()

    def leave(self) -> None:
        """Release the slot taken in `enter`."""
        self.secondary.leave()

    def busy(self) -> Response:
        """The secondary-limit answer for too many concurrent requests."""
        return secondary_limited(self.config.github_secondary_status,
                                 self.config.github_secondary_retry_after)


class GitLabGate:
    """GitLab: PRIVATE-TOKEN / Bearer auth, the authenticated-API throttle (RateLimit-*
    headers on every answer, 429 "Retry later" with Retry-After), and the application
    limit on issue creation (429 with neither header, as GitLab's ApplicationRateLimiter)."""

    name = "gitlab"
    THROTTLE = "throttle_authenticated_api"
    CREATE_LIMITED = "This endpoint has been requested too many times. Try again later."

    def __init__(self, api: GitLabApi, config: SandboxConfig) -> None:
        self.api = api
        self.router = api.router
        self.lock = api.store.lock
        self.config = config
        clock = api.store.clock
        self.throttle = PeriodCounter(config.gitlab_api_per_minute, 60.0, clock)
        self._creates: dict[str, PeriodCounter] = {}
        self._clock = clock
        self._local = threading.local()

    def authenticate(self, req: Request, endpoint: str) -> Response | None:
        """PRIVATE-TOKEN or `Authorization: Bearer`; none → a private project is not found."""
        self._local.authenticated = False
        token = req.header("private-token")
        scheme, _, value = (req.header("authorization") or "").partition(" ")
        if token is None and scheme.lower() == "bearer":
            token = value.strip()
        if token is None:
            if endpoint == "/api/v4/user":
                return Response(401, {"message": "401 Unauthorized"})
            return Response(404, {"message": "404 Project Not Found"})
        if token != self.config.gitlab_token:
            return Response(401, {"message": "401 Unauthorized"})
        self._local.authenticated = True
        return None

    def admit(self, req: Request, endpoint: str) -> Response | None:
        """The Rack::Attack throttle first, then the issue-creation limit per project."""
        if not self.throttle.hit():
            return self.throttled()
        if req.method == "POST" and endpoint == "/api/v4/projects/{id}/issues":
            found = self.api.store.project(unquote(req.path.split("/")[4]))
            project = str(found.id) if found else req.path.split("/")[4]
            counter = self._creates.setdefault(project, PeriodCounter(
                self.config.gitlab_issue_creates_per_minute, 60.0, self._clock))
            if not counter.hit():
                return Response(429, {"message": {"error": self.CREATE_LIMITED}})
        return None

    def throttled(self) -> Response:
        _, _, reset = self.throttle.state()
        wait = max(reset - int(self._clock.now()), 1)
        moment = datetime.fromtimestamp(reset, tz=UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
        return Response(429, raw=b"Retry later\n", content_type="text/plain",
                        headers={"Retry-After": str(wait), "RateLimit-ResetTime": moment})

    def finalize(self, req: Request, resp: Response) -> Response:
        """The informational RateLimit-* headers GitLab sends on every authenticated answer."""
        if getattr(self._local, "authenticated", False) and self.config.gitlab_api_per_minute is not None:
            observed, remaining, reset = self.throttle.state()
            resp.headers.update({
                "RateLimit-Name": self.THROTTLE, "RateLimit-Limit": str(self.config.gitlab_api_per_minute),
                "RateLimit-Observed": str(observed), "RateLimit-Remaining": str(remaining),
                "RateLimit-Reset": str(reset),
            })
        resp.headers.setdefault("X-Request-Id", uuid.uuid4().hex[:26].upper())
        return resp

    def not_found(self, req: Request, path_known: bool) -> Response:
        """Grape answers an unknown route (an unencoded project path) with 404 Not Found."""
        if path_known:
            return Response(405, {"error": "405 Method Not Allowed"})
        return Response(404, {"error": "404 Not Found"})

    def fault(self, action: FaultAction) -> Response:
        """An injected failure in GitLab's shape."""
        if action.kind == "secondary" or action.status == 429:
            resp = self.throttled()
            if action.retry_after is not None:
                resp.headers["Retry-After"] = str(action.retry_after)
            return resp
        if action.status in (502, 504):
            return _gateway_error(action.status)
        resp = Response(action.status, {"message": f"{action.status} {_reason(action.status)}"})
        if action.retry_after is not None:
            resp.headers["Retry-After"] = str(action.retry_after)
        return resp

    def enter(self) -> bool:
        return True

    def leave(self) -> None:
        """Nothing to release: GitLab documents no concurrency limit."""

    def busy(self) -> Response:
        return self.throttled()


def _etag_matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == bare for t in header.split(","))


class ConfluenceGate:
    """Confluence: basic (Cloud) or bearer PAT (Data Center) auth, an optional burst limit."""

    name = "confluence"

    def __init__(self, api: ConfluenceApi, limiter: JiraBurstLimiter) -> None:
        self.api = api
        self.router = api.router
        self.lock = api.store.lock
        self.limiter = limiter

    def authenticate(self, req: Request, endpoint: str) -> Response | None:
        return self.api.authenticate(req)

    def admit(self, req: Request, endpoint: str) -> Response | None:
        verdict = self.limiter.check(f"{req.method} {endpoint}")
        return None if verdict is None else self.rate_limited(verdict[0])

    def rate_limited(self, retry_after: int) -> Response:
        resp = self.api.error(429, "Rate limit exceeded")
        resp.headers.update({"Retry-After": str(retry_after), "X-RateLimit-Remaining": "0",
                             "RateLimit-Reason": "confluence-burst-based"})
        return resp

    def finalize(self, req: Request, resp: Response) -> Response:
        resp.headers.setdefault("X-ARequestId", uuid.uuid4().hex[:12])
        return resp

    def not_found(self, req: Request, path_known: bool) -> Response:
        if path_known:
            return Response(405)
        return self.api.error(404, f"null for uri: {req.base_url}{req.path}")

    def fault(self, action: FaultAction) -> Response:
        if action.kind == "secondary" or action.status == 429:
            return self.rate_limited(action.retry_after if action.retry_after is not None else 5)
        if action.status in (502, 504):
            return _gateway_error(action.status)
        resp = self.api.error(action.status, _reason(action.status))
        if action.retry_after is not None:
            resp.headers["Retry-After"] = str(action.retry_after)
        return resp

    def enter(self) -> bool:
        return True

    def leave(self) -> None:
        """Nothing to release."""

    def busy(self) -> Response:
        return self.rate_limited(1)


__all__ = ["ConfluenceGate", "Gate", "GitHubGate", "GitLabGate", "JiraGate"]
