"""The size limits the trackers document, and how text is cut to fit them.

Jira is Java: its limits (summary 255, text fields 32,767) count UTF-16 code units, so an
emoji counts twice. GitHub counts characters (title 256, body 65,536, label name 50);
GitLab's description holds 1,048,576 characters. A cut keeps the start of the action's
words and says where the rest is; the parts that come after it (the footer, the marker)
are never cut, so a long action keeps its identity.
"""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], int]

JIRA_TEXT = 32767
GITHUB_BODY = 65536
GITHUB_LABEL = 50
GITLAB_DESCRIPTION = 1_048_576
# Room left for what a tracker adds after rendering (GitHub's "Due:" line, a duplicate note).
SLACK = 200
CUT_NOTE = " … (cut to fit the tracker; the whole text is in the postmortem)"


def java_length(text: str) -> int:
    """Jira's length of a string: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def cut(text: str, limit: int, *, measure: Measure = len, ellipsis: str = "…") -> str:
    """`text` if it fits in `limit`, else its longest prefix that fits with `ellipsis` after it."""
    if measure(text) <= limit:
        return text
    room = limit - measure(ellipsis)
    if room <= 0:
        return ""
    # code points take 1 or 2 units: the first `room` code points are at least `room` units
    kept = text[:room]
    while kept and measure(kept) > room:
        kept = kept[: -max(1, (measure(kept) - room) // 2)]
    return kept.rstrip() + ellipsis


def fit_words(words: str, rest: str, limit: int, *, measure: Measure = len) -> str:
    """The action's `words` cut so that `words` + `rest` (what follows them) fit in `limit`."""
    budget = limit - SLACK - measure(rest)
    return cut(words, max(budget, 0), measure=measure, ellipsis=CUT_NOTE)


def fit_rows(rows: list[str], rest: str, limit: int, *, measure: Measure = len, more: str) -> list[str]:
    """As many of `rows` (one line each) as fit beside `rest`, then `more` naming how many
    were left out (`{n}`)."""
    budget = limit - SLACK - measure(rest)
    total = sum(measure(row) + 1 for row in rows)
    if total <= budget:
        return rows
    kept: list[str] = []
    used = measure(more.format(n=len(rows))) + 1
    for row in rows:
        if used + measure(row) + 1 > budget:
            break
        kept.append(row)
        used += measure(row) + 1
    return [*kept, more.format(n=len(rows) - len(kept))]
