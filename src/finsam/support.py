"""Support (försörjning) before and after an insats: sources of support are multi-valued, so the
tables count *mentions* and their shares are of all mentions (seed 003 Bilaga 3 "Försörjning
före": 10 523 mentions for 9 489 women).

Populations: before — *samtliga* participations of the year; after and the change — the
participations with personal data ended in the year.
"""

from __future__ import annotations

import pandas as pd

from finsam import codes, periods
from finsam.flows import participations_in_year
from finsam.tidy import count_by_gender, explode_codes, genders_present


def ended_in_year(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """Participations with personal data ended in ``year`` (the base of all outcome tables)."""
    frame = participations_in_year(deltaganden, year)
    return frame[periods.ended_in_year(frame, year)]


def support_before(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``forsorjning_fore``: mentions of each support source before start × gender."""
    frame = explode_codes(participations_in_year(deltaganden, year), "forsorjning_fore")
    return count_by_gender(
        frame,
        "forsorjning_fore",
        list(codes.FORSORJNING),
        genders=genders_present(participations_in_year(deltaganden, year)),
    )


def support_after(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``forsorjning_efter``: mentions of each support source after ended insats × gender."""
    ended = ended_in_year(deltaganden, year)
    return count_by_gender(
        explode_codes(ended, "forsorjning_efter"),
        "forsorjning_efter",
        list(codes.FORSORJNING),
        genders=genders_present(ended),
    )


def support_change(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``forsorjningsforandring``: for participations ended in the year, mentions of each source
    before (``tidpunkt=fore``) and after (``efter``) × gender (seed 000, seed 003 Bilaga 4)."""
    ended = ended_in_year(deltaganden, year)
    genders = genders_present(ended)
    parts = []
    for moment, column in (("fore", "forsorjning_fore"), ("efter", "forsorjning_efter")):
        table = count_by_gender(
            explode_codes(ended, column), column, list(codes.FORSORJNING), genders=genders
        )
        parts.append(table.assign(tidpunkt=moment))
    return pd.concat(parts, ignore_index=True)[["kategori", "tidpunkt", "kon", "antal"]]
