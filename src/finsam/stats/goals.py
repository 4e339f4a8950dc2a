"""Goal fulfilment per insats: each goal's result, its fulfilment and the rating of the insats.

A measurable goal's result is computed from the *published* (protected) tables of the förbund
page, with the counting rules of the statistics (:mod:`finsam.stats.insats_results`):

* ``deltagare`` — participations of the year in the insats (``deltagare_insats``);
* ``nya_deltagare``, ``remisser`` — new participations, referrals received (``flode_insats``);
* ``andel_…`` — percent of the insats' participations ended in the year that ended in work or
  studies / in own support / in work, studies or job seeking.

A result whose count (or a share's numerator or base) is suppressed is not shown, and neither
is the förbund's own figure for it, which would reveal it. A free-text goal takes the result
the goal file gives (a count of 1 up to the threshold is suppressed as well). Fulfilment =
result / target in percent. The rating rule (``params/maluppfyllelse.yml``) uses only results
that are shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from finsam.errors import FinsamError
from finsam.inputs.goal_codes import INDICATOR_UNITS, RATINGS
from finsam.inputs.yamlfile import read_yaml
from finsam.paths import PARAMS_DIR

RATING_PARAMS = PARAMS_DIR / "maluppfyllelse.yml"

# A share indicator's numerator in ``flode_insats`` (its base is ``avslutade``).
SHARE_NUMERATORS = {
    "andel_arbete_studier": "arbete_studier",
    "andel_egen_forsorjning": "egen_forsorjning",
    "andel_arbete_studier_arbetssokande": "arbete_studier_arbetssokande",
}
COUNT_MEASURES = {"nya_deltagare": "nya", "remisser": "remisser"}

# Where a goal's result comes from.
FROM_DATA, GIVEN, SUPPRESSED, MISSING = "uppgifterna", "förbundet", "skyddat", "saknas"


@dataclass(frozen=True)
class RatingRule:
    """``cap``: the most a single goal's fulfilment counts (percent); ``levels``: (rating code,
    least mean fulfilment in percent), best first, the last with 0."""

    cap: float
    levels: tuple[tuple[str, float], ...]

    def rate(self, fulfilments: list[float]) -> str | None:
        """The rating of a mean of capped fulfilments (``None`` without any)."""
        if not fulfilments:
            return None
        mean = sum(min(f, self.cap) for f in fulfilments) / len(fulfilments)
        return next(code for code, least in self.levels if mean >= least)

    def text(self) -> str:
        """The rule in Swedish, as stated on the page."""
        steps = ", ".join(
            f"{RATINGS[code]} minst {least:g} %" for code, least in self.levels if least > 0
        )
        last = self.levels[-1][0]
        return (
            "Måluppfyllelsen för ett mål är resultatet delat med målvärdet. Insatsens bedömning "
            "enligt regeln är medelvärdet av måluppfyllelsen för de mål som har både målvärde "
            f"och redovisat resultat, där ett enskilt mål räknas högst som {self.cap:g} %: "
            f"{steps}, annars {RATINGS[last]}."
        )


def load_rating_rule(path: Path = RATING_PARAMS) -> RatingRule:
    """The rating rule of ``params/maluppfyllelse.yml`` (checked: a clear error if malformed)."""
    data = read_yaml(path, "rating rule")
    expected = (
        "'tak' (percent > 0) and 'bedomningar', a list of {bedomning: code, minst: percent} "
        f"from best to worst ending with minst: 0; codes {', '.join(RATINGS)}"
    )
    try:
        cap = float(data["tak"])
        levels = tuple((str(x["bedomning"]), float(x["minst"])) for x in data["bedomningar"])
    except (KeyError, TypeError, ValueError):
        raise FinsamError(f"{path}: expected {expected}") from None
    least = [value for _, value in levels]
    if (
        cap <= 0
        or not levels
        or any(code not in RATINGS for code, _ in levels)
        or least != sorted(least, reverse=True)
        or least[-1] != 0
    ):
        raise FinsamError(f"{path}: expected {expected}")
    return RatingRule(cap, levels)


def _published(table: pd.DataFrame, measure_column: str | None = None) -> dict:
    """(insats[, measure]) → the published count (``None`` where suppressed), kon totalt."""
    rows = table[table["kon"] == "totalt"]
    keys = (
        rows["kategori"]
        if measure_column is None
        else list(zip(rows["kategori"], rows[measure_column], strict=True))
    )
    return {
        key: (None if pd.isna(value) else int(value))
        for key, value in zip(keys, rows["antal"], strict=True)
    }


def _agrees(given: float, computed: float, unit: str) -> bool:
    """Whether a published figure is the computed one as printed: a count exactly, a percent
    rounded or cut off (reports do both: 2 of 3 is printed 67 % or 66 %)."""
    if unit == "procent":
        return given in (math.floor(computed), math.floor(computed + 0.5))
    return given == computed


def goal_results(
    goals: pd.DataFrame, participants: pd.DataFrame, flows: pd.DataFrame, threshold: int = 0
) -> pd.DataFrame:
    """One row per goal, in the file's order: ``insats``, ``mal``, ``indikator``, ``enhet``,
    ``malvarde``, ``resultat`` (a count or a percent, unrounded; missing where not shown),
    ``kalla`` (:data:`FROM_DATA`, :data:`GIVEN`, :data:`SUPPRESSED` or :data:`MISSING`),
    ``taljare`` and ``namnare`` of a share, ``publicerat`` (the förbund's own figure, only
    where the result is shown or given), ``avviker`` (that figure differs from the data) and
    ``uppfyllelse`` (result / target, percent).

    ``participants`` and ``flows`` are the page's published ``deltagare_insats`` and
    ``flode_insats`` tables (counts missing where suppressed). A free-text goal's given count
    from 1 to ``threshold`` is suppressed too: it may count people."""
    by_insats = _published(participants)
    by_measure = _published(flows, "matt")
    rows = []
    for goal in goals.itertuples(index=False):
        indicator = goal.indikator
        unit = INDICATOR_UNITS.get(indicator) or (None if pd.isna(goal.enhet) else goal.enhet)
        given = None if pd.isna(goal.resultat) else float(goal.resultat)
        numerator = denominator = None
        if indicator == "fritext":
            result, source = given, GIVEN if given is not None else MISSING
            if unit == "antal" and given is not None and 1 <= given <= threshold:
                result, source = None, SUPPRESSED
        else:
            if indicator == "deltagare":
                counts = [by_insats.get(goal.insats)]
            elif indicator in COUNT_MEASURES:
                counts = [by_measure.get((goal.insats, COUNT_MEASURES[indicator]))]
            else:
                numerator = by_measure.get((goal.insats, SHARE_NUMERATORS[indicator]))
                denominator = by_measure.get((goal.insats, "avslutade"))
                counts = [numerator, denominator]
            if any(c is None for c in counts):
                result, source, numerator, denominator = None, SUPPRESSED, None, None
            elif numerator is not None:
                result = 100 * numerator / denominator if denominator else None
                source = FROM_DATA if denominator else MISSING
            else:
                result, source = float(counts[0]), FROM_DATA
        target = None if pd.isna(goal.malvarde) else float(goal.malvarde)
        shown_given = given if source in (FROM_DATA, GIVEN) else None
        rows.append(
            {
                "insats": goal.insats,
                "mal": goal.mal,
                "indikator": indicator,
                "enhet": unit,
                "malvarde": target,
                "resultat": result,
                "kalla": source,
                "taljare": numerator,
                "namnare": denominator,
                "publicerat": shown_given,
                "avviker": bool(
                    source == FROM_DATA
                    and shown_given is not None
                    and not _agrees(shown_given, result, unit or "antal")
                ),
                "uppfyllelse": (100 * result / target if result is not None and target else np.nan),
            }
        )
    columns = [
        "insats", "mal", "indikator", "enhet", "malvarde", "resultat", "kalla", "taljare",
        "namnare", "publicerat", "avviker", "uppfyllelse",
    ]  # fmt: skip
    whole = {"malvarde": "Int64", "taljare": "Int64", "namnare": "Int64", "publicerat": "Int64"}
    return pd.DataFrame(rows, columns=columns).astype(whole)


def insats_ratings(goals: pd.DataFrame, results: pd.DataFrame, rule: RatingRule) -> pd.DataFrame:
    """Per insats (in the file's order): ``regel`` (the rule's rating code; missing unless every
    goal with a target has a shown result — a rating of the rest would mislead), ``bedomda`` /
    ``mal`` (goals with a target and a shown result / goals with a target), ``styrelsen`` (the
    board's rating from the goal file, if any) and ``avviker`` (both given and different)."""
    board = goals.dropna(subset=["bedomning"]).groupby("insats", sort=False)["bedomning"].first()
    rows = []
    for insats, part in results.groupby("insats", sort=False):
        with_target = part[part["malvarde"].notna()]
        rated = with_target["uppfyllelse"].dropna().tolist()
        by_rule = rule.rate(rated) if len(rated) == len(with_target) else None
        by_board = board.get(insats)
        rows.append(
            {
                "insats": insats,
                "regel": by_rule,
                "bedomda": len(rated),
                "mal": len(with_target),
                "styrelsen": by_board,
                "avviker": by_rule is not None and by_board is not None and by_rule != by_board,
            }
        )
    return pd.DataFrame(rows, columns=["insats", "regel", "bedomda", "mal", "styrelsen", "avviker"])
