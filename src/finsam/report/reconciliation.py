"""The texts of the data-quality section: each reconciliation of a förbund's year with the
protected counts of its table (:mod:`finsam.stats.quality`), ``..`` where a count is hidden."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from finsam.report.present import count_text, swedish_date
from finsam.stats.quality import QualityFacts


@dataclass(frozen=True)
class QualityFinding:
    """One reconciliation: ``check`` names it, ``consistent`` says whether both sides agree,
    ``text`` states the (protected) numbers in Swedish."""

    check: str
    consistent: bool
    text: str


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
