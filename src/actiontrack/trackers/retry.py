"""One retry policy for every tracker: honour Retry-After, back off with jitter, stay bounded.

The clients' own retries are turned off (jira's ResilientSession and PyGithub's
GithubRetry both repeat POSTs, which can duplicate an issue). Instead each tracker
classifies a failure and this policy decides:

* `Transient(ambiguous=False)`: the server did not apply the request (429, a 503 or
  secondary limit before processing, a refused connection): retry after Retry-After,
  or exponential backoff with full jitter.
* `Transient(ambiguous=True)`: the request may have been applied (timeout or dropped
  connection after sending, a 5xx from a write). Reads are retried; writes raise
  AmbiguousWriteError so the engine looks for the marker before trying again.
* None: permanent (400, 401, 404 …): raised at once.

The total time spent waiting is bounded; when it runs out the run stops cleanly with a
RateLimitedError saying what happened, and a re-run resumes from the store.

A `Guard` (trackers/http.py) comes first: a tracker never reached in this run (refused,
unknown host) fails at once naming its config key, and no wait outlasts the run's deadline.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from actiontrack.errors import AmbiguousWriteError, RateLimitedError

if TYPE_CHECKING:
    from actiontrack.trackers.http import Guard

T = TypeVar("T")
log = logging.getLogger("actiontrack.retry")


@dataclass(frozen=True, slots=True)
class Transient:
    """A failure worth retrying; `retry_after` in seconds when the server said so."""

    reason: str
    retry_after: float | None = None
    ambiguous: bool = False


@dataclass(slots=True)
class RetryPolicy:
    budget_seconds: float = 300.0  # total waiting allowed for one operation
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_attempts: int = 8
    sleep: Callable[[float], None] = field(default=time.sleep)
    rng: random.Random = field(default_factory=random.Random)
    guard: Guard | None = None

    def run(
        self,
        operation: Callable[[], T],
        *,
        what: str,
        tracker: str,
        url: str,
        idempotent: bool,
        classify: Callable[[Exception], Transient | None],
    ) -> T:
        """Call `operation`, retrying transient failures within the budget."""
        waited = 0.0
        for attempt in range(1, self.max_attempts + 1):
            try:
                return operation()
            except Exception as exc:  # classified below; anything permanent is re-raised
                fatal = self.guard.fatal(exc, what=what, url=url) if self.guard else None
                if fatal is not None:
                    raise fatal from None
                transient = (self.guard.transient(exc) if self.guard else None) or classify(exc)
                if transient is None:
                    raise
                if transient.ambiguous and not idempotent:
                    raise AmbiguousWriteError(
                        f"{what}: no answer after sending ({transient.reason}); it may have been applied",
                        tracker=tracker, url=url,
                    ) from None
                delay = self._delay(attempt, transient)
                if attempt == self.max_attempts or waited + delay > self.budget_seconds:
                    raise RateLimitedError(
                        f"{what}: gave up after {attempt} attempts and {waited:.0f} s of waiting "
                        f"({transient.reason})",
                        tracker=tracker, url=url,
                        hint="Nothing was lost: run the same command again later and it resumes.",
                    ) from None
                self._check_run_deadline(delay, url)
                log.info("%s: %s; retrying in %.1f s (attempt %d)", what, transient.reason, delay, attempt)
                self.sleep(delay)
                waited += delay
        raise AssertionError("unreachable")  # pragma: no cover

    def _check_run_deadline(self, delay: float, url: str) -> None:
        remaining = self.guard.run.remaining() if self.guard else None
        if self.guard is not None and remaining is not None and delay >= remaining:
            raise self.guard.run_expired(url)

    def _delay(self, attempt: int, transient: Transient) -> float:
        if transient.retry_after is not None:
            return min(max(transient.retry_after, 0.0), self.budget_seconds)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return self.rng.uniform(ceiling / 2, ceiling)
