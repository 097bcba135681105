"""`actiontrack remind` against a local HTTP endpoint standing in for Slack's incoming webhook."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from reports_support import Spec, fill
from test_reports_slack import Webhook
from typer.testing import CliRunner, Result

from actiontrack.cli import app
from actiontrack.store import Store

DAY = dt.date(2025, 3, 3)  # pm1 is dated 2025-01-06, pm2 2025-02-03


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Webhook]:
    webhook = Webhook()
    thread = threading.Thread(target=webhook.server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("RMD_SLACK_WEBHOOK", webhook.url)
    yield webhook
    webhook.server.shutdown()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    url = f"sqlite:///{tmp_path}/store.db"
    with Store.open(url) as store:
        fill(store, [
            Spec("soon", owner="kim", due=DAY + dt.timedelta(days=1), title="Add the lag alert"),
            Spec("today", owner="kim", due=DAY, title="Write the failover runbook"),
            Spec("later", owner="kim", due=DAY + dt.timedelta(days=5), title="Rotate the keys"),
            Spec("late", owner="田中", due=DAY - dt.timedelta(days=3), title="ログ監視の閾値を見直す"),
            Spec("very-late", owner="kim", due=DAY - dt.timedelta(days=20), title="Fix the retry loop"),
            Spec("undated", pm="pm1", owner=None, due=None, priority=None, title="Nobody's, no date"),
            Spec("done", owner="kim", due=DAY - dt.timedelta(days=9), state="done",
                 done_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC)),
            Spec("dropped", owner="kim", due=DAY - dt.timedelta(days=9), state="dropped"),
        ])
    path = tmp_path / "actiontrack.toml"
    path.write_text(f"""
[store]
url = "{url}"
[owners]
kim = {{ slack = "U0KIM" }}
[remind]
escalate_after_days = 14
escalate_to = "C0LEADS"
slack_webhook_env = "RMD_SLACK_WEBHOOK"
[report]
default_slo = "4w"
""", encoding="utf-8")
    return path


def remind(config: Path, *args: str, day: dt.date = DAY) -> Result:
    return CliRunner().invoke(app, ["remind", "--as-of", day.isoformat(), "--config", str(config), *args])


def test_reminders_group_by_owner_with_mentions_and_escalate(config: Path, hook: Webhook) -> None:
    result = remind(config, "--post", "slack")
    assert result.exit_code == 0, result.output
    (text,) = hook.texts()
    assert text.startswith("*Postmortem action reminders for 2025-03-03*: 2 due within 2 days, 3 overdue")
    kim = text[text.index("<@U0KIM> (@kim)"):text.index("*@田中*")]
    assert "Add the lag alert — due in 1 d (2025-03-04)" in kim and "Write the failover runbook — due today" in kim
    assert "Fix the retry loop — *20 d overdue*" in kim
    assert "Rotate the keys" not in text  # due in 5 days: outside the 2-day window
    assert "ログ監視の閾値を見直す — *3 d overdue*" in text[text.index("*@田中*"):]
    # No due date, no priority: the default SLO (4 weeks after 2025-01-06) made it overdue.
    assert "*(no owner)*" in text and "Nobody's, no date — *28 d overdue* (SLO date)" in text
    escalation = text[text.index("<#C0LEADS>"):]
    assert "2 actions overdue more than 14 days" in escalation
    assert "Fix the retry loop — *20 d overdue*, owner @kim" in escalation
    assert "done" not in text.split("\n", 1)[1] and "dropped" not in text
    assert "posted 7 reminders to Slack in 1 message" in result.stderr


def test_reminders_are_posted_once_a_day(config: Path, hook: Webhook) -> None:
    assert remind(config, "--post", "slack").exit_code == 0
    again = remind(config, "--post", "slack")
    assert again.exit_code == 0 and len(hook.payloads) == 1
    assert "nothing new to post: today's reminders were sent already" in again.stderr
    tomorrow = remind(config, "--post", "slack", day=DAY + dt.timedelta(days=1))
    assert tomorrow.exit_code == 0 and len(hook.payloads) == 2
    assert "due today" in hook.texts()[1]  # 'soon' is due the next day


def test_within_widens_the_window(config: Path) -> None:
    data = json.loads(remind(config, "--within", "7", "--format", "json").stdout)
    kinds = {r["action_id"]: r["kind"] for r in data["reminders"] if r["kind"] != "escalation"}
    assert {r["action_id"] for r in data["reminders"] if r["kind"] == "escalation"} == {"very-late", "undated"}
    assert kinds["later"] == "due-soon" and kinds["late"] == "overdue" and kinds["very-late"] == "overdue"
    assert "done" not in kinds and "dropped" not in kinds


def test_printing_records_nothing(config: Path, hook: Webhook) -> None:
    printed = remind(config)
    assert printed.exit_code == 0 and "@kim" in printed.stdout and "Fix the retry loop — 20 d overdue" in printed.stdout
    assert hook.payloads == []
    assert remind(config, "--post", "slack").exit_code == 0 and len(hook.payloads) == 1


def test_a_refused_post_records_nothing_and_is_retried(config: Path, hook: Webhook) -> None:
    hook.status, hook.body = 500, b"oops"
    failed = remind(config, "--post", "slack")
    assert failed.exit_code == 1 and "HTTP 500" in failed.stderr
    assert "secret-token-xyz" not in failed.output  # the webhook URL is a secret
    hook.status, hook.body = 200, b"ok"
    assert remind(config, "--post", "slack").exit_code == 0 and len(hook.payloads) == 2


def test_when_nothing_is_due_a_summary_line_is_posted_once(tmp_path: Path, hook: Webhook) -> None:
    url = f"sqlite:///{tmp_path}/quiet.db"
    with Store.open(url) as store:
        fill(store, [Spec("far", owner="kim", due=DAY + dt.timedelta(days=30))])
    path = tmp_path / "quiet.toml"
    path.write_text(f'[store]\nurl = "{url}"\n[remind]\nslack_webhook_env = "RMD_SLACK_WEBHOOK"\n', encoding="utf-8")
    first = remind(path, "--post", "slack")
    assert first.exit_code == 0, first.output
    assert hook.texts() == ["*Postmortem action reminders for 2025-03-03*: nothing is due within 2 days and "
                            "nothing is overdue (1 open action)."]
    assert "nothing is due within 2 days" in first.stdout
    assert remind(path, "--post", "slack").exit_code == 0 and len(hook.payloads) == 1


def test_remind_without_a_store_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "none.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path}/none/store.db"\n', encoding="utf-8")
    result = remind(path)
    assert result.exit_code == 2 and "no store at" in result.stderr and not (tmp_path / "none").exists()
