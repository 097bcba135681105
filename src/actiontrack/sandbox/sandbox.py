"""The Python API: start the emulator in-process, read its URLs, measure and steer it."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any

from actiontrack.sandbox.app import Emulator
from actiontrack.sandbox.config import SandboxConfig
from actiontrack.sandbox.confluence_control import ConfluenceControl
from actiontrack.sandbox.control import GitHubControl, JiraControl
from actiontrack.sandbox.faults import FaultRule, parse_rule, parse_spec
from actiontrack.sandbox.metrics import RequestRecord
from actiontrack.sandbox.server import SandboxServer


class Sandbox:
    """A running (or startable) tracker emulator.

    `Sandbox(**overrides)` accepts every SandboxConfig field as a keyword, e.g.
    `Sandbox(latency_ms=0, faults="github:*:*=429@0.1", jira_deployment="Server")`.
    """

    def __init__(self, config: SandboxConfig | None = None, **overrides: Any) -> None:
        base = config or SandboxConfig()
        self.config = dataclasses.replace(base, **overrides)
        self._emulator = Emulator(self.config)
        self._server: SandboxServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Bind (port 0 = a free port) and serve in a background thread."""
        if self._server is not None:
            return self
        self._emulator.stop_event.clear()
        self._server = SandboxServer((self.config.host, self.config.port), self._emulator)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="actiontrack-sandbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, release held connections, close the socket."""
        if self._server is None:
            return
        self._emulator.stop_event.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- addresses and credentials ---------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port."""
        if self._server is None:
            raise RuntimeError("sandbox is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Root URL of the server."""
        return f"http://{self.config.host}:{self.port}"

    @property
    def jira_url(self) -> str:
        """Jira base URL: pass as JIRA(server=...)."""
        return f"{self.url}/jira"

    @property
    def github_url(self) -> str:
        """GitHub API root (like https://api.github.com): Github(base_url=...)."""
        return f"{self.url}/github"

    @property
    def ghe_url(self) -> str:
        """GitHub Enterprise Server style API root (…/api/v3)."""
        return f"{self.url}/github/api/v3"

    @property
    def confluence_url(self) -> str:
        """Confluence base URL as [sources.confluence] url takes it (Cloud's ends in /wiki)."""
        cloud = self.config.confluence_deployment == "Cloud"
        return f"{self.url}/confluence" + ("/wiki" if cloud else "")

    @property
    def admin_url(self) -> str:
        """Admin endpoints root."""
        return f"{self.url}/_admin"

    @property
    def jira_basic_auth(self) -> tuple[str, str]:
        """(email, API token) on Cloud, (username, password) on Data Center."""
        if self.config.jira_deployment == "Cloud":
            return (self.config.jira_email, self.config.jira_token)
        return (self.config.jira_username, self.config.jira_password)

    @property
    def jira_token(self) -> str:
        """API token (Cloud basic password) / personal access token (DC bearer)."""
        return self.config.jira_token

    @property
    def github_token(self) -> str:
        """The accepted GitHub token."""
        return self.config.github_token

    # -- measurement -----------------------------------------------------------------------

    def requests(self, tracker: str | None = None, method: str | None = None,
                 path: str | None = None) -> list[RequestRecord]:
        """Logged API requests (admin excluded); `path` is an fnmatch glob."""
        return self._emulator.log.records(tracker, method, path)

    def counts(self) -> dict[str, Any]:
        """Counters: total, by_tracker, by_method, by_endpoint, by_status."""
        return self._emulator.log.counts()

    def count(self, tracker: str | None = None, method: str | None = None,
              endpoint: str | None = None) -> int:
        """Number of requests matching; `endpoint` is a route template or a glob over it."""
        return self._emulator.log.count(tracker, method, endpoint)

    def reset_counts(self) -> None:
        """Clear the request log."""
        self._emulator.log.reset()

    # -- faults, latency, time -------------------------------------------------------------

    def set_faults(self, spec: str | list[FaultRule]) -> None:
        """Replace all fault rules (spec string or parsed rules)."""
        rules = parse_spec(spec) if isinstance(spec, str) else list(spec)
        self._emulator.faults.replace(rules)

    def add_fault(self, rule: str | FaultRule) -> None:
        """Append one rule."""
        self._emulator.faults.add(parse_rule(rule) if isinstance(rule, str) else rule)

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self._emulator.faults.clear()

    def faults(self) -> list[FaultRule]:
        """The active rules (with their match counters)."""
        return self._emulator.faults.rules()

    def set_latency(self, latency_ms: float | tuple[float, float]) -> None:
        """Fixed or (low, high) random per-request latency in ms."""
        self._emulator.set_latency(latency_ms)

    def on_request(self, callback: Callable[[RequestRecord], None] | None) -> None:
        """Call `callback` after each request is served, before its response is sent."""
        self._emulator.after_request = callback

    def advance_time(self, seconds: float) -> None:
        """Move the emulator clock forward (rate-limit windows, search lag, timestamps)."""
        self._emulator.clock.advance(seconds)

    def now(self) -> datetime:
        """The emulator's time, for a client that should live on the same clock."""
        return self._emulator.clock.utcnow()

    # -- state -----------------------------------------------------------------------------

    @property
    def jira(self) -> JiraControl:
        """Inspect/change Jira issues as a person would."""
        return self._emulator.jira

    @property
    def confluence(self) -> ConfluenceControl:
        """Create, edit and delete pages as a person would."""
        return self._emulator.confluence

    @property
    def github(self) -> GitHubControl:
        """Inspect/change GitHub issues as a person would."""
        return self._emulator.github
