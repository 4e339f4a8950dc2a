"""The national synthetic dataset (`finsam synth --scale riket`): the published national volumes
exactly, every förbund and member kommun of the register, shares near the national appendix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from finsam_command import finsam

from finsam.inputs.dataset import load_dataset
from finsam.inputs.reference import forbund_members
from finsam.inputs.store import Store, ingest
from finsam.inputs.synth_national import apportion, synthesize_national
from finsam.inputs.validate import validate_dataset
from finsam.stats import flows
from finsam.stats.catalog import compute_tables
from finsam.stats.population import population

# Tabell 4 of the national statistics appendix 2021 (Försäkringskassan): participants in
# individinriktade insatser per year, all registration types.
PUBLISHED_TOTALS = {2017: 28318, 2018: 32715, 2019: 31167, 2020: 24867, 2021: 24102}


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    folder = tmp_path_factory.mktemp("riket") / "data"
    done = finsam("synth", "--scale", "riket", "--seed", "5", "--out", str(folder))
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture(scope="module")
def dataset(national):
    return load_dataset(national)


@pytest.fixture(scope="module")
def riket_2021(dataset, tmp_path_factory):
    store = Store(ingest(dataset, tmp_path_factory.mktemp("store") / "store.duckdb"))
    return compute_tables(population(store, "riket", None, 2021))


def test_the_dataset_is_valid_and_marked_synthetic(national, dataset):
    assert validate_dataset(national) == []
    assert dataset.synthetic is True


def test_yearly_national_totals_are_the_published_ones_exactly(dataset):
    part = dataset.tables["deltaganden"]
    for year, published in PUBLISHED_TOTALS.items():
        flow = flows.participant_flow(part, year).set_index(["kategori", "kon"])["antal"]
        total = flow["samtliga", "totalt"] + flow["anonyma", "totalt"] + flow["volym", "totalt"]
        assert total == published, year
    flow_2021 = flows.participant_flow(part, 2021).set_index(["kategori", "kon"])["antal"]
    # Registration split of 2021 (national appendix 2021): 17 501 / 541 / 6 060.
    assert flow_2021["samtliga", "totalt"] == 17501
    assert flow_2021["anonyma", "totalt"] == 541
    assert flow_2021["volym", "totalt"] == 6060


def test_every_forbund_and_member_kommun_of_the_register_has_participants(dataset):
    part = dataset.tables["deltaganden"]
    members = forbund_members()
    assert members["forbund"].nunique() == 76 and len(members) == 272
    in_2021 = flows.participations_in_year(part, 2021)
    assert set(in_2021["forbund"]) == set(members["forbund"])
    seen = set(zip(part["forbund"], part["kommun"], strict=True))
    assert set(zip(members["forbund"], members["kommunkod"], strict=True)) <= seen
    assert part["deltagande_id"].is_unique


def _share(table: pd.DataFrame, kategori: str) -> float:
    row = table[(table["kon"] == "totalt") & (table["kategori"] == kategori)]
    return float(row["andel"].iloc[0])


@pytest.mark.parametrize(
    ("tabell", "kategori", "published"),
    [  # national appendix 2021, Bilaga 3 (percent of all participants with personal data)
        ("alder", "-29", 38),
        ("alder", "45-59", 27),
        ("utbildning", "gymnasium", 38),
        ("utbildning", "saknas_okand", 10),
        ("tid_offentlig_forsorjning", "upp_till_3_ar", 27),
        ("inriktning", "rehabilitering_arbete_utbildning", 71),
        ("inriktning", "forberedande", 20),
        ("tid_i_insats", "1-6", 40),
    ],
)
def test_shares_are_near_the_national_appendix(riket_2021, tabell, kategori, published):
    assert abs(_share(riket_2021[tabell], kategori) - published) <= 4


def test_gender_and_outcomes_are_near_the_national_appendix(riket_2021):
    alder = riket_2021["alder"].set_index(["kategori", "kon"])["antal"]
    assert abs(alder["totalt", "kvinna"] / alder["totalt", "totalt"] - 9489 / 17501) < 0.02
    resultat = riket_2021["resultat"]
    alla = resultat[(resultat["grupp"] == "alla") & (resultat["kon"] == "totalt")]
    shares = alla.set_index("kategori")["andel"]
    assert abs(shares["arbete_studier_efter"] - 34) <= 5  # tabell 6, 2021: 34 %
    assert abs(shares["aktivt_arbetssokande"] - 26) <= 5  # tabell 7, 2021: 26 %


def test_apportion_splits_a_total_into_whole_numbers_that_add_up():
    # 10 over weights 1:1:1 → 3.33 each; the first largest remainder takes the extra one.
    assert apportion(10, np.array([1.0, 1.0, 1.0])).tolist() == [4, 3, 3]
    # 7 over 2:1:1 → 3.5, 1.75, 1.75: floors 3, 1, 1; the two .75 remainders take the rest.
    assert apportion(7, np.array([0.5, 0.25, 0.25])).tolist() == [3, 2, 2]


def test_the_first_forbund_alone_are_synthesized_as_in_the_whole_dataset(dataset):
    """``count=2``: the first two förbund of the register by name, row for row as in the
    national dataset of the same seed (each förbund has its own random stream)."""
    two = pd.DataFrame(synthesize_national(seed=5, count=2)["deltaganden"])
    first = sorted(forbund_members()["forbund"].unique())[:2]
    assert sorted(two["forbund"].unique()) == first
    whole = dataset.tables["deltaganden"]
    whole = whole[whole["forbund"].isin(first)].reset_index(drop=True)
    assert len(two) == len(whole) > 1000
    assert two["deltagande_id"].tolist() == whole["deltagande_id"].tolist()
    assert two["startdatum"].tolist() == whole["startdatum"].astype(str).tolist()
