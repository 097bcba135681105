"""How Jira failures are classified for RetryPolicy and turned into actiontrack errors.

The raw exceptions never leave this package: JIRAError's text embeds request and
response headers, and `requests` errors may carry URLs, so messages are rebuilt from
Jira's own error collection, the status and the configured (credential-free) URL.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import requests
from jira.exceptions import JIRAError
from urllib3.exceptions import (
    ConnectTimeoutError,
    NewConnectionError,
    ProtocolError,
)

from actiontrack.errors import AuthenticationError, TrackerError, WrongTargetError
from actiontrack.trackers.base import refusal
from actiontrack.trackers.jira_kind import JiraSettings
from actiontrack.trackers.jira_payload import error_text, refused_fields
from actiontrack.trackers.retry import Transient

TRACKER = "jira"
_NOT_SENT = (NewConnectionError, ConnectTimeoutError, ConnectionRefusedError)
_RATE_LIMITED = (429, 503)
_MAYBE_APPLIED = (500, 502, 504)


def classify(exc: Exception) -> Transient | None:
    """Transient (and whether the request may have been applied) or None for permanent."""
    if isinstance(exc, JIRAError):
        return _classify_status(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Transient("connection timed out before sending")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return _classify_connection(exc)
    if isinstance(exc, requests.exceptions.Timeout):
        return Transient("no answer before the read timeout", ambiguous=True)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
        return Transient("the answer was cut off", ambiguous=True)
    return None


def _classify_status(exc: JIRAError) -> Transient | None:
    status = exc.status_code
    if status in _RATE_LIMITED:
        return Transient(f"HTTP {status}", retry_after=retry_after(exc.response))
    if status in _MAYBE_APPLIED:
        return Transient(f"HTTP {status}", ambiguous=True)
    return None


def _classify_connection(exc: requests.exceptions.ConnectionError) -> Transient:
    """Refused or unreachable means nothing was sent; a dropped connection may be after sending."""
    if _caused_by(exc, _NOT_SENT):
        return Transient("connection refused")
    if _caused_by(exc, (ProtocolError, ConnectionResetError, ConnectionAbortedError)):
        return Transient("connection dropped", ambiguous=True)
    return Transient("connection failed", ambiguous=True)


def _caused_by(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """Whether `kinds` appears among the exception, its args, reasons and causes."""
    seen: set[int] = set()
    todo: list[Any] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, kinds):
            return True
        todo.extend(item.args)
        todo.extend((getattr(item, "reason", None), item.__cause__, item.__context__))
    return False


def retry_after(response: requests.Response | None) -> float | None:
    """Retry-After in seconds (delta or HTTP date), None when absent or unreadable."""
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(moment.timestamp() - time.time(), 0.0)


def jira_message(exc: JIRAError) -> str:
    """Jira's own explanation from the response body, never the client's header dump."""
    response = exc.response
    if response is not None:
        try:
            text = error_text(response.json())
        except ValueError:
            text = ""
        if text:
            return text
        if response.reason:
            return str(response.reason)
    return "no explanation in the answer"


def _collection(exc: JIRAError) -> Any:
    try:
        return exc.response.json() if exc.response is not None else None
    except ValueError:
        return None


def auth_error(settings: JiraSettings, url: str, status: int | None, denied: str | None) -> AuthenticationError:
    """Name the tracker, the URL and the variables to check; the token itself never appears."""
    if settings.auth == "cloud":
        check = f"check {settings.email_env} and {settings.token_env} (Atlassian account email and API token)"
    else:
        check = f"check {settings.token_env} (a Data Center personal access token, sent as Bearer)"
    what = "the token was rejected" if status == 401 else "the account may not use the REST API"
    reason = f" (Jira says: {denied})" if denied else ""
    return AuthenticationError(
        f"{check}: {what} ({status}){reason}",
        tracker=TRACKER, url=url, status=status,
        hint=f"Also check that jira.url = {url} is the site the token belongs to, and jira.auth "
             f"(now {settings.auth!r}: 'cloud' = email + API token, 'pat' = Data Center personal access token).",
    )


def to_tracker_error(
    exc: Exception, *, what: str, settings: JiraSettings, url: str, auth_statuses: tuple[int, ...] = (401,)
) -> TrackerError:
    """A permanent failure as an actiontrack error (401, or 403 on who-am-I → AuthenticationError)."""
    if isinstance(exc, TrackerError):
        return exc
    if isinstance(exc, JIRAError):
        status = exc.status_code
        if status in auth_statuses:
            return auth_error(settings, url, status, denied_reason(exc))
        wrong = _wrong_target(exc, what=what, settings=settings, url=url)
        if wrong is not None:
            return wrong
        error = TrackerError(f"{what} failed (HTTP {status}): {jira_message(exc)}",
                             tracker=TRACKER, url=url, status=status)
        refused = refused_fields(_collection(exc)) if status == 400 else frozenset()
        return refusal(error, refused)
    if isinstance(exc, requests.exceptions.RequestException):
        return TrackerError(f"{what} failed: {type(exc).__name__}", tracker=TRACKER, url=url)
    return TrackerError(f"{what} failed: unexpected {type(exc).__name__}", tracker=TRACKER, url=url)


def _wrong_target(exc: JIRAError, *, what: str, settings: JiraSettings, url: str) -> WrongTargetError | None:
    """An unknown project, or no Jira REST API at jira.url: a config value, named."""
    message = jira_message(exc)
    if exc.status_code == 400 and "for the field 'project'" in message:
        return WrongTargetError(
            f"{what}: the project {settings.project!r} does not exist or this account cannot see it "
            f"({message})", tracker=TRACKER, key="jira.project", url=url, status=400,
            hint="Check jira.project (the key in issue keys: OPS for OPS-12), or `project:` in the "
                 "postmortem's front matter, and that the account may browse it.")
    if exc.status_code == 404 and ("serverInfo" in what or "myself" in what):
        return WrongTargetError(
            f"{what}: no Jira REST API at this address (HTTP 404)", tracker=TRACKER, key="jira.url",
            url=url, status=404,
            hint="Check jira.url: the site's base address, e.g. https://your-site.atlassian.net "
                 "or https://jira.example.com/jira for a Data Center context path.")
    return None


def denied_reason(exc: JIRAError) -> str | None:
    """Jira's header explaining a refused login (CAPTCHA, AUTHENTICATED_FAILED), if any."""
    response = exc.response
    if response is None:
        return None
    headers = response.headers
    reason = headers.get("X-Authentication-Denied-Reason") or headers.get("X-Seraph-LoginReason")
    return str(reason) if reason else None
