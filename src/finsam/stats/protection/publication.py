"""Everything a site publishes, as one system of cells and relations.

A *publication* is a set of pages (riket, förbund and kommun pages over years). Every count a
page shows — table cells, total rows, the counts of the data-quality section — is a *cell* with
its true value. The *relations* are what a reader knows about how the cells hang together:

* ``table`` — within one table: the genders add up to ``totalt``; the categories of an additive
  table add up to its ``totalt`` row; samtliga = pågående + avslutade; a part is at most its
  whole (nya ≤ samtliga, a result ≤ the ended participants of its group, mentions of one code
  ≤ the participants counted); under 30 + 30 and older = all (where everyone has a birth year).
* ``link`` — between tables that count the same people: on a goal follow-up (``mal``, the
  flows per insats of a förbund), an insats' new and ended participants are parts of its
  participants on the förbund page, and the flows and results per insats add up to that page's
  flow, results and support after; on one page, every table of
  participants sums to samtliga, every table of ended participants to avslutade; the results'
  aktivt arbetssökande, fortsatt rehabilitering and sjukdom equal the same codes of
  ``sysselsattning_efter`` and ``avslutsorsak``; arbete eller studier lies between the largest
  and the sum of its four occupations; ``registrering`` repeats the flow; försörjning efter is
  published twice; referrals per kommun and per party have the same total.
* ``quality`` — the data-quality counts and the table cells they repeat or combine.
* ``level`` — a förbund page and its kommun pages (the förbund's per-kommun rows are the kommun
  pages' totals; the förbund is at least the sum of its kommun pages, exactly where the data
  say so), and the national page and the förbund pages.
* ``year`` — samtliga(Y) = pågående(Y − 1) + nya(Y) on pages of the same population.

Every relation is checked against the true counts: one that does not hold (e.g. samtliga =
pågående + avslutade with a period end inside the year) is dropped, and an inequality that
holds with equality is used as an equality, since a reader may well assume it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from finsam.inputs import codes
from finsam.stats.catalog import BY_ID, GENDER_SPLIT, PAGE_TABLES, protectable, published_layout
from finsam.stats.insats_results import ENDED_MEASURES
from finsam.stats.population import Population
from finsam.stats.protection.audit import Relation
from finsam.stats.quality import QUALITY_TABLE, quality_facts, quality_table

GENDER_COLUMNS = ("kvinna", "man", "okant", "totalt")
CELL_COLUMNS = ["page", "table", "kategori", "second", "kon"]

# Tables whose categories count the participants of the year (samtliga) or the ended ones.
OF_SAMTLIGA = (
    "deltagare_insats",
    "deltagare_kommun",
    "alder",
    "utbildning",
    "tid_offentlig_forsorjning",
    "inriktning",
)
OF_AVSLUTADE = ("tid_i_insats", "avslutsorsak")


@dataclass(frozen=True, order=True)
class PageKey:
    """One page of a publication: ``level`` riket/forbund/kommun, ``scope`` the förbund name or
    kommunkod ("" for riket), ``year`` and ``period_end`` (ISO date, "" for 31 December)."""

    level: str
    scope: str
    year: int
    period_end: str = ""

    @property
    def id(self) -> str:
        return f"{self.level}|{self.scope}|{self.year}|{self.period_end}"

    @property
    def default_period(self) -> bool:
        return self.period_end in ("", f"{self.year}-12-31")


@dataclass
class Publication:
    """Cells (one row each: ``page``, ``table``, ``kategori``, ``second``, ``kon``, ``antal``,
    ``protectable``) and relations (over row positions) of a set of pages. The last cell is a
    constant zero that stands for a cell a page leaves out because it is 0 (e.g. the ``okant``
    column of a table where nobody has an unknown gender)."""

    pages: list[PageKey]
    cells: pd.DataFrame
    relations: list[Relation]
    dropped: dict[str, int] = field(default_factory=dict)
    # page id → its family: the förbund (for a förbund and its kommun pages) or "riket"
    families: dict[str, str] = field(default_factory=dict)

    @property
    def values(self) -> np.ndarray:
        return self.cells["antal"].to_numpy(dtype=np.int64)

    def within_families(self) -> list[Relation]:
        """The relations among the pages of one family (a förbund with its kommuner, or the
        national page): a national site has many small families, linked only through the
        national page's sums over förbund."""
        family = self.cells["page"].map(self.families).fillna("").to_numpy()
        kept = []
        for relation in self.relations:
            names = {family[c] for c in relation.cells} - {""}
            if len(names) <= 1:
                kept.append(relation)
        return kept


def page_cells(pop: Population, key: PageKey) -> pd.DataFrame:
    """The cells one page publishes, with true counts."""
    frames = []
    for table_id in PAGE_TABLES[key.level]:
        spec = BY_ID[table_id]
        layout = published_layout(spec, pop)
        frames.append(
            pd.DataFrame(
                {
                    "table": table_id,
                    "kategori": layout["kategori"].to_numpy(),
                    "second": layout[spec.second].to_numpy() if spec.second else "",
                    "kon": layout["kon"].to_numpy(),
                    "antal": layout["antal"].to_numpy(dtype=np.int64),
                    "protectable": protectable(layout, spec),
                }
            )
        )
    if key.level == "forbund":
        quality = quality_table(quality_facts(pop))
        frames.append(quality.assign(table=QUALITY_TABLE, second="", protectable=True))
    cells = pd.concat(frames, ignore_index=True)
    cells.insert(0, "page", key.id)
    return cells[[*CELL_COLUMNS, "antal", "protectable"]]


def publication(pages: Sequence[tuple[PageKey, Population]]) -> Publication:
    """The cells and relations of a set of pages (each with its population)."""
    frames = [page_cells(pop, key) for key, pop in pages]
    zero = pd.DataFrame(
        [
            {
                "page": "",
                "table": "",
                "kategori": "",
                "second": "",
                "kon": "",
                "antal": 0,
                "protectable": False,
            }
        ]
    )
    cells = pd.concat([*frames, zero], ignore_index=True)
    keys = [key for key, _ in pages]
    builder = _Relations(cells, keys)
    for key in keys:
        builder.within_page(key)
    builder.levels(keys, pages)
    builder.years(keys)
    families = {
        key.id: "riket" if key.level == "riket" else "+".join(sorted(pop.forbund))
        for key, pop in pages
    }
    return Publication(keys, cells, builder.kept, builder.dropped, families)


class _Relations:
    """Collects relations over the cells, keeping those that hold for the true counts."""

    def __init__(self, cells: pd.DataFrame, keys: list[PageKey]):
        self.cells = cells
        self.values = cells["antal"].to_numpy(dtype=np.int64)
        self.zero = len(cells) - 1
        index = pd.MultiIndex.from_frame(cells[CELL_COLUMNS].astype(str))
        self.position = dict(zip(index, range(len(cells)), strict=True))
        # (page, table, second, kategori) → the genders present, for implicit zeros
        self.rows = set(
            zip(cells["page"], cells["table"], cells["second"], cells["kategori"], strict=True)
        )
        self.layout: dict[tuple[str, str], dict[str, list[str]]] = {}
        for page, table, second, kategori in zip(
            cells["page"], cells["table"], cells["second"], cells["kategori"], strict=True
        ):
            kinds = self.layout.setdefault((page, table), {}).setdefault(second, [])
            if kategori != "totalt" and kategori not in kinds:
                kinds.append(kategori)
        self.without_split = {k.id for k in keys if not GENDER_SPLIT[k.level]}
        self.kept: list[Relation] = []
        self.dropped: dict[str, int] = {}

    # -- lookup ---------------------------------------------------------------------------

    def cell(self, page: str, table: str, kategori: str, kon: str, second: str = "") -> int | None:
        """Position of a cell; the zero cell when its row is published without this gender;
        ``None`` when the row is not published at all."""
        found = self.position.get((page, table, kategori, second, kon))
        if found is not None:
            return found
        if kon != "totalt" and page in self.without_split:
            return None
        return self.zero if (page, table, second, kategori) in self.rows else None

    def add(
        self,
        plus: Iterable[int | None],
        minus: Iterable[int | None],
        kind: str,
        equal: bool = True,
        tight_is_equal: bool = False,
    ) -> None:
        plus, minus = list(plus), list(minus)
        if any(c is None for c in (*plus, *minus)) or not (plus or minus):
            return
        relation = Relation(tuple(plus), tuple(minus), equal, kind)  # type: ignore[arg-type]
        if not relation.holds(self.values):
            self.dropped[kind] = self.dropped.get(kind, 0) + 1
            return
        if not equal and tight_is_equal:
            difference = self.values[list(plus)].sum() - self.values[list(minus)].sum()
            if difference == 0:
                relation = Relation(relation.plus, relation.minus, True, kind)
        if set(relation.cells) == {self.zero}:
            return
        self.kept.append(relation)

    def categories(self, page: str, table: str, second: str = "") -> list[str]:
        return self.layout.get((page, table), {}).get(second, [])

    def seconds(self, page: str, table: str) -> list[str]:
        return list(self.layout.get((page, table), {}))

    # -- within a page --------------------------------------------------------------------

    def within_page(self, key: PageKey) -> None:
        page = key.id
        for table_id in PAGE_TABLES[key.level]:
            self.within_table(page, table_id)
        if key.level == "mal":
            self.per_insats(page, replace(key, level="forbund").id)
            return
        if key.level == "forbund":
            self.within_table(page, QUALITY_TABLE)
            self.quality(page)
        self.links(page, key)

    def within_table(self, page: str, table_id: str) -> None:
        spec = BY_ID.get(table_id)
        for second in self.seconds(page, table_id):
            categories = self.categories(page, table_id, second)
            for kategori in [*categories, "totalt"]:
                genders = [self.cell(page, table_id, kategori, g, second) for g in GENDER_COLUMNS]
                if genders[-1] is not None and genders[-1] != self.zero:
                    parts = [g for g in genders[:-1] if g is not None and g != self.zero]
                    if parts:
                        self.add(parts, [genders[-1]], "table")
            if spec is None:
                continue
            for kon in GENDER_COLUMNS:
                c = lambda k, kon=kon, second=second: self.cell(page, table_id, k, kon, second)  # noqa: E731
                if spec.additive:
                    self.add([c(k) for k in categories], [c("totalt")], "table")
                for total, parts in spec.extra_lines:
                    self.add([c(p) for p in parts], [c(total)], "table")
                if spec.mentions:  # each code is mentioned at most once per participation
                    base = (
                        self.cell(page, "deltagarflode", "samtliga", kon)
                        if table_id == "forsorjning_fore"
                        else self.cell(page, "deltagarflode", "avslutade", kon)
                    )
                    for k in categories:
                        self.add([c(k)], [base], "table", equal=False)
                if table_id == "deltagarflode":
                    for part in ("unika", "nya", "pagaende", "avslutade"):
                        self.add([c(part)], [c("samtliga")], "table", equal=False)
                if table_id == "resultat":
                    for measure in categories:
                        if measure != "avslutade":
                            self.add([c(measure)], [c("avslutade")], "table", equal=False)
        if table_id == "resultat":
            for kon in GENDER_COLUMNS:
                for measure in codes.RESULTAT_MATT:
                    r = lambda g, kon=kon, m=measure: self.cell(page, "resultat", m, kon, g)  # noqa: E731
                    self.add(
                        [r("under_30"), r("30_och_aldre")],
                        [r("alla")],
                        "table",
                        equal=False,
                        tight_is_equal=True,
                    )
                    self.add([r("aktivitetsersattning_fore")], [r("alla")], "table", equal=False)

    def per_insats(self, page: str, forbund_page: str) -> None:
        """On a goal follow-up: an insats' outcomes are parts of its ended participations,
        work/studies and job seeking parts of either; its new and ended participations parts of
        its participants on the förbund page; the totals over insatser are that page's flow,
        results and support after."""
        f = lambda k, m: self.cell(page, "flode_insats", k, "totalt", m)  # noqa: E731
        for k in [*self.categories(page, "flode_insats", "nya"), "totalt"]:
            for measure in (*ENDED_MEASURES, "egen_forsorjning"):
                self.add([f(k, measure)], [f(k, "avslutade")], "table", equal=False)
            union = f(k, "arbete_studier_arbetssokande")
            for part in ("arbete_studier", "arbetssokande"):
                self.add([f(k, part)], [union], "table", equal=False)
            self.add([union], [f(k, "arbete_studier"), f(k, "arbetssokande")], "table", False)
            participants = self.cell(forbund_page, "deltagare_insats", k, "totalt")
            for part in ("nya", "avslutade"):
                self.add([f(k, part)], [participants], "link", equal=False)
        flow = lambda k: self.cell(forbund_page, "deltagarflode", k, "totalt")  # noqa: E731
        result = lambda m: self.cell(forbund_page, "resultat", m, "totalt", "alla")  # noqa: E731
        self.add([f("totalt", "nya")], [flow("nya")], "link")
        self.add([f("totalt", "avslutade")], [flow("avslutade")], "link")
        self.add([f("totalt", "arbete_studier")], [result("arbete_studier_efter")], "link")
        self.add([f("totalt", "arbetssokande")], [result("aktivt_arbetssokande")], "link")
        self.add(
            [f("totalt", "egen_forsorjning")],
            [self.cell(forbund_page, "forsorjning_efter", "ingen_offentlig", "totalt")],
            "link",
        )
        self.add(
            [f("totalt", "remisser")],
            [self.cell(forbund_page, "remisser_remittent", "totalt", "totalt")],
            "link",
            equal=False,
            tight_is_equal=True,
        )

    def links(self, page: str, key: PageKey) -> None:
        for kon in GENDER_COLUMNS:
            flow = lambda k, kon=kon: self.cell(page, "deltagarflode", k, kon)  # noqa: E731
            for table_id in OF_SAMTLIGA:
                self.add([self.cell(page, table_id, "totalt", kon)], [flow("samtliga")], "link")
            for table_id in OF_AVSLUTADE:
                self.add([self.cell(page, table_id, "totalt", kon)], [flow("avslutade")], "link")
            r = lambda m, g="alla", kon=kon: self.cell(page, "resultat", m, kon, g)  # noqa: E731
            after = lambda k, kon=kon: self.cell(page, "sysselsattning_efter", k, kon)  # noqa: E731
            reason = lambda k, kon=kon: self.cell(page, "avslutsorsak", k, kon)  # noqa: E731
            self.add([r("avslutade")], [flow("avslutade")], "link")
            self.add([r("aktivt_arbetssokande")], [after("aktivt_arbetssokande")], "link")
            self.add([r("fortsatt_rehabilitering")], [reason("fortsatt_rehabilitering")], "link")
            self.add([r("sjukdom")], [reason("sjukdom")], "link")
            work = [after(k) for k in codes.ARBETE_ELLER_STUDIER]
            self.add([r("arbete_studier_efter")], work, "link", equal=False)
            for one in work:
                self.add([one], [r("arbete_studier_efter")], "link", equal=False)
            change = lambda k, t, kon=kon: self.cell(  # noqa: E731
                page, "forsorjningsforandring", k, kon, t
            )
            self.add(
                [r("avslutade", "aktivitetsersattning_fore")],
                [change("aktivitetsersattning", "fore")],
                "link",
            )
            for k in [*codes.FORSORJNING, "totalt"]:
                self.add(
                    [change(k, "efter")], [self.cell(page, "forsorjning_efter", k, kon)], "link"
                )
                self.add(
                    [change(k, "fore")],
                    [self.cell(page, "forsorjning_fore", k, kon)],
                    "link",
                    equal=False,
                )
            self.add(
                [self.cell(page, "remisser_kommun", "totalt", kon)],
                [self.cell(page, "remisser_remittent", "totalt", kon)],
                "link",
            )
        reg = lambda k: self.cell(page, "registrering", k, "totalt")  # noqa: E731
        total = lambda k: self.cell(page, "deltagarflode", k, "totalt")  # noqa: E731
        self.add([reg("personuppgifter")], [total("samtliga")], "link")
        self.add([reg("anonym")], [total("anonyma")], "link")
        self.add([reg("volym")], [total("volym")], "link")

    def quality(self, page: str) -> None:
        q = lambda k: self.cell(page, QUALITY_TABLE, k, "totalt")  # noqa: E731
        f = lambda k: self.cell(page, "deltagarflode", k, "totalt")  # noqa: E731
        same = {
            "registreringar": "samtliga",
            "unika": "unika",
            "nya": "nya",
            "avslutade": "avslutade",
            "pagaende_vid_periodens_slut": "pagaende",
        }
        for name, flow in same.items():
            self.add([q(name)], [f(flow)], "quality")
        self.add([q("upprepade"), q("unika")], [q("registreringar")], "quality")
        self.add([q("pagaende_vid_arets_borjan"), q("nya")], [q("registreringar")], "quality")
        self.add(
            [q("berakning_pagaende"), q("avslutade")],
            [q("pagaende_vid_arets_borjan"), q("nya")],
            "quality",
        )
        self.add([q("berakning_pagaende")], [q("pagaende_vid_periodens_slut")], "quality")
        self.add([q("med_avslutsorsak"), q("utan_avslutsorsak")], [q("avslutade")], "quality")
        self.add(
            [q("utan_avslutsorsak")],
            [self.cell(page, "avslutsorsak", codes.EJ_ANGIVET, "totalt")],
            "quality",
        )
        self.add(
            [q("remisser")], [self.cell(page, "remisser_remittent", "totalt", "totalt")], "quality"
        )
        self.add([q("startade"), q("ej_startade"), q("okand_start")], [q("remisser")], "quality")
        self.add([q("tilldelade")], [q("remisser")], "quality", equal=False)
        self.add([q("startade_utan_insats")], [q("startade")], "quality", equal=False)
        self.add([q("nya_i_remissinsatser")], [q("nya")], "quality", equal=False)
        # the text compares the two only when they differ, so says when they are equal
        self.add([q("nya_i_remissinsatser")], [q("startade")], "quality")

    # -- across pages ---------------------------------------------------------------------

    def levels(self, keys: list[PageKey], pages: Sequence[tuple[PageKey, Population]]) -> None:
        forbund_of = {key: pop.forbund for key, pop in pages}
        for parent in keys:
            if parent.level == "kommun":
                continue
            children = [
                k
                for k in keys
                if k.year == parent.year
                and k.period_end == parent.period_end
                and (
                    (
                        parent.level == "forbund"
                        and k.level == "kommun"
                        and set(forbund_of[k]) <= {parent.scope}
                    )
                    or (parent.level == "riket" and k.level == "forbund")
                )
            ]
            if not children:
                continue
            self.sum_of_children(parent, children)
            if parent.level == "forbund":
                for child in children:
                    for kon in GENDER_COLUMNS:
                        self.add(
                            [self.cell(parent.id, "deltagare_kommun", child.scope, kon)],
                            [self.cell(child.id, "deltagarflode", "samtliga", kon)],
                            "level",
                        )
                        self.add(
                            [self.cell(parent.id, "remisser_kommun", child.scope, kon)],
                            [self.cell(child.id, "remisser_remittent", "totalt", kon)],
                            "level",
                        )

    def sum_of_children(self, parent: PageKey, children: list[PageKey]) -> None:
        rows = self.cells[self.cells["page"] == parent.id]
        shared = set(PAGE_TABLES[children[0].level]) & set(PAGE_TABLES[parent.level])
        for table, kategori, second, kon in zip(
            rows["table"], rows["kategori"], rows["second"], rows["kon"], strict=True
        ):
            if table not in shared or (table == "deltagarflode" and kategori == "unika"):
                continue
            parts = [self.cell(c.id, table, kategori, kon, second) for c in children]
            parts = [p for p in parts if p is not None]
            if parts:
                self.add(
                    parts,
                    [self.cell(parent.id, table, kategori, kon, second)],
                    "level",
                    equal=False,
                    tight_is_equal=True,
                )

    def years(self, keys: list[PageKey]) -> None:
        by_scope = {(k.level, k.scope, k.year): k for k in keys if k.default_period}
        for (level, scope, year), key in by_scope.items():
            before = by_scope.get((level, scope, year - 1))
            if before is None:
                continue
            for kon in GENDER_COLUMNS:
                self.add(
                    [
                        self.cell(before.id, "deltagarflode", "pagaende", kon),
                        self.cell(key.id, "deltagarflode", "nya", kon),
                    ],
                    [self.cell(key.id, "deltagarflode", "samtliga", kon)],
                    "year",
                )


def population_key(pop: Population) -> PageKey:
    """The key of the page that describes ``pop``."""
    scope = {"riket": "", "forbund": pop.name or "", "kommun": pop.kommuner[0]}[pop.level]
    return page_key(pop.level, scope, pop.year, pop.period_end)


def page_key(level: str, scope: str | None, year: int, period_end: str | dt.date | None) -> PageKey:
    """The key of a page from its parameters (period end 31 December counts as the default)."""
    end = "" if period_end is None else str(pd.Timestamp(period_end).date())
    if end == f"{int(year)}-12-31":
        end = ""
    return PageKey(level, scope or "", int(year), end)
