"""The emulator application: turns one HTTP request into an outcome, independent of sockets."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from actiontrack.sandbox.clock import Clock
from actiontrack.sandbox.config import SandboxConfig
from actiontrack.sandbox.confluence_api import ConfluenceApi
from actiontrack.sandbox.confluence_control import ConfluenceControl
from actiontrack.sandbox.confluence_state import ConfluenceStore
from actiontrack.sandbox.control import GitHubControl, JiraControl
from actiontrack.sandbox.faults import FaultAction, FaultSet, Latency, parse_spec
from actiontrack.sandbox.gates import ConfluenceGate, Gate, GitHubGate, JiraGate
from actiontrack.sandbox.github_api import GitHubApi
from actiontrack.sandbox.github_state import GitHubStore
from actiontrack.sandbox.jira_api import JiraApi
from actiontrack.sandbox.jira_model import default_users
from actiontrack.sandbox.jira_state import JiraStore
from actiontrack.sandbox.metrics import RequestLog, RequestRecord
from actiontrack.sandbox.ratelimit import (
    GitHubPrimaryLimiter,
    GitHubSecondaryLimiter,
    JiraBurstLimiter,
)
from actiontrack.sandbox.router import Route
from actiontrack.sandbox.wire import HttpError, Request, Response

After = Literal["send", "drop", "hold", "close"]
PREFIXES = (("/jira", "jira"), ("/github/api/v3", "github"), ("/github", "github"), ("/confluence", "confluence"))


@dataclass
class Outcome:
    """What the socket layer should do: send a response, or drop / hold / close silently."""

    response: Response | None
    after: After = "send"


class Emulator:
    """State, gates, faults and measurement for one sandbox instance."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.clock = Clock()
        self.log = RequestLog()
        # Called after a request was served (state committed) and before its response is
        # sent: tests kill a client here to crash it at exactly that boundary.
        self.after_request: Callable[[RequestRecord], None] | None = None
        self.faults = FaultSet(parse_spec(config.faults), config.seed)
        self.latency = Latency(config.latency_ms, config.seed)
        self.stop_event = threading.Event()
        self.jira_store = JiraStore(
            self.clock, config.jira_projects,
            default_users(config.jira_username, config.jira_email), config.jira_username,
            config.search_lag_ms / 1000.0,
        )
        self.github_store = GitHubStore(
            self.clock, config.github_repos, config.github_login, config.github_collaborators,
            config.github_seed_pull_requests,
        )
        self.confluence_store = ConfluenceStore(
            self.clock, config.confluence_spaces, search_lag_s=config.confluence_search_lag_ms / 1000.0,
            api_user=config.jira_username)
        self.gates: dict[str, Gate] = {
            "jira": self._jira_gate(),
            "github": self._github_gate(),
            "confluence": ConfluenceGate(
                ConfluenceApi(config, self.confluence_store, self.clock),
                JiraBurstLimiter(config.confluence_burst_limit, config.confluence_burst_window_s, self.clock)),
        }
        self.confluence = ConfluenceControl(self.confluence_store)
        self.jira = JiraControl(self.jira_store)
        self.github = GitHubControl(self.github_store, config.github_repos[0])

    def _jira_gate(self) -> JiraGate:
        cfg = self.config
        limiter = JiraBurstLimiter(cfg.jira_burst_limit, cfg.jira_burst_window_s, self.clock)
        return JiraGate(JiraApi(cfg, self.jira_store, self.clock), limiter)

    def _github_gate(self) -> GitHubGate:
        cfg = self.config
        primary = GitHubPrimaryLimiter(cfg.github_rate_limit, cfg.github_rate_window_s, self.clock)
        secondary = GitHubSecondaryLimiter(cfg.github_secondary_per_minute,
                                           cfg.github_secondary_per_hour,
                                           cfg.github_max_concurrent, self.clock)
        return GitHubGate(GitHubApi(cfg, self.github_store, primary), cfg, primary, secondary)

    # -- request path ------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes,
               host: str) -> Outcome:
        """Serve one tracker request (admin requests are routed elsewhere)."""
        parts = urlsplit(target)
        for prefix, tracker in PREFIXES:
            if parts.path == prefix or parts.path.startswith(prefix + "/"):
                rel = parts.path[len(prefix):] or "/"
                req = Request(method, rel, parts.query, headers, body, f"http://{host}{prefix}")
                return self._tracker(tracker, req)
        return Outcome(Response(404, {"message": "Not Found: use /jira, /github or /confluence"}))

    def _tracker(self, tracker: str, req: Request) -> Outcome:
        gate = self.gates[tracker]
        route, params, known = gate.router.match(req.method, req.path)
        endpoint = route.template if route else gate.router.endpoint_name(req.method, req.path)
        admitted = gate.enter()
        try:
            delay = self.latency.seconds()
            if delay > 0:
                time.sleep(delay)
            rule = self.faults.pick(tracker, req.method, req.path)
            action = rule.action if rule else None
            if not admitted and (action is None or action.kind == "delay"):
                outcome = Outcome(gate.finalize(req, gate.busy()))
            else:
                outcome = self._outcome(gate, req, route, params, known, endpoint, action)
        finally:
            gate.leave()
        status = outcome.response.status if outcome.after == "send" and outcome.response else None
        record = RequestRecord(
            tracker, req.method, req.path, req.raw_query, endpoint, status, self.clock.now(),
            rule.describe() if rule else None,
        )
        self.log.record(record)
        if self.after_request is not None:
            self.after_request(record)
        return outcome

    def _outcome(self, gate: Gate, req: Request, route: Route | None, params: dict[str, str],
                 known: bool, endpoint: str, action: FaultAction | None) -> Outcome:
        if action is not None and action.kind == "delay":
            time.sleep(action.delay_ms / 1000.0)
            action = None
        if action is None:
            return Outcome(self._serve(gate, req, route, params, known, endpoint))
        if action.kind == "drop":
            return Outcome(None, "drop")
        if action.kind == "timeout-after-commit":
            self._serve(gate, req, route, params, known, endpoint)
            return Outcome(None, "close" if action.close else "hold")
        return Outcome(gate.fault(action))

    def _serve(self, gate: Gate, req: Request, route: Route | None, params: dict[str, str],
               known: bool, endpoint: str) -> Response:
        resp = gate.authenticate(req, endpoint) or gate.admit(req, endpoint)
        if resp is None:
            resp = self._dispatch(gate, req, route, params, known)
        return gate.finalize(req, resp)

    def _dispatch(self, gate: Gate, req: Request, route: Route | None, params: dict[str, str],
                  known: bool) -> Response:
        if route is None:
            return gate.not_found(req, known)
        req.params = params
        with gate.lock:
            try:
                return route.handler(req)
            except HttpError as exc:
                return exc.response

    # -- runtime controls ------------------------------------------------------------------

    def set_latency(self, spec: float | tuple[float, float]) -> None:
        """Change per-request latency at runtime."""
        self.latency = Latency(spec, self.config.seed)
