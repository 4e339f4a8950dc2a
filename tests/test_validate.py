"""Validation against the data contract: each rule, many errors in one run, CSV and XLSX."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from finsam_command import finsam

from finsam.errors import InvalidDataset
from finsam.inputs.dataset import load_dataset
from finsam.inputs.store import Store, ingest
from finsam.inputs.validate import check_dataset, validate_dataset
from finsam.pipeline.build import prepare_store

SMALL = Path(__file__).parent / "fixtures" / "small"


@pytest.fixture
def dataset(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SMALL, target)
    return target


def edit(folder: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` is the spreadsheet row number (header = 1)."""
    file = folder / f"{table}.csv"
    with file.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[row - 1][rows[0].index(column)] = value
    with file.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def found(folder: Path) -> set[tuple]:
    return {(v.source, v.row, v.column, v.value) for v in validate_dataset(folder)}


def test_the_handmade_dataset_is_valid():
    assert validate_dataset(SMALL) == []


def test_the_embedded_example_is_valid():
    assert validate_dataset(Path(__file__).parents[1] / "data" / "example") == []


# Row numbers: header is row 1, D01 is row 2, ... D11 is row 12.
RULES = [
    ("deltaganden", 2, "kon", "kvinn", "one of kvinna, man, okant"),
    ("deltaganden", 3, "startdatum", "2022-13-01", "a date YYYY-MM-DD"),
    ("deltaganden", 3, "startdatum", "10/01/2022", "a date YYYY-MM-DD"),
    ("deltaganden", 4, "insats", "", "a value (this column is required)"),
    ("deltaganden", 4, "insats", "Okänd", "an insats listed in insatser for the same förbund"),
    ("deltaganden", 4, "insats", "Kunskapsdialoger", "with typ individinriktad"),
    ("deltaganden", 5, "kommun", "Atlantis", "a kommun as 4-digit SCB kommunkod or name"),
    ("deltaganden", 5, "kommun", "9999", "a kommun as 4-digit SCB kommunkod or name"),
    ("deltaganden", 2, "slutdatum", "2021-01-01", "a date on or after startdatum"),
    ("deltaganden", 2, "avslutsorsak", "", "an avslutsorsak when slutdatum is set"),
    ("deltaganden", 3, "avslutsorsak", "sjukdom", "empty while slutdatum is empty"),
    ("deltaganden", 3, "sysselsattning_efter", "studier", "empty while slutdatum is empty"),
    ("deltaganden", 3, "forsorjning_efter", "a_kassa", "empty while slutdatum is empty"),
    ("deltaganden", 3, "person_id", "", "a person_id when registrering is personuppgifter"),
    ("deltaganden", 3, "kommun", "", "a kommun when registrering is personuppgifter"),
    ("deltaganden", 2, "forsorjning_fore", "forsorjningsstod;lon", "codes separated by ';'"),
    ("deltaganden", 2, "fodelsear", "19x0", "a year (four digits"),
    ("deltaganden", 2, "fodelsear", "2030", "a birth year not after the year of startdatum"),
    ("deltaganden", 2, "registrering", "anonymt", "one of personuppgifter, anonym, volym"),
    ("deltaganden", 3, "deltagande_id", "D01", "a unique deltagande_id (already on row 2)"),
    ("deltaganden", 2, "forbund", "Samordningsförbundet Okänt", "a förbund named as in the"),
    ("remisser", 2, "remittent", "grannen", "one of forsakringskassan"),
    ("remisser", 2, "startad", "kanske", "one of ja, nej"),
    ("remisser", 3, "datum", "", "a value (this column is required)"),
    ("remisser", 3, "insats", "Okänd", "an insats listed in insatser"),
    ("remisser", 3, "remiss_id", "R1", "a unique remiss_id (already on row 2)"),
    ("insatser", 2, "typ", "individ", "one of individinriktad, strukturovergripande"),
    ("insatser", 2, "inriktning", "dialog_kommunikation", "for typ individinriktad one of"),
    ("insatser", 2, "slutar", "2010", "a year not before startar"),
    ("strukturdeltagare", 2, "antal", "-3", "a whole number ≥ 0"),
    ("strukturdeltagare", 3, "antal", "10", "at least kvinnor + man"),
    ("strukturdeltagare", 2, "insats", "Balder", "with typ strukturovergripande"),
]


@pytest.mark.parametrize(("table", "row", "column", "value", "expected"), RULES)
def test_each_rule_names_file_row_column_value_and_expectation(
    dataset, table, row, column, value, expected
):
    edit(dataset, table, row, column, value)
    violations = validate_dataset(dataset)
    hits = [
        v
        for v in violations
        if (v.source, v.row, v.column) == (f"{table}.csv", row, column) and expected in v.expected
    ]
    assert hits, f"no violation with {expected!r}; got {[str(v) for v in violations]}"
    assert hits[0].value == value
    assert f"{table}.csv, row {row}, column {column}" in str(hits[0])


def test_no_event_lies_after_the_declared_extraction_date(dataset):
    """Taken out on 30 September 2022 (fixture README): D07 starts on 2 January 2023 (row 8)
    and D03 ends on 31 December 2022 (row 4); referral R1 (row 2) moved to 1 October 2022."""
    with (dataset / "dataset.yml").open("a", encoding="utf-8") as meta:
        meta.write("extracted: 2022-09-30\n")
    edit(dataset, "remisser", 2, "datum", "2022-10-01")
    late = {(v.source, v.row, v.column, v.value) for v in validate_dataset(dataset)}
    assert {
        ("deltaganden.csv", 8, "startdatum", "2023-01-02"),
        ("deltaganden.csv", 4, "slutdatum", "2022-12-31"),
        ("remisser.csv", 2, "datum", "2022-10-01"),
    } <= late
    assert all("on or before 2022-09-30" in v.expected for v in validate_dataset(dataset))


def test_five_different_errors_in_one_file_are_all_reported(dataset):
    edit(dataset, "deltaganden", 2, "kon", "kvinn")
    edit(dataset, "deltaganden", 3, "startdatum", "2022-02-30")
    edit(dataset, "deltaganden", 4, "insats", "Okänd")
    edit(dataset, "deltaganden", 5, "kommun", "Atlantis")
    edit(dataset, "deltaganden", 7, "slutdatum", "2020-01-01")
    got = found(dataset)
    assert ("deltaganden.csv", 2, "kon", "kvinn") in got
    assert ("deltaganden.csv", 3, "startdatum", "2022-02-30") in got
    assert ("deltaganden.csv", 4, "insats", "Okänd") in got
    assert ("deltaganden.csv", 5, "kommun", "Atlantis") in got
    assert ("deltaganden.csv", 7, "slutdatum", "2020-01-01") in got
    assert len(got) == 5


def test_missing_column_and_missing_file(dataset):
    file = dataset / "remisser.csv"
    rows = list(csv.reader(file.open(encoding="utf-8")))
    keep = [i for i, name in enumerate(rows[0]) if name != "remittent"]
    with file.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
    (dataset / "strukturdeltagare.csv").unlink()
    messages = [str(v) for v in validate_dataset(dataset)]
    assert any(
        "remisser.csv, row 1, column remittent" in m and "a column named remittent" in m
        for m in messages
    )
    assert any(
        m.startswith("strukturdeltagare.csv") and "a file strukturdeltagare.csv" in m
        for m in messages
    )


def test_row_with_wrong_number_of_fields(dataset):
    with (dataset / "remisser.csv").open("a", encoding="utf-8") as f:
        f.write("R9,Samordningsförbundet Insjöriket,2022-01-01\n")
    hits = [v for v in validate_dataset(dataset) if v.row == 8]
    assert len(hits) == 1 and "8 comma-separated fields" in hits[0].expected


def test_a_file_that_is_neither_utf8_nor_windows_1252_is_refused_with_the_byte_named(dataset):
    # 0x81 is undefined in Windows-1252 and not valid UTF-8 on its own.
    (dataset / "insatser.csv").write_bytes(b"forbund,insats\nF\x81rbund,x\n")
    hits = [v for v in validate_dataset(dataset) if v.source == "insatser.csv"]
    assert len(hits) == 1
    assert hits[0].expected == (
        "UTF-8 text (save it as 'CSV UTF-8'): line 2 holds byte 0x81, "
        "neither UTF-8 nor Windows-1252"
    )
    assert "b'" not in str(hits[0])


def rewrite(folder: Path, table: str, *, encoding: str = "utf-8", separator: str = ",") -> None:
    """Write a table again as Excel would on Swedish Windows: another encoding or separator."""
    file = folder / f"{table}.csv"
    rows = list(csv.reader(file.open(encoding="utf-8")))
    with file.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=separator, lineterminator="\r\n").writerows(rows)


def same_tables(a: Path, b: Path) -> bool:
    left, right = load_dataset(a).tables, load_dataset(b).tables
    return all(left[name].equals(right[name]) for name in left)


@pytest.mark.parametrize(
    ("encoding", "separator", "notes"),
    [
        ("cp1252", ",", ["deltaganden.csv: read as Windows-1252, not UTF-8"]),
        ("utf-8-sig", ";", ["deltaganden.csv: columns separated by semicolons, not commas"]),
        (
            "cp1252",
            ";",
            [
                "deltaganden.csv: read as Windows-1252, not UTF-8",
                "deltaganden.csv: columns separated by semicolons, not commas",
            ],
        ),
    ],
)
def test_windows_1252_and_semicolons_are_read_as_they_come_and_said(
    dataset, encoding, separator, notes
):
    rewrite(dataset, "deltaganden", encoding=encoding, separator=separator)
    violations, said = check_dataset(dataset)
    assert violations == [] and said == notes
    assert same_tables(dataset, SMALL)  # "Samordningsförbundet Insjöriket" read right


def test_headers_match_whatever_their_case_and_spaces(dataset):
    file = dataset / "deltaganden.csv"
    text = file.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    header = header.replace("fodelsear", "Fodelsear").replace("utbildning", " Utbildning ")
    file.write_text(header.replace(",kon,", ",KON,") + "\n" + rest, encoding="utf-8")
    assert check_dataset(dataset) == ([], [])
    assert same_tables(dataset, SMALL)  # ages and education are not "ej angivet"


def test_a_misspelt_optional_column_is_an_error_naming_both_names(dataset):
    """With slutdatum read as empty every participation would count as ongoing."""
    file = dataset / "deltaganden.csv"
    text = file.read_text(encoding="utf-8").replace("slutdatum", "slut_datum", 1)
    file.write_text(text, encoding="utf-8")
    violations = validate_dataset(dataset)
    assert [str(v) for v in violations] == [
        "deltaganden.csv, row 1, column slut_datum: value 'slut_datum' — expected the contract "
        "column slutdatum (rename the column: as it is, slutdatum would be read as empty)"
    ]
    with pytest.raises(InvalidDataset):
        load_dataset(dataset)


def test_an_unknown_column_is_left_out_with_a_note(dataset):
    file = dataset / "insatser.csv"
    lines = file.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",kommentar"] + [line + ",fritext" for line in lines[1:]]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert check_dataset(dataset) == (
        [],
        ["insatser.csv: column 'kommentar' is not in the data contract; left out"],
    )


def test_a_misnamed_file_is_named_with_the_fix(dataset):
    (dataset / "insatser.csv").rename(dataset / "insatser (1).csv")
    messages = [str(v) for v in validate_dataset(dataset) if v.source == "insatser.csv"]
    assert messages == [
        f"insatser.csv — expected a file insatser.csv in {dataset} "
        "(found 'insatser (1).csv': rename it to insatser.csv)"
    ]


def test_a_kommun_spelt_without_its_letters_gets_a_suggestion(dataset):
    edit(dataset, "deltaganden", 5, "kommun", "Molndal")
    (hit,) = [v for v in validate_dataset(dataset) if v.column == "kommun"]
    assert hit.row == 5 and hit.value == "Molndal"
    assert hit.expected.endswith("; did you mean Mölndal?")


def test_validate_prints_how_files_were_read(dataset):
    rewrite(dataset, "remisser", encoding="cp1252", separator=";")
    done = finsam("validate", str(dataset))
    assert done.returncode == 0
    assert "note: remisser.csv: read as Windows-1252, not UTF-8" in done.stdout
    assert "note: remisser.csv: columns separated by semicolons, not commas" in done.stdout


def test_kommun_accepted_as_code_name_or_with_suffix(dataset):
    edit(dataset, "deltaganden", 2, "kommun", "Mölndals stad")
    edit(dataset, "deltaganden", 3, "kommun", "partille kommun")
    edit(dataset, "remisser", 2, "kommun", "0114")
    assert validate_dataset(dataset) == []
    tables = load_dataset(dataset).tables
    assert tables["deltaganden"]["kommun"].iloc[:2].tolist() == ["1481", "1402"]
    assert tables["remisser"]["kommun"].iloc[0] == "0114"


def workbook_from(folder: Path, target: Path) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for file in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(file.stem)
        for row in csv.reader(file.open(encoding="utf-8")):
            sheet.append([int(c) if c.isdigit() and len(c) != 4 else c for c in row])
    book.save(target)
    return target


def test_xlsx_workbook_valid_and_with_errors(dataset, tmp_path):
    good = workbook_from(dataset, tmp_path / "good.xlsx")
    assert validate_dataset(good) == []
    edit(dataset, "remisser", 4, "kon", "x")
    edit(dataset, "insatser", 3, "inriktning", "")
    bad = workbook_from(dataset, tmp_path / "bad.xlsx")
    got = {(v.source, v.row, v.column, v.value) for v in validate_dataset(bad)}
    assert got == {
        ("bad.xlsx, sheet remisser", 4, "kon", "x"),
        ("bad.xlsx, sheet insatser", 3, "inriktning", ""),
    }


def test_xlsx_real_dates_and_numbers_are_read_as_the_contract_says(dataset, tmp_path):
    import datetime as dt

    book = workbook_from(dataset, tmp_path / "typed.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["remisser"]["C2"] = dt.datetime(2022, 1, 5)
    wb["remisser"]["D2"] = 1481
    wb.save(book)
    assert validate_dataset(book) == []
    refs = load_dataset(book).tables["remisser"]
    assert str(refs["datum"].iloc[0].date()) == "2022-01-05"
    assert refs["kommun"].iloc[0] == "1481"
    wb["remisser"]["C2"] = "5 januari"
    wb.save(book)
    assert {(v.row, v.column) for v in validate_dataset(book)} == {(2, "datum")}


def digest(folder: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.iterdir()))).hexdigest()


def test_invalid_dataset_is_not_ingested_and_input_untouched(dataset, tmp_path):
    """A build folder holds the store of the valid dataset; the same dataset with one bad cell
    is refused, and neither the dataset nor the stores change (no new store, no temporary
    file left)."""
    stores = tmp_path / "build" / "stores"
    valid = prepare_store(dataset, tmp_path / "build")
    kept = {p.name: p.read_bytes() for p in stores.iterdir()}
    edit(dataset, "deltaganden", 2, "kon", "kvinn")
    before = digest(dataset)
    with pytest.raises(InvalidDataset) as caught:
        prepare_store(dataset, tmp_path / "build")
    assert [(v.row, v.column, v.value) for v in caught.value.violations] == [(2, "kon", "kvinn")]
    assert digest(dataset) == before
    assert {p.name: p.read_bytes() for p in stores.iterdir()} == kept
    assert list(kept) == [Path(valid.path).name]
    assert len(Store(valid.path).participations()) == 11


def test_store_replaced_atomically_and_readable(tmp_path):
    store_path = ingest(load_dataset(SMALL), tmp_path / "store.duckdb")
    store = Store(store_path)
    assert store.forbund_in_data() == ["Samordningsförbundet Insjöriket"]
    assert len(store.participations()) == 11
    assert store.meta()["synthetic"] is True
    ingest(load_dataset(SMALL), store_path)  # replacing an existing store works
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.duckdb"]


def test_cli_validate_exit_codes_and_no_traceback(dataset):
    ok = finsam("validate", str(dataset))
    assert ok.returncode == 0 and "valid" in ok.stdout
    edit(dataset, "deltaganden", 2, "kon", "kvinn")
    edit(dataset, "remisser", 2, "datum", "igår")
    bad = finsam("validate", str(dataset))
    assert bad.returncode == 1
    assert (
        "deltaganden.csv, row 2, column kon: value 'kvinn' — expected one of kvinna" in bad.stderr
    )
    assert (
        "remisser.csv, row 2, column datum: value 'igår' — expected a date YYYY-MM-DD" in bad.stderr
    )
    assert "2 violation(s) in 2 file(s)" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout
    missing = finsam("validate", str(dataset / "nowhere"))
    assert missing.returncode == 1 and "no such dataset" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_version_names_the_package_and_the_contract():
    from finsam import __version__

    done = finsam("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"finsam {__version__} (data contract version 1)"
