"""``finsam tables``: a folder per page with one tidy file per table id (or one workbook with a
sheet per table), at every level, protected unless asked not to, and marked when not."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from finsam_command import finsam

from finsam.stats.catalog import PAGE_TABLES

pytestmark = pytest.mark.pipeline

SMALL = Path(__file__).parent / "fixtures" / "small"
EXAMPLE = Path(__file__).parents[1] / "data" / "example"


def tables(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return finsam("tables", "--build-dir", str(tmp / "build"), *args)


@pytest.fixture(scope="module")
def example_build(tmp_path_factory) -> Path:
    """One build folder for the exports of the example: the first export protects the whole
    site, the others read its protection from the folder, as a user's later exports do."""
    return tmp_path_factory.mktemp("example")


@pytest.mark.parametrize(
    ("level", "name"),
    [("riket", None), ("forbund", "Samordningsförbundet Insjöriket"), ("kommun", "Lerum")],
)
def test_every_table_at_every_level_protected(example_build, tmp_path, level, name):
    out = tmp_path / level
    args = ["--data", str(EXAMPLE), "--level", level, "--year", "2022", "--out", str(out)]
    done = tables(example_build, *args, *(["--name", name] if name else []))
    assert done.returncode == 0, done.stderr
    folder = out / FOLDERS[level]
    assert [p.name for p in out.iterdir()] == [folder.name]
    assert sorted(p.stem for p in folder.glob("*.csv")) == sorted([*PAGE_TABLES[level], "om"])
    about = pd.read_csv(folder / "om.csv").set_index("uppgift")["varde"]
    assert about["år"] == "2022" and about["skydd"].startswith("Skyddad: antal 1–4")
    for file in set(folder.glob("*.csv")) - {folder / "om.csv"}:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
        assert {"kategori", "kon", "antal", "andel", "undertryckt"} <= set(frame.columns)
        assert set(frame["skydd"]) == {about["skydd"]}
        assert set(frame["undertryckt"]) <= {"true", "false"}
        hidden = frame[frame["undertryckt"] == "true"]
        assert (hidden["antal"] == "").all() and (hidden["andel"] == "").all(), file.name
        people = frame[frame.get("matt", pd.Series("", index=frame.index)) != "insatser"]
        shown = pd.to_numeric(people.loc[people["undertryckt"] == "false", "antal"])
        assert not ((shown >= 1) & (shown <= 4)).any(), file.name  # nothing below 5 published


FOLDERS = {
    "riket": "riket-2022",
    "forbund": "forbund-samordningsförbundet-insjöriket-2022",
    "kommun": "kommun-lerum-2022",
}


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
    out = out / "forbund-samordningsförbundet-insjöriket-2022-ej-skyddad"
    assert {p.name for p in out.glob("*.csv")} == {"om.csv"} | {
        f"{table_id}-ej-skyddad.csv" for table_id in PAGE_TABLES["forbund"]
    }
    flow = pd.read_csv(out / "deltagarflode-ej-skyddad.csv")
    assert flow["skydd"].str.startswith("EJ SKYDDAD").all()
    samtliga = flow[flow["kategori"] == "samtliga"].set_index("kon")["antal"].to_dict()
    assert samtliga == {"kvinna": 3, "man": 2, "totalt": 5}
    change = pd.read_csv(out / "forsorjningsforandring-ej-skyddad.csv")
    assert list(change.columns) == [
        "kategori", "tidpunkt", "kon", "antal", "andel", "undertryckt", "skydd"
    ]  # fmt: skip
    age = pd.read_csv(out / "alder-ej-skyddad.csv", dtype={"kategori": str})
    row = age[(age["kategori"] == "30-44") & (age["kon"] == "totalt")].iloc[0]
    assert row["antal"] == 3 and row["andel"] == pytest.approx(60.0)  # 3 of 5, unrounded


def test_counts_of_insatser_are_not_people_and_are_shown(tmp_path):
    out = tmp_path / "s"
    done = forbund_tables(tmp_path, out)
    assert done.returncode == 0, done.stderr
    struktur = pd.read_csv(
        out / FOLDERS["forbund"] / "struktur.csv", dtype=str, keep_default_na=False
    )
    insatser = struktur[
        (struktur["matt"] == "insatser") & (struktur["kategori"] == "dialog_kommunikation")
    ]
    assert insatser["antal"].tolist() == ["1"] and insatser["undertryckt"].tolist() == ["false"]


def xlsx_rows(tmp: Path, *extra: str) -> tuple[openpyxl.Workbook, dict]:
    """The workbook of Mölndal 2022 (small dataset) and its ``deltagarflode`` rows by kategori
    and kon."""
    out = tmp / "x"
    args = ["--level", "kommun", "--name", "1481", "--year", "2022", "--out", str(out)]
    done = tables(tmp, "--data", str(SMALL), *args, "--format", "xlsx", *extra)
    assert done.returncode == 0, done.stderr
    [file] = [p for p in out.rglob("*") if p.is_file()]
    assert file.parent.parent == out and file.parent.name == file.stem
    workbook = openpyxl.load_workbook(file)
    sheet = workbook["deltagarflode"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["kategori", "kon", "antal", "andel", "undertryckt", "skydd"]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]
    return workbook, {(r["kategori"], r["kon"]): r for r in rows}


def test_xlsx_export_is_one_typed_workbook_with_a_sheet_per_table(tmp_path):
    workbook, flow = xlsx_rows(tmp_path, "--unsuppressed")
    assert workbook.sheetnames == ["om", *PAGE_TABLES["kommun"]]
    sheet = workbook["deltagarflode"]
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    # Small dataset, Mölndal 2022 (fixture README; kommun pages have no gender split):
    # samtliga 3, unika 2, nya 2, as numbers.
    assert [flow[(k, "totalt")]["antal"] for k in ("samtliga", "unika", "nya")] == [3, 2, 2]
    assert flow[("samtliga", "totalt")]["undertryckt"] is False


def test_xlsx_export_leaves_hidden_counts_blank(tmp_path):
    workbook, flow = xlsx_rows(tmp_path)
    assert workbook.worksheets[0].title == "om"
    hidden = flow[("samtliga", "totalt")]  # 3 people: hidden
    assert hidden["undertryckt"] is True and hidden["antal"] is None and hidden["andel"] is None


def test_an_export_replaces_its_page_folder_and_leaves_other_pages(tmp_path):
    out = tmp_path / "out"
    assert forbund_tables(tmp_path, out).returncode == 0
    page = out / FOLDERS["forbund"]
    (page / "old-table.csv").write_text("from an earlier export\n")
    args = ["--data", str(SMALL), "--level", "riket", "--year", "2022", "--out", str(out)]
    assert tables(tmp_path, *args).returncode == 0
    assert forbund_tables(tmp_path, out).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == [FOLDERS["forbund"], "riket-2022"]
    assert not (page / "old-table.csv").exists() and (page / "deltagarflode.csv").exists()


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
