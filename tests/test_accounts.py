"""A förbund's finances: the shipped statements of Insjöriket (Årsredovisning 2019 and 2022),
the figures derived from them against what the reports publish, the inconsistencies of the
published reports, and validation of broken finance files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from finsam_command import finsam

from finsam.errors import InvalidDataset
from finsam.inputs.dataset import load_dataset
from finsam.pipeline.build import prepare_store
from finsam.stats import accounts

EXAMPLE = Path(__file__).parents[1] / "data" / "example"
INSJORIKET = "Samordningsförbundet Insjöriket"


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return read_finances(EXAMPLE)


def read_finances(data: Path) -> pd.DataFrame:
    """The typed finance table of the dataset at ``data``."""
    return load_dataset(data).tables["ekonomi"]


@pytest.mark.parametrize(("year", "soliditet"), [(2022, 74), (2021, 60), (2019, 30)])
def test_equity_ratio_as_published(published, year, soliditet):
    """Soliditet in the multi-year overview of Årsredovisning 2022 (74, 60, 30), from the
    balance sheets: e.g. 2022, 6 561 484 / 8 890 495 = 73.8 %."""
    assert accounts.equity_ratio(published, INSJORIKET, year) == soliditet


def test_no_equity_ratio_without_a_balance_sheet(published):
    """No report gives the balance sheet of 2020 (its 42 % is only in the overview)."""
    assert accounts.equity_ratio(published, INSJORIKET, 2020) is None


@pytest.mark.parametrize(
    ("year", "cash_flow", "closing"),
    [(2022, 2_081_798, 8_668_327), (2021, 830_341, 6_586_529), (2019, -1_700_469, 4_014_306)],
)
def test_derived_cash_flow_gives_the_published_cash_flow(published, year, cash_flow, closing):
    flow = accounts.derived_cash_flow(published, INSJORIKET, year)
    assert flow["kf_arets_kassaflode"] == cash_flow
    assert flow["kf_likvida_medel_slut"] == closing


def test_derived_cash_flow_lines_2019_by_hand(published):
    """Årsredovisning 2019: result −40 486; receivables 1 542 833 → 1 269 387 (+273 446 cash);
    short-term liabilities 5 653 517 → 3 720 088 (−1 933 429); no fixed assets."""
    flow = accounts.derived_cash_flow(published, INSJORIKET, 2019)
    assert flow["kf_arets_resultat"] == -40_486
    assert flow["kf_forandring_fordringar"] == 273_446
    assert flow["kf_forandring_kortfristiga_skulder"] == -1_933_429
    assert flow["kf_lopande_verksamheten"] == -1_700_469
    assert flow["kf_investeringsverksamheten"] == 0


def test_without_last_years_balance_sheet_only_the_years_cash_flow_is_derived(published):
    """2021: no 2020 balance sheet; the 2022 report states liquid funds of 5 756 188 at the
    start of 2021, so 6 586 529 − 5 756 188 = 830 341, and nothing else is derived."""
    flow = accounts.derived_cash_flow(published, INSJORIKET, 2021)
    assert flow["kf_likvida_medel_borjan"] == 5_756_188
    assert flow["kf_lopande_verksamheten"] is None


def test_the_published_reports_inconsistencies_are_listed(published):
    found = {(i.year, i.check, i.stated, i.expected) for i in accounts.inconsistencies(published)}
    expected = {
        # 2019's cash-flow statement starts from another result than the income statement...
        (2019, "Kassaflödesanalysen utgår från årets resultat", -40_389, -40_486),
        # ... and repeats the operating cash flow as investment cash flow.
        (
            2019,
            "Kassaflöde från investeringsverksamheten (härlett ur balansräkningarna)",
            -1_700_469,
            0,
        ),
        (
            2019,
            "Förändring av kortfristiga skulder (härlett ur balansräkningarna)",
            -1_973_915,
            -1_933_429,
        ),
        # 2022's overview and driftredovisning state costs otherwise than the income statement.
        (2022, "Driftredovisningens kostnader (tkr, avrundat)", 12_333, 12_396),
        # 2021's adjustment for depreciation: 30 563 printed, 30 653 booked.
        (
            2021,
            "Justering för ej likviditetspåverkande poster = årets avskrivningar",
            30_563,
            30_653,
        ),
        # Not 1 of 2021 and Not 3 of 2018 do not add up to their printed sums.
        (2021, "Noten: summa intäkter = summan av raderna", 15_480_120, 15_480_123),
        (2018, "Noten: summa kortfristiga skulder = summan av raderna", 5_653_517, 5_652_977),
        # 2022: the kommuner pay 3 577 000, the region 3 578 000: not a quarter each.
        (2022, "Medlemsavgift från kommunerna (en fjärdedel)", 3_577_000, 3_577_750),
    }
    assert expected <= found
    # 2019's member contributions follow the law exactly: 7 200 000 / 3 600 000 / 3 600 000.
    assert not any(
        i.year == 2019 and i.check.startswith("Medlemsavgift")
        for i in accounts.inconsistencies(published)
    )


def consistent_statements() -> pd.DataFrame:
    """Two years of a made-up förbund whose figures agree: 2023 result 100 000 (income
    1 000 000, costs −880 000, depreciation −20 000), receivables 50 000 → 30 000, liabilities
    200 000 → 150 000, fixed assets 60 000 → 40 000 (no purchases), so the year's cash flow is
    100 000 + 20 000 + 20 000 − 50 000 = 90 000: cash 500 000 → 590 000."""
    rows = []
    for year, fixed, receivables, cash, equity, liabilities in (
        (2022, 60_000, 50_000, 500_000, 410_000, 200_000),
        (2023, 40_000, 30_000, 590_000, 510_000, 150_000),
    ):
        current = receivables + cash
        rows += [
            (year, "br_anlaggningstillgangar", fixed),
            (year, "br_fordringar", receivables),
            (year, "br_kassa_bank", cash),
            (year, "br_summa_omsattningstillgangar", current),
            (year, "br_summa_tillgangar", fixed + current),
            (year, "br_eget_kapital", equity),
            (year, "br_kortfristiga_skulder", liabilities),
            (year, "br_summa_eget_kapital_skulder", equity + liabilities),
        ]
    rows += [
        (2023, "rr_verksamhetens_intakter", 1_000_000),
        (2023, "rr_verksamhetens_kostnader", -880_000),
        (2023, "rr_avskrivningar", -20_000),
        (2023, "rr_verksamhetens_resultat", 100_000),
        (2023, "rr_arets_resultat", 100_000),
    ]
    frame = pd.DataFrame(rows, columns=["ar", "post", "belopp"])
    return frame.assign(forbund="F", del_="", enhet="kr", kalla="").rename(columns={"del_": "del"})


def test_consistent_statements_give_no_inconsistency_and_the_cash_flow_by_hand():
    statements = consistent_statements()
    assert accounts.inconsistencies(statements) == []
    flow = accounts.derived_cash_flow(statements, "F", 2023)
    assert flow["kf_ej_likviditetspaverkande"] == 20_000
    assert flow["kf_lopande_verksamheten"] == 90_000
    assert flow["kf_investeringsverksamheten"] == 0
    assert flow["kf_arets_kassaflode"] == 90_000
    assert accounts.equity_ratio(statements, "F", 2023) == 77  # 510 000 / 660 000 = 77.3 %


def test_a_misstated_balance_sheet_is_found():
    statements = consistent_statements()
    total = (statements["ar"] == 2023) & (statements["post"] == "br_summa_tillgangar")
    statements.loc[total, "belopp"] = 640_000
    checks = {i.check for i in accounts.inconsistencies(statements)}
    assert "Balansräkningen balanserar (summa tillgångar = summa eget kapital och skulder)" in (
        checks
    )


@pytest.fixture
def broken(tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    lines = (data / "ekonomi.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert header == ["forbund", "ar", "post", "del", "belopp", "enhet", "kalla"]
    lines += [
        f"{INSJORIKET},2019,rr_arets_vinst,,100,kr,",  # row len+1: unknown line code
        f"{INSJORIKET},2019,rr_arets_resultat,,12 000,kr,",  # amount with a space
        f"{INSJORIKET},2019,rr_arets_resultat,,12000,kronor,",  # unit
        f"{INSJORIKET},2019,not_driftbidrag,Göteborg,5000,kr,",  # not a member code
        f"{INSJORIKET},19,rr_arets_resultat,,1,kr,",  # year
    ]
    (data / "ekonomi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def test_a_broken_finance_file_lists_every_violation(broken):
    rows = len((broken / "ekonomi.csv").read_text(encoding="utf-8").splitlines())
    first = rows - 4  # the spreadsheet row of the first added line
    with pytest.raises(InvalidDataset) as raised:
        read_finances(broken)
    found = {(v.row, v.column, v.value) for v in raised.value.violations}
    assert found == {
        (first, "post", "rr_arets_vinst"),
        (first + 1, "belopp", "12 000"),
        (first + 2, "enhet", "kronor"),
        (first + 3, "del", "Göteborg"),
        (first + 4, "ar", "19"),
    }
    assert all(v.source == "ekonomi.csv" for v in raised.value.violations)


def test_validate_lists_finance_violations_and_warns_of_inconsistencies(broken):
    done = finsam("validate", str(broken))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "ekonomi.csv, row" in done.stderr and "column enhet: value 'kronor'" in done.stderr
    done = finsam("validate", str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    assert (
        "warning: finances Samordningsförbundet Insjöriket 2019: Kassaflödesanalysen utgår "
        "från årets resultat: published -40389 kr, the other figures give -40486 kr"
    ) in " ".join(done.stdout.split())


def test_finances_are_ingested_with_the_dataset_and_refused_with_it(tmp_path, broken):
    store = prepare_store(EXAMPLE, tmp_path / "build")
    finances = store.finances(INSJORIKET)
    assert len(finances) == len(read_finances(EXAMPLE))
    assert accounts.equity_ratio(finances, INSJORIKET, 2022) == 74
    with pytest.raises(InvalidDataset) as raised:
        prepare_store(broken, tmp_path / "other")
    assert any(v.source == "ekonomi.csv" for v in raised.value.violations)
    assert not list((tmp_path / "other").rglob("*.duckdb"))  # nothing ingested


def test_budget_per_insats_2019_as_published(published):
    """Årsredovisning 2019, Insjöriket, "Utfall budget per verksamhet" (tkr): twelve lines in
    the report's order and the total last; avvikelse = budget − utfall (Ledning 325 − 276 = 49,
    the total 17 244 − 17 701 = −457)."""
    table = accounts.budget_by_insats(published, INSJORIKET, 2019)
    assert list(table.columns) == ["insats", "budget", "utfall", "avvikelse"]
    rows = [tuple(r) for r in table.itertuples(index=False)]
    assert rows[:3] == [("Ledning", 325, 276, 49), ("AKTIV", 640, 727, -87),
                        ("En väg in", 9600, 9671, -71)]  # fmt: skip
    assert rows[-1] == ("", 17_244, 17_701, -457)
    assert len(rows) == 13
    assert sum(r[1] for r in rows[:-1]) == 17_244  # the lines add up to the total budget
    none = accounts.budget_by_insats(published, INSJORIKET, 2017)
    assert none.empty and list(none.columns) == ["insats", "budget", "utfall", "avvikelse"]


def test_twenty_insatser_keep_the_order_of_the_driftredovisning():
    """A förbund with 20 insatser (the total first in the file, the insatser in a made-up
    order): the table lists the insatser in the order the förbund gave them and the total last,
    however many lines there are (an unstable sort mixes equal keys from 17 rows on)."""
    names = [f"Insats {n}" for n in (7, 3, 19, 1, 12, 5, 16, 9, 2, 14, 20, 6, 11, 18, 4, 8, 15, 10,
                                     13, 17)]  # fmt: skip
    finances = pd.DataFrame(
        {
            "forbund": "F", "ar": 2023, "enhet": "tkr", "kalla": "",
            "post": "drift_budget_kostnader", "del": ["", *names],
            "belopp": [210, *range(1, 21)],
        }
    )  # fmt: skip
    table = accounts.budget_by_insats(finances, "F", 2023)
    assert table["insats"].tolist() == [*names, ""]
    assert table["budget"].tolist() == [*range(1, 21), 210]


def test_a_budget_line_without_an_outcome_has_no_deviation():
    finances = pd.DataFrame(
        {
            "forbund": "F", "ar": 2023, "enhet": "tkr", "kalla": "",
            "post": ["drift_budget_kostnader", "drift_utfall_kostnader", "drift_budget_kostnader",
                     "drift_budget_kostnader", "drift_utfall_kostnader", "drift_utfall_kostnader"],
            "del": ["", "", "Balder", "Primus", "Primus", "Balder"],
            "belopp": [300, 280, 100, 200, 180, 100],
        }
    )  # fmt: skip
    table = accounts.budget_by_insats(finances, "F", 2023)
    assert [tuple(r) for r in table.astype(object).itertuples(index=False)] == [
        ("Balder", 100, 100, 0), ("Primus", 200, 180, 20), ("", 300, 280, 20)
    ]  # fmt: skip
    only_budget = accounts.budget_by_insats(finances.iloc[[2]], "F", 2023)
    assert only_budget["budget"].tolist() == [100]
    assert only_budget["utfall"].isna().all() and only_budget["avvikelse"].isna().all()
    assert {str(table[c].dtype) for c in ("budget", "utfall", "avvikelse")} == {"int64"}  # tkr
    only_outcome = accounts.budget_by_insats(finances.iloc[[4]], "F", 2023)  # Primus, 180
    assert only_outcome["utfall"].tolist() == [180]
    assert only_outcome["budget"].isna().all() and only_outcome["avvikelse"].isna().all()
