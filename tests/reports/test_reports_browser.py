"""The HTML reports in a real browser (headless Chromium from Debian): key numbers render, and an
action titled <script>alert(1)</script> is shown as text and runs nothing."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from reports_support import Spec, fill

from actiontrack.reports import build_coverage, build_overdue, render
from actiontrack.store import Store

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="headless Chromium not installed (.ci/run installs Debian's chromium)")
XSS = "<script>alert(1)</script>"
MON = dt.date(2025, 3, 3)
SLO = {"P1": 28, "P2": 56}


def chromium(*args: str) -> str:
    """Run headless Chromium as root can (no sandbox, no network side traffic) and return stdout."""
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def rendered(html_file: Path, screenshot: Path) -> str:
    """Screenshot the page and return the DOM after it ran (any script would have changed it)."""
    chromium(f"--screenshot={screenshot}", "--window-size=1280,1600", html_file.as_uri())
    assert screenshot.stat().st_size > 10_000
    return chromium("--dump-dom", "--virtual-time-budget=2000", html_file.as_uri())


def _store(store: Store) -> None:
    fill(store, [
        Spec("x", title=XSS, due=MON - dt.timedelta(days=12), phase="post-release", category="detection"),
        Spec("b", title="Alert on 5xx & latency > 2s", due=MON - dt.timedelta(days=40), priority="P1",
             phase="development", category="recurrence"),
        Spec("c", pm="pm2", due=MON + dt.timedelta(days=3), phase="verification", category="recurrence"),
        Spec("d", pm="pm2", state="done", done_at=dt.datetime(2025, 2, 20, tzinfo=dt.UTC), phase="development",
             category="recurrence"),
        Spec("e", pm="pm2", state="dropped", tracker="github", owner=None),
    ])


def test_overdue_html_renders_numbers_and_keeps_scripts_inert(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:  # the page does not depend on the backend
        _store(store)
        report = build_overdue(store, as_of=MON, slo_days=SLO)
    page = tmp_path / "overdue.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    assert "<script>" not in page.read_text(encoding="utf-8")

    dom = rendered(page, tmp_path / "overdue.png")
    text = re.sub(r"<[^>]+>", " ", dom)
    assert "Overdue actions as of 2025-03-03" in text
    assert re.search(r"\b2\s+overdue\b", text) and "40 d" in text and "12 d" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # shown as text
    assert "<script" not in dom.lower()  # and no script element exists in the rendered page
    assert "closed as not planned" in text


def test_coverage_html_heatmap_and_trend_render(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:  # the page does not depend on the backend
        _store(store)
        report = build_coverage(store, as_of=MON, slo_days=SLO)
    page = tmp_path / "coverage.html"
    page.write_text(render(report, "html"), encoding="utf-8")

    dom = rendered(page, tmp_path / "coverage.png")
    text = re.sub(r"<[^>]+>", " ", dom)
    assert "Coverage review" in text and "2 postmortems" not in text  # cards hold the numbers apart
    assert re.search(r"\b5\s+actions\b", text) and "20%" in text  # 1 of 5 done
    assert text.count("none") >= 10  # the empty cells are marked
    assert dom.count("<svg") >= 3  # heatmap and two trend charts
    assert "<script" not in dom.lower()
