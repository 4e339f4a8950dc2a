"""A förbund's accounts from its finance file: figures per year, the figures derived from them
(soliditet, the cash-flow statement) and the consistency checks of what was published.

Pure functions over the tidy finance table (columns of :mod:`finsam.inputs.finance_codes`).
The cash-flow statement is *derived* (indirect method) from the income statement and the balance
sheets of the
year and the year before, never copied from a stated one; a stated one is checked against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from finsam.inputs.finance_codes import (
    INCOME_LINES,
    NOTE_SUMS,
    NOTES,
    OPERATING_LINES,
    STATUTORY_SHARES,
)


def figures(finances: pd.DataFrame, forbund: str, year: int, unit: str = "kr") -> dict[str, int]:
    """The figures of one förbund and year in ``unit`` without a ``del`` (post → amount). A
    figure published in several reports is taken from the report of that year, else from the
    latest report that gives it."""
    rows = finances[
        (finances["forbund"] == forbund)
        & (finances["ar"] == year)
        & (finances["enhet"] == unit)
        & (finances["del"].fillna("") == "")
    ]
    chosen: dict[str, tuple[tuple[bool, int], int]] = {}
    for post, amount, source in zip(rows["post"], rows["belopp"], rows["kalla"], strict=True):
        report = _report_year(source)
        rank = (report == year, report)
        if post not in chosen or rank > chosen[post][0]:
            chosen[post] = (rank, int(amount))
    return {post: amount for post, (_, amount) in chosen.items()}


def statement_years(finances: pd.DataFrame, forbund: str) -> list[int]:
    """The years for which ``forbund`` gives an income statement (its result): the years of its
    financial report pages, ascending."""
    stated = finances[(finances["forbund"] == forbund) & (finances["post"] == "rr_arets_resultat")]
    return sorted({int(year) for year in stated["ar"]})


def _report_year(source: object) -> int:
    found = re.search(r"\b(19|20)\d{2}\b", str(source or ""))
    return int(found.group(0)) if found else 0


def rounded(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up (away from zero), as reports round."""
    return int((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), ROUND_HALF_UP))


def whole_percent(part: int, whole: int) -> int:
    """``100 · part / whole`` rounded half up to a whole percent."""
    return rounded(100 * part, whole)


def equity_ratio(finances: pd.DataFrame, forbund: str, year: int) -> int | None:
    """Soliditet: eget kapital / summa tillgångar at 31 December, in whole percent; ``None``
    without a balance sheet."""
    balance = figures(finances, forbund, year)
    if "br_eget_kapital" not in balance or not balance.get("br_summa_tillgangar"):
        return None
    return whole_percent(balance["br_eget_kapital"], balance["br_summa_tillgangar"])


def income(statement: dict[str, int]) -> int | None:
    """Verksamhetens intäkter (kr) of an income statement's figures, ``None`` without any."""
    lines = [statement[c] for c in INCOME_LINES if c in statement]
    return sum(lines) if lines else None


def costs(statement: dict[str, int]) -> int | None:
    """Verksamhetens kostnader including depreciation, as a positive amount (kr), as the
    overview and the driftredovisning state them; ``None`` without a cost line."""
    if "rr_verksamhetens_kostnader" not in statement:
        return None
    return -(statement["rr_verksamhetens_kostnader"] + statement.get("rr_avskrivningar", 0))


def in_tkr(value: int | None) -> int | None:
    """Kronor as whole tkr, rounded half up."""
    return None if value is None else rounded(value, 1000)


def liquid_funds(balance: dict[str, int]) -> int | None:
    """Likvida medel: kassa och bank plus kortfristiga placeringar (kr)."""
    if "br_kassa_bank" not in balance:
        return None
    return balance["br_kassa_bank"] + balance.get("br_kortfristiga_placeringar", 0)


def derived_cash_flow(finances: pd.DataFrame, forbund: str, year: int) -> dict[str, int | None]:
    """The cash-flow statement of ``year`` (kr, post codes ``kf_*``) derived by the indirect
    method: the year's result, depreciation added back, the change in receivables and
    short-term liabilities between the two balance sheets, acquisitions of fixed assets (their
    change plus depreciation) and the change in long-term liabilities. Without last year's
    balance sheet only the year's cash flow is derived, from the liquid funds at the start
    that the förbund states; the other lines are ``None``."""
    now, before = figures(finances, forbund, year), figures(finances, forbund, year - 1)
    result = now.get("rr_arets_resultat")
    depreciation = -now.get("rr_avskrivningar", 0)
    flow: dict[str, int | None] = dict.fromkeys(
        (
            "kf_arets_resultat",
            "kf_ej_likviditetspaverkande",
            "kf_fore_rorelsekapital",
            "kf_forandring_fordringar",
            "kf_forandring_kortfristiga_skulder",
            "kf_lopande_verksamheten",
            "kf_investeringsverksamheten",
            "kf_finansieringsverksamheten",
            "kf_arets_kassaflode",
            "kf_likvida_medel_borjan",
            "kf_likvida_medel_slut",
        )
    )
    closing = liquid_funds(now)
    opening = liquid_funds(before)
    if opening is None:
        opening = now.get("kf_likvida_medel_borjan")
    flow["kf_likvida_medel_borjan"], flow["kf_likvida_medel_slut"] = opening, closing
    if closing is not None and opening is not None:
        flow["kf_arets_kassaflode"] = closing - opening
    needed = ("br_fordringar", "br_kortfristiga_skulder")
    if result is None or not all(k in now and k in before for k in needed):
        return flow
    operating = result + depreciation
    receivables = before["br_fordringar"] - now["br_fordringar"]
    liabilities = now["br_kortfristiga_skulder"] - before["br_kortfristiga_skulder"]
    fixed = now.get("br_anlaggningstillgangar", 0) - before.get("br_anlaggningstillgangar", 0)
    flow.update(
        kf_arets_resultat=result,
        kf_ej_likviditetspaverkande=depreciation,
        kf_fore_rorelsekapital=operating,
        kf_forandring_fordringar=receivables,
        kf_forandring_kortfristiga_skulder=liabilities,
        kf_lopande_verksamheten=operating + receivables + liabilities,
        kf_investeringsverksamheten=-(fixed + depreciation),
        kf_finansieringsverksamheten=now.get("br_langfristiga_skulder", 0)
        - before.get("br_langfristiga_skulder", 0),
    )
    return flow


@dataclass(frozen=True)
class Inconsistency:
    """A published figure that disagrees with what the other published figures give."""

    forbund: str
    year: int
    check: str  # what was checked, in Swedish
    stated: int
    expected: int
    unit: str = "kr"

    @property
    def difference(self) -> int:
        return self.stated - self.expected


def inconsistencies(finances: pd.DataFrame) -> list[Inconsistency]:
    """Every disagreement among the published figures of every förbund and year: lines and
    their totals, the balance sheet, equity against the year's result, a stated cash-flow
    statement against the derived one, notes against their statement lines, the overview and
    the driftredovisning (tkr, ±1 for rounding) against the statements, soliditet, and the
    statutory split of member contributions."""
    found: list[Inconsistency] = []
    pairs = finances[["forbund", "ar"]].drop_duplicates().sort_values(["forbund", "ar"])
    for forbund, year in pairs.itertuples(index=False):
        found += _year_inconsistencies(finances, forbund, int(year))
    return found


def _year_inconsistencies(finances: pd.DataFrame, forbund: str, year: int) -> list[Inconsistency]:
    found: list[Inconsistency] = []
    kr, tkr = figures(finances, forbund, year), figures(finances, forbund, year, "tkr")
    before = figures(finances, forbund, year - 1)

    def check(text: str, stated: int | None, expected: int | None, unit: str = "kr"):
        if stated is not None and expected is not None and stated != expected:
            found.append(Inconsistency(forbund, year, text, stated, expected, unit))

    def total(codes, source=kr) -> int | None:
        present = [source[c] for c in codes if c in source]
        return sum(present) if present else None

    result = kr.get("rr_arets_resultat")
    # Income statement.
    check(
        "Verksamhetens resultat = intäkter + kostnader + avskrivningar",
        kr.get("rr_verksamhetens_resultat"),
        total(OPERATING_LINES),
    )
    financial = total(("rr_verksamhetens_resultat", "rr_finansiella_intakter"))
    if financial is not None:
        financial += kr.get("rr_finansiella_kostnader", 0)
    check(
        "Resultat efter finansiella poster = verksamhetens resultat + finansnetto",
        kr.get("rr_resultat_efter_finansiella_poster"),
        financial,
    )
    if financial is not None:
        check(
            "Årets resultat = resultat efter finansiella poster + extraordinära poster",
            result,
            financial + kr.get("rr_extraordinara_poster", 0),
        )
    # Balance sheet.
    check(
        "Summa omsättningstillgångar = fordringar + placeringar + kassa och bank",
        kr.get("br_summa_omsattningstillgangar"),
        total(("br_fordringar", "br_kortfristiga_placeringar", "br_kassa_bank")),
    )
    check(
        "Summa tillgångar = anläggningstillgångar + omsättningstillgångar",
        kr.get("br_summa_tillgangar"),
        total(("br_anlaggningstillgangar", "br_summa_omsattningstillgangar")),
    )
    check(
        "Summa eget kapital och skulder = eget kapital + avsättningar + skulder",
        kr.get("br_summa_eget_kapital_skulder"),
        total(
            (
                "br_eget_kapital",
                "br_avsattningar",
                "br_langfristiga_skulder",
                "br_kortfristiga_skulder",
            )
        ),
    )
    check(
        "Balansräkningen balanserar (summa tillgångar = summa eget kapital och skulder)",
        kr.get("br_summa_tillgangar"),
        kr.get("br_summa_eget_kapital_skulder"),
    )
    check(
        "Eget kapital = årets resultat + övrigt eget kapital",
        kr.get("br_eget_kapital"),
        total(("br_eget_kapital_arets_resultat", "br_eget_kapital_ovrigt")),
    )
    check("Årets resultat i balansräkningen", kr.get("br_eget_kapital_arets_resultat"), result)
    if "br_eget_kapital" in before and result is not None:
        check(
            "Eget kapital = förra årets eget kapital + årets resultat",
            kr.get("br_eget_kapital"),
            before["br_eget_kapital"] + result,
        )
    # A stated cash-flow statement against the derived one and against itself.
    derived = derived_cash_flow(finances, forbund, year)
    check("Kassaflödesanalysen utgår från årets resultat", kr.get("kf_arets_resultat"), result)
    if "rr_avskrivningar" in kr:
        check(
            "Justering för ej likviditetspåverkande poster = årets avskrivningar",
            kr.get("kf_ej_likviditetspaverkande"),
            -kr["rr_avskrivningar"],
        )
    for code, text in (
        ("kf_forandring_fordringar", "Förändring av kortfristiga fordringar"),
        ("kf_forandring_kortfristiga_skulder", "Förändring av kortfristiga skulder"),
        ("kf_lopande_verksamheten", "Kassaflöde från den löpande verksamheten"),
        ("kf_investeringsverksamheten", "Kassaflöde från investeringsverksamheten"),
        ("kf_arets_kassaflode", "Årets kassaflöde = förändringen av likvida medel"),
        ("kf_likvida_medel_slut", "Likvida medel vid årets slut = kassa och bank"),
    ):
        check(f"{text} (härlett ur balansräkningarna)", kr.get(code), derived[code])
    check(
        "Kassaflöde från den löpande verksamheten = medel före förändring av rörelsekapital "
        "+ förändringarna av fordringar och skulder",
        kr.get("kf_lopande_verksamheten"),
        total(
            (
                "kf_fore_rorelsekapital",
                "kf_forandring_fordringar",
                "kf_forandring_kortfristiga_skulder",
            )
        ),
    )
    stated_flow = total(
        (
            "kf_lopande_verksamheten",
            "kf_investeringsverksamheten",
            "kf_finansieringsverksamheten",
        )
    )
    check(
        "Årets kassaflöde = summan av de redovisade kassaflödena",
        kr.get("kf_arets_kassaflode"),
        stated_flow,
    )
    # Notes against their parts and their statement lines.
    members = member_contributions(finances, forbund, year)
    contributions = int(members["belopp"].sum()) if len(members) else None
    parts = dict(kr)
    if contributions is not None:
        parts["not_driftbidrag"] = contributions
    for summa, codes in NOTE_SUMS.items():
        check(
            f"Noten: {NOTES[summa].lower()} = summan av raderna", kr.get(summa), total(codes, parts)
        )
    stated_income = income(kr)
    check(
        "Notens intäkter = resultaträkningens intäkter", kr.get("not_intakter_summa"), stated_income
    )
    check(
        "Medlemsavgifterna i noten = resultaträkningens medlemsavgifter",
        contributions,
        kr.get("rr_medlemsavgifter"),
    )
    check(
        "Notens kostnader = resultaträkningens kostnader",
        kr.get("not_kostnader_summa"),
        None if "rr_verksamhetens_kostnader" not in kr else -kr["rr_verksamhetens_kostnader"],
    )
    check(
        "Notens fordringar = balansräkningens fordringar",
        kr.get("not_fordringar_summa"),
        kr.get("br_fordringar"),
    )
    check(
        "Notens kortfristiga skulder = balansräkningens",
        kr.get("not_skulder_summa"),
        kr.get("br_kortfristiga_skulder"),
    )
    # Overview and driftredovisning (tkr) against the statements.
    all_costs = costs(kr)
    equity = kr.get("br_eget_kapital")
    for code, text, value in (
        ("oversikt_intakter", "Flerårsöversiktens intäkter", stated_income),
        ("oversikt_kostnader", "Flerårsöversiktens kostnader", all_costs),
        ("oversikt_resultat", "Flerårsöversiktens resultat", result),
        ("drift_utfall_kostnader", "Driftredovisningens kostnader", all_costs),
        ("drift_utfall_intakter", "Driftredovisningens intäkter", stated_income),
        ("drift_utfall_resultat", "Driftredovisningens resultat", result),
        ("drift_utgaende_eget_kapital", "Driftredovisningens eget kapital", equity),
        ("drift_likvida_medel", "Driftredovisningens likvida medel", liquid_funds(kr)),
        ("bk_arets_resultat", "Balanskravsutredningens årets resultat", result),
    ):
        check(f"{text} (tkr, avrundat)", tkr.get(code), in_tkr(value), "tkr")
    check("Balanskravsutredningens årets resultat", kr.get("bk_arets_resultat"), result)
    percent = figures(finances, forbund, year, "procent")
    check(
        "Flerårsöversiktens soliditet",
        percent.get("oversikt_soliditet"),
        equity_ratio(finances, forbund, year),
        "procent",
    )
    found += _member_split(members, forbund, year)
    return found


def _member_split(members: pd.DataFrame, forbund: str, year: int) -> list[Inconsistency]:
    """The statutory split of member contributions: the state half, the region a quarter, the
    kommuner together a quarter (kr; a difference above 1 kr is reported)."""
    if members.empty:
        return []
    parts = members["del"].fillna("")
    paid = {
        "staten": int(members.loc[parts == "staten", "belopp"].sum()),
        "region": int(members.loc[parts == "region", "belopp"].sum()),
        "kommuner": int(members.loc[~parts.isin(["staten", "region"]), "belopp"].sum()),
    }
    whole = sum(paid.values())
    names = {
        "staten": "staten (hälften)",
        "region": "regionen (en fjärdedel)",
        "kommuner": "kommunerna (en fjärdedel)",
    }
    return [
        Inconsistency(
            forbund, year, f"Medlemsavgift från {names[who]}", paid[who], round(share * whole)
        )
        for who, share in STATUTORY_SHARES.items()
        if abs(paid[who] - share * whole) > 1
    ]


def member_contributions(finances: pd.DataFrame, forbund: str, year: int) -> pd.DataFrame:
    """Each member's contribution (kr) and its share of all contributions (percent), in the
    order of the file: columns ``del``, ``belopp``, ``andel``."""
    rows = finances[
        (finances["forbund"] == forbund)
        & (finances["ar"] == year)
        & (finances["post"] == "not_driftbidrag")
        & (finances["enhet"] == "kr")
    ]
    out = rows[["del", "belopp"]].reset_index(drop=True)
    out["andel"] = 100 * out["belopp"] / out["belopp"].sum()
    return out


def budget_by_insats(finances: pd.DataFrame, forbund: str, year: int) -> pd.DataFrame:
    """The driftredovisning's costs per insats (tkr): ``insats`` ("" for the total, which comes
    last), ``budget``, ``utfall`` and ``avvikelse`` = budget − utfall (positive: under budget),
    missing where a figure is not given; empty when the förbund states none."""
    rows = finances[
        (finances["forbund"] == forbund)
        & (finances["ar"] == year)
        & finances["post"].isin(["drift_budget_kostnader", "drift_utfall_kostnader"])
        & (finances["enhet"] == "tkr")
    ]
    columns = ["insats", "budget", "utfall", "avvikelse"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    wide = rows.assign(insats=rows["del"].fillna("")).pivot_table(
        index="insats", columns="post", values="belopp", aggfunc="first", sort=False
    )
    wide = wide.reindex(columns=["drift_budget_kostnader", "drift_utfall_kostnader"])
    out = pd.DataFrame(
        {
            "insats": wide.index.astype(str),
            "budget": wide["drift_budget_kostnader"].astype("Int64").to_numpy(),
            "utfall": wide["drift_utfall_kostnader"].astype("Int64").to_numpy(),
        }
    )
    out["avvikelse"] = out["budget"] - out["utfall"]
    return out.sort_values("insats", key=lambda s: s.eq(""), kind="stable").reset_index(drop=True)
