"""Structural insatser (strukturövergripande): staff and managers of the parties, counted as a
number per insats and year (Statistikbilaga 2022, Insjöriket: 195 participants; Försäkringskassans
rapport 2021 §3.3, table 3)."""

from __future__ import annotations

import pandas as pd

from finsam.inputs import codes


def structural_by_orientation(
    strukturdeltagare: pd.DataFrame, insatser: pd.DataFrame, year: int
) -> pd.DataFrame:
    """``struktur``: per orientation, the number of structural insatser with participants in
    the year (``matt=insatser``) and their participants (``matt=deltagare``); ``kon`` is
    ``totalt`` only, as the split by gender is optional in the data."""
    orientation = insatser.loc[
        insatser["typ"] == "strukturovergripande", ["forbund", "insats", "inriktning"]
    ]
    rows = strukturdeltagare[strukturdeltagare["ar"] == year].merge(
        orientation, on=["forbund", "insats"], how="inner"
    )
    parts = []
    for kategori in codes.INRIKTNING_STRUKTUR:
        hit = rows[rows["inriktning"] == kategori]
        parts.append((kategori, "insatser", "totalt", len(hit)))
        parts.append((kategori, "deltagare", "totalt", int(hit["antal"].sum())))
    return pd.DataFrame(parts, columns=["kategori", "matt", "kon", "antal"]).astype(
        {"antal": "int64"}
    )
