"""The annual report's financial part of one förbund and year, as labelled display tables.

Everything comes from the published figures in the store (``ekonomi``) through
:mod:`finsam.accounts`: the cash-flow statement and soliditet are derived, never copied.
Amounts are kronor in Swedish style (``2 081 798``, ``−1 700 469``) unless a table says tkr.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finsam import accounts
from finsam.finance_codes import (
    BALANCE_REQUIREMENT,
    BALANCE_SHEET,
    CASH_FLOW,
    INCOME_STATEMENT,
    MEMBERS,
    NOTE_SUMS,
    NOTES,
    STATUTORY_SHARES,
)
from finsam.present import swedish_int
from finsam.store import Store

MINUS = "\u2212"
OVERVIEW_YEARS = 4


def amount_text(value: int | float | None) -> str:
    """``-1700469`` → ``−1 700 469``; missing → ``–``."""
    if value is None or pd.isna(value):
        return "–"
    text = swedish_int(abs(int(value)))
    return f"{MINUS}{text}" if value < 0 else text


@dataclass(frozen=True)
class FinancePage:
    """The financial figures of one förbund and year, with the kommun names for member rows."""

    forbund: str
    year: int
    finances: pd.DataFrame
    kommun_names: dict[str, str]

    @property
    def has_statements(self) -> bool:
        return self.year in accounts.statement_years(self.finances, self.forbund)

    def _two_years(self, lines: dict[str, str], values) -> pd.DataFrame:
        """Rows of ``lines`` given in this year or last year: Post, this year, last year."""
        now, before = values(self.year), values(self.year - 1)
        codes = [c for c in lines if now.get(c) is not None or before.get(c) is not None]
        return pd.DataFrame(
            {
                "Belopp i kr": [lines[c] for c in codes],
                str(self.year): [amount_text(now.get(c)) for c in codes],
                str(self.year - 1): [amount_text(before.get(c)) for c in codes],
            }
        )

    def _figures(self, year: int) -> dict[str, int]:
        return accounts.figures(self.finances, self.forbund, year)

    def income_statement(self) -> pd.DataFrame:
        """Resultaträkning, this year beside last year."""
        return self._two_years(INCOME_STATEMENT, self._figures)

    def balance_sheet(self) -> pd.DataFrame:
        """Balansräkning at 31 December, this year beside last year."""
        return self._two_years(BALANCE_SHEET, self._figures)

    def cash_flow(self) -> pd.DataFrame:
        """Kassaflödesanalys derived from the income statement and the balance sheets."""
        derive = lambda year: accounts.derived_cash_flow(self.finances, self.forbund, year)  # noqa: E731
        return self._two_years(CASH_FLOW, derive)

    def notes(self) -> dict[str, pd.DataFrame]:
        """The notes (by the label of their sum line), this year beside last year."""
        out = {}
        for summa, parts in NOTE_SUMS.items():
            lines = {code: NOTES[code] for code in (*parts, summa) if code != "not_driftbidrag"}
            if summa == "not_intakter_summa":
                lines = {"not_driftbidrag": "Driftbidrag från medlemmarna", **lines}
            frame = self._two_years(lines, self._with_contributions)
            if len(frame) > 1:
                out[NOTES[summa]] = frame
        return out

    def _with_contributions(self, year: int) -> dict[str, int]:
        values = self._figures(year)
        paid = accounts.member_contributions(self.finances, self.forbund, year)
        if len(paid):
            values["not_driftbidrag"] = int(paid["belopp"].sum())
        return values

    def member_contributions(self) -> pd.DataFrame:
        """Each member's contribution this year, its share, and the share the law sets."""
        paid = accounts.member_contributions(self.finances, self.forbund, self.year)
        kommuner = f"{100 * STATUTORY_SHARES['kommuner']:.0f} tillsammans"
        return pd.DataFrame(
            {
                "Medlem": [
                    MEMBERS.get(part) or self.kommun_names.get(part, part) for part in paid["del"]
                ],
                "Belopp i kr": [amount_text(v) for v in paid["belopp"]],
                "Andel (%)": [f"{v:.1f}".replace(".", ",") for v in paid["andel"]],
                "Enligt lag (%)": [
                    f"{100 * STATUTORY_SHARES[p]:.0f}" if p in MEMBERS else kommuner
                    for p in paid["del"]
                ],
            }
        )

    def overview(self) -> pd.DataFrame:
        """Flerårsöversikt over the last years, formatted (see :meth:`overview_figures`)."""
        figures = self.overview_figures()
        frame = figures.map(amount_text).reset_index()
        frame.columns = ["", *(str(y) for y in figures.columns)]
        return frame

    def overview_figures(self) -> pd.DataFrame:
        """Flerårsöversikt over the last years (tkr, soliditet in whole percent), a row per
        figure and a column per year (newest first, years without figures left out): from the
        statements where the year has them, else as the förbund published it."""
        years = list(range(self.year - OVERVIEW_YEARS + 1, self.year + 1))[::-1]
        rows = {
            "Verksamhetens intäkter (tkr)": [],
            "Verksamhetens kostnader (tkr)": [],
            "Årets resultat (tkr)": [],
            "Soliditet (%)": [],
            "Antal anställda": [],
        }
        for year in years:
            kr = self._figures(year)
            published = accounts.figures(self.finances, self.forbund, year, "tkr")
            count = accounts.figures(self.finances, self.forbund, year, "antal")
            percent = accounts.figures(self.finances, self.forbund, year, "procent")
            income, costs, result = (
                accounts.income(kr),
                accounts.costs(kr),
                kr.get("rr_arets_resultat"),
            )
            rows["Verksamhetens intäkter (tkr)"].append(
                accounts.in_tkr(income)
                if income is not None
                else published.get("oversikt_intakter")
            )
            rows["Verksamhetens kostnader (tkr)"].append(
                accounts.in_tkr(costs) if costs is not None else published.get("oversikt_kostnader")
            )
            rows["Årets resultat (tkr)"].append(
                accounts.in_tkr(result)
                if result is not None
                else published.get("oversikt_resultat")
            )
            ratio = accounts.equity_ratio(self.finances, self.forbund, year)
            rows["Soliditet (%)"].append(
                ratio if ratio is not None else percent.get("oversikt_soliditet")
            )
            rows["Antal anställda"].append(count.get("oversikt_anstallda"))
        kept = [i for i in range(len(years)) if any(rows[r][i] is not None for r in rows)]
        return pd.DataFrame(
            {years[i]: [rows[r][i] for r in rows] for i in kept}, index=list(rows), dtype=object
        )

    def balance_requirement(self) -> pd.DataFrame | None:
        """Balanskravsutredning of the year as published (kr or tkr), or ``None``."""
        for unit in ("kr", "tkr"):
            values = accounts.figures(self.finances, self.forbund, self.year, unit)
            codes = [c for c in BALANCE_REQUIREMENT if c in values]
            if codes:
                return pd.DataFrame(
                    {
                        f"Belopp i {unit}": [BALANCE_REQUIREMENT[c] for c in codes],
                        str(self.year): [amount_text(values[c]) for c in codes],
                    }
                )
        return None

    def budget(self) -> pd.DataFrame | None:
        """Budget against outcome per insats (tkr), as the förbund states it, or ``None``."""
        rows = self.finances[
            (self.finances["forbund"] == self.forbund)
            & (self.finances["ar"] == self.year)
            & self.finances["post"].isin(["drift_budget_kostnader", "drift_utfall_kostnader"])
            & (self.finances["enhet"] == "tkr")
        ]
        if rows.empty:
            return None
        wide = rows.pivot_table(
            index="del", columns="post", values="belopp", aggfunc="first", sort=False
        )
        wide = wide.reindex(columns=["drift_budget_kostnader", "drift_utfall_kostnader"])
        labels = [str(d) if d else "Summa" for d in wide.index]
        order = sorted(range(len(labels)), key=lambda i: labels[i] == "Summa")
        budget, outcome = wide.iloc[:, 0], wide.iloc[:, 1]
        return pd.DataFrame(
            {
                "Insats (tkr)": [labels[i] for i in order],
                "Budget": [amount_text(budget.iloc[i]) for i in order],
                "Utfall": [amount_text(outcome.iloc[i]) for i in order],
                "Avvikelse": [amount_text(budget.iloc[i] - outcome.iloc[i]) for i in order],
            }
        )

    def inconsistencies(self) -> list[accounts.Inconsistency]:
        """The published figures of this year that disagree with the others."""
        return [
            found
            for found in accounts.inconsistencies(
                self.finances[self.finances["ar"].isin([self.year - 1, self.year])]
            )
            if found.year == self.year
        ]

    def sources(self) -> list[str]:
        """The reports this year's figures were published in."""
        rows = self.finances[self.finances["ar"] == self.year]
        return sorted({str(s).split(":")[0] for s in rows["kalla"] if s})


def finance_page(store_path: str | Path, forbund: str, year: int) -> FinancePage:
    """The financial figures of ``forbund`` in the store at ``store_path``."""
    store = Store(Path(store_path))
    names = store.table("kommuner").set_index("kommunkod")["kommun"].to_dict()
    return FinancePage(forbund, int(year), store.finances(forbund), names)
