"""What happened when a participation ended: end reason, occupation after, time in insats, and
the result shares of Försäkringskassans rapport 2021 §4.2 (tables 5–6).

Population: participations with personal data ended in the year ("Outcome shares use ended
participations registered with personal data"). "Arbete eller studier" = any of
``arbete_osubventionerat``, ``arbete_subventionerat``, ``eget_foretag``, ``studier`` in the
occupation column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finsam.inputs import codes
from finsam.stats.demographics import age_at_start
from finsam.stats.support import ended_in_year
from finsam.stats.tidy import (
    categories_with_missing,
    count_by_gender,
    genders_present,
    mentions_by_gender,
)

DAYS_PER_MONTH = 365.25 / 12
MONTH_BINS = [0, 6, 12, 18, 24, np.inf]


def months_in_insats(deltaganden: pd.DataFrame) -> pd.Series:
    """Started months from start to end, both days included: 1–30 days is 1 month, 183 days
    is 7 months (a month is 365.25 / 12 days)."""
    days = (deltaganden["slutdatum"] - deltaganden["startdatum"]).dt.days + 1
    return np.ceil(days / DAYS_PER_MONTH).clip(lower=1)


def by_end_reason(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``avslutsorsak``: end reason of participations ended in the year × gender."""
    frame, shown = categories_with_missing(
        ended_in_year(deltaganden, year), "avslutsorsak", list(codes.AVSLUTSORSAK)
    )
    return count_by_gender(frame, "avslutsorsak", shown)


def by_occupation_after(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``sysselsattning_efter``: mentions of each occupation after ended insats × gender. One
    participation may end towards several (Statistikbilaga 2022, Insjöriket: 39 rows for 26
    persons)."""
    return mentions_by_gender(
        ended_in_year(deltaganden, year), "sysselsattning_efter", codes.SYSSELSATTNING
    )


def by_time_in_insats(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``tid_i_insats``: months in insats of participations ended in the year × gender."""
    ended = ended_in_year(deltaganden, year)
    bins = pd.cut(months_in_insats(ended), MONTH_BINS, labels=list(codes.TID_I_INSATS))
    return count_by_gender(
        ended.assign(manader=bins.astype(object)), "manader", list(codes.TID_I_INSATS)
    )


def names_any(column: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    """Whether each multi-valued cell names any of ``wanted`` (a boolean row mask, also when
    empty)."""
    found = column.fillna("").str.split(";").map(lambda items: any(i in wanted for i in items))
    return found.astype(bool)


def results(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``resultat``: of participations ended in the year, how many were in work or studies
    before and after, actively job-seeking after, ended towards continued rehabilitation or
    illness — for all, under 30 / 30 and older at start, and those with aktivitetsersättning
    before. ``kategori`` is the measure (``avslutade`` is the base of the shares), ``grupp`` the
    group."""
    ended = ended_in_year(deltaganden, year)
    age = age_at_start(ended)
    groups = {
        "alla": pd.Series(True, index=ended.index),
        "under_30": (age < 30).fillna(False).astype(bool),
        "30_och_aldre": (age >= 30).fillna(False).astype(bool),
        "aktivitetsersattning_fore": names_any(
            ended["forsorjning_fore"], ("aktivitetsersattning",)
        ),
    }
    measures = {
        "avslutade": pd.Series(True, index=ended.index),
        "arbete_studier_fore": names_any(ended["sysselsattning_fore"], codes.ARBETE_ELLER_STUDIER),
        "arbete_studier_efter": names_any(
            ended["sysselsattning_efter"], codes.ARBETE_ELLER_STUDIER
        ),
        "aktivt_arbetssokande": names_any(ended["sysselsattning_efter"], ("aktivt_arbetssokande",)),
        "fortsatt_rehabilitering": ended["avslutsorsak"]
        .eq("fortsatt_rehabilitering")
        .fillna(False)
        .astype(bool),
        "sjukdom": ended["avslutsorsak"].eq("sjukdom").fillna(False).astype(bool),
    }
    genders = genders_present(ended)
    parts = []
    for group, in_group in groups.items():
        rows = [ended[in_group & hit].assign(matt=name) for name, hit in measures.items()]
        table = count_by_gender(pd.concat(rows), "matt", list(measures), genders=genders)
        parts.append(table.assign(grupp=group))
    return pd.concat(parts, ignore_index=True)[["kategori", "grupp", "kon", "antal"]]
