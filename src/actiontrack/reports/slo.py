"""Due-date SLOs: a priority's period from the postmortem date, e.g. P1 within 4 weeks.

An action without a due date is still held to its SLO date; reports mark such a date
as derived so nobody mistakes it for one a person chose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

# The key of `slo_days` that holds the SLO of actions with no priority, or one the table does not name.
DEFAULT_SLO = "*"


def slo_date(pm_date: dt.date | None, priority: str | None, slo_days: Mapping[str, int]) -> dt.date | None:
    """The date an action of this priority should be done by, or None if it cannot be known."""
    days = slo_days.get(priority) if priority is not None and priority != DEFAULT_SLO else None
    if days is None:
        days = slo_days.get(DEFAULT_SLO)
    if pm_date is None or days is None:
        return None
    return pm_date + dt.timedelta(days=days)


def effective_due(
    due: dt.date | None, pm_date: dt.date | None, priority: str | None, slo_days: Mapping[str, int]
) -> tuple[dt.date | None, bool]:
    """(due date, derived?): the tracker's or file's date, else the SLO date."""
    if due is not None:
        return due, False
    derived = slo_date(pm_date, priority, slo_days)
    return derived, derived is not None


def today(timezone: str) -> dt.date:
    """Today's date where the team is (the config's report.timezone)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from actiontrack.errors import ConfigError

    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {timezone!r}", key="report.timezone",
                          hint="use an IANA name such as 'Asia/Tokyo' or 'Europe/Berlin'") from None
    return dt.datetime.now(zone).date()
