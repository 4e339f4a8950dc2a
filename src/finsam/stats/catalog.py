"""Every published table: its id, Swedish caption, how it is computed and how it is protected.

A table is computed by a pure function of a :class:`~finsam.stats.population.Population` into a tidy
frame (``kategori``[, second dimension], ``kon``, ``antal``), laid out with its total rows as
published (:func:`published_layout`), protected together with everything else a site publishes
(:mod:`finsam.stats.protection`), and shown with ``andel`` (percent of the column total, unrounded)
and ``undertryckt`` (:func:`apply_hidden`). Labels and formatting are applied only when shown or
exported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from finsam.errors import FinsamError
from finsam.inputs import codes
from finsam.paths import PARAMS_DIR
from finsam.stats import (
    demographics,
    flows,
    insats_results,
    outcomes,
    referrals,
    structural,
    support,
)
from finsam.stats.population import Population

DEFAULT_THRESHOLD = 4
DISCLOSURE_PARAMS = PARAMS_DIR / "disclosure.yml"


@dataclass(frozen=True)
class TableSpec:
    """How one table is made and shown.

    ``additive``: the categories add up to a column total (false for a flow table, whose rows
    overlap). ``extra_lines``: further identities between categories that suppression must
    respect. ``share_base``: the category whose count is the base of the shares (instead of the
    column total). ``second``: name of a second dimension column and its labels.
    """

    id: str
    title: str
    row_header: str
    compute: Callable[[Population], pd.DataFrame]
    labels: Callable[[Population], Mapping[str, str]]
    source: str
    second: str | None = None
    second_labels: Mapping[str, str] | None = None
    additive: bool = True
    extra_lines: tuple[tuple[str, tuple[str, ...]], ...] = ()
    share_base: str | None = None
    mentions: bool = False
    chart: bool = True
    unprotected: tuple[str, ...] = ()  # slices that count things, not people (e.g. insatser)


def _static(labels: Mapping[str, str]) -> Callable[[Population], Mapping[str, str]]:
    full = {**labels, codes.EJ_ANGIVET: codes.EJ_ANGIVET_LABEL}
    return lambda _pop: full


def _kommun_labels(pop: Population) -> Mapping[str, str]:
    return pop.kommun_names


def _insats_labels(pop: Population) -> Mapping[str, str]:
    return {}


def _individual_insatser(pop: Population) -> list[str]:
    rows = pop.insatser[pop.insatser["typ"] == "individinriktad"]
    return list(dict.fromkeys(rows["insats"]))


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "remisser_kommun",
        "Inkomna remisser per kommun och kön",
        "Kommun",
        lambda p: referrals.referrals_by_kommun(p.remisser, p.year, p.kommuner),
        _kommun_labels,
        "Statistikbilaga 2022, Insjöriket: Remissinflöde",
    ),
    TableSpec(
        "remisser_remittent",
        "Inkomna remisser per remitterande part och kön",
        "Remittent",
        lambda p: referrals.referrals_by_party(p.remisser, p.year),
        _static(codes.REMITTENT),
        "Statistikbilaga 2022, Insjöriket: Remissinflöde",
    ),
    TableSpec(
        "deltagarflode",
        "Deltagarflöde per kön",
        "Deltagare",
        lambda p: flows.participant_flow(p.deltaganden, p.year, p.period_end),
        _static(codes.DELTAGARFLODE),
        "Statistikbilaga 2022, Insjöriket: Deltagarflöden",
        additive=False,
        extra_lines=(("samtliga", ("pagaende", "avslutade")),),
    ),
    TableSpec(
        "deltagare_insats",
        "Deltagare per insats och kön",
        "Insats",
        lambda p: flows.participations_by(p.deltaganden, p.year, "insats", _individual_insatser(p)),
        _insats_labels,
        "Statistikbilaga 2022, Insjöriket: Antal deltagare per insats",
    ),
    TableSpec(
        "flode_insats",
        "Deltagarflöde och resultat per insats",
        "Insats",
        lambda p: insats_results.flows_by_insats(
            p.deltaganden, p.remisser, p.year, _individual_insatser(p)
        ),
        _insats_labels,
        "Måluppfyllelse 2015, Botkyrka Huddinge Salem: deltagare per insats",
        second="matt",
        second_labels=insats_results.MEASURES,
        chart=False,
    ),
    TableSpec(
        "deltagare_kommun",
        "Deltagare per kommun och kön",
        "Kommun",
        lambda p: flows.participations_by(p.deltaganden, p.year, "kommun", p.kommuner),
        _kommun_labels,
        "Statistikbilaga 2022, Insjöriket: Antal deltagare per kommun",
    ),
    TableSpec(
        "registrering",
        "Deltagare per registreringssätt",
        "Registrering",
        lambda p: flows.by_registration(p.deltaganden, p.year),
        _static(codes.REGISTRERING),
        "Försäkringskassans rapport 2021 avsnitt 4.1",
        chart=False,
    ),
    TableSpec(
        "alder",
        "Ålder vid insatsens start per kön",
        "Åldersgrupp",
        lambda p: demographics.by_age(p.deltaganden, p.year),
        _static(codes.ALDERSGRUPP),
        "Statistikbilaga 2022, Insjöriket; Försäkringskassans rapport 2021 bilaga 3",
    ),
    TableSpec(
        "utbildning",
        "Högsta avslutade utbildning per kön",
        "Utbildningsnivå",
        lambda p: demographics.by_education(p.deltaganden, p.year),
        _static(codes.UTBILDNING),
        "Statistikbilaga 2022, Insjöriket; Försäkringskassans rapport 2021 bilaga 3",
    ),
    TableSpec(
        "tid_offentlig_forsorjning",
        "Tid i offentlig försörjning före insats per kön",
        "Tid i offentlig försörjning",
        lambda p: demographics.by_time_on_support(p.deltaganden, p.year),
        _static(codes.TID_OFFENTLIG_FORSORJNING),
        "Statistikbilaga 2022, Insjöriket; Försäkringskassans rapport 2021 bilaga 3",
    ),
    TableSpec(
        "forsorjning_fore",
        "Försörjning före insats per kön (antal omnämnanden)",
        "Försörjning före",
        lambda p: support.support_before(p.deltaganden, p.year),
        _static(codes.FORSORJNING),
        "Försäkringskassans rapport 2021 bilaga 3",
        mentions=True,
    ),
    TableSpec(
        "forsorjning_efter",
        "Försörjning efter avslutad insats per kön (antal omnämnanden)",
        "Försörjning efter",
        lambda p: support.support_after(p.deltaganden, p.year),
        _static(codes.FORSORJNING),
        "Statistikbilaga 2022, Insjöriket: Försörjningsförändring",
        mentions=True,
    ),
    TableSpec(
        "forsorjningsforandring",
        "Försörjning före och efter insats för avslutade deltagare per kön",
        "Försörjning",
        lambda p: support.support_change(p.deltaganden, p.year),
        _static(codes.FORSORJNING),
        "Statistikbilaga 2022, Insjöriket; Försäkringskassans rapport 2021 bilaga 4",
        second="tidpunkt",
        second_labels=codes.TIDPUNKT,
        mentions=True,
    ),
    TableSpec(
        "inriktning",
        "Deltagare per insatsens inriktning och kön",
        "Insatsinriktning",
        lambda p: demographics.by_orientation(p.deltaganden, p.insatser, p.year),
        _static(codes.INRIKTNING_INDIVID),
        "Försäkringskassans rapport 2021 bilaga 3",
    ),
    TableSpec(
        "tid_i_insats",
        "Tid i insats för avslutade deltagare per kön",
        "Tid i insats",
        lambda p: outcomes.by_time_in_insats(p.deltaganden, p.year),
        _static(codes.TID_I_INSATS),
        "Statistikbilaga 2022, Insjöriket; Försäkringskassans rapport 2021 bilaga 3",
    ),
    TableSpec(
        "avslutsorsak",
        "Avslutsorsak per kön",
        "Avslutsorsak",
        lambda p: outcomes.by_end_reason(p.deltaganden, p.year),
        _static(codes.AVSLUTSORSAK),
        "Statistikbilaga 2022, Insjöriket: Avslutningsanledning; "
        "Försäkringskassans rapport 2021 avsnitt 4.2",
    ),
    TableSpec(
        "sysselsattning_efter",
        "Sysselsättning efter avslutad insats per kön (antal omnämnanden)",
        "Sysselsättning",
        lambda p: outcomes.by_occupation_after(p.deltaganden, p.year),
        _static(codes.SYSSELSATTNING),
        "Statistikbilaga 2022, Insjöriket: Sysselsättning efter avslutad insats",
        mentions=True,
    ),
    TableSpec(
        "resultat",
        "Resultat för avslutade deltagare per grupp och kön",
        "Resultat",
        lambda p: outcomes.results(p.deltaganden, p.year),
        _static(codes.RESULTAT_MATT),
        "Försäkringskassans rapport 2021 avsnitt 4.2, tabell 5–6",
        second="grupp",
        second_labels=codes.RESULTAT_GRUPP,
        additive=False,
        share_base="avslutade",
        chart=False,
    ),
    TableSpec(
        "struktur",
        "Strukturövergripande insatser och deltagare per inriktning",
        "Inriktning",
        lambda p: structural.structural_by_orientation(p.strukturdeltagare, p.insatser, p.year),
        _static(codes.INRIKTNING_STRUKTUR),
        "Statistikbilaga 2022, Insjöriket; Försäkringskassans rapport 2021 avsnitt 3.3",
        second="matt",
        second_labels=codes.STRUKTUR_MATT,
        chart=False,
        unprotected=("insatser",),
    ),
)
BY_ID: dict[str, TableSpec] = {spec.id: spec for spec in TABLES}


def load_threshold(path: Path = DISCLOSURE_PARAMS) -> int:
    """The suppression threshold from ``params/disclosure.yml`` (counts 1..threshold hidden)."""
    if not path.is_file():
        if path != DISCLOSURE_PARAMS:
            raise FinsamError(f"{path}: no such disclosure file")
        return DEFAULT_THRESHOLD
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    value = data.get("threshold", DEFAULT_THRESHOLD)
    if not isinstance(value, int) or value < 0:
        raise FinsamError(f"{path}: 'threshold' must be a whole number ≥ 0, got {value!r}")
    return value


# The tables each kind of page publishes (and its exports), in the order they are shown. Kommun
# pages leave out support before and after, occupation after and the results: split over a
# kommun's few ended participants nearly all of their counts would be hidden, and protecting
# them hid a third of the kommun pages' participant flows besides (bench/README.md).
# A goal follow-up (``mal``) publishes the flows and results per insats of its förbund page's
# population; they are a page of their own in the protection, so that förbund pages without
# goals (a national site) do not protect them.
GOAL_TABLES = ("flode_insats",)
PAGE_TABLES: dict[str, tuple[str, ...]] = {
    "forbund": tuple(spec.id for spec in TABLES if spec.id not in GOAL_TABLES),
    "mal": GOAL_TABLES,
    "kommun": (
        "remisser_remittent",
        "deltagarflode",
        "deltagare_insats",
        "alder",
        "utbildning",
        "tid_offentlig_forsorjning",
        "inriktning",
        "tid_i_insats",
        "avslutsorsak",
        "registrering",
    ),
    "riket": (
        "deltagarflode",
        "registrering",
        "inriktning",
        "struktur",
        "resultat",
        "remisser_remittent",
        "alder",
        "utbildning",
        "tid_offentlig_forsorjning",
        "forsorjning_fore",
        "forsorjning_efter",
        "forsorjningsforandring",
        "tid_i_insats",
        "avslutsorsak",
        "sysselsattning_efter",
    ),
}


# Whether a level's pages split counts by gender. A kommun's counts are small: split by gender
# they would mostly be hidden, so kommun pages publish totals only (a coarser breakdown hides
# far fewer people than suppressing most cells of a finer one).
GENDER_SPLIT: dict[str, bool] = {"riket": True, "forbund": True, "kommun": False, "mal": True}


def published_layout(spec: TableSpec, pop: Population) -> pd.DataFrame:
    """The cells a table publishes for a population, with their true counts: the tidy table
    (only ``totalt`` on levels without a gender split, see :data:`GENDER_SPLIT`) with its total
    rows (:func:`with_totals`). Columns ``kategori``, [second], ``kon``, ``antal``."""
    tidy = spec.compute(pop)
    if not GENDER_SPLIT[pop.level]:
        tidy = tidy[tidy["kon"] == "totalt"]
    return with_totals(tidy, spec)


def with_totals(tidy: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """For additive tables, ``tidy`` with a ``totalt`` row per gender (and per value of the
    second dimension, right after its slice) holding the column sum; other tables as they are."""
    tidy = tidy.reset_index(drop=True)
    if not spec.additive:
        return tidy
    keys = [spec.second, "kon"] if spec.second else ["kon"]
    totals = tidy.groupby(keys, sort=False, as_index=False)["antal"].sum()
    totals.insert(0, "kategori", "totalt")
    if spec.second:
        parts = []
        for value, part in tidy.groupby(spec.second, sort=False):
            parts += [part, totals[totals[spec.second] == value]]
        layout = pd.concat(parts, ignore_index=True)
    else:
        layout = pd.concat([tidy, totals], ignore_index=True)
    return layout[tidy.columns].astype({"antal": "int64"})


def compute_tables(pop: Population, ids: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every table (or the ones named) of a population with every gender and *no* protection,
    in catalog order: the counting rules' own output, for tests and internal checks. Published
    tables come from :mod:`finsam.stats.protection`."""
    chosen = [BY_ID[i] for i in ids] if ids else TABLES
    out = {}
    for spec in chosen:
        layout = with_totals(spec.compute(pop), spec)
        out[spec.id] = apply_hidden(layout, spec, np.zeros(len(layout), bool))
    return out


def protectable(layout: pd.DataFrame, spec: TableSpec) -> np.ndarray:
    """Which cells of a layout count people (and so may be hidden); counts of insatser are
    published as they are."""
    if spec.second is None or not spec.unprotected:
        return np.ones(len(layout), bool)
    return ~layout[spec.second].isin(spec.unprotected).to_numpy()


def hide(layout: pd.DataFrame, hidden: np.ndarray) -> pd.DataFrame:
    """``layout`` with ``antal`` missing where ``hidden`` and the flag ``undertryckt``."""
    hidden = np.asarray(hidden, dtype=bool)
    counts = layout["antal"].to_numpy(dtype=np.int64)
    return layout.assign(
        antal=pd.arrays.IntegerArray(np.where(hidden, 0, counts), hidden.copy()),
        undertryckt=hidden,
    )


def apply_hidden(layout: pd.DataFrame, spec: TableSpec, hidden: np.ndarray) -> pd.DataFrame:
    """The published table: ``antal`` missing where ``hidden``, ``undertryckt``, and ``andel``
    (unrounded percent of the column's ``totalt`` row, or of the ``share_base`` category) shown
    only where both the count and its base are shown and the base is not 0."""
    keys = [k for k in (spec.second, "kon") if k]
    table = hide(layout, hidden)
    base_name = "totalt" if spec.additive else spec.share_base
    if base_name is None:
        share = pd.Series(np.nan, index=table.index)
    else:
        is_base = (table["kategori"] == base_name).to_numpy()
        base = table[is_base].set_index(keys)["antal"]
        index = pd.MultiIndex.from_frame(table[keys]) if len(keys) > 1 else table[keys[0]]
        bases = pd.array(index.map(base.to_dict().get), dtype="Float64")
        share = pd.Series(table["antal"].astype("Float64").to_numpy() / bases * 100)
        share = share.where(pd.Series(bases > 0) & table["antal"].notna().to_numpy())
    table["andel"] = share.astype(float).to_numpy()
    columns = ("kategori", spec.second, "kon", "antal", "andel", "undertryckt")
    return table[[c for c in columns if c]]
