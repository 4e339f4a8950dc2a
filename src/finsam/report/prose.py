"""Short Swedish texts stating a table's key numbers, as the seeds write them.

Texts are built from the *protected* tables: a suppressed number reads ``..`` in the text too,
so the prose never discloses what a table hides.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from finsam.report.present import count_text, swedish_date


def _count(tidy: pd.DataFrame, kategori: str, kon: str):
    hit = tidy[(tidy["kategori"] == kategori) & (tidy["kon"] == kon)]["antal"]
    return hit.iloc[0] if len(hit) else 0


def _n(value, one: str, many: str) -> str:
    return f"{count_text(value)} {one if not pd.isna(value) and value == 1 else many}"


def _split(tidy: pd.DataFrame, kategori: str) -> str | None:
    """ "3 kvinnor och 2 män", or ``None`` when the table is published without a gender split."""
    if not tidy["kon"].eq("kvinna").any():
        return None
    return (
        f"{_n(_count(tidy, kategori, 'kvinna'), 'kvinna', 'kvinnor')} och "
        f"{_n(_count(tidy, kategori, 'man'), 'man', 'män')}"
    )


def _women_men(tidy: pd.DataFrame, kategori: str) -> str:
    """ " (3 kvinnor och 2 män)", or "" without a gender split."""
    split = _split(tidy, kategori)
    return f" ({split})" if split else ""


def _positive(value) -> bool:
    return pd.isna(value) or value > 0


def flow_summary(
    flow: pd.DataFrame,
    year: int,
    kommun_name: str | None = None,
    subject: str = "förbundet",
    period_end: dt.date | None = None,
) -> str:
    """The paragraph of Statistikbilaga 2022, Insjöriket: "Under perioden januari till och med
    december 2022 har förbundet
    registrerat 238 deltagare (varav 209 unika) …"; for a kommun, the participants living there."""
    c = lambda k: _count(flow, k, "totalt")  # noqa: E731
    counted = (
        f"{_n(c('samtliga'), 'deltagare', 'deltagare')} (varav {count_text(c('unika'))} unika)"
    )
    if kommun_name is None:
        opening = f"har {subject} registrerat {counted} med personuppgifter"
    else:
        opening = f"har {counted} skrivna i {kommun_name} registrerats med personuppgifter"
    text = (
        f"Under perioden januari till och med december {year} {opening}"
        f"{_women_men(flow, 'samtliga')}. "
        f"{count_text(c('nya'))} deltagare har tillkommit under året{_women_men(flow, 'nya')}, "
        f"{count_text(c('avslutade'))} har avslutats{_women_men(flow, 'avslutade')} och "
        f"{count_text(c('pagaende'))} pågick vid periodens slut "
        f"({swedish_date(period_end or dt.date(year, 12, 31))})."
    )
    if _positive(c("anonyma")):
        who = _split(flow, "anonyma") or _n(c("anonyma"), "deltagare", "deltagare")
        text += f" Därutöver har {who} registrerats anonymt."
    if _positive(c("volym")):
        text += f" I volyminsatser har {_n(c('volym'), 'deltagare', 'deltagare')} registrerats."
    return text


def referral_summary(
    by_group: pd.DataFrame,
    year: int,
    last: pd.Timestamp | None,
    kommun_name: str | None = None,
    subject: str = "förbundet",
) -> str:
    """ "Under 2022 har förbundet tagit emot 77 remisser (46 kvinnor och 31 män). …", from a
    protected referral table with its ``totalt`` row."""
    total = _count(by_group, "totalt", "totalt")
    about = "" if kommun_name is None else f" för personer skrivna i {kommun_name}"
    if not _positive(total):
        return f"Under {year} har {subject} inte tagit emot någon remiss{about}."
    text = (
        f"Under {year} har {subject} tagit emot {_n(total, 'remiss', 'remisser')}{about}"
        f"{_women_men(by_group, 'totalt')}."
    )
    if last is not None:
        text += f" Den senaste remissen under året kom in den {swedish_date(last)}."
    return text


def structural_summary(struktur: pd.DataFrame, year: int) -> str:
    """ "Under de strukturövergripande insatserna har 195 deltagare registrerats under 2022.",
    from the protected ``struktur`` table (its ``totalt`` row of participants)."""
    participants = _count(struktur[struktur["matt"] == "deltagare"], "totalt", "totalt")
    if not _positive(participants):
        return f"Inga deltagare i strukturövergripande insatser har registrerats under {year}."
    return (
        f"Under de strukturövergripande insatserna har "
        f"{_n(participants, 'deltagare', 'deltagare')} registrerats under {year}."
    )


INCOMPLETE_WITHOUT_DATA_DAYS = 30
"""Without a declared extraction date, data whose latest recorded date lies more than this many
days before the period's end is taken to end there (a förbund registers something every month)."""


def incomplete_period_note(
    period_end: dt.date, data_until: dt.date | None, declared: bool
) -> str | None:
    """The sentence a page states when its data ends before its period does (Swedish), else
    ``None``. With a declared extraction date (``declared``), any date before the period's end
    makes the period incomplete; with only the latest recorded date, a gap of more than
    :data:`INCOMPLETE_WITHOUT_DATA_DAYS` days does."""
    if data_until is None or data_until >= period_end:
        return None
    if declared:
        return (
            f"Uppgifterna togs ut ur SUS den {swedish_date(data_until)}. Det som registrerats "
            f"efter det saknas, så perioden till och med {swedish_date(period_end)} är inte "
            "komplett och talen för hela perioden blir högre."
        )
    if (period_end - data_until).days <= INCOMPLETE_WITHOUT_DATA_DAYS:
        return None
    return (
        f"De senaste uppgifterna i underlaget är från den {swedish_date(data_until)}. Perioden "
        f"till och med {swedish_date(period_end)} är alltså inte komplett och talen för hela "
        "perioden blir högre."
    )
