"""Dates as people write them in postmortems: ISO, slashes, dots, 2024年7月1日, "July 1, 2024".

Also accepted, because teams write them and mean one day only:

* 令和 era dates (令和6年7月1日, 令和元年…), common in formal Japanese reports;
* month/day/year with slashes when only one reading is a date (07/15/2024);
  03/04/2024 stays refused as ambiguous;
* a month end or day without a year (7月末, 7月中, 7月15日, end of July, July 15), but
  only with a ``reference`` date (the postmortem's): the day in the reference's year,
  or the next year's when that lies more than a month before the reference. A deadline
  lies ahead, so "1月末" in a June postmortem is next January; "6月10日" in a 20 June one
  stays this year and is reported as due before the incident (a likely typo) instead
  of silently becoming next year. "7月末" is how
  Japanese teams write a due date; refusing it would make them rewrite every action.

Quarters, sprints and weeks ("Q3", "next sprint", "来週") are refused: they name a
period, not a day, and the message says how to write one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from actiontrack.lazyre import lazy_regex

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)

_MONTH_ANON = _MONTH.replace("?P<mon>", "?:")

_ISO = lazy_regex(r"\d{4}-\d{2}-\d{2}")
_YMD = lazy_regex(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?")
_MDY_NAMED = lazy_regex(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", re.I)
_DMY_NAMED = lazy_regex(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>\d{4})", re.I)
_AMBIGUOUS = lazy_regex(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})")
# Rarer spellings, compiled on first use (re's own cache) so start-up does not pay for them.
_REIWA = r"令和\s*(?P<era>元|\d{1,2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?"
_JA_NO_YEAR = r"(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日|(?P<end>末日?|中|いっぱい))(?:まで)?"
_JA_MONTH_END = r"(?P<y>\d{4})\s*[年/\-.]\s*(?P<m>\d{1,2})\s*月?\s*(?:末日?|中|いっぱい)(?:まで)?"
_EN_MONTH_END = r"(?:by )?(?:the )?end of " + _MONTH + r"(?:,?\s+(?P<y>\d{4}))?"
_EN_NO_YEAR = r"(?:by )?" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_SLASH_NO_YEAR = r"(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:まで)?"  # "6/30": month/day in Japan and the US
_QUARTER = r"(?:(?P<y1>\d{4})\s*)?(?:q|第)(?P<q>[1-4])(?:四半期)?(?:\s*(?P<y2>\d{4}))?"
_GRACE = dt.timedelta(days=31)  # a year-less date this far before the incident is next year's
_REIWA_YEAR_ZERO = 2018  # 令和元年 (year 1) is 2019

#: One regex that finds any supported date inside longer text (used for inline due fields).
DATE_IN_TEXT = lazy_regex(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|" + _MONTH_ANON + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH_ANON + r",?\s+\d{4}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4}",
    re.I,
)


class DateError(ValueError):
    """A value that looks like a date but is not a valid one; the message says why."""


def parse_date(value: str | dt.date, reference: dt.date | None = None) -> dt.date:
    """Parse a user-written date, raising DateError with a message a user can act on.

    ``reference`` (the postmortem's date) lets a date without a year ("7月末", "end of
    July") mean the first such day on or after it; without one, those are refused.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if len(value) == 10 and _ISO.match(value):  # the common case, without the general parser
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise DateError(f"invalid date {value!r}: {exc}") from None
    text = unicodedata.normalize("NFKC", value).strip()
    text = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$", "", text)
    for pattern in (_YMD, _MDY_NAMED, _DMY_NAMED):
        match = pattern.fullmatch(text)
        if match:
            return _build(match, value)
    slashed = _AMBIGUOUS.fullmatch(text)
    if slashed:
        return _slashed(slashed, value)
    return _rarer(text, value, reference)


def _slashed(match: re.Match[str], original: str) -> dt.date:
    """07/15/2024 or 15/07/2024 can only be one day; 03/04/2024 could be two."""
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    if a != b and (a > 12 or b > 12):
        month, day = (b, a) if a > 12 else (a, b)
        return _day(year, month, day, original)
    if a == b:
        return _day(year, a, b, original)
    raise DateError(f"ambiguous date {original!r}: write it as YYYY-MM-DD (e.g. 2024-07-01)")


def _rarer(text: str, original: str, reference: dt.date | None) -> dt.date:
    """令和 dates, dates without a year, and the messages for periods that are no day."""
    low = text.casefold()
    if match := re.fullmatch(_REIWA, text):
        year = _REIWA_YEAR_ZERO + (1 if match["era"] == "元" else int(match["era"]))
        return _day(year, int(match["m"]), int(match["d"]), original)
    if match := re.fullmatch(_JA_MONTH_END, text):
        return _month_end(int(match["y"]), int(match["m"]), original)
    if match := re.fullmatch(_EN_MONTH_END, low):
        month = _MONTHS[match["mon"].rstrip(".")]
        if match["y"]:
            return _month_end(int(match["y"]), month, original)
        return _without_year(month, None, reference, original)
    if match := re.fullmatch(_JA_NO_YEAR, text):
        day = int(match["d"]) if match["d"] else None
        return _without_year(int(match["m"]), day, reference, original)
    if match := re.fullmatch(_EN_NO_YEAR, low):
        return _without_year(_MONTHS[match["mon"].rstrip(".")], int(match["d"]), reference, original)
    if match := re.fullmatch(_SLASH_NO_YEAR, text):
        return _without_year(int(match["m"]), int(match["d"]), reference, original)
    if match := re.fullmatch(_QUARTER, low):
        year = int(match["y1"] or match["y2"] or (reference or dt.date.today()).year)
        end = _month_end(year, int(match["q"]) * 3, original).isoformat()
        raise DateError(
            f"{original!r} is a quarter, not a day: write the day it is due as YYYY-MM-DD "
            f"(e.g. {end} for the end of the quarter)")
    raise DateError(f"not a date: {original!r}; write it as YYYY-MM-DD (e.g. 2024-07-01)")


def _without_year(month: int, day: int | None, reference: dt.date | None, original: str) -> dt.date:
    """The day in the reference's year, or the next year's if that is over a month before."""
    if reference is None:
        example = _month_end(2024, month, original) if day is None else _day(2024, month, day, original)
        raise DateError(
            f"{original!r} has no year: write it as YYYY-MM-DD (e.g. {example.isoformat()})")
    year = reference.year
    if (month, day or 31) < (reference.month, reference.day) and (
        reference - _day(year, month, min(day or 28, 28), original) > _GRACE
    ):
        year += 1
    return _month_end(year, month, original) if day is None else _day(year, month, day, original)


def _month_end(year: int, month: int, original: str) -> dt.date:
    if not 1 <= month <= 12:
        raise DateError(f"invalid date {original!r}: month must be in 1..12")
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _day(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"invalid date {original!r}: {exc}") from None


def _build(match: re.Match[str], original: str) -> dt.date:
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else _MONTHS[groups["mon"].lower().rstrip(".")]
    return _day(int(groups["y"]), month, int(groups["d"]), original)
