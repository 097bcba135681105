"""Two guards around the GitHub client: an hourly write budget and token redaction in logs.

* GitHub allows 500 content-creating requests per hour (secondary limit; tripping it
  repeatedly can get an integration banned). PyGithub spaces writes by seconds, which
  keeps the per-minute limit, but nothing in it counts the hour. WriteBudget does, and
  stops the run cleanly before the limit instead of after it.
* PyGithub masks the Authorization header in its DEBUG log, but a token can still reach
  a log line through other paths (an exception text, a URL someone built). The filter
  replaces any known token with a placeholder on the loggers the client stack uses.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from actiontrack.errors import RateLimitedError

HOUR = 3600.0
CLIENT_LOGGERS = ("github", "github.Requester", "github.GithubRetry", "urllib3",
                  "urllib3.connectionpool", "urllib3.util.retry", "requests", "actiontrack.retry")
REDACTED = "[redacted]"


class WriteBudget:
    """Counts content-creating requests in a sliding hour; None means unlimited."""

    def __init__(self, per_hour: int | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_hour = per_hour
        self._clock = clock
        self._writes: deque[float] = deque()

    def spend(self, *, what: str, url: str) -> None:
        """Count one write, or raise RateLimitedError when the hour's budget is used up."""
        if self.per_hour is None:
            return
        now = self._clock()
        while self._writes and self._writes[0] <= now - HOUR:
            self._writes.popleft()
        if len(self._writes) >= self.per_hour:
            wait = self._writes[0] + HOUR - now
            raise RateLimitedError(
                f"{what}: {self.per_hour} writes in the last hour is GitHub's limit for content "
                f"creation; stopping before it (next write allowed in {wait / 60:.0f} min)",
                tracker="github", url=url,
                hint="Nothing was lost: run the same command again later and it resumes.")
        self._writes.append(now)


class _SecretFilter(logging.Filter):
    """Replaces registered secrets in a record's message; never drops the record."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secret: str) -> None:
        if len(secret) >= 4:  # a tiny "token" would redact ordinary words
            with self._lock:
                self._secrets.add(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self._secrets
        if not secrets:
            return True
        text = record.getMessage()
        if any(secret in text for secret in secrets):
            for secret in secrets:
                text = text.replace(secret, REDACTED)
            record.msg, record.args = text, None
        return True


_FILTER = _SecretFilter()


def redact_in_logs(secret: str) -> None:
    """Keep `secret` out of every log line of the GitHub client stack (idempotent)."""
    _FILTER.add(secret)
    for name in CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
