"""The annual report's financial part of one förbund and year, as labelled display tables.

Everything comes from the published figures in the store (``ekonomi``) through
:mod:`finsam.stats.accounts`: the cash-flow statement and soliditet are derived, never copied.
Amounts are kronor in Swedish style (``2 081 798``, ``−1 700 469``) unless a table says tkr.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finsam.inputs.finance_codes import (
    BALANCE_REQUIREMENT,
    BALANCE_SHEET,
    CASH_FLOW,
    INCOME_STATEMENT,
    MEMBERS,
    NOTE_SUMS,
    NOTES,
    STATUTORY_SHARES,
)
from finsam.inputs.store import open_store
from finsam.report.present import swedish_int
from finsam.stats import accounts

MINUS = "\u2212"
# The rows of the multi-year overview, with their units (tkr, whole percent, persons).
OVERVIEW_ROWS = {
    "oversikt_intakter": "Verksamhetens intäkter (tkr)",
    "oversikt_kostnader": "Verksamhetens kostnader (tkr)",
    "oversikt_resultat": "Årets resultat (tkr)",
    "oversikt_soliditet": "Soliditet (%)",
    "oversikt_anstallda": "Antal anställda",
}
OVERVIEW_UNITS = {
    "oversikt_intakter": "tkr",
    "oversikt_kostnader": "tkr",
    "oversikt_resultat": "tkr",
    "oversikt_soliditet": "procent",
    "oversikt_anstallda": "antal",
}
OVERVIEW_YEARS = 4


def amount_text(value: int | float | None) -> str:
    """``-1700469`` → ``−1 700 469``; missing → ``–``."""
    if value is None or pd.isna(value):
        return "–"
    text = swedish_int(abs(int(value)))
    return f"{MINUS}{text}" if value < 0 else text


def budget_table(numbers: pd.DataFrame) -> pd.DataFrame:
    """:func:`finsam.stats.accounts.budget_by_insats` as displayed: the total row is "Summa"."""
    return pd.DataFrame(
        {
            "Insats (tkr)": numbers["insats"].replace("", "Summa"),
            "Budget": numbers["budget"].map(amount_text),
            "Utfall": numbers["utfall"].map(amount_text),
            "Avvikelse": numbers["avvikelse"].map(amount_text),
        }
    )


def budget_tidy(numbers: pd.DataFrame, year: int) -> pd.DataFrame:
    """:func:`finsam.stats.accounts.budget_by_insats` for export: ``insats`` ("" for the total),
    ``ar``, ``budget``, ``utfall``, ``avvikelse``, ``enhet`` (tkr)."""
    return numbers.assign(ar=year, enhet="tkr")[
        ["insats", "ar", "budget", "utfall", "avvikelse", "enhet"]
    ]


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
        frame[""] = frame[""].map(OVERVIEW_ROWS)
        return frame

    def overview_figures(self) -> pd.DataFrame:
        """Flerårsöversikt over the last years (tkr, soliditet in whole percent), a row per
        line code (:data:`OVERVIEW_ROWS`) and a column per year (newest first, years without
        figures left out): from the statements where the year has them, else as the förbund
        published it."""
        years = list(range(self.year - OVERVIEW_YEARS + 1, self.year + 1))[::-1]
        rows: dict[str, list] = {code: [] for code in OVERVIEW_ROWS}
        for year in years:
            kr = self._figures(year)
            published = accounts.figures(self.finances, self.forbund, year, "tkr")
            count = accounts.figures(self.finances, self.forbund, year, "antal")
            percent = accounts.figures(self.finances, self.forbund, year, "procent")
            derived = {
                "oversikt_intakter": accounts.income(kr),
                "oversikt_kostnader": accounts.costs(kr),
                "oversikt_resultat": kr.get("rr_arets_resultat"),
            }
            for code, value in derived.items():
                rows[code].append(
                    accounts.in_tkr(value) if value is not None else published.get(code)
                )
            ratio = accounts.equity_ratio(self.finances, self.forbund, year)
            rows["oversikt_soliditet"].append(
                ratio if ratio is not None else percent.get("oversikt_soliditet")
            )
            rows["oversikt_anstallda"].append(count.get("oversikt_anstallda"))
        kept = [i for i in range(len(years)) if any(rows[r][i] is not None for r in rows)]
        return pd.DataFrame(
            {years[i]: [rows[r][i] for r in rows] for i in kept}, index=list(rows), dtype=object
        )

    def result_and_equity(self) -> pd.DataFrame:
        """Årets resultat and eget kapital at year end (tkr) over the overview's years, tidy:
        ``ar``, ``serie`` ("Årets resultat", "Eget kapital"), ``tkr``."""
        rows = []
        for year, result in self.overview_figures().loc["oversikt_resultat"].items():
            kr = self._figures(year).get("br_eget_kapital")
            equity = (
                accounts.in_tkr(kr)
                if kr is not None
                else accounts.figures(self.finances, self.forbund, year, "tkr").get(
                    "drift_utgaende_eget_kapital"
                )
            )
            rows += [(year, "Årets resultat", result), (year, "Eget kapital", equity)]
        frame = pd.DataFrame(rows, columns=["ar", "serie", "tkr"]).dropna()
        return frame.sort_values(["serie", "ar"]).reset_index(drop=True)

    def tidy_tables(self) -> dict[str, pd.DataFrame]:
        """The page's figures as tidy tables for export (codes, not labels): ``post``, ``ar``,
        ``belopp``, ``enhet`` (and ``del`` for a member or an insats)."""

        def statement(codes, values, years=(self.year - 1, self.year), unit="kr"):
            rows = [
                (code, year, values(year).get(code), unit)
                for year in years
                for code in codes
                if values(year).get(code) is not None
            ]
            return pd.DataFrame(rows, columns=["post", "ar", "belopp", "enhet"])

        derive = lambda year: accounts.derived_cash_flow(self.finances, self.forbund, year)  # noqa: E731
        paid = accounts.member_contributions(self.finances, self.forbund, self.year)
        overview = self.overview_figures()
        tables = {
            "resultatrakning": statement(INCOME_STATEMENT, self._figures),
            "balansrakning": statement(BALANCE_SHEET, self._figures),
            "kassaflodesanalys": statement(CASH_FLOW, derive),
            "noter": statement(NOTES, self._with_contributions),
            "medlemsavgifter": pd.DataFrame(
                {
                    "post": "not_driftbidrag",
                    "ar": self.year,
                    "del": paid["del"],
                    "belopp": paid["belopp"],
                    "enhet": "kr",
                    "andel": paid["andel"],
                }
            ),
            "flerarsoversikt": pd.DataFrame(
                [
                    (code, year, value, OVERVIEW_UNITS[code])
                    for year in overview.columns
                    for code, value in overview[year].items()
                    if value is not None
                ],
                columns=["post", "ar", "belopp", "enhet"],
            ),
            "budget_insats": budget_tidy(
                accounts.budget_by_insats(self.finances, self.forbund, self.year), self.year
            ),
        }
        for unit in ("kr", "tkr"):
            values = accounts.figures(self.finances, self.forbund, self.year, unit)
            if any(c in values for c in BALANCE_REQUIREMENT):
                tables["balanskrav"] = statement(
                    BALANCE_REQUIREMENT, lambda _y, v=values: v, (self.year,), unit
                )
                break
        return {name: frame for name, frame in tables.items() if not frame.empty}

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

    def budget(self) -> pd.DataFrame:
        """The driftredovisning's costs per insats (tkr); empty when the förbund states none."""
        return accounts.budget_by_insats(self.finances, self.forbund, self.year)

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
    store = open_store(store_path)
    names = store.table("kommuner").set_index("kommunkod")["kommun"].to_dict()
    return FinancePage(forbund, int(year), store.finances(forbund), names)
