"""Reminders that reach owners before the date: due soon, overdue, and escalations.

The weekly overdue report reaches the lead; this nudges each owner, as incident.io and
Rootly do: actions due within N days (`[remind] due_within_days`) and overdue ones,
grouped by owner with a Slack mention from `[owners] name = { slack = "U…" }`, and the
ones overdue more than M days (`escalate_after_days`) again for `escalate_to`, a lead or
a channel. Dates are the tracker's or file's, else the SLO date, so undated actions are
reminded too. What was posted is kept in the store (table `reminders`): a second run on
the same day posts nothing new, and each message is recorded as soon as Slack took it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from actiontrack.model import IssueState
from actiontrack.reports import fmt, sql
from actiontrack.reports.overdue import Item, attention_items
from actiontrack.reports.slack import MESSAGE_LIMIT, post, slack_escape
from actiontrack.store import Store
from actiontrack.store.tables import ReminderRow

DUE_SOON, OVERDUE, ESCALATION, SUMMARY = "due-soon", "overdue", "escalation", "summary"
NOBODY = "(no owner)"

Key = tuple[str, str]  # (action id, kind)


@dataclass(frozen=True, slots=True)
class Nudge:
    """One action to remind someone of, and why."""

    item: Item
    kind: str  # DUE_SOON | OVERDUE | ESCALATION
    days: int  # days until due (due soon) or days late

    @property
    def key(self) -> Key:
        return self.item.action_id, self.kind


@dataclass(frozen=True, slots=True)
class Reminders:
    """Today's reminders: per owner, the escalations, and what was already sent today."""

    as_of: dt.date
    due_within_days: int
    escalate_after_days: int
    by_owner: Mapping[str, tuple[Nudge, ...]]
    escalations: tuple[Nudge, ...]
    open_count: int
    already_sent: frozenset[Key] = field(default_factory=frozenset)

    @property
    def nudges(self) -> list[Nudge]:
        return [n for group in self.by_owner.values() for n in group] + list(self.escalations)

    @property
    def pending(self) -> list[Nudge]:
        return [n for n in self.nudges if n.key not in self.already_sent]

    @property
    def nothing_due(self) -> bool:
        return not self.nudges


def build_reminders(store: Store, *, as_of: dt.date, slo_days: Mapping[str, int], due_within_days: int = 2,
                    escalate_after_days: int = 7, base_url: str | None = None,
                    filters: sql.Filters | None = None) -> Reminders:
    """Today's reminders from the store as last synced (nothing is recorded here)."""
    items = attention_items(store, as_of=as_of, slo_days=slo_days, filters=filters or sql.Filters(),
                            base_url=base_url)
    live = [i for i in items if i.state != IssueState.DROPPED]
    by_owner: dict[str, list[Nudge]] = defaultdict(list)
    escalations: list[Nudge] = []
    for item in sorted(live, key=lambda i: (i.due or as_of, i.action_id)):
        nudge = _nudge(item, as_of, due_within_days)
        if nudge is None:
            continue
        by_owner[item.owner or NOBODY].append(nudge)
        if nudge.kind == OVERDUE and nudge.days >= escalate_after_days:
            escalations.append(Nudge(item, ESCALATION, nudge.days))
    owners = dict(sorted(by_owner.items(), key=lambda kv: (kv[0] == NOBODY, kv[0])))
    return Reminders(as_of, due_within_days, escalate_after_days, {o: tuple(n) for o, n in owners.items()},
                     tuple(sorted(escalations, key=lambda n: (-n.days, n.item.action_id))), len(live),
                     frozenset(sent_on(store, as_of)))


def _nudge(item: Item, as_of: dt.date, within: int) -> Nudge | None:
    if item.days_overdue > 0:
        return Nudge(item, OVERDUE, item.days_overdue)
    if item.due is not None and 0 <= (item.due - as_of).days <= within:
        return Nudge(item, DUE_SOON, (item.due - as_of).days)
    return None


# -- the store: what was sent --------------------------------------------------------------


def sent_on(store: Store, day: dt.date) -> set[Key]:
    table = ReminderRow.__table__  # type: ignore[attr-defined]
    with store.session() as session:
        rows = session.execute(sa.select(table.c.action_id, table.c.kind).where(table.c.day == day)).all()
    return {(str(a), str(k)) for a, k in rows}


def record_sent(store: Store, day: dt.date, keys: Iterable[Key], channel: str) -> None:
    """Remember that `keys` were posted on `day` (a key already there is left as it is)."""
    table = ReminderRow.__table__  # type: ignore[attr-defined]
    now = dt.datetime.now(dt.UTC)
    with store.session(write=True) as session:
        known = {(str(a), str(k)) for a, k in session.execute(
            sa.select(table.c.action_id, table.c.kind).where(table.c.day == day)).all()}
        fresh = [{"day": day, "action_id": a, "kind": k, "channel": channel, "sent_at": now}
                 for a, k in dict.fromkeys(keys) if (a, k) not in known]
        if fresh:
            session.execute(sa.insert(table), fresh)


# -- Slack ---------------------------------------------------------------------------------


def _mention(owner: str, slack_member: Callable[[str], str | None]) -> str:
    member = slack_member(owner) if owner != NOBODY else None
    shown = slack_escape(owner if owner == NOBODY else "@" + owner)
    return f"<@{member}> ({shown})" if member else f"*{shown}*"


def escalation_target(value: str | None) -> str:
    """A Slack mention of the lead or channel: U… → <@U…>, C… → <#C…>, #name as written."""
    if not value:
        return "*the team lead*"
    if value[:1] in "UW" and value[1:].isalnum() and value.isupper():
        return f"<@{value}>"
    if value[:1] in "CG" and value[1:].isalnum() and value.isupper():
        return f"<#{value}>"
    return slack_escape(value)


def _line(nudge: Nudge) -> str:
    item = nudge.item
    key = item.display_key or item.action_id
    label = f"<{item.url}|{slack_escape(key)}>" if item.url and item.url.startswith(("http://", "https://")) \
        else slack_escape(key)
    when = {DUE_SOON: "due today" if nudge.days == 0 else f"due in {nudge.days} d ({item.due})",
            OVERDUE: f"*{nudge.days} d overdue*", ESCALATION: f"*{nudge.days} d overdue*"}[nudge.kind]
    if nudge.kind == ESCALATION:
        when += f", owner {slack_escape(fmt.owner_text(item.owner))}"
    if item.due_derived:
        when += " (SLO date)"
    pm = item.postmortem_title or item.postmortem_id
    pm_link = f"<{item.postmortem_url}|{slack_escape(pm)}>" if item.postmortem_url else slack_escape(pm)
    return f"• {label} {slack_escape(item.title)} — {when} · {pm_link}"


def blocks(reminders: Reminders, *, slack_member: Callable[[str], str | None], escalate_to: str | None,
           only_pending: bool = True) -> list[tuple[str, list[Key]]]:
    """(text, keys it reminds of) per owner or escalation block; sent ones left out when `only_pending`."""
    sent = reminders.already_sent if only_pending else frozenset()
    out: list[tuple[str, list[Key]]] = []
    for owner, nudges in reminders.by_owner.items():
        fresh = [n for n in nudges if n.key not in sent]
        if fresh:
            head = f"{_mention(owner, slack_member)}: {_counts(fresh)}"
            out.append(("\n".join([head, *(_line(n) for n in fresh)]), [n.key for n in fresh]))
    fresh = [n for n in reminders.escalations if n.key not in sent]
    if fresh:
        head = (f"{escalation_target(escalate_to)}: {len(fresh)} action{'s' * (len(fresh) != 1)} overdue more than "
                f"{reminders.escalate_after_days} days")
        out.append(("\n".join([head, *(_line(n) for n in fresh)]), [n.key for n in fresh]))
    return out


def _counts(nudges: Sequence[Nudge]) -> str:
    soon = sum(n.kind == DUE_SOON for n in nudges)
    late = sum(n.kind == OVERDUE for n in nudges)
    return ", ".join(p for p in (soon and f"{soon} due within a few days", late and f"{late} overdue") if p)


def header(reminders: Reminders) -> str:
    soon = sum(n.kind == DUE_SOON for n in reminders.nudges)
    late = sum(n.kind == OVERDUE for n in reminders.nudges)
    return (f"*Postmortem action reminders for {reminders.as_of.isoformat()}*: {soon} due within "
            f"{reminders.due_within_days} days, {late} overdue")


def summary_line(reminders: Reminders) -> str:
    """The line posted when nothing is due, so a quiet channel still shows the job ran."""
    return (f"*Postmortem action reminders for {reminders.as_of.isoformat()}*: nothing is due within "
            f"{reminders.due_within_days} days and nothing is overdue ({reminders.open_count} open "
            f"action{'s' * (reminders.open_count != 1)}).")


def messages(reminders: Reminders, *, slack_member: Callable[[str], str | None], escalate_to: str | None,
             only_pending: bool = True) -> list[tuple[str, list[Key]]]:
    """Slack messages within Slack's limit, each with the keys it covers; a whole block per message."""
    if reminders.nothing_due:
        key = ("*", SUMMARY)
        pending = not only_pending or key not in reminders.already_sent
        return [(summary_line(reminders), [key])] if pending else []
    out: list[tuple[str, list[Key]]] = []
    text, keys = header(reminders), list[Key]()
    for block, block_keys in blocks(reminders, slack_member=slack_member, escalate_to=escalate_to,
                                    only_pending=only_pending):
        block = block if len(block) < MESSAGE_LIMIT - 200 else block[: MESSAGE_LIMIT - 201] + "…"
        if len(text) + len(block) + 2 > MESSAGE_LIMIT and keys:
            out.append((text, keys))
            text, keys = "_(reminders, continued)_", []
        text, keys = f"{text}\n\n{block}", keys + block_keys
    return out + ([(text, keys)] if keys else [])


def send(store: Store, reminders: Reminders, webhook_url: str, *, slack_member: Callable[[str], str | None],
         escalate_to: str | None) -> tuple[int, int]:
    """Post what was not sent today; each message is recorded once Slack accepted it.
    Returns (messages posted, reminders posted)."""
    posted = reminded = 0
    for text, keys in messages(reminders, slack_member=slack_member, escalate_to=escalate_to):
        post(webhook_url, [text])
        record_sent(store, reminders.as_of, keys, "slack")
        posted += 1
        reminded += sum(kind != SUMMARY for _, kind in keys)
    return posted, reminded
