"""Regular expressions compiled on first use, and their compiled programs kept between runs.

`actiontrack lint` on one file must start within 1.3x of `import typer, pydantic`, and
compiling the offline half's ~150 module-level patterns was most of our own start-up:
Python's `re` parses and compiles in Python, and a character class of Japanese ranges
alone costs milliseconds. Two things keep that cost off a run:

- ``lazy_regex`` takes the place of ``re.compile`` for such constants. The first method
  call compiles the pattern and stores its bound methods on the proxy, so every later
  call is as cheap as on a compiled pattern. ``pattern`` and ``flags`` are plain
  attributes, so building one pattern from another's source compiles nothing.
- What compiling produced (CPython's ``_sre`` program: a list of integers and the group
  tables) is kept in a cache file, as Python keeps bytecode in ``__pycache__``: the next
  run builds the pattern from it without parsing. The file is keyed by the Python build
  and the ``_sre`` program format; an entry is used only for the exact pattern and flags
  that made it, and ``_sre`` validates a program before running it. Anything unexpected
  (another Python, an unreadable or corrupt file, a read-only cache directory) falls back
  to ``re.compile``. ``ACTIONTRACK_CACHE_DIR`` moves the cache, ``ACTIONTRACK_NO_CACHE=1``
  turns it off.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Any, cast

__all__ = ["compile_cached", "lazy_regex"]

# What callers may use of a pattern; anything else is looked up on the compiled one.
_BOUND = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")
_MAX_ENTRIES = 4000  # patterns of older versions age out of the file beyond this

_Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


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
        compiled = _programs.compile(self.pattern, self.flags)
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


def compile_cached(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile`` through the program cache, for patterns built at run time from
    tables (the wording rules, the tag cues) that are the same on every run."""
    return _programs.compile(pattern, int(flags))


class _ProgramCache:
    """Compiled ``_sre`` programs by (pattern, flags), read once and written at exit."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, int], _Program] | None = None
        self._added = False
        self._path: Path | None = None
        self._sre: Any = None

    def compile(self, pattern: str, flags: int) -> re.Pattern[str]:
        entries = self._load()
        key = (pattern, flags)
        program = entries.get(key)
        if program is not None:
            try:
                return self._build(pattern, program)
            except Exception:  # a damaged entry: compile it again below and replace it
                del entries[key]
        if self._path is None or (made := _program_of(pattern, flags)) is None:
            return re.compile(pattern, flags)
        try:
            compiled = self._build(pattern, made)  # parsed once: the pattern and its entry
        except Exception:
            return re.compile(pattern, flags)
        entries[key] = made
        if not self._added:
            self._added = True
            atexit.register(self.save)
        return compiled

    def _build(self, pattern: str, program: _Program) -> re.Pattern[str]:
        final_flags, code, groups, groupindex, indexgroup = program
        return cast("re.Pattern[str]", self._sre.compile(pattern, final_flags, code, groups, groupindex, indexgroup))

    def _load(self) -> dict[tuple[str, int], _Program]:
        if self._entries is not None:
            return self._entries
        self._entries = {}
        try:
            import importlib

            self._sre = importlib.import_module("_sre")  # CPython's regex engine; untyped
            self._path = _cache_file(self._sre.MAGIC)
            if self._path is not None and self._path.is_file():
                loaded = marshal.loads(self._path.read_bytes())
                if isinstance(loaded, dict):
                    self._entries = loaded
        except Exception:  # no _sre (not CPython), unreadable or corrupt file: no cache
            self._entries = {}
        return self._entries

    def save(self) -> None:
        """Write the programs atomically (concurrent runs: the last one wins, whole)."""
        if self._path is None or self._entries is None:
            return
        import tempfile  # with random: only when there is something to write

        entries = self._entries
        if len(entries) > _MAX_ENTRIES:
            entries = dict(list(entries.items())[-_MAX_ENTRIES:])
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".regex-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(marshal.dumps(entries))
                os.replace(tmp, self._path)
            except BaseException:
                os.unlink(tmp)
                raise
        except Exception:  # a read-only home or a full disk: the next run compiles again
            return


def _cache_file(magic: int) -> Path | None:
    if os.environ.get("ACTIONTRACK_NO_CACHE") or sys.implementation.name != "cpython":
        return None
    base = os.environ.get("ACTIONTRACK_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    if not os.environ.get("ACTIONTRACK_CACHE_DIR"):
        root = root / "actiontrack"
    build = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-{magic}"
    return root / f"regex-{build}.marshal"


def _program_of(pattern: str, flags: int) -> _Program | None:
    """What ``re._compiler.compile`` hands to ``_sre.compile``, computed the same way."""
    try:
        import importlib

        _compiler, _parser = importlib.import_module("re._compiler"), importlib.import_module("re._parser")
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        return (flags | parsed.state.flags, [int(op) for op in code],  # opcodes are int subclasses
                parsed.state.groups - 1, groupindex, tuple(indexgroup))
    except Exception:  # another Python's internals: just don't cache
        return None


_programs = _ProgramCache()
