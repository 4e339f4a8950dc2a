"""The build's progress: phases and pages done of the total with the time left, as plain lines
where there is no terminal (CI) and as a live bar on one."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from finsam.pipeline.execute import RunResult
from finsam.pipeline.matrix import Run
from finsam.pipeline.progress import ConsoleProgress, duration_text

FORBUND = "Samordningsförbundet Insjöriket"


def results() -> list[RunResult]:
    return [
        RunResult(Run("forbund", 2022, FORBUND), Path("a.ipynb"), True),
        RunResult(Run("kommun", 2022, FORBUND, "1481", "Mölndal"), Path("b.ipynb"), False),
        RunResult(Run("kommun", 2022, FORBUND, "1402", "Partille"), Path("c.ipynb"), True, "boom"),
    ]


def test_plain_lines_count_pages_and_say_the_time_left():
    text = io.StringIO()
    progress = ConsoleProgress(Console(file=text, width=200))
    assert not progress.live  # not a terminal
    progress.phase("protecting small counts")
    progress.phase("executing pages", 3)
    for result in results():
        progress.page(result)
    progress.close()
    lines = text.getvalue().splitlines()
    assert lines[0] == "protecting small counts …"
    assert lines[1] == "executing pages: 3 pages"
    assert lines[2].startswith("  [1/3] executed  forbund/2022/samordningsforbundet-insjoriket")
    assert "left)" in lines[2] and "left)" in lines[3]
    assert lines[3].startswith("  [2/3] unchanged kommun/2022/molndal")
    assert lines[4] == "  [3/3] failed    kommun/2022/partille: boom"  # the last: nothing left


def test_a_terminal_gets_a_live_bar_and_the_same_page_lines():
    text = io.StringIO()
    progress = ConsoleProgress(Console(file=text, width=120, force_terminal=True))
    assert progress.live
    progress.phase("executing pages", 3)
    assert progress.bar is not None
    for result in results():
        progress.page(result)
    progress.close()
    assert progress.bar is None
    assert "[3/3] failed    kommun/2022/partille: boom" in text.getvalue()


def test_durations_read_as_minutes_and_seconds():
    assert duration_text(8.2) == "8 s"
    assert duration_text(75) == "1 min 15 s"
