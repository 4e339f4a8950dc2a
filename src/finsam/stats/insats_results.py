"""Flows and results per individual insats: what a goal follow-up counts for each insats
(Måluppfyllelse 2015, Botkyrka Huddinge Salem: nya, avslutade, till arbete/studier,
arbetssökande vid avslut).

The counting rules are those of the statistics pages: participations with personal data active
in the year (:func:`finsam.stats.flows.participations_in_year`); *nya* started in the year;
*avslutade* ended in it; the outcomes count ended participations whose ``sysselsattning_efter``
names work or studies (any of :data:`finsam.inputs.codes.ARBETE_ELLER_STUDIER`), active job seeking,
either of the two, or whose ``forsorjning_efter`` names ``ingen_offentlig`` (own support);
referrals are those received in the year and assigned to the insats.
"""

from __future__ import annotations

import pandas as pd

from finsam.inputs import codes
from finsam.stats import periods
from finsam.stats.flows import participations_in_year
from finsam.stats.outcomes import names_any
from finsam.stats.referrals import referrals_in_year

MEASURES = {
    "nya": "Nya",
    "avslutade": "Avslutade",
    "arbete_studier": "Till arbete/ studier",
    "arbetssokande": "Arbets­sökande vid avslut",
    "arbete_studier_arbetssokande": "Arbete, studier eller arbets­sökande",
    "egen_forsorjning": "Egen försörjning vid avslut",
    "remisser": "Remisser",
}
"""The measures and their column headers (``\u00ad``: where a long word may break)."""
ENDED_MEASURES = ("arbete_studier", "arbetssokande", "arbete_studier_arbetssokande")


def flows_by_insats(
    deltaganden: pd.DataFrame, remisser: pd.DataFrame, year: int, insatser: list[str]
) -> pd.DataFrame:
    """``flode_insats``: per insats (``kategori``) and measure (``matt``, :data:`MEASURES`) the
    number of participations (referrals for ``remisser``) in ``year``; ``kon`` is ``totalt``."""
    active = participations_in_year(deltaganden, year)
    ended = active[periods.ended_in_year(active, year)]
    work = names_any(ended["sysselsattning_efter"], codes.ARBETE_ELLER_STUDIER)
    seeking = names_any(ended["sysselsattning_efter"], ("aktivt_arbetssokande",))
    subsets = {
        "nya": active[periods.started_in_year(active, year)],
        "avslutade": ended,
        "arbete_studier": ended.loc[work],
        "arbetssokande": ended.loc[seeking],
        "arbete_studier_arbetssokande": ended.loc[work | seeking],
        "egen_forsorjning": ended.loc[names_any(ended["forsorjning_efter"], ("ingen_offentlig",))],
        "remisser": referrals_in_year(remisser, year),
    }
    rows = []
    for measure, frame in subsets.items():
        counts = frame["insats"].value_counts()
        rows += [(insats, measure, "totalt", int(counts.get(insats, 0))) for insats in insatser]
    return pd.DataFrame(rows, columns=["kategori", "matt", "kon", "antal"]).astype(
        {"antal": "int64"}
    )
