"""Checks on the national figures in data/national/.

The files transcribe Försäkringskassan's report "Redovisning av målgrupper och resultat av de
insatser som finansieras av samordningsförbund 2021". Numbers are kept exactly as printed, so
the report's own misprints are in the data. Every check below collects all deviations and
compares them with an explicit list of known misprints (each one explained in
data/national/SOURCES.md): a transcription error, or a new deviation, makes the test fail.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from finsam.report.present import round_half_up

NATIONAL_DIR = Path(__file__).resolve().parents[1] / "data" / "national"

KON = ["kvinna", "man", "totalt"]

COLUMNS = {
    "insatser_over_tid.csv": [
        "ar",
        "antal_insatser",
        "andel_individinriktade",
        "andel_strukturovergripande",
    ],
    "deltagare_over_tid.csv": ["ar", "deltagare"],
    "arbete_studier_over_tid.csv": ["ar", "kon", "andel"],
    "aktivt_arbetssokande_over_tid.csv": ["ar", "kon", "andel"],
    "dagar_skillnad_over_tid.csv": ["ar", "forman", "skillnad_dagar"],
    "insatser_per_inriktning_2021.csv": ["ar", "typ", "inriktning", "antal_insatser", "andel"],
    "registrering_2021.csv": ["ar", "registrering", "antal", "andel"],
    "bilaga3_2021.csv": ["ar", "tabell", "kategori", "kon", "antal", "andel_tryckt"],
    "dagar_fore_efter_2020.csv": [
        "forman_grupp",
        "kon",
        "grupp",
        "antal_individer",
        "sjp_fore",
        "sjp_efter",
        "ae_fore",
        "ae_efter",
        "se_fore",
        "se_efter",
        "sjp_diff",
        "ae_diff",
        "se_diff",
    ],
}

# Text columns that look numeric in places ("-29", "0", "365") must stay text.
TEXT_COLUMNS = {"kon", "kategori", "tabell", "grupp", "forman_grupp", "forman", "typ"}


def read(name: str) -> pd.DataFrame:
    dtypes = {col: str for col in COLUMNS[name] if col in TEXT_COLUMNS}
    return pd.read_csv(NATIONAL_DIR / name, dtype=dtypes, keep_default_na=False)


def percent(part: float, whole: float) -> int:
    """A share as the report prints it: whole percent, halves rounded up."""
    return int(round_half_up(100 * part / whole))


# --------------------------------------------------------------------------------------------
# All files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_file_has_expected_columns_and_no_gaps(name: str) -> None:
    path = NATIONAL_DIR / name
    raw = path.read_bytes()
    raw.decode("utf-8")
    assert b"\r" not in raw
    df = read(name)
    assert list(df.columns) == COLUMNS[name]
    assert len(df) > 0
    assert not (df == "").any().any()
    assert not df.isna().any().any()


def test_sources_md_describes_every_file() -> None:
    text = (NATIONAL_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for name in COLUMNS:
        assert f"## {name}" in text, name


# --------------------------------------------------------------------------------------------
# Bilaga 3: participants registered with personal data, 2021
# --------------------------------------------------------------------------------------------

BILAGA3_CATEGORIES = {
    "alder": ["-29", "30-44", "45-59", "60-"],
    "utbildning": [
        "grundskola",
        "gymnasium",
        "hogskola_upp_till_1_ar",
        "hogskola_upp_till_3_ar",
        "hogskola_mer_an_3_ar",
        "forskarutbildning",
        "annan_eftergymnasial",
        "saknas_okand",
    ],
    "tid_offentlig_forsorjning": [
        "upp_till_1_ar",
        "upp_till_3_ar",
        "upp_till_6_ar",
        "upp_till_9_ar",
        "mer_an_9_ar",
        "ej_tillampligt",
    ],
    "forsorjning_fore": [
        "sjuk_rehabpenning",
        "aktivitetsersattning",
        "sjukersattning",
        "a_kassa",
        "aktivitetsstod",
        "forsorjningsstod",
        "studiestod",
        "annan_offentlig",
        "ingen_offentlig",
    ],
    "inriktning": [
        "forberedande",
        "forebyggande",
        "kartlaggning",
        "rehabilitering_arbete_utbildning",
        "annan",
    ],
    "tid_i_insats": ["1-6", "7-12", "13-18", "19-24", "25-"],
}

# (tabell, kon) -> (sum of the printed category counts, printed total)
KNOWN_BILAGA3_SUM_DEVIATIONS = {
    # Men's "Annan eftergymnasial utbildning" is printed 371; 271 would make the column add up
    # to 8 012, the row add up to 788 (517 + 271) and the printed 3 % reproduce.
    ("utbildning", "man"): (8112, 8012),
    # Total "Förberedande insats" is printed 3 491; women + men = 3 499 (also the figure in
    # section 3.2.1), which makes the column add up to 17 501.
    ("inriktning", "totalt"): (17493, 17501),
}

# (tabell, kategori, kon) -> (percent computed from the counts, percent printed)
KNOWN_BILAGA3_PERCENT_MISPRINTS = {
    # 6 272 of 17 501 is 35.8 %; 38 % is printed (and repeated in section 4.1.2).
    ("alder", "-29", "totalt"): (36, 38),
    # 371 of 8 012 is 4.6 %; 3 % is printed. Follows from the miscount 371 (for 271) above.
    ("utbildning", "annan_eftergymnasial", "man"): (5, 3),
}

# (tabell, kategori) -> (kvinna + man, printed totalt)
KNOWN_BILAGA3_KON_DEVIATIONS = {
    ("utbildning", "annan_eftergymnasial"): (888, 788),
    ("inriktning", "forberedande"): (3499, 3491),
}


@pytest.fixture(scope="module")
def bilaga3() -> pd.DataFrame:
    return read("bilaga3_2021.csv")


def test_bilaga3_layout(bilaga3: pd.DataFrame) -> None:
    assert set(bilaga3["ar"]) == {2021}
    assert list(dict.fromkeys(bilaga3["tabell"])) == list(BILAGA3_CATEGORIES)
    for tabell, categories in BILAGA3_CATEGORIES.items():
        part = bilaga3[bilaga3["tabell"] == tabell]
        expected = [(k, kon) for k in [*categories, "totalt"] for kon in KON]
        assert list(zip(part["kategori"], part["kon"], strict=True)) == expected, tabell
    assert not bilaga3.duplicated(["tabell", "kategori", "kon"]).any()
    assert (bilaga3["antal"] >= 0).all()
    assert bilaga3["andel_tryckt"].between(0, 100).all()


def test_bilaga3_category_counts_add_up_to_printed_total(bilaga3: pd.DataFrame) -> None:
    deviations = {}
    for (tabell, kon), part in bilaga3.groupby(["tabell", "kon"], sort=False):
        is_total = part["kategori"] == "totalt"
        added = int(part.loc[~is_total, "antal"].sum())
        printed = int(part.loc[is_total, "antal"].item())
        if added != printed:
            deviations[(tabell, kon)] = (added, printed)
    assert deviations == KNOWN_BILAGA3_SUM_DEVIATIONS


def test_bilaga3_printed_percentages_reproduce_from_counts(bilaga3: pd.DataFrame) -> None:
    totals = bilaga3[bilaga3["kategori"] == "totalt"].set_index(["tabell", "kon"])["antal"]
    misprints = {}
    for row in bilaga3.itertuples(index=False):
        computed = percent(row.antal, totals[(row.tabell, row.kon)])
        if computed != row.andel_tryckt:
            misprints[(row.tabell, row.kategori, row.kon)] = (computed, row.andel_tryckt)
    assert misprints == KNOWN_BILAGA3_PERCENT_MISPRINTS


def test_bilaga3_women_plus_men_equals_total(bilaga3: pd.DataFrame) -> None:
    wide = bilaga3.pivot(index=["tabell", "kategori"], columns="kon", values="antal")
    deviations = {
        key: (int(row["kvinna"] + row["man"]), int(row["totalt"]))
        for key, row in wide.iterrows()
        if row["kvinna"] + row["man"] != row["totalt"]
    }
    assert deviations == KNOWN_BILAGA3_KON_DEVIATIONS


def test_bilaga3_documented_corrections_remove_all_count_deviations(
    bilaga3: pd.DataFrame,
) -> None:
    """With the two implied counts, every sum in Bilaga 3 holds (the 38 % stays a misprint)."""
    fixed = bilaga3.set_index(["tabell", "kategori", "kon"])["antal"].copy()
    fixed[("utbildning", "annan_eftergymnasial", "man")] = 271
    fixed[("inriktning", "forberedande", "totalt")] = 3499
    wide = fixed.unstack("kon")
    assert (wide["kvinna"] + wide["man"] == wide["totalt"]).all()
    for tabell in BILAGA3_CATEGORIES:
        part = wide.loc[tabell]
        assert (part.drop(index="totalt").sum() == part.loc["totalt"]).all(), tabell
    assert percent(271, 8012) == 3


def test_bilaga3_agrees_with_report_text(bilaga3: pd.DataFrame) -> None:
    antal = bilaga3.set_index(["tabell", "kategori", "kon"])["antal"]
    for tabell in ["alder", "utbildning", "tid_offentlig_forsorjning", "inriktning"]:
        assert antal[(tabell, "totalt", "kvinna")] == 9489
        assert antal[(tabell, "totalt", "man")] == 8012
        assert antal[(tabell, "totalt", "totalt")] == 17501
    # Sources of support: a participant can have several, so 19 348 sources.
    assert antal[("forsorjning_fore", "totalt", "totalt")] == 19348
    # Section 4.2: 8 118 participants ended an insats in 2021.
    assert antal[("tid_i_insats", "totalt", "totalt")] == 8118
    # Section 3.2.1: participants per orientation (text prints 3 499 for förberedande).
    text_321 = {
        "rehabilitering_arbete_utbildning": 12483,
        "forberedande": 3499,
        "kartlaggning": 729,
        "forebyggande": 137,
        "annan": 653,
    }
    totals = {k: int(antal[("inriktning", k, "totalt")]) for k in text_321}
    assert {k: v for k, v in totals.items() if v != text_321[k]} == {"forberedande": 3491}
    assert sum(text_321.values()) == 17501


# --------------------------------------------------------------------------------------------
# Tables 1-4 and the registration split of section 4.1
# --------------------------------------------------------------------------------------------


def test_tabell1_shares_add_to_100() -> None:
    df = read("insatser_over_tid.csv")
    assert df["ar"].tolist() == [2017, 2018, 2019, 2020, 2021]
    assert (df["andel_individinriktade"] + df["andel_strukturovergripande"] == 100).all()
    assert df.set_index("ar").loc[2021].tolist() == [1023, 54, 46]


def test_tabell2_and_3_counts_and_shares() -> None:
    df = read("insatser_per_inriktning_2021.csv")
    assert set(df["ar"]) == {2021}
    assert not df.duplicated(["typ", "inriktning"]).any()
    sums = df.groupby("typ")["antal_insatser"].sum().to_dict()
    assert sums == {"individinriktad": 548, "strukturovergripande": 475}
    assert sum(sums.values()) == 1023
    tabell1 = read("insatser_over_tid.csv").set_index("ar").loc[2021]
    assert tabell1["antal_insatser"] == sum(sums.values())
    assert percent(548, 1023) == tabell1["andel_individinriktade"]
    assert percent(475, 1023) == tabell1["andel_strukturovergripande"]
    mismatches = {
        (row.typ, row.inriktning): (percent(row.antal_insatser, sums[row.typ]), row.andel)
        for row in df.itertuples(index=False)
        if percent(row.antal_insatser, sums[row.typ]) != row.andel
    }
    assert mismatches == {}
    assert df.groupby("typ")["andel"].sum().to_dict() == {
        "individinriktad": 100,
        "strukturovergripande": 100,
    }


def test_tabell4_participants_over_time() -> None:
    df = read("deltagare_over_tid.csv").set_index("ar")["deltagare"]
    assert df.to_dict() == {2017: 28318, 2018: 32715, 2019: 31167, 2020: 24867, 2021: 24102}


def test_registration_2021_adds_up_to_tabell4() -> None:
    df = read("registrering_2021.csv").set_index("registrering")
    assert set(df["ar"]) == {2021}
    assert df["antal"].to_dict() == {"personuppgifter": 17501, "anonym": 541, "volym": 6060}
    total = int(df["antal"].sum())
    assert total == 24102
    assert total == read("deltagare_over_tid.csv").set_index("ar").loc[2021, "deltagare"]
    for registrering, row in df.iterrows():
        assert percent(row["antal"], total) == row["andel"], registrering
    assert df["andel"].sum() == 100


# --------------------------------------------------------------------------------------------
# Tables 5-7: results over time
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "spot_checks"),
    [
        (
            "arbete_studier_over_tid.csv",
            {(2017, "kvinna"): 28, (2020, "totalt"): 28, (2021, "man"): 36, (2021, "totalt"): 34},
        ),
        (
            "aktivt_arbetssokande_over_tid.csv",
            {(2017, "totalt"): 15, (2019, "man"): 15, (2021, "kvinna"): 25, (2021, "totalt"): 26},
        ),
    ],
)
def test_tabell5_and_6(name: str, spot_checks: dict[tuple[int, str], int]) -> None:
    df = read(name)
    assert list(zip(df["ar"], df["kon"], strict=True)) == [
        (ar, kon) for ar in range(2017, 2022) for kon in KON
    ]
    assert df["andel"].between(0, 100).all()
    andel = df.set_index(["ar", "kon"])["andel"]
    for key, value in spot_checks.items():
        assert andel[key] == value, key
    # The total share lies between the women's and the men's shares.
    wide = andel.unstack("kon")
    low = wide[["kvinna", "man"]].min(axis=1)
    high = wide[["kvinna", "man"]].max(axis=1)
    assert wide["totalt"].between(low, high).all()


def test_tabell7_difference_in_days() -> None:
    df = read("dagar_skillnad_over_tid.csv")
    formaner = ["sjuk_rehabpenning", "aktivitetsersattning", "sjukersattning"]
    assert list(zip(df["ar"], df["forman"], strict=True)) == [
        (ar, f) for ar in range(2017, 2021) for f in formaner
    ]
    value = df.set_index(["ar", "forman"])["skillnad_dagar"]
    assert value[(2020, "sjuk_rehabpenning")] == pytest.approx(-7.7)
    assert value[(2020, "aktivitetsersattning")] == pytest.approx(0.4)
    assert value[(2019, "aktivitetsersattning")] == pytest.approx(-4.0)
    assert value[(2017, "sjukersattning")] == pytest.approx(4.1)
    assert value[(2018, "sjuk_rehabpenning")] == pytest.approx(-11.1)


def test_tabell7_2020_is_bilaga5_rounded() -> None:
    value = read("dagar_skillnad_over_tid.csv").set_index(["ar", "forman"])["skillnad_dagar"]
    b5 = read("dagar_fore_efter_2020.csv")
    alla = b5[(b5["forman_grupp"] == "alla") & (b5["kon"] == "totalt")].iloc[0]
    for forman, col in [
        ("sjuk_rehabpenning", "sjp_diff"),
        ("aktivitetsersattning", "ae_diff"),
        ("sjukersattning", "se_diff"),
    ]:
        assert float(round_half_up(alla[col], 1)) == pytest.approx(value[(2020, forman)])


# --------------------------------------------------------------------------------------------
# Bilaga 5: days with benefits before and after an insats that ended in 2020
# --------------------------------------------------------------------------------------------

MEASURES = ["sjp", "ae", "se"]
VALUE_COLUMNS = [f"{m}_{s}" for m in MEASURES for s in ("fore", "efter")] + [
    f"{m}_diff" for m in MEASURES
]
GROUPS = ["0", "001-090", "091-180", "181-364", "365"]

# (forman_grupp, kon, grupp, measure) -> (printed diff, efter - fore)
KNOWN_BILAGA5_DIFF_DEVIATIONS = {
    # se_fore printed 85.6; the sex breakdown gives (15 * 87 + 3 * 78.33) / 18 = 85.56.
    ("se_fore", "totalt", "001-090", "se"): (31.94, 31.9),
    # Printed 59.9; 111.28 - 51.36 = 59.92 (a lost last digit).
    ("ae_fore", "kvinna", "001-090", "ae"): (59.9, 59.92),
    # se_efter printed "14,032"; the diff (8.48) and the total row both give 142.03.
    ("se_fore", "kvinna", "091-180", "se"): (8.48, -119.52),
    # se_diff printed 45.28 without its minus sign; 319.72 - 365 = -45.28.
    ("se_fore", "kvinna", "365", "se"): (45.28, -45.28),
}

# (forman_grupp, grupp, column) -> (weighted mean of kvinna and man, printed totalt)
KNOWN_BILAGA5_KON_DEVIATIONS = {
    ("se_fore", "001-090", "se_fore"): (85.555, 85.6),
    ("se_fore", "091-180", "se_efter"): (60.952, 144.81),
    ("se_fore", "365", "se_diff"): (22.065, -30.52),
}

# (kon, forman_grupp, column) -> (weighted mean over the groups, printed "alla" row)
KNOWN_BILAGA5_PARTITION_DEVIATIONS = {
    ("kvinna", "se_fore", "se_efter"): (9.693, 10.6),
    ("kvinna", "se_fore", "se_diff"): (5.172, 4.88),
}

# Means are printed to two decimals; a mean of rounded means can be off by 0.005 from the true
# mean, and the printed mean by another 0.005. A small margin on top.
WEIGHTED_TOLERANCE = 0.015


@pytest.fixture(scope="module")
def bilaga5() -> pd.DataFrame:
    return read("dagar_fore_efter_2020.csv")


def test_bilaga5_layout(bilaga5: pd.DataFrame) -> None:
    expected = [("alla", "alla")] + [
        (f, g) for f in ["sjp_fore", "ae_fore", "se_fore"] for g in GROUPS
    ]
    for kon in ["totalt", "kvinna", "man"]:
        part = bilaga5[bilaga5["kon"] == kon]
        assert list(zip(part["forman_grupp"], part["grupp"], strict=True)) == expected, kon
    assert list(dict.fromkeys(bilaga5["kon"])) == ["totalt", "kvinna", "man"]
    values = bilaga5[VALUE_COLUMNS[:6]]
    assert ((values >= 0) & (values <= 365)).all().all()


def test_bilaga5_counts_add_up(bilaga5: pd.DataFrame) -> None:
    n = bilaga5.set_index(["forman_grupp", "grupp", "kon"])["antal_individer"].unstack("kon")
    assert (n["kvinna"] + n["man"] == n["totalt"]).all()
    assert n.loc[("alla", "alla")].to_dict() == {"kvinna": 5417, "man": 4372, "totalt": 9789}
    for kon in ["totalt", "kvinna", "man"]:
        part = bilaga5[bilaga5["kon"] == kon]
        alla = part.loc[part["forman_grupp"] == "alla", "antal_individer"].item()
        sums = part[part["forman_grupp"] != "alla"].groupby("forman_grupp")["antal_individer"]
        assert (sums.sum() == alla).all(), kon


def test_bilaga5_group_bounds(bilaga5: pd.DataFrame) -> None:
    """The before-days of the benefit a row is grouped by lie in the group's range."""
    bounds = {"0": (0, 0), "001-090": (1, 90), "091-180": (91, 180), "181-364": (181, 364)}
    bounds["365"] = (365, 365)
    for row in bilaga5[bilaga5["forman_grupp"] != "alla"].itertuples(index=False):
        low, high = bounds[row.grupp]
        assert low <= getattr(row, row.forman_grupp) <= high, row


def test_bilaga5_printed_diff_is_after_minus_before(bilaga5: pd.DataFrame) -> None:
    deviations = {}
    for row in bilaga5.itertuples(index=False):
        for m in MEASURES:
            printed = getattr(row, f"{m}_diff")
            computed = round(getattr(row, f"{m}_efter") - getattr(row, f"{m}_fore"), 2)
            if abs(printed - computed) > 0.011:
                key = (row.forman_grupp, row.kon, row.grupp, m)
                deviations[key] = (printed, computed)
    assert deviations == KNOWN_BILAGA5_DIFF_DEVIATIONS
    # Sjukpenning/rehabiliteringspenning: the printed difference holds in every row.
    assert not [key for key in deviations if key[3] == "sjp"]


def test_bilaga5_total_is_weighted_mean_of_women_and_men(bilaga5: pd.DataFrame) -> None:
    wide = bilaga5.set_index(["forman_grupp", "grupp", "kon"]).unstack("kon")
    n = wide["antal_individer"]
    deviations = {}
    for col in VALUE_COLUMNS:
        mean = (wide[col]["kvinna"] * n["kvinna"] + wide[col]["man"] * n["man"]) / n["totalt"]
        for key in mean.index:
            if abs(mean[key] - wide[col]["totalt"][key]) > WEIGHTED_TOLERANCE:
                deviations[(*key, col)] = (round(mean[key], 3), wide[col]["totalt"][key])
    assert deviations == KNOWN_BILAGA5_KON_DEVIATIONS


def test_bilaga5_alla_row_is_weighted_mean_of_groups(bilaga5: pd.DataFrame) -> None:
    deviations = {}
    for kon, part in bilaga5.groupby("kon", sort=False):
        alla = part[part["forman_grupp"] == "alla"].iloc[0]
        for forman_grupp, groups in part[part["forman_grupp"] != "alla"].groupby("forman_grupp"):
            weights = groups["antal_individer"]
            for col in VALUE_COLUMNS:
                mean = (groups[col] * weights).sum() / weights.sum()
                if abs(mean - alla[col]) > WEIGHTED_TOLERANCE:
                    deviations[(kon, forman_grupp, col)] = (round(mean, 3), alla[col])
    assert deviations == KNOWN_BILAGA5_PARTITION_DEVIATIONS


def test_bilaga5_documented_corrections_remove_all_deviations(bilaga5: pd.DataFrame) -> None:
    """With the values implied in SOURCES.md, every diff and every weighted mean holds."""
    fixed = bilaga5.set_index(["forman_grupp", "kon", "grupp"]).sort_index()
    fixed.loc[("se_fore", "totalt", "001-090"), "se_fore"] = 85.56
    fixed.loc[("ae_fore", "kvinna", "001-090"), "ae_diff"] = 59.92
    fixed.loc[("se_fore", "kvinna", "091-180"), "se_efter"] = 142.03
    fixed.loc[("se_fore", "kvinna", "365"), "se_diff"] = -45.28
    for m in MEASURES:
        computed = fixed[f"{m}_efter"] - fixed[f"{m}_fore"]
        assert ((computed - fixed[f"{m}_diff"]).abs() <= 0.011).all(), m
    wide = fixed.unstack("kon")
    n = wide["antal_individer"]
    for col in VALUE_COLUMNS:
        mean = (wide[col]["kvinna"] * n["kvinna"] + wide[col]["man"] * n["man"]) / n["totalt"]
        assert ((mean - wide[col]["totalt"]).abs() <= WEIGHTED_TOLERANCE).all(), col
    for (kon, forman_grupp), groups in fixed.reset_index().groupby(["kon", "forman_grupp"]):
        if forman_grupp == "alla":
            continue
        alla = fixed.loc[("alla", kon, "alla")]
        weights = groups["antal_individer"]
        for col in VALUE_COLUMNS:
            mean = (groups[col] * weights).sum() / weights.sum()
            assert abs(mean - alla[col]) <= WEIGHTED_TOLERANCE, (kon, forman_grupp, col)
