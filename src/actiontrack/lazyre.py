"""Regular expressions compiled on first use instead of at import.

`actiontrack lint` on one file must start within 1.3x of `import typer, pydantic`, and
compiling the offline half's ~150 module-level patterns was most of our own import time,
while one English Markdown file uses about a third of them (TOML, plain-text and Japanese
patterns wait for a file that needs them). ``lazy_regex`` takes the place of
``re.compile`` for such constants: the first method call compiles the pattern and stores
its bound methods on the proxy, so every later call is as cheap as on a compiled pattern.
``pattern`` and ``flags`` are plain attributes, so building one pattern from another's
source (``OTHER.pattern + "…"``) compiles nothing.
"""

from __future__ import annotations

import re
from typing import cast

__all__ = ["lazy_regex"]

# What callers may use of a pattern; anything else is looked up on the compiled one.
_BOUND = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")


class _LazyPattern:
    """Stands in for a compiled pattern until something is asked of it."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> object:
        # Only reached for attributes not yet on the proxy: compile once, keep the bound
        # methods and the group tables, then answer from the compiled pattern.
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in _BOUND:
            self.__dict__[method] = getattr(compiled, method)
        self.__dict__["groups"] = compiled.groups
        self.__dict__["groupindex"] = compiled.groupindex
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_regex({self.pattern!r}, {self.flags!r})"


def lazy_regex(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """Like ``re.compile``, compiling on first use (see the module docstring)."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, int(flags)))
