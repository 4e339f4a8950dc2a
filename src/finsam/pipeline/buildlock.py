"""One build at a time per build folder and per site folder, and what a killed build left.

A build holds an exclusive ``flock`` on ``<build dir>/.lock`` and ``.<site>.lock`` beside the
site folder while it protects, executes, stages and renders. The operating system releases the
locks when the process ends, however it ends, so a killed build never leaves a stale lock. A
second build on the same folders is refused at once with the first one's process id. Holding
the locks, a build removes the temporary files only a build writes (half-written notebooks,
half-rendered sites) that a killed build left behind.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from finsam.errors import FinsamError


@contextmanager
def _locked(path: Path, what: str) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            raise FinsamError(
                f"{what} is in use by another finsam build (process {holder}); wait for it to "
                "finish, or use another --build-dir / --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def exclusive_build(build_dir: Path, site: Path) -> Iterator[None]:
    """Hold ``build_dir`` and the site folder ``site`` for this build, after removing what a
    killed build left there."""
    build_dir, site = Path(build_dir).resolve(), Path(site).resolve()
    with ExitStack() as stack:
        stack.enter_context(_locked(build_dir / ".lock", f"build folder {build_dir}"))
        stack.enter_context(_locked(site.parent / f".{site.name}.lock", f"site folder {site}"))
        remove_leftovers(build_dir, site)
        yield


def remove_leftovers(build_dir: Path, site: Path) -> list[Path]:
    """Temporary notebooks in ``build_dir/runs`` and half-rendered copies of ``site`` beside it
    (``.<site>-*``, ``.<site>.old``): only a build writes them, and this one holds the locks."""
    found = [*Path(build_dir).glob("runs/**/.*.ipynb")]
    found += [p for p in site.parent.glob(f".{site.name}-*") if p.is_dir()]
    found += [p for p in [site.parent / f".{site.name}.old"] if p.exists()]
    for path in found:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return found
