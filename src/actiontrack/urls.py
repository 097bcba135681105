"""Credentials inside URLs, removed before a URL is stored, printed, logged or reported.

People paste `https://bot:s3cret@jira.example.com` into jira.url, or a link with
`?token=…` into a postmortem's front matter; those URLs then travel into issue links, the
store, every report format, Slack and error messages. Each of those sinks calls
`strip_credentials` (one URL) or `scrub_text` (free text that may contain URLs).
Standard library only: the offline commands may import it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from actiontrack.lazyre import lazy_regex

# Query parameters that carry a secret in the APIs and wikis people link to.
SECRET_PARAMS = frozenset({
    "token", "access_token", "accesstoken", "auth", "auth_token", "api_key", "apikey", "key",
    "password", "passwd", "pwd", "secret", "client_secret", "private_token", "sig", "signature",
    "x-amz-signature", "x-amz-credential", "x-amz-security-token", "jwt", "session", "sessionid",
})
MASK = "***"
_URL_IN_TEXT = lazy_regex(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"'`|)\]]+")


def _secret_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_PARAMS or lowered.endswith(("_token", "-token", "_secret", "_key"))


def has_credentials(url: str) -> bool:
    """Whether the URL holds a user-info part or a secret query parameter."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "@" in url
    if "@" in parts.netloc:
        return True
    return any(_secret_param(name) for name, _ in parse_qsl(parts.query, keep_blank_values=True))


def strip_credentials(url: str) -> str:
    """The URL without `user:password@` and without secret query parameters (others kept)."""
    if not has_credentials(url):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"//[^/]*@", "//", url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _secret_param(k)]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query)))


def strip_optional(url: str | None) -> str | None:
    """`strip_credentials` for a value that may be None; cheap for the common clean URL."""
    if not url or ("@" not in url and "?" not in url):
        return url
    return strip_credentials(url)


def scrub_text(text: str) -> str:
    """Every URL inside `text` with its credentials removed (messages, log lines)."""
    if "://" not in text:
        return text
    return _URL_IN_TEXT.sub(lambda m: strip_credentials(m.group(0)), text)


def password_of(url: str) -> str | None:
    """The password (or token) inside a URL's user-info, to register as a secret."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return parts.password or (parts.username if parts.username and not parts.password else None)
