"""A regular (non-editable) install of this checkout in a throwaway virtualenv, for timing
what users run: the `actiontrack` console script, with the package from site-packages.

`installed_venv()` builds a wheel of the working tree and installs it with its runtime
dependencies only (no test tools) into a temporary virtualenv, once per process.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def installed_venv() -> Path:
    """The virtualenv's root; its bin/ holds `actiontrack` and `python`."""
    work = Path(tempfile.mkdtemp(prefix="actiontrack-bench-"))
    wheels = work / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, stdout=subprocess.DEVNULL)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheel = next(wheels.glob("actiontrack-*.whl"))
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                   check=True, stdout=subprocess.DEVNULL)
    return venv
