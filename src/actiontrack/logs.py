"""Logging set-up with secret redaction.

Every secret actiontrack reads (config.Config.secret) is registered here, and a filter
on the root handler replaces it in every log record, ours or a client library's: a
debug log of a failing sync can be pasted into an issue as it is.
"""

from __future__ import annotations

import logging
import sys

_SECRETS: set[str] = set()
MASK = "***"


def register_secret(value: str) -> None:
    """Never log this value (tokens shorter than 4 characters would mask too much text)."""
    if len(value) >= 4:
        _SECRETS.add(value)


def redact(text: str) -> str:
    """Registered secrets masked, and credentials removed from any URL in the text."""
    from actiontrack.urls import scrub_text

    text = scrub_text(text)
    for secret in _SECRETS:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            record.msg = redact(record.getMessage())
            record.args = None
        return True


def configure(verbosity: int) -> None:
    """0: warnings, 1 (-v): our progress, 2 (-vv): debug, including the HTTP clients."""
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level if verbosity >= 2 else logging.WARNING)
    logging.getLogger("actiontrack").setLevel(level)
