"""Progress of `actiontrack sync` on stderr, advancing per request.

On a terminal, a rich progress bar appears once the run has lasted a second (a quick run
shows nothing extra), one bar per stage (create, update …) and a spinner while the
trackers are read. Elsewhere (CI logs, a pipe) plain lines: a stage's start, its end, and
at most one line per few seconds between. rich is imported only here, on the sync path.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

DELAY_S = 1.0  # runs shorter than this show no bar
PLAIN_EVERY_S = 5.0


class SyncProgress:
    """The engine's progress callback `(stage, done, total)`, as a context manager."""

    def __init__(self, *, terminal: bool, echo: Callable[[str], None], delay: float = DELAY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.terminal, self.echo, self.delay, self.clock = terminal, echo, delay, clock
        self._stages: dict[str, tuple[int, int]] = {}
        self._printed: dict[str, float] = {}
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> SyncProgress:
        if self.terminal:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._bar is not None:
                self._bar.stop()
                self._bar = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            self._stages[stage] = (done, total)
            if self._bar is not None:
                self._update(stage, done, total)
        if not self.terminal:
            self._plain(stage, done, total)

    # -- a terminal -------------------------------------------------------------------------

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self._lock:
            bar = Progress(SpinnerColumn(), TextColumn("{task.description:<8}"), BarColumn(),
                           MofNCompleteColumn(), TimeElapsedColumn(),
                           console=Console(stderr=True), transient=False)
            self._tasks["sync"] = bar.add_task("sync", total=None)
            bar.start()
            self._bar = bar
            for stage, (done, total) in self._stages.items():
                self._update(stage, done, total)

    def _update(self, stage: str, done: int, total: int) -> None:
        task = self._tasks.get(stage)
        if task is None:
            task = self._tasks[stage] = self._bar.add_task(stage, total=total)
        self._bar.update(task, completed=done, total=total)

    # -- a log --------------------------------------------------------------------------------

    def _plain(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        last = self._printed.get(stage)
        if done in (0, total) or last is None or now - last >= PLAIN_EVERY_S:
            if last is not None and done == 0:
                return
            self._printed[stage] = now
            self.echo(f"  {stage}: {done}/{total}")
