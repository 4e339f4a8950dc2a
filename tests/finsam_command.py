"""The ``finsam`` command line as a user runs it: the entry point installed in the environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FINSAM = Path(sys.executable).parent / "finsam"


def finsam(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``finsam ARGS``; output captured as text, the exit code left to the caller."""
    return subprocess.run(
        [str(FINSAM), *args], capture_output=True, text=True, check=False, cwd=cwd
    )
