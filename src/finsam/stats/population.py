"""The population a set of tables describes: the whole country (``riket``), one förbund or one
kommun, in one year, with the rows of the store that belong to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from finsam.errors import FinsamError
from finsam.inputs.reference import kommun_name, resolve_kommun, suggest_kommun
from finsam.inputs.store import Store

LEVELS = ("riket", "forbund", "kommun")


@dataclass(frozen=True)
class Population:
    """``level`` riket/forbund/kommun; ``name`` the förbund or kommun name (``None`` for riket);
    ``kommuner`` the kommunkoder shown in per-kommun tables, in order."""

    level: str
    name: str | None
    year: int
    period_end: dt.date
    deltaganden: pd.DataFrame
    remisser: pd.DataFrame
    insatser: pd.DataFrame
    strukturdeltagare: pd.DataFrame
    kommuner: list[str]
    kommun_names: dict[str, str]
    forbund: tuple[str, ...]

    @property
    def label(self) -> str:
        return "Riket" if self.level == "riket" else str(self.name)


def members_of(store: Store, forbund: str) -> list[str]:
    """Member kommunkoder of a förbund, from the register in the store, in its order."""
    members = store.table("forbund_medlemmar")
    return members.loc[members["forbund"] == forbund, "kommunkod"].tolist()


def kommun_code(value: str) -> str:
    """SCB kommunkod of a kommun code or name; a clear error if it names no kommun."""
    code = resolve_kommun(str(value)) if value else None
    if code is None:
        near = suggest_kommun(str(value)) if value else None
        hint = f"; did you mean {near}?" if near else ""
        raise FinsamError(f"kommun {value!r} is neither an SCB kommunkod nor a kommun name{hint}")
    return code


def member_code(store: Store, forbund: str, value: str) -> str:
    """SCB kommunkod of a kommun that is a member of ``forbund``; an error naming the members
    otherwise (a page for a kommun outside the förbund would count nobody)."""
    code = kommun_code(value)
    members = members_of(store, forbund)
    if code not in members:
        raise FinsamError(
            f"kommun {kommun_name(code)} ({code}) is not a member of {forbund}; its members: "
            + ", ".join(f"{kommun_name(c)} ({c})" for c in members)
        )
    return code


def population(
    store: Store, level: str, name: str | None, year: int, period_end: str | dt.date | None = None
) -> Population:
    """Select the rows of ``store`` for one level, name and year (rows of other years stay:
    the counting functions pick the year)."""
    if level not in LEVELS:
        raise FinsamError(f"level {level!r}: expected one of {', '.join(LEVELS)}")
    end = pd.Timestamp(period_end).date() if period_end else dt.date(int(year), 12, 31)
    kommuner_ref = store.table("kommuner")
    names = dict(zip(kommuner_ref["kommunkod"], kommuner_ref["kommun"], strict=True))
    part, refs = store.participations(), store.referrals()
    insatser, struktur = store.insatser(), store.structural_participants()
    in_data = store.forbund_in_data()
    if level == "riket":
        if name:
            raise FinsamError("level riket takes no --name")
        chosen = tuple(in_data)
        codes = sorted(set(part["kommun"].dropna()) | set(refs["kommun"].dropna()))
    elif level == "forbund":
        if name not in in_data:
            raise FinsamError(
                f"förbund {name!r} has no data; förbund with data: {', '.join(in_data) or 'none'}"
            )
        chosen = (name,)
        own = members_of(store, name)
        extra = set(part.loc[part["forbund"] == name, "kommun"].dropna())
        extra |= set(refs.loc[refs["forbund"] == name, "kommun"].dropna())
        codes = own + sorted(extra - set(own))
    else:
        code = kommun_code(name)
        part, refs = part[part["kommun"] == code], refs[refs["kommun"] == code]
        chosen = tuple(sorted(set(part["forbund"]) | set(refs["forbund"])))
        codes, name = [code], names[code]
    keep = lambda frame: frame[frame["forbund"].isin(chosen)]  # noqa: E731
    if level == "kommun":
        struktur = struktur.iloc[0:0]  # structural insatser are counted per förbund only
    return Population(
        level,
        name,
        int(year),
        end,
        keep(part),
        keep(refs),
        keep(insatser),
        keep(struktur),
        codes,
        names,
        chosen,
    )
