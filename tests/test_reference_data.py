"""Checks on the shipped reference data in data/reference/."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

REF_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"
KOMMUNER_CSV = REF_DIR / "kommuner.csv"
FORBUND_CSV = REF_DIR / "forbund_2021.csv"

INSJORIKET = "Samordningsförbundet Insjöriket"
BADESA = "Samordningsförbundet Bengtsfors, Åmål, Dals-Ed, Säffle och Årjäng (BÅDESÅ)"

# The 18 municipalities that Försäkringskassan's 2021 report (Bilaga 1) lists as
# not belonging to any samordningsförbund at the end of 2021.
KOMMUNER_UTAN_FORBUND = {
    # Norrbottens län
    "Arjeplog",
    "Arvidsjaur",
    "Gällivare",
    "Haparanda",
    "Jokkmokk",
    "Kalix",
    "Kiruna",
    "Pajala",
    "Överkalix",
    "Övertorneå",
    # Skåne län
    "Vellinge",
    # Stockholms län
    "Ekerö",
    "Järfälla",
    "Lidingö",
    "Nykvarn",
    "Solna",
    "Upplands-Bro",
    # Östergötlands län
    "Ydre",
}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def kommuner() -> list[dict[str, str]]:
    return _read(KOMMUNER_CSV)


@pytest.fixture(scope="module")
def forbund() -> list[dict[str, str]]:
    return _read(FORBUND_CSV)


@pytest.fixture(scope="module")
def kommun_by_code(kommuner: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["kommunkod"]: row for row in kommuner}


# --- kommuner.csv -----------------------------------------------------------


def test_kommuner_header() -> None:
    with KOMMUNER_CSV.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["kommunkod", "kommun", "lanskod", "lan"]


def test_290_kommuner_with_unique_codes_and_names(kommuner: list[dict[str, str]]) -> None:
    assert len(kommuner) == 290
    assert len({r["kommunkod"] for r in kommuner}) == 290
    assert len({r["kommun"] for r in kommuner}) == 290


def test_kommunkod_format_and_sorted(kommuner: list[dict[str, str]]) -> None:
    codes = [r["kommunkod"] for r in kommuner]
    assert all(len(c) == 4 and c.isdigit() for c in codes)
    assert codes == sorted(codes)


def test_21_counties_consistent(kommuner: list[dict[str, str]]) -> None:
    lan_names: dict[str, set[str]] = defaultdict(set)
    for r in kommuner:
        assert len(r["lanskod"]) == 2 and r["lanskod"].isdigit()
        lan_names[r["lanskod"]].add(r["lan"])
    assert len(lan_names) == 21
    # One name per county code, and names are unique across codes.
    assert all(len(names) == 1 for names in lan_names.values())
    assert len({next(iter(n)) for n in lan_names.values()}) == 21
    assert lan_names["01"] == {"Stockholms län"}
    assert lan_names["09"] == {"Gotlands län"}
    assert lan_names["14"] == {"Västra Götalands län"}
    assert lan_names["25"] == {"Norrbottens län"}


def test_code_prefix_is_lanskod(kommuner: list[dict[str, str]]) -> None:
    bad = [r for r in kommuner if r["kommunkod"][:2] != r["lanskod"]]
    assert bad == []


@pytest.mark.parametrize(
    ("code", "name", "lanskod"),
    [
        ("0114", "Upplands Väsby", "01"),
        ("0126", "Huddinge", "01"),
        ("0127", "Botkyrka", "01"),
        ("0128", "Salem", "01"),
        ("0139", "Upplands-Bro", "01"),
        ("0980", "Gotland", "09"),
        ("1401", "Härryda", "14"),
        ("1402", "Partille", "14"),
        ("1438", "Dals-Ed", "14"),
        ("1441", "Lerum", "14"),
        ("1462", "Lilla Edet", "14"),
        ("1481", "Mölndal", "14"),
        ("1489", "Alingsås", "14"),
        ("1864", "Ljusnarsberg", "18"),
        ("2023", "Malung-Sälen", "20"),
    ],
)
def test_known_codes(
    kommun_by_code: dict[str, dict[str, str]], code: str, name: str, lanskod: str
) -> None:
    assert kommun_by_code[code]["kommun"] == name
    assert kommun_by_code[code]["lanskod"] == lanskod


# --- forbund_2021.csv -------------------------------------------------------


def test_forbund_header() -> None:
    with FORBUND_CSV.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["forbund", "kommunkod", "kommun"]


def test_76_forbund_272_members(forbund: list[dict[str, str]]) -> None:
    assert len({r["forbund"] for r in forbund}) == 76
    assert len({r["kommunkod"] for r in forbund}) == 272
    assert len(forbund) == 272


def test_forbund_names_clean(forbund: list[dict[str, str]]) -> None:
    for name in {r["forbund"] for r in forbund}:
        assert name == name.strip()
        assert not name.endswith(":")
        assert "<sup>" not in name


def test_members_exist_with_same_name(
    forbund: list[dict[str, str]], kommun_by_code: dict[str, dict[str, str]]
) -> None:
    for r in forbund:
        assert r["kommunkod"] in kommun_by_code, r
        assert kommun_by_code[r["kommunkod"]]["kommun"] == r["kommun"], r


def test_no_kommun_in_two_forbund(forbund: list[dict[str, str]]) -> None:
    seen: dict[str, str] = {}
    for r in forbund:
        assert r["kommunkod"] not in seen, (r, seen.get(r["kommunkod"]))
        seen[r["kommunkod"]] = r["forbund"]


def test_18_kommuner_outside_forbund(
    forbund: list[dict[str, str]], kommuner: list[dict[str, str]]
) -> None:
    members = {r["kommunkod"] for r in forbund}
    outside = {r["kommun"] for r in kommuner if r["kommunkod"] not in members}
    assert len(outside) == 18
    assert outside == KOMMUNER_UTAN_FORBUND


def test_insjoriket_members(forbund: list[dict[str, str]]) -> None:
    members = {(r["kommunkod"], r["kommun"]) for r in forbund if r["forbund"] == INSJORIKET}
    assert members == {
        ("1481", "Mölndal"),
        ("1402", "Partille"),
        ("1401", "Härryda"),
        ("1441", "Lerum"),
        ("1489", "Alingsås"),
    }


def test_badesa_is_one_forbund_across_two_counties(
    forbund: list[dict[str, str]], kommun_by_code: dict[str, dict[str, str]]
) -> None:
    rows = [r for r in forbund if r["forbund"] == BADESA]
    assert {r["kommun"] for r in rows} == {"Bengtsfors", "Åmål", "Dals-Ed", "Säffle", "Årjäng"}
    assert len(rows) == 5
    assert {kommun_by_code[r["kommunkod"]]["lanskod"] for r in rows} == {"14", "17"}
    assert not [r for r in forbund if "BÅDESÅ" in r["forbund"] and r["forbund"] != BADESA]


def test_gotland_forbund(forbund: list[dict[str, str]]) -> None:
    rows = [r for r in forbund if r["forbund"] == "Samordningsförbundet Finsam Gotland"]
    assert [(r["kommunkod"], r["kommun"]) for r in rows] == [("0980", "Gotland")]


def test_skaraborg_merged(forbund: list[dict[str, str]]) -> None:
    names = {r["forbund"] for r in forbund}
    assert not {n for n in names if "Skaraborg" in n} - {"Samordningsförbundet Skaraborg"}
    skaraborg = {r["kommun"] for r in forbund if r["forbund"] == "Samordningsförbundet Skaraborg"}
    assert len(skaraborg) == 14
    assert {"Skövde", "Mariestad", "Lidköping"} <= skaraborg
