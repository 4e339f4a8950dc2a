"""Every table of the catalog on the handmade dataset, counts worked out by hand (2022, förbund
Insjöriket; see tests/fixtures/small/README.md for the participations)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from finsam.errors import FinsamError
from finsam.inputs.dataset import load_dataset
from finsam.inputs.store import Store, ingest
from finsam.stats import national
from finsam.stats.catalog import BY_ID, compute_tables, load_threshold
from finsam.stats.outcomes import months_in_insats
from finsam.stats.population import population
from finsam.stats.protection.plan import page_mask, protected_page
from finsam.stats.protection.publication import page_key
from finsam.stats.quality import quality_facts, quality_table

SMALL = Path(__file__).parent / "fixtures" / "small"
FORBUND = "Samordningsförbundet Insjöriket"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    return Store(ingest(load_dataset(SMALL), tmp_path_factory.mktemp("s") / "store.duckdb"))


@pytest.fixture(scope="module")
def forbund(store):
    return compute_tables(population(store, "forbund", FORBUND, 2022))


def counts(table: pd.DataFrame, second: str | None = None, value: str | None = None) -> dict:
    """{kategori: (kvinna, man, totalt)} of a table (one slice of its second dimension)."""
    if second:
        table = table[table[second] == value]
    table = table[table["kategori"] != "totalt"]
    wide = table.pivot(index="kategori", columns="kon", values="antal")
    return {k: tuple(int(wide.loc[k, g]) for g in ("kvinna", "man", "totalt")) for k in wide.index}


def nonzero(table_counts: dict) -> dict:
    return {k: v for k, v in table_counts.items() if v != (0, 0, 0)}


def test_every_table_id_exists_with_the_tidy_columns(forbund):
    """The 19 tables of the statistics appendix (Statistikbilaga, Statistikbilaga 2022,
    Insjöriket), in its order, and
    the goal follow-up's table per insats."""
    assert list(forbund) == [
        "remisser_kommun", "remisser_remittent", "deltagarflode", "deltagare_insats",
        "flode_insats", "deltagare_kommun", "registrering", "alder", "utbildning",
        "tid_offentlig_forsorjning", "forsorjning_fore", "forsorjning_efter",
        "forsorjningsforandring", "inriktning", "tid_i_insats", "avslutsorsak",
        "sysselsattning_efter", "resultat", "struktur",
    ]  # fmt: skip
    for table_id, table in forbund.items():
        second = BY_ID[table_id].second
        expected = [
            "kategori",
            *([second] if second else []),
            "kon",
            "antal",
            "andel",
            "undertryckt",
        ]
        assert list(table.columns) == expected, table_id
        assert not table["undertryckt"].any(), table_id  # threshold 0


def test_additive_tables_end_with_their_column_totals(forbund):
    age = forbund["alder"]
    total = age[age["kategori"] == "totalt"].set_index("kon")["antal"]
    assert total.to_dict() == {"kvinna": 3, "man": 2, "totalt": 5}
    assert "totalt" not in set(forbund["deltagarflode"]["kategori"])  # rows overlap there


def test_age(forbund):
    assert nonzero(counts(forbund["alder"])) == {
        "-29": (1, 0, 1),
        "30-44": (2, 1, 3),
        "45-59": (0, 1, 1),
    }
    assert "ej_angivet" not in set(forbund["alder"]["kategori"])


def test_education_and_time_on_support(forbund):
    assert nonzero(counts(forbund["utbildning"])) == {
        "gymnasium": (2, 1, 3),
        "grundskola": (0, 1, 1),
        "saknas_okand": (1, 0, 1),
    }
    assert nonzero(counts(forbund["tid_offentlig_forsorjning"])) == {
        "upp_till_3_ar": (2, 0, 2),
        "upp_till_6_ar": (0, 1, 1),
        "ej_tillampligt": (1, 0, 1),
        "mer_an_9_ar": (0, 1, 1),
    }


def test_support_before_counts_mentions(forbund):
    table = forbund["forsorjning_fore"]
    assert nonzero(counts(table)) == {
        "forsorjningsstod": (2, 1, 3),
        "sjuk_rehabpenning": (0, 1, 1),
        "ingen_offentlig": (1, 0, 1),
        "sjukersattning": (0, 1, 1),
    }
    # 6 mentions for 5 participations; shares are of mentions: 3 of 6 = 50 %.
    total = table[(table["kategori"] == "forsorjningsstod") & (table["kon"] == "totalt")]
    assert total["andel"].iloc[0] == pytest.approx(50.0)
    man = table[(table["kategori"] == "sjuk_rehabpenning") & (table["kon"] == "man")]
    assert man["andel"].iloc[0] == pytest.approx(100 / 3)


def test_support_after_and_change(forbund):
    assert nonzero(counts(forbund["forsorjning_efter"])) == {
        "ingen_offentlig": (1, 0, 1),
        "sjuk_rehabpenning": (0, 1, 1),
    }
    change = forbund["forsorjningsforandring"]
    assert nonzero(counts(change, "tidpunkt", "fore")) == {
        "forsorjningsstod": (1, 1, 2),
        "sjuk_rehabpenning": (0, 1, 1),
    }
    assert nonzero(counts(change, "tidpunkt", "efter")) == {
        "ingen_offentlig": (1, 0, 1),
        "sjuk_rehabpenning": (0, 1, 1),
    }


def test_orientation_time_in_insats_end_reason_occupation(forbund):
    assert nonzero(counts(forbund["inriktning"])) == {
        "forberedande": (2, 1, 3),
        "kartlaggning": (1, 1, 2),
    }
    assert nonzero(counts(forbund["tid_i_insats"])) == {"7-12": (1, 1, 2)}
    assert nonzero(counts(forbund["avslutsorsak"])) == {
        "arbete_studier": (1, 0, 1),
        "sjukdom": (0, 1, 1),
    }
    assert nonzero(counts(forbund["sysselsattning_efter"])) == {
        "arbete_osubventionerat": (1, 0, 1),
        "studier": (1, 0, 1),
    }


def test_months_in_insats_counts_started_months():
    frame = pd.DataFrame(
        {
            "startdatum": pd.to_datetime(["2022-01-01", "2022-01-01", "2022-01-01", "2021-03-01"]),
            "slutdatum": pd.to_datetime(["2022-01-01", "2022-06-30", "2022-07-03", "2022-02-15"]),
        }
    )
    assert months_in_insats(frame).tolist() == [1, 6, 7, 12]


def test_months_in_insats_at_the_edge_of_a_month():
    """A month is 365.25 / 12 = 30.4375 days and both the first and the last day count: 30 days
    (1–30 January) are one started month, 31 days two; 182 days (1 January–1 July 2022) are
    six, 183 days seven."""
    frame = pd.DataFrame(
        {
            "startdatum": pd.to_datetime(["2022-01-01"] * 4),
            "slutdatum": pd.to_datetime(["2022-01-30", "2022-01-31", "2022-07-01", "2022-07-02"]),
        }
    )
    assert months_in_insats(frame).tolist() == [1, 2, 6, 7]


def test_results(forbund):
    table = forbund["resultat"]
    alla = counts(table, "grupp", "alla")
    assert alla["avslutade"] == (1, 1, 2)
    assert alla["arbete_studier_efter"] == (1, 0, 1)
    assert alla["arbete_studier_fore"] == (0, 0, 0)
    assert alla["sjukdom"] == (0, 1, 1)
    assert alla["aktivt_arbetssokande"] == alla["fortsatt_rehabilitering"] == (0, 0, 0)
    assert counts(table, "grupp", "30_och_aldre") == alla  # D01 is 31, D03 37 at start
    assert set(counts(table, "grupp", "under_30").values()) == {(0, 0, 0)}
    share = table[(table["kategori"] == "arbete_studier_efter") & (table["grupp"] == "alla")]
    shares = dict(zip(share["kon"], share["andel"], strict=True))
    assert shares["kvinna"] == pytest.approx(100.0)  # 1 of 1 ended woman
    assert shares["man"] == pytest.approx(0.0)
    assert shares["totalt"] == pytest.approx(50.0)
    empty = table[(table["grupp"] == "under_30") & (table["kategori"] == "sjukdom")]
    assert empty["andel"].isna().all()  # no base, no share


def test_registration_and_structural(forbund):
    reg = forbund["registrering"]
    assert dict(zip(reg["kategori"], reg["antal"], strict=True)) == {
        "personuppgifter": 5,
        "anonym": 1,
        "volym": 2,
        "totalt": 8,
    }
    assert reg["andel"].tolist() == pytest.approx([62.5, 12.5, 25.0, 100.0])
    struktur = forbund["struktur"]
    got = struktur[(struktur["antal"] > 0) & (struktur["kategori"] != "totalt")]
    assert list(zip(got["kategori"], got["matt"], got["antal"], strict=True)) == [
        ("dialog_kommunikation", "insatser", 1),
        ("dialog_kommunikation", "deltagare", 20),
    ]


def test_referrals_and_participations_per_kommun_and_insats(forbund):
    assert nonzero(counts(forbund["remisser_kommun"])) == {
        "1481": (2, 1, 3),
        "1402": (1, 0, 1),
        "1489": (0, 1, 1),
    }
    assert nonzero(counts(forbund["deltagare_kommun"])) == {"1481": (2, 1, 3), "1402": (1, 1, 2)}
    assert counts(forbund["deltagare_insats"]) == {"Balder": (2, 1, 3), "Primus": (1, 1, 2)}
    share = forbund["deltagare_insats"]
    balder = share[(share["kategori"] == "Balder") & (share["kon"] == "kvinna")]
    assert balder["andel"].iloc[0] == pytest.approx(200 / 3)  # 2 of 3 women


def test_flow_has_no_column_shares(forbund):
    assert forbund["deltagarflode"]["andel"].isna().all()


def test_kommun_level(store):
    tables = compute_tables(population(store, "kommun", "Mölndal", 2022))
    assert counts(tables["deltagarflode"])["samtliga"] == (2, 1, 3)
    assert nonzero(counts(tables["remisser_remittent"])) == {
        "psykiatrin": (2, 0, 2),
        "vardcentral": (0, 1, 1),
    }
    assert counts(tables["remisser_kommun"]) == {"1481": (2, 1, 3)}
    assert tables["struktur"]["antal"].sum() == 0  # structural insatser are per förbund


def test_riket_level_equals_the_only_forbund(store, forbund):
    riket = compute_tables(population(store, "riket", None, 2022))
    for table_id in ("deltagarflode", "alder", "resultat", "forsorjning_fore"):
        pd.testing.assert_frame_equal(riket[table_id], forbund[table_id])


def test_protected_page_hides_small_counts(store):
    """The förbund page 2022 protected on its own: every count 1–4 of the flow table is hidden,
    shown counts are 0 or above 4, and hidden cells have no share."""
    pop = population(store, "forbund", FORBUND, 2022)
    key = page_key("forbund", FORBUND, 2022, None)
    flow = protected_page(pop, key, page_mask(store, key, 4)).tables["deltagarflode"]
    hidden = flow[flow["undertryckt"]]
    # samtliga 3 / 2 / 5 (fixture README): the women's 3 and men's 2 are hidden
    assert {("samtliga", "kvinna"), ("samtliga", "man")} <= set(
        zip(hidden["kategori"], hidden["kon"], strict=True)
    )
    assert flow.loc[~flow["undertryckt"], "antal"].map(lambda v: v == 0 or v > 4).all()
    assert flow.loc[flow["undertryckt"], "antal"].isna().all()
    assert flow.loc[flow["undertryckt"], "andel"].map(math.isnan).all()


def test_a_protected_page_of_some_tables_only_and_a_mask_that_lacks_a_cell(store):
    """Asked for the flow table only, the förbund page 2022 gives that table and no data-quality
    section. A mask without the flow table's cell samtliga × kvinna is refused with a message
    that names the cell and the page."""
    pop = population(store, "forbund", FORBUND, 2022)
    key = page_key("forbund", FORBUND, 2022, None)
    mask = page_mask(store, key, 4)
    page = protected_page(pop, key, mask, ["deltagarflode"])
    assert list(page.tables) == ["deltagarflode"]
    assert (page.quality_facts, page.quality) == (None, None)
    lacking = mask[
        ~(
            (mask["table"] == "deltagarflode")
            & (mask["kategori"] == "samtliga")
            & (mask["kon"] == "kvinna")
        )
    ]
    with pytest.raises(FinsamError) as refused:
        protected_page(pop, key, lacking, ["deltagarflode"])
    assert str(refused.value) == (
        "the protection does not cover cell ('deltagarflode', 'samtliga', '', 'kvinna') of page "
        f"forbund|{FORBUND}|2022|; rebuild"
    )


def test_flows_and_results_per_insats(forbund):
    """Balder 2022: D01 and D03 ended (D01 to work and studies, in own support), D03 and D05
    new; referrals R1, R2 and R4 assigned to it. Primus: D02 new, D06 ends in 2023."""
    table = forbund["flode_insats"].pivot(index="kategori", columns="matt", values="antal")
    measures = [
        "nya", "avslutade", "arbete_studier", "arbetssokande", "arbete_studier_arbetssokande",
        "egen_forsorjning", "remisser",
    ]  # fmt: skip
    assert table.loc["Balder", measures].tolist() == [2, 2, 1, 0, 1, 1, 3]
    assert table.loc["Primus", measures].tolist() == [1, 0, 0, 0, 0, 0, 0]
    assert table.loc["totalt", measures].tolist() == [3, 2, 1, 0, 1, 1, 3]
    assert set(forbund["flode_insats"]["kon"]) == {"totalt"}


def test_national_shares_beside_a_forbund_table(store, forbund):
    """Försäkringskassans rapport 2021, Bilaga 3, age at start, everyone: 6 272, 5 925, 4 748
    and 556 of 17 501 participants; beside each, the förbund's own share. A category the
    national table lacks gets no national share."""
    compared = national.compare_shares(forbund["alder"], store, "alder")
    assert compared["kategori"].tolist()[:4] == ["-29", "30-44", "45-59", "60-"]
    national_shares = compared.set_index("kategori")["andel_nationellt"]
    for kategori, count in [("-29", 6_272), ("30-44", 5_925), ("45-59", 4_748), ("60-", 556)]:
        assert national_shares[kategori] == pytest.approx(100 * count / 17_501)
    own = forbund["alder"]
    own = own[(own["kon"] == "totalt") & (own["kategori"] != "totalt")]
    assert compared["andel"].tolist() == own["andel"].tolist()
    odd = pd.DataFrame(
        {"kategori": ["-29", "ej_angivet", "totalt"], "kon": "totalt", "andel": [60.0, 40.0, 100.0]}
    )
    shown = national.compare_shares(odd, store, "alder")
    assert shown["kategori"].tolist() == ["-29", "ej_angivet"]
    assert pd.isna(shown["andel_nationellt"].iloc[1])


def test_a_national_series_is_the_published_table(store):
    """Tabell 4: participants in individual insatser, 28 318 in 2017 and 31 167 in 2019."""
    series = national.series(store, "deltagare_over_tid").set_index("ar")["deltagare"]
    assert (series[2017], series[2019]) == (28_318, 31_167)


def test_labels_of_coded_categories_include_not_stated(store):
    """A table of codes labels each code as the appendix prints it, and a missing value as
    "Uppgift saknas"; a kommun table labels each kommun code by its name."""
    pop = population(store, "forbund", FORBUND, 2022)
    education = BY_ID["utbildning"].labels(pop)
    assert (education["grundskola"], education["ej_angivet"]) == ("Grundskola", "Uppgift saknas")
    assert BY_ID["deltagare_kommun"].labels(pop)["1481"] == "Mölndal"


def test_the_data_quality_counts_of_the_small_dataset(store):
    """Förbund 2022 (fixture README): 5 registrations of 4 persons (P1 twice), 2 of them going
    since before the year (D01, D06), 3 new, 2 ended (D01, D03, both with an end reason), so
    2 + 3 − 2 = 3 going at the end, as registered (D02, D05, D06). Referrals 2022: R1–R4 and
    R6; R1, R2 and R4 to Balder and started, R3 not started, R6 without answer. Balder receives
    referrals, and D03 and D05 started in it during the year."""
    facts = quality_facts(population(store, "forbund", FORBUND, 2022))
    assert facts.counts == {
        "registreringar": 5, "unika": 4, "upprepade": 1, "pagaende_vid_arets_borjan": 2,
        "nya": 3, "avslutade": 2, "berakning_pagaende": 3, "pagaende_vid_periodens_slut": 3,
        "med_avslutsorsak": 2, "utan_avslutsorsak": 0, "remisser": 5, "tilldelade": 3,
        "startade": 3, "ej_startade": 1, "okand_start": 1, "startade_utan_insats": 0,
        "nya_i_remissinsatser": 2,
    }  # fmt: skip
    assert facts.referred_insatser == ("Balder",)
    assert (facts.year, facts.period_end) == (2022, dt.date(2022, 12, 31))
    table = quality_table(facts)
    assert table["kategori"].tolist() == list(facts.counts)
    assert set(table["kon"]) == {"totalt"}
    assert table["antal"].tolist() == list(facts.counts.values())
    june = quality_facts(population(store, "forbund", FORBUND, 2022, "2022-06-30")).counts
    assert june["pagaende_vid_periodens_slut"] == 3  # D02, D03, D06 on 30 June


def test_shares_of_their_own_base_per_second_dimension(forbund):
    """Förbund 2022 (fixture README): ended D01 (woman, to work and studies) and D03 (man,
    sick leave). A result's share is of the ended of its group and gender: 1 of 1 woman is
    100 %, the men's 0 of 1 is 0 %, everyone's 1 of 2 is 50 %. Support before and after are
    shares within each of before and after. The flow table, whose rows overlap, has none."""
    results = forbund["resultat"].set_index(["kategori", "grupp", "kon"])["andel"]
    assert results["arbete_studier_efter", "alla", "kvinna"] == 100.0
    assert results["arbete_studier_efter", "alla", "man"] == 0.0
    assert results["arbete_studier_efter", "alla", "totalt"] == 50.0
    assert results["avslutade", "alla", "totalt"] == 100.0
    change = forbund["forsorjningsforandring"].set_index(["kategori", "tidpunkt", "kon"])["andel"]
    # before: D01 försörjningsstöd, D03 sjuk- och rehabpenning + försörjningsstöd (3 mentions);
    # after: D01 ingen offentlig, D03 sjuk- och rehabpenning (2 mentions)
    assert change["forsorjningsstod", "fore", "totalt"] == pytest.approx(100 * 2 / 3)
    assert change["sjuk_rehabpenning", "efter", "totalt"] == 50.0
    assert change["totalt", "efter", "totalt"] == 100.0
    assert forbund["deltagarflode"]["andel"].isna().all()


def test_the_suppression_threshold_file(tmp_path):
    """params/disclosure.yml says 4; a file may say 0 (nothing hidden) or leave the default 4;
    a negative or fractional threshold, or a named file that is missing, is an error."""
    assert load_threshold() == 4
    given = tmp_path / "disclosure.yml"
    for text, expected in [("threshold: 0\n", 0), ("threshold: 7\n", 7), ("", 4), ("x: 1\n", 4)]:
        given.write_text(text, encoding="utf-8")
        assert load_threshold(given) == expected
    for text, shown in [("threshold: -1\n", "-1"), ("threshold: 2.5\n", "2.5")]:
        given.write_text(text, encoding="utf-8")
        with pytest.raises(FinsamError) as refused:
            load_threshold(given)
        assert str(refused.value) == f"{given}: 'threshold' must be a whole number ≥ 0, got {shown}"
    with pytest.raises(FinsamError, match=r"none\.yml: no such disclosure file$"):
        load_threshold(tmp_path / "none.yml")


def test_structural_insatser_per_orientation(store):
    """Fixture: Kunskapsdialoger (structural, dialog and communication) had 15 participants in
    2021 and 20 in 2022; Balder and Primus are individual insatser and not counted."""
    for year, participants in [(2022, 20), (2021, 15)]:
        pop = population(store, "forbund", FORBUND, year)
        tidy = compute_tables(pop, ["struktur"])["struktur"]
        table = tidy.set_index(["kategori", "matt", "kon"])["antal"]
        assert set(tidy["kon"]) == {"totalt"}
        dialog = table["dialog_kommunikation"]
        assert (dialog["insatser", "totalt"], dialog["deltagare", "totalt"]) == (1, participants)
        for other in ("utbildning", "kartlaggning", "annan"):
            assert table[other, "insatser", "totalt"] == table[other, "deltagare", "totalt"] == 0
        total = table["totalt"]
        assert (total["insatser", "totalt"], total["deltagare", "totalt"]) == (1, participants)


def test_the_published_layout_numbers_its_cells_and_keeps_the_tidy_columns(store):
    """The cells of a table in order, numbered 0…n−1 as the protection's mask is: the tidy
    columns and nothing else, a ``totalt`` row per gender after the categories, per value of
    the second dimension right after its slice."""
    from finsam.stats.catalog import published_layout

    pop = population(store, "forbund", FORBUND, 2022)
    age = published_layout(BY_ID["alder"], pop)
    assert list(age.columns) == ["kategori", "kon", "antal"]
    assert age.index.equals(pd.RangeIndex(len(age)))
    assert age["kategori"].tolist()[-3:] == ["totalt"] * 3
    assert age["kon"].tolist()[-3:] == ["kvinna", "man", "totalt"]
    struktur = published_layout(BY_ID["struktur"], pop)
    assert list(struktur.columns) == ["kategori", "matt", "kon", "antal"]
    assert struktur.index.equals(pd.RangeIndex(len(struktur)))
    per_measure = struktur["matt"].tolist()
    half = len(per_measure) // 2
    assert per_measure == ["insatser"] * half + ["deltagare"] * half
    assert struktur["kategori"].tolist()[half - 1] == struktur["kategori"].tolist()[-1] == "totalt"
    assert struktur["antal"].dtype == "int64"


def test_counts_of_insatser_may_not_be_hidden_and_counts_of_people_may(store):
    """Structural insatser: the number of insatser is published as it is, the participants in
    them may be hidden; a table without a second dimension counts people only."""
    from finsam.stats.catalog import protectable, published_layout

    pop = population(store, "forbund", FORBUND, 2022)
    struktur = published_layout(BY_ID["struktur"], pop)
    assert (
        protectable(struktur, BY_ID["struktur"]).tolist()
        == (struktur["matt"] == "deltagare").tolist()
    )
    assert protectable(struktur, BY_ID["struktur"]).sum() == len(struktur) // 2
    age = published_layout(BY_ID["alder"], pop)
    assert protectable(age, BY_ID["alder"]).all()
    flows = published_layout(BY_ID["flode_insats"], pop)  # a second dimension, all people
    assert protectable(flows, BY_ID["flode_insats"]).all() and len(flows) > 0


def test_only_the_tables_asked_for_are_computed(store):
    tables = compute_tables(population(store, "forbund", FORBUND, 2022), ["utbildning", "alder"])
    assert list(tables) == ["utbildning", "alder"]
