"""The national figures published in Försäkringskassans rapport 2021, read from the
store, as time series and as comparison columns beside a population's own shares."""

from __future__ import annotations

import pandas as pd

from finsam.inputs.store import Store

SERIES = {
    "insatser_over_tid": "Tabell 1. Antal insatser och andel individinriktade och "
    "strukturövergripande insatser",
    "deltagare_over_tid": "Tabell 4. Antal deltagare i individinriktade insatser",
    "arbete_studier_over_tid": "Tabell 5. Arbete eller studier efter avslutad insats (procent)",
    "aktivt_arbetssokande_over_tid": "Tabell 6. Aktivt arbetssökande efter avslutad insats "
    "(procent)",
    "dagar_skillnad_over_tid": "Tabell 7. Skillnad i dagar med ersättning före och efter insats",
}
SOURCE = (
    "Källa: Försäkringskassan, Redovisning av målgrupper och resultat av de insatser som "
    "finansieras av samordningsförbund 2021."
)


def series(store: Store, name: str) -> pd.DataFrame:
    """One national table, e.g. ``arbete_studier_over_tid``."""
    return store.table(f"nationellt_{name}")


def compare_shares(table: pd.DataFrame, store: Store, tabell: str) -> pd.DataFrame:
    """Beside a protected table's total shares (``andel``, kon ``totalt``), the national shares
    of 2021 for the same categories (Försäkringskassans rapport 2021 Bilaga 3): columns
    ``kategori``, ``andel``,
    ``andel_nationellt``; categories the national table lacks get no national share."""
    national = store.table("nationellt_bilaga3_2021")
    national = national[(national["tabell"] == tabell) & (national["kon"] == "totalt")]
    total = national.loc[national["kategori"] == "totalt", "antal"].iloc[0]
    shares = (national.set_index("kategori")["antal"] / total * 100).drop("totalt")
    own = table[(table["kon"] == "totalt") & (table["kategori"] != "totalt")]
    return pd.DataFrame(
        {
            "kategori": own["kategori"].to_numpy(),
            "andel": own["andel"].to_numpy(),
            "andel_nationellt": own["kategori"].map(shares).to_numpy(),
        }
    )
