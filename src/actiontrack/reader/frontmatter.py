"""Front matter as people write it: `key: value` lines, parsed without loading PyYAML.

Importing PyYAML costs ~18 ms, more than the whole budget `actiontrack lint` has for
its own start-up. Almost all front matter is flat `key: value` lines (with an
occasional `[a, b]` list), so those are parsed here, with YAML's meaning for dates,
numbers, booleans and null; anything richer (block lists, nesting, anchors,
multi-line strings) goes to PyYAML, which stays the reference.
"""

from __future__ import annotations

import datetime as dt

from actiontrack.lazyre import lazy_regex

_LINE = lazy_regex(r"^(?P<key>[A-Za-z_][\w\- ]*?)\s*:(?:\s+(?P<value>.*?))?\s*$")
_INT = lazy_regex(r"^-?(?:0|[1-9]\d*)$")
_NUMBERISH = lazy_regex(r"^[-+.]?\d")  # floats, octals, 1_000, 1:30, timestamps: YAML's call
_PLAIN_KEY = lazy_regex(r"^[A-Za-z_][\w\-]*$")
_YAML11_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}
_DATE = lazy_regex(r"^\d{4}-\d{2}-\d{2}$")
_SPECIAL = set("&*!|>%@`{")


class NotSimple(Exception):
    """The block needs a real YAML parser."""


def parse_simple(block: str) -> dict[str, object]:
    """Parse flat `key: value` front matter; raise NotSimple for anything else."""
    data: dict[str, object] = {}
    for line in block.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None or line[0].isspace():
            raise NotSimple(line)
        key = match.group("key")
        if not _PLAIN_KEY.match(key) or key.lower() in _YAML11_WORDS:
            raise NotSimple(key)
        data[key] = _scalar_or_list(match.group("value") or "")
    return data


def _scalar_or_list(text: str) -> object:
    if " #" in text and not text.startswith(("'", '"')):
        text = text.split(" #", 1)[0].rstrip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        if any(c in inner for c in "[]{}\"'"):
            raise NotSimple(text)
        return [_scalar(item.strip()) for item in inner.split(",")] if inner else []
    return _scalar(text)


def _scalar(text: str) -> object:
    if not text or text in ("~", "null", "Null", "NULL"):
        return None
    if text[0] in _SPECIAL or text.startswith(("- ", "[", "]")) or ": " in text:
        raise NotSimple(text)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        if "\\" in text or text[0] in text[1:-1]:
            raise NotSimple(text)
        return text[1:-1]
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text)
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise NotSimple(text) from None
    if _NUMBERISH.match(text) or text.lower() in _YAML11_WORDS or text.startswith(("'", '"')):
        raise NotSimple(text)  # YAML 1.1 booleans and odd quoting: let PyYAML decide
    return text
