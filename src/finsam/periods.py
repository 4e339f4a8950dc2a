"""Which participations and referrals belong to a year (the data contract's counting rules)."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def year_bounds(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of ``year``."""
    return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)


def active_in_year(deltaganden: pd.DataFrame, year: int) -> pd.Series:
    """True for participations active on any day of ``year``: started on or before 31 December
    and not ended before 1 January."""
    first, last = year_bounds(year)
    start, end = deltaganden["startdatum"], deltaganden["slutdatum"]
    return (start <= last) & (end.isna() | (end >= first))


def started_in_year(deltaganden: pd.DataFrame, year: int) -> pd.Series:
    return deltaganden["startdatum"].dt.year == year


def ended_in_year(deltaganden: pd.DataFrame, year: int) -> pd.Series:
    return deltaganden["slutdatum"].dt.year == year


def ongoing_on(deltaganden: pd.DataFrame, day: dt.date | pd.Timestamp) -> pd.Series:
    """True for participations started on or before ``day`` and not ended by then (an end on
    ``day`` itself counts as ended)."""
    day = pd.Timestamp(day)
    start, end = deltaganden["startdatum"], deltaganden["slutdatum"]
    return (start <= day) & (end.isna() | (end > day))
