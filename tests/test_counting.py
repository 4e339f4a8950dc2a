"""Counting rules on the handmade dataset; every expected number is worked out by hand in
tests/fixtures/small/README.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from finsam.inputs.dataset import load_dataset
from finsam.stats import flows, periods, referrals
from finsam.stats.tidy import mentions_by_gender, stack

SMALL = Path(__file__).parent / "fixtures" / "small"


@pytest.fixture(scope="module")
def small():
    return load_dataset(SMALL).tables


def as_dict(tidy: pd.DataFrame) -> dict[str, tuple[int, ...]]:
    """{kategori: (kvinna, man, totalt)} of a tidy table."""
    wide = tidy.pivot(index="kategori", columns="kon", values="antal")
    return {k: tuple(int(wide.loc[k, g]) for g in ("kvinna", "man", "totalt")) for k in wide.index}


def test_flow_of_the_forbund_2022(small):
    flow = as_dict(flows.participant_flow(small["deltaganden"], 2022))
    assert flow == {
        "samtliga": (3, 2, 5),
        "unika": (2, 2, 4),
        "nya": (2, 1, 3),
        "avslutade": (1, 1, 2),
        "pagaende": (2, 1, 3),
        "anonyma": (1, 0, 1),
        "volym": (1, 1, 2),
    }


def test_flow_keeps_category_order(small):
    flow = flows.participant_flow(small["deltaganden"], 2022)
    assert list(dict.fromkeys(flow["kategori"])) == [
        "samtliga",
        "unika",
        "nya",
        "pagaende",
        "avslutade",
        "anonyma",
        "volym",
    ]
    assert list(dict.fromkeys(flow["kon"])) == ["kvinna", "man", "totalt"]


def test_ongoing_equals_all_minus_ended_at_year_end(small):
    for year in (2021, 2022):
        flow = as_dict(flows.participant_flow(small["deltaganden"], year))
        for i in range(3):
            assert flow["pagaende"][i] == flow["samtliga"][i] - flow["avslutade"][i]


def test_flow_with_another_period_end(small):
    flow = as_dict(flows.participant_flow(small["deltaganden"], 2022, dt.date(2022, 6, 30)))
    assert flow["pagaende"] == (1, 2, 3)
    assert flow["samtliga"] == (3, 2, 5)


def test_flow_per_kommun(small):
    part = small["deltaganden"]
    molndal = as_dict(flows.participant_flow(part[part["kommun"] == "1481"], 2022))
    assert molndal["samtliga"] == (2, 1, 3)
    assert molndal["unika"] == (1, 1, 2)
    assert molndal["nya"] == (1, 1, 2)
    assert molndal["avslutade"] == (1, 1, 2)
    assert molndal["pagaende"] == (1, 0, 1)
    partille = as_dict(flows.participant_flow(part[part["kommun"] == "1402"], 2022))
    assert partille["samtliga"] == (1, 1, 2)
    assert partille["avslutade"] == (0, 0, 0)
    assert partille["pagaende"] == (1, 1, 2)


def test_flow_2021(small):
    # 2021: D01 (P1 k), D04 (P3 k), D06 (P5 m) active; D04 ended 2021-12-31; D09 anonymous man.
    flow = as_dict(flows.participant_flow(small["deltaganden"], 2021))
    assert flow["samtliga"] == (2, 1, 3)
    assert flow["nya"] == (1, 1, 2)
    assert flow["avslutade"] == (1, 0, 1)
    assert flow["anonyma"] == (0, 1, 1)


def test_participations_by_insats_and_kommun(small):
    part = small["deltaganden"]
    by_insats = as_dict(flows.participations_by(part, 2022, "insats", ["Balder", "Primus"]))
    assert by_insats == {"Balder": (2, 1, 3), "Primus": (1, 1, 2)}
    members = ["1401", "1402", "1441", "1481", "1489"]
    by_kommun = as_dict(flows.participations_by(part, 2022, "kommun", members))
    assert by_kommun["1481"] == (2, 1, 3)
    assert by_kommun["1402"] == (1, 1, 2)
    assert by_kommun["1401"] == by_kommun["1441"] == by_kommun["1489"] == (0, 0, 0)


def test_referrals_by_kommun(small):
    members = ["1401", "1402", "1441", "1481", "1489"]
    table = referrals.referrals_by_kommun(small["remisser"], 2022, members)
    assert list(dict.fromkeys(table["kategori"])) == members
    counts = as_dict(table)
    assert counts["1481"] == (2, 1, 3)
    assert counts["1402"] == (1, 0, 1)
    assert counts["1489"] == (0, 1, 1)
    assert counts["1401"] == counts["1441"] == (0, 0, 0)
    assert sum(c[2] for c in counts.values()) == 5


def test_referrals_from_outside_the_members_are_listed_after_them(small):
    table = referrals.referrals_by_kommun(small["remisser"], 2022, ["1481"])
    assert list(dict.fromkeys(table["kategori"])) == ["1481", "1402", "1489"]


def test_referrals_by_party(small):
    counts = as_dict(referrals.referrals_by_party(small["remisser"], 2022))
    assert counts["psykiatrin"] == (2, 0, 2)
    assert counts["vardcentral"] == (0, 1, 1)
    assert counts["forsakringskassan"] == (1, 0, 1)
    assert counts["egen_remiss"] == (0, 1, 1)
    assert counts["skola"] == (0, 0, 0)  # R5 was received in 2021
    assert sum(c[2] for c in counts.values()) == 5
    assert as_dict(referrals.referrals_by_party(small["remisser"], 2021))["skola"] == (0, 1, 1)


def test_last_referral_date(small):
    assert referrals.last_referral_date(small["remisser"], 2022) == pd.Timestamp(2022, 8, 31)
    assert referrals.last_referral_date(small["remisser"], 2020) is None


def test_unknown_gender_gets_its_own_column_only_when_present(small):
    part = small["deltaganden"].copy()
    assert "okant" not in set(flows.participant_flow(part, 2022)["kon"])
    part.loc[part["deltagande_id"] == "D05", "kon"] = "okant"
    flow = flows.participant_flow(part, 2022)
    wide = flow.pivot(index="kategori", columns="kon", values="antal")
    assert wide.loc["samtliga", "okant"] == 1
    assert wide.loc["samtliga", "kvinna"] == 2
    assert wide.loc["samtliga", "totalt"] == 5


def test_year_membership_boundaries():
    frame = pd.DataFrame(
        {
            "startdatum": pd.to_datetime(["2022-12-31", "2021-01-01", "2023-01-01", "2020-05-05"]),
            "slutdatum": pd.to_datetime(["2023-02-01", "2022-01-01", None, "2021-12-31"]),
        }
    )
    assert periods.active_in_year(frame, 2022).tolist() == [True, True, False, False]
    assert periods.ongoing_on(frame, dt.date(2022, 1, 1)).tolist() == [False, False, False, False]
    assert periods.ongoing_on(frame, dt.date(2021, 12, 31)).tolist() == [False, True, False, False]


def test_a_gender_without_any_mention_still_gets_its_zeros():
    """A woman on försörjningsstöd and a-kassa before, a man and a person of unknown gender with
    no support stated: the table has the unknown gender's column (kvinna and man always have
    theirs), with 0 mentions of each."""
    frame = pd.DataFrame(
        {
            "kon": ["kvinna", "man", "okant"],
            "forsorjning_fore": ["forsorjningsstod;a_kassa", None, None],
        }
    )
    table = mentions_by_gender(frame, "forsorjning_fore", ["forsorjningsstod", "a_kassa"])
    assert [tuple(r) for r in table.itertuples(index=False)] == [
        (k, g, n)
        for k in ("forsorjningsstod", "a_kassa")
        for g, n in (("kvinna", 1), ("man", 0), ("okant", 0), ("totalt", 1))
    ]


def test_stacked_tables_share_every_gender_any_of_them_has() -> None:
    """Two one-category tables, the first with an unknown gender and the second without:
    stacked, both have the columns kvinna, man, okänt, totalt, and the second's okänt is 0."""
    with_unknown = pd.DataFrame(
        {"kon": ["kvinna", "man", "okant", "totalt"], "antal": [2, 1, 1, 4]}
    ).assign(kategori="nya")
    without = pd.DataFrame({"kon": ["kvinna", "man", "totalt"], "antal": [3, 5, 8]}).assign(
        kategori="avslutade"
    )
    table = stack({"nya": with_unknown, "avslutade": without})
    assert [tuple(r) for r in table.itertuples(index=False)] == [
        ("nya", "kvinna", 2),
        ("nya", "man", 1),
        ("nya", "okant", 1),
        ("nya", "totalt", 4),
        ("avslutade", "kvinna", 3),
        ("avslutade", "man", 5),
        ("avslutade", "okant", 0),
        ("avslutade", "totalt", 8),
    ]
