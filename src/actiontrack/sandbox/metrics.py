"""Request log and counters, so tests and benchmarks can assert how many calls a sync made."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import asdict, dataclass
from fnmatch import fnmatchcase
from typing import Any


@dataclass(frozen=True)
class RequestRecord:
    """One API request as the emulator saw it; `status` is None when no response was sent."""

    tracker: str
    method: str
    path: str
    query: str
    endpoint: str
    status: int | None
    timestamp: float
    fault: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON view."""
        return asdict(self)


class RequestLog:
    """Append-only log plus counters; admin calls are never recorded here."""

    def __init__(self) -> None:
        self._records: list[RequestRecord] = []
        self._lock = threading.Lock()

    def record(self, rec: RequestRecord) -> None:
        """Store one request."""
        with self._lock:
            self._records.append(rec)

    def reset(self) -> None:
        """Forget every request (counters restart at zero)."""
        with self._lock:
            self._records.clear()

    def records(
        self, tracker: str | None = None, method: str | None = None, path: str | None = None
    ) -> list[RequestRecord]:
        """Records filtered by tracker, method and an fnmatch glob on the path."""
        with self._lock:
            snapshot = list(self._records)
        return [
            r
            for r in snapshot
            if (tracker is None or r.tracker == tracker)
            and (method is None or r.method == method.upper())
            and (path is None or fnmatchcase(r.path, path))
        ]

    def count(
        self, tracker: str | None = None, method: str | None = None, endpoint: str | None = None
    ) -> int:
        """How many requests match; `endpoint` is a route template or an fnmatch glob on it."""
        return sum(
            1
            for r in self.records(tracker, method)
            if endpoint is None or r.endpoint == endpoint or fnmatchcase(r.endpoint, endpoint)
        )

    def counts(self) -> dict[str, Any]:
        """Totals per tracker, per `tracker METHOD`, and per `tracker METHOD endpoint`."""
        records = self.records()
        return {
            "total": len(records),
            "by_tracker": dict(Counter(r.tracker for r in records)),
            "by_method": dict(Counter(f"{r.tracker} {r.method}" for r in records)),
            "by_endpoint": dict(Counter(f"{r.tracker} {r.method} {r.endpoint}" for r in records)),
            "by_status": dict(Counter(f"{r.tracker} {r.status}" for r in records)),
        }
