"""Display formatting, the final step: Swedish labels and numbers, HTML tables.

Numbers are formatted as the seeds print them: thousands separated by a space (``17 501``),
decimal comma (``7,7``), percent with a space (``34 %``). The space is a no-break space
(U+00A0) so a number never wraps.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from finsam.codes import KON

NBSP = "\u00a0"
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def swedish_int(value: int) -> str:
    """``17501`` → ``17 501`` (no-break space)."""
    return f"{int(value):,}".replace(",", NBSP)


def round_half_up(value: float, digits: int = 0) -> Decimal:
    """Round as the seeds do, halves away from zero: ``33.5`` → ``34``, ``2.45`` → ``2.5``.

    Goes through the shortest decimal text of the float, so ``2.675`` rounds to ``2.68``."""
    step = Decimal(1).scaleb(-digits)
    return Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)


def swedish_percent(share: float) -> str:
    """A share in percent (unrounded, e.g. ``34.47``) as printed: ``34 %``."""
    return f"{round_half_up(share)}{NBSP}%"


def swedish_decimal(value: float, digits: int = 1) -> str:
    """``7.66`` → ``7,7``; ``-12.39`` → ``-12,4`` (half away from zero)."""
    rounded = round_half_up(value, digits)
    sign = "-" if rounded < 0 else ""
    whole, _, frac = str(abs(rounded)).partition(".")
    return f"{sign}{swedish_int(int(whole))}{',' + frac if frac else ''}"


def swedish_date(day: dt.date | pd.Timestamp) -> str:
    """``2022-08-31`` → ``31 augusti 2022``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def wide_by_gender(tidy: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Tidy (kategori, kon, antal) → one row per category label, one column per gender label."""
    wide = tidy.pivot(index="kategori", columns="kon", values="antal")
    wide = wide.loc[list(dict.fromkeys(tidy["kategori"])), list(dict.fromkeys(tidy["kon"]))]
    wide.index = [labels.get(c, c) for c in wide.index]
    wide.columns = [KON[g] for g in wide.columns]
    return wide


def html_table(wide: pd.DataFrame, caption: str, row_header: str, table_id: str) -> str:
    """An accessible HTML table: caption, column and row headers with scope, numbers right."""
    esc = html.escape
    head = "".join(f'<th scope="col" class="num">{esc(str(c))}</th>' for c in wide.columns)
    body = []
    for label, values in wide.iterrows():
        cells = "".join(f'<td class="num">{swedish_int(v)}</td>' for v in values)
        body.append(f'<tr><th scope="row">{esc(str(label))}</th>{cells}</tr>')
    return (
        f'<table class="finsam-table" id="{esc(table_id)}">'
        f"<caption>{esc(caption)}</caption>"
        f'<thead><tr><th scope="col">{esc(row_header)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
