"""What a build reports as it goes: its phases, and the pages done of the total with the time
left. On a terminal a live bar (rich) with the finished pages printed above it; elsewhere (CI, a
log file) plain lines."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from finsam.pipeline.execute import RunResult


class BuildProgress:
    """Reports nothing: the base for a build run from code or tests."""

    def phase(self, name: str, total: int = 0) -> None:
        """A phase begins (``total``: the pages it works through, 0 if not counted)."""

    def page(self, result: RunResult) -> None:
        """A page of the counted phase is done (executed, unchanged or failed)."""

    def close(self) -> None:
        """The build is over (also when it failed or was interrupted)."""


def duration_text(seconds: float) -> str:
    """``75`` → ``1 min 15 s``; ``8.2`` → ``8 s``."""
    seconds = round(seconds)
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


class ConsoleProgress(BuildProgress):
    """Progress on ``console``: a live bar when it is a terminal, else a line per event. Each
    finished page is a line ``[done/total] state page``, with the time left estimated from the
    pages done so far."""

    def __init__(self, console: Console, live: bool | None = None):
        self.console = console
        self.live = console.is_terminal if live is None else live
        self.total = self.done = 0
        self.started = time.monotonic()
        self.bar: Progress | None = None

    def phase(self, name: str, total: int = 0) -> None:
        self.close()
        self.total, self.done, self.started = total, 0, time.monotonic()
        if self.live and total:
            self.bar = Progress(
                TextColumn(name),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self.task = self.bar.add_task(name, total=total)
            self.bar.start()
        else:
            self.console.print(f"{name}: {total} pages" if total else f"{name} …")

    def page(self, result: RunResult) -> None:
        self.done += 1
        width = len(str(self.total))
        line = f"  [{self.done:>{width}}/{self.total}] {result.state:9} {result.run.page}"
        if result.error:
            line += f": {result.error}"
        left = self.total - self.done
        if left and not self.bar:
            per_page = (time.monotonic() - self.started) / self.done
            line += f"  (about {duration_text(per_page * left)} left)"
        self.console.print(line, markup=False, highlight=False, soft_wrap=True)
        if self.bar:
            self.bar.advance(self.task)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()
            self.bar = None
