"""Every published table: its id, Swedish caption, how it is computed and how it is protected.

A table is computed by a pure function of a :class:`~finsam.population.Population` into a tidy
frame (``kategori``[, second dimension], ``kon``, ``antal``), then protected by small-count
suppression (:mod:`finsam.disclosure`), which adds ``andel`` (percent of the column total,
unrounded) and ``undertryckt``. Labels and formatting are applied only when shown or exported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from finsam import codes, demographics, disclosure, flows, outcomes, referrals, structural, support
from finsam.errors import FinsamError
from finsam.paths import PARAMS_DIR
from finsam.population import Population

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
        "Statistikbilaga (seed 000): Remissinflöde",
    ),
    TableSpec(
        "remisser_remittent",
        "Inkomna remisser per remitterande part och kön",
        "Remittent",
        lambda p: referrals.referrals_by_party(p.remisser, p.year),
        _static(codes.REMITTENT),
        "Statistikbilaga (seed 000): Remissinflöde",
    ),
    TableSpec(
        "deltagarflode",
        "Deltagarflöde per kön",
        "Deltagare",
        lambda p: flows.participant_flow(p.deltaganden, p.year, p.period_end),
        _static(codes.DELTAGARFLODE),
        "Statistikbilaga (seed 000): Deltagarflöden",
        additive=False,
        extra_lines=(("samtliga", ("pagaende", "avslutade")),),
    ),
    TableSpec(
        "deltagare_insats",
        "Deltagare per insats och kön",
        "Insats",
        lambda p: flows.participations_by(p.deltaganden, p.year, "insats", _individual_insatser(p)),
        _insats_labels,
        "Statistikbilaga (seed 000): Antal deltagare per insats",
    ),
    TableSpec(
        "deltagare_kommun",
        "Deltagare per kommun och kön",
        "Kommun",
        lambda p: flows.participations_by(p.deltaganden, p.year, "kommun", p.kommuner),
        _kommun_labels,
        "Statistikbilaga (seed 000): Antal deltagare per kommun",
    ),
    TableSpec(
        "registrering",
        "Deltagare per registreringssätt",
        "Registrering",
        lambda p: flows.by_registration(p.deltaganden, p.year),
        _static(codes.REGISTRERING),
        "Nationell rapport (seed 003) avsnitt 4.1",
        chart=False,
    ),
    TableSpec(
        "alder",
        "Ålder vid insatsens start per kön",
        "Åldersgrupp",
        lambda p: demographics.by_age(p.deltaganden, p.year),
        _static(codes.ALDERSGRUPP),
        "Seed 000; seed 003 bilaga 3",
    ),
    TableSpec(
        "utbildning",
        "Högsta avslutade utbildning per kön",
        "Utbildningsnivå",
        lambda p: demographics.by_education(p.deltaganden, p.year),
        _static(codes.UTBILDNING),
        "Seed 000; seed 003 bilaga 3",
    ),
    TableSpec(
        "tid_offentlig_forsorjning",
        "Tid i offentlig försörjning före insats per kön",
        "Tid i offentlig försörjning",
        lambda p: demographics.by_time_on_support(p.deltaganden, p.year),
        _static(codes.TID_OFFENTLIG_FORSORJNING),
        "Seed 000; seed 003 bilaga 3",
    ),
    TableSpec(
        "forsorjning_fore",
        "Försörjning före insats per kön (antal omnämnanden)",
        "Försörjning före",
        lambda p: support.support_before(p.deltaganden, p.year),
        _static(codes.FORSORJNING),
        "Seed 003 bilaga 3",
        mentions=True,
    ),
    TableSpec(
        "forsorjning_efter",
        "Försörjning efter avslutad insats per kön (antal omnämnanden)",
        "Försörjning efter",
        lambda p: support.support_after(p.deltaganden, p.year),
        _static(codes.FORSORJNING),
        "Seed 000: Försörjningsförändring",
        mentions=True,
    ),
    TableSpec(
        "forsorjningsforandring",
        "Försörjning före och efter insats för avslutade deltagare per kön",
        "Försörjning",
        lambda p: support.support_change(p.deltaganden, p.year),
        _static(codes.FORSORJNING),
        "Seed 000; seed 003 bilaga 4",
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
        "Seed 003 bilaga 3",
    ),
    TableSpec(
        "tid_i_insats",
        "Tid i insats för avslutade deltagare per kön",
        "Tid i insats",
        lambda p: outcomes.by_time_in_insats(p.deltaganden, p.year),
        _static(codes.TID_I_INSATS),
        "Seed 000; seed 003 bilaga 3",
    ),
    TableSpec(
        "avslutsorsak",
        "Avslutsorsak per kön",
        "Avslutsorsak",
        lambda p: outcomes.by_end_reason(p.deltaganden, p.year),
        _static(codes.AVSLUTSORSAK),
        "Seed 000: Avslutningsanledning; seed 003 avsnitt 4.2",
    ),
    TableSpec(
        "sysselsattning_efter",
        "Sysselsättning efter avslutad insats per kön (antal omnämnanden)",
        "Sysselsättning",
        lambda p: outcomes.by_occupation_after(p.deltaganden, p.year),
        _static(codes.SYSSELSATTNING),
        "Seed 000: Sysselsättning efter avslutad insats",
        mentions=True,
    ),
    TableSpec(
        "resultat",
        "Resultat för avslutade deltagare per grupp och kön",
        "Resultat",
        lambda p: outcomes.results(p.deltaganden, p.year),
        _static(codes.RESULTAT_MATT),
        "Seed 003 avsnitt 4.2, tabell 5–6",
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
        "Seed 000; seed 003 avsnitt 3.3",
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


def protect(tidy: pd.DataFrame, spec: TableSpec, threshold: int) -> pd.DataFrame:
    """Suppress small counts (and their complements) slice by slice of the second dimension;
    add ``andel`` and ``undertryckt``, and for additive tables the ``totalt`` row of column sums
    (protected with the same mask). ``threshold=0`` publishes everything (internal use)."""
    slices = (
        [tidy]
        if spec.second is None
        else [part for _, part in tidy.groupby(spec.second, sort=False)]
    )
    out = []
    for part in slices:
        plain = part.drop(columns=[spec.second]) if spec.second else part
        plain = plain.reset_index(drop=True)
        limit = 0 if spec.second and part[spec.second].iloc[0] in spec.unprotected else threshold
        if spec.additive:
            done = disclosure.with_total_row(plain, limit, extra_lines=spec.extra_lines)
        else:
            done = disclosure.suppress_tidy(
                plain, limit, additive_categories=False, extra_lines=spec.extra_lines
            )
        if spec.second:
            done.insert(1, spec.second, part[spec.second].iloc[0])
        out.append(done)
    table = pd.concat(out, ignore_index=True)
    if spec.share_base:
        table = _shares_of_base(table, spec)
    return table[
        [c for c in ("kategori", spec.second, "kon", "antal", "andel", "undertryckt") if c]
    ]


def _shares_of_base(table: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    keys = [k for k in (spec.second, "kon") if k]
    base = table[table["kategori"] == spec.share_base].set_index(keys)["antal"]
    bases = table.set_index(keys).index.map(base.to_dict().get)
    bases = pd.Series(bases, index=table.index, dtype="Float64")
    share = table["antal"].astype("Float64") / bases * 100
    share = share.where((bases > 0) & table["antal"].notna())
    return table.assign(andel=share.astype(float))


def compute_table(spec: TableSpec, pop: Population, threshold: int) -> pd.DataFrame:
    """One protected tidy table for a population."""
    return protect(spec.compute(pop), spec, threshold)


def compute_tables(
    pop: Population, threshold: int, ids: list[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Every table (or the ones named) for a population, in catalog order."""
    chosen = [BY_ID[i] for i in ids] if ids else TABLES
    return {spec.id: compute_table(spec, pop, threshold) for spec in chosen}
