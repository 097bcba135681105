"""How a failed GitLab request is judged: retry (and how long to wait), or report.

python-gitlab's own retries are off (`obey_rate_limit` would repeat a POST after a 429
with no bound on the wait, `retry_transient_errors` repeats POSTs after 5xx and dropped
connections, which duplicates issues). This module decides for RetryPolicy, following
GitLab's documented rate-limit headers: `Retry-After` first, then `RateLimit-Reset`
(Unix seconds), else backoff. GitLab's *application* limits (issue creation) answer 429
with neither header, so backoff is the common case there.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
from urllib3.exceptions import NewConnectionError

from actiontrack.errors import AuthenticationError, RateLimitedError, TrackerError
from actiontrack.trackers import gitlab_map as gm
from actiontrack.trackers.retry import Transient

TRACKER = "gitlab"
SERVER_ERRORS = frozenset({500, 502, 503, 504, *range(520, 531)})


class HttpFailure(Exception):
    """A non-2xx answer, with what python-gitlab's GitlabHttpError does not keep: the headers."""

    def __init__(self, status: int, body: Any, headers: Mapping[str, str]) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.headers = {name.lower(): value for name, value in headers.items()}

    @property
    def message(self) -> str:
        return gm.message_of(self.body) or f"HTTP {self.status}"


def retry_after(headers: Mapping[str, str], now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait: Retry-After (seconds or HTTP date), else RateLimit-Reset (Unix time).

    RateLimit-* describe Rack::Attack's limit only: on a 429 from an application limit
    (issue creation) they still show quota left, and their reset says nothing about the
    refusal. So RateLimit-Reset counts only when RateLimit-Remaining is 0 or absent.
    """
    value = headers.get("retry-after")
    if value:
        try:
            return max(float(value), 0.0)
        except ValueError:
            try:
                return max(email.utils.parsedate_to_datetime(value).timestamp() - now(), 0.0)
            except (TypeError, ValueError):
                pass
    reset, remaining = headers.get("ratelimit-reset"), headers.get("ratelimit-remaining")
    if reset and reset.strip().isdigit() and remaining in (None, "0"):
        return max(int(reset) - now(), 0.0)
    return None


def classify(exc: Exception, *, write: bool, max_wait: float) -> Transient | None:
    """Transient (with its wait, and whether a write may have been applied) or None."""
    if isinstance(exc, HttpFailure):
        return _classify_http(exc, write=write, max_wait=max_wait)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Transient("could not connect (ConnectTimeout)")
    if isinstance(exc, requests.exceptions.ConnectionError):
        if _refused(exc):
            return Transient("could not connect (connection refused)")
        return Transient(f"connection dropped ({type(exc).__name__})", ambiguous=True)
    if isinstance(exc, requests.exceptions.Timeout | requests.exceptions.ChunkedEncodingError):
        return Transient(f"no answer in time ({type(exc).__name__})", ambiguous=True)
    return None


def _classify_http(exc: HttpFailure, *, write: bool, max_wait: float) -> Transient | None:
    if exc.status == 429:  # refused before it was applied: safe to repeat, writes included
        wait = retry_after(exc.headers)
        if wait is not None and wait > max_wait:
            return None  # reported as RateLimitedError with the wait, not slept on
        return Transient(f"rate limited (HTTP 429: {exc.message})", retry_after=wait)
    if exc.status == 409 and "resource lock" in exc.message.lower():
        return Transient("resource locked (HTTP 409)", retry_after=retry_after(exc.headers))
    if exc.status in SERVER_ERRORS:
        return Transient(f"server error HTTP {exc.status}", retry_after=retry_after(exc.headers),
                         ambiguous=write)
    return None


def _refused(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, NewConnectionError | ConnectionRefusedError):
            return True
        reason = getattr(current, "reason", None)
        nested = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        current = reason if isinstance(reason, BaseException) else nested or current.__cause__
    return False


def translate(exc: Exception, *, what: str, url: str, token_env: str, project: str) -> TrackerError:
    """A permanent failure as the project's error type; the token never appears."""
    if isinstance(exc, HttpFailure):
        return _translate_http(exc, what=what, url=url, token_env=token_env, project=project)
    return TrackerError(f"{what}: {type(exc).__name__}", tracker=TRACKER, url=url)


def _translate_http(exc: HttpFailure, *, what: str, url: str, token_env: str, project: str) -> TrackerError:
    message, status = exc.message, exc.status
    if status == 401:
        return AuthenticationError(
            f"{what}: GitLab rejected the token (HTTP 401: {message})", tracker=TRACKER, url=url, status=401,
            hint=f"Check the token in the environment variable {token_env}: it may be missing, expired or "
                 "revoked, or meant for another GitLab instance (gitlab.url).")
    if status == 403:
        return AuthenticationError(
            f"{what}: the token may not do this (HTTP 403: {message})", tracker=TRACKER, url=url, status=403,
            hint=f"The token in {token_env} needs the `api` scope and at least the Reporter role on "
                 f"{project} (Planner or Reporter to create and edit issues).")
    if status == 404:
        return TrackerError(
            f"{what}: not found (HTTP 404: {message})", tracker=TRACKER, url=url, status=404,
            hint=f"Check gitlab.project = {project!r} (the path as in its URL, or the numeric id): GitLab "
                 "answers 404 for a project the token's user cannot see.")
    if status == 429:
        wait = retry_after(exc.headers) or 0.0
        return RateLimitedError(
            f"{what}: rate limited (HTTP 429: {message}); the limit resets in {wait:.0f} s",
            tracker=TRACKER, url=url, status=429,
            hint="Nothing was lost: run the same command again after the reset and it resumes.")
    return TrackerError(f"{what}: {message} (HTTP {status})", tracker=TRACKER, url=url, status=status)
