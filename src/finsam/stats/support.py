"""Support (försörjning) before and after an insats: sources of support are multi-valued, so the
tables count *mentions* and their shares are of all mentions (Försäkringskassans rapport 2021,
Bilaga 3 "Försörjning före": 10 523 mentions for 9 489 women).

Populations: before — *samtliga* participations of the year; after and the change — the
participations with personal data ended in the year.
"""

from __future__ import annotations

import pandas as pd

from finsam.inputs import codes
from finsam.stats import periods
from finsam.stats.flows import participations_in_year
from finsam.stats.tidy import mentions_by_gender


def ended_in_year(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """Participations with personal data ended in ``year`` (the base of all outcome tables)."""
    frame = participations_in_year(deltaganden, year)
    return frame[periods.ended_in_year(frame, year)]


def support_before(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``forsorjning_fore``: mentions of each support source before start × gender."""
    frame = participations_in_year(deltaganden, year)
    return mentions_by_gender(frame, "forsorjning_fore", codes.FORSORJNING)


def support_after(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``forsorjning_efter``: mentions of each support source after ended insats × gender."""
    return mentions_by_gender(
        ended_in_year(deltaganden, year), "forsorjning_efter", codes.FORSORJNING
    )


def support_change(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``forsorjningsforandring``: for participations ended in the year, mentions of each
    source before (``tidpunkt=fore``) and after (``efter``) × gender (Statistikbilaga 2022,
    Insjöriket; Försäkringskassans rapport 2021, Bilaga 4)."""
    ended = ended_in_year(deltaganden, year)
    parts = [
        mentions_by_gender(ended, column, codes.FORSORJNING).assign(tidpunkt=moment)
        for moment, column in (("fore", "forsorjning_fore"), ("efter", "forsorjning_efter"))
    ]
    return pd.concat(parts, ignore_index=True)[["kategori", "tidpunkt", "kon", "antal"]]
