"""`actiontrack remind`: nudge owners before their actions are due, and escalate the late ones.

A thin command over actiontrack.reports.remind; the store, config and Slack client are
imported inside it, so registering it costs `actiontrack lint` nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from actiontrack.cli.options import ConfigOption


class Target(StrEnum):
    slack = "slack"


class RemindFormat(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    from actiontrack.cli import handles_errors

    app.command("remind")(handles_errors(remind))


def remind(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Day to remind for, YYYY-MM-DD [default: today in report.timezone].")] = None,
    within: Annotated[int | None, typer.Option(
        "--within", min=0, help="Remind of actions due within this many days [default: remind.due_within_days].",
        show_default=False)] = None,
    post_to: Annotated[Target | None, typer.Option(
        "--post", help="Post to Slack (the webhook in remind.slack_webhook_env); once per action and day.")] = None,
    output_format: Annotated[RemindFormat, typer.Option("--format", "-f", help="Output format.")] = RemindFormat.text,
    config_file: ConfigOption = None,
) -> None:
    """Remind owners of actions due soon or overdue, grouped by owner, and escalate the long-overdue ones.

    Exit codes: 0 ok, 1 a failed Slack post, 2 no store yet, usage or config error.
    """
    from actiontrack.cli import config_path
    from actiontrack.cli.reports import _date
    from actiontrack.config import load_config
    from actiontrack.reports import remind as R
    from actiontrack.reports import today
    from actiontrack.store import Store
    from actiontrack.store.presence import require_store

    config = load_config(config_path(ctx, config_file))
    day = _date(as_of, "--as-of") or today(config.report.timezone)
    require_store(config.store.url)
    with Store.open(config.store.url) as store:
        reminders = R.build_reminders(
            store, as_of=day, slo_days=config.report.slo_days(),
            due_within_days=config.remind.due_within_days if within is None else within,
            escalate_after_days=config.remind.escalate_after_days, base_url=config.links.postmortem_base_url)
        if output_format is RemindFormat.json:
            typer.echo(_json(reminders))
        else:
            typer.echo(_text(reminders, config.remind.escalate_to))
        if post_to is Target.slack:
            url = config.secret(config.remind.slack_webhook_env, "remind.slack_webhook_env")
            posted, reminded = R.send(store, reminders, url, slack_member=config.slack_member,
                                      escalate_to=config.remind.escalate_to)
            typer.echo(_posted(posted, reminded, len(reminders.already_sent)), err=True)


def _posted(posted: int, reminded: int, already: int) -> str:
    if not posted:
        return f"nothing new to post: today's reminders were sent already ({already})"
    return f"posted {reminded} reminder{'s' * (reminded != 1)} to Slack in {posted} message{'s' * (posted != 1)}"


def _text(reminders: object, escalate_to: str | None) -> str:
    from actiontrack.reports import remind as R
    from actiontrack.sinks import terminal_line

    assert isinstance(reminders, R.Reminders)
    if reminders.nothing_due:
        return terminal_line(R.summary_line(reminders).replace("*", ""))
    out = [R.header(reminders).replace("*", ""), ""]
    for owner, nudges in reminders.by_owner.items():
        out.append(terminal_line(owner if owner == R.NOBODY else "@" + owner))
        out += [f"  {_describe(n)}" for n in nudges]
        out.append("")
    if reminders.escalations:
        out.append(f"Escalated to {escalate_to or 'the team lead'} (overdue more than "
                   f"{reminders.escalate_after_days} days)")
        out += [f"  {_describe(n)}" for n in reminders.escalations]
    return "\n".join(out).rstrip()


def _describe(nudge: object) -> str:
    from actiontrack.reports import remind as R
    from actiontrack.sinks import terminal_line

    assert isinstance(nudge, R.Nudge)
    item = nudge.item
    when = (("due today" if nudge.days == 0 else f"due in {nudge.days} d ({item.due})") if nudge.kind == R.DUE_SOON
            else f"{nudge.days} d overdue")
    return terminal_line(f"{item.display_key or item.action_id}  {item.title} — {when}"
                         f"{' (SLO date)' if item.due_derived else ''} · {item.postmortem_title or item.postmortem_id}")


def _json(reminders: object) -> str:
    import json

    from actiontrack.reports import remind as R

    assert isinstance(reminders, R.Reminders)

    def one(n: R.Nudge) -> dict[str, object]:
        item = n.item
        return {"action_id": item.action_id, "title": item.title, "owner": item.owner, "kind": n.kind,
                "days": n.days, "due": item.due.isoformat() if item.due else None, "due_derived": item.due_derived,
                "tracker_key": item.key, "url": item.url, "postmortem_id": item.postmortem_id,
                "postmortem_url": item.postmortem_url, "already_sent": n.key in reminders.already_sent}

    return json.dumps({"as_of": reminders.as_of.isoformat(), "due_within_days": reminders.due_within_days,
                       "reminders": [one(n) for n in reminders.nudges]}, ensure_ascii=False, indent=2)


__all__ = ["register", "remind"]
