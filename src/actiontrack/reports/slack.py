"""Post the overdue report to a Slack incoming webhook, within Slack's message limits.

A section block holds at most 3,000 characters, so the report is cut at line
boundaries into a few messages; past MAX_MESSAGES the rest is summarised with a link
to the full report. The webhook URL is a secret: it never appears in an error.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence

from actiontrack.reports import fmt
from actiontrack.reports.errors import ReportError
from actiontrack.reports.overdue import Item, OverdueReport
from actiontrack.urls import strip_optional

MESSAGE_LIMIT = 3000  # characters in one section block
MAX_MESSAGES = 4
TIMEOUT = 15.0


def slack_escape(text: str) -> str:
    """Slack's three control characters; everything else is literal in mrkdwn text."""
    return " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(label: str, url: str | None) -> str:
    if url and url.startswith(("http://", "https://")) and "|" not in url and ">" not in url:
        return f"<{url}|{slack_escape(label)}>"
    return slack_escape(label)


def _item_line(item: Item) -> str:
    late = f"*{item.days_overdue} d late*, " if item.days_overdue else ""
    postmortem = _link(item.postmortem_title or item.postmortem_id, item.postmortem_url)
    return (f"• {_link(item.display_key or item.action_id, item.url)} {slack_escape(item.title)} — {late}"
            f"{slack_escape(fmt.due_phrase(item))}, {slack_escape(item.priority or 'no priority')} · {postmortem}")


def slack_lines(report: OverdueReport) -> tuple[list[str], list[str]]:
    """(header lines, body lines): the header goes first in every split; the body may be cut."""
    header = [f"*Overdue actions as of {report.as_of.isoformat()}*: {fmt.summary_line(report)}",
              f"_statuses last pulled: {slack_escape(fmt.pulled_text(report))}_"]
    if report.change:
        change = report.change
        header.append(f"Since {change.previous.isoformat()}: {len(change.newly_overdue)} newly overdue, "
                      f"{len(change.still_overdue)} still overdue, {len(change.closed)} closed")
    body: list[str] = []
    for owner, items in report.by_owner():
        body.append(f"*{slack_escape(owner if owner.startswith('(') else '@' + owner)}* — {len(items)} overdue")
        body += [_item_line(i) for i in items]
    for title, items in (("Due within 7 days", report.due_soon), ("No owner", report.no_owner),
                         ("Dropped in the tracker (not done)", report.dropped)):
        if items:
            body.append(f"*{title}* ({len(items)})")
            body += [_item_line(i) for i in items]
    return header, body


def split_messages(header: Sequence[str], body: Sequence[str], *, more_link: str | None,
                   limit: int = MESSAGE_LIMIT, max_messages: int = MAX_MESSAGES) -> list[str]:
    """Messages of at most ``limit`` characters; what does not fit is summarised with a link."""
    messages: list[str] = []
    current = list(header)
    size = sum(len(line) + 1 for line in current)
    for index, line in enumerate(body):
        line = line if len(line) <= limit // 2 else line[: limit // 2 - 1] + "…"
        if size + len(line) + 1 > limit - 200:  # leave room for the closing summary
            if len(messages) + 1 >= max_messages:
                current.append(_rest(len(body) - index, more_link))
                break
            messages.append("\n".join(current))
            current, size = [f"_(continued, {len(messages) + 1})_"], 30
        current.append(line)
        size += len(line) + 1
    messages.append("\n".join(current))
    return messages


def _rest(count: int, more_link: str | None) -> str:
    link = strip_optional(more_link)
    where = f"<{link}|the full report>" if link else "`actiontrack report overdue`"
    return f"… {count} more lines not shown here: see {where}."


def post(webhook_url: str, messages: Sequence[str], *, timeout: float = TIMEOUT) -> int:
    """Send each message in order; the first refusal stops and raises ReportError."""
    for number, text in enumerate(messages, start=1):
        payload = {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}
        _send(webhook_url, json.dumps(payload).encode(), number, len(messages), timeout)
    return len(messages)


def _send(url: str, data: bytes, number: int, total: int, timeout: float) -> None:
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    where = f"message {number} of {total}"
    if not url.lower().startswith(("http://", "https://")):
        raise ReportError("the Slack webhook is not an http(s) URL",
                          hint="set the variable named by report.slack_webhook_env to the webhook's https:// URL")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip()
        raise ReportError(f"Slack refused the report ({where}): HTTP {exc.code} {detail}".rstrip(),
                          hint=_hint(exc.code)) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ReportError(f"could not reach the Slack webhook ({where}): {reason}",
                          hint="check the webhook URL in the environment variable named by "
                               "report.slack_webhook_env, and the network") from None


def _hint(status: int) -> str:
    if status in (403, 404, 410):
        return "the webhook was revoked or mistyped: create a new incoming webhook and update the variable"
    if status == 429:
        return "Slack is rate limiting this webhook: post again in a minute"
    return "the printed report above is complete; post it by hand or run again"
