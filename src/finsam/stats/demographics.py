"""Who the participants are: age at start, education, time on public support, and the
orientation (inriktning) of the insats they take part in.

Population: *samtliga* — participations with personal data active any day of the year
(Försäkringskassans rapport 2021
Bilaga 3 counts these: 17 501 in 2021). One person in two insatser counts twice. Missing values
are counted as "Uppgift saknas" (code ``ej_angivet``), shown only when they occur.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finsam.inputs import codes
from finsam.stats.flows import participations_in_year
from finsam.stats.tidy import categories_with_missing, count_by_gender

AGE_BINS = [-np.inf, 29, 44, 59, np.inf]


def age_at_start(deltaganden: pd.DataFrame) -> pd.Series:
    """Age in whole years reached in the start year: start year − birth year."""
    return deltaganden["startdatum"].dt.year - deltaganden["fodelsear"].astype("Float64")


def by_age(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``alder``: -29, 30-44, 45-59, 60- years at start × gender."""
    frame = participations_in_year(deltaganden, year)
    age = age_at_start(frame).astype(float)
    group = pd.cut(age, AGE_BINS, labels=list(codes.ALDERSGRUPP)).astype(object)
    frame, shown = categories_with_missing(
        frame.assign(aldersgrupp=group), "aldersgrupp", list(codes.ALDERSGRUPP)
    )
    return count_by_gender(frame, "aldersgrupp", shown)


def _by_code(deltaganden: pd.DataFrame, year: int, column: str, labels: dict) -> pd.DataFrame:
    frame, shown = categories_with_missing(
        participations_in_year(deltaganden, year), column, list(labels)
    )
    return count_by_gender(frame, column, shown)


def by_education(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``utbildning``: highest completed education × gender."""
    return _by_code(deltaganden, year, "utbildning", codes.UTBILDNING)


def by_time_on_support(deltaganden: pd.DataFrame, year: int) -> pd.DataFrame:
    """``tid_offentlig_forsorjning``: time on public support before start × gender."""
    return _by_code(deltaganden, year, "tid_offentlig_forsorjning", codes.TID_OFFENTLIG_FORSORJNING)


def by_orientation(deltaganden: pd.DataFrame, insatser: pd.DataFrame, year: int) -> pd.DataFrame:
    """``inriktning``: participations per orientation of their insats × gender."""
    orientation = insatser.drop_duplicates(["forbund", "insats"])[
        ["forbund", "insats", "inriktning"]
    ]
    frame = participations_in_year(deltaganden, year).merge(
        orientation, on=["forbund", "insats"], how="left"
    )
    frame, shown = categories_with_missing(frame, "inriktning", list(codes.INRIKTNING_INDIVID))
    return count_by_gender(frame, "inriktning", shown)
