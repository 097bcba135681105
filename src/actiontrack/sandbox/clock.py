"""A shiftable clock, so tests can jump over rate-limit windows and search lag without sleeping."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    """Wall-clock time plus an offset that tests may advance."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Seconds since the epoch, as the emulator sees them."""
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move emulator time forward (never backward: windows must not re-open)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds

    def utcnow(self) -> datetime:
        """The emulator's now as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now(), tz=UTC)
