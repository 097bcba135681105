"""Rate limiters with the semantics of the real services (windows use the emulator clock)."""

from __future__ import annotations

import math
import threading
from collections import deque

from actiontrack.sandbox.clock import Clock


class SlidingWindow:
    """Counts events in the last `window_s` seconds."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._events: deque[float] = deque()

    def _trim(self, now: float) -> None:
        while self._events and self._events[0] <= now - self.window_s:
            self._events.popleft()

    def retry_after(self, now: float) -> float | None:
        """Seconds until one more event fits, or None if it fits now."""
        self._trim(now)
        if len(self._events) < self.limit:
            return None
        if not self._events:
            return self.window_s  # a zero limit: nothing ever fits
        return max(self._events[0] + self.window_s - now, 0.001)

    def add(self, now: float) -> None:
        """Record an event."""
        self._events.append(now)

    def remaining(self, now: float) -> int:
        """Events still allowed now."""
        self._trim(now)
        return max(self.limit - len(self._events), 0)


class JiraBurstLimiter:
    """Jira Cloud's per-second burst limit, kept per endpoint and method as Atlassian documents."""

    def __init__(self, limit: int | None, window_s: float, clock: Clock) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._windows: dict[str, SlidingWindow] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> tuple[int, int] | None:
        """None when allowed (and counted); else (retry_after_s, reset_epoch)."""
        if self.limit is None:
            return None
        now = self._clock.now()
        with self._lock:
            window = self._windows.setdefault(key, SlidingWindow(self.limit, self.window_s))
            wait = window.retry_after(now)
            if wait is None:
                window.add(now)
                return None
        return max(math.ceil(wait), 1), math.ceil(now + wait)


class GitHubPrimaryLimiter:
    """The primary (hourly) limit: a fixed window that really counts down and resets."""

    def __init__(self, limit: int, window_s: float, clock: Clock) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._start = clock.now()
        self._used = 0
        self._lock = threading.Lock()

    def _roll(self) -> None:
        if self._clock.now() >= self._start + self.window_s:
            self._start = self._clock.now()
            self._used = 0

    def consume(self) -> bool:
        """Spend one request; False when the window is exhausted."""
        with self._lock:
            self._roll()
            if self._used >= self.limit:
                return False
            self._used += 1
            return True

    def refund(self) -> None:
        """Give one request back (304 answers do not count)."""
        with self._lock:
            self._used = max(self._used - 1, 0)

    def headers(self) -> dict[str, str]:
        """The x-ratelimit-* headers GitHub sends on every response."""
        with self._lock:
            self._roll()
            return {
                "x-ratelimit-limit": str(self.limit),
                "x-ratelimit-remaining": str(max(self.limit - self._used, 0)),
                "x-ratelimit-reset": str(math.ceil(self._start + self.window_s)),
                "x-ratelimit-used": str(self._used),
                "x-ratelimit-resource": "core",
            }

    def snapshot(self) -> tuple[int, int, int, int]:
        """(limit, remaining, reset_epoch, used) for GET /rate_limit."""
        with self._lock:
            self._roll()
            return (
                self.limit,
                max(self.limit - self._used, 0),
                math.ceil(self._start + self.window_s),
                self._used,
            )


class GitHubSecondaryLimiter:
    """Content-creation pace (per minute / per hour) and concurrent-request limits."""

    def __init__(
        self,
        per_minute: int | None,
        per_hour: int | None,
        max_concurrent: int | None,
        clock: Clock,
    ) -> None:
        self._clock = clock
        self._windows = [
            SlidingWindow(limit, span)
            for limit, span in ((per_minute, 60.0), (per_hour, 3600.0))
            if limit is not None
        ]
        self.max_concurrent = max_concurrent
        self._in_flight = 0
        self._lock = threading.Lock()

    def enter(self) -> bool:
        """Register an in-flight request; False if it exceeds the concurrency limit."""
        with self._lock:
            self._in_flight += 1
            return self.max_concurrent is None or self._in_flight <= self.max_concurrent

    def leave(self) -> None:
        """The request finished."""
        with self._lock:
            self._in_flight -= 1

    def allow_write(self) -> bool:
        """Count a content-creating request; False when it is over the pace."""
        now = self._clock.now()
        with self._lock:
            if any(w.retry_after(now) is not None for w in self._windows):
                return False
            for window in self._windows:
                window.add(now)
            return True


class PeriodCounter:
    """GitLab's throttles (Rack::Attack and the application limiter): a count per period
    bucket, the bucket being `now // period`, so every period starts on a multiple of it."""

    def __init__(self, limit: int | None, period_s: float, clock: Clock) -> None:
        self.limit = limit
        self.period_s = period_s
        self._clock = clock
        self._bucket = -1
        self._count = 0
        self._lock = threading.Lock()

    def _roll(self) -> None:
        bucket = int(self._clock.now() // self.period_s)
        if bucket != self._bucket:
            self._bucket, self._count = bucket, 0

    def hit(self) -> bool:
        """Count a request; False when it is over the limit (it still counts, as Rack::Attack does)."""
        if self.limit is None:
            return True
        with self._lock:
            self._roll()
            self._count += 1
            return self._count <= self.limit

    def state(self) -> tuple[int, int, int]:
        """(observed, remaining, reset_epoch) of the current period."""
        with self._lock:
            self._roll()
            reset = math.ceil((self._bucket + 1) * self.period_s)
            return self._count, max((self.limit or 0) - self._count, 0), reset
