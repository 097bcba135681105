"""`report overdue --post slack` against a local HTTP endpoint standing in for Slack's incoming webhook."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from reports_support import CLI, Synced

from actiontrack.reports import slack

MONDAY = "2025-03-10"


class Webhook:
    """Records posted JSON payloads and answers with a chosen status."""

    def __init__(self) -> None:
        self.payloads: list[dict[str, Any]] = []
        self.status, self.body = 200, b"ok"
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                hook.payloads.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(hook.status)
                self.end_headers()
                self.wfile.write(hook.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/B000/secret-token-xyz"

    def texts(self) -> list[str]:
        return [str(p["text"]) for p in self.payloads]


@pytest.fixture
def webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Webhook]:
    hook = Webhook()
    thread = threading.Thread(target=hook.server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("RPT_SLACK_WEBHOOK", hook.url)
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


def test_post_sends_the_report_as_slack_markup(synced: Synced, cli: CLI, webhook: Webhook) -> None:
    result = cli("report", "overdue", "--as-of", MONDAY, "--post", "slack")

    assert result.exit_code == 0, result.stderr
    assert "Overdue actions as of 2025-03-10" in result.stdout  # printed as well
    texts = webhook.texts()
    assert f"posted to Slack in {len(texts)} messages" in result.stderr and len(texts) == 3  # 3,000 chars each
    # 19 late by their date or priority SLO, 5 more (no date, no priority) by the default SLO
    assert texts[0].startswith("*Overdue actions as of 2025-03-10*: 24 overdue")
    assert "<http://127.0.0.1" in texts[0] and "|OPS-2>" in texts[0]  # issue keys link to the tracker
    assert all(len(text) <= slack.MESSAGE_LIMIT for text in texts)
    assert [p["blocks"][0]["text"]["text"] for p in webhook.payloads] == texts


def test_refused_post_is_a_clear_error_and_the_report_is_still_printed(
        synced: Synced, cli: CLI, webhook: Webhook) -> None:
    webhook.status, webhook.body = 404, b"no_service"
    result = cli("report", "overdue", "--as-of", MONDAY, "--post", "slack")

    assert result.exit_code == 1
    assert "Overdue actions as of 2025-03-10" in result.stdout
    assert "Slack refused the report (message 1 of 3): HTTP 404 no_service" in result.stderr
    assert "revoked or mistyped" in result.stderr
    assert "secret-token-xyz" not in result.stdout + result.stderr


def test_unreachable_webhook_and_missing_variable(synced: Synced, cli: CLI, webhook: Webhook,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    webhook.server.shutdown()
    webhook.server.server_close()
    result = cli("report", "overdue", "--as-of", MONDAY, "--post", "slack")
    assert result.exit_code == 1 and "could not reach the Slack webhook" in result.stderr
    assert "secret-token-xyz" not in result.stderr

    monkeypatch.delenv("RPT_SLACK_WEBHOOK")
    missing = cli("report", "overdue", "--as-of", MONDAY, "--post", "slack")
    assert missing.exit_code == 2 and "RPT_SLACK_WEBHOOK is not set" in missing.stderr
    assert "Overdue actions" in missing.stdout


def test_long_reports_are_split_then_summarised_with_a_link(webhook: Webhook) -> None:
    header = ["*Overdue actions as of 2025-03-10*: 500 overdue"]
    body = [f"• <https://jira.example/browse/OPS-{n}|OPS-{n}> action number {n} is late — *{n} d late*"
            for n in range(500)]
    messages = slack.split_messages(header, body, more_link="https://ci.example/artifacts/report.html")

    assert len(messages) == slack.MAX_MESSAGES
    assert all(len(m) <= slack.MESSAGE_LIMIT for m in messages)
    assert all(m.count("\n") > 10 for m in messages)
    assert messages[1].startswith("_(continued, 2)_")
    assert messages[-1].endswith("see <https://ci.example/artifacts/report.html|the full report>.")
    shown = sum(m.count("• <") for m in messages)
    assert f"… {500 - shown} more lines not shown here" in messages[-1]

    assert slack.post(webhook.url, messages) == slack.MAX_MESSAGES
    assert webhook.texts() == messages  # in order, one post per message


def test_user_text_cannot_inject_slack_markup() -> None:
    assert slack.slack_escape("<!channel> & <https://evil|click>") == "&lt;!channel&gt; &amp; &lt;https://evil|click&gt;"
