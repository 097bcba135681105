"""Time limits and first-contact failures, shared by every tracker's HTTP session.

`requests`' timeout is per socket operation: a tracker that trickles one byte every 5 s
never trips a 30 s timeout, and would hold sync (and the store's lock) for ever. So:

* every request has a **total** deadline: a watchdog timer shuts the socket down when it
  passes (`DeadlineAdapter`), and the request fails as a timeout (`RequestDeadlineExceeded`,
  ambiguous for a write like any timeout);
* every run has a deadline (`[sync] run_timeout_seconds`): no request starts after it and
  none outlives it; the run stops with `RunDeadlineExceeded`, and a re-run resumes;
* a tracker that was never reached in this run (connection refused, host not found,
  connect timeout) is a typo in the config far more often than an outage, so it fails at
  once (`UnreachableError`) naming the config key, instead of minutes of silent retries.
  Once the tracker has answered, the same failure is transient and retried as before.

A tracker module uses all of it in one line: `guard.harden(session)` on its requests
session, with the `Guard` that its RetryPolicy carries (trackers/registry.py builds both).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError

from actiontrack.errors import TrackerError
from actiontrack.trackers.retry import Transient
from actiontrack.urls import strip_credentials

CONNECT_SECONDS = 10.0
REQUEST_SECONDS = 60.0
_ACTIVE = threading.local()  # the Watch of the request this thread is sending


class UnreachableError(TrackerError):
    """The tracker could not be reached at all: almost always the URL in the config."""

    exit_code = 2


class RunDeadlineExceeded(TrackerError):
    """The run's time limit passed; what was done is saved and a re-run resumes."""


class RequestDeadlineExceeded(requests.exceptions.ReadTimeout):
    """One request took longer than its total deadline (a server trickling its answer)."""


@dataclass(slots=True)
class RunDeadline:
    """The run's time limit on the monotonic clock; None means no limit."""

    seconds: float | None
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def remaining(self) -> float | None:
        if not self.seconds:
            return None
        return self.seconds - (self.clock() - self.started)


Listener = Callable[[str, str, int], None]  # (method, url without query, status)


@dataclass(slots=True)
class Guard:
    """What one tracker's requests must respect, and what it has seen of the tracker.

    `config_key` names the setting to check when the tracker cannot be reached
    ("jira.url", "github.base_url"); `reached` turns true on the first answer of any kind.
    """

    tracker: str
    config_key: str
    config_path: str | None = None
    request_seconds: float = REQUEST_SECONDS
    connect_seconds: float = CONNECT_SECONDS
    run: RunDeadline = field(default_factory=lambda: RunDeadline(None))
    reached: bool = False
    listeners: list[Listener] = field(default_factory=list)

    def harden_connection_class(self, cls: type[Any]) -> type[Any]:
        """PyGithub builds its session inside a connection class: harden each one it makes."""
        guard = self

        class Hardened(cls):  # type: ignore[misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                guard.harden(self.session)

        return Hardened

    def harden(self, session: requests.Session) -> requests.Session:
        """Mount the deadline adapter for http and https, and note every answer."""
        adapter = DeadlineAdapter(self)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    def answered(self, method: str, url: str, status: int) -> None:
        self.reached = True
        for listener in list(self.listeners):
            listener(method, url.split("?", 1)[0], status)

    def budget(self, url: str) -> float:
        """Seconds the next request may take in total; raises when the run's time is up."""
        remaining = self.run.remaining()
        if remaining is not None and remaining <= 0:
            raise self.run_expired(url)
        return self.request_seconds if remaining is None else min(self.request_seconds, remaining)

    def run_expired(self, url: str) -> RunDeadlineExceeded:
        seconds = self.run.seconds or 0
        return RunDeadlineExceeded(
            f"the run's time limit of {seconds:g} s ([sync] run_timeout_seconds) has passed",
            tracker=self.tracker, url=strip_credentials(url),
            hint="What was done is saved: run the same command again to resume "
                 "(or raise [sync] run_timeout_seconds).")

    def fatal(self, exc: BaseException, *, what: str, url: str) -> TrackerError | None:
        """The error to stop with at once, or None to let the retry policy judge `exc`."""
        if isinstance(exc, RunDeadlineExceeded):
            return exc
        if isinstance(exc, RequestDeadlineExceeded) and self._run_over():
            return self.run_expired(url)
        if self.reached:
            return None
        reason = unreachable_reason(exc)
        if reason is None:
            return None
        where = f" in {self.config_path}" if self.config_path else ""
        return UnreachableError(
            f"{what}: cannot reach the tracker ({reason})", tracker=self.tracker,
            url=strip_credentials(url),
            hint=f"Check {self.config_key}{where}: the host, the port and the scheme. "
                 "Nothing was sent, so nothing needs to be undone.")

    def transient(self, exc: BaseException) -> Transient | None:
        """A request cut off at its total deadline: retried like a timeout (ambiguous for writes)."""
        if isinstance(exc, RequestDeadlineExceeded):
            return Transient(str(exc), ambiguous=True)
        return None

    def _run_over(self) -> bool:
        remaining = self.run.remaining()
        return remaining is not None and remaining <= 0.5


def unreachable_reason(exc: BaseException) -> str | None:
    """Why nothing could be sent (refused, unknown host, connect timeout), or None."""
    if not isinstance(exc, requests.exceptions.ConnectionError):
        return None
    seen: set[int] = set()
    todo: list[Any] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, NameResolutionError | socket.gaierror):
            return "the host name does not resolve"
        if isinstance(item, ConnectionRefusedError):
            return "connection refused: nothing listens on that port"
        if isinstance(item, requests.exceptions.ConnectTimeout):
            return "no answer to the connection attempt"
        todo.extend(item.args)
        todo.extend((getattr(item, "reason", None), item.__cause__, item.__context__))
    return None


class _Watch:
    """The connections one request uses; `fire` shuts their sockets when time is up."""

    def __init__(self) -> None:
        self.connections: list[Any] = []
        self.fired = False
        self._lock = threading.Lock()

    def add(self, connection: Any) -> None:
        with self._lock:
            self.connections.append(connection)
            if self.fired:
                _shut(connection)

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            for connection in self.connections:
                _shut(connection)


def _shut(connection: Any) -> None:
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    with contextlib.suppress(OSError):  # already closed: nothing left to stop
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedPool(HTTPConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        connection = super()._get_conn(timeout)
        watch = getattr(_ACTIVE, "watch", None)
        if watch is not None:
            watch.add(connection)
        return connection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        connection = super()._get_conn(timeout)
        watch = getattr(_ACTIVE, "watch", None)
        if watch is not None:
            watch.add(connection)
        return connection


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose requests, body included, end by a total deadline."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedPool, "https": _WatchedHTTPSPool}

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: bool | str = True, cert: Any = None,
             proxies: Mapping[str, str] | None = None) -> requests.Response:
        url = request.url or ""
        total = self.guard.budget(url)
        watch = _Watch()
        timer = threading.Timer(total, watch.fire)
        timer.daemon = True
        _ACTIVE.watch = watch
        timer.start()
        try:
            response = super().send(request, stream=stream, verify=verify, cert=cert, proxies=proxies,
                                    timeout=(min(self.guard.connect_seconds, total), total))
            if not stream:
                _ = response.content  # read the body inside the deadline too
        except (requests.exceptions.RequestException, OSError):
            if watch.fired:
                self.poolmanager.clear()
                raise RequestDeadlineExceeded(
                    f"no complete answer within {total:g} s (the total deadline of one request)",
                    request=request) from None
            raise
        finally:
            timer.cancel()
            _ACTIVE.watch = None
        if watch.fired:  # finished in the very instant the timer fired: the answer is whole
            self.poolmanager.clear()
        self.guard.answered(request.method or "", url, response.status_code)
        return response
