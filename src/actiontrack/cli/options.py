"""Options several commands share, declared once so each offers them under the same name."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Config file (also accepted before the command).", show_default=False),
]
