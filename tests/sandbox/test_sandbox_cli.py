"""`actiontrack sandbox serve`: light import, announced URLs, a working server, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import requests
from typer.testing import CliRunner

from actiontrack.sandbox.cli import app


def test_cli_import_stays_light() -> None:
    code = ("import sys, actiontrack.sandbox.cli; "
            "print(sorted(m for m in sys.modules if m.startswith('actiontrack.sandbox.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['actiontrack.sandbox.cli']"


def test_serve_rejects_bad_fault_spec() -> None:
    result = CliRunner().invoke(app, ["serve", "--faults", "jira:*:*=teapot"])
    assert result.exit_code == 2


def test_serve_prints_urls_and_serves_until_interrupted() -> None:
    code = "from actiontrack.sandbox.cli import app; app()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", "0", "--jira-deployment", "Server"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(7)]
        jira_url = lines[0].split()[-1]
        assert jira_url.startswith("http://127.0.0.1:") and jira_url.endswith("/jira")
        assert "sandbox-token" in lines[1]
        info = requests.get(f"{jira_url}/rest/api/2/serverInfo", timeout=5).json()
        assert info["deploymentType"] == "Server"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
