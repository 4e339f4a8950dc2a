"""Everything one report page needs, computed from the store: the protected tables of a
population (riket, förbund or kommun × year) and the texts stating their key numbers.

Notebooks call :func:`report_page` and show the result; all counting is in the modules it
calls, so every number on a page is reachable by a unit test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finsam.inputs.store import open_store
from finsam.report import prose
from finsam.report.reconciliation import QualityFinding, quality_findings
from finsam.stats import referrals
from finsam.stats.catalog import load_threshold
from finsam.stats.population import Population, population
from finsam.stats.protection.plan import page_mask, protected_page, read_mask
from finsam.stats.protection.publication import population_key


@dataclass(frozen=True)
class ReportPage:
    """A population's protected tables (by table id), key-number texts and data-quality
    findings, with the store's metadata (``synthetic``, fingerprint)."""

    population: Population
    tables: dict[str, pd.DataFrame]
    threshold: int
    meta: dict
    referral_text: str
    flow_text: str
    structural_text: str
    quality: list[QualityFinding]
    incomplete_period: str | None = None  # the sentence stating that the data ends early

    @property
    def year(self) -> int:
        return self.population.year

    @property
    def labels(self) -> dict[str, str]:
        return self.population.kommun_names


def report_page(
    store_path: str | Path,
    level: str,
    name: str | None,
    year: int,
    period_end: str | dt.date | None = None,
    threshold: int | None = None,
    protection: str | Path | None = None,
    mask: pd.DataFrame | None = None,
) -> ReportPage:
    """Tables, texts and findings of one report page (suppression threshold from
    ``params/disclosure.yml`` unless given).

    ``protection`` is the mask file of the site the page belongs to (written by ``finsam
    build``), so that the page hides exactly what the site-wide protection decided; without it
    the page is protected on its own, as a publication of one page. ``mask`` gives the page's
    hidden flags directly (from a protection of several pages made by the caller).
    """
    store = open_store(store_path)
    pop = population(store, level, name, int(year), period_end)
    threshold = load_threshold() if threshold is None else threshold
    key = population_key(pop)
    meta = store.meta()
    if mask is None:
        mask = (
            page_mask(store, key, threshold)
            if protection is None
            else read_mask(Path(protection), meta["fingerprint"], threshold, key)
        )
    protected = protected_page(pop, key, mask)
    tables = protected.tables
    kommun = pop.name if level == "kommun" else None
    subject = "samordningsförbunden" if level == "riket" else "förbundet"
    last = referrals.last_referral_date(pop.remisser, pop.year) if level != "kommun" else None
    data_until, declared = store.data_until()
    return ReportPage(
        incomplete_period=prose.incomplete_period_note(pop.period_end, data_until, declared),
        population=pop,
        tables=tables,
        threshold=threshold,
        meta=meta,
        referral_text=prose.referral_summary(
            tables["remisser_remittent"], pop.year, last, kommun_name=kommun, subject=subject
        ),
        flow_text=prose.flow_summary(
            tables["deltagarflode"],
            pop.year,
            kommun_name=kommun,
            subject=subject,
            period_end=pop.period_end,
        ),
        structural_text=(
            prose.structural_summary(tables["struktur"], pop.year) if "struktur" in tables else ""
        ),
        quality=(
            quality_findings(protected.quality_facts, protected.quality)
            if protected.quality_facts is not None
            else []
        ),
    )
