"""``finsam tables``: one tidy file per table id, at every level, protected unless asked not to."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from finsam_command import finsam

from finsam.catalog import PAGE_TABLES

SMALL = Path(__file__).parent / "fixtures" / "small"
EXAMPLE = Path(__file__).parents[1] / "data" / "example"


def tables(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return finsam("tables", "--build-dir", str(tmp / "build"), *args)


@pytest.mark.parametrize(
    ("level", "name"),
    [("riket", None), ("forbund", "Samordningsförbundet Insjöriket"), ("kommun", "Lerum")],
)
def test_every_table_at_every_level_protected(tmp_path, level, name):
    out = tmp_path / level
    args = ["--data", str(EXAMPLE), "--level", level, "--year", "2022", "--out", str(out)]
    done = tables(tmp_path, *args, *(["--name", name] if name else []))
    assert done.returncode == 0, done.stderr
    assert sorted(p.stem for p in out.glob("*.csv")) == sorted(PAGE_TABLES[level])
    for file in out.glob("*.csv"):
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
        assert {"kategori", "kon", "antal", "andel", "undertryckt"} <= set(frame.columns)
        assert set(frame["undertryckt"]) <= {"true", "false"}
        hidden = frame[frame["undertryckt"] == "true"]
        assert (hidden["antal"] == "").all() and (hidden["andel"] == "").all(), file.name
        people = frame[frame.get("matt", pd.Series("", index=frame.index)) != "insatser"]
        shown = pd.to_numeric(people.loc[people["undertryckt"] == "false", "antal"])
        assert not ((shown >= 1) & (shown <= 4)).any(), file.name  # nothing below 5 published


def forbund_tables(tmp: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """``finsam tables`` of the small dataset's förbund, 2022."""
    return tables(
        tmp,
        "--data",
        str(SMALL),
        "--level",
        "forbund",
        "--name",
        "Samordningsförbundet Insjöriket",
        "--year",
        "2022",
        "--out",
        str(out),
        *extra,
    )


def test_unsuppressed_export_warns_and_has_the_hand_worked_counts(tmp_path):
    out = tmp_path / "open"
    done = forbund_tables(tmp_path, out, "--unsuppressed")
    assert done.returncode == 0, done.stderr
    assert "NOT protected" in done.stderr
    flow = pd.read_csv(out / "deltagarflode.csv")
    samtliga = flow[flow["kategori"] == "samtliga"].set_index("kon")["antal"].to_dict()
    assert samtliga == {"kvinna": 3, "man": 2, "totalt": 5}
    change = pd.read_csv(out / "forsorjningsforandring.csv")
    assert list(change.columns) == ["kategori", "tidpunkt", "kon", "antal", "andel", "undertryckt"]
    age = pd.read_csv(out / "alder.csv", dtype={"kategori": str})
    row = age[(age["kategori"] == "30-44") & (age["kon"] == "totalt")].iloc[0]
    assert row["antal"] == 3 and row["andel"] == pytest.approx(60.0)  # 3 of 5, unrounded


def test_counts_of_insatser_are_not_people_and_are_shown(tmp_path):
    out = tmp_path / "s"
    done = forbund_tables(tmp_path, out)
    assert done.returncode == 0, done.stderr
    struktur = pd.read_csv(out / "struktur.csv", dtype=str, keep_default_na=False)
    insatser = struktur[
        (struktur["matt"] == "insatser") & (struktur["kategori"] == "dialog_kommunikation")
    ]
    assert insatser["antal"].tolist() == ["1"] and insatser["undertryckt"].tolist() == ["false"]


def test_xlsx_export(tmp_path):
    out = tmp_path / "x"
    done = tables(
        tmp_path,
        "--data",
        str(SMALL),
        "--level",
        "kommun",
        "--name",
        "1481",
        "--year",
        "2022",
        "--out",
        str(out),
        "--format",
        "xlsx",
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.stem for p in out.glob("*.xlsx")) == sorted(PAGE_TABLES["kommun"])
    flow = pd.read_excel(out / "deltagarflode.xlsx")
    assert flow["undertryckt"].astype(str).str.lower().isin(["true", "false"]).all()


def test_bad_level_and_name_are_clear_errors(tmp_path):
    done = tables(
        tmp_path,
        "--data",
        str(SMALL),
        "--level",
        "land",
        "--year",
        "2022",
        "--out",
        str(tmp_path / "o"),
    )
    assert done.returncode == 1 and "level 'land'" in done.stderr
    done = tables(
        tmp_path,
        "--data",
        str(SMALL),
        "--level",
        "kommun",
        "--name",
        "Atlantis",
        "--year",
        "2022",
        "--out",
        str(tmp_path / "o"),
    )
    assert done.returncode == 1 and "'Atlantis' is neither" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("4/1/2023", "--period-end '4/1/2023': expected a date YYYY-MM-DD from 2022-01-01 to "),
        ("20230104", "--period-end '20230104': expected a date YYYY-MM-DD"),
        ("2023-01-04T00:00", "--period-end '2023-01-04T00:00': expected a date YYYY-MM-DD"),
        ("2023-13-01", "--period-end '2023-13-01': expected a date YYYY-MM-DD"),
        ("2024-01-04", "--period-end 2024-01-04: outside the reporting window of 2022; expected "
         "a date YYYY-MM-DD from 2022-01-01 to 2023-03-31"),
    ],
)  # fmt: skip
def test_period_end_is_a_strict_iso_date_within_the_reporting_window(tmp_path, given, message):
    done = forbund_tables(tmp_path, tmp_path / "out", "--period-end", given)
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def test_period_end_after_the_year_counts_ongoing_on_that_day(tmp_path):
    out = tmp_path / "out"
    done = forbund_tables(tmp_path, out, "--period-end", "2023-01-04", "--unsuppressed")
    assert done.returncode == 0, done.stderr
    flow = pd.read_csv(next(out.rglob("deltagarflode*.csv"))).set_index(["kategori", "kon"])
    # Small dataset 2022 (fixture README): D02, D05 and D06 ongoing on 31 December; D06 ended on
    # 3 January 2023, so on 4 January only D02 and D05 are.
    assert flow.loc[("pagaende", "totalt"), "antal"] == 2
