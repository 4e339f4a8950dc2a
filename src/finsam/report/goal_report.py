"""A förbund's goal follow-up for one year, as labelled display tables (Måluppfyllelse).

Per insats: each goal with its target, its result and the fulfilment (:mod:`finsam.stats.goals`);
the rule's rating beside the board's; the participant table (aktuella, kvinnor, män, okänt
kön, nya, avslutade, till arbete/studier, arbetssökande vid avslut, with a total row) and the
budget against the outcome. Every count is protected with the site: the participants per insats
are the förbund page's cells, the flows and results per insats the goal page's own, linked to
that page's, so the goal page hides what the statistics page hides and reveals nothing it
hides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from finsam.inputs.goal_codes import RATINGS
from finsam.inputs.store import open_store
from finsam.report.finance_report import budget_tidy
from finsam.report.pages import ReportPage, report_page
from finsam.report.present import count_text, round_half_up, swedish_percent
from finsam.stats import accounts, goals
from finsam.stats.catalog import load_threshold
from finsam.stats.disclosure import SUPPRESSED
from finsam.stats.protection.plan import mask_frame, protect_pages, protected_page, read_mask
from finsam.stats.protection.publication import page_key

SOURCE_TEXT = {
    goals.FROM_DATA: "Deltagaruppgifterna",
    goals.GIVEN: "Förbundets uppgift",
    goals.SUPPRESSED: "Skyddat (små antal)",
    goals.MISSING: "Saknas",
}
PARTICIPANT_COLUMNS = {
    ("deltagare_insats", "totalt"): "Aktuella",
    ("deltagare_insats", "kvinna"): "Kvinnor",
    ("deltagare_insats", "man"): "Män",
    ("deltagare_insats", "okant"): "Okänt kön",
    ("flode_insats", "nya"): "Nya",
    ("flode_insats", "avslutade"): "Avslutade",
    ("flode_insats", "arbete_studier"): "Till arbete/studier",
    ("flode_insats", "arbetssokande"): "Arbetssökande vid avslut",
}


def value_text(value: float | None, unit: str | None) -> str:
    """A target or result as printed: ``15``, ``67 %``; ``–`` where there is none."""
    if value is None or pd.isna(value):
        return "–"
    if unit == "procent":
        return swedish_percent(value)
    return count_text(int(round_half_up(value)))


@dataclass(frozen=True)
class GoalPage:
    """The goals of one förbund and year with the förbund page's protected tables, its
    finances and the rating rule."""

    forbund: str
    year: int
    report: ReportPage
    flows: pd.DataFrame  # the protected flows and results per insats (flode_insats)
    goals: pd.DataFrame
    finances: pd.DataFrame
    rule: goals.RatingRule
    results: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        results = goals.goal_results(
            self.goals, self.report.tables["deltagare_insats"], self.flows, self.report.threshold
        )
        object.__setattr__(self, "results", results)

    @property
    def threshold(self) -> int:
        return self.report.threshold

    def ratings(self) -> pd.DataFrame:
        """Per insats: the rule's rating (codes), the board's, and whether they differ."""
        return goals.insats_ratings(self.goals, self.results, self.rule)

    def goal_table(self) -> pd.DataFrame:
        """Insats, Mål, Målvärde, Resultat, Måluppfyllelse, Underlag (where the result comes
        from, and the förbund's own figure where it differs from the data)."""
        r = self.results
        basis = []
        for row in r.itertuples(index=False):
            text = SOURCE_TEXT[row.kalla]
            if row.kalla == goals.FROM_DATA and not pd.isna(row.namnare):
                text += f" ({int(row.taljare)} av {int(row.namnare)} avslutade)"
            if row.avviker:
                text += f"; förbundet redovisade {value_text(row.publicerat, row.enhet)}"
            basis.append(text)
        fulfilment = [
            SUPPRESSED if k == goals.SUPPRESSED else value_text(u, "procent")
            for k, u in zip(r["kalla"], r["uppfyllelse"], strict=True)
        ]
        result = [
            SUPPRESSED if k == goals.SUPPRESSED else value_text(v, e)
            for k, v, e in zip(r["kalla"], r["resultat"], r["enhet"], strict=True)
        ]
        return pd.DataFrame(
            {
                "Insats": r["insats"],
                "Mål": r["mal"],
                "Målvärde": [
                    value_text(v, e) for v, e in zip(r["malvarde"], r["enhet"], strict=True)
                ],
                "Resultat": result,
                "Måluppfyllelse": fulfilment,
                "Underlag": basis,
            }
        )

    def ratings_table(self) -> pd.DataFrame:
        """Insats, the rule's rating (or why there is none: how many goals with a target have a
        shown result), the board's rating and whether the two agree."""
        ratings = self.ratings()
        rule_text = [
            RATINGS[code]
            if isinstance(code, str)
            else (
                f"Kan inte bedömas ({rated} av {total} mål har visat resultat)"
                if total
                else "– (inga mål med målvärde)"
            )
            for code, rated, total in zip(
                ratings["regel"], ratings["bedomda"], ratings["mal"], strict=True
            )
        ]
        board = [RATINGS[c] if isinstance(c, str) else "–" for c in ratings["styrelsen"]]
        agreement = [
            "Avviker" if differ else ("Samma" if isinstance(a, str) and isinstance(b, str) else "")
            for differ, a, b in zip(
                ratings["avviker"], ratings["regel"], ratings["styrelsen"], strict=True
            )
        ]
        return pd.DataFrame(
            {
                "Insats": ratings["insats"],
                "Enligt regeln": rule_text,
                "Styrelsens bedömning": board,
                "Jämförelse": agreement,
            }
        )

    def disagreements(self) -> list[str]:
        """Sentences on every rating of the board that differs from the rule's, and every
        figure the förbund published that the data do not give."""
        found = [
            f"{row.insats}: styrelsen bedömde måluppfyllelsen som {RATINGS[row.styrelsen]}, "
            f"regeln ger {RATINGS[row.regel]}."
            for row in self.ratings().itertuples(index=False)
            if row.avviker
        ]
        found += [
            f"{row.insats}, målet ”{row.mal}”: förbundet redovisade "
            f"{value_text(row.publicerat, row.enhet)}, deltagaruppgifterna ger "
            f"{value_text(row.resultat, row.enhet)}."
            for row in self.results.itertuples(index=False)
            if row.avviker
        ]
        return found

    def participant_table(self) -> pd.DataFrame:
        """Per individual insats: participants by gender (the förbund page's cells), new, ended
        and their outcomes (the goal page's), ``..`` where suppressed, with the total row."""
        tables = {**self.report.tables, "flode_insats": self.flows}
        cells: dict[tuple[str, str], dict[str, object]] = {}
        for table_id, second in (("deltagare_insats", "kon"), ("flode_insats", "matt")):
            rows = tables[table_id]
            if table_id == "flode_insats":
                rows = rows[rows["kon"] == "totalt"]
            for kategori, key, antal in zip(
                rows["kategori"], rows[second], rows["antal"], strict=True
            ):
                cells.setdefault((table_id, key), {})[kategori] = antal
        insatser = [
            k for k in dict.fromkeys(tables["deltagare_insats"]["kategori"]) if k != "totalt"
        ]
        frame = {"Insats": [*insatser, "Totalt"]}
        for (table_id, key), label in PARTICIPANT_COLUMNS.items():
            column = cells.get((table_id, key), {})
            frame[label] = [
                count_text(column[k]) if k in column else "0" for k in [*insatser, "totalt"]
            ]
        return pd.DataFrame(frame)

    def budget(self) -> pd.DataFrame:
        """Budget and outcome per insats (tkr) from the driftredovisning; empty without one."""
        return accounts.budget_by_insats(self.finances, self.forbund, self.year)

    def tidy_tables(self) -> dict[str, pd.DataFrame]:
        """The page's tables for export (codes, unrounded): the goals with their results, the
        ratings, the protected participant tables and the budget per insats."""
        tables = {
            "mal": self.results,
            "bedomning": self.ratings(),
            "deltagare_insats": self.report.tables["deltagare_insats"],
            "flode_insats": self.flows,
            "budget_insats": budget_tidy(self.budget(), self.year),
        }
        return {name: frame for name, frame in tables.items() if not frame.empty}

    def sources(self) -> list[str]:
        """Where the goals were published (the goal file's ``kalla`` before its colon)."""
        return sorted({str(s).split(":")[0] for s in self.goals["kalla"].dropna() if s})


def goal_page(
    store_path: str | Path,
    forbund: str,
    year: int,
    threshold: int | None = None,
    protection: str | Path | None = None,
    rule_path: str | Path = goals.RATING_PARAMS,
) -> GoalPage:
    """The goal follow-up of ``forbund`` for ``year`` from the store. Its counts are those of
    the förbund page and of the goal page's own flows per insats, hidden as the site's mask
    (``protection``) says or, without one, as the two pages protected together."""
    store = open_store(store_path)
    threshold = load_threshold() if threshold is None else threshold
    keys = (
        page_key("forbund", forbund, int(year), None),
        page_key("mal", forbund, int(year), None),
    )
    if protection is None:
        joint = mask_frame(protect_pages(store, keys, threshold))
        masks = [joint[joint["page"] == key.id] for key in keys]
    else:
        fingerprint = store.meta()["fingerprint"]
        masks = [read_mask(Path(protection), fingerprint, threshold, key) for key in keys]
    report = report_page(store_path, "forbund", forbund, int(year), None, threshold, mask=masks[0])
    flows = protected_page(report.population, keys[1], masks[1]).tables["flode_insats"]
    all_goals = store.goals(forbund)
    return GoalPage(
        forbund,
        int(year),
        report,
        flows,
        all_goals[all_goals["ar"] == int(year)].reset_index(drop=True),
        store.finances(forbund),
        goals.load_rating_rule(Path(rule_path)),
    )
