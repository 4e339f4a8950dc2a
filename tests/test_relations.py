"""What a reader knows about how published counts hang together: the relations of a
publication, rule by rule as the protection's module docstring states them, found among the
relations built for a förbund's pages 2021–2022, two of its kommun pages, its goal
follow-up and the national page 2022.

Each rule is written here from the rule's words, with the cells named by page, table,
category, gender and second dimension; a relation that the builder drops or misnames leaves a
rule unmatched. The handmade data make every named cell exist and every inequality strict
where the rule is an inequality.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from handmade import FORBUND, people, store_of

from finsam.inputs import codes
from finsam.stats.population import population
from finsam.stats.protection.plan import pages_of
from finsam.stats.protection.publication import (
    PageKey,
    Publication,
    page_key,
    population_key,
    publication,
)

MOLNDAL, PARTILLE, LERUM = "1481", "1402", "1441"
F22, F21 = PageKey("forbund", FORBUND, 2022), PageKey("forbund", FORBUND, 2021)
M22, P22 = PageKey("kommun", MOLNDAL, 2022), PageKey("kommun", PARTILLE, 2022)
M22_JUNE = PageKey("kommun", MOLNDAL, 2022, "2022-06-30")  # a period ending on 30 June
R22 = PageKey("riket", "", 2022)  # the national page: here the one förbund
G22 = PageKey("mal", FORBUND, 2022)  # the goal follow-up: flows and results per insats
GENDERS = ("kvinna", "man", "totalt")
# Referrals (CSV lines): two women from Mölndal, referred by psykiatrin to Balder, started.
TWO_STARTED_IN_BALDER = "".join(
    f"R{i},{FORBUND},2022-01-0{i},{MOLNDAL},kvinna,psykiatrin,Balder,ja\n" for i in (1, 2)
)
ENDED = {"end": "2022-10-31", "sysselsattning_efter": "studier", "avslutsorsak": "arbete_studier"}


@pytest.fixture(scope="module")
def pub(tmp_path_factory: pytest.TempPathFactory) -> Publication:
    """Mölndal: 3 women since 2021 still going; in 2022 4 women new and ended (to studies,
    no public support after), 2 men born 2000 new and going. Partille: 3 men new in 2022 and
    ended on sick leave, job-seeking after, on aktivitetsersättning before. Referrals: 2 to
    Balder, started, and 1 from Partille assigned to no insats. Lerum, a member without a page:
    1 man new in 2022, going."""
    rows = [
        *people(3, MOLNDAL, "kvinna", "2021-03-01"),
        *people(4, MOLNDAL, "kvinna", "2022-02-01", **ENDED, forsorjning_efter="ingen_offentlig"),
        *people(2, MOLNDAL, "man", "2022-03-01", fodelsear="2000"),
        *people(3, PARTILLE, "man", "2022-01-15", "2022-06-30", avslutsorsak="sjukdom",
                sysselsattning_efter="aktivt_arbetssokande",
                forsorjning_fore="aktivitetsersattning"),
        *people(1, LERUM, "man", "2022-04-01"),  # a member kommun without a page
    ]  # fmt: skip
    referrals = TWO_STARTED_IN_BALDER + f"R3,{FORBUND},2022-01-03,{PARTILLE},man,vardcentral,,nej\n"
    store = store_of(Path(tmp_path_factory.mktemp("relations")), rows, referrals)
    return publication(pages_of(store, [R22, F21, F22, M22, P22, G22]))


Name = tuple  # (page, table, kategori, kon[, second])


def relation_set(pub: Publication) -> set[tuple]:
    """Every relation as (sorted plus names, sorted minus names, equal, kind)."""
    cells = pub.cells
    name = [
        (page, table, kategori, kon, second)
        for page, table, kategori, kon, second in zip(
            cells["page"], cells["table"], cells["kategori"], cells["kon"], cells["second"],
            strict=True,
        )
    ]  # fmt: skip
    return {
        (
            tuple(sorted(name[c] for c in r.plus)),
            tuple(sorted(name[c] for c in r.minus)),
            r.equal,
            r.kind,
        )
        for r in pub.relations
    }


def on(page: PageKey, table: str, kategori: str, kon: str = "totalt", second: str = "") -> Name:
    return (page.id, table, kategori, kon, second)


def insats(kategori: str, measure: str) -> Name:
    """A cell of the goal follow-up's flows and results per insats."""
    return on(G22, "flode_insats", kategori, "totalt", measure)


def rule(kind: str, plus: list[Name], minus: list[Name], equal: bool = True) -> tuple:
    return (tuple(sorted(plus)), tuple(sorted(minus)), equal, kind)


def flow(kategori: str, kon: str = "totalt", page: PageKey = F22) -> Name:
    return on(page, "deltagarflode", kategori, kon)


def expected_rules() -> dict[str, list[tuple]]:
    """The rules of the module docstring, each as the relations it gives on these pages."""
    r = lambda m, kon, g="alla": on(F22, "resultat", m, kon, g)  # noqa: E731
    after = lambda k, kon: on(F22, "sysselsattning_efter", k, kon)  # noqa: E731
    change = lambda k, t, kon: on(F22, "forsorjningsforandring", k, kon, t)  # noqa: E731
    q = lambda k: on(F22, "datakvalitet", k)  # noqa: E731
    ages = ["-29", "30-44", "45-59", "60-"]
    return {
        "genders add up to totalt": [
            rule("table", [flow("samtliga", "kvinna"), flow("samtliga", "man")],
                 [flow("samtliga")]),
            rule("table", [on(F22, "alder", "30-44", g) for g in ("kvinna", "man")],
                 [on(F22, "alder", "30-44")]),
        ],
        "categories of an additive table add up to totalt": [
            rule("table", [on(F22, "alder", a, kon) for a in ages],
                 [on(F22, "alder", "totalt", kon)])
            for kon in GENDERS
        ],
        "samtliga = pågående + avslutade": [
            rule("table", [flow("pagaende", kon), flow("avslutade", kon)], [flow("samtliga", kon)])
            for kon in GENDERS
        ],
        "a flow is at most samtliga": [
            rule("table", [flow(part, kon)], [flow("samtliga", kon)], equal=False)
            for part in ("unika", "nya", "pagaende", "avslutade")
            for kon in GENDERS
        ],
        "a mention is at most the participants counted": [
            rule("table", [on(F22, "forsorjning_fore", "forsorjningsstod", "kvinna")],
                 [flow("samtliga", "kvinna")], equal=False),
            rule("table", [on(F22, "forsorjning_efter", "ingen_offentlig", "man")],
                 [flow("avslutade", "man")], equal=False),
            rule("table", [after("studier", "totalt")], [flow("avslutade")], equal=False),
        ],
        "a result is at most the ended of its group": [
            rule("table", [r("arbete_studier_efter", "kvinna", "30_och_aldre")],
                 [r("avslutade", "kvinna", "30_och_aldre")], equal=False),
        ],
        "under 30 + 30 and older = all": [
            rule("table", [r(m, kon, "under_30"), r(m, kon, "30_och_aldre")], [r(m, kon)])
            for m in codes.RESULTAT_MATT
            for kon in GENDERS
        ],
        "aktivitetsersättning before is part of all": [
            rule("table", [r("avslutade", "man", "aktivitetsersattning_fore")],
                 [r("avslutade", "man")], equal=False),
        ],
        "every table of participants sums to samtliga": [
            rule("link", [on(F22, t, "totalt", kon)], [flow("samtliga", kon)])
            for t in ("deltagare_insats", "deltagare_kommun", "alder", "utbildning",
                      "tid_offentlig_forsorjning", "inriktning")
            for kon in GENDERS
        ],
        "every table of ended participants sums to avslutade": [
            rule("link", [on(F22, t, "totalt", kon)], [flow("avslutade", kon)])
            for t in ("tid_i_insats", "avslutsorsak")
            for kon in GENDERS
        ]
        + [rule("link", [r("avslutade", kon)], [flow("avslutade", kon)]) for kon in GENDERS],
        "results equal the same codes of occupation after and end reason": [
            rule("link", [r("aktivt_arbetssokande", "man")],
                 [after("aktivt_arbetssokande", "man")]),
            rule("link", [r("fortsatt_rehabilitering", "totalt")],
                 [on(F22, "avslutsorsak", "fortsatt_rehabilitering")]),
            rule("link", [r("sjukdom", "man")], [on(F22, "avslutsorsak", "sjukdom", "man")]),
        ],
        "arbete eller studier between the largest and the sum of its occupations": [
            rule("link", [r("arbete_studier_efter", "kvinna")],
                 [after(k, "kvinna") for k in codes.ARBETE_ELLER_STUDIER], equal=False),
            *[
                rule("link", [after(k, "kvinna")], [r("arbete_studier_efter", "kvinna")],
                     equal=False)
                for k in codes.ARBETE_ELLER_STUDIER
            ],
        ],
        "support after is published twice": [
            rule("link", [change(k, "efter", kon)], [on(F22, "forsorjning_efter", k, kon)])
            for k in (*codes.FORSORJNING, "totalt")
            for kon in GENDERS
        ]
        + [
            rule("link", [change("forsorjningsstod", "fore", "kvinna")],
                 [on(F22, "forsorjning_fore", "forsorjningsstod", "kvinna")], equal=False),
            rule("link", [r("avslutade", "man", "aktivitetsersattning_fore")],
                 [change("aktivitetsersattning", "fore", "man")]),
        ],
        "referrals per kommun and per party have the same total": [
            rule("link", [on(F22, "remisser_kommun", "totalt", kon)],
                 [on(F22, "remisser_remittent", "totalt", kon)])
            for kon in GENDERS
        ],
        "registrering repeats the flow": [
            rule("link", [on(F22, "registrering", "personuppgifter")], [flow("samtliga")]),
            rule("link", [on(F22, "registrering", "anonym")], [flow("anonyma")]),
            rule("link", [on(F22, "registrering", "volym")], [flow("volym")]),
        ],
        "the data-quality counts and the cells they repeat or combine": [
            *[rule("quality", [q(name)], [flow(kategori)]) for name, kategori in [
                ("registreringar", "samtliga"), ("unika", "unika"), ("nya", "nya"),
                ("avslutade", "avslutade"), ("pagaende_vid_periodens_slut", "pagaende")]],
            rule("quality", [q("upprepade"), q("unika")], [q("registreringar")]),
            rule("quality", [q("pagaende_vid_arets_borjan"), q("nya")], [q("registreringar")]),
            rule("quality", [q("berakning_pagaende"), q("avslutade")],
                 [q("pagaende_vid_arets_borjan"), q("nya")]),
            rule("quality", [q("berakning_pagaende")], [q("pagaende_vid_periodens_slut")]),
            rule("quality", [q("med_avslutsorsak"), q("utan_avslutsorsak")], [q("avslutade")]),
            rule("quality", [q("remisser")], [on(F22, "remisser_remittent", "totalt")]),
            rule("quality", [q("startade"), q("ej_startade"), q("okand_start")], [q("remisser")]),
            rule("quality", [q("tilldelade")], [q("remisser")], equal=False),
            rule("quality", [q("startade_utan_insats")], [q("startade")], equal=False),
            rule("quality", [q("nya_i_remissinsatser")], [q("nya")], equal=False),
        ],
        "the förbund's per-kommun rows are the kommun pages' totals": [
            rule("level", [on(F22, "deltagare_kommun", MOLNDAL)], [flow("samtliga", page=M22)]),
            rule("level", [on(F22, "remisser_kommun", PARTILLE)],
                 [on(P22, "remisser_remittent", "totalt")]),
        ],
        "the förbund is the sum of its kommun pages where the data say so": [
            # Lerum's participant has no page: the förbund is more than Mölndal + Partille
            rule("level", [flow("samtliga", page=M22), flow("samtliga", page=P22)],
                 [flow("samtliga")], equal=False),
            rule("level", [flow("avslutade", page=M22), flow("avslutade", page=P22)],
                 [flow("avslutade")]),
            rule("level", [on(M22, "alder", "-29"), on(P22, "alder", "-29")],
                 [on(F22, "alder", "-29")]),
        ],
        "the national page is the sum of its förbund pages": [
            rule("level", [on(F22, "resultat", m, kon, g)], [on(R22, "resultat", m, kon, g)])
            for m in ("avslutade", "arbete_studier_efter")
            for kon in GENDERS
            for g in ("alla", "under_30", "30_och_aldre")
        ]
        + [rule("level", [change("forsorjningsstod", "fore", "kvinna")],
                [on(R22, "forsorjningsforandring", "forsorjningsstod", "kvinna", "fore")])],
        "an insats' outcomes are parts of its ended participations": [
            rule("table", [insats(k, m)], [insats(k, "avslutade")], equal=False)
            for k in ("Balder", "totalt")
            for m in ("arbete_studier", "arbetssokande", "arbete_studier_arbetssokande",
                      "egen_forsorjning")
        ],
        "work/studies and job seeking are parts of either": [
            *[rule("table", [insats(k, m)], [insats(k, "arbete_studier_arbetssokande")],
                   equal=False)
              for k in ("Balder", "totalt") for m in ("arbete_studier", "arbetssokande")],
            *[rule("table", [insats(k, "arbete_studier_arbetssokande")],
                   [insats(k, "arbete_studier"), insats(k, "arbetssokande")], equal=False)
              for k in ("Balder", "totalt")],
        ],
        "an insats' new and ended are parts of its participants on the förbund page": [
            rule("link", [insats(k, m)], [on(F22, "deltagare_insats", k)], equal=False)
            for k in ("Balder", "totalt")
            for m in ("nya", "avslutade")
        ],
        "the totals over insatser are the förbund page's flow, results and support after": [
            rule("link", [insats("totalt", "nya")], [flow("nya")]),
            rule("link", [insats("totalt", "avslutade")], [flow("avslutade")]),
            rule("link", [insats("totalt", "arbete_studier")],
                 [r("arbete_studier_efter", "totalt")]),
            rule("link", [insats("totalt", "arbetssokande")],
                 [r("aktivt_arbetssokande", "totalt")]),
            rule("link", [insats("totalt", "egen_forsorjning")],
                 [on(F22, "forsorjning_efter", "ingen_offentlig")]),
            # at most the förbund's referrals: 2 of 3 (one was assigned to no insats)
            rule("link", [insats("totalt", "remisser")],
                 [on(F22, "remisser_remittent", "totalt")], equal=False),
        ],
        "samtliga(Y) = pågående(Y − 1) + nya(Y)": [
            rule("year", [flow("pagaende", kon, F21), flow("nya", kon)], [flow("samtliga", kon)])
            for kon in GENDERS
        ],
    }  # fmt: skip


@pytest.mark.parametrize("name", list(expected_rules()))
def test_each_rule_gives_its_relations(pub: Publication, name: str):
    missing = [r for r in expected_rules()[name] if r not in relation_set(pub)]
    assert missing == [], f"{name}: {len(missing)} relations missing, e.g. {missing[0]}"


def test_every_relation_holds_and_none_is_only_the_zero_cell(pub: Publication):
    values = pub.values
    assert all(r.holds(values) for r in pub.relations)
    zero = len(values) - 1
    assert not any(set(r.cells) == {zero} for r in pub.relations)


def test_no_sum_over_kommun_pages_of_unique_persons(pub: Publication):
    """A person in two kommuner is unique in each: the förbund's unika is no sum of its kommun
    pages', and no level relation names unika."""
    unika = {
        i for i, (t, k) in enumerate(zip(pub.cells["table"], pub.cells["kategori"], strict=True))
        if t == "deltagarflode" and k == "unika"
    }  # fmt: skip
    assert unika
    assert not [r for r in pub.relations if r.kind == "level" and unika & set(r.cells)]


def test_the_key_of_a_population_names_its_page(tmp_path):
    """A page is known by level, scope (förbund name, kommunkod, "" for riket), year and period
    end ("" for 31 December)."""
    store = store_of(tmp_path, people(3, MOLNDAL, "kvinna", "2022-01-10"))
    assert population_key(population(store, "forbund", FORBUND, 2022)) == F22
    assert population_key(population(store, "kommun", "Mölndal", 2022)) == M22
    assert population_key(population(store, "riket", None, 2022)) == PageKey("riket", "", 2022)
    june = population_key(population(store, "kommun", "1481", 2022, "2022-06-30"))
    assert june == PageKey("kommun", MOLNDAL, 2022, "2022-06-30")
    assert june.id == "kommun|1481|2022|2022-06-30" and not june.default_period
    assert population_key(population(store, "kommun", "1481", 2022, "2022-12-31")) == M22
    assert page_key("forbund", None, 2021, None) == PageKey("forbund", "", 2021)


def test_new_participants_of_referral_insatser_equal_to_the_started_referrals(tmp_path):
    """The data-quality text compares the new participants of the insatser that take referrals
    with the referrals that started only when they differ: when they are equal (2 new in Balder,
    2 referrals to Balder started), a reader knows so, and the relation says it."""
    store = store_of(tmp_path, people(2, MOLNDAL, "kvinna", "2022-02-01"), TWO_STARTED_IN_BALDER)
    q = lambda k: on(F22, "datakvalitet", k)  # noqa: E731
    found = relation_set(publication(pages_of(store, [F22])))
    assert rule("quality", [q("nya_i_remissinsatser")], [q("startade")]) in found


def test_the_zero_cell_and_the_families_of_pages(pub: Publication):
    """The last cell stands for every count a page leaves out because it is 0: on no page, not a
    count of people, 0. Each page belongs to its förbund's family, the national page to its
    own."""
    assert list(pub.cells.columns) == [
        "page", "table", "kategori", "second", "kon", "antal", "protectable",
    ]  # fmt: skip
    zero = pub.cells.iloc[-1].to_dict()
    assert zero == {
        "page": "", "table": "", "kategori": "", "second": "", "kon": "", "antal": 0,
        "protectable": False,
    }  # fmt: skip
    assert pub.families == {R22.id: "riket", **{k.id: FORBUND for k in (F21, F22, M22, P22, G22)}}


def test_a_page_with_a_period_end_is_counted_to_that_day(tmp_path):
    """The population of a page that ends on 30 June is made for that day, not 31 December."""
    store = store_of(tmp_path, people(3, MOLNDAL, "kvinna", "2022-01-10"))
    ((key, pop),) = pages_of(store, [M22_JUNE])
    assert key == M22_JUNE and population_key(pop) == M22_JUNE


def test_a_relation_a_period_end_breaks_is_dropped_and_counted(tmp_path):
    """Three women in Mölndal from 10 January to 31 October 2022. On the page that ends on 30
    June they are samtliga 3, pågående 3 (on 30 June) and avslutade 3 (in the year), so
    samtliga = pågående + avslutade does not hold (3 ≠ 6): the publication drops it and counts
    it, once, since a kommun page shows totals only. On the page for the whole year it holds."""
    store = store_of(tmp_path, people(3, MOLNDAL, "kvinna", "2022-01-10", **ENDED))
    june = publication(pages_of(store, [M22_JUNE]))
    assert june.dropped == {"table": 1}
    assert publication(pages_of(store, [M22])).dropped == {}
    # the förbund page splits by gender: dropped for kvinna and totalt; for men 0 = 0 + 0 holds
    forbund_june = publication(pages_of(store, [PageKey("forbund", FORBUND, 2022, "2022-06-30")]))
    assert forbund_june.dropped["table"] == 2
