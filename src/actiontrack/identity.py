"""Stable identities for postmortems and their actions.

The sync engine keys tracker issues by action id, so an id must survive what people
do to a postmortem after the retrospective. The rules (docs/identity.md explains why):

* A postmortem's id is its front-matter/TOML ``id``; without one, the file name's
  stem, slugged ("2023-06-30-cdc-connector-stall"). The stem survives moving the
  file between folders and running from another directory.
* An action's id is ``<postmortem id>:<key>``. The key is the id written by the
  author (TOML ``id = "…"``, an inline ``id:`` field or ``<!-- id: … -->``) or,
  without one, eight hex digits of a hash of the action's *normalised title*:
  case, width, punctuation, whitespace, owners, dates and other inline fields do
  not change it, and neither does moving the action within the file.
* Rewording changes a derived key. ``match_renamed`` pairs the actions that
  disappeared with the ones that appeared in the same postmortem by word
  similarity (and, failing that, same position and owner), so the sync engine
  updates the existing issue instead of opening a new one. An issue key written
  next to the action (``OPS-12``, ``#123``, a URL: what ``--write-back`` adds)
  anchors it for good.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from actiontrack.lazyre import lazy_regex

_NON_WORD = lazy_regex(r"[\W_]+", re.UNICODE)
_SLUG = lazy_regex(r"[^A-Za-z0-9._-]+")
_WORD = lazy_regex(r"[a-z0-9]+|[^\W\d_a-z]", re.UNICODE)  # EN words; CJK by character
# "Lena Ng <lena@example.com>": the name is everything before '<' (stripped by the caller).
# A lazy name followed by \s* let a long run of spaces be split every way (cubic on a search).
_MAILBOX = lazy_regex(r"(?P<name>[^<>]*)<\s*+(?P<email>[^<>@\s]+@[^<>\s]+)\s*+>\s*+$")


def postmortem_id_from_path(path: Path) -> str:
    """A stable id for a postmortem that has none: its file name's stem, slugged."""
    stem = unicodedata.normalize("NFKC", path.stem)
    slug = _SLUG.sub("-", stem).strip("-.")
    if slug:
        return slug
    return f"pm-{zlib.crc32(stem.encode()):08x}"


@functools.lru_cache(maxsize=1024)  # the id and the duplicate check both ask, in that order
def owner_aliases(owner: str) -> tuple[str, ...]:
    """The names an owner goes by, most specific first: as written (without a leading `@`),
    and for `Lena Ortiz <lena@example.com>` also the address, the name and the address's
    local part, so `[owners] lena` and `status --owner lena` find her however she was written."""
    bare = owner.strip().lstrip("@")
    match = _MAILBOX.match(bare)
    if match is None:
        return (bare,)
    email, name = match["email"], match["name"].strip().strip('"')
    names = [bare, email, name, email.split("@", 1)[0]]
    return tuple(dict.fromkeys(n for n in names if n))


@functools.lru_cache(maxsize=8192)
def normalise_title(title: str) -> str:
    """The part of a title that identity depends on: words only, case- and width-folded.

    Memoised: every title is asked for twice in a run, for its key and for lint's duplicate check."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return _NON_WORD.sub(" ", text).strip()


def derived_key(title: str) -> str:
    """Eight hex digits that stay the same while the title's words stay the same.

    CRC-32 rather than a cryptographic hash: the key only has to tell apart the actions
    of one postmortem (a clash gets a -2 suffix, like a repeated title), and importing
    hashlib loads OpenSSL, ~4 ms of every `actiontrack lint`.
    """
    return f"{zlib.crc32(normalise_title(title).encode()):08x}"


def action_id(postmortem_id: str, key: str) -> str:
    return f"{postmortem_id}:{key}"


def assign_ids(postmortem_id: str, keys: Sequence[str]) -> list[str]:
    """Full ids for a postmortem's actions; repeated keys get -2, -3 … in file order."""
    seen: dict[str, int] = {}
    ids = []
    for key in keys:
        count = seen.get(key, 0) + 1
        seen[key] = count
        ids.append(action_id(postmortem_id, key if count == 1 else f"{key}-{count}"))
    return ids


class Known(NamedTuple):
    """An action as the store last saw it: enough to recognise it after an edit."""

    id: str
    title: str
    position: int
    owner: str | None = None


def similarity(a: str, b: str) -> float:
    """Dice similarity of word sets (characters for Japanese), 0..1."""
    left = set(_WORD.findall(normalise_title(a)))
    right = set(_WORD.findall(normalise_title(b)))
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def match_renamed(
    vanished: Sequence[Known], appeared: Sequence[Known], *, threshold: float = 0.5
) -> dict[str, str]:
    """Pair actions that vanished from a postmortem with ones that appeared in it.

    Returns {new id: old id}. Greedy on similarity, best pairs first; a pair below the
    threshold is still taken when both sit at the same position with the same owner
    (a full rewording in place). Each side is used once.
    """
    scored = sorted(
        (
            (similarity(old.title, new.title), old, new)
            for old in vanished
            for new in appeared
        ),
        key=lambda item: -item[0],
    )
    pairs: dict[str, str] = {}
    used_old: set[str] = set()
    for score, old, new in scored:
        if new.id in pairs or old.id in used_old:
            continue
        in_place = old.position == new.position and old.owner == new.owner is not None
        if score >= threshold or in_place:
            pairs[new.id] = old.id
            used_old.add(old.id)
    return pairs
