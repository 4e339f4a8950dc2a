"""Key figures of a förbund or kommun for every year of its site, protected.

The years are the site's (the run matrix's ``years``; ``auto`` is every year of the data), so a
one-year site shows one year and is protected as before. Each year's figures are the cells its
own year's page publishes (counts of both genders together), hidden exactly where that page
hides them: the site-wide protection covers every year's page of the population (a page's
protection keys include them), so the section adds no count that the site does not already
publish, and nothing that could be worked out from it.

Counting rules (as on the year's page):

- *Deltagare*: participations with personal data active some day of the year (deltagarflöde,
  samtliga);
- *Nya*, *Avslutade*: of those, started or ended in the year;
- *Remisser*: referrals received in the year (all remitterande parter);
- *Till arbete eller studier*: the share (%) of the participations ended in the year whose end
  reason was work or studies (avslutsorsak), of all ended with a stated or missing reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from finsam.inputs.store import open_store
from finsam.stats.population import population
from finsam.stats.protection.plan import pages_masks, protected_page, read_mask
from finsam.stats.protection.publication import population_key

KEY_FIGURES = (
    # column, table, category, value ("antal" or "andel")
    ("Deltagare", "deltagarflode", "samtliga", "antal"),
    ("Nya", "deltagarflode", "nya", "antal"),
    ("Avslutade", "deltagarflode", "avslutade", "antal"),
    ("Remisser", "remisser_remittent", "totalt", "antal"),
    ("Till arbete eller studier", "avslutsorsak", "arbete_studier", "andel"),
)
TABLES = tuple(dict.fromkeys(table for _, table, _, _ in KEY_FIGURES))


def key_figures_over_time(
    store_path: str | Path,
    level: str,
    name: str,
    years: Sequence[int] | None,
    threshold: int,
    protection: str | Path | None = None,
    known: dict[int, dict[str, pd.DataFrame]] | None = None,
) -> pd.DataFrame:
    """The key figures of the förbund or kommun ``name`` (``level``) for each of ``years``
    (default: every year the data reports on), one row per year: ``ar`` and per figure its
    value (``NaN`` where hidden or without a base) and ``<figure>_undertryckt``.

    With ``protection`` (the site's mask file) each year is hidden as on its page; without, the
    years are protected together here, as one publication. ``known`` gives the protected tables
    of years already at hand (the page's own year; with ``protection`` only), which are not
    computed again."""
    store = open_store(store_path)
    years = list(years) if years else store.reporting_years()
    known = (known or {}) if protection is not None else {}  # alone: all years together
    pops = {year: population(store, level, name, int(year)) for year in years if year not in known}
    keys = {year: population_key(pop) for year, pop in pops.items()}
    fingerprint = store.meta()["fingerprint"]
    if protection is None:
        masks = pages_masks(store, list(keys.values()), threshold)
    else:
        masks = {
            key.id: read_mask(Path(protection), fingerprint, threshold, key)
            for key in keys.values()
        }
    rows = []
    for year in years:
        if year in known:
            tables = known[year]
        else:
            tables = protected_page(pops[year], keys[year], masks[keys[year].id], TABLES).tables
        row: dict[str, object] = {"ar": int(year)}
        for column, table_id, kategori, value in KEY_FIGURES:
            table = tables[table_id]
            totals = table[table["kon"] == "totalt"].set_index("kategori")
            if kategori not in totals.index:  # a category nobody is in: the table shows no row
                row[column] = 0 if value == "antal" else float("nan")
                row[f"{column}_undertryckt"] = False
                continue
            hidden = bool(totals.at[kategori, "undertryckt"])
            if value == "andel":  # withheld also where its base (the column total) is hidden
                hidden = hidden or bool(totals["undertryckt"].get("totalt", False))
            row[column] = totals.at[kategori, value]
            row[f"{column}_undertryckt"] = hidden
        rows.append(row)
    return pd.DataFrame(rows)
