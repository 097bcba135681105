"""How an issue says which action it belongs to: the identity lives inside the issue.

With the store lost, or a second store that never saw an issue, the engine still finds
its issues by these markers and adopts them instead of creating duplicates (vdirsyncer's
test_missing_status). An action's issue carries several markers, so that whatever one
person removes, another is left (docs/identity.md):

* the body line ``actiontrack-id: <id>`` (GitHub hides it in an HTML comment; Jira wiki
  markup shows it as a small footer). An id that is not a plain token (spaces, quotes,
  ``<``, ``>``, ``|``, ``]``, a newline…) is written as a JSON string,
  ``actiontrack-id: "GH SPACE:1a2b3c4d"``, with ``<`` and ``>`` escaped so that it can
  never end the HTML comment; a plain id is written bare, as every earlier release did,
  so existing issues keep their bodies. Old markers are read too: a bare marker names
  the rest of its line, which is what releases before quoting wrote for any id.
* on Jira, the label ``at-<12 hex>`` (labels are exact-match searchable in JQL,
  description text search is fuzzy) and the issue entity property ``actiontrack``
  (``{"id": …}``), which no screen shows, so people rarely touch it; search returns it.

Every tracker module calls these functions; none spells a marker itself.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping

PREFIX = "actiontrack-id:"
PROPERTY_KEY = "actiontrack"  # the Jira entity property holding {"id": <action id>}
PROPERTY_VERSION = 1
DUPLICATE_PREFIX = "actiontrack-duplicate-of:"

_PLAIN = re.compile(r"[^\s<>|\]\"\\]+")
# A marker line: optional HTML comment opener, the prefix, then the id to the end of the line.
_LINE = re.compile(r"^[ \t]*(?:<!--[ \t]*)?actiontrack-id:[ \t]*(?P<rest>[^\r\n]*?)[ \t]*(?:-->)?[ \t]*$",
                   re.MULTILINE)
# Markers not on a line of their own (a person joined lines): the old bare token.
_INLINE = re.compile(r"actiontrack-id:[ \t]*(?P<id>\"(?:[^\"\\\r\n]|\\.)*\"|[^\s<>|\]]+)")


def encode_id(action_id: str) -> str:
    """The id as it appears after the prefix: bare when plain, else a JSON string."""
    if _PLAIN.fullmatch(action_id) and not action_id.startswith('"'):
        return action_id
    quoted = json.dumps(action_id, ensure_ascii=False)
    return quoted.replace("<", "\\u003c").replace(">", "\\u003e")


def decode_id(text: str) -> str | None:
    """The id a marker's text names; None when it names nothing."""
    text = text.strip()
    if text.startswith('"'):
        end = _string_end(text)
        if end is None:
            return None
        try:
            value = json.loads(text[: end + 1])
        except ValueError:
            return None
        return value if isinstance(value, str) and value else None
    return text or None


def _string_end(text: str) -> int | None:
    """Index of the quote that closes the JSON string opening `text`."""
    escaped = False
    for index, char in enumerate(text[1:], start=1):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            return index
    return None


def body_marker(action_id: str, *, html_comment: bool) -> str:
    line = f"{PREFIX} {encode_id(action_id)}"
    return f"<!-- {line} -->" if html_comment else line


def action_id_in(body: str | None) -> str | None:
    """The action id a body's marker names, if any (the first marker wins)."""
    if not body or "actiontrack-id" not in body:
        return None
    line = _LINE.search(body)
    if line is not None:
        return decode_id(line.group("rest"))
    inline = _INLINE.search(body)
    return decode_id(inline.group("id")) if inline else None


def has_body_marker(body: str | None, action_id: str) -> bool:
    return action_id_in(body) == action_id


def marker_label(action_id: str) -> str:
    """A Jira-safe label (no spaces, short) that identifies one action."""
    return "at-" + hashlib.sha1(action_id.encode()).hexdigest()[:12]


def is_marker_label(label: str) -> bool:
    return len(label) == 15 and label.startswith("at-") and all(c in "0123456789abcdef" for c in label[3:])


def property_value(action_id: str) -> dict[str, object]:
    """The Jira entity property's value: the id itself, not a hash, so it can be read back."""
    return {"id": action_id, "v": PROPERTY_VERSION}


def action_id_of_property(value: object) -> str | None:
    if isinstance(value, Mapping):
        found = value.get("id")
        return found if isinstance(found, str) and found else None
    return None


def without_body_marker(body: str, *, note: str | None = None) -> str:
    """The body with its marker lines removed (a duplicate must stop naming the action)."""
    stripped = _LINE.sub("", body).rstrip()
    return f"{stripped}\n\n{note}\n" if note else stripped + "\n"


def duplicate_of(body: str) -> str | None:
    """The key `duplicate_note` names in a body (the doctor closed this issue as its copy)."""
    match = re.search(re.escape(DUPLICATE_PREFIX) + r"[ \t]*([^\s<>]+)", body or "")
    return match[1] if match else None


def duplicate_note(of: str, *, html_comment: bool) -> str:
    line = f"{DUPLICATE_PREFIX} {of}"
    return f"<!-- {line} -->" if html_comment else line
