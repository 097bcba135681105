"""How a failed GitHub request is judged: retry (and how long to wait), or report.

PyGithub's own retry is off (it repeats POSTs on 5xx, which duplicates issues), so
this module decides for RetryPolicy, following GitHub's rate-limit documentation:
retry-after first, then x-ratelimit-reset when the primary limit is spent, else at
least a minute for a secondary limit.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from github.GithubException import GithubException
from urllib3.exceptions import NewConnectionError

from actiontrack.errors import AuthenticationError, RateLimitedError, TrackerError, WrongTargetError
from actiontrack.trackers.retry import Transient

SECONDARY_WAIT = 60.0  # GitHub: "wait for at least one minute before retrying"
SERVER_ERRORS = frozenset({500, 502, 503, 504})
_SECONDARY_PHRASES = ("secondary rate limit", "please retry your request again later",
                      "please wait a few minutes before you try again")


def message_of(exc: GithubException) -> str:
    """GitHub's own message, plus the 422 details that say which field was wrong."""
    data = exc.data if isinstance(exc.data, dict) else {}
    message = str(data.get("message") or exc.message or "").strip() or f"HTTP {exc.status}"
    details = [_detail(e) for e in data.get("errors") or () if isinstance(e, dict)]
    return f"{message} ({'; '.join(details)})" if details else message


def _detail(error: dict[str, Any]) -> str:
    parts = [str(error[k]) for k in ("resource", "field", "code", "message") if error.get(k)]
    return " ".join(parts)


def _header(exc: GithubException, name: str) -> str | None:
    headers = exc.headers or {}
    value = headers.get(name, headers.get(name.title()))
    return str(value) if value is not None else None


def retry_after(exc: GithubException) -> float | None:
    """The retry-after header in seconds (GitHub sends seconds; an HTTP date is accepted)."""
    value = _header(exc, "retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        moment = email.utils.parsedate_to_datetime(value)
        return max(moment.timestamp() - time.time(), 0.0)


def _primary_spent(exc: GithubException) -> bool:
    return _header(exc, "x-ratelimit-remaining") == "0"


def is_rate_limited(exc: GithubException) -> bool:
    """403/429 that is a limit (not a missing permission)."""
    if exc.status not in (403, 429):
        return False
    text = message_of(exc).lower()
    return (exc.status == 429 or retry_after(exc) is not None or _primary_spent(exc)
            or text.startswith("api rate limit exceeded")
            or any(phrase in text for phrase in _SECONDARY_PHRASES))


def rate_limit_wait(exc: GithubException, now: Callable[[], float] = time.time) -> float:
    """Seconds to wait, in the order GitHub documents."""
    after = retry_after(exc)
    if after is not None:
        return after
    reset = _header(exc, "x-ratelimit-reset")
    if _primary_spent(exc) and reset and reset.isdigit():
        return max(int(reset) - now() + 1.0, 1.0)
    return SECONDARY_WAIT


def classify(exc: Exception, *, write: bool, max_wait: float) -> Transient | None:
    """Transient (with its wait) or None for permanent; see the module docstring."""
    if isinstance(exc, GithubException):
        return _classify_http(exc, write=write, max_wait=max_wait)
    if isinstance(exc, requests.exceptions.ConnectTimeout | requests.exceptions.ConnectionError):
        return _classify_network(exc)
    if isinstance(exc, requests.exceptions.Timeout | requests.exceptions.ChunkedEncodingError):
        return Transient(f"no answer in time ({type(exc).__name__})", ambiguous=True)
    return None


def _classify_http(exc: GithubException, *, write: bool, max_wait: float) -> Transient | None:
    if is_rate_limited(exc):
        wait = rate_limit_wait(exc)
        if wait > max_wait:
            return None  # reported as RateLimitedError with the reset time, not slept on
        return Transient(f"rate limited (HTTP {exc.status}: {message_of(exc)})", retry_after=wait)
    if exc.status in SERVER_ERRORS:
        return Transient(f"server error HTTP {exc.status}", retry_after=retry_after(exc),
                         ambiguous=write)
    return None


def _classify_network(exc: requests.exceptions.RequestException) -> Transient:
    """Refused or unreachable means nothing was sent; a dropped connection may follow a commit."""
    if isinstance(exc, requests.exceptions.ConnectTimeout) or _refused(exc):
        return Transient(f"could not connect ({type(exc).__name__})")
    return Transient(f"connection dropped ({type(exc).__name__})", ambiguous=True)


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


def translate(exc: Exception, *, what: str, url: str, token_env: str, repo: str | None = None) -> TrackerError:
    """A permanent failure as the project's error type; never includes the token."""
    if isinstance(exc, GithubException):
        wrong = _wrong_target(exc, what=what, url=url, token_env=token_env, repo=repo)
        return wrong or _translate_http(exc, what=what, url=url, token_env=token_env)
    return TrackerError(f"{what}: {type(exc).__name__}: {exc}", tracker="github", url=url)


def _wrong_target(exc: GithubException, *, what: str, url: str, token_env: str,
                  repo: str | None) -> WrongTargetError | None:
    """404/403 on the repository itself (or 404 on /user: not a GitHub API) name the config key."""
    path = urlsplit(url).path
    if repo and f"/repos/{repo}" in path and exc.status in (403, 404) and not is_rate_limited(exc):
        seen = "does not exist or the token cannot see it" if exc.status == 404 else "refuses this token"
        return WrongTargetError(
            f"{what}: the repository {repo!r} {seen} (HTTP {exc.status}: {message_of(exc)})",
            tracker="github", key="github.repo", url=url, status=exc.status,
            hint=f"Check github.repo (owner/name, as in the repository's URL) and that the token in "
                 f"{token_env} may read and write its issues.")
    if exc.status == 404 and path.rstrip("/").endswith("/user"):
        return WrongTargetError(
            f"{what}: no GitHub API at this address (HTTP 404)", tracker="github",
            key="github.base_url", url=url, status=404,
            hint="Check github.base_url: https://api.github.com, or https://HOST/api/v3 for Enterprise.")
    return None


def _translate_http(exc: GithubException, *, what: str, url: str, token_env: str) -> TrackerError:
    message = message_of(exc)
    if exc.status == 401:
        return AuthenticationError(
            f"{what}: GitHub rejected the token (HTTP 401: {message})", tracker="github", url=url,
            status=401, hint=f"Check the token in the environment variable {token_env}: it may be "
            "missing, expired or revoked, or meant for another GitHub host.")
    if is_rate_limited(exc):
        wait = rate_limit_wait(exc)
        return RateLimitedError(
            f"{what}: rate limited (HTTP {exc.status}: {message}); the limit resets in {wait:.0f} s",
            tracker="github", url=url, status=exc.status,
            hint="Nothing was lost: run the same command again after the reset and it resumes.")
    return TrackerError(f"{what}: {message} (HTTP {exc.status})", tracker="github", url=url,
                        status=exc.status)
