"""Site-wide small-count protection against the attacks that broke table-by-table protection.

Each test builds a small dataset by hand (participations listed in the test), publishes a few
pages, and shows two things: a protection that ignores one family of relations leaves a hidden
cell that the attacker (the audit, which knows every relation) pins down — the number worked
out by hand — and the site-wide protection leaves every hidden cell at least four possible
values.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from handmade import FORBUND, people, store_of
from typer.testing import CliRunner

from finsam.cli import app
from finsam.errors import FinsamError
from finsam.inputs.dataset import load_dataset
from finsam.inputs.store import Store, ingest
from finsam.pipeline.build import build_site
from finsam.pipeline.matrix import plan_runs
from finsam.report.reconciliation import quality_findings
from finsam.stats.catalog import PAGE_TABLES
from finsam.stats.population import members_of
from finsam.stats.protection import linked
from finsam.stats.protection.audit import failures, intervals, total_part
from finsam.stats.protection.plan import (
    AuditFailed,
    mask_frame,
    pages_masks,
    pages_of,
    protect_pages,
    protect_table_by_table,
    protected_page,
    read_mask,
    site_mask,
)
from finsam.stats.protection.publication import PageKey, Publication, publication

MOLNDAL, PARTILLE, HARRYDA, LERUM, ALINGSAS = "1481", "1402", "1401", "1441", "1489"


def cell(pub: Publication, page: PageKey, table: str, kategori: str, kon: str, second="") -> int:
    cells = pub.cells
    hit = cells[
        (cells["page"] == page.id)
        & (cells["table"] == table)
        & (cells["kategori"] == kategori)
        & (cells["kon"] == kon)
        & (cells["second"] == second)
    ]
    assert len(hit) == 1, (page, table, kategori, kon, second)
    return int(hit.index[0])


def protect_ignoring(pub: Publication, ignored: Callable) -> np.ndarray:
    """Protection that does not know the relations for which ``ignored(relation)`` is true."""
    known = [r for r in pub.relations if not ignored(r)]
    return linked.protect(pub.values, known, 4, protectable=pub.cells["protectable"].to_numpy())


def assert_site_wide_passes(store: Store, keys: list[PageKey]) -> np.ndarray:
    protection = protect_pages(store, keys, 4)
    pub = protection.publication
    assert protection.failures == []
    assert failures(pub.values, protection.hidden, pub.relations) == []
    values = pub.values
    assert not (protection.hidden & (values == 0)).any()  # zeros are never hidden
    assert protection.hidden[(values >= 1) & (values <= 4) & pub.cells["protectable"]].all()
    return protection.hidden


def kommun(code: str, year: int = 2022) -> PageKey:
    return PageKey("kommun", code, year)


def forbund(year: int = 2022) -> PageKey:
    return PageKey("forbund", FORBUND, year)


def test_same_page_shared_totals(tmp_path):
    """Partille 2022: 10 participations, 3 still going at the end of the year and 7 ended.
    pågående 3 is hidden, and so avslutade 7 as its complement (samtliga = pågående +
    avslutade); but the total of ``tid_i_insats`` shows the 7 ended, and 10 − 7 = 3."""
    rows = people(3, PARTILLE, "kvinna", "2022-02-01")
    rows += people(7, PARTILLE, "kvinna", "2022-01-10", "2022-09-30")  # 9 months: "7-12"
    store = store_of(tmp_path, rows)
    page = kommun(PARTILLE)
    pub = publication(pages_of(store, [page]))
    pagaende = cell(pub, page, "deltagarflode", "pagaende", "totalt")
    links = protect_ignoring(pub, lambda r: r.kind == "link")
    assert links[pagaende]
    found = intervals(pub.values, links, pub.relations, only=[pagaende])[pagaende]
    assert (found.low, found.high) == (3, 3)
    hidden = assert_site_wide_passes(store, [page])
    assert hidden[pagaende]


def test_same_table_age_groups(tmp_path):
    """Förbund 2022, ended: 2 women under 30 and 10 women 30 or older, all to studies. In
    ``resultat`` the under-30 women's 2 are hidden; all women (12) and 30 and older (10) are
    shown, so the 2 follow by subtraction unless the groups are protected together."""
    rows = people(2, MOLNDAL, "kvinna", "2022-01-10", "2022-06-30", fodelsear="2000",
                  sysselsattning_efter="studier")  # fmt: skip
    rows += people(
        10, MOLNDAL, "kvinna", "2022-01-10", "2022-06-30", sysselsattning_efter="studier"
    )
    rows += people(10, MOLNDAL, "man", "2022-01-10", "2022-06-30", sysselsattning_efter="studier")
    store = store_of(tmp_path, rows)
    page = forbund()
    pub = publication(pages_of(store, [page]))
    young = cell(pub, page, "resultat", "arbete_studier_efter", "kvinna", "under_30")
    second_of = pub.cells["second"].to_numpy()
    groups = protect_ignoring(
        pub, lambda r: r.kind == "table" and len({second_of[c] for c in r.cells}) > 1
    )
    assert groups[young]
    found = intervals(pub.values, groups, pub.relations, only=[young])[young]
    assert (found.low, found.high) == (2, 2)
    assert_site_wide_passes(store, [page])


def test_chains_across_tables(tmp_path):
    """Förbund 2022, 14 women and 15 men ended; 2 women and 7 men to unsubsidised work, 6 women
    and 8 men actively job-seeking. The job-seekers of ``resultat`` are the same people as those
    of ``sysselsattning_efter``: a cell hidden in one and shown in the other gives it away."""
    rows = people(2, MOLNDAL, "kvinna", "2022-01-10", "2022-06-30",
                  sysselsattning_efter="arbete_osubventionerat")  # fmt: skip
    rows += people(7, MOLNDAL, "man", "2022-01-10", "2022-06-30",
                   sysselsattning_efter="arbete_osubventionerat")  # fmt: skip
    rows += people(6, MOLNDAL, "kvinna", "2022-01-10", "2022-06-30",
                   sysselsattning_efter="aktivt_arbetssokande")  # fmt: skip
    rows += people(8, MOLNDAL, "man", "2022-01-10", "2022-06-30",
                   sysselsattning_efter="aktivt_arbetssokande")  # fmt: skip
    rows += people(6, MOLNDAL, "kvinna", "2022-01-10", "2022-06-30")
    store = store_of(tmp_path, rows)
    page = forbund()
    pub = publication(pages_of(store, [page]))
    links = protect_ignoring(pub, lambda r: r.kind == "link")
    broken = failures(pub.values, links, pub.relations)
    assert broken, "without the links between tables some hidden cell is pinned down"
    tables = {pub.cells["table"].iat[f.cell] for f in broken}
    assert tables & {"sysselsattning_efter", "resultat", "deltagarflode", "avslutsorsak"}
    assert_site_wide_passes(store, [page])


def test_across_pages(tmp_path):
    """Förbund 2022 with Mölndal 12, Partille 10 and Lerum 3 participations (women). Lerum's 3
    is hidden on the förbund page's per-kommun table together with a complement, but the
    förbund's 25 minus the kommun pages' 12 and 10 gives Lerum's 3."""
    rows = people(12, MOLNDAL, "kvinna", "2022-01-10")
    rows += people(10, PARTILLE, "kvinna", "2022-01-10")
    rows += people(3, LERUM, "kvinna", "2022-01-10")
    store = store_of(tmp_path, rows)
    pages = [forbund(), kommun(MOLNDAL), kommun(PARTILLE), kommun(LERUM)]
    pub = publication(pages_of(store, pages))
    lerum = cell(pub, forbund(), "deltagare_kommun", LERUM, "totalt")
    levels = protect_ignoring(pub, lambda r: r.kind == "level")
    assert levels[lerum]
    found = intervals(pub.values, levels, pub.relations, only=[lerum])[lerum]
    assert (found.low, found.high) == (3, 3)
    hidden = assert_site_wide_passes(store, pages)
    assert hidden[lerum]


def test_across_years(tmp_path):
    """Förbund: 3 women still going at the end of 2021 (started 2021) and 8 new women in 2022;
    10 men in both years. pågående 2021 = samtliga 2022 − nya 2022 = 11 − 8 = 3."""
    rows = people(3, MOLNDAL, "kvinna", "2021-03-01")
    rows += people(8, MOLNDAL, "kvinna", "2022-03-01")
    rows += people(10, MOLNDAL, "man", "2021-03-01")
    store = store_of(tmp_path, rows)
    pages = [forbund(2021), forbund(2022)]
    pub = publication(pages_of(store, pages))
    before = cell(pub, forbund(2021), "deltagarflode", "pagaende", "kvinna")
    years = protect_ignoring(pub, lambda r: r.kind == "year")
    assert years[before]
    found = intervals(pub.values, years, pub.relations, only=[before])[before]
    assert (found.low, found.high) == (3, 3)
    assert_site_wide_passes(store, pages)


def test_shown_zeros_force_hidden_ones(tmp_path):
    """Härryda 2019: 13 ended, 1 each after 1–6, 7–12 and 13–18 months, 10 after 25 months or
    more, none after 19–24. With only the three 1s hidden, each line has more than one hidden
    cell, yet the shown 13 − 10 = 3 spread over three cells of at least 1 each: all are 1."""
    rows = people(1, HARRYDA, "kvinna", "2019-01-01", "2019-03-01")  # 2 months
    rows += people(1, HARRYDA, "kvinna", "2018-10-01", "2019-06-30")  # 9 months
    rows += people(1, HARRYDA, "kvinna", "2018-01-01", "2019-03-31")  # 15 months
    rows += people(10, HARRYDA, "kvinna", "2016-01-01", "2019-05-31")  # 41 months
    store = store_of(tmp_path, rows)
    page = kommun(HARRYDA, 2019)
    pub = publication(pages_of(store, [page]))
    ones = [cell(pub, page, "tid_i_insats", k, "totalt") for k in ("1-6", "7-12", "13-18")]
    assert list(pub.values[ones]) == [1, 1, 1]
    primary = (pub.values >= 1) & (pub.values <= 4) & pub.cells["protectable"].to_numpy()
    found = intervals(pub.values, primary, pub.relations, only=ones)
    assert [(found[c].low, found[c].high) for c in ones] == [(1, 1)] * 3
    assert_site_wide_passes(store, [page])


def test_data_quality_counts_are_protected_with_the_tables(tmp_path):
    """Förbund 2022: 20 registrations of 18 people (2 people registered twice). The quality
    section's "2 registrations are a person's second" follows from 20 − 18 if both are shown,
    so one of them is hidden, and the text prints '..' for the 2."""
    rows = people(10, MOLNDAL, "kvinna", "2022-01-10") + people(8, MOLNDAL, "man", "2022-01-10")
    store_of(tmp_path, rows + people(2, MOLNDAL, "man", "2022-05-01"))
    frame = pd.read_csv(tmp_path / "data" / "deltaganden.csv", dtype=str, keep_default_na=False)
    frame.loc[frame.index[-2:], "person_id"] = frame["person_id"].iloc[-4:-2].to_numpy()
    frame.to_csv(tmp_path / "data" / "deltaganden.csv", index=False)
    store = Store(ingest(load_dataset(tmp_path / "data"), tmp_path / "store2.duckdb"))
    page = forbund()
    protection = protect_pages(store, [page], 4)
    assert protection.failures == []
    pub = protection.publication
    repeated = cell(pub, page, "datakvalitet", "upprepade", "totalt")
    registrations = cell(pub, page, "datakvalitet", "registreringar", "totalt")
    persons = cell(pub, page, "datakvalitet", "unika", "totalt")
    assert list(pub.values[[repeated, registrations, persons]]) == [2, 20, 18]
    assert protection.hidden[repeated]
    assert protection.hidden[registrations] or protection.hidden[persons]
    pop = pages_of(store, [page])[0][1]
    shown = protected_page(pop, page, mask_frame(protection))
    quality = shown.quality.set_index("kategori")
    assert pd.isna(quality.loc["upprepade", "antal"])
    # the same count is hidden alike in the quality section and in the flow table
    flow = shown.tables["deltagarflode"].set_index(["kategori", "kon"])
    assert (
        quality.loc["registreringar", "undertryckt"]
        == flow.loc[("samtliga", "totalt"), "undertryckt"]
    )
    # and the section's text prints ".." for every hidden count, never the count
    first = quality_findings(shown.quality_facts, shown.quality)[0]
    shown_20 = "20" if not protection.hidden[registrations] else ".."
    shown_18 = "18" if not protection.hidden[persons] else ".."
    assert first.text == (
        f"{shown_20} deltaganden med personuppgifter under 2022 gäller {shown_18} unika "
        "personer: .. deltaganden är en persons andra eller senare registrering (parallella "
        "insatser eller återkomst)."
    )
    assert first.consistent is False


def test_the_flow_tables_own_identity_is_kept_through_the_catalog(tmp_path):
    """Partille 2022: 10 participations, 2 still going at the end of the year and 8 ended. A
    reader knows samtliga = pågående + avslutade (the flow table's extra line in the catalog),
    so hiding the 2 alone gives it away as 10 − 8; the protection hides a second cell of the
    line and the audit, told the line by hand here, finds nothing to narrow."""
    rows = people(2, PARTILLE, "kvinna", "2022-02-01")
    rows += people(8, PARTILLE, "kvinna", "2022-01-10", "2022-09-30")
    store = store_of(tmp_path, rows)
    page = kommun(PARTILLE)
    protection = protect_pages(store, [page], 4)
    pub = protection.publication
    samtliga, pagaende, avslutade = (
        cell(pub, page, "deltagarflode", k, "totalt") for k in ("samtliga", "pagaende", "avslutade")
    )
    assert list(pub.values[[samtliga, pagaende, avslutade]]) == [10, 2, 8]
    line = total_part(samtliga, [pagaende, avslutade])
    hidden = protection.hidden
    assert hidden[pagaende] and (hidden[samtliga] or hidden[avslutade])
    assert failures(pub.values, hidden, [*pub.relations, line]) == []
    only_primary = np.zeros_like(hidden)
    only_primary[pagaende] = True
    [found] = failures(pub.values, only_primary, [line])
    assert (found.cell, found.low, found.high) == (pagaende, 2, 2)


@pytest.mark.parametrize("threshold", [0, 4])
def test_threshold_zero_hides_nothing(tmp_path, threshold):
    rows = people(3, MOLNDAL, "kvinna", "2022-01-10") + people(7, MOLNDAL, "man", "2022-01-10")
    store = store_of(tmp_path, rows)
    protection = protect_pages(store, [forbund()], threshold)
    assert protection.hidden.any() == (threshold > 0)


SMALL = Path(__file__).parent / "fixtures" / "small"
ONE_KOMMUN = """years: [2022]
forbund:
  - name: Samordningsförbundet Insjöriket
    kommuner: [Mölndal]
"""


def primary_only(values, relations, threshold, protectable=None, local=None):
    """A protection that hides the counts 1..threshold and nothing else."""
    return np.asarray(protectable, bool) & (values >= 1) & (values <= threshold)


def test_build_publishes_nothing_when_the_audit_fails(tmp_path, monkeypatch):
    matrix = tmp_path / "matrix.yml"
    matrix.write_text(ONE_KOMMUN, encoding="utf-8")
    monkeypatch.setattr(linked, "protect", primary_only)
    with pytest.raises(AuditFailed) as failed:
        build_site(SMALL, tmp_path / "site", tmp_path / "build", matrix, "builtin")
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "build" / "runs").exists()  # no notebook was executed
    # Mölndal 2022 (totals only): pågående 1, avslutade 2 and samtliga 3 are hidden, but
    # pågående + avslutade = samtliga with each at least 1 already keeps pågående within 1–2;
    # with the other relations of the site the attacker pins it down to the true 1.
    message = str(failed.value)
    assert message.startswith("the small-count audit failed for ")
    assert "nothing was published" in message
    pub = failed.value.protection.publication
    pagaende = cell(pub, kommun(MOLNDAL), "deltagarflode", "pagaende", "totalt")
    found = {i.cell: i for i in failed.value.protection.failures}[pagaende]
    assert (found.low, found.high) == (1, 1)
    assert failed.value.protection.describe(found) == (
        "page kommun|1481|2022|, table deltagarflode, cell pagaende/totalt: "
        "a reader can narrow it to 1–1"
    )


def test_audit_command_reports_and_exits_1_on_failure(tmp_path, monkeypatch):
    matrix = tmp_path / "matrix.yml"
    matrix.write_text(ONE_KOMMUN, encoding="utf-8")
    args = ["audit", "--data", str(SMALL), "--params", str(matrix), "--build-dir", str(tmp_path)]
    runner = CliRunner()
    passed = runner.invoke(app, args)
    assert passed.exit_code == 0, passed.output
    first = passed.output.splitlines()[0]
    assert re.fullmatch(
        r"2 pages, \d+ published counts, \d+ hidden \(threshold \d\), \d+ relations \(.+\), "
        r"[\d.]+ s \(publication [\d.]+ s, protection [\d.]+ s, audit [\d.]+ s\)",
        first,
    ), first
    assert "audit passed" in passed.output
    monkeypatch.setattr(linked, "protect", primary_only)
    failed = runner.invoke(app, args)
    assert failed.exit_code == 1
    assert "the small-count audit failed" in failed.output


@pytest.mark.parametrize("kind", ["riket", "forbund", "kommun"])
def test_notebooks_show_exactly_the_tables_that_are_protected(kind):
    """What a page shows is what the protection covers: the tables its notebook displays are
    the page kind's tables in the catalog."""
    notebook = Path(__file__).parents[1] / "notebooks" / f"{kind}.ipynb"
    source = "".join("".join(c["source"]) for c in json.loads(notebook.read_text())["cells"])
    shown = set(
        re.findall(
            r'show\.(?:table|compared_with_national)\(page, (?:store_path, )?"(\w+)"',
            source,
        )
    )
    assert shown == set(PAGE_TABLES[kind])


@pytest.mark.pipeline
def test_a_national_site_is_protected_within_each_forbund_then_across_them(tmp_path):
    """Two förbund of the national dataset, one year: the national page's sums over förbund join
    the förbund into one system. Protected first within each förbund family and then across
    them, the whole site passes the audit; the cross-förbund sums are part of that audit."""
    from finsam.inputs.synth import write_tables
    from finsam.inputs.synth_national import synthesize_national

    tables = synthesize_national(seed=4, count=2)
    chosen = sorted({row["forbund"] for row in tables["deltaganden"]})
    assert len(chosen) == 2
    store = Store(
        ingest(load_dataset(write_tables(tmp_path / "data", tables, "test", 4)), tmp_path / "s")
    )
    matrix = {"years": [2021], "riket": True, "forbund": "auto"}
    keys = sorted({k for run in plan_runs(matrix, store) for k in run.protection_keys})
    # One year: the key figures over time show the site's years, this one.
    assert {k.year for k in keys} == {2021}
    assert len(keys) == 1 + 2 + sum(len(members_of(store, name)) for name in chosen)
    protection = protect_pages(store, keys, 4)
    pub, hidden = protection.publication, protection.hidden
    values = pub.values
    assert set(pub.families.values()) == {"riket", *chosen}
    across = [r for r in pub.relations if r not in pub.within_families()]
    assert across and all(r.kind == "level" for r in across)  # riket = Σ förbund
    assert hidden[(values >= 1) & (values <= 4) & pub.cells["protectable"].to_numpy()].all()
    assert not hidden[values == 0].any()
    assert protection.failures == []
    assert failures(values, hidden, pub.relations) == []


def test_goal_flows_are_linked_to_the_forbund_page(tmp_path):
    """Förbund 2022, insats Balder: 12 started, 9 of them ended, 2 to work and in own support.
    The goal follow-up's flows per insats repeat the förbund page's new and ended participants,
    results and support after: a reader knows they are the same people."""
    rows = people(3, MOLNDAL, "kvinna", "2022-01-10")
    rows += people(7, MOLNDAL, "man", "2022-01-10", "2022-06-30", forsorjning_efter="a_kassa")
    rows += people(2, MOLNDAL, "kvinna", "2022-01-10", "2022-06-30",
                   sysselsattning_efter="studier", forsorjning_efter="ingen_offentlig")  # fmt: skip
    store = store_of(tmp_path, rows)
    goal_page = PageKey("mal", FORBUND, 2022)
    pub = publication(pages_of(store, [forbund(), goal_page]))
    assert pub.families[goal_page.id] == pub.families[forbund().id] == FORBUND
    links = {
        (frozenset(r.plus), frozenset(r.minus), r.equal) for r in pub.relations if r.kind == "link"
    }
    on_goal_page = lambda k, m: cell(pub, goal_page, "flode_insats", k, "totalt", m)  # noqa: E731
    on_forbund_page = lambda t, k, s="": cell(pub, forbund(), t, k, "totalt", s)  # noqa: E731
    for measure, table, kategori, second in (
        ("nya", "deltagarflode", "nya", ""),
        ("avslutade", "deltagarflode", "avslutade", ""),
        ("arbete_studier", "resultat", "arbete_studier_efter", "alla"),
        ("egen_forsorjning", "forsorjning_efter", "ingen_offentlig", ""),
    ):
        same = (
            frozenset([on_goal_page("totalt", measure)]),
            frozenset([on_forbund_page(table, kategori, second)]),
            True,
        )
        assert same in links, measure
    assert pub.values[on_goal_page("Balder", "nya")] == 12
    assert pub.values[on_goal_page("Balder", "egen_forsorjning")] == 2
    hidden = assert_site_wide_passes(store, [forbund(), goal_page])
    assert hidden[on_goal_page("Balder", "arbete_studier")]  # 2: small


def test_table_by_table_protection_leaves_what_the_site_wide_one_closes(tmp_path):
    """Partille 2022 as in :func:`test_same_page_shared_totals`: protected table by table (each
    table with its own relations only), pågående 3 is hidden with a complement in the flow
    table, yet the total of ``tid_i_insats`` shows the 7 ended, so 10 − 7 = 3."""
    rows = people(3, PARTILLE, "kvinna", "2022-02-01")
    rows += people(7, PARTILLE, "kvinna", "2022-01-10", "2022-09-30")
    store = store_of(tmp_path, rows)
    page = kommun(PARTILLE)
    pub = publication(pages_of(store, [page]))
    alone = protect_table_by_table(pub, 4)
    values = pub.values
    small = (values >= 1) & (values <= 4) & pub.cells["protectable"].to_numpy()
    assert alone[small].all() and not alone[values == 0].any()
    pagaende = cell(pub, page, "deltagarflode", "pagaende", "totalt")
    tables = [r for r in pub.relations if r.kind == "table"]
    assert failures(values, alone, tables) == []  # each table is safe on its own
    found = {f.cell: (f.low, f.high) for f in failures(values, alone, pub.relations)}
    assert found[pagaende] == (3, 3)


def test_table_by_table_protection_of_a_hand_made_publication():
    """One page, threshold 4. Table A: 10 = x 1 + y 4 + z 5, and s 6 = x + z, a ``link``
    relation inside A. Table by table knows only the ``table`` relations: x and y are hidden
    (each 1 to 4), s does not matter. Table C has no relation: w 1 and v 4 are hidden as small.
    Table D: 10 = p 1 + q 9 with q not protectable (a count of insatser): p's complement must be
    the total 10, not q. Without relations, only the small cells are hidden."""
    rows = [  # table, kategori, antal, protectable
        ("A", "totalt", 10, True), ("A", "x", 1, True), ("A", "y", 4, True),
        ("A", "z", 5, True), ("A", "s", 6, True),
        ("C", "w", 1, True), ("C", "v", 4, True), ("C", "u", 5, True),
        ("D", "totalt", 10, True), ("D", "p", 1, True), ("D", "q", 9, False),
    ]  # fmt: skip
    cells = pd.DataFrame(rows, columns=["table", "kategori", "antal", "protectable"])
    cells = cells.assign(page="kommun|1481|2022|", second="", kon="totalt")
    at = {row[:2]: i for i, row in enumerate(rows)}
    relations = [
        total_part(at["A", "totalt"], [at["A", "x"], at["A", "y"], at["A", "z"]]),
        total_part(at["A", "s"], [at["A", "x"], at["A", "z"]], kind="link"),
        total_part(at["D", "totalt"], [at["D", "p"], at["D", "q"]]),
    ]
    pub = Publication(pages=[], cells=cells, relations=relations)
    hidden = protect_table_by_table(pub, 4)
    assert sorted(cells["table"][hidden] + ":" + cells["kategori"][hidden]) == [
        "A:x", "A:y", "C:v", "C:w", "D:p", "D:totalt",
    ]  # fmt: skip
    alone = protect_table_by_table(replace(pub, relations=[]), 4)
    assert cells["kategori"][alone].tolist() == ["x", "y", "w", "v", "p"]


def test_the_relations_within_each_family_of_pages():
    """A national site: förbund A with its kommun page, förbund B, and the national page. A
    relation between A and its kommun stays within A's family, one between A and the national
    page joins two families, one over A's page and the zero cell (no page) stays within A."""
    pages = ["forbund|A|2022|", "kommun|1481|2022|", "forbund|B|2022|", "riket||2022|", ""]
    cells = pd.DataFrame({"page": pages, "antal": [5, 5, 7, 12, 0]})
    relations = [
        total_part(0, [1], kind="level"), total_part(3, [0], kind="level"),
        total_part(2, [2, 4]),
    ]  # fmt: skip
    families = {pages[0]: "A", pages[1]: "A", pages[2]: "B", pages[3]: "riket"}
    pub = Publication(pages=[], cells=cells, relations=relations, families=families)
    assert pub.within_families() == [relations[0], relations[2]]


def test_the_mask_file_holds_each_pages_flags_for_its_data_only(tmp_path):
    """A förbund page and a kommun page protected together: the mask file gives each page the
    flags of the site-wide protection; a page outside it, other data or another threshold is a
    clear error; the file is named by its inputs and reused."""
    rows = people(3, MOLNDAL, "kvinna", "2022-01-10") + people(9, PARTILLE, "man", "2022-01-10")
    store = store_of(tmp_path, rows)
    keys = [forbund(), kommun(MOLNDAL)]
    started = time.perf_counter()
    protection = protect_pages(store, keys, 4)
    took = time.perf_counter() - started
    assert list(protection.phases) == ["publication", "protection", "audit"]
    assert 0 < protection.seconds == sum(protection.phases.values()) <= took
    expected = mask_frame(protection)
    fingerprint = store.meta()["fingerprint"]
    path = site_mask(store, keys, 4, tmp_path / "masks", "code-1")
    assert path.parent == (tmp_path / "masks").resolve()
    assert re.fullmatch(r"protection-[0-9a-f]{16}\.parquet", path.name)
    assert site_mask(store, list(reversed(keys)), 4, tmp_path / "masks", "code-1") == path
    assert site_mask(store, keys, 4, tmp_path / "masks", "code-2") != path
    for key in keys:
        read = read_mask(path, fingerprint, 4, key).reset_index(drop=True)
        mine = expected[expected["page"] == key.id].reset_index(drop=True)
        pd.testing.assert_frame_equal(read, mine)
    molndal = read_mask(path, fingerprint, 4, kommun(MOLNDAL))
    flow = molndal[(molndal["table"] == "deltagarflode") & (molndal["kategori"] == "samtliga")]
    assert flow["hidden"].tolist() == [True]  # Mölndal's 3 participants
    together = pages_masks(store, keys, 4)
    assert list(together) == [k.id for k in sorted(keys)]
    pd.testing.assert_frame_equal(
        together[forbund().id].reset_index(drop=True),
        expected[expected["page"] == forbund().id].reset_index(drop=True),
    )
    for args, message in [
        ((fingerprint, 4, kommun(PARTILLE)), "holds no page kommun|1402|2022|"),
        (("other", 4, kommun(MOLNDAL)), "made for other data or another threshold"),
        ((fingerprint, 5, kommun(MOLNDAL)), "made for other data or another threshold"),
    ]:
        with pytest.raises(FinsamError, match=re.escape(message)):
            read_mask(path, *args)
    with pytest.raises(FinsamError, match="no such protection file"):
        read_mask(tmp_path / "none.parquet", fingerprint, 4, kommun(MOLNDAL))


def test_a_mask_file_is_replaced_atomically_and_says_what_it_was_made_for(tmp_path, monkeypatch):
    """The mask is written to a hidden temporary file beside its place (folders made as needed)
    and moved there in one step; a failed write leaves the previous file and no temporary one.
    The file's metadata name the format version, the data's fingerprint and the threshold."""
    import os

    import pyarrow.parquet as pq

    from finsam.stats.protection import plan

    store = store_of(tmp_path, people(3, MOLNDAL, "kvinna", "2022-01-10"))
    protection = protect_pages(store, [forbund()], 4)
    path = tmp_path / "a" / "b" / "mask.parquet"
    moves = []
    replace = os.replace
    monkeypatch.setattr(
        os, "replace", lambda src, dst: (moves.append((src, dst)), replace(src, dst))
    )
    assert plan.write_mask(protection, path, "fp-1") == path
    ((source, target),) = moves
    assert Path(source).parent == path.parent and Path(target) == path
    assert Path(source).name.startswith(".protection-") and source.endswith(".parquet")
    meta = json.loads(pq.read_schema(path).metadata[b"finsam"])
    assert meta == {"version": plan.MASK_VERSION, "fingerprint": "fp-1", "threshold": 4}
    assert pq.read_schema(path).names == [*plan.CELL_COLUMNS, "hidden"]
    assert read_mask(path, "fp-1", 4, forbund())["hidden"].any()
    plan.write_mask(protection, path, "fp-3")  # a rebuild: read anew, not from the cache
    assert read_mask(path, "fp-3", 4, forbund())["hidden"].any()
    before = path.read_bytes()

    def broken(table, where):
        Path(where).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(plan.pq, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        plan.write_mask(protection, path, "fp-2")
    assert path.read_bytes() == before and sorted(path.parent.iterdir()) == [path]


def _made_up_protection(cells: list[tuple], intervals: dict[int, tuple[float, float]]):
    """A protection of made-up cells (page, table, kategori, second, kon, antal, protectable,
    hidden) with the audit's intervals of some of them (low, high)."""
    from types import SimpleNamespace

    from finsam.stats.protection.audit import Interval
    from finsam.stats.protection.plan import Protection

    frame = pd.DataFrame(
        cells,
        columns=["page", "table", "kategori", "second", "kon", "antal", "protectable", "hidden"],
    )
    audit = {c: Interval(c, low, high) for c, (low, high) in intervals.items()}
    publication = SimpleNamespace(cells=frame.drop(columns="hidden"))
    return Protection(publication, frame["hidden"].to_numpy(), 4, audit, 0.0)  # type: ignore[arg-type]


def test_the_information_lost_is_the_share_of_nonzero_published_counts_hidden_per_level():
    """Förbund page: counts 3 (hidden), 10, 0, 1 (hidden) → 3 nonzero, 2 hidden, 66.7 %. Kommun
    page: 2 (hidden), 8, 9 (hidden), 12, and 7 insatser (not people, never hidden) → 4 nonzero,
    2 hidden, 50 %. The zero cell (no page) is left out."""
    from finsam.stats.protection.plan import information_loss

    f, k = "forbund|Samordningsförbundet Insjöriket|2022|", "kommun|1481|2022|"
    cells = [("", "", "", "", "", 0, True, False)]
    cells += [
        (f, "alder", str(i), "", "totalt", n, True, h)
        for i, (n, h) in enumerate([(3, True), (10, False), (0, False), (1, True)])
    ]
    cells += [(k, "alder", str(i), "", "totalt", n, p, h) for i, (n, p, h) in enumerate(
        [(2, True, True), (8, True, False), (9, True, True), (12, True, False), (7, False, False)]
    )]  # fmt: skip
    loss = information_loss(_made_up_protection(cells, {}))
    assert loss["level"].tolist() == ["forbund", "kommun"]
    assert loss["nonzero"].tolist() == [3, 4] and loss["hidden"].tolist() == [2, 2]
    assert loss["share"].round(1).tolist() == [66.7, 50.0]


def test_a_failed_audit_names_each_narrowed_cell_up_to_twenty():
    """22 hidden cells a reader narrows to fewer than four values: the error names the first 20,
    by page, table (with its second dimension) and cell, and counts the 2 more."""
    page = "kommun|1481|2022|"
    cells = [(page, "resultat", "arbete", "under_30", "kvinna", 2, True, True)]
    cells += [(page, "alder", f"a{i}", "", "man", 2, True, True) for i in range(1, 22)]
    failing = {c: (1.0, 3.0) for c in range(22)}
    protection = _made_up_protection([*cells, (page, "alder", "ok", "", "man", 2, True, True)],
                                     {**failing, 22: (0.0, 4.0)})  # fmt: skip
    assert [i.cell for i in protection.failures] == list(range(22))
    with pytest.raises(AuditFailed) as failed:
        protection.require_passing()
    lines = str(failed.value).split("\n  ")
    assert lines[0] == (
        "the small-count audit failed for 22 hidden cell(s); nothing was published:"
    )
    assert lines[1] == (
        f"page {page}, table resultat under_30, cell arbete/kvinna: a reader can narrow it to 1–3"
    )
    assert lines[2] == f"page {page}, table alder, cell a1/man: a reader can narrow it to 1–3"
    assert len(lines) == 1 + 20 + 1 and lines[-1] == "… and 2 more"
    assert failed.value.protection is protection
    passing = _made_up_protection(cells[:1], {0: (0.0, 3.0)})
    assert passing.require_passing() is passing
    twenty = _made_up_protection(cells[:20], {c: (1.0, 3.0) for c in range(20)})
    with pytest.raises(AuditFailed) as failed:
        twenty.require_passing()
    assert "more" not in str(failed.value) and len(str(failed.value).split("\n  ")) == 21
