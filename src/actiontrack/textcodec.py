"""How a postmortem file's bytes become text, and how edited text goes back as the same bytes.

Most postmortems are UTF-8, but not all that users have: a report saved by Windows Notepad
or exported from Excel as "Unicode text" is UTF-16 with a byte-order mark, and Japanese
notices kept as plain text are still often Shift_JIS (Windows code page 932) or EUC-JP.
Each is read, and write-back (issue keys, ticks, tags) writes the file back in the encoding
it came in, byte-order mark and all, so the author's editor still opens it.

A legacy Japanese encoding is taken only when the bytes are not UTF-8, decode without an
error, and the text holds hiragana: Latin-1 bytes decode as code page 932 too, into kanji
nobody wrote, and no Japanese prose is without hiragana.
"""

from __future__ import annotations

from typing import NamedTuple

from actiontrack.lazyre import lazy_regex

__all__ = ["Decoded", "decode", "encode"]

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_LEGACY_JAPANESE = ("cp932", "euc_jp")
_CONTROL = lazy_regex(r"[\x00-\x08\x0e-\x1f]")
_PLAIN_ASCII = lazy_regex(r"[\t\n\r -~]")
_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
          "cp932": "Shift_JIS", "euc_jp": "EUC-JP"}


class Decoded(NamedTuple):
    text: str
    encoding: str  # a codec name that `encode` writes the text back with

    @property
    def name(self) -> str:
        """The encoding as a person calls it (Shift_JIS, not cp932)."""
        return _NAMES[self.encoding]


def decode(raw: bytes) -> Decoded:
    """The text of a file's bytes and the encoding they were in.

    Raises UnicodeDecodeError (of the UTF-8 attempt, so its position is the first byte that
    is not UTF-8) when no encoding we read fits."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            body = raw[len(bom):] if codec != "utf-8-sig" else raw
            text = body.decode(codec)
            if codec != "utf-8-sig":
                _check_utf16(codec, raw, text)
            return Decoded(text, codec)
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as not_utf8:
        for codec in _LEGACY_JAPANESE:
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            if _has_hiragana(text):
                return Decoded(text, codec)
        raise not_utf8 from None


def encode(text: str, encoding: str) -> bytes:
    """``text`` as the bytes of a file in ``encoding`` (byte-order mark restored).

    Raises UnicodeEncodeError when the text holds a character the encoding has none for."""
    if encoding == "utf-16-le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


def _check_utf16(codec: str, raw: bytes, text: str) -> None:
    """Two bytes that look like a UTF-16 mark may open a binary file or bytes in another
    encoding: no text holds NULs or control characters, and every text of more than a line
    holds a line break or a space, which ASCII bytes read as UTF-16 never give."""
    bad = _CONTROL.search(text)
    if bad is not None:
        raise UnicodeDecodeError(codec, raw, bad.start(), bad.start() + 1, "a control character")
    if text and _PLAIN_ASCII.search(text) is None:
        raise UnicodeDecodeError(codec, raw, 0, len(raw), "no line break, space or ASCII character")


def _has_hiragana(text: str) -> bool:
    return any("\u3041" <= ch <= "\u309f" for ch in text)
