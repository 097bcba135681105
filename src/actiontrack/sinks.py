"""Safe sinks: user text made harmless for the place it is written to.

Postmortems are written by many people and pasted from many tools; their words reach a
terminal, a spreadsheet and a browser. Each sink has one function here, and every
renderer for that sink goes through it, rather than escaping by convention at each call.
"""

from __future__ import annotations

import functools
import re

# CSI (ESC [ … final, or C1 CSI), OSC/DCS/PM/APC strings (ESC ] … BEL or ST, or their C1 forms),
# and the other two-byte ESC sequences.
_ESCAPES = (  # none crosses a line end: an unterminated sequence must not swallow the rest of a report
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|[\x1b][\]PX^_][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?|\x1b[@-Z\\-_]")
# What is left of control characters once sequences are gone, and the bidirectional overrides
# that make a line display in another order than it reads ("Trojan Source").
_CONTROLS = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal(text: str) -> str:
    """`text` with escape sequences and control characters removed (newlines and tabs kept),
    so a title cannot set the terminal's title, move the cursor or hide what follows."""
    if text.isprintable():
        return text
    escapes, controls = _patterns()
    return controls.sub("", escapes.sub("", text))


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled on first use: a clean run never pays for them."""
    return re.compile(_ESCAPES), re.compile(_CONTROLS)


def terminal_line(text: str) -> str:
    """`terminal(text)` on one line: newlines and tabs become spaces."""
    cleaned = terminal(text)
    return cleaned.replace("\r", " ").replace("\n", " ").replace("\t", " ") if not cleaned.isprintable() else cleaned


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection):
    text starting with = + - @ tab or CR gets a leading apostrophe. Numbers pass as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
