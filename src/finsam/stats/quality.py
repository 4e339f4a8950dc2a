"""Data-quality reconciliation of a förbund's year: real SUS data disagree with themselves
(Statistikbilaga 2022, Insjöriket: 238 registrations but 209 persons; 164 ended in one section, 159
in another). Each
check states the numbers on both sides and whether they agree, instead of hiding a difference.

The counts of the section form a table of their own (``datakvalitet``, :func:`quality_table`)
that is protected together with every other table of the site; the texts print the protected
counts, ``..`` where a count is hidden (:mod:`finsam.report.reconciliation`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from finsam.stats import periods
from finsam.stats.flows import participations_in_year
from finsam.stats.population import Population
from finsam.stats.support import ended_in_year

QUALITY_TABLE = "datakvalitet"

# The counts of the section, in the order they are printed.
QUALITY_COUNTS = (
    "registreringar",
    "unika",
    "upprepade",
    "pagaende_vid_arets_borjan",
    "nya",
    "avslutade",
    "berakning_pagaende",
    "pagaende_vid_periodens_slut",
    "med_avslutsorsak",
    "utan_avslutsorsak",
    "remisser",
    "tilldelade",
    "startade",
    "ej_startade",
    "okand_start",
    "startade_utan_insats",
    "nya_i_remissinsatser",
)


@dataclass(frozen=True)
class QualityFacts:
    """The true counts of a förbund-year's reconciliations (by :data:`QUALITY_COUNTS` name), the
    insatser that receive referrals and the period."""

    counts: dict[str, int]
    referred_insatser: tuple[str, ...]
    year: int
    period_end: dt.date


def quality_facts(pop: Population) -> QualityFacts:
    """Count everything the data-quality section states, for one förbund and year."""
    part, year = pop.deltaganden, pop.year
    samtliga = participations_in_year(part, year)
    persons = int(samtliga["person_id"].nunique())
    at_start = int((samtliga["startdatum"] < pd.Timestamp(year, 1, 1)).sum())
    new = int(periods.started_in_year(samtliga, year).sum())
    ended_rows = ended_in_year(part, year)
    ended = len(ended_rows)
    without = int(ended_rows["avslutsorsak"].isna().sum())
    refs = pop.remisser[pop.remisser["datum"].dt.year == year]
    started = int(refs["startad"].eq("ja").sum())
    not_started = int(refs["startad"].eq("nej").sum())
    referred = tuple(sorted(set(refs["insats"].dropna())))
    counts = {
        "registreringar": len(samtliga),
        "unika": persons,
        "upprepade": len(samtliga) - persons,
        "pagaende_vid_arets_borjan": at_start,
        "nya": new,
        "avslutade": ended,
        "berakning_pagaende": max(at_start + new - ended, 0),
        "pagaende_vid_periodens_slut": int(periods.ongoing_on(samtliga, pop.period_end).sum()),
        "med_avslutsorsak": ended - without,
        "utan_avslutsorsak": without,
        "remisser": len(refs),
        "tilldelade": int(refs["insats"].notna().sum()),
        "startade": started,
        "ej_startade": not_started,
        "okand_start": len(refs) - started - not_started,
        "startade_utan_insats": int((refs["startad"].eq("ja") & refs["insats"].isna()).sum()),
        "nya_i_remissinsatser": int(
            (periods.started_in_year(samtliga, year) & samtliga["insats"].isin(set(referred))).sum()
        ),
    }
    return QualityFacts(counts, referred, year, pop.period_end)


def quality_table(facts: QualityFacts) -> pd.DataFrame:
    """The section's counts as a tidy table (``kategori`` = count name, ``kon`` = ``totalt``)."""
    rows = [(name, "totalt", facts.counts[name]) for name in QUALITY_COUNTS]
    return pd.DataFrame(rows, columns=["kategori", "kon", "antal"]).astype({"antal": "int64"})
