"""Find and read the config file without validating all of it.

The offline commands (lint, tag) need only [lint]; reading it here keeps pydantic,
which validates the whole file in actiontrack.config, out of their start-up.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

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
    try:
        return RawConfig(tomllib.loads(text), path)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path) from None
