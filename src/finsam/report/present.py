"""Display formatting, the final step: Swedish labels and numbers, HTML tables.

Numbers are formatted as the seeds print them: thousands separated by a space (``17 501``),
decimal comma (``7,7``), percent with a space (``34 %``). The space is a no-break space
(U+00A0) so a number never wraps.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Collection, Mapping
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from finsam.inputs.codes import KON
from finsam.stats.disclosure import SUPPRESSED

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


# Shown on every page built from a dataset whose dataset.yml says synthetic: true (Markdown).
SYNTHETIC_NOTICE = (
    "**Observera: deltagaruppgifterna på denna sida är syntetiska.** De är framställda av "
    "programmet för att visa rapportens form och liknar i storlek de verkliga uppgifterna, men "
    "de beskriver inga verkliga personer och får inte användas som statistik."
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


def count_text(value) -> str:
    """A published count: ``17 501``, or ``..`` where suppressed (missing)."""
    return SUPPRESSED if pd.isna(value) else swedish_int(value)


def share_text(share: float, suppressed: bool) -> str:
    """A published share: ``34 %``, ``..`` where suppressed, empty where there is no base."""
    if pd.isna(share):
        return SUPPRESSED if suppressed else ""
    return swedish_percent(share)


# A cell of numbers: right-aligned by the style sheet and, through the inline style that pandoc's
# HTML reader takes for the column's alignment, in the PDF too (Quarto reads tables the same way).
NUM = ' class="num" style="text-align: right"'
LABELS = ' style="text-align: left"'  # a column of labels, in the header cell (the PDF's too)
SWEDISH_LETTERS = str.maketrans(
    {"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003", "é": "e", "ü": "y"}
)


def swedish_order(name: str) -> str:
    """A sort key putting names in Swedish alphabetical order: case ignored, å, ä, ö after z
    (``sorted(["Örebro", "Åre", "Ale"], key=swedish_order)`` → Ale, Åre, Örebro)."""
    return name.casefold().translate(SWEDISH_LETTERS)


def element_id(table_id: str) -> str:
    """A table's id in the page: words joined by ``_``, never ``-``, since Quarto reads an id
    with a hyphen as a cross-reference label of the type before it (``tbl-…``, ``fig-…``) and
    warns when the type is not one it knows."""
    return table_id.replace("-", "_")


def protected_html(
    table: pd.DataFrame,
    labels: Mapping[str, str],
    caption: str,
    row_header: str,
    table_id: str,
    shares: bool = True,
) -> str:
    """An accessible HTML table of one protected tidy slice (``kategori``, ``kon``, ``antal``,
    ``andel``, ``undertryckt``): a count column per gender, each followed by its share when
    ``shares``; a ``totalt`` category becomes the bold last row. A share is ``..`` where its
    count or its column total is suppressed."""
    esc = html.escape
    genders = list(dict.fromkeys(table["kon"]))
    cells = {
        (k, g): (a, s, u)
        for k, g, a, s, u in zip(
            table["kategori"],
            table["kon"],
            table["antal"],
            table["andel"],
            table["undertryckt"],
            strict=True,
        )
    }
    head = []
    for g in genders:
        head.append(f'<th scope="col"{NUM}>{esc(KON[g])}</th>')
        if shares:
            head.append(f'<th scope="col"{NUM}>Andel {esc(KON[g].lower())}</th>')
    rows = []
    for kategori in dict.fromkeys(table["kategori"]):
        is_total = kategori == "totalt"
        label = "Totalt" if is_total else labels.get(kategori, kategori)
        tds = []
        for g in genders:
            antal, andel, hidden = cells[(kategori, g)]
            tds.append(f"<td{NUM}>{count_text(antal)}</td>")
            if shares:
                withheld = bool(hidden) or bool(cells.get(("totalt", g), (0, 0, False))[2])
                tds.append(f"<td{NUM}>{share_text(andel, withheld)}</td>")
        css = ' class="total"' if is_total else ""
        rows.append(f'<tr{css}><th scope="row">{esc(str(label))}</th>{"".join(tds)}</tr>')
    return (
        f'<table class="finsam-table" id="{esc(element_id(table_id))}">'
        f"<caption>{esc(caption)}</caption>"
        f'<thead><tr><th scope="col"{LABELS}>{esc(row_header)}</th>{"".join(head)}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


TOTAL_ROWS = ("Totalt", "Summa")
WIDE_COLUMNS = 6  # a table with more columns is set closer, to fit beside the contents


def frame_html(
    frame: pd.DataFrame,
    caption: str,
    table_id: str,
    formats: Mapping[str, object] | None = None,
    text_columns: Collection[str] = (),
) -> str:
    """A small display frame (already labelled) as an accessible HTML table; the first column
    is the row header, a row headed "Totalt" or "Summa" is the bold total row; the other
    columns are right-aligned numbers except ``text_columns``; ``formats`` maps a column to a
    function giving its cell text."""
    esc = html.escape
    formats = formats or {}
    columns = list(frame.columns)

    def align(i: int, column: object) -> str:
        return LABELS if i == 0 or column in text_columns else NUM

    head = "".join(
        f'<th scope="col"{align(i, c)}>{esc(str(c))}</th>' for i, c in enumerate(columns)
    )
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for i, (column, value) in enumerate(zip(columns, record, strict=True)):
            text = (
                formats[column](value)
                if column in formats
                else ("" if pd.isna(value) else str(value))
            )
            cells.append(
                f'<th scope="row">{esc(text)}</th>'
                if i == 0
                else f"<td{'' if column in text_columns else NUM}>{esc(text)}</td>"
            )
        total = ' class="total"' if str(record[0]) in TOTAL_ROWS else ""
        rows.append(f"<tr{total}>{''.join(cells)}</tr>")
    css = "finsam-table finsam-wide" if len(columns) > WIDE_COLUMNS else "finsam-table"
    return (
        f'<table class="{css}" id="{esc(element_id(table_id))}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
