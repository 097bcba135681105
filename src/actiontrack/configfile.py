"""Find and read the config file without validating all of it.

The offline commands (lint, tag) need only [lint]; reading it here keeps pydantic,
which validates the whole file in actiontrack.config, out of their start-up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from actiontrack import catalog
from actiontrack.errors import ConfigError

DEFAULT_NAME = "actiontrack.toml"
ENV_VAR = "ACTIONTRACK_CONFIG"


@dataclass(frozen=True, slots=True)
class RawConfig:
    """The parsed TOML of the config file (empty when there is none) and where it came from."""

    data: dict[str, object]
    path: Path | None

    def table(self, name: str) -> dict[str, object]:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError("must be a table", path=self.path, key=name)
        return value


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
        return RawConfig(tomllib.loads(text), path)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path) from None


@dataclass(frozen=True, slots=True)
class LintSettings:
    """Which rules run. Built from the config's [lint] table."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # glob patterns of files a folder walk skips ("template.md")

    @classmethod
    def from_table(cls, table: Mapping[str, object], source: Path | None = None) -> LintSettings:
        """Validate a [lint] table; a bad key or rule name is a ConfigError naming the key."""
        unknown = set(table) - {"select", "ignore", "exclude"}
        if unknown:
            key = sorted(unknown)[0]
            raise ConfigError("unknown key (expected select, ignore, exclude)", path=source, key=f"lint.{key}")
        exclude = table.get("exclude", [])
        if isinstance(exclude, str):
            exclude = [exclude]
        if not isinstance(exclude, list) or not all(isinstance(v, str) for v in exclude):
            raise ConfigError("must be a list of glob patterns, e.g. [\"template.md\", \"drafts/*\"]",
                              path=source, key="lint.exclude")
        return cls(
            select=_selectors(table.get("select", ["ALL"]), "lint.select", source),
            ignore=_selectors(table.get("ignore", []), "lint.ignore", source),
            exclude=tuple(exclude),
        )

    def enabled(self) -> frozenset[str]:
        chosen = {r.code for s in self.select for r in catalog.expand_selector(s)}
        dropped = {r.code for s in self.ignore for r in catalog.expand_selector(s)}
        return frozenset(chosen - dropped)


def _selectors(value: object, key: str, source: Path | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError("must be a list of rule codes or names", path=source, key=key)
    for selector in value:
        if not catalog.expand_selector(selector):
            raise ConfigError(
                f"no rule is called {selector!r}", path=source, key=key,
                hint="`actiontrack rules` lists the codes and names.",
            )
    return tuple(value)
