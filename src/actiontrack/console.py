"""The `actiontrack` console script, kept apart from actiontrack.cli.

Start-up allocates only long-lived objects (modules, classes, functions, compiled tables), and
Python's cycle collector rescans all of them again and again while typer and our modules are
imported: about 6 % of an `actiontrack lint` on one file. This module imports nothing heavy, so
the collector can be paused before typer is imported. The offline commands (lint, tag, rules,
init) then run without it: what they build holds no reference cycles, and the reader already
pauses it for its batches (actiontrack.gcpause). The commands that talk to trackers and the
store get it back, with what start-up made frozen out of its scans.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    gc.disable()
    from actiontrack import cli

    if cli.invoked_command(sys.argv[1:]) not in cli.OFFLINE_COMMANDS:
        gc.freeze()  # start-up's objects live as long as the process: never scan them again
        gc.enable()
    cli.main()
