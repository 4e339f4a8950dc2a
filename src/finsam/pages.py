"""Everything one report page needs, computed from the store: förbund × year, kommun × year.

Notebooks call :func:`forbund_year` or :func:`kommun_year` and show the result; all counting is
in the modules these call, so every number on a page is reachable by a unit test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from finsam import flows, prose, referrals
from finsam.store import Store


@dataclass(frozen=True)
class PageContext:
    forbund: str
    year: int
    period_end: dt.date
    meta: dict
    kommun_names: dict[str, str]


@dataclass(frozen=True)
class ForbundYear:
    context: PageContext
    members: list[str]
    insatser: list[str]
    referrals_by_kommun: pd.DataFrame
    referrals_by_party: pd.DataFrame
    referral_text: str
    flow: pd.DataFrame
    flow_text: str
    participations_by_insats: pd.DataFrame
    participations_by_kommun: pd.DataFrame
    structural_participants: int
    structural_text: str


@dataclass(frozen=True)
class KommunYear:
    context: PageContext
    kommun: str
    kommun_name: str
    referrals_by_party: pd.DataFrame
    referral_text: str
    flow: pd.DataFrame
    flow_text: str
    participations_by_insats: pd.DataFrame


def _context(
    store: Store, forbund: str, year: int, period_end: str | dt.date | None
) -> PageContext:
    if forbund not in store.forbund_in_data():
        raise ValueError(
            f"förbund {forbund!r} has no data in {store.path}; "
            f"förbund with data: {', '.join(store.forbund_in_data())}"
        )
    end = pd.Timestamp(period_end).date() if period_end else dt.date(year, 12, 31)
    names = store.table("kommuner")
    return PageContext(
        forbund,
        int(year),
        end,
        store.meta(),
        dict(zip(names["kommunkod"], names["kommun"], strict=True)),
    )


def members_of(store: Store, forbund: str) -> list[str]:
    """Member kommunkoder of a förbund, from the register in the store."""
    members = store.table("forbund_medlemmar")
    return members.loc[members["forbund"] == forbund, "kommunkod"].tolist()


def resolve_kommun_in_store(store: Store, kommun: str) -> str:
    """Kommunkod for a code or a name, using the reference table in the store."""
    table = store.table("kommuner")
    text = str(kommun).strip()
    hit = table[(table["kommunkod"] == text) | (table["kommun"].str.casefold() == text.casefold())]
    if hit.empty:
        raise ValueError(f"kommun {kommun!r} is neither an SCB kommunkod nor a kommun name")
    return str(hit["kommunkod"].iloc[0])


def forbund_year(
    store: Store, forbund: str, year: int, period_end: str | dt.date | None = None
) -> ForbundYear:
    """Tables and texts of the förbund page for one year."""
    ctx = _context(store, forbund, year, period_end)
    part = store.participations(forbund)
    refs = store.referrals(forbund)
    insatser = store.insatser(forbund)
    individual = insatser.loc[insatser["typ"] == "individinriktad", "insats"].tolist()
    members = members_of(store, forbund)
    in_data = sorted(set(part["kommun"].dropna()) - set(members))
    flow = flows.participant_flow(part, ctx.year, ctx.period_end)
    by_kommun = referrals.referrals_by_kommun(refs, ctx.year, members)
    structural = store.structural_participants(forbund)
    n_structural = int(structural.loc[structural["ar"] == ctx.year, "antal"].sum())
    return ForbundYear(
        context=ctx,
        members=members,
        insatser=individual,
        referrals_by_kommun=by_kommun,
        referrals_by_party=referrals.referrals_by_party(refs, ctx.year),
        referral_text=prose.referral_summary(
            by_kommun, ctx.year, referrals.last_referral_date(refs, ctx.year)
        ),
        flow=flow,
        flow_text=prose.flow_summary(flow, ctx.year),
        participations_by_insats=flows.participations_by(part, ctx.year, "insats", individual),
        participations_by_kommun=flows.participations_by(
            part, ctx.year, "kommun", members + in_data
        ),
        structural_participants=n_structural,
        structural_text=prose.structural_summary(n_structural, ctx.year),
    )


def kommun_year(
    store: Store, forbund: str, kommun: str, year: int, period_end: str | dt.date | None = None
) -> KommunYear:
    """Tables and texts of a member kommun's page for one year (seed 000's per-kommun part)."""
    ctx = _context(store, forbund, year, period_end)
    code = resolve_kommun_in_store(store, kommun)
    name = ctx.kommun_names[code]
    part = store.participations(forbund)
    part = part[part["kommun"] == code]
    refs = store.referrals(forbund)
    refs = refs[refs["kommun"] == code]
    insatser = store.insatser(forbund)
    individual = insatser.loc[insatser["typ"] == "individinriktad", "insats"].tolist()
    by_party = referrals.referrals_by_party(refs, ctx.year)
    flow = flows.participant_flow(part, ctx.year, ctx.period_end)
    return KommunYear(
        context=ctx,
        kommun=code,
        kommun_name=name,
        referrals_by_party=by_party,
        referral_text=prose.referral_summary(
            by_party, ctx.year, referrals.last_referral_date(refs, ctx.year), kommun_name=name
        ),
        flow=flow,
        flow_text=prose.flow_summary(flow, ctx.year, kommun_name=name),
        participations_by_insats=flows.participations_by(part, ctx.year, "insats", individual),
    )
