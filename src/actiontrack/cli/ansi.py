"""Plain ANSI colour for the offline commands (rich would cost `actiontrack lint` start-up time),
used only on a terminal that has not asked for NO_COLOR."""

from __future__ import annotations

import os
from typing import Any

RESET, BOLD, DIM, RED, YELLOW, CYAN = "\033[0m", "\033[1m", "\033[2m", "\033[31m", "\033[33m", "\033[36m"


def use_colour(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def paint(text: str, code: str, colour: bool) -> str:
    return f"{code}{text}{RESET}" if colour else text
