"""What a notebook calls to show a result: a table, a chart, a paragraph, the data notice.

These are the only display calls notebooks make, so every page looks the same and no raw
frame (with ``person_id`` or birth years) is ever displayed.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Image, Markdown, display

from finsam import charts
from finsam.present import html_table, swedish_int, wide_by_gender

SYNTHETIC_NOTICE = (
    "**Observera: deltagaruppgifterna på denna sida är syntetiska.** De är framställda av "
    "programmet för att visa rapportens form och liknar i storlek de verkliga uppgifterna, men "
    "de beskriver inga verkliga personer och får inte användas som statistik."
)


def markdown(text: str) -> None:
    display(Markdown(text))


def data_notice(meta: Mapping) -> None:
    """The notice every page built from synthetic data carries."""
    if meta.get("synthetic"):
        display(HTML(f'<div class="finsam-notice" role="note">{_md_bold(SYNTHETIC_NOTICE)}</div>'))


def _md_bold(text: str) -> str:
    head, _, tail = text.partition("**")[2].partition("**")
    return f"<strong>{head}</strong>{tail}"


def table(
    tidy: pd.DataFrame, labels: Mapping[str, str], caption: str, row_header: str, table_id: str
) -> None:
    """A tidy (kategori, kon, antal) table as an accessible HTML table."""
    display(HTML(html_table(wide_by_gender(tidy, labels), caption, row_header, table_id)))


def chart(
    tidy: pd.DataFrame,
    labels: Mapping[str, str],
    title: str,
    *,
    horizontal: bool = False,
    only: tuple[str, ...] | None = None,
) -> None:
    """Grouped bars as PNG, with an alt text that states the totals shown; ``only`` limits the
    categories drawn."""
    if only is not None:
        tidy = tidy[tidy["kategori"].isin(only)]
    fig = charts.grouped_bars(tidy, labels, title, horizontal=horizontal)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    display(Image(data=buffer.getvalue(), format="png", alt=alt_text(tidy, labels, title)))


def alt_text(tidy: pd.DataFrame, labels: Mapping[str, str], title: str) -> str:
    """ "Stapeldiagram: <title>. Totalt: Mölndal 24, Partille 13, …"."""
    totals = tidy[(tidy["kon"] == "totalt") & (tidy["antal"] > 0)]
    parts = ", ".join(
        f"{labels.get(k, k)} {swedish_int(n)}"
        for k, n in zip(totals["kategori"], totals["antal"], strict=True)
    )
    return f"Stapeldiagram: {title}. Totalt per grupp: {parts or 'inga'}."
