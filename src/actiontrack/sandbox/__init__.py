"""Tracker emulator: a local, stateful stand-in for the Jira and GitHub REST APIs.

The heavy modules are imported lazily so that `actiontrack --help` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from actiontrack.sandbox.config import SandboxConfig
    from actiontrack.sandbox.sandbox import Sandbox

__all__ = ["Sandbox", "SandboxConfig"]


def __getattr__(name: str) -> Any:
    """Import `Sandbox`/`SandboxConfig` on first use (keeps CLI start-up light)."""
    if name == "Sandbox":
        from actiontrack.sandbox.sandbox import Sandbox

        return Sandbox
    if name == "SandboxConfig":
        from actiontrack.sandbox.config import SandboxConfig

        return SandboxConfig
    raise AttributeError(name)
