"""Dates as people write them in postmortems: ISO, slashes, dots, 2024年7月1日, "July 1, 2024"."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

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

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_YMD = re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?")
_MDY_NAMED = re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", re.I)
_DMY_NAMED = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>\d{4})", re.I)
_AMBIGUOUS = re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}")

#: One regex that finds any supported date inside longer text (used for inline due fields).
DATE_IN_TEXT = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|" + _MONTH_ANON + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH_ANON + r",?\s+\d{4}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4}",
    re.I,
)


class DateError(ValueError):
    """A value that looks like a date but is not a valid one; the message says why."""


def parse_date(value: str | dt.date) -> dt.date:
    """Parse a user-written date, raising DateError with a message a user can act on."""
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
    if _AMBIGUOUS.fullmatch(text):
        raise DateError(f"ambiguous date {value!r}: write it as YYYY-MM-DD (e.g. 2024-07-01)")
    raise DateError(f"not a date: {value!r}; write it as YYYY-MM-DD (e.g. 2024-07-01)")


def _build(match: re.Match[str], original: str) -> dt.date:
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else _MONTHS[groups["mon"].lower().rstrip(".")]
    try:
        return dt.date(int(groups["y"]), month, int(groups["d"]))
    except ValueError as exc:
        raise DateError(f"invalid date {original!r}: {exc}") from None
