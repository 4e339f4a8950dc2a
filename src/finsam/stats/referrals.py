"""Referrals (remissinflöde): referrals received in a year, by kommun or by referring party.

Counting rule: a referral belongs to year Y if its ``datum`` (date received) falls in Y. Each
row of ``remisser`` is one referral; a person referred twice counts twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from finsam.inputs.codes import REMITTENT
from finsam.stats.tidy import count_by_gender


def referrals_in_year(remisser: pd.DataFrame, year: int) -> pd.DataFrame:
    return remisser[remisser["datum"].dt.year == year]


def referrals_by_kommun(remisser: pd.DataFrame, year: int, kommuner: Sequence[str]) -> pd.DataFrame:
    """Tidy table of referrals per home kommun (``kategori`` = kommunkod) × gender.

    ``kommuner`` (the förbund's members) come first in their order, zeros included; referrals
    from other kommuner follow, by code.
    """
    received = referrals_in_year(remisser, year)
    others = sorted(set(received["kommun"].dropna()) - set(kommuner))
    return count_by_gender(received, "kommun", [*kommuner, *others])


def referrals_by_party(remisser: pd.DataFrame, year: int) -> pd.DataFrame:
    """Tidy table of referrals per referring party (``kategori`` = remittent code) × gender,
    every party of the contract included."""
    return count_by_gender(referrals_in_year(remisser, year), "remittent", list(REMITTENT))


def last_referral_date(remisser: pd.DataFrame, year: int) -> pd.Timestamp | None:
    """Date of the last referral received in ``year`` (``None`` if there was none)."""
    received = referrals_in_year(remisser, year)
    return None if received.empty else received["datum"].max()
