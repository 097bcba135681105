"""A regex that matches any of a list of words longest-first, branching like a trie.

A flat alternation tries every word at every position; a trie tries one branch per
character, which keeps a scan near a microsecond per action. Shared by the tag
suggestions (actiontrack.tagging) and the commitment reader (actiontrack.commitment).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = ["trie_pattern"]

_Trie = dict[str, "_Trie"]


def trie_pattern(words: Iterable[str], boundary: bool, tail: Callable[[str], str] | None = None) -> str:
    """The pattern; ``boundary`` ends each word at \\b; ``tail(word)`` adds a lookahead per word.

    A space in a word also matches a hyphen or several spaces."""
    root: _Trie = {}
    ends: dict[int, str] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
        if tail is not None and tail(word):
            ends[id(node)] = tail(word)
    return _node_pattern(root, boundary, ends)


def _node_pattern(node: _Trie, boundary: bool, ends: dict[int, str]) -> str:
    branches: list[str] = []
    for char in sorted(node, key=lambda c: (c == "", c)):
        if char == "":
            branches.append(r"\b" if boundary else ends.get(id(node), ""))
        else:
            head = r"[\s\-]+" if char == " " else re.escape(char)
            branches.append(head + _node_pattern(node[char], boundary, ends))
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"
