"""Data-quality reconciliation of a förbund's year: real SUS data disagree with themselves
(seed 000: 238 registrations but 209 persons; 164 ended in one section, 159 in another). Each
check states the numbers on both sides and whether they agree, instead of hiding a difference.

The counts of the section form a table of their own (``datakvalitet``, :func:`quality_table`)
that is protected together with every other table of the site; the texts print the protected
counts, ``..`` where a count is hidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from finsam import periods
from finsam.flows import participations_in_year
from finsam.population import Population
from finsam.present import count_text, swedish_date
from finsam.support import ended_in_year

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


@dataclass(frozen=True)
class QualityFinding:
    """One reconciliation: ``check`` names it, ``consistent`` says whether both sides agree,
    ``text`` states the (protected) numbers in Swedish."""

    check: str
    consistent: bool
    text: str


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


def quality_findings(facts: QualityFacts, protected: pd.DataFrame) -> list[QualityFinding]:
    """The four reconciliations of the förbund page, in order, with the counts of the
    ``protected`` quality table (``antal`` missing where hidden)."""
    shown = dict(zip(protected["kategori"], protected["antal"], strict=True))
    n = lambda name: count_text(shown[name])  # noqa: E731
    c, year = facts.counts, facts.year
    findings = []

    repeated = c["upprepade"]
    findings.append(
        QualityFinding(
            "Registreringar och unika personer",
            repeated == 0,
            f"{n('registreringar')} deltaganden med personuppgifter under {year} gäller "
            f"{n('unika')} unika personer"
            + (
                f": {n('upprepade')} deltaganden är en persons andra eller senare "
                "registrering (parallella insatser eller återkomst)."
                if repeated
                else "."
            ),
        )
    )

    agree = c["berakning_pagaende"] == c["pagaende_vid_periodens_slut"]
    text = (
        f"Pågående vid årets början {n('pagaende_vid_arets_borjan')} + nya {n('nya')} − "
        f"avslutade {n('avslutade')} = {n('berakning_pagaende')}; pågående den "
        f"{swedish_date(facts.period_end)} enligt registreringarna: "
        f"{n('pagaende_vid_periodens_slut')}."
    )
    if not agree:
        text += (
            " Skillnaden beror på att periodens slut inte är årets sista dag: deltaganden "
            "som startat eller avslutats mellan årsskiftet och periodens slut räknas olika."
        )
    findings.append(QualityFinding("Pågående, nya och avslutade", agree, text))

    findings.append(
        QualityFinding(
            "Avslutade med och utan avslutsorsak",
            c["utan_avslutsorsak"] == 0,
            f"{n('avslutade')} deltaganden avslutades under {year}; "
            f"{n('med_avslutsorsak')} har en avslutsorsak och {n('utan_avslutsorsak')} saknar "
            "avslutsorsak.",
        )
    )

    names = ", ".join(facts.referred_insatser) or "inga"
    same = c["nya_i_remissinsatser"] == c["startade"]
    findings.append(
        QualityFinding(
            "Remisser till insats och startade",
            c["startade_utan_insats"] == 0 and c["okand_start"] == 0,
            f"Av {n('remisser')} remisser under {year} är {n('tilldelade')} tilldelade en insats; "
            f"{n('startade')} är markerade som startade, {n('ej_startade')} som inte startade och "
            f"{n('okand_start')} saknar uppgift. {n('startade_utan_insats')} startade remisser "
            f"saknar insats. I insatserna som tar emot remisser ({names}) "
            f"startade {n('nya_i_remissinsatser')} nya deltaganden med personuppgifter under året"
            + (
                ""
                if same
                else f", att jämföra med {n('startade')} startade remisser (deltaganden kan "
                "starta utan remiss, t.ex. vid återkomst, och en remiss kan starta först året "
                "efter)"
            )
            + ".",
        )
    )
    return findings
