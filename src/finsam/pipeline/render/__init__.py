"""Rendering a staged Quarto project into the site: Quarto when installed, else built in.

Both write into a temporary folder beside the target, which then replaces the target, so an
interrupted render leaves the previous site as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Literal

from finsam.errors import FinsamError

Engine = Literal["auto", "quarto", "builtin"]


def quarto_available() -> bool:
    return shutil.which("quarto") is not None


def choose_engine(engine: Engine = "auto") -> str:
    if engine == "auto":
        return "quarto" if quarto_available() else "builtin"
    if engine == "quarto" and not quarto_available():
        raise FinsamError("quarto is not on PATH; install Quarto or use --renderer builtin")
    return engine


def render_site(stage: Path, out: Path, engine: Engine = "auto", jobs: int | None = None) -> str:
    """Render the stage into ``out``; returns the engine used."""
    used = choose_engine(engine)
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        if used == "quarto":
            _render_quarto(stage, tmp)
        else:
            from finsam.pipeline.render.builtin import render_builtin

            render_builtin(stage, tmp, jobs=jobs)
        _replace_dir(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return used


def _render_quarto(stage: Path, out: Path) -> None:
    done = subprocess.run(
        ["quarto", "render", str(stage), "--output-dir", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise FinsamError(f"quarto render failed:\n{done.stderr.strip()[-2000:]}")


def _replace_dir(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
