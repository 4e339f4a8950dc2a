"""Counting rules at the edges real data has and the handmade fixture does not: ages on every
band boundary, missing values, gender splits that differ per category, a period end inside the
year. Each test is worked out by hand from the rule in the module's docstring, and each catches a
small bug that the rest of the suite let through (a band edge moved by one, genders swapped,
missing values dropped, a period end ignored)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from handmade import FORBUND, people, store_of

from finsam.errors import FinsamError
from finsam.inputs.dataset import load_dataset
from finsam.inputs.store import Store, ingest
from finsam.stats import demographics, outcomes
from finsam.stats.catalog import BY_ID, compute_tables
from finsam.stats.periods import (
    active_in_year,
    ended_in_year,
    ongoing_on,
    parse_period_end,
    started_in_year,
)
from finsam.stats.population import kommun_code, member_code, population
from finsam.stats.quality import quality_facts

SMALL = Path(__file__).parent / "fixtures" / "small"
MOLNDAL = "1481"


def participations(rows: list[tuple]) -> pd.DataFrame:
    """Participations with personal data: (kön, födelseår, start, slut or None, utbildning)."""
    frame = pd.DataFrame(
        rows, columns=["kon", "fodelsear", "startdatum", "slutdatum", "utbildning"]
    )
    frame["startdatum"] = pd.to_datetime(frame["startdatum"])
    frame["slutdatum"] = pd.to_datetime(frame["slutdatum"])
    frame["registrering"] = "personuppgifter"
    frame["person_id"] = [f"X{i}" for i in range(len(frame))]
    return frame


def counts(tidy: pd.DataFrame, kon: str) -> dict[str, int]:
    part = tidy[tidy["kon"] == kon]
    return dict(zip(part["kategori"], part["antal"].astype(int), strict=True))


def test_age_bands_at_every_boundary():
    """Started in 2022: born 1993 is 29 (−29), 1992 is 30 (30–44), 1978 is 44, 1977 is 45,
    1963 is 59, 1962 is 60 (60–). Women and men differ in every band."""
    frame = participations(
        [
            ("kvinna", 1993, "2022-03-01", None, "gymnasium"),
            ("man", 1992, "2022-03-01", None, "gymnasium"),
            ("man", 1978, "2022-03-01", None, "gymnasium"),
            ("kvinna", 1977, "2022-03-01", None, "gymnasium"),
            ("kvinna", 1963, "2022-03-01", None, "gymnasium"),
            ("man", 1962, "2022-03-01", None, "gymnasium"),
        ]
    )
    ages = demographics.by_age(frame, 2022)
    assert counts(ages, "kvinna") == {"-29": 1, "30-44": 0, "45-59": 2, "60-": 0}
    assert counts(ages, "man") == {"-29": 0, "30-44": 2, "45-59": 0, "60-": 1}
    assert counts(ages, "totalt") == {"-29": 1, "30-44": 2, "45-59": 2, "60-": 1}


def test_missing_values_are_counted_as_not_stated():
    """Two of three have no education stated: they are counted as "Uppgift saknas"
    (``ej_angivet``), which is shown because someone has it."""
    frame = participations(
        [
            ("kvinna", 1990, "2022-03-01", None, None),
            ("man", 1990, "2022-03-01", None, "gymnasium"),
            ("man", 1990, "2022-03-01", None, ""),
        ]
    )
    education = counts(demographics.by_education(frame, 2022), "totalt")
    assert education["ej_angivet"] == 2 and education["gymnasium"] == 1
    assert sum(education.values()) == 3


def test_time_in_insats_keeps_genders_apart_at_the_month_edge():
    """Ended in 2022, started 1 January: 181 days is 6 started months (1–6), 183 days is 7
    (7–12; a month is 365.25 / 12 days). Two women ended after 181 days, one man after 183."""
    frame = participations(
        [
            ("kvinna", 1990, "2022-01-01", "2022-06-30", "gymnasium"),
            ("kvinna", 1990, "2022-01-01", "2022-06-30", "gymnasium"),
            ("man", 1990, "2022-01-01", "2022-07-02", "gymnasium"),
        ]
    )
    months = outcomes.by_time_in_insats(frame, 2022)
    assert counts(months, "kvinna")["1-6"] == 2 and counts(months, "kvinna")["7-12"] == 0
    assert counts(months, "man")["1-6"] == 0 and counts(months, "man")["7-12"] == 1


def test_a_period_end_inside_the_year_reaches_the_flow(tmp_path: Path):
    """The small fixture (README): ongoing on 30 June 2022 are D02 (woman), D03 and D06 (men),
    1 / 2 / 3; on 31 December D02, D05 (women) and D06 (man), 2 / 1 / 3."""
    store = Store(ingest(load_dataset(SMALL), tmp_path / "store.duckdb"))
    flow = BY_ID["deltagarflode"]
    june = flow.compute(population(store, "forbund", FORBUND, 2022, "2022-06-30"))
    december = flow.compute(population(store, "forbund", FORBUND, 2022))

    def ongoing(tidy: pd.DataFrame) -> tuple[int, int, int]:
        row = tidy[tidy["kategori"] == "pagaende"].set_index("kon")["antal"]
        return int(row["kvinna"]), int(row["man"]), int(row["totalt"])

    assert ongoing(june) == (1, 2, 3)
    assert ongoing(december) == (2, 1, 3)


def wide(tidy: pd.DataFrame, second: str | None = None, value: str | None = None) -> dict:
    """{kategori: {kon: antal}} of a computed table (one slice of its second dimension)."""
    if second:
        tidy = tidy[tidy[second] == value]
    return {
        k: dict(zip(part["kon"], part["antal"].astype(int), strict=True))
        for k, part in tidy.groupby("kategori", sort=False)
    }


def test_missing_values_in_every_optional_column_through_the_catalog(tmp_path: Path):
    """Mölndal 2022, insats Balder, all started in 2022. Three women ended on 30 June, each
    without one or two optional values: W1 no birth year, W2 no education and no occupation or
    support after, W3 no time on support and no support before. Two men still going: M1 no
    birth year and no education, M2 no support before; one person of unknown gender (born 1995)
    still going. Defaults: born 1980 (42 at start), gymnasium, up to 3 years on support, support
    before försörjningsstöd. Referrals: one without insats and without ``startad``, one to Balder
    without ``startad``, one to Balder started.

    A single-valued column's missing value is counted as "Uppgift saknas" (``ej_angivet``); a
    multi-valued column counts mentions, so a missing value is no mention; a person without a
    birth year is in neither age group of ``resultat``; the unknown gender is in its own column
    and in the total."""
    ended = {"end": "2022-06-30"}
    rows = [
        *people(1, MOLNDAL, "kvinna", "2022-01-10", **ended, fodelsear="",
                sysselsattning_efter="studier", forsorjning_efter="ingen_offentlig",
                avslutsorsak="arbete_studier"),
        *people(1, MOLNDAL, "kvinna", "2022-01-10", **ended, utbildning="",
                sysselsattning_efter="", forsorjning_efter="", avslutsorsak="flytt"),
        *people(1, MOLNDAL, "kvinna", "2022-01-10", **ended, tid_offentlig_forsorjning="",
                forsorjning_fore="", sysselsattning_efter="aktivt_arbetssokande",
                forsorjning_efter="a_kassa", avslutsorsak="aktivt_arbetssokande"),
        *people(1, MOLNDAL, "man", "2022-02-01", fodelsear="", utbildning=""),
        *people(1, MOLNDAL, "man", "2022-02-01", forsorjning_fore=""),
        *people(1, MOLNDAL, "okant", "2022-02-01", fodelsear="1995"),
    ]  # fmt: skip
    referrals = "".join(
        f"R{i},{FORBUND},2022-03-0{i},{MOLNDAL},{kon},{party},{insats},{started}\n"
        for i, kon, party, insats, started in [
            (1, "kvinna", "psykiatrin", "", ""),
            (2, "man", "vardcentral", "Balder", ""),
            (3, "okant", "annan", "Balder", "ja"),
        ]
    )
    pop = population(store_of(tmp_path, rows, referrals), "forbund", FORBUND, 2022)
    tables = compute_tables(pop)
    everyone = {"kvinna": 3, "man": 2, "okant": 1, "totalt": 6}
    assert wide(tables["deltagarflode"])["samtliga"] == everyone
    assert wide(tables["alder"]) == {
        "-29": {"kvinna": 0, "man": 0, "okant": 1, "totalt": 1},
        "30-44": {"kvinna": 2, "man": 1, "okant": 0, "totalt": 3},
        "45-59": {"kvinna": 0, "man": 0, "okant": 0, "totalt": 0},
        "60-": {"kvinna": 0, "man": 0, "okant": 0, "totalt": 0},
        "ej_angivet": {"kvinna": 1, "man": 1, "okant": 0, "totalt": 2},
        "totalt": everyone,
    }
    education = wide(tables["utbildning"])
    assert education["gymnasium"] == {"kvinna": 2, "man": 1, "okant": 1, "totalt": 4}
    assert education["ej_angivet"] == {"kvinna": 1, "man": 1, "okant": 0, "totalt": 2}
    support_time = wide(tables["tid_offentlig_forsorjning"])
    assert support_time["upp_till_3_ar"] == {"kvinna": 2, "man": 2, "okant": 1, "totalt": 5}
    assert support_time["ej_angivet"] == {"kvinna": 1, "man": 0, "okant": 0, "totalt": 1}
    before = wide(tables["forsorjning_fore"])
    assert "ej_angivet" not in before
    assert before["forsorjningsstod"] == {"kvinna": 2, "man": 1, "okant": 1, "totalt": 4}
    assert before["totalt"] == before["forsorjningsstod"]
    after = wide(tables["sysselsattning_efter"])
    assert after["studier"] == after["aktivt_arbetssokande"] == {"kvinna": 1, "man": 0, "totalt": 1}
    assert after["totalt"] == {"kvinna": 2, "man": 0, "totalt": 2}
    results = tables["resultat"]
    assert wide(results, "grupp", "alla")["avslutade"] == {"kvinna": 3, "man": 0, "totalt": 3}
    assert wide(results, "grupp", "30_och_aldre")["avslutade"]["totalt"] == 2
    assert wide(results, "grupp", "under_30")["avslutade"]["totalt"] == 0
    assert wide(tables["flode_insats"], "matt", "remisser")["Balder"] == {"totalt": 2}
    assert wide(tables["remisser_remittent"])["totalt"] == {
        "kvinna": 1, "man": 1, "okant": 1, "totalt": 3
    }  # fmt: skip
    facts = quality_facts(pop).counts
    assert (facts["remisser"], facts["tilldelade"], facts["startade"], facts["okand_start"]) == (
        3, 2, 1, 2
    )  # fmt: skip


def test_a_period_end_is_a_strict_iso_date_within_the_reporting_window():
    """From 1 January of the year to 31 March after it, written YYYY-MM-DD; the message names
    the option and the window."""
    assert parse_period_end(None, 2022) is None
    assert parse_period_end("2022-01-01", 2022) == "2022-01-01"
    assert parse_period_end("2023-03-31", 2022) == "2023-03-31"
    window = "expected a date YYYY-MM-DD from 2022-01-01 to 2023-03-31"
    for given, message in [
        ("2021-12-31", f"--period-end 2021-12-31: outside the reporting window of 2022; {window}"),
        ("2023-04-01", f"--period-end 2023-04-01: outside the reporting window of 2022; {window}"),
        ("4/1/2023", f"--period-end '4/1/2023': {window} (year 2022)"),
        ("2023-1-4", f"--period-end '2023-1-4': {window} (year 2022)"),
        ("20230104", f"--period-end '20230104': {window} (year 2022)"),  # ISO, but not YYYY-MM-DD
        ("2023-13-01", f"--period-end '2023-13-01': {window} (year 2022)"),
    ]:
        with pytest.raises(FinsamError) as refused:
            parse_period_end(given, 2022)
        assert str(refused.value) == message
    with pytest.raises(FinsamError, match=r"^--slut '2023-13-01'"):
        parse_period_end("2023-13-01", 2022, option="--slut")


def test_ongoing_on_a_day_and_active_in_a_year_at_their_edges():
    """Ongoing on 30 June: started that day counts, ended that day does not. Active in 2022:
    ended on 1 January 2022 or started on 31 December 2022 counts; ended on 31 December 2021 or
    started on 1 January 2023 does not."""
    frame = participations(
        [
            ("kvinna", 1990, "2022-06-30", None, "gymnasium"),
            ("kvinna", 1990, "2022-01-01", "2022-06-30", "gymnasium"),
            ("kvinna", 1990, "2021-01-01", "2022-01-01", "gymnasium"),
            ("kvinna", 1990, "2022-12-31", None, "gymnasium"),
            ("kvinna", 1990, "2021-01-01", "2021-12-31", "gymnasium"),
            ("kvinna", 1990, "2023-01-01", None, "gymnasium"),
        ]
    )
    assert ongoing_on(frame, "2022-06-30").tolist() == [True, False, False, False, False, False]
    assert active_in_year(frame, 2022).tolist() == [True, True, True, True, False, False]
    assert started_in_year(frame, 2022).tolist() == [True, True, False, True, False, False]
    assert ended_in_year(frame, 2022).tolist() == [False, True, True, False, False, False]


def test_a_kommun_is_named_by_code_or_name_and_a_wrong_one_is_explained(tmp_path: Path):
    store = Store(ingest(load_dataset(SMALL), tmp_path / "store.duckdb"))
    assert kommun_code("Mölndal") == kommun_code("1481") == "1481"
    for given, message in [
        ("Molndal", "kommun 'Molndal' is neither an SCB kommunkod nor a kommun name; did you "
                    "mean Mölndal?"),
        ("Xyz", "kommun 'Xyz' is neither an SCB kommunkod nor a kommun name"),
        ("", "kommun '' is neither an SCB kommunkod nor a kommun name"),
    ]:  # fmt: skip
        with pytest.raises(FinsamError) as refused:
            kommun_code(given)
        assert str(refused.value) == message
    assert member_code(store, FORBUND, "Partille") == "1402"
    with pytest.raises(FinsamError) as refused:
        member_code(store, FORBUND, "Göteborg")
    assert str(refused.value) == (
        f"kommun Göteborg (1480) is not a member of {FORBUND}; its members: Härryda (1401), "
        "Partille (1402), Lerum (1441), Mölndal (1481), Alingsås (1489)"
    )


def test_quality_counts_at_the_start_of_the_year(tmp_path: Path):
    """Förbund 2022: one participation started on 1 January 2022 and ended 1 May: it is new,
    not going at the start of the year; one started on 31 December 2021 is going at the start
    and ended too, so 1 + 1 − 2 = 0 are going at the end. One referral started without an
    insats."""
    rows = [
        *people(1, MOLNDAL, "kvinna", "2022-01-01", "2022-05-01"),
        *people(1, MOLNDAL, "man", "2021-12-31", "2022-05-01"),
    ]
    referral = f"R1,{FORBUND},2022-02-01,{MOLNDAL},man,annan,,ja\n"  # started, no insats
    pop = population(store_of(tmp_path, rows, referral), "forbund", FORBUND, 2022)
    counts = quality_facts(pop).counts
    assert (counts["pagaende_vid_arets_borjan"], counts["nya"], counts["avslutade"]) == (1, 1, 2)
    assert counts["berakning_pagaende"] == 0
    assert (counts["med_avslutsorsak"], counts["utan_avslutsorsak"]) == (2, 0)
    assert (counts["startade"], counts["startade_utan_insats"], counts["tilldelade"]) == (1, 1, 0)


def test_results_per_group_at_the_age_edge_and_with_several_codes():
    """Ended in 2022, started 1 March 2022: a woman born 1993 (29 at start), one born 1992
    (30), a man born 1992 (30). The first worked and studied before ("studier;eget_foretag")
    and had sickness benefit and aktivitetsersättning before; after, she studies and seeks work
    ("studier;aktivt_arbetssokande"). The second had nothing before, ended on sick leave and is
    job-seeking after. The man ended towards continued rehabilitation."""
    frame = participations(
        [
            ("kvinna", 1993, "2022-03-01", "2022-09-30", "gymnasium"),
            ("kvinna", 1992, "2022-03-01", "2022-09-30", "gymnasium"),
            ("man", 1992, "2022-03-01", "2022-09-30", "gymnasium"),
        ]
    ).assign(
        forsorjning_fore=["sjuk_rehabpenning;aktivitetsersattning", None, "a_kassa"],
        sysselsattning_fore=["studier;eget_foretag", None, None],
        sysselsattning_efter=["studier;aktivt_arbetssokande", "aktivt_arbetssokande", None],
        avslutsorsak=["arbete_studier", "sjukdom", "fortsatt_rehabilitering"],
    )
    table = outcomes.results(frame, 2022).set_index(["kategori", "grupp", "kon"])["antal"]

    def women_men(measure: str, group: str) -> tuple[int, int]:
        return int(table[measure, group, "kvinna"]), int(table[measure, group, "man"])

    assert women_men("avslutade", "alla") == (2, 1)
    assert women_men("avslutade", "under_30") == (1, 0)
    assert women_men("avslutade", "30_och_aldre") == (1, 1)
    assert women_men("avslutade", "aktivitetsersattning_fore") == (1, 0)
    assert women_men("arbete_studier_fore", "alla") == (1, 0)
    assert women_men("arbete_studier_efter", "under_30") == (1, 0)
    assert women_men("aktivt_arbetssokande", "alla") == (2, 0)
    assert women_men("aktivt_arbetssokande", "30_och_aldre") == (1, 0)
    assert women_men("fortsatt_rehabilitering", "30_och_aldre") == (0, 1)
    assert women_men("sjukdom", "alla") == (1, 0)
    assert women_men("sjukdom", "under_30") == (0, 0)
    reasons = counts(outcomes.by_end_reason(frame, 2022), "totalt")
    assert {k: n for k, n in reasons.items() if n} == {
        "arbete_studier": 1, "sjukdom": 1, "fortsatt_rehabilitering": 1
    }  # fmt: skip
    assert outcomes.names_any(frame["forsorjning_fore"], ("a_kassa",)).tolist() == [
        False, False, True
    ]  # fmt: skip


def test_each_level_selects_its_forbund_and_lists_its_kommuner(tmp_path: Path):
    """Insjöriket's page lists its five members in the register's order, then the other
    kommuner its own participations (Göteborg) and referrals (Kungälv) name; Sjuhärad's
    referrals in Borås and Ulricehamn stay off it. Riket lists every kommun in the data, a
    kommun page keeps its förbund's rows and no structural participants (those are counted per
    förbund only)."""
    sjuharad = "Sjuhärads samordningsförbund"
    rows = [*people(1, MOLNDAL, "kvinna", "2022-03-01"), *people(1, "1480", "man", "2022-03-01")]
    referrals = (
        f"R1,{FORBUND},2022-02-01,1482,man,annan,,nej\n"
        f"R2,{sjuharad},2022-02-01,1490,man,annan,,nej\n"
        f"R3,{sjuharad},2022-02-01,1491,kvinna,annan,,nej\n"
    )
    store = store_of(tmp_path, rows, referrals)
    forbund = population(store, "forbund", FORBUND, 2022)
    assert forbund.kommuner == ["1401", "1402", "1441", "1481", "1489", "1480", "1482"]
    assert forbund.forbund == (FORBUND,) and forbund.label == FORBUND
    assert forbund.remisser["kommun"].tolist() == ["1482"]
    riket = population(store, "riket", None, 2022)
    assert riket.kommuner == ["1480", "1481", "1482", "1490", "1491"]
    assert set(riket.forbund) == {FORBUND, sjuharad} and riket.label == "Riket"
    assert len(riket.remisser) == 3 and len(riket.deltaganden) == 2
    kommun = population(store, "kommun", "Mölndal", 2022)
    assert (kommun.name, kommun.kommuner, kommun.forbund) == ("Mölndal", ["1481"], (FORBUND,))
    assert kommun.deltaganden["kommun"].tolist() == ["1481"] and kommun.remisser.empty
    assert kommun.period_end == dt.date(2022, 12, 31)

    small = Store(ingest(load_dataset(SMALL), tmp_path / "small.duckdb"))
    assert len(population(small, "forbund", FORBUND, 2022).strukturdeltagare) == 2
    assert population(small, "kommun", "1481", 2022).strukturdeltagare.empty


def test_a_wrong_level_or_name_is_explained(tmp_path: Path):
    store = store_of(tmp_path, people(1, MOLNDAL, "kvinna", "2022-03-01"))
    for level, name, message in [
        ("land", None, "level 'land': expected one of riket, forbund, kommun"),
        ("riket", FORBUND, "level riket takes no --name"),
        ("forbund", "Samordningsförbundet Göteborg", "förbund 'Samordningsförbundet Göteborg' "
         f"has no data; förbund with data: {FORBUND}"),
    ]:  # fmt: skip
        with pytest.raises(FinsamError) as refused:
            population(store, level, name, 2022)
        assert str(refused.value) == message


def test_results_show_unknown_gender_in_every_group_when_anyone_has_it():
    """Ended in 2022: a woman born 2000 (22 at start) and a person of unknown gender born 1980
    (42). The unknown gender is a column of every group's results, 0 where nobody is in it, so
    that all groups have the same columns."""
    frame = participations(
        [
            ("kvinna", 2000, "2022-03-01", "2022-09-30", "gymnasium"),
            ("okant", 1980, "2022-03-01", "2022-09-30", "gymnasium"),
        ]
    ).assign(
        forsorjning_fore=[None, None],
        sysselsattning_fore=[None, None],
        sysselsattning_efter=[None, None],
        avslutsorsak=["annat", "sjukdom"],
    )
    table = outcomes.results(frame, 2022)
    assert table.index.equals(pd.RangeIndex(len(table)))
    avslutade = table[table["kategori"] == "avslutade"].set_index(["grupp", "kon"])["antal"]
    assert avslutade["under_30"].to_dict() == {"kvinna": 1, "man": 0, "okant": 0, "totalt": 1}
    assert avslutade["30_och_aldre"].to_dict() == {"kvinna": 0, "man": 0, "okant": 1, "totalt": 1}
    sick = table[table["kategori"] == "sjukdom"].set_index(["grupp", "kon"])["antal"]
    assert sick["alla"].to_dict() == {"kvinna": 0, "man": 0, "okant": 1, "totalt": 1}
