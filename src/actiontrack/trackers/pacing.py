"""A sliding-window pacer: at most N events a window, waiting (not failing) for room.

For limits a tracker documents but does not announce in headers, such as GitLab.com's
200 issue creations a minute: staying under them costs nothing for small runs (the
first N go at once) and turns a large first sync into a steady stream instead of a
burst of 429s and backoffs.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Pacer:
    """`wait()` before each event; `per_window` of 0 turns pacing off."""

    per_window: int
    window_seconds: float = 60.0
    clock: Callable[[], float] = field(default=time.monotonic)
    sleep: Callable[[float], None] = field(default=time.sleep)
    _events: deque[float] = field(default_factory=deque)

    def wait(self) -> float:
        """Sleep until one more event fits in the window, record it; returns the seconds slept."""
        if self.per_window <= 0:
            return 0.0
        slept = 0.0
        now = self._now()
        self._trim(now)
        if len(self._events) >= self.per_window:
            delay = self._events[0] + self.window_seconds - now
            if delay > 0:
                self.sleep(delay)
                slept = delay
            now = max(self._now(), self._events[0] + self.window_seconds)
            self._trim(now)
        self._events.append(now)
        return slept

    def _now(self) -> float:
        """Never before the last event: a sleep the clock does not see still counts as waited."""
        return max(self.clock(), self._events[-1]) if self._events else self.clock()

    def _trim(self, now: float) -> None:
        while self._events and self._events[0] <= now - self.window_seconds:
            self._events.popleft()
