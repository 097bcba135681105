"""Find and read the config file without validating all of it.

The offline commands (lint, tag) need only [lint]; reading it here keeps pydantic,
which validates the whole file in actiontrack.config, out of their start-up. Errors
name the file, the line and the dotted key, and suggest the key meant.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from actiontrack import catalog
from actiontrack.errors import ConfigError

DEFAULT_NAME = "actiontrack.toml"
ENV_VAR = "ACTIONTRACK_CONFIG"


class RawConfig(NamedTuple):
    """The parsed TOML of the config file (empty when there is none), where it came from, and its text."""

    data: dict[str, object]
    path: Path | None
    text: str = ""

    def table(self, name: str) -> dict[str, object]:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise self.error("must be a table", name)
        return value

    def error(self, message: str, key: str, *, hint: str | None = None) -> ConfigError:
        """A ConfigError naming the file, the line of `key` (dotted) and the key."""
        return ConfigError(message, path=self.path, key=key, line=key_line(self.text, key), hint=hint)


def locate(explicit: Path | None) -> tuple[Path, bool]:
    """(the config path, whether the user named it). --config wins, then $ACTIONTRACK_CONFIG."""
    if explicit is not None:
        return explicit, True
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env), True
    return Path(DEFAULT_NAME), False


def read_raw(explicit: Path | None = None) -> RawConfig:
    """Parse the config file; a missing default file means defaults, a missing named one is an error."""
    path, named = locate(explicit)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if named:
            raise ConfigError(
                "config file not found", path=path,
                hint="Create one with `actiontrack init`, or drop --config.",
            ) from None
        return RawConfig({}, None)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file: {exc}", path=path) from None
    import tomllib  # only when there is a config file

    try:
        return RawConfig(tomllib.loads(text), path, text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path) from None


# --- where a key is written -------------------------------------------------------------------

_HEADER = r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$"
_KEY = r"(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
_ASSIGN = rf"^\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*="
_PART = r"[A-Za-z0-9_-]+|\"([^\"]*)\"|'([^']*)'"  # patterns compile on first use, through re's cache


def key_line(text: str, dotted: str) -> int | None:
    """The 1-based line where `dotted` ("lint.select", "owners.ikki.slack") is written.

    tomllib keeps no positions, so this scans table headers and `key =` lines; a key
    not written at all gives the line of the nearest table that is.
    """
    wanted = dotted.split(".")
    best: tuple[int, int] | None = None  # (matched parts, line)
    for line, parts in _written_keys(text):
        if parts == wanted[: len(parts)] and (best is None or len(parts) > best[0]):
            best = (len(parts), line)
    return best[1] if best else None


def _written_keys(text: str) -> Iterator[tuple[int, list[str]]]:
    table: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(_HEADER, line)
        if header:
            table = _parts(header.group(1))
            yield number, table
            continue
        assign = re.match(_ASSIGN, line)
        if assign:
            yield number, table + _parts(assign.group(1))


def _parts(dotted: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(0)
            for m in re.finditer(_PART, dotted)]


# --- [lint] ----------------------------------------------------------------------------------

LINT_KEYS = ("select", "ignore", "extend_select", "exclude", "extend_exclude", "baseline")


class RuleSelection(NamedTuple):
    """One layer of rule choices. Layers apply in order (the config's, then the command line's),
    as in ruff: a layer with `select` starts afresh; one without adjusts the layer before."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    def apply(self, enabled: set[str]) -> set[str]:
        """Within a layer the more specific selector wins (ignore AT2 + select AT201 keeps AT201)."""
        result = set() if self.select is not None else set(enabled)
        steps = [(_specificity(s), 0, s) for s in (*(self.select or ()), *self.extend_select)]
        steps += [(_specificity(s), 1, s) for s in self.ignore]
        for _, dropping, selector in sorted(steps):
            codes = {r.code for r in catalog.expand_selector(selector)}
            result = result - codes if dropping else result | codes
        return result


def _specificity(selector: str) -> int:
    """ALL < a prefix (longer is more specific) < a whole code or name."""
    key = selector.strip()
    if key.upper() == "ALL":
        return 0
    return 100 if catalog.lookup(key) else len(key)


class LintSettings(NamedTuple):
    """Which rules run, which files a folder walk skips, and the baseline. Built from [lint]."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # glob patterns of files a folder walk skips ("template.md")
    baseline: Path | None = None  # findings recorded here are not reported again
    overrides: tuple[RuleSelection, ...] = ()  # the command line's layers

    @classmethod
    def from_table(cls, table: Mapping[str, object], source: Path | None = None, text: str = "") -> LintSettings:
        """Validate a [lint] table; a bad key or rule name is a ConfigError naming the key and its line."""
        raw = RawConfig({"lint": dict(table)}, source, text)
        values = {key.replace("-", "_"): value for key, value in table.items()}
        for key in table:
            if key.replace("-", "_") not in LINT_KEYS:
                from actiontrack.suggest import did_you_mean

                raise raw.error(f"unknown key{did_you_mean(key, LINT_KEYS)}", f"lint.{key}",
                                hint=f"[lint] takes {', '.join(LINT_KEYS)}.")
        exclude = _globs(values.get("exclude", []), "lint.exclude", raw)
        exclude += _globs(values.get("extend_exclude", []), "lint.extend_exclude", raw)
        return cls(
            select=_config_selectors(values.get("select", ["ALL"]), "lint.select", raw),
            ignore=_config_selectors(values.get("ignore", []), "lint.ignore", raw),
            extend_select=_config_selectors(values.get("extend_select", []), "lint.extend_select", raw),
            exclude=exclude,
            baseline=_baseline(values.get("baseline"), raw),
        )

    @classmethod
    def from_config(cls, raw: RawConfig) -> LintSettings:
        return cls.from_table(raw.table("lint"), raw.path, raw.text)

    def enabled(self) -> frozenset[str]:
        rules: set[str] = set()
        for layer in (RuleSelection(self.select, self.ignore, self.extend_select), *self.overrides):
            rules = layer.apply(rules)
        return frozenset(rules)


def _globs(value: object, key: str, raw: RawConfig) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise raw.error("must be a list of glob patterns, e.g. [\"template.md\", \"drafts/*\"]", key)
    return tuple(value)


def _baseline(value: object, raw: RawConfig) -> Path | None:
    """A baseline path is relative to the config file's folder, so CI and a laptop agree."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise raw.error("must be a file path, e.g. \"lint-baseline.json\"", "lint.baseline")
    path = Path(value)
    return path if path.is_absolute() or raw.path is None else raw.path.parent / path


def _config_selectors(value: object, key: str, raw: RawConfig) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise raw.error("must be a list of rule codes or names", key)
    for selector in value:
        problem = unknown_selector(selector)
        if problem:
            raise raw.error(problem, key, hint="`actiontrack rules` lists the codes and names.")
    return tuple(value)


def unknown_selector(selector: str) -> str | None:
    """Why `selector` names no rule (with a did-you-mean), or None when it names some."""
    if catalog.expand_selector(selector):
        return None
    from actiontrack.suggest import did_you_mean

    known = [*(r.code for r in catalog.RULES), *(r.name for r in catalog.RULES)]
    return f"no rule is called {selector!r}{did_you_mean(selector, known)}"


def split_selectors(values: Sequence[str] | None) -> tuple[str, ...]:
    """`--select AT2,AT0 --select AT101` → ("AT2", "AT0", "AT101"), as ruff reads them."""
    return tuple(part.strip() for value in values or () for part in value.split(",") if part.strip())
