"""Counting by gender into tidy tables: the shape every statistic in the package returns.

A tidy table has one row per (``kategori``, ``kon``) with an integer ``antal``. ``kon`` runs
``kvinna``, ``man``, ``okant`` (only where the data hold any) and ``totalt``. Every category
asked for appears, with zeros where nothing was counted, in the order asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from finsam.inputs.codes import GENDERS

TIDY_COLUMNS = ["kategori", "kon", "antal"]


def genders_present(frame: pd.DataFrame) -> list[str]:
    """``kvinna``, ``man`` and ``okant`` if any row has it, then ``totalt``."""
    shown = ["kvinna", "man"]
    if "kon" in frame and frame["kon"].eq("okant").any():
        shown.append("okant")
    return [*shown, "totalt"]


def count_by_gender(
    frame: pd.DataFrame,
    category: str,
    categories: Sequence[str],
    *,
    distinct: str | None = None,
    genders: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Rows of ``frame`` counted per value of ``category`` × ``kon``, plus ``totalt``.

    With ``distinct``, counts distinct values of that column instead of rows (``totalt`` is then
    distinct over all genders, not the sum). Values of ``category`` outside ``categories`` are
    not counted.
    """
    genders = list(genders or genders_present(frame))
    frame = frame[frame[category].isin(list(categories))]
    if distinct is None:
        by_gender = frame.groupby([category, "kon"], observed=True).size()
        total = frame.groupby(category, observed=True).size()
    else:
        by_gender = frame.groupby([category, "kon"], observed=True)[distinct].nunique()
        total = frame.groupby(category, observed=True)[distinct].nunique()
    counts = {(c, g): int(n) for (c, g), n in by_gender.items()}
    counts |= {(c, "totalt"): int(n) for c, n in total.items()}
    rows = [(c, g, counts.get((c, g), 0)) for c in categories for g in genders]
    return pd.DataFrame(rows, columns=TIDY_COLUMNS).astype({"antal": "int64"})


def stack(parts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Tidy tables of one category each (``kategori`` = key) stacked, genders aligned."""
    genders: list[str] = []
    for part in parts.values():
        genders += [g for g in part["kon"] if g not in genders]
    order = [g for g in (*GENDERS, "totalt") if g in genders]
    rows = []
    for key, part in parts.items():
        got = dict(zip(part["kon"], part["antal"], strict=True))
        rows += [(key, g, int(got.get(g, 0))) for g in order]
    return pd.DataFrame(rows, columns=TIDY_COLUMNS).astype({"antal": "int64"})


def explode_codes(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per code of a multi-valued ``;`` cell (a row with an empty cell is dropped):
    counting the result counts *mentions*, not participations."""
    codes = frame[column].dropna().str.split(";")
    return frame.loc[codes.index].assign(**{column: codes}).explode(column)


def mentions_by_gender(frame: pd.DataFrame, column: str, categories: Sequence[str]) -> pd.DataFrame:
    """Mentions of each code of a multi-valued column × gender; the gender columns are those of
    the participations in ``frame`` (a gender with no mention still gets its zeros)."""
    return count_by_gender(
        explode_codes(frame, column), column, list(categories), genders=genders_present(frame)
    )


def categories_with_missing(
    frame: pd.DataFrame, column: str, categories: Sequence[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Missing or unknown values of ``column`` become :data:`~finsam.inputs.codes.EJ_ANGIVET`, which
    is added to the categories only when some row has it."""
    from finsam.inputs.codes import EJ_ANGIVET

    known = frame[column].where(frame[column].isin(list(categories)), EJ_ANGIVET)
    frame = frame.assign(**{column: known})
    shown = list(categories) + ([EJ_ANGIVET] if known.eq(EJ_ANGIVET).any() else [])
    return frame, shown
