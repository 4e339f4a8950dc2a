"""Which participations and referrals belong to a year (the data contract's counting rules)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from finsam.errors import FinsamError

# A period may end within its year (a part of the year) or up to the end of the first quarter
# after it (the extraction date of a yearly report, e.g. 4 January).
LAST_PERIOD_END = (3, 31)


def parse_period_end(text: str | None, year: int, option: str = "--period-end") -> str | None:
    """``text`` as an ISO date (``YYYY-MM-DD``) between 1 January of ``year`` and 31 March of the
    year after; any other form or date is an error naming ``option`` and the window."""
    if text is None:
        return None
    first, last = dt.date(year, 1, 1), dt.date(year + 1, *LAST_PERIOD_END)
    window = f"a date YYYY-MM-DD from {first.isoformat()} to {last.isoformat()}"
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise FinsamError(f"{option} {text!r}: expected {window} (year {year})")
    if not first <= day <= last:
        raise FinsamError(
            f"{option} {text}: outside the reporting window of {year}; expected {window}"
        )
    return day.isoformat()


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
