"""Data-quality reconciliation of a förbund's year: real SUS data disagree with themselves
(seed 000: 238 registrations but 209 persons; 164 ended in one section, 159 in another). Each
check states the numbers on both sides and whether they agree, instead of hiding a difference.

Counts from 1 up to the suppression threshold are written "färre än N" so that the section
reveals no small group either.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finsam import periods
from finsam.flows import participations_in_year
from finsam.population import Population
from finsam.present import swedish_date, swedish_int
from finsam.support import ended_in_year


@dataclass(frozen=True)
class QualityFinding:
    """One reconciliation: ``check`` names it, ``consistent`` says whether both sides agree,
    ``text`` states the numbers in Swedish."""

    check: str
    consistent: bool
    text: str


def _n(value: int, threshold: int) -> str:
    return f"färre än {threshold + 1}" if 1 <= value <= threshold else swedish_int(value)


def quality_findings(pop: Population, threshold: int = 4) -> list[QualityFinding]:
    """The four reconciliations of the förbund page, in order."""
    n = lambda v: _n(int(v), threshold)  # noqa: E731
    part, year = pop.deltaganden, pop.year
    samtliga = participations_in_year(part, year)
    findings = []

    persons = samtliga["person_id"].nunique()
    repeated = len(samtliga) - persons
    findings.append(
        QualityFinding(
            "Registreringar och unika personer",
            repeated == 0,
            f"{n(len(samtliga))} deltaganden med personuppgifter under {year} gäller {n(persons)} "
            f"unika personer"
            + (
                f": {n(repeated)} deltaganden är en persons andra eller senare "
                "registrering (parallella insatser eller återkomst)."
                if repeated
                else "."
            ),
        )
    )

    first = pd.Timestamp(year, 1, 1)
    at_start = int((samtliga["startdatum"] < first).sum())
    new = int(periods.started_in_year(samtliga, year).sum())
    ended = int(periods.ended_in_year(samtliga, year).sum())
    at_end = int(periods.ongoing_on(samtliga, pop.period_end).sum())
    expected = at_start + new - ended
    text = (
        f"Pågående vid årets början {n(at_start)} + nya {n(new)} − avslutade {n(ended)} = "
        f"{n(max(expected, 0))}; pågående den {swedish_date(pop.period_end)} enligt "
        f"registreringarna: {n(at_end)}."
    )
    if expected != at_end:
        text += (
            " Skillnaden beror på att periodens slut inte är årets sista dag: deltaganden "
            "som startat eller avslutats mellan årsskiftet och periodens slut räknas olika."
        )
    findings.append(QualityFinding("Pågående, nya och avslutade", expected == at_end, text))

    ended_rows = ended_in_year(part, year)
    without = int(ended_rows["avslutsorsak"].isna().sum())
    findings.append(
        QualityFinding(
            "Avslutade med och utan avslutsorsak",
            without == 0,
            f"{n(len(ended_rows))} deltaganden avslutades under {year}; "
            f"{n(len(ended_rows) - without)} har en avslutsorsak och {n(without)} saknar "
            "avslutsorsak.",
        )
    )

    refs = pop.remisser[pop.remisser["datum"].dt.year == year]
    assigned = int(refs["insats"].notna().sum())
    started = int(refs["startad"].eq("ja").sum())
    not_started = int(refs["startad"].eq("nej").sum())
    unknown = len(refs) - started - not_started
    started_without = int((refs["startad"].eq("ja") & refs["insats"].isna()).sum())
    referred_insatser = set(refs["insats"].dropna())
    new_in_referred = int(
        (periods.started_in_year(samtliga, year) & samtliga["insats"].isin(referred_insatser)).sum()
    )
    consistent = started_without == 0 and unknown == 0
    names = ", ".join(sorted(referred_insatser)) or "inga"
    findings.append(
        QualityFinding(
            "Remisser till insats och startade",
            consistent,
            f"Av {n(len(refs))} remisser under {year} är {n(assigned)} tilldelade en insats; "
            f"{n(started)} är markerade som startade, {n(not_started)} som inte startade och "
            f"{n(unknown)} saknar uppgift. {n(started_without)} startade remisser saknar insats. "
            f"I insatserna som tar emot remisser ({names}) "
            f"startade {n(new_in_referred)} nya deltaganden med personuppgifter under året"
            + (
                ""
                if new_in_referred == started
                else f", att jämföra med {n(started)} startade remisser (deltaganden kan starta "
                "utan remiss, t.ex. vid återkomst, och en remiss kan starta först året efter)"
            )
            + ".",
        )
    )
    return findings
