"""Participant flow (deltagarflöde): samtliga, unika, nya, pågående, avslutade, anonyma, volym.

Counting rules (data contract; Statistikbilaga 2022, Insjöriket "Deltagarflöden"):

* ``samtliga`` — participations registered with personal data (``personuppgifter``) active any
  day of the year. One person in two insatser counts twice.
* ``unika`` — distinct ``person_id`` among ``samtliga``.
* ``nya`` — of ``samtliga``, those started in the year.
* ``pagaende`` — of ``samtliga``, those still active at the end of the period (default
  31 December of the year): started on or before it and not ended on or before it.
* ``avslutade`` — of ``samtliga``, those ended in the year.
* ``anonyma`` — anonymously registered participations started in the year (SUS follows them by
  gender and start year only).
* ``volym`` — participations registered in volume insatser, started in the year.

With the default period end, ``samtliga − avslutade = pagaende`` holds exactly.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from finsam.stats import periods
from finsam.stats.tidy import count_by_gender, genders_present, stack

# The categories Statistikbilaga 2022, Insjöriket draws in its flow charts.
CHART_CATEGORIES = ("samtliga", "nya", "pagaende", "avslutade")


def with_personal_data(deltaganden: pd.DataFrame) -> pd.DataFrame:
    return deltaganden[deltaganden["registrering"] == "personuppgifter"]


def participations_in_year(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """Participations with personal data active any day of ``year`` (*samtliga*)."""
    personal = with_personal_data(deltaganden)
    return personal[periods.active_in_year(personal, year)]


def participant_flow(
    deltaganden: pd.DataFrame, year: int, period_end: dt.date | None = None
) -> pd.DataFrame:
    """Tidy flow table: ``kategori`` in :data:`~finsam.inputs.codes.DELTAGARFLODE` order ×
    ``kon``."""
    period_end = period_end or dt.date(year, 12, 31)
    samtliga = participations_in_year(deltaganden, year)
    started = periods.started_in_year(deltaganden, year)
    subsets = {
        "samtliga": samtliga,
        "unika": samtliga,
        "nya": samtliga[periods.started_in_year(samtliga, year)],
        "pagaende": samtliga[periods.ongoing_on(samtliga, period_end)],
        "avslutade": samtliga[periods.ended_in_year(samtliga, year)],
        "anonyma": deltaganden[(deltaganden["registrering"] == "anonym") & started],
        "volym": deltaganden[(deltaganden["registrering"] == "volym") & started],
    }
    genders = genders_present(pd.concat(subsets.values()))
    parts = {
        key: count_by_gender(
            frame.assign(_all=key),
            "_all",
            [key],
            genders=genders,
            distinct="person_id" if key == "unika" else None,
        )
        for key, frame in subsets.items()
    }
    return stack(parts)


def participations_by(
    deltaganden: pd.DataFrame, year: int, column: str, categories: list[str]
) -> pd.DataFrame:
    """Tidy table of *samtliga* participations of ``year`` per value of ``column`` × gender
    (e.g. per ``insats`` or per ``kommun``); a person in two insatser counts in both."""
    return count_by_gender(participations_in_year(deltaganden, year), column, categories)


def by_registration(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``registrering`` (Försäkringskassans rapport 2021 §4.1): participations with personal data
    active in the year,
    anonymous and volume participations started in the year; ``kon`` is ``totalt`` only, as
    volume participations are counted as a number only."""
    started = periods.started_in_year(deltaganden, year)
    counts = {
        "personuppgifter": len(participations_in_year(deltaganden, year)),
        "anonym": int(((deltaganden["registrering"] == "anonym") & started).sum()),
        "volym": int(((deltaganden["registrering"] == "volym") & started).sum()),
    }
    return pd.DataFrame(
        [(k, "totalt", n) for k, n in counts.items()], columns=["kategori", "kon", "antal"]
    ).astype({"antal": "int64"})
